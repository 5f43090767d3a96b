"""``straitsim`` commands for experiments and learning the format: sweeps, sensitivity analysis,
the JSON Schema and ``explain`` (issue 5).

Registered on the shared Typer ``app`` from :mod:`sim.cli`; imported at the end of that module.
"""

from __future__ import annotations

from sim.cli import app  # noqa: F401  (commands register on it)
