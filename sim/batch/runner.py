"""Monte Carlo batches.

A batch is a list of replication indices; each worker builds the compiled scenario once (from the
validated, resolved data) and runs contiguous chunks. Rows are put back in replication order, so
the table is the same whatever the number of workers or the order chunks finish in.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

from sim.model.compiled import Compiled, compile_scenario
from sim.model.replication import run_replication

_WORKER: Compiled | None = None


def compile_data(data: dict) -> Compiled:
    """Validate resolved scenario data and compile it (what each worker does once)."""
    from sim.config.schema import Scenario
    return compile_scenario(Scenario.model_validate(data))


def _init_worker(data: dict) -> None:
    global _WORKER
    _WORKER = compile_data(data)


def _run_chunk(args: tuple[int, int, int]) -> list[tuple]:
    seed, start, stop = args
    c = _WORKER
    return [run_replication(c, seed, i)[0] for i in range(start, stop)]


MIN_CHUNK = 500  # replications per task: enough work to outweigh sending it to a process


def effective_workers(workers: int, runs: int, chunk_size: int | None = None) -> int:
    """Processes a batch really uses: no more than the cores, and one for a small batch."""
    workers = max(1, min(workers, os.cpu_count() or 1))
    return 1 if runs < 2 * (chunk_size or MIN_CHUNK) else workers


def chunks(runs: int, size: int) -> Iterable[tuple[int, int]]:
    for start in range(0, runs, size):
        yield start, min(runs, start + size)


def run_batch(data: dict, runs: int, seed: int, workers: int = 1,
              chunk_size: int | None = None) -> list[tuple]:
    """Run replications ``0..runs-1`` of the resolved scenario ``data``; rows in index order."""
    if runs < 0:
        raise ValueError("runs must not be negative")
    workers = effective_workers(workers, runs, chunk_size)
    if workers == 1:
        c = compile_data(data)
        return [run_replication(c, seed, i)[0] for i in range(runs)]
    size = chunk_size or max(MIN_CHUNK, runs // (workers * 8))
    rows: list[tuple] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(data,)) as pool:
        for part in pool.map(_run_chunk, [(seed, a, b) for a, b in chunks(runs, size)]):
            rows.extend(part)
    return rows
