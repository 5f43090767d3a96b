"""A representative replication of a run, and its trace.

The choice depends only on the table: the modal outcome (ties go to the outcome listed first in
the vocabulary), then the replication of that outcome whose ``end_day`` is closest to that
outcome's median, the lowest index on a tie. A replication is a pure function of (resolved
scenario, root seed, index), so its trace is re-run from the manifest alone; the re-run row is
checked against the stored one, which catches a model that changed since the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sim.errors import OutputError
from sim.model.vocab import OUTCOMES
from sim.results.labels import label
from sim.results.rundir import Run


@dataclass(frozen=True)
class Representative:
    replication: int
    outcome: str
    end_day: float
    reason: str


def choose_representative(table: pa.Table) -> Representative:
    """The replication of the modal outcome whose end day is nearest that outcome's median."""
    from sim.results.table import ok_rows
    t = ok_rows(table)
    if t.num_rows == 0:
        raise OutputError("no finished replication to show")
    outcomes = t.column("outcome").to_pylist()
    counts = {o: outcomes.count(o) for o in dict.fromkeys(outcomes)}
    order = {o: i for i, o in enumerate(OUTCOMES)}
    modal = max(counts, key=lambda o: (counts[o], -order.get(o, len(order))))
    reps = np.array(t.column("replication").to_pylist())
    ends = np.array([np.nan if v is None else v for v in t.column("end_day").to_pylist()],
                    dtype=float)
    mask = np.array([o == modal for o in outcomes])
    median = float(np.nanmedian(ends[mask]))
    candidates = sorted(zip(np.abs(ends[mask] - median), reps[mask], ends[mask]))
    _, rep, end = candidates[0]
    share = counts[modal] / t.num_rows
    return Representative(int(rep), modal, float(end),
                          f"the most common outcome, {label(modal, 'outcomes')} ({share:.0%} of "
                          f"replications), "
                          f"ending nearest that outcome's median day ({median:.1f})")


def trace_replication(run: Run, replication: int):
    """Re-run one replication of ``run`` with a trace: ``(row dict, records, matches)``.

    ``matches`` says whether the re-run's outcome and end day equal the stored row's."""
    from sim.batch.runner import compile_data
    from sim.model.replication import run_replication
    data = run.manifest.get("resolved_scenario")
    seed = run.root_seed
    if not isinstance(data, dict) or seed is None:
        raise OutputError(f"{run.path / 'manifest.json'}: no resolved_scenario or root_seed to "
                          f"re-run a replication from")
    try:
        compiled = compile_data(data)
    except Exception as exc:  # noqa: BLE001 - a manifest from another version of the schema
        raise OutputError(f"{run.path / 'manifest.json'}: resolved_scenario no longer loads: "
                          f"{str(exc).splitlines()[0]}") from None
    row, records = run_replication(compiled, int(seed), replication, trace=True)
    row = dict(zip(row.columns, row))
    import pyarrow.compute as pc
    stored = run.table.filter(pc.equal(run.table.column("replication"), replication)).to_pylist()
    matches = bool(stored) and stored[0]["outcome"] == row["outcome"] and \
        abs((stored[0]["end_day"] or 0) - row["end_day"]) < 1e-9
    return row, records, matches
