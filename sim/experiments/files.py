"""Small atomic writers: a file is either its old self or complete, never half-written."""

from __future__ import annotations

import json
from pathlib import Path

from sim.errors import OutputError
from sim.results import rundir


def write_text_atomic(path: Path | str, text: str) -> None:
    """Like :func:`sim.results.rundir.write_text_atomic`, but a missing folder is an error here:
    an experiment's folder is made once, on purpose, not as a side effect of a write."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    rundir.write_text_atomic(path, text)


def write_json_atomic(path: Path | str, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, default=str) + "\n")
