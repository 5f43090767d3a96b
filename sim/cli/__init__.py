"""The ``straitsim`` command line: a thin Typer layer over the package.

Heavy imports (numpy, pyarrow, matplotlib) happen inside commands. Layout:
``common`` (the app, shared options, error handling), then one module per group of commands:
``scenario`` (run, validate, trace, list), ``results`` (summarize, figures, compare, report),
``experiments`` (schema, explain, sweep, sensitivity), ``casebook`` (published results).
Importing this package registers them all.
"""

from __future__ import annotations

import sys

import typer

# Imported for their side effect: each registers its commands on ``app``, in this order in --help.
from sim.cli import scenario  # noqa: F401  isort: skip
from sim.cli import results  # noqa: F401  isort: skip
from sim.cli import experiments  # noqa: F401  isort: skip
from sim.cli import casebook  # noqa: F401  isort: skip
from sim.cli.common import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
