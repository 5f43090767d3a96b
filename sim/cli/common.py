"""What every ``straitsim`` command shares: the Typer app, common options and error handling.

The command modules (``scenario``, ``results``, ``experiments``) import this module and register
on ``app``; ``sim.cli`` imports them. Nothing here imports a command module, so there is no
circle. Every ``SimError`` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import typer

from sim.errors import SimError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Taiwan-contingency scenario simulator: run YAML scenarios as Monte Carlo "
                       "batches of a discrete-event model of the U.S., Japan, Taiwan and the PRC.")

BUNDLED = Path(__file__).resolve().parents[2] / "scenarios"
SetOpt = typer.Option(None, "--set", help="Override a value: path=value (repeatable), e.g. "
                                          "--set actors.us.resolve=0.8")
# Where batches run: shared by run, sweep and sensitivity.
WorkersOpt = typer.Option(None, "--workers", "-w", min=1,
                          help="Worker processes (local) or LocalCluster workers (dask) "
                               "[default: CPU count]")
ExecutorOpt = typer.Option("local", "--executor", "-e",
                           help="local (processes on this machine), dask, or serial.")
AddressOpt = typer.Option(None, "--address", help="Dask scheduler to join, e.g. "
                                                  "tcp://host:8786 [default: start a LocalCluster]")


def _fail(exc: SimError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def _resolve_scenario(name: str) -> Path:
    """A path, or the name of a bundled scenario (``blockade`` or ``blockade.yaml``).

    A name that is neither raises ``ScenarioError`` with the nearest bundled name."""
    from sim.errors import ScenarioError
    p = Path(name)
    if p.exists() or p.suffix in (".yaml", ".yml") and p.parent != Path("."):
        return p
    bundled = BUNDLED / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if bundled.exists():
        return bundled
    if p.parent != Path(".") or "\0" in name:
        return p  # a path: the loader says what is wrong with it
    import difflib
    names = sorted(f.stem for f in BUNDLED.glob("*.yaml"))
    close = difflib.get_close_matches(p.stem, names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ScenarioError(f"no such file, and no bundled scenario by that name{hint}; bundled: "
                        f"{', '.join(names)}", file=name)


def _resume_hint(scenario: str, runs: int, seed: int, sets, out: Path, extra: list) -> str:
    """The command that finishes an interrupted run (same scenario, --set values and seed)."""
    import shlex
    words = ["straitsim", "run", scenario, "--runs", str(runs), "--seed", str(seed)]
    for s in sets or []:
        words += ["--set", s]
    return shlex.join(words + extra + ["--resume", str(out)])
