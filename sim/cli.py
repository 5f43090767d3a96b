"""The ``straitsim`` command line: a thin Typer layer over the package.

Heavy imports (numpy, pyarrow, matplotlib) happen inside commands. Every ``SimError`` becomes one
line on stderr and exit code 2; nothing is written to the output folder before the scenario has
been validated and the batch has finished.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from sim.errors import SimError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Taiwan-contingency scenario simulator: run YAML scenarios as Monte Carlo "
                       "batches of a discrete-event model of the U.S., Japan, Taiwan and the PRC.")

BUNDLED = Path(__file__).resolve().parent.parent / "scenarios"
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
    """A path, or the name of a bundled scenario (``blockade`` or ``blockade.yaml``)."""
    p = Path(name)
    if p.exists() or p.suffix in (".yaml", ".yml") and p.parent != Path("."):
        return p
    bundled = BUNDLED / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    return bundled if bundled.exists() else p


def _resume_hint(scenario: str, runs: int, seed: int, sets, out: Path, extra: list) -> str:
    """The command that finishes an interrupted run (same scenario, --set values and seed)."""
    import shlex
    words = ["straitsim", "run", scenario, "--runs", str(runs), "--seed", str(seed)]
    for s in sets or []:
        words += ["--set", s]
    return shlex.join(words + extra + ["--resume", str(out)])


@app.command()
def run(scenario: str = typer.Argument(..., help="Scenario file, or a bundled scenario name."),
        runs: int = typer.Option(2000, "--runs", "-n", min=1, help="Replications."),
        seed: int = typer.Option(20250115, "--seed", "-s", min=0, help="Root seed."),
        out: Optional[Path] = typer.Option(None, "--out", "-o",
                                           help="Output folder [default: runs/<scenario name>]"),
        sets: Optional[List[str]] = SetOpt,
        workers: Optional[int] = WorkersOpt,
        executor: str = ExecutorOpt,
        address: Optional[str] = AddressOpt,
        scheduler_file: Optional[str] = typer.Option(
            None, "--scheduler-file", help="Join the Dask scheduler described in this file "
                                           "(dask scheduler --scheduler-file; common on SLURM)."),
        chunk_size: Optional[int] = typer.Option(
            None, "--chunk-size", min=1, help="Replications per task [default: about 32 tasks "
                                              "per worker, 500 to 10,000]"),
        resume: Optional[Path] = typer.Option(
            None, "--resume", help="Finish the interrupted run in this folder (same scenario, "
                                   "--set values and seed)."),
        plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG figures."),
        quiet: bool = typer.Option(False, "--quiet", "-q",
                                   help="No progress bar; print nothing on success.")):
    """Run a Monte Carlo batch; write outcomes.parquet, manifest.json and plots.

    Chunks are saved as they finish: after Ctrl-C (or a lost worker), --resume finishes the run
    and gives the table an uninterrupted run gives. Exit codes: 0 done, 2 bad input,
    3 done but some replications raised (rows with status "error"), 130 interrupted.
    """
    from sim.batch.execute import RunInterrupted
    try:
        from sim.batch.execute import run_parts
        from sim.batch.executors import cpu_count, open_executor
        from sim.batch.progress import wanted
        from sim.batch.runner import MIN_CHUNK
        from sim.config.loader import load
        from sim.results.summary import format_summary
        loaded = load(_resolve_scenario(scenario), sets or [])
        name = loaded.scenario.name
        if resume is not None and out is not None and out != resume:
            raise SimError(f"--resume {resume} and --out {out}: give one folder")
        out = resume or out or Path("runs") / name
        n_workers = workers or cpu_count()
        if executor == "local" and runs < 2 * MIN_CHUNK and chunk_size is None:
            n_workers = 1  # starting processes would cost more than the batch
        extra = [] if executor == "local" else ["--executor", executor]
        extra += ["--address", address] if address else []
        extra += ["--scheduler-file", scheduler_file] if scheduler_file else []
        with open_executor(executor, n_workers, address, scheduler_file) as ex:
            pending = run_parts(loaded, runs, seed, out, executor=ex,
                                resume=resume is not None, chunk_size=chunk_size,
                                progress=wanted(quiet), plots=plots, overrides=sets or [])
        result = pending.finish()  # after the workers are gone: the merge has the memory
    except RunInterrupted as exc:
        typer.echo(f"{exc}; resume with:\n  "
                   f"{_resume_hint(scenario, runs, seed, sets, exc.out, extra)}", err=True)
        raise typer.Exit(130 if exc.reason == "interrupted" else 1) from None
    except SimError as exc:
        _fail(exc)
    if result.errors:
        typer.echo(f"warning: {result.errors:,} of {runs:,} replications raised an error "
                   f"(rows with status \"error\" in {out}/outcomes.parquet)", err=True)
    if not quiet:
        typer.echo(format_summary(result.summary, f"{name} ({loaded.scenario.title})"))
        resumed = f" ({result.reused:,} from an earlier run)" if result.reused else ""
        typer.echo(f"\n{runs:,} replications{resumed} in {result.wall_seconds:.1f} s on "
                   f"{result.manifest['workers']} {result.manifest['executor']['kind']} "
                   f"worker(s); wrote {out}/outcomes.parquet, manifest.json"
                   f"{', plots' if plots else ''}")
    if result.errors:
        raise typer.Exit(3)


@app.command()
def validate(scenario: str = typer.Argument(..., help="Scenario file to check."),
             sets: Optional[List[str]] = SetOpt):
    """Check a scenario file (and overrides) without running it."""
    try:
        from sim.config.loader import load
        loaded = load(_resolve_scenario(scenario), sets or [])
    except SimError as exc:
        _fail(exc)
    s = loaded.scenario
    rules = [r for a in ("prc", "us", "japan", "taiwan")
             for r in getattr(s.actors, a).rules.values()]
    n_on = sum(r.enabled for r in rules)
    off = f" ({len(rules) - n_on} disabled)" if n_on < len(rules) else ""
    typer.echo(f"ok: {s.name} ({s.family}), {n_on} rules{off}, hash {loaded.hash[:12]}")


@app.command()
def trace(scenario: str = typer.Argument(..., help="Scenario file, or a bundled scenario name."),
          seed: int = typer.Option(20250115, "--seed", "-s", min=0, help="Root seed."),
          replication: int = typer.Option(0, "--replication", "-r", min=0,
                                          help="Replication index within that seed."),
          sets: Optional[List[str]] = SetOpt,
          plot: Optional[Path] = typer.Option(None, "--plot", "-p",
                                              help="Also draw the timeline as a sequence chart "
                                                   "to this .png or .svg file.")):
    """Print one replication as a timeline: who observed, was told, decided what, when."""
    try:
        if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
            raise SimError(f"--plot {plot}: the file name must end in .png or .svg")
        from sim.config.loader import load
        from sim.model.compiled import compile_scenario
        from sim.model.replication import run_replication
        loaded = load(_resolve_scenario(scenario), sets or [])
        row, records = run_replication(compile_scenario(loaded.scenario), seed, replication,
                                       trace=True)
        result = dict(zip(row.columns, row))
        if plot is not None:
            from sim.plots.timeline import timeline_figure
            from sim.results.rundir import write_atomic
            write_atomic(plot, lambda p: timeline_figure(
                records, f"{loaded.scenario.name}: seed {seed}, replication {replication}", p,
                f"outcome: {result['outcome']} on day {result['end_day']:.1f}"))
    except (SimError, OSError) as exc:
        _fail(exc)
    typer.echo(f"{loaded.scenario.name}: seed {seed}, replication {replication}")
    typer.echo(f"{'day':>6} {'hour':>5}  {'actor':<7} {'what':<11} detail")
    for hours, actor, kind, text in records:
        typer.echo(f"{int(hours // 24):6d} {hours % 24:5.1f}  {actor:<7} {kind:<11} {text}")
    typer.echo(f"\noutcome: {result['outcome']} on day {result['end_day']:.1f}; "
               f"U.S. posture {result['us_posture']}; Japan {result['japan_level']}; "
               f"bases used: {result['bases_used']}")
    if plot is not None:
        typer.echo(f"wrote {plot}")


@app.command("list")
def list_():
    """List the bundled scenarios."""
    from sim.config.loader import load
    for path in sorted(BUNDLED.glob("*.yaml")):
        try:
            s = load(path).scenario
            typer.echo(f"{path.stem:<16} {s.family:<14} {s.title}")
        except SimError as exc:
            typer.echo(f"{path.stem:<16} invalid: {exc}")


# Commands kept in their own modules register on ``app`` when imported.
from sim import cli_experiments, cli_results  # noqa: E402,F401


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
