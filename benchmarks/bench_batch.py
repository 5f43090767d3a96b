"""Batch throughput per executor, and peak memory of a million-replication run.

Targets (issue 3), on a 2-core machine:
- local processes (2 workers): at least 1.85x the single-process rate at 100,000 replications;
- Dask LocalCluster (2 workers): at least 0.85x the local-process rate at 100,000;
- 1,000,000 replications of the blockade scenario: peak memory of the whole process tree
  (the ``straitsim run`` process and its workers) under 500 MB.

Each throughput case is a complete ``run_to_folder`` (chunks written as Parquet parts, merged,
summarised), timed from the start of the executor to the finished folder, so process or cluster
start-up counts against the parallel cases. Memory is sampled from /proc every 0.1 s: the sum of
RSS over the tree (an upper bound: pages shared between processes count twice) and of PSS
(shared pages split between the processes that share them).

    python benchmarks/bench_batch.py [--runs 100000] [--big 1000000] [--scenario blockade]
                                     [--skip-memory] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sim.batch.execute import run_to_folder
from sim.batch.executors import open_executor
from sim.config.loader import load

ROOT = Path(__file__).resolve().parent.parent


def timed_run(loaded, runs: int, kind: str, workers: int, seed: int = 1) -> float:
    out = Path(tempfile.mkdtemp(prefix="bench-")) / "run"
    try:
        t0 = time.perf_counter()
        with open_executor(kind, workers) as ex:
            run_to_folder(loaded, runs, seed, out, executor=ex, plots=False)
        return time.perf_counter() - t0
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(x) for x in (t / "children").read_text().split()]
        except OSError:
            pass
    return pids


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_memory(cmd: list[str]) -> dict:
    """Run ``cmd``; sample its process tree's RSS and PSS; return peaks in MB and wall time,
    and the tree's peak RSS while workers ran and after (the parent merging, summarising and
    drawing), to say which phase a peak is in."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"rss_mb": 0.0, "pss_mb": 0.0, "processes": 0, "running_rss_mb": 0.0,
            "after_rss_mb": 0.0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            pids = _tree(proc.pid)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            peak["rss_mb"] = max(peak["rss_mb"], rss)
            peak["pss_mb"] = max(peak["pss_mb"], pss)
            peak["processes"] = max(peak["processes"], len(pids))
            phase = "running_rss_mb" if len(pids) > 1 else "after_rss_mb"
            peak[phase] = max(peak[phase], rss)
            time.sleep(0.1)

    t0 = time.perf_counter()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    done.set()
    thread.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    peak["wall_seconds"] = round(time.perf_counter() - t0, 1)
    peak["rss_mb"] = round(peak["rss_mb"], 1)
    for key in ("pss_mb", "running_rss_mb", "after_rss_mb"):
        peak[key] = round(peak[key], 1)
    return peak


def throughput(loaded, args, res: dict) -> None:
    """Serial, 2 local processes and (unless skipped) a 2-worker Dask LocalCluster."""
    serial = timed_run(loaded, args.runs, "serial", 1)
    local = timed_run(loaded, args.runs, "local", 2)
    res["serial_per_s"] = round(args.runs / serial)
    res["local2_per_s"] = round(args.runs / local)
    res["local_speedup"] = round(serial / local, 2)
    print(f"{args.scenario}, {args.runs:,} replications: serial {serial:.1f} s "
          f"({res['serial_per_s']:,}/s); 2 local processes {local:.1f} s "
          f"({res['local2_per_s']:,}/s, {res['local_speedup']}x; target >= 1.85x)", flush=True)
    if not args.skip_dask:
        dask = timed_run(loaded, args.runs, "dask", 2)
        res["dask2_per_s"] = round(args.runs / dask)
        res["dask_vs_local"] = round(local / dask, 2)
        print(f"  Dask LocalCluster, 2 workers: {dask:.1f} s ({res['dask2_per_s']:,}/s, "
              f"{res['dask_vs_local']}x the local rate; target >= 0.85x)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--scenario", default="blockade")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true",
                    help="only the million-replication memory run")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    loaded = load(ROOT / "scenarios" / f"{args.scenario}.yaml")
    res: dict = {"scenario": args.scenario, "runs": args.runs}
    if not args.skip_throughput:
        throughput(loaded, args, res)
    if not args.skip_memory:
        out = Path(tempfile.mkdtemp(prefix="bench-big-")) / "run"
        try:
            cmd = [str(Path(sys.executable).parent / "straitsim"), "run", args.scenario, "-n",
                   str(args.big), "-w", "2", "-q", "-o", str(out)]
            mem = peak_memory(cmd)
            size = (out / "outcomes.parquet").stat().st_size / 2**20
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
        res["big"] = {"runs": args.big, **mem, "outcomes_mb": round(size, 1)}
        print(f"  {args.big:,} replications, 2 workers: {mem['wall_seconds']} s; peak RSS of the "
              f"process tree {mem['rss_mb']} MB (PSS {mem['pss_mb']} MB, "
              f"{mem['processes']} processes; target < 500 MB): {mem['running_rss_mb']} MB "
              f"while workers ran, {mem['after_rss_mb']} MB after; outcomes.parquet "
              f"{size:.1f} MB")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
