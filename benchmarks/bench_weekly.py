"""Peak memory and time of a run that writes the weekly table (``--weekly``).

Runs ``straitsim run SCENARIO -n RUNS -w 2 -q --weekly`` in a child process and samples the
process tree's memory as ``bench_batch.py`` does (summed RSS and PSS, every 0.1 s). Until the
model's own processes have weekly series, ``--standin`` registers a stand-in process in the child
with the columns the blockade's energy and shipping processes will have (``electricity_share``,
three ``stock_<fuel>_days``, four ``arrived_<type>``), one row per week from the blockade's start
to the end: the same number of rows and columns to gather, write, merge and summarise. The
stand-in's values are arbitrary; only their volume matters here.

    python benchmarks/bench_weekly.py [--runs 200000] [--scenario blockade] [--standin]
                                      [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STANDIN_COLUMNS = (
    ("electricity_share", "float", "Stand-in: electricity supplied / normal demand (0-1)."),
    *((f"stock_{f}_days", "float", f"Stand-in: {f} stock, days of normal use.")
      for f in ("lng", "coal", "oil")),
    *((f"arrived_{t}", "float", f"Stand-in: {t} ships arrived this week.")
      for t in ("lng", "coal", "tanker", "container")),
)


def register_standin() -> None:
    """Append the stand-in process to the model's processes (this process and forked workers)."""
    import sim.model.processes as processes
    from sim.model.processes.base import Process

    class WeeklyStandin(Process):
        name = "weekly_standin"
        weekly_columns = STANDIN_COLUMNS

        @staticmethod
        def used(c) -> bool:
            return bool(c.caused & {"quarantine_enforced", "military_blockade"})

        def weekly_rows(self) -> list[tuple]:
            h = self.eng.happened
            start = min((h[e] for e in ("quarantine_enforced", "military_blockade") if e in h),
                        default=None)
            if start is None:
                return []
            weeks = int((self.eng.end_hours - start) // 168)
            u = self.uniform("share")
            return [(w, max(0.0, 1.0 - 0.05 * w * u), 30.0 - w, 40.0 - w, 90.0 - w,
                     2.0 * u, 3.0 * u, 1.0 * u, 5.0 * u) for w in range(1, weeks + 1)]

    processes.PROCESSES = processes.PROCESSES + (WeeklyStandin,)


def child(args) -> None:
    if args.standin:
        register_standin()
    from sim.cli import app
    app(["run", args.scenario, "-n", str(args.runs), "-w", "2", "-q",
         "--no-weekly" if args.baseline else "--weekly", "-o", str(args.out)],
        standalone_mode=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200_000)
    ap.add_argument("--scenario", default="blockade")
    ap.add_argument("--standin", action="store_true")
    ap.add_argument("--baseline", action="store_true",
                    help="Also run without the weekly table, for comparison.")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    res = {"runs": args.runs, "scenario": args.scenario, "standin": args.standin}
    for weekly in ([True, False] if args.baseline else [True]):
        res["weekly" if weekly else "baseline"] = r = measure(args, weekly)
        print(f"{args.scenario}, {args.runs:,} replications "
              f"{'with --weekly' if weekly else 'with --no-weekly'}"
              f"{' (stand-in weekly process)' if args.standin else ''}, 2 workers: "
              f"{r['wall_seconds']} s; peak RSS of the process tree {r['rss_mb']} MB (PSS "
              f"{r['pss_mb']} MB, {r['processes']} processes); weekly rows "
              f"{r['weekly_rows']}; files {r['files_mb']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


def measure(args, weekly: bool) -> dict:
    from bench_batch import peak_memory

    out = Path(tempfile.mkdtemp(prefix="bench-weekly-")) / "run"
    try:
        cmd = [sys.executable, __file__, "--child", "--runs", str(args.runs), "--scenario",
               args.scenario, "--out", str(out)] + (["--standin"] if args.standin else []) + (
            [] if weekly else ["--baseline"])
        mem = peak_memory(cmd)
        manifest = json.loads((out / "manifest.json").read_text())
        sizes = {f: round((out / f).stat().st_size / 2**20, 1)
                 for f in ("outcomes.parquet", "weekly.parquet") if (out / f).exists()}
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    return {**mem, "weekly_rows": manifest.get("weekly_rows"), "files_mb": sizes}


if __name__ == "__main__":
    main()
