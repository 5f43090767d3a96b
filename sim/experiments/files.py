"""Small atomic writers: a file is either its old self or complete, never half-written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from sim.errors import OutputError


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path | str, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, default=str) + "\n")
