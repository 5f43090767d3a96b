"""A batch run into a run folder: streamed to Parquet parts, resumable, finished atomically.

Layout while a run is under way (or after it was interrupted)::

    DIR/.straitsim.lock                    flock held for the run's life (see sim.batch.claim)
    DIR/parts/run.json                     scenario hash, root seed, runs, chunk size, versions
    DIR/parts/part-000000000-000010000.parquet   replications [0, 10000), one per chunk
    DIR/parts/part-000000000-000010000.sha256    its SHA-256, rows, scenario, seed and model
    DIR/parts/weekly-000000000-000010000.parquet those replications' weekly rows (and .sha256)

Each part is written to a temporary name and renamed when complete; its sidecar records the
part's SHA-256 (a file cannot hold its own hash), the scenario hash and seed, the straitsim
version and a fingerprint of the model's source. A resume re-hashes every part and redoes any
that does not match, and refuses parts another model version wrote: they would not compute the
same replications. When all replications are in, the parts are merged in replication order
into ``DIR/outcomes.parquet`` (one part in memory at a time), the summary, manifest and figures
are written through ``DIR/.merge.tmp-*`` and moved in (the manifest last), and the parts are
removed. Memory is bounded by the chunk size, not by the number of replications.

The weekly table (``weekly.parquet``, ``sim.results.weekly``) travels the same way: a chunk's
weekly rows are a part of their own, written before the chunk's main part; a chunk counts as
done only when both are sound, and they are merged in replication order beside the main table.
It is written when a used process has weekly columns and the run asks for it, by default up to
``WEEKLY_DEFAULT_MAX_RUNS`` replications (:func:`weekly_on`).

Each replication's drawn values (``draw.*`` columns, ``sim.model.draws``) travel the same way
as ``draws-*`` parts, by default up to ``DRAWS_DEFAULT_MAX_RUNS`` replications
(:func:`draws_on`), and are joined column-wise to the main table at the merge.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from sim.batch.claim import PARTS, STATE, Claim, WriteFailed, claim, remove_parts
from sim.errors import SimError

FORMAT = 2
_PART = re.compile(r"^(part|weekly|draws)-(\d{9})-(\d{9})\.parquet$")
_SIDECAR = re.compile(r"^(part|weekly|draws)-(\d{9})-(\d{9})\.sha256$")
# Above this many replications the weekly table is written only when asked for (``--weekly``):
# a million replications of a year of weeks is some 50 million rows to write and summarise.
WEEKLY_DEFAULT_MAX_RUNS = 100_000


def weekly_on(runs: int, asked: bool | None) -> bool:
    """Whether a run of ``runs`` replications writes the weekly table: as ``asked``
    (``--weekly``/``--no-weekly``), by default up to ``WEEKLY_DEFAULT_MAX_RUNS``."""
    return runs <= WEEKLY_DEFAULT_MAX_RUNS if asked is None else bool(asked)


# Above this many replications the draw columns are written only when asked for (``--draws``):
# some hundred float columns a replication would make a million-row table ten times larger.
DRAWS_DEFAULT_MAX_RUNS = 100_000


def draws_on(runs: int, asked: bool | None) -> bool:
    """Whether a run of ``runs`` replications writes the ``draw.*`` columns: as ``asked``
    (``--draws``/``--no-draws``), by default up to ``DRAWS_DEFAULT_MAX_RUNS``."""
    return runs <= DRAWS_DEFAULT_MAX_RUNS if asked is None else bool(asked)
_META_KEY = b"straitsim.part"


class RunInterrupted(SimError):
    """Ctrl-C (or a dead worker, or a failed write) stopped the run; finished chunks are kept
    for ``--resume``."""

    def __init__(self, out: Path, done: int, runs: int, reason: str = "interrupted"):
        self.out, self.done, self.runs, self.reason = out, done, runs, reason
        super().__init__(f"{reason}: {done:,} of {runs:,} replications are saved in {out}")


class RunWriteFailed(RunInterrupted):
    """The disk refused a write mid-run: the reason is ``cannot write PATH: why``."""


@dataclass
class RunResult:
    out: Path
    manifest: dict
    summary: dict
    errors: int          # replications whose model raised (rows with status "error")
    reused: int          # replications taken from parts an earlier, interrupted run wrote
    wall_seconds: float  # this invocation only


def part_name(start: int, stop: int, kind: str = "part") -> str:
    """A part's file name; ``kind`` is ``part`` (the main table) or ``weekly``."""
    return f"{kind}-{start:09d}-{stop:09d}.parquet"


