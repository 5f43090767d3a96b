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

NEEDED = ("replication", "outcome", "end_day", "japan_level", "us_posture")


@dataclass(frozen=True)
class Run:
    """A run folder in memory: the full table, its ok rows, and the manifest."""

    path: Path
    table: pa.Table
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


def error_count(table: pa.Table) -> int:
    if "status" not in table.column_names:
        return 0
    import pyarrow.compute as pc
    return int(pc.sum(pc.equal(table.column("status"), "error")).as_py() or 0)


def ok_rows(table: pa.Table) -> pa.Table:
    """Rows of replications that finished (rows with ``status == "error"`` carry no outcome)."""
    if "status" not in table.column_names:
        return table
    import pyarrow.compute as pc
    if not error_count(table):
        return table  # filtering copies every column: not worth it when nothing failed
    return table.filter(pc.fill_null(pc.not_equal(table.column("status"), "error"), True))


def is_run_folder(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / "outcomes.parquet").is_file() \
        and (Path(path) / "manifest.json").is_file()


def load_run(path) -> Run:
    """Read a run folder, checking it is one and that its files can be read."""
    import pyarrow.parquet as pq
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
        table = pq.read_table(path / "outcomes.parquet")
    except (OSError, pa.ArrowException) as exc:
        raise OutputError(f"{path / 'outcomes.parquet'}: cannot read Parquet: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                          ) from None
    missing = [c for c in NEEDED if c not in table.column_names]
    if missing:
        raise OutputError(f"{path / 'outcomes.parquet'}: missing column(s) {', '.join(missing)}")
    return Run(path, table, manifest)


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
