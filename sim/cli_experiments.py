"""``straitsim`` commands for experiments and learning the format: sweeps, sensitivity analysis,
the JSON Schema and ``explain`` (issue 5).

Registered on the shared Typer ``app`` from :mod:`sim.cli`; imported at the end of that module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli import app, _fail
from sim.errors import SimError


@app.command()
def schema(out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="Write the schema to this file [default: print it].")):
    """Print or write the JSON Schema (draft-07) of the scenario format, for editors."""
    from sim.config.jsonschema import schema_text
    text = schema_text()
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        from sim.experiments.files import write_text_atomic
        write_text_atomic(out, text)
    except SimError as exc:
        _fail(exc)
    typer.echo(f"wrote {out}")