def sidecar_name(start: int, stop: int, kind: str = "part") -> str:
    return f"{kind}-{start:09d}-{stop:09d}.sha256"


@functools.cache
def model_fingerprint() -> str:
    """SHA-256 of the model package's source files (computed once per process): parts written
    by another model may compute other replications, so a resume must not mix them."""
    import sim.model

    root = Path(sim.model.__file__).parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def _version() -> str:
    from sim import __version__
    return __version__


def _state(loaded, runs: int, seed: int, chunk_size: int, weekly: bool = False,
           draws: bool = False) -> dict:
    return {"format": FORMAT, "scenario": loaded.scenario.name, "scenario_hash": loaded.hash,
            "root_seed": seed, "runs": runs, "chunk_size": chunk_size, "weekly": weekly,
            "draws": draws, "straitsim": _version(), "model": model_fingerprint()}


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SimError(f"{path}: unreadable ({exc}); start over with --force") from None
    if not isinstance(data, dict):
        raise SimError(f"{path}: unreadable (not a JSON object); start over with --force")
    return data


def _check_model(where: str, recorded: dict) -> None:
    """Refuse parts another straitsim or model wrote."""
    if recorded.get("straitsim") != _version() or recorded.get("model") != model_fingerprint():
        raise SimError(f"{where}: written by straitsim {recorded.get('straitsim', '(older)')} "
                       f"with model {str(recorded.get('model'))[:12]}, this is straitsim "
                       f"{_version()} with model {model_fingerprint()[:12]}; its replications "
                       f"would not match, so start over with --force")


def _check_same(out: Path, recorded: dict, loaded, seed: int) -> None:
    """Refuse to resume with another scenario or seed: the parts would not belong together."""
    if recorded.get("scenario_hash") != loaded.hash:
        raise SimError(f"--resume {out}: that run used another scenario (hash "
                       f"{str(recorded.get('scenario_hash'))[:12]}, this one "
                       f"{loaded.hash[:12]}); give the same file and --set values")
    if recorded.get("root_seed") != seed:
        raise SimError(f"--resume {out}: that run used --seed {recorded.get('root_seed')}, "
                       f"not {seed}")


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _sidecar(loaded, seed: int, rows: int, digest: str) -> dict:
    return {"sha256": digest, "rows": rows, "scenario_hash": loaded.hash, "root_seed": seed,
            "straitsim": _version(), "model": model_fingerprint()}


