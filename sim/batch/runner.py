"""Monte Carlo batches: chunks of replications run as tasks on an executor.

A chunk task carries the resolved scenario data, the root seed and a replication range. A worker
compiles each scenario once (cached by the scenario's hash) and runs the range. Replication i
depends only on (scenario, root seed, i), so the table is the same whatever the executor, the
number of workers, the chunk size or the order chunks finish in.

A replication whose model raises becomes an error row (``status == "error"``): one bad draw must
not throw away a long batch.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from dataclasses import dataclass
from typing import Iterable, Iterator

from sim.model.compiled import Compiled, compile_scenario

MIN_CHUNK = 500       # replications per task: enough work to outweigh sending it to a process
MAX_CHUNK = 10_000    # ...and few enough that memory stays small and resume loses little
TASKS_PER_WORKER = 32  # small tasks: the last one leaves the other workers idle only briefly


def data_key(data: dict) -> str:
    """A stable hash of resolved scenario data (the worker-side compile cache key)."""
    blob = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def compile_data(data: dict) -> Compiled:
    """Validate resolved scenario data and compile it (what each worker does once)."""
    from sim.config.schema import Scenario
    return compile_scenario(Scenario.model_validate(data))


_COMPILED: dict[str, Compiled] = {}  # per worker process: scenario hash -> compiled scenario


def _compiled(key: str, data: dict) -> Compiled:
    c = _COMPILED.get(key)
    if c is None:
        if len(_COMPILED) >= 8:  # a sweep sends many scenarios; keep the cache small
            _COMPILED.pop(next(iter(_COMPILED)))
        c = _COMPILED[key] = compile_data(data)
    return c


@dataclass(frozen=True)
class Chunk:
    """Replications ``start..stop-1`` of one scenario under one root seed (a picklable task)."""
    key: str
    data: dict
    seed: int
    start: int
    stop: int


def run_chunk(chunk: Chunk) -> list[tuple]:
    """Run one chunk; rows in replication order. Model failures become error rows."""
    from sim.model.replication import run_replications

    c = _compiled(chunk.key, chunk.data)
    return list(run_replications(c, chunk.seed, range(chunk.start, chunk.stop), errors=True))


def run_chunk_weekly(chunk: Chunk):
    """Run one chunk as :func:`run_chunk` does and also gather its weekly rows; return
    ``(rows, weekly)``, ``weekly`` a ``sim.results.weekly.WeeklyBuffer`` (``.table()`` is its
    Arrow table). A replication whose model raises is an error row with no weekly rows."""
    from sim.model.outcome import error_row, weekly_columns
    from sim.model.replication import run_replications_weekly
    from sim.results.weekly import WeeklyBuffer

    c = _compiled(chunk.key, chunk.data)
    weekly = WeeklyBuffer(weekly_columns(c))
    rows = []
    for i, (row, week_rows) in zip(range(chunk.start, chunk.stop), run_replications_weekly(
            c, chunk.seed, range(chunk.start, chunk.stop), errors=True)):
        if week_rows is not None:  # None: the model raised, ``row`` is its error row
            try:
                weekly.add(week_rows)  # all or nothing: a bad value adds none of the rows
            except Exception as exc:  # noqa: BLE001 - recorded in the row, counted in the summary
                row = error_row(i, exc, c.column_names)
        rows.append(row)
    return rows, weekly


def packed(fn, chunk: Chunk):
    """``fn(chunk)`` with its rows as ``PackedRows`` (a weekly buffer, if any, as it is): what
    a batch sends back from a worker."""
    result = fn(chunk)
    if isinstance(result, tuple):  # run_chunk_weekly: (rows, weekly buffer)
        return PackedRows(result[0]), result[1]
    return PackedRows(result)


_TYPECODES = {"int": "q", "float": "d", "bool": "b"}


class PackedRows:
    """A chunk's rows as columns, for the trip from a worker to the parent: each number column
    a typed array (8 bytes a value, 1 a flag) with a null mask when it holds None, each text
    column a list. A 10,000-replication blockade chunk held as rows is some 40 MB of Python
    objects in the parent; packed, the parent builds its Arrow table straight from the
    buffers. The worker never loads Arrow (tens of MB per process). :meth:`table` is exactly
    ``sim.results.table.to_table(rows)``: a column that does not pack as its kind (a float in
    an int column, say) travels as a list and is converted as before."""

    def __init__(self, rows):
        from sim.model.outcome import COLUMNS
        kinds = {name: kind for name, kind, _ in COLUMNS}
        self.names = rows[0].columns if rows else ()
        self.n = len(rows)
        self.cols = [_pack(_TYPECODES.get(kinds.get(name, "")), values)
                     for name, values in zip(self.names, zip(*rows))]

    def __len__(self) -> int:
        return self.n

    def table(self):
        """The Arrow table of the rows (the schema of ``sim.results.table.to_table``)."""
        import numpy as np
        import pyarrow as pa

        from sim.results.table import schema_for, values_array
        schema = schema_for(self.names)
        arrays = []
        for field, col in zip(schema, self.cols):
            if isinstance(col, list):  # text, or a column that did not pack
                arrays.append(values_array(col, field))
                continue
            buf, nulls = col
            x = np.frombuffer(buf, dtype=_DTYPES[buf.typecode])  # a chunk has rows
            arrays.append(pa.array(x, type=field.type, mask=None if nulls is None
                                   else np.frombuffer(nulls, dtype=bool)))
        return pa.Table.from_arrays(arrays, schema=schema)


_DTYPES = {"q": "int64", "d": "float64", "b": "bool"}  # "b" holds 0 or 1: read as bool
# The Python types a number column packs: anything else (a numpy scalar, a float in an int
# column) travels as values, so Arrow converts or refuses it as it would from the rows.
_PACKS = {"q": {int}, "d": {float, int}, "b": {bool}}


def _pack(code: str | None, values: tuple):
    """``(typed array, null mask bytes or None)`` for a number column, else the values as a
    list (text, or values not all of the column's kind)."""
    if code is None:
        return list(values)
    types = set(map(type, values))
    nulls = type(None) in types
    if not types - {type(None)} <= _PACKS[code]:
        return list(values)
    try:
        if not nulls:
            return array(code, values), None
        return (array(code, [0 if v is None else v for v in values]),
                bytes(v is None for v in values))
    except OverflowError:  # an int beyond 64 bits: Arrow says so, as from the rows
        return list(values)


def with_draws(fn, chunk: Chunk):
    """``(fn(chunk), draws)``: a chunk task's result and its replications' draw columns (name ->
    float64 array, ``sim.model.draws``), computed from the same named streams outside the
    runs, so ``fn``'s rows are what they are without them."""
    from sim.model.draws import chunk_draws
    return fn(chunk), chunk_draws(_compiled(chunk.key, chunk.data), chunk.seed, chunk.start,
                                  chunk.stop)


def chunk_size_for(runs: int, workers: int) -> int:
    """Default replications per task: about ``TASKS_PER_WORKER`` tasks per worker, within
    [MIN_CHUNK, MAX_CHUNK]."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-runs // (max(1, workers) * TASKS_PER_WORKER))))


def ranges(start: int, stop: int, size: int) -> Iterable[tuple[int, int]]:
    for a in range(start, stop, size):
        yield a, min(stop, a + size)


def iter_batch(data: dict, runs: int, seed: int, executor=None,
               chunk_size: int | None = None) -> Iterator[tuple[int, list[tuple]]]:
    """Yield ``(start, rows)`` per finished chunk, in completion order."""
    from sim.batch.executors import SerialExecutor

    ex = executor or SerialExecutor()
    size = chunk_size or chunk_size_for(runs, ex.workers)
    key = data_key(data)
    tasks = [Chunk(key, data, seed, a, b) for a, b in ranges(0, runs, size)]
    for i, rows in ex.map_unordered(run_chunk, tasks):
        yield tasks[i].start, rows


def run_batch(data: dict, runs: int, seed: int, workers: int = 1,
              chunk_size: int | None = None, executor=None) -> list[tuple]:
    """Run replications ``0..runs-1`` of the resolved scenario ``data`` and return the rows in
    index order (in memory: for big batches use :func:`sim.batch.execute.run_to_folder`).

    ``executor``: an entered executor from :func:`sim.batch.executors.open_executor`; without
    one, ``workers`` local processes are used for the call.
    """
    if runs < 0:
        raise ValueError("runs must not be negative")
    if executor is None:
        from sim.batch.executors import open_executor
        with open_executor("local", workers if runs >= 2 * MIN_CHUNK else 1) as ex:
            return run_batch(data, runs, seed, chunk_size=chunk_size, executor=ex)
    parts = dict(iter_batch(data, runs, seed, executor, chunk_size))
    return [row for start in sorted(parts) for row in parts[start]]
