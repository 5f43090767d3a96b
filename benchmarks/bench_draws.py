"""The cost of the ``draw.*`` columns (``sim.model.draws``): throughput with and without them,
the draws' own cost per replication, and the peak memory and table size of a large run.

Throughput: whole serial runs into a folder (parts written, merged, summarised), ``--draws``
and ``--no-draws`` alternating so that a change of the machine's load hits both. Memory: the
process tree of ``straitsim run SCENARIO -n RUNS -w 2 -q --draws`` (and ``--no-draws``) sampled
as ``bench_batch.py`` does.

    python benchmarks/bench_draws.py [--scenario full_invasion] [--runs 5000] [--repeats 2]
                                     [--memory-runs 100000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent


def throughput(scenario: str, runs: int, repeats: int) -> dict:
    from sim.batch.execute import run_to_folder
    from sim.config.loader import load
    from sim.model.compiled import compile_scenario
    from sim.model.draws import chunk_draws, draw_columns

    loaded = load(ROOT / "scenarios" / f"{scenario}.yaml")
    c = compile_scenario(loaded.scenario)
    rate: dict[bool, list[float]] = {True: [], False: []}
    tmp = Path(tempfile.mkdtemp(prefix="bench-draws-"))
    try:
        for k in range(repeats):
            for draws in (True, False):
                t0 = time.perf_counter()
                run_to_folder(loaded, runs, 1 + k, tmp / f"{draws}-{k}", plots=False,
                              draws=draws, weekly=False)
                rate[draws].append(runs / (time.perf_counter() - t0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.perf_counter()
    chunk_draws(c, 1, 0, runs)
    us = (time.perf_counter() - t0) / runs * 1e6
    best = {d: max(v) for d, v in rate.items()}
    return {"scenario": scenario, "runs": runs, "draw_columns": len(draw_columns(c)),
            "reps_per_s_draws": round(best[True], 1), "reps_per_s_no_draws": round(best[False], 1),
            "slowdown": round(best[False] / best[True], 3), "draws_us_per_rep": round(us, 1),
            "all_rates": {str(d): [round(x, 1) for x in v] for d, v in rate.items()}}


def child(args) -> None:
    from sim.cli import app
    app(["run", args.scenario, "-n", str(args.memory_runs), "-w", "2", "-q", "--no-plots",
         "--draws" if args.draws else "--no-draws", "-o", str(args.out)], standalone_mode=True)


def memory(args, draws: bool) -> dict:
    from bench_batch import peak_memory

    out = Path(tempfile.mkdtemp(prefix="bench-draws-mem-")) / "run"
    try:
        cmd = [sys.executable, __file__, "--child", "--scenario", args.scenario,
               "--memory-runs", str(args.memory_runs), "--out", str(out)] + (
            ["--draws"] if draws else [])
        mem = peak_memory(cmd)
        size = round((out / "outcomes.parquet").stat().st_size / 2**20, 1)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    return {**mem, "outcomes_mb": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="full_invasion")
    ap.add_argument("--runs", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--memory-runs", type=int, default=100_000)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--draws", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    res = {"throughput": throughput(args.scenario, args.runs, args.repeats)}
    t = res["throughput"]
    print(f"{args.scenario}, {args.runs:,} replications serial: {t['reps_per_s_draws']}/s with "
          f"{t['draw_columns']} draw columns, {t['reps_per_s_no_draws']}/s without "
          f"({t['slowdown']}x); the draws alone {t['draws_us_per_rep']} us a replication",
          flush=True)
    if not args.no_memory:
        for draws in (True, False):
            res["memory_draws" if draws else "memory_no_draws"] = m = memory(args, draws)
            print(f"{args.scenario}, {args.memory_runs:,} replications, 2 workers, "
                  f"{'--draws' if draws else '--no-draws'}: {m['wall_seconds']} s; peak RSS "
                  f"{m['rss_mb']} MB (PSS {m['pss_mb']} MB, {m['processes']} processes); "
                  f"outcomes.parquet {m['outcomes_mb']} MB", flush=True)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