def _part_ok(p: Path, start: int, stop: int, loaded, seed: int, kind: str = "part") -> bool:
    """Whether part ``p`` is exactly what its sidecar recorded for this scenario and seed."""
    try:
        side = json.loads((p.parent / sidecar_name(start, stop, kind)).read_text(
            encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    covers = "rows" if kind == "part" else "replications"  # a weekly part has a row per week
    if not isinstance(side, dict) or side.get(covers) != stop - start \
            or side.get("scenario_hash") != loaded.hash or side.get("root_seed") != seed:
        return False
    _check_model(f"--resume: {p}", side)
    return side.get("sha256") == _sha256(p)


def _valid_parts(parts: Path, loaded, seed: int, runs: int,
                 kind: str = "part") -> dict[int, int]:
    """start -> stop of every complete, matching part of ``kind`` inside [0, runs); others are
    removed."""
    found: dict[int, int] = {}
    for p in sorted(parts.iterdir()):
        m = _PART.match(p.name)
        if not m:
            s = _SIDECAR.match(p.name)
            if p.name.startswith(".") and p.name.endswith(".tmp") and p.is_file():
                p.unlink(missing_ok=True)  # a write that Ctrl-C cut short
            elif s and not (parts / part_name(int(s[2]), int(s[3]), s[1])).exists() \
                    and p.is_file():
                p.unlink(missing_ok=True)  # its part was never renamed into place
            continue
        if m[1] != kind:
            continue
        if p.is_dir() or not p.is_file():
            raise SimError(f"{p}: a folder (or other non-file) where a part file should be; "
                           f"move it away and resume again")
        start, stop = int(m[2]), int(m[3])
        ok = _part_ok(p, start, stop, loaded, seed, kind)
        overlaps = any(a < stop and start < b for a, b in found.items())
        if ok and stop <= runs and not overlaps:
            found[start] = stop
        elif not ok:
            _remove_part(parts, start, stop, kind)
    return found


def _remove_part(parts: Path, start: int, stop: int, kind: str) -> None:
    (parts / part_name(start, stop, kind)).unlink(missing_ok=True)
    (parts / sidecar_name(start, stop, kind)).unlink(missing_ok=True)


def _done_chunks(parts: Path, loaded, seed: int, runs: int, weekly: bool,
                 draws: bool = False) -> dict[int, int]:
    """The chunks already done: a sound main part and, when the run writes the weekly table
    (the draw columns), a sound weekly (draws) part for the same replications. Parts without
    their partner are removed, so their chunk is run again."""
    main = _valid_parts(parts, loaded, seed, runs)
    found = {"part": main}
    for kind, wanted in (("weekly", weekly), ("draws", draws)):
        if wanted:
            found[kind] = _valid_parts(parts, loaded, seed, runs, kind)
            continue
        for p in parts.iterdir():  # a run resumed with --no-weekly (--no-draws): not wanted
            m = _PART.match(p.name) or _SIDECAR.match(p.name)
            if m and m[1] == kind and p.is_file():
                p.unlink(missing_ok=True)
    done = {a: b for a, b in main.items() if all(f.get(a) == b for f in found.values())}
    for kind, f in found.items():
        for a, b in f.items():
            if done.get(a) != b:
                _remove_part(parts, a, b, kind)
    return done


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


def _write_part(parts: Path, start: int, table, meta: bytes, side: dict) -> None:
    """Write one chunk's table (from ``runner.PackedRows``) and its sidecar atomically. A write
    the disk refuses raises :class:`WriteFailed` naming the part."""
    _write_table(parts, start, start + table.num_rows, "part", table, meta, side)


def _write_table(parts: Path, start: int, stop: int, kind: str, table, meta: bytes,
                 side: dict) -> None:
    """Write a part (``kind`` part or weekly) and then its sidecar, each atomically."""
    import pyarrow.parquet as pq

    from sim.results.rundir import write_json_atomic

    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META_KEY: meta})
    name = part_name(start, stop, kind)
    tmp = parts / f".{name}.tmp"
    try:
        # random draws have no repeated values to find: a dictionary would only add to them
        pq.write_table(table, tmp, use_dictionary=kind != "draws")
        digest = _sha256(tmp)
        os.replace(tmp, parts / name)
        write_json_atomic(parts / sidecar_name(start, stop, kind), {**side, "sha256": digest})
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        (parts / name).unlink(missing_ok=True)  # no part without its sidecar
        raise WriteFailed(parts / name, exc) from None
    except BaseException:  # Ctrl-C mid-write included: leave no half-written file behind
        tmp.unlink(missing_ok=True)
        raise


def _merge(parts: Path, done: dict[int, int], dest: Path, draws: bool = False) -> int:
    """Concatenate the parts in replication order into one Parquet file (a row group each),
    with each chunk's draw columns joined on the right when the run has them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.results.table import SCHEMA, schema_for

    n = 0
    starts = sorted(done)
    main = schema_for(pq.read_schema(parts / part_name(starts[0], done[starts[0]])).names) \
        if starts else SCHEMA
    drawn = (pq.read_schema(parts / part_name(starts[0], done[starts[0]], "draws"))
             .remove_metadata() if draws and starts else None)
    schema = pa.schema(list(main) + list(drawn)) if drawn is not None else main
    with pq.ParquetWriter(dest, schema, use_dictionary=main.names) as writer:
        for start in starts:
            t = pq.read_table(parts / part_name(start, done[start]), schema=main)
            if t.column("replication")[0].as_py() != n:
                raise SimError(f"{parts}: replications {n}.. are missing")
            if drawn is not None:
                d = pq.read_table(parts / part_name(start, done[start], "draws"), schema=drawn)
                if d.num_rows != t.num_rows:
                    raise SimError(f"{parts}: the draws of replications {start}.. hold "
                                   f"{d.num_rows} rows, expected {t.num_rows}")
                t = pa.Table.from_arrays(t.columns + d.columns, schema=schema)
            writer.write_table(t)
            n += t.num_rows
    return n


def _write_draws(parts: Path, start: int, stop: int, drawn: dict, meta: bytes,
                 side: dict) -> None:
    """Write one chunk's draw columns (name -> float64 array) as its ``draws`` part."""
    import pyarrow as pa

    from sim.results.table import draw_field

    table = pa.Table.from_arrays([pa.array(v, pa.float64()) for v in drawn.values()],
                                 schema=pa.schema([draw_field(n) for n in drawn]))
    if table.num_rows != stop - start:
        raise SimError(f"draws of replications {start}..{stop - 1}: {table.num_rows} rows")
    _write_table(parts, start, stop, "draws", table, meta,
                 {**side, "replications": stop - start, "rows": stop - start})


