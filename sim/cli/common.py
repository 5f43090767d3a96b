"""What every ``straitsim`` command shares: the Typer app, common options and error handling.

The command modules (``scenario``, ``results``, ``experiments``) import this module and register
on ``app``; ``sim.cli`` imports them. Nothing here imports a command module, so there is no
circle. Every ``SimError`` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from pathlib import Path

import typer
from typer.core import TyperCommand

from sim.errors import SimError
from sim.resources import scenarios_dir


class Command(TyperCommand):
    """A command whose help names each argument by its metavar alone (SCENARIO, VARIANT...).

    Typer puts a type label after an argument (``VARIANT... <list[str]>``), which tells a user
    nothing the name and its help do not."""

    def format_options(self, ctx, formatter) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = (param.metavar or param.name.upper()) + ("..." if param.nargs != 1 else "")
                args.append((name, record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class _App(typer.Typer):
    """Every command registered on ``app`` is a :class:`Command` unless it names another class."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


# Plain help (rich_markup_mode=None): click wraps each paragraph to the terminal, so docstrings
# wrapped in the source read as whole lines, and "[default: ...]" in a help text is shown, not
# taken for Rich markup. Every option that takes a value names it with a metavar (N, DIR,
# PATH=VALUE, [a|b]): Typer's own type labels (<int range>, <list[str]>) mean nothing to a user.
app = _App(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
           context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
           help="Taiwan-contingency scenario simulator: run YAML scenarios as Monte Carlo "
                "batches of a discrete-event model of the U.S., Japan, Taiwan and the PRC.")

BUNDLED = scenarios_dir()


def choices(enum: type[Enum]) -> str:
    """The metavar of an option with fixed choices: ``[local|dask|serial]``."""
    return "[" + "|".join(str(e.value) for e in enum) + "]"


class Executor(StrEnum):
    """Where a batch runs; the kinds of ``sim.batch.executors.open_executor``."""
    local = "local"
    dask = "dask"
    serial = "serial"


ScenarioArg = typer.Argument(..., metavar="SCENARIO",
                             help="Scenario file, or a bundled scenario name (straitsim list).")
SeedOpt = typer.Option(20250115, "--seed", "-s", min=0, metavar="SEED", help="Root seed.")
SetOpt = typer.Option(None, "--set", metavar="PATH=VALUE",
                      help="Override a value (repeatable), e.g. --set actors.us.resolve=0.8")
# Where batches run: shared by run, sweep and sensitivity.
WorkersOpt = typer.Option(None, "--workers", "-w", min=1, metavar="N",
                          help="Worker processes (local) or LocalCluster workers (dask) "
                               "[default: CPU count]")
ExecutorOpt = typer.Option(Executor.local, "--executor", "-e", metavar=choices(Executor),
                           help="local: processes on this machine; dask: a Dask cluster; "
                                "serial: this process only.")
AddressOpt = typer.Option(None, "--address", metavar="URL",
                          help="Dask scheduler to join, e.g. tcp://host:8786 [default: start a "
                               "LocalCluster]")


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version
        try:
            v = version("straitsim")
        except PackageNotFoundError:  # run from a checkout that was never installed
            from sim import __version__ as v
        typer.echo(f"straitsim {v}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _main(ctx: typer.Context,
          version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                       help="Print the version and exit.")):
    """``straitsim`` alone prints the help and exits 0: it asked for nothing that failed."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


def _fail(exc: SimError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def save_or_echo(text: str, out: Path | None, write) -> None:
    """Write ``text`` to ``out`` with ``write(path, text)`` (an atomic writer, so a failure
    leaves no half-written file and is a one-line error, exit 2), or print it when no file was
    asked for."""
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        write(out, text)
    except (SimError, OSError) as exc:
        _fail(exc)
    typer.echo(f"wrote {out}")


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
