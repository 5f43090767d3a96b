"""Reading a run folder back (``outcomes.parquet`` + ``manifest.json``) for summaries, figures
and reports, and writing derived files into it atomically.

Every problem becomes an ``OutputError`` that names the file, so the CLI can print one line.
Run folders written before the ``status`` column existed read as all-ok.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa

from sim.errors import OutputError
from sim.results.table import error_count, ok_rows

NEEDED = ("replication", "outcome", "end_day", "japan_level", "us_posture")


@dataclass(frozen=True)
class Run:
    """A run folder in memory: the full table, its ok rows, and the manifest."""

    path: Path
    table: pa.Table  # or a ColumnFile (``load_run(by_column=True)``)
    manifest: dict

    @property
    def name(self) -> str:
        return str(self.manifest.get("scenario") or self.path.name)

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or self.name)

    @property
    def root_seed(self):
        return self.manifest.get("root_seed")

    @property
    def errors(self) -> int:
        return error_count(self.table)

    def ok(self) -> pa.Table:
        return ok_rows(self.table)


def is_run_folder(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / "outcomes.parquet").is_file() \
        and (Path(path) / "manifest.json").is_file()


def load_run(path, by_column: bool = False) -> Run:
    """Read a run folder, checking it is one and that its files can be read. ``by_column``:
    the table is a ``ColumnFile`` that reads a column when asked for it (summaries and
    figures, which read a column at a time: a million-row table is about a gigabyte)."""
    import pyarrow.parquet as pq

    from sim.results.table import ColumnFile
    path = Path(path)
    if not path.exists():
        raise OutputError(f"{path}: no such run folder")
    if not path.is_dir():
        raise OutputError(f"{path}: not a run folder (expected a folder written by "
                          f"`straitsim run`)")
    for name in ("outcomes.parquet", "manifest.json"):
        if not (path / name).is_file():
            raise OutputError(f"{path}: not a run folder (no {name})")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path / 'manifest.json'}: cannot read: {exc}") from None
    if not isinstance(manifest, dict):
        raise OutputError(f"{path / 'manifest.json'}: expected a JSON object")
    try:
        table = (ColumnFile(path / "outcomes.parquet") if by_column
                 else pq.read_table(path / "outcomes.parquet"))
    except (OSError, pa.ArrowException) as exc:
        raise OutputError(f"{path / 'outcomes.parquet'}: cannot read Parquet: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                          ) from None
    _check_manifest(path / "manifest.json", manifest)
    _check_table(path / "outcomes.parquet", table)
    return Run(path, table, manifest)


def _kind(t: pa.DataType) -> str:
    """What a column holds, as the readers use it: text (plain or dictionary-encoded, as a
    ladder column may be), number, bool."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return "number"
    return str(t)


def expected_columns() -> dict[str, str]:
    """Column -> kind, for every column the summaries, figures, comparisons and reports read."""
    from sim.results.summary import COLUMNS_USED
    from sim.results.table import SCHEMA

    kinds = {f.name: _kind(f.type) for f in SCHEMA}
    return {c: kinds[c] for c in dict.fromkeys([*NEEDED, *COLUMNS_USED]) if c in kinds}


def _check_table(where: Path, table: pa.Table) -> None:
    """The columns the readers need, of the kinds they need, and days that are finite (NaN is
    "never happened"; an infinite day is a damaged table)."""
    import pyarrow.compute as pc

    expected = expected_columns()
    missing = [c for c in expected if c not in table.column_names]
    if missing:
        raise OutputError(f"{where}: missing column(s) {', '.join(missing)}")
    for name, kind in expected.items():
        got = _kind(table.schema.field(name).type)
        if got != kind:
            raise OutputError(f"{where}: column {name} holds {table.schema.field(name).type}, "
                              f"expected {kind}")
    if "status" in table.column_names and _kind(table.schema.field("status").type) != "text":
        raise OutputError(f"{where}: column status holds {table.schema.field('status').type}, "
                          f"expected text")
    for name in table.column_names:
        kind = table.schema.field(name).type
        if name.endswith("_day") and _kind(kind) == "number" and pa.types.is_floating(kind):
            bad = pc.sum(pc.is_inf(table.column(name))).as_py() or 0
            if bad:
                raise OutputError(f"{where}: column {name} holds {bad} infinite day(s); a day is "
                                  f"a finite number, or empty when it never happened")


def _check_manifest(where: Path, manifest: dict) -> None:
    """The root seed re-runs the report's replication and pairs compared runs: it must be
    the whole number `straitsim run` recorded."""
    seed = manifest.get("root_seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise OutputError(f"{where}: root_seed {_short(seed)} is not a whole number >= 0")
    runs = manifest.get("runs")
    if runs is not None and (isinstance(runs, bool) or not isinstance(runs, int) or runs < 0):
        raise OutputError(f"{where}: runs {_short(runs)} is not a whole number >= 0")


def _short(value) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def record_files(run_dir: Path, names) -> None:
    """Add files a command wrote into a run folder to its manifest's ``files_written``, so a
    run replacing this one (``straitsim run --force``) removes them and no stale figure or
    report sits beside a new table."""
    path = Path(run_dir) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files_written"), list):
        return  # written before files were recorded: a replacement removes the default names
    new = [n for n in names if n not in manifest["files_written"]]
    if new:
        manifest["files_written"] += new
        write_json_atomic(path, manifest)


def write_atomic(path: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer`` on a temporary file beside ``path``, then move it into place, so a failed
    write never leaves a half-written file under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json_atomic(path: Path, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, default=str) + "\n")
