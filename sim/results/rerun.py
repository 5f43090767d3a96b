"""How to name a run's scenario on a command line, for the commands a summary or report prints
(``straitsim trace``, ``explain``, ``sweep``): a bundled scenario by its name, any other by the
file it was read from, with the run's ``--set`` overrides, so a pasted command runs as shown."""

from __future__ import annotations

import shlex
from pathlib import Path


def scenario_arg(manifest: dict, fallback: str = "SCENARIO") -> str:
    """The scenario argument, shell-quoted: ``blockade`` for a bundled scenario, else the path
    of the scenario file the run read (the last of ``files``; the first are what it extends)."""
    name = manifest.get("scenario")
    files = [str(f) for f in manifest.get("files") or []]
    if files:
        last = Path(files[-1])
        if last.parent.name == "scenarios" and last.stem == name:
            return shlex.quote(str(name))
        return shlex.quote(str(last))
    return shlex.quote(str(name or fallback))


def overrides_args(manifest: dict) -> str:
    """`` --set a=b`` for each override the run was made with (empty when none)."""
    return "".join(f" --set {shlex.quote(str(o))}" for o in manifest.get("overrides") or [])
