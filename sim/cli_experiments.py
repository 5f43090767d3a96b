"""``straitsim`` commands for experiments and learning the format: sweeps, sensitivity analysis,
the JSON Schema and ``explain`` (issue 5).

Registered on the shared Typer ``app`` from :mod:`sim.cli`; imported at the end of that module.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from sim.cli import SetOpt, _fail, _resolve_scenario, app
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


@app.command()
def explain(scenario: str = typer.Argument(..., help="Scenario file, or a bundled scenario name."),
            sets: Optional[List[str]] = SetOpt,
            only: Optional[str] = typer.Option(
                None, "--only", help="Show only parameters whose path starts with this, e.g. "
                                     "actors.us"),
            fmt: str = typer.Option("text", "--format", "-f",
                                    help="Output format: text or json.")):
    """Explain a resolved scenario: each parameter's value, unit, meaning and source."""
    if fmt not in ("text", "json"):
        _fail(SimError(f"--format: expected text or json (got {fmt!r})"))
    try:
        from sim.config.explain import as_json, explain as explain_, format_text
        loaded, rows = explain_(_resolve_scenario(scenario), sets or [])
    except SimError as exc:
        _fail(exc)
    if only:
        rows = [r for r in rows if r.path.startswith(only)]
        if not rows:
            _fail(SimError(f"--only {only}: no parameter path starts with it"))
    if fmt == "json":
        import json
        typer.echo(json.dumps(as_json(loaded, rows), indent=2))
    else:
        typer.echo(format_text(loaded, rows))
