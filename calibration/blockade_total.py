"""Score the total-blockade case (cases/blockade_total.yaml) on a fresh run, weekly table
included: `python calibration/blockade_total.py [--runs N]` (fixed seed from the case).

The weekly table is collected here from each replication's processes (``weekly_rows``) so the
case can be scored before the run folder writes weekly.parquet; nothing in it is fitted (the
variant's mix is read off the published week list, docs/blockade-arithmetic.md, section 5).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "blockade_total.yaml"


def run_with_weekly(scenario_path: Path, runs: int, seed: int, sets=()):
    """(main table, weekly table) of ``runs`` replications of the scenario (with ``--set``
    style ``sets``): the weekly table has replication, week and every used process's weekly
    columns."""
    import pyarrow as pa

    from sim.config.loader import load
    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.outcome import make_row
    from sim.model.streams import replication_key, slot_draws
    c = compile_scenario(load(scenario_path, list(sets)).scenario)
    rows, weekly = [], {}
    for i in range(runs):
        rkey = replication_key(seed, i)
        u, z = slot_draws(c.slot_keys, rkey)
        eng = Engine(c, u, z, None, rkey)
        eng.run()
        rows.append({"replication": i, "outcome": eng.outcome,
                     **dict(zip(c.column_names, make_row(eng, i)))})
        for proc in eng.processes:
            for r in proc.weekly_rows():
                rec = weekly.setdefault((i, r[0]), {"replication": i, "week": r[0]})
                rec.update(zip((col[0] for col in proc.weekly_columns), r[1:]))
    return pa.Table.from_pylist(rows), pa.Table.from_pylist(list(weekly.values()))


def main() -> None:
    from sim.config.cases import load_case
    from sim.results.cases import format_scores, score_case
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=None)
    args = ap.parse_args()
    loaded = load_case(CASE)
    case = loaded.case
    table, weekly = run_with_weekly(loaded.scenario_path, args.runs or case.runs, case.seed)
    print(format_scores(case.title, score_case(case, table, weekly)))


if __name__ == "__main__":
    main()