def _draw_count(path: Path) -> int:
    import pyarrow.parquet as pq

    from sim.model.draws import PREFIX
    return sum(1 for n in pq.read_schema(path).names if n.startswith(PREFIX))


def _merge_weekly(parts: Path, done: dict[int, int], dest: Path) -> int:
    """Concatenate the weekly parts in replication order into one Parquet file, one part in
    memory at a time; return its rows."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    names = [(s, done[s], parts / part_name(s, done[s], "weekly")) for s in sorted(done)]
    schema = pq.read_schema(names[0][2]).remove_metadata() if names else None
    n = 0
    with pq.ParquetWriter(dest, schema) as writer:
        for start, stop, path in names:
            t = pq.read_table(path, schema=schema)
            if t.num_rows:
                lo, hi = pc.min_max(t.column("replication")).values()
                if lo.as_py() < start or hi.as_py() >= stop:
                    raise SimError(f"{path}: holds replications {lo}..{hi}, outside "
                                   f"{start}..{stop - 1}")
            writer.write_table(t)
            n += t.num_rows
    return n


def summary_table(path: Path):
    """The columns summaries and the run's figures read, one column at a time as they ask
    (``ColumnFile``): a million-row table with every column would not fit the memory target;
    ``summarize`` counts the error rows and leaves them out of the shares."""
    import pyarrow.parquet as pq

    from sim.results.summary import COLUMNS_USED, quantity_columns
    from sim.results.table import ColumnFile

    names = pq.read_schema(path).names
    return ColumnFile(path, keep=[*COLUMNS_USED, *quantity_columns(names), "status"])


def run_to_folder(loaded, runs: int, seed: int, out: Path, *, executor=None,
                  resume: bool = False, force: bool = False, chunk_size: int | None = None,
                  progress: bool = False, plots: bool = True,
                  overrides: Sequence[str] = (), weekly: bool | None = None,
                  on_chunk: Callable[[int], None] | None = None,
                  draws: bool | None = None) -> RunResult:
    """Run replications ``0..runs-1`` of ``loaded`` into the run folder ``out``.

    ``executor``: an entered executor (:func:`sim.batch.executors.open_executor`); default runs
    in this process. ``resume``: reuse the verified parts an interrupted run left in ``out``.
    ``force``: replace the finished (or unfinished) run in ``out``; a folder that is not a run
    folder is refused all the same. ``weekly``: write ``weekly.parquet`` (None: by size, see
    :func:`weekly_on`; on a resume, as the interrupted run did); ``draws``: likewise the
    ``draw.*`` columns (:func:`draws_on`). ``on_chunk(n)`` is called
    after each chunk is saved (tests use it to interrupt a run). Raises
    :class:`RunInterrupted` on Ctrl-C, a dead worker or a failed write, keeping finished parts.
    """
    return run_parts(loaded, runs, seed, out, executor=executor, resume=resume, force=force,
                     chunk_size=chunk_size, progress=progress, plots=plots,
                     overrides=overrides, weekly=weekly, on_chunk=on_chunk,
                     draws=draws).finish()


@dataclass
class PendingRun:
    """Every part of a run is saved; :meth:`finish` merges and summarises them. Kept apart so
    a caller can close its workers first (a million-row summary then has the memory alone).
    The folder stays locked until :meth:`finish` returns."""
    args: tuple
    held: Claim

    def finish(self) -> RunResult:
        try:
            return _finish(*self.args)
        finally:
            self.held.release()


def run_parts(loaded, runs: int, seed: int, out: Path, *, executor=None,
              resume: bool = False, force: bool = False, chunk_size: int | None = None,
              progress: bool = False, plots: bool = True,
              overrides: Sequence[str] = (), weekly: bool | None = None,
              on_chunk: Callable[[int], None] | None = None,
              draws: bool | None = None) -> PendingRun:
    """The first half of :func:`run_to_folder`: claim the folder, run and save the missing
    chunks."""
    out = Path(out)
    held = claim(out, resume=resume, force=force)
    try:
        return _run_parts(held, loaded, runs, seed, out, executor, resume, chunk_size,
                          progress, plots, overrides, weekly, on_chunk, draws)
    except BaseException:
        held.release()
        raise


def has_weekly_columns(loaded) -> bool:
    """Whether a process the scenario uses has a per-week series (compiled here once: cheap
    beside a batch)."""
    from sim.model.compiled import compile_scenario
    return any(P.weekly_columns for P in compile_scenario(loaded.scenario).processes)


def _run_parts(held, loaded, runs, seed, out, executor, resume, chunk_size, progress, plots,
               overrides, weekly, on_chunk, draws=None) -> PendingRun:
    from sim.batch.executors import ExecutorError, SerialExecutor
    from sim.batch.runner import (Chunk, chunk_size_for, data_key, packed, run_chunk,
                                  run_chunk_weekly, with_draws)
    from sim.results.rundir import write_json_atomic

    ex = executor or SerialExecutor()
    parts = out / PARTS
    state_path = parts / STATE
    if resume:
        if held.kind == "finished":
            m = _read_json(out / "manifest.json")
            _check_same(out, m, loaded, seed)
            if m.get("runs") == runs:
                raise SimError(f"--resume {out}: that run is already complete ({runs:,} "
                               f"replications)")
            raise SimError(f"--resume {out}: that run is complete with "
                           f"{m.get('runs')} replications; start a new run for {runs:,}")
        recorded = _read_json(state_path)
        _check_same(out, recorded, loaded, seed)
        _check_model(f"--resume {out}", recorded)
    else:
        recorded = None

    if weekly is None and recorded is not None:  # a resume goes on as the run began
        weekly = bool(recorded.get("weekly", False))
    weekly = weekly_on(runs, weekly) and has_weekly_columns(loaded)
    if draws is None and recorded is not None:
        draws = bool(recorded.get("draws", False))
    draws = draws_on(runs, draws)
    size = chunk_size or (recorded or {}).get("chunk_size") or chunk_size_for(runs, ex.workers)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise SimError(f"{state_path}: chunk_size {size!r} is not a positive whole number; "
                       f"start over with --force")
    try:
        parts.mkdir(parents=True, exist_ok=True)
        write_json_atomic(state_path, _state(loaded, runs, seed, size, weekly, draws))
        done = _done_chunks(parts, loaded, seed, runs, weekly, draws)
    except OSError as exc:
        raise RunWriteFailed(out, 0, runs, str(WriteFailed(exc.filename or state_path, exc))) \
            from None
    reused = sum(b - a for a, b in done.items())
    todo = _missing(done, runs, size)
    key = data_key(loaded.data)
    side = _sidecar(loaded, seed, 0, "")
    meta = json.dumps({k: v for k, v in side.items() if k not in ("sha256", "rows")}).encode()
    tasks = [Chunk(key, loaded.data, seed, a, b) for a, b in todo]
    task = functools.partial(packed, run_chunk_weekly if weekly else run_chunk)
    if draws:
        task = functools.partial(with_draws, task)

    from sim.batch.progress import progress_bar

    t0 = time.perf_counter()
    saved = reused
    try:
        with progress_bar(runs, reused, progress, loaded.scenario.name) as advance:
            for i, result in ex.map_unordered(task, tasks):
                start = tasks[i].start
                if draws:  # its draw columns first: the main part marks the chunk done
                    result, drawn = result
                    _write_draws(parts, start, tasks[i].stop, drawn, meta, side)
                if weekly:  # its weekly rows first: the main part marks the chunk done
                    rows, week_rows = result
                    n = len(rows)
                    week_table = week_rows.table()
                    _write_table(parts, start, start + n, "weekly", week_table, meta,
                                 {**side, "replications": n, "rows": week_table.num_rows})
                else:
                    rows = result
                    n = len(rows)
                _write_part(parts, start, rows.table(), meta, {**side, "rows": n})
                done[start] = start + n
                saved += n
                advance(n)
                if on_chunk is not None:
                    on_chunk(saved)
    except KeyboardInterrupt:
        raise RunInterrupted(out, saved, runs) from None
    except ExecutorError as exc:
        raise RunInterrupted(out, saved, runs, str(exc)) from None
    except WriteFailed as exc:
        raise RunWriteFailed(out, saved, runs, str(exc)) from None
    wall = time.perf_counter() - t0
    return PendingRun((loaded, runs, seed, out, done, ex.describe(), ex.workers, size, reused,
                       wall, plots, overrides, weekly, draws), held)


def _finish(loaded, runs, seed, out, done, executor, workers, size, reused, wall, plots,
            overrides, weekly, draws=False) -> RunResult:
    """Merge parts, summarise, write manifest and figures into ``out`` atomically. Ctrl-C or a
    failed write here keeps the parts, so ``--resume`` does it again."""
    import shutil
    import tempfile

    from sim.batch.claim import MERGE_PREFIX

    try:
        tmp = Path(tempfile.mkdtemp(prefix=MERGE_PREFIX, dir=out))
    except OSError as exc:
        raise RunWriteFailed(out, runs, runs, str(WriteFailed(out, exc))) from None
    where = out / "outcomes.parquet"  # what a failed write is reported as
    try:
        manifest, summary = _write_results(loaded, runs, seed, out, done, executor, workers,
                                           size, reused, wall, plots, overrides, weekly, tmp,
                                           draws)
        for f in sorted(tmp.iterdir(), key=lambda f: f.name == "manifest.json"):
            where = out / f.name
            os.replace(f, where)  # the manifest last: it marks the run as complete
    except KeyboardInterrupt:
        raise RunInterrupted(out, runs, runs) from None
    except OSError as exc:
        raise RunWriteFailed(out, runs, runs, str(WriteFailed(exc.filename or where, exc))) \
            from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # our own temporary folder
    remove_parts(out / PARTS)
    return RunResult(out, manifest, summary, summary["errors"], reused, wall)


def _write_results(loaded, runs, seed, out, done, executor, workers, size, reused, wall, plots,
                   overrides, weekly, tmp: Path, draws: bool = False) -> tuple[dict, dict]:
    from sim.results.summary import summarize
    from sim.results.table import versions

    parts = out / PARTS
    n = _merge(parts, done, tmp / "outcomes.parquet", draws)
    if n != runs:
        raise SimError(f"{parts}: {n} replications found, expected {runs}")
    with summary_table(tmp / "outcomes.parquet") as table:
        summary = summarize(table)
        new = runs - reused
        files = ["outcomes.parquet", "manifest.json"]
        weekly_rows = None
        if weekly:
            from sim.results.weekly import weekly_summary
            weekly_rows = _merge_weekly(parts, done, tmp / "weekly.parquet")
            summary["weekly"] = weekly_summary(tmp / "weekly.parquet")
            files.insert(1, "weekly.parquet")
        if plots:
            from sim.plots.figures import run_figures, weekly_figures
            files += [f"{stem}.png" for stem in run_figures(table.column_names)]
            files += [f"{stem}.png" for stem in weekly_figures(summary)]
        manifest = {
            "kind": "run",
            "scenario": loaded.scenario.name, "title": loaded.scenario.title,
            "files": list(loaded.files), "overrides": list(overrides),
            "scenario_hash": loaded.hash, "root_seed": seed, "runs": runs,
            "errors": summary["errors"],
            "executor": executor, "workers": workers, "chunk_size": size,
            "parts": len(done), "resumed_replications": reused,
            "weekly": weekly, "weekly_rows": weekly_rows,
            "draws": draws, "draw_columns": _draw_count(tmp / "outcomes.parquet") if draws else 0,
            "wall_seconds": round(wall, 3),
            "replications_per_second": round(new / wall, 1) if wall > 0 and new else None,
            "seeding": ("replication i draws from streams keyed by (root_seed, i, stream name); "
                        "sim.model.streams"),
            "model_fingerprint": model_fingerprint(),
            "versions": versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files_written": files,
            "summary": summary, "resolved_scenario": loaded.data,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        if plots:  # PNG only; `straitsim figures DIR` redraws them, SVG too, from the table
            from sim.plots.figures import write_run_figures, write_weekly_figures
            write_run_figures(table, summary, loaded.scenario.name, tmp, formats=("png",))
            write_weekly_figures(summary, loaded.scenario.name, tmp, formats=("png",))
        return manifest, summary
