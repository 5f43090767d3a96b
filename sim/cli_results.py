"""``straitsim`` commands that read run folders: summaries, comparisons, reports (issue 4).

Registered on the shared Typer ``app`` from :mod:`sim.cli`; imported at the end of that module.
"""

from __future__ import annotations

from sim.cli import app  # noqa: F401  (commands register on it)
