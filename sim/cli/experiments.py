"""``straitsim`` commands for experiments and learning the format: sweeps, sensitivity analysis,
the JSON Schema and ``explain`` (issue 5).

Registered on the shared Typer ``app`` of :mod:`sim.cli.common`.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from sim.cli.common import (AddressOpt, Executor, ExecutorOpt, ScenarioArg, SetOpt, WorkersOpt,
                            _fail, _resolve_scenario, app, save_or_echo)
from sim.errors import SimError


@app.command()
def schema(out: Optional[Path] = typer.Option(
        None, "--out", "-o", metavar="FILE",
        help="Write the schema to this file [default: print it].")):
    """Print or write the JSON Schema (draft-07) of the scenario format, for editors."""
    from sim.config.jsonschema import schema_text
    from sim.experiments.files import write_text_atomic
    save_or_echo(schema_text(), out, write_text_atomic)


@app.command()
def explain(scenario: str = ScenarioArg,
            sets: Optional[List[str]] = SetOpt,
            only: Optional[str] = typer.Option(
                None, "--only", metavar="PREFIX",
                help="Show only parameters whose path starts with this, e.g. "
                     "actors.us"),
            fmt: str = typer.Option("text", "--format", "-f", metavar="[text|json]",
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


@app.command()
def sweep(scenario: str = ScenarioArg,
          params: List[str] = typer.Option(
              ..., "--param", "-p", metavar="PATH=VALUES",
              help="A parameter to sweep: path=v1,v2,... or path=lo:hi:steps (repeatable; "
                   "the grid is every combination)."),
          runs: int = typer.Option(1000, "--runs", "-n", min=1, metavar="N",
                                   help="Replications per point."),
          seed: int = typer.Option(20250115, "--seed", "-s", min=0, metavar="SEED",
                                   help="Root seed (the same for every point)."),
          out: Optional[Path] = typer.Option(
              None, "--out", "-o", metavar="DIR",
              help="Output folder [default: runs/sweep-<scenario name>]"),
          sets: Optional[List[str]] = SetOpt,
          workers: Optional[int] = WorkersOpt,
          executor: Executor = ExecutorOpt,
          address: Optional[str] = AddressOpt,
          resume: bool = typer.Option(False, "--resume",
                                      help="Finish an interrupted sweep in --out: keep finished "
                                           "points, continue a cut-off one."),
          plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG figures."),
          columns: Optional[List[str]] = typer.Option(
              None, "--column", "-c", metavar="COLUMN",
              help="A numeric column of outcomes.parquet whose median to show per point, e.g. "
                   "tokyo_taipei_first_contact_hours (repeatable)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success.")):
    """Run a scenario at every point of a grid of parameter values, with common random numbers.

    Writes one run folder per point, sweep.parquet (every row with the parameter columns),
    sweep_summary.csv (shares with 95% intervals), a figure per parameter and manifest.json.
    """
    from sim.batch.execute import RunInterrupted
    try:
        from sim.batch.executors import cpu_count, open_executor
        from sim.batch.runner import MIN_CHUNK
        from sim.config.loader import load
        from sim.experiments.sweep import check_columns, format_sweep, parse_param, run_sweep
        parsed = [parse_param(p) for p in params]
        check_columns(columns or ())
        path = _resolve_scenario(scenario)
        name = load(path, sets or []).scenario.name
        out = out or Path("runs") / f"sweep-{name}"
        n_workers = workers or cpu_count()
        if executor == "local" and runs < 2 * MIN_CHUNK:
            n_workers = 1  # starting processes would cost more than a point's batch
        with open_executor(executor.value, n_workers, address) as ex:
            def report(i, info):
                if not quiet:
                    vals = ", ".join(f"{k}={v}" for k, v in info["values"].items())
                    typer.echo(f"point {i}: {vals}", err=True)
            result = run_sweep(path, parsed, runs, seed, out, sets=sets or [], executor=ex,
                               resume=resume, plots=plots, columns=columns or (),
                               on_point=report)
    except RunInterrupted as exc:
        typer.echo(f"{exc}; finish the sweep with the same command and --resume", err=True)
        raise typer.Exit(130 if exc.reason == "interrupted" else 1) from None
    except SimError as exc:
        _fail(exc)
    if quiet:
        return
    rows = result.rows
    typer.echo(f"{name}: {result.points} points x {runs} replications, seed {seed} "
               f"(common random numbers)")
    typer.echo(format_sweep(rows, parsed))
    typer.echo(f"\nwrote {out}/sweep.parquet, sweep_summary.csv, manifest.json"
               f"{', figures' if plots else ''}; one run folder per point")


@app.command()
def sensitivity(
        scenario: str = ScenarioArg,
        params_file: Path = typer.Option(..., "--params", metavar="FILE",
                                         help="YAML file listing the parameters: "
                                              "params: [{path, low, high}, ...]"),
        method: str = typer.Option("sobol", "--method", "-m", metavar="[sobol|morris]",
                                   help="Sobol' indices or Morris elementary effects."),
        samples: Optional[int] = typer.Option(
            None, "--samples", min=2, metavar="N",
            help="Sobol' base sample N, a power of 2 (N x (parameters + 2) points) [default "
                 "256]; or Morris trajectories (x (parameters + 1) points) [default 20]"),
        runs: int = typer.Option(200, "--runs", "-n", min=1, metavar="N",
                                 help="Replications per sample point (same seed at every "
                                      "point)."),
        outputs: Optional[List[str]] = typer.Option(
            None, "--output", metavar="NAME",
            help="An output to analyse (repeatable) [default: the file's "
                 "'outputs', else survival_threatening, capitulation, "
                 "us_combat_median_day]"),
        seed: int = typer.Option(20250115, "--seed", "-s", min=0, metavar="SEED",
                                 help="Root seed of the replications, the sampler and the "
                                      "bootstrap."),
        out: Optional[Path] = typer.Option(
            None, "--out", "-o", metavar="DIR",
            help="Output folder [default: runs/sensitivity-<name>]"),
        sets: Optional[List[str]] = SetOpt,
        workers: Optional[int] = WorkersOpt,
        executor: Executor = ExecutorOpt,
        address: Optional[str] = AddressOpt,
        resume: bool = typer.Option(False, "--resume", help="Finish an interrupted analysis "
                                                            "in --out (finished points are "
                                                            "kept)."),
        plots: bool = typer.Option(True, "--plots/--no-plots", help="Write the bar figure."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success.")):
    """Global sensitivity analysis (SALib): which parameters drive which outputs.

    Writes samples.parquet, indices.csv (with 95% bootstrap intervals), indices.png and
    manifest.json; warns when an index's interval reaches below zero.
    """
    from sim.experiments import sensitivity as SA
    try:
        from sim.batch.executors import cpu_count, open_executor
        if method not in SA.METHODS:
            raise SimError(f"--method {method}: one of {', '.join(SA.METHODS)}")
        factors, file_outputs, marks = SA.read_params_file(params_file)
        names = list(outputs or file_outputs or SA.DEFAULT_OUTPUTS)
        for n in names:
            SA.output_function(n)
        path = _resolve_scenario(scenario)
        base = SA.check_factors(path, sets or [], factors, params_file, marks)
        n_samples = samples or SA.DEFAULT_SAMPLES[method]
        model = SA.SimulatorModel(base.data, factors, names, runs, seed)
        name = base.scenario.name
        out = out or Path("runs") / f"sensitivity-{name}"
        points = SA.points_needed(method, len(factors), n_samples)
        if not quiet:
            typer.echo(f"{name}: {method}, {len(factors)} parameters, {points:,} sample points "
                       f"x {runs} replications = {points * runs:,} replications", err=True)
        extra = {"scenario": name, "title": base.scenario.title, "files": list(base.files),
                 "sets": list(sets or []), "scenario_hash": base.hash,
                 "params_file": str(params_file), "runs_per_point": runs,
                 "common_random_numbers": "every sample point runs replications 0..runs-1 of "
                                          "the same root seed"}
        with open_executor(executor.value, workers or cpu_count(), address) as ex:
            res = SA.run_sensitivity(model, factors, method, n_samples, seed, out, executor=ex,
                                     resume=resume, plots=plots, title=name,
                                     extra_manifest=extra)
    except SA.AnalysisInterrupted as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(130 if exc.reason == "interrupted" else 1) from None
    except SimError as exc:
        _fail(exc)
    for note in res.notes:
        typer.echo(f"warning: {note}", err=True)
    if not quiet:
        typer.echo(SA.format_indices(res.table, method))
        typer.echo(f"\nwrote {out}/indices.csv, samples.parquet, manifest.json"
                   f"{', indices.png' if plots and res.table else ''}")
