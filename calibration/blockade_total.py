"""Score the total-blockade case (cases/blockade_total.yaml) on a fresh run, weekly table
included: `python calibration/blockade_total.py [--runs N] [--out DIR]` (fixed seed from the case).

The case runs as any run does: through the batch path (``sim.batch.execute.run_to_folder``) into
a run folder (a temporary one unless ``--out`` names one), and is scored from the folder's
outcomes.parquet and weekly.parquet read back (``sim.results.cases.score_case``), so the case
checks what a user's run writes, float32 weekly series included. Nothing in it is fitted (the
variant's mix is read off the published week list, docs/blockade-arithmetic.md, section 5).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "blockade_total.yaml"


def run_folder(scenario_path: Path, runs: int, seed: int, out: Path, sets=()) -> Path:
    """Run ``runs`` replications of the scenario (with ``--set`` style ``sets``) into the run
    folder ``out``, weekly table on, no figures; return ``out``."""
    from sim.batch.execute import run_to_folder
    from sim.config.loader import load
    run_to_folder(load(scenario_path, list(sets)), runs, seed, out, plots=False,
                  overrides=list(sets), weekly=True, force=True)
    return out


def read_back(out: Path):
    """(ok rows of outcomes.parquet, weekly.parquet) of the run folder ``out``."""
    import pyarrow.parquet as pq

    from sim.results.rundir import load_run
    return load_run(out).ok(), pq.read_table(out / "weekly.parquet")


def run_with_weekly(scenario_path: Path, runs: int, seed: int, sets=(), out: Path | None = None):
    """(main table, weekly table) of ``runs`` replications, through a run folder (``out``, or a
    temporary one removed afterwards)."""
    if out is not None:
        return read_back(run_folder(scenario_path, runs, seed, Path(out), sets))
    with tempfile.TemporaryDirectory(prefix="blockade-total-") as tmp:
        return read_back(run_folder(scenario_path, runs, seed, Path(tmp) / "run", sets))


def main() -> None:
    from sim.config.cases import load_case
    from sim.results.cases import format_scores, score_case
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None,
                    help="Keep the run folder here (replaced if it holds a run).")
    args = ap.parse_args()
    loaded = load_case(CASE)
    case = loaded.case
    table, weekly = run_with_weekly(loaded.scenario_path, args.runs or case.runs, case.seed,
                                    out=args.out)
    print(format_scores(case.title, score_case(case, table, weekly)))


if __name__ == "__main__":
    main()
