"""A batch run into a run folder: streamed to Parquet parts, resumable, finished atomically.

Layout while a run is under way (or after it was interrupted)::

    DIR/parts/run.json                     scenario hash, root seed, runs, chunk size
    DIR/parts/part-000000000-000010000.parquet   replications [0, 10000), one per chunk

Each part is written to a temporary name and renamed when complete, and carries the scenario
hash and seed in its metadata, so a resume can trust (and verify) every part it finds. When all
replications are in, the parts are merged in replication order into ``DIR/outcomes.parquet``
(one part in memory at a time), the summary, manifest and figures are written beside it through
a temporary folder, and the parts are removed. Memory is bounded by the chunk size, not by the
number of replications.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from sim.errors import SimError

PARTS = "parts"
STATE = "run.json"
FORMAT = 1
_PART = re.compile(r"^part-(\d{9})-(\d{9})\.parquet$")
_META_KEY = b"straitsim.part"


class RunInterrupted(SimError):
    """Ctrl-C (or a dead worker) stopped the run; finished chunks are kept for ``--resume``."""

    def __init__(self, out: Path, done: int, runs: int, reason: str = "interrupted"):
        self.out, self.done, self.runs, self.reason = out, done, runs, reason
        super().__init__(f"{reason}: {done:,} of {runs:,} replications are saved in {out}")


@dataclass
class RunResult:
    out: Path
    manifest: dict
    summary: dict
    errors: int          # replications whose model raised (rows with status "error")
    reused: int          # replications taken from parts an earlier, interrupted run wrote
    wall_seconds: float  # this invocation only


def part_name(start: int, stop: int) -> str:
    return f"part-{start:09d}-{stop:09d}.parquet"


def _state(loaded, runs: int, seed: int, chunk_size: int) -> dict:
    return {"format": FORMAT, "scenario": loaded.scenario.name, "scenario_hash": loaded.hash,
            "root_seed": seed, "runs": runs, "chunk_size": chunk_size}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SimError(f"{path}: unreadable ({exc})") from None


def _check_same(out: Path, recorded: dict, loaded, seed: int) -> None:
    """Refuse to resume with another scenario or seed: the parts would not belong together."""
    if recorded.get("scenario_hash") != loaded.hash:
        raise SimError(f"--resume {out}: that run used another scenario (hash "
                       f"{str(recorded.get('scenario_hash'))[:12]}, this one "
                       f"{loaded.hash[:12]}); give the same file and --set values")
    if recorded.get("root_seed") != seed:
        raise SimError(f"--resume {out}: that run used --seed {recorded.get('root_seed')}, "
                       f"not {seed}")


def _valid_parts(parts: Path, loaded, seed: int, runs: int) -> dict[int, int]:
    """start -> stop of every complete, matching part inside [0, runs); others are removed."""
    import pyarrow.parquet as pq

    found: dict[int, int] = {}
    for p in sorted(parts.iterdir()):
        m = _PART.match(p.name)
        if not m:
            if p.name.startswith(".") and p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)  # a write that Ctrl-C cut short
            continue
        start, stop = int(m[1]), int(m[2])
        try:
            md = pq.read_metadata(p)
            meta = json.loads((md.metadata or {}).get(_META_KEY, b"{}"))
            ok = (md.num_rows == stop - start and meta.get("scenario_hash") == loaded.hash
                  and meta.get("root_seed") == seed)
        except Exception:  # noqa: BLE001 - any unreadable part is simply redone
            ok = False
        overlaps = any(a < stop and start < b for a, b in found.items())
        if ok and stop <= runs and not overlaps:
            found[start] = stop
        elif not ok:
            p.unlink(missing_ok=True)
    return found


def _missing(done: dict[int, int], runs: int, size: int) -> list[tuple[int, int]]:
    """Chunks covering [0, runs) minus the ranges already done."""
    from sim.batch.runner import ranges

    gaps, at = [], 0
    for start in sorted(done):
        if start > at:
            gaps.append((at, start))
        at = max(at, done[start])
    if at < runs:
        gaps.append((at, runs))
    return [r for a, b in gaps for r in ranges(a, b, size)]


def _write_part(parts: Path, start: int, rows: list[tuple], meta: bytes) -> int:
    """Write one chunk atomically; return how many of its replications errored."""
    import pyarrow.parquet as pq

    from sim.results.table import to_table

    table = to_table(rows)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META_KEY: meta})
    name = part_name(start, start + len(rows))
    tmp = parts / f".{name}.tmp"
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, parts / name)
    except BaseException:  # Ctrl-C mid-write included: leave no half-written file behind
        tmp.unlink(missing_ok=True)
        raise
    return sum(1 for r in rows if r[-2] == "error")


def _merge(parts: Path, done: dict[int, int], dest: Path) -> int:
    """Concatenate the parts in replication order into one Parquet file (a row group each)."""
    import pyarrow.parquet as pq

    from sim.results.table import SCHEMA, schema_for

    n = 0
    first = [parts / part_name(s, done[s]) for s in sorted(done)][:1]
    schema = schema_for(pq.read_schema(first[0]).names) if first else SCHEMA
    with pq.ParquetWriter(dest, schema) as writer:
        for start in sorted(done):
            t = pq.read_table(parts / part_name(start, done[start]), schema=schema)
            if t.column("replication")[0].as_py() != n:
                raise SimError(f"{parts}: replications {n}.. are missing")
            writer.write_table(t)
            n += t.num_rows
    return n


def summary_table(path: Path):
    """The columns summaries and the run's figures read (a million rows fit in memory this way);
    ``summarize`` counts the error rows and leaves them out of the shares."""
    import pyarrow.parquet as pq

    from sim.results.summary import COLUMNS_USED

    present = set(pq.read_schema(path).names)  # a scenario has only its processes' columns
    return pq.read_table(path, columns=[c for c in dict.fromkeys([*COLUMNS_USED, "status"])
                                        if c in present])


def run_to_folder(loaded, runs: int, seed: int, out: Path, *, executor=None,
                  resume: bool = False, chunk_size: int | None = None,
                  progress: bool = False, plots: bool = True,
                  overrides: Sequence[str] = (),
                  on_chunk: Callable[[int], None] | None = None) -> RunResult:
    """Run replications ``0..runs-1`` of ``loaded`` into the run folder ``out``.

    ``executor``: an entered executor (:func:`sim.batch.executors.open_executor`); default runs
    in this process. ``resume``: reuse the verified parts an interrupted run left in ``out``.
    ``on_chunk(n)`` is called after each chunk is saved (tests use it to interrupt a run).
    Raises :class:`RunInterrupted` on Ctrl-C or a dead worker, keeping finished parts.
    """
    return run_parts(loaded, runs, seed, out, executor=executor, resume=resume,
                     chunk_size=chunk_size, progress=progress, plots=plots,
                     overrides=overrides, on_chunk=on_chunk).finish()


@dataclass
class PendingRun:
    """Every part of a run is saved; :meth:`finish` merges and summarises them. Kept apart so
    a caller can close its workers first (a million-row summary then has the memory alone)."""
    args: tuple

    def finish(self) -> RunResult:
        return _finish(*self.args)


def run_parts(loaded, runs: int, seed: int, out: Path, *, executor=None,
              resume: bool = False, chunk_size: int | None = None,
              progress: bool = False, plots: bool = True,
              overrides: Sequence[str] = (),
              on_chunk: Callable[[int], None] | None = None) -> PendingRun:
    """The first half of :func:`run_to_folder`: run and save the missing chunks."""
    from sim.batch.executors import ExecutorError, SerialExecutor
    from sim.results.rundir import write_json_atomic
    from sim.batch.runner import Chunk, chunk_size_for, data_key, run_chunk

    out = Path(out)
    ex = executor or SerialExecutor()
    if out.exists() and not out.is_dir():
        raise SimError(f"{out}: output path exists and is not a folder")
    parts = out / PARTS
    state_path = parts / STATE
    recorded = _read_json(state_path) if state_path.exists() else None
    if resume:
        if not out.is_dir():
            raise SimError(f"--resume {out}: no such run folder")
        if recorded is None:
            if (out / "manifest.json").exists():
                m = _read_json(out / "manifest.json")
                _check_same(out, m, loaded, seed)
                if m.get("runs") == runs:
                    raise SimError(f"--resume {out}: that run is already complete ({runs:,} "
                                   f"replications)")
                raise SimError(f"--resume {out}: that run is complete with "
                               f"{m.get('runs')} replications; start a new run for {runs:,}")
            raise SimError(f"--resume {out}: not a straitsim run folder (no {PARTS}/{STATE})")
        _check_same(out, recorded, loaded, seed)
    elif recorded is not None:
        raise SimError(f"{out} holds an unfinished run: finish it with --resume {out}, or "
                       f"choose another --out")

    size = chunk_size or (recorded or {}).get("chunk_size") or chunk_size_for(runs, ex.workers)
    parts.mkdir(parents=True, exist_ok=True)
    write_json_atomic(state_path, _state(loaded, runs, seed, size))
    done = _valid_parts(parts, loaded, seed, runs)
    reused = sum(b - a for a, b in done.items())
    todo = _missing(done, runs, size)
    key = data_key(loaded.data)
    meta = json.dumps({"scenario_hash": loaded.hash, "root_seed": seed}).encode()
    tasks = [Chunk(key, loaded.data, seed, a, b) for a, b in todo]

    from sim.batch.progress import progress_bar

    t0 = time.perf_counter()
    saved = reused
    try:
        with progress_bar(runs, reused, progress, loaded.scenario.name) as advance:
            for i, rows in ex.map_unordered(run_chunk, tasks):
                start = tasks[i].start
                _write_part(parts, start, rows, meta)
                done[start] = start + len(rows)
                saved += len(rows)
                advance(len(rows))
                if on_chunk is not None:
                    on_chunk(saved)
    except KeyboardInterrupt:
        raise RunInterrupted(out, saved, runs) from None
    except ExecutorError as exc:
        raise RunInterrupted(out, saved, runs, str(exc)) from None
    wall = time.perf_counter() - t0
    return PendingRun((loaded, runs, seed, out, done, ex.describe(), ex.workers, size, reused,
                       wall, plots, overrides))


def _finish(loaded, runs, seed, out, done, executor, workers, size, reused, wall, plots,
            overrides) -> RunResult:
    """Merge parts, summarise, write manifest and figures into ``out`` atomically."""
    import tempfile

    from sim.results.summary import summarize
    from sim.results.table import versions

    parts = out / PARTS
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; a run folder should not be
    try:
        n = _merge(parts, done, tmp / "outcomes.parquet")
        if n != runs:
            raise SimError(f"{parts}: {n} replications found, expected {runs}")
        table = summary_table(tmp / "outcomes.parquet")
        summary = summarize(table)
        errors = summary["errors"]
        new = runs - reused
        manifest = {
            "scenario": loaded.scenario.name, "title": loaded.scenario.title,
            "files": list(loaded.files), "overrides": list(overrides),
            "scenario_hash": loaded.hash, "root_seed": seed, "runs": runs, "errors": errors,
            "executor": executor, "workers": workers, "chunk_size": size,
            "parts": len(done), "resumed_replications": reused,
            "wall_seconds": round(wall, 3),
            "replications_per_second": round(new / wall, 1) if wall > 0 and new else None,
            "seeding": "replication i draws from streams keyed by (root_seed, i, stream name); sim.model.streams",
            "versions": versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "summary": summary, "resolved_scenario": loaded.data,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        if plots:  # PNG only; `straitsim figures DIR` redraws them, SVG too, from the table
            from sim.plots.figures import write_run_figures
            write_run_figures(table, summary, loaded.scenario.name, tmp, formats=("png",))
        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(tmp.iterdir(), key=lambda f: f.name == "manifest.json"):
            os.replace(f, out / f.name)  # the manifest last: it marks the run as complete
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(parts, ignore_errors=True)
    return RunResult(out, manifest, summary, errors, reused, wall)
