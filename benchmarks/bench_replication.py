"""Replication speed on one core, per bundled scenario.

Reports replications per second and the cost of one replication in units of a bare SimPy
timeout event measured in the same process (which travels better between machines than seconds).
Replications run as a batch runs them (``run_replications``: the first draws of a block of
replications computed at once); the fixed cost column is what a replication pays there before its
engine is built (its key and the first draw of every named slot, ``slot_draws_many``).
Target (issues 2 and 10): at most about 1,000 units per replication for every bundled scenario
(about 2,000 replications/s on one core where a bare event costs 0.5 us).

    python benchmarks/bench_replication.py [--runs 5000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import simpy

from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.replication import _BLOCK as BLOCK
from sim.model.replication import run_replications
from sim.model.streams import replication_key, slot_draws_many

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("full_invasion", "outer_islands", "blockade", "gray_zone",
             "variants/invasion_2023_base")  # the last: the CSIS 2023 base case


def bare_event_seconds(n: int = 200_000) -> float:
    """Seconds per ``yield env.timeout(1)`` in a bare SimPy loop."""
    def proc(env):
        for _ in range(n):
            yield env.timeout(1)
    env = simpy.Environment()
    env.process(proc(env))
    t0 = time.perf_counter()
    env.run()
    return (time.perf_counter() - t0) / n


def replication_seconds(name: str, runs: int, seed: int = 1) -> tuple[float, float, int]:
    """Seconds per replication (as a batch runs them), seconds of its fixed cost (the
    replication's key and the first draw of every named slot, a block at a time as a batch draws
    them), and the number of slots."""
    c = compile_scenario(load(ROOT / "scenarios" / f"{name}.yaml").scenario)
    t0 = time.perf_counter()
    for _row in run_replications(c, seed, range(runs)):
        pass
    t1 = time.perf_counter()
    for a in range(0, runs, BLOCK):
        slot_draws_many(c.slot_keys, [replication_key(seed, i)
                                      for i in range(a, min(runs, a + BLOCK))])
    t2 = time.perf_counter()
    return (t1 - t0) / runs, (t2 - t1) / runs, c.n_slots


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = {}
    print(f"{'scenario':<28} {'reps/s':>9} {'us/rep':>8} {'bare-event units':>17} "
          f"{'fixed us/rep':>13} {'slots':>6}")
    for name in SCENARIOS:
        reps, units, fixed = [], [], []
        for _ in range(args.repeat):  # interleave the reference with each measurement
            bare = bare_event_seconds()
            per, fix, slots = replication_seconds(name, args.runs)
            reps.append(per)
            units.append(per / bare)
            fixed.append(fix)
        per, unit, fix = (statistics.median(reps), statistics.median(units),
                          statistics.median(fixed))
        results[name] = {"replications_per_second": 1 / per, "microseconds_per_replication":
                         per * 1e6, "bare_event_units": unit,
                         "fixed_microseconds_per_replication": fix * 1e6, "slots": slots,
                         "runs": args.runs, "repeat": args.repeat}
        print(f"{name:<28} {1 / per:9.0f} {per * 1e6:8.0f} {unit:17.0f} {fix * 1e6:13.1f} "
              f"{slots:6d}")
    print(f"bare SimPy timeout event: {bare_event_seconds() * 1e6:.2f} us")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
