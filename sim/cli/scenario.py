"""``straitsim`` commands on one scenario: run a batch, validate, trace a replication, list."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import List, Optional

import typer

from sim.cli.common import (BUNDLED, AddressOpt, Executor, ExecutorOpt, ScenarioArg, SeedOpt,
                            SetOpt, WorkersOpt, _fail, _resolve_scenario, _resume_hint, app)
from sim.errors import SimError


@app.command()
def run(scenario: str = ScenarioArg,
        runs: int = typer.Option(2000, "--runs", "-n", min=1, metavar="N", help="Replications."),
        seed: int = SeedOpt,
        out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR",
                                           help="Output folder [default: runs/<scenario name>]"),
        sets: Optional[List[str]] = SetOpt,
        workers: Optional[int] = WorkersOpt,
        executor: Executor = ExecutorOpt,
        address: Optional[str] = AddressOpt,
        scheduler_file: Optional[str] = typer.Option(
            None, "--scheduler-file", metavar="FILE",
            help="Join the Dask scheduler described in this file "
                 "(dask scheduler --scheduler-file; common on SLURM)."),
        chunk_size: Optional[int] = typer.Option(
            None, "--chunk-size", min=1, metavar="N",
            help="Replications per task [default: about 32 tasks "
                 "per worker, 500 to 10,000]"),
        resume: Optional[Path] = typer.Option(
            None, "--resume", metavar="DIR",
            help="Finish the interrupted run in this folder (same scenario, "
                 "--set values and seed)."),
        force: bool = typer.Option(False, "--force", help="Replace the run already in the "
                                                          "output folder."),
        plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG figures."),
        weekly: Optional[bool] = typer.Option(
            None, "--weekly/--no-weekly",
            help="Write weekly.parquet (a row per replication and week) when the scenario's "
                 "processes have weekly series [default: on up to 100,000 replications]."),
        draws: Optional[bool] = typer.Option(
            None, "--draws/--no-draws",
            help="Add each replication's drawn values to outcomes.parquet as draw.<YAML path> "
                 "columns (for `straitsim discover`) [default: on up to 100,000 replications]."),
        quiet: bool = typer.Option(False, "--quiet", "-q",
                                   help="No progress bar; print nothing on success.")):
    """Run a Monte Carlo batch; write outcomes.parquet, manifest.json and plots.

    Chunks are saved as they finish: after Ctrl-C (or a lost worker, or a full disk), --resume
    finishes the run and gives the table an uninterrupted run gives. A folder that holds a
    finished run is replaced only with --force; one that is not a run folder never is.
    Exit codes: 0 done, 1 a worker or a write failed (finished chunks kept), 2 bad input,
    3 done but some replications raised (rows with status "error"), 130 interrupted.
    """
    from sim.batch.claim import FolderRefused, WriteFailed
    from sim.batch.execute import RunInterrupted, RunWriteFailed
    extra: list = []
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
        if resume is not None and force:
            raise SimError("--resume and --force: give one (--resume finishes the run in the "
                           "folder, --force starts it over)")
        out = resume or out or Path("runs") / name
        n_workers = workers or cpu_count()
        if executor == "local" and runs < 2 * MIN_CHUNK and chunk_size is None:
            n_workers = 1  # starting processes would cost more than the batch
        extra = [] if executor == "local" else ["--executor", executor.value]
        extra += ["--address", address] if address else []
        extra += ["--scheduler-file", scheduler_file] if scheduler_file else []
        with open_executor(executor.value, n_workers, address, scheduler_file) as ex:
            pending = run_parts(loaded, runs, seed, out, executor=ex,
                                resume=resume is not None, force=force, chunk_size=chunk_size,
                                progress=wanted(quiet), plots=plots, overrides=sets or [],
                                weekly=weekly, draws=draws)
        result = pending.finish()  # after the workers are gone: the merge has the memory
    except RunWriteFailed as exc:
        # The disk refused a write: say which file and why, then how to finish the run.
        saved = (f"; {exc.done:,} of {exc.runs:,} replications are saved in {exc.out}"
                 if exc.done else "")
        hint = (f"; when there is room, resume with:\n  "
                f"{_resume_hint(scenario, runs, seed, sets, exc.out, extra)}"
                if (exc.out / "parts" / "run.json").is_file() else "")
        typer.echo(f"error: {exc.reason}{saved}{hint}", err=True)
        raise typer.Exit(1) from None
    except RunInterrupted as exc:
        typer.echo(f"{exc}; resume with:\n  "
                   f"{_resume_hint(scenario, runs, seed, sets, exc.out, extra)}", err=True)
        raise typer.Exit(130 if exc.reason == "interrupted" else 1) from None
    except WriteFailed as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except FolderRefused as exc:
        if exc.force_helps:
            words = ["straitsim", "run", scenario, "--runs", str(runs), "--seed", str(seed)]
            for s in sets or []:
                words += ["--set", s]
            exc = SimError(f"{out} holds a finished run; to replace it: "
                           f"{shlex.join(words + extra + ['--out', str(out), '--force'])}")
        _fail(exc)
    except SimError as exc:
        _fail(exc)
    if result.errors:
        typer.echo(f"warning: {result.errors:,} of {runs:,} replications raised an error "
                   f"(rows with status \"error\" in {out}/outcomes.parquet)", err=True)
    if not quiet:
        from sim.results.levers import levers
        found = levers(loaded.data) if result.summary.get("single_outcome") else []
        typer.echo(format_summary(result.summary, f"{name} ({loaded.scenario.title})", found,
                                  shlex.quote(scenario)))
        resumed = f" ({result.reused:,} from an earlier run)" if result.reused else ""
        typer.echo(f"\n{runs:,} replications{resumed} in {result.wall_seconds:.1f} s on "
                   f"{result.manifest['workers']} {result.manifest['executor']['kind']} "
                   f"worker(s); wrote {out}/outcomes.parquet"
                   f"{' (with draw columns)' if result.manifest.get('draws') else ''}, "
                   f"{'weekly.parquet, ' if result.manifest.get('weekly') else ''}manifest.json"
                   f"{', plots' if plots else ''}")
    if result.errors:
        raise typer.Exit(3)


@app.command()
def validate(scenario: str = typer.Argument(..., metavar="SCENARIO",
                                            help="Scenario file, or a bundled scenario name."),
             sets: Optional[List[str]] = SetOpt,
             strict: bool = typer.Option(False, "--strict",
                                         help="Exit 1 on warnings (e.g. an unknown claim id)."),
             claims_file: Optional[Path] = typer.Option(
                 None, "--claims", metavar="FILE",
                 help="Your own claims file (same format as seeds/claims.yaml); its ids count "
                      "as known.")):
    """Check a scenario file (and overrides) without running it.

    Warns when a source names a claim id that is in neither seeds/claims.yaml nor --claims."""
    try:
        from sim.config.loader import load
        from sim.report.assumptions import claims, read_claims_file, unknown_claim_ids
        loaded = load(_resolve_scenario(scenario), sets or [])
        known = set(claims()) | (read_claims_file(claims_file) if claims_file else set())
    except SimError as exc:
        _fail(exc)
    warnings = []
    for path, cid in unknown_claim_ids(loaded.data, known):
        f, line, col = loaded.marks.where(path)
        where = f"{f}:{line}:{col}" if line is not None else f"{f or '<scenario>'}"
        register = "seeds/claims.yaml" + (f" or {claims_file}" if claims_file else "")
        warnings.append(f"warning: {where}: {'.'.join(map(str, path))}: unknown claim id "
                        f"{cid!r} (not in {register})")
    for w in warnings:
        typer.echo(w, err=True)
    s = loaded.scenario
    rules = [r for a in ("prc", "us", "japan", "taiwan")
             for r in getattr(s.actors, a).rules.values()]
    n_on = sum(r.enabled for r in rules)
    off = f" ({len(rules) - n_on} disabled)" if n_on < len(rules) else ""
    note = f", {len(warnings)} warning(s)" if warnings else ""
    typer.echo(f"ok: {s.name} ({s.family}), {n_on} rules{off}, hash {loaded.hash[:12]}{note}")
    if warnings and strict:
        raise typer.Exit(1)


@app.command()
def trace(scenario: str = ScenarioArg,
          seed: int = SeedOpt,
          replication: int = typer.Option(0, "--replication", "-r", min=0, metavar="N",
                                          help="Replication index within that seed."),
          sets: Optional[List[str]] = SetOpt,
          plot: Optional[Path] = typer.Option(None, "--plot", "-p", metavar="FILE",
                                              help="Also draw the timeline as a sequence chart "
                                                   "to this .png or .svg file."),
          against: Optional[str] = typer.Option(
              None, "--against", "-a", metavar="VARIANT",
              help="A second scenario (file or bundled name): run the same seed and replication "
                   "under it and show where the two timelines part.")):
    """Print one replication as a timeline: who observed, was told, decided what, when.

    With --against, the same replication under a variant, merged into one timeline: steps only
    in the first are marked '-', only in the variant '+', and shared steps that moved in time or
    changed a number '~'. Paired variants draw the same random numbers, so the first mark is
    where the variant's difference started to act.
    """
    if against is not None:
        _trace_against(scenario, against, seed, replication, sets or [], plot)
        return
    try:
        if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
            raise SimError(f"--plot {plot}: the file name must end in .png or .svg")
        from sim.config.loader import load
        from sim.model.compiled import compile_scenario
        from sim.model.replication import drawn_values, run_replication
        loaded = load(_resolve_scenario(scenario), sets or [])
        compiled = compile_scenario(loaded.scenario)
        drawn = drawn_values(compiled, seed, replication)
        row, records = run_replication(compiled, seed, replication,
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
    if drawn:  # what this run started from: its draws of the uncertain parameters
        import textwrap
        typer.echo(textwrap.fill(", ".join(f"{k} {v:.3g}" for k, v in drawn.items()), 100,
                                 initial_indent="drawn: ", subsequent_indent="       "))
    typer.echo(f"{'day':>6} {'hour':>5}  {'actor':<7} {'what':<11} detail")
    for hours, actor, kind, text in records:
        typer.echo(f"{int(hours // 24):6d} {hours % 24:5.1f}  {actor:<7} {kind:<11} {text}")
    typer.echo(f"\noutcome: {result['outcome']} on day {result['end_day']:.1f}; "
               f"U.S. posture {result['us_posture']}; Japan {result['japan_level']}; "
               f"bases used: {result['bases_used']}")
    if plot is not None:
        typer.echo(f"wrote {plot}")


def _trace_against(scenario: str, against: str, seed: int, replication: int, sets: list,
                   plot) -> None:
    try:
        if plot is not None:
            raise SimError("--plot draws one timeline; run trace without --against to plot it")
        from sim.config.loader import load
        from sim.model.compiled import compile_scenario
        from sim.model.replication import run_replication
        from sim.results.tracediff import diff_timelines, first_divergence
        runs = []
        for name in (scenario, against):
            loaded = load(_resolve_scenario(name), sets)
            row, records = run_replication(compile_scenario(loaded.scenario), seed, replication,
                                           trace=True)
            runs.append((loaded.scenario.name, dict(zip(row.columns, row)), records))
    except (SimError, OSError) as exc:
        _fail(exc)
    (na, ra, ta), (nb, rb, tb) = runs
    rows = diff_timelines(ta, tb)
    typer.echo(f"A = {na}, B = {nb}: seed {seed}, replication {replication}")
    typer.echo("'-' only in A, '+' only in B, '~' the same step at another time or with other "
               "numbers (shown as in B, with A's in brackets)")
    typer.echo(f"  {'day':>6} {'hour':>5}  {'actor':<7} {'what':<11} detail")

    def when(hours: float) -> str:
        return f"{int(hours // 24):6d} {hours % 24:5.1f}"

    for mark, ha, hb, actor, kind, text_a, text_b in rows:
        hours, text = (ha, text_a) if mark == "-" else (hb, text_b)
        line = f"{mark} {when(hours)}  {actor:<7} {kind:<11} {text}"
        if mark == "~":
            was = [f"day {int(ha // 24)} {ha % 24:.1f} h"] if abs(ha - hb) > 0.05 else []
            if text_a != text_b:
                was.append(text_a)
            line += f"   [A: {'; '.join(was)}]"
        typer.echo(line)
    first = first_divergence(rows)
    typer.echo("")
    for letter, r in (("A", ra), ("B", rb)):
        typer.echo(f"{letter}: outcome {r['outcome']} on day {r['end_day']:.1f}; U.S. posture "
                   f"{r['us_posture']}; Japan {r['japan_level']}; bases used: {r['bases_used']}")
    if first is None:
        typer.echo("the two timelines are the same")
    else:
        hours = rows[first][1] if rows[first][1] is not None else rows[first][2]
        typer.echo(f"the timelines first part on day {int(hours // 24)}, hour {hours % 24:.1f}")


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
