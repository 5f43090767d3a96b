"""``straitsim`` commands that read run folders: summaries, figures, comparisons, reports.

Registered on the shared Typer ``app`` of :mod:`sim.cli.common`.
Everything here regenerates from a run folder; only ``compare`` given scenario files runs them,
and the report re-runs a single replication (a pure function of the manifest) for its timeline.
"""

from __future__ import annotations

import csv
import io
import json
import os
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from sim.cli.common import SetOpt, _fail, _resolve_scenario, app, choices, save_or_echo
from sim.errors import SimError


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


RunDirArg = typer.Argument(..., metavar="RUN_DIR", help="Run folder written by `straitsim run`.")


def _csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _finite(obj):
    """NaN (an interval of no data) as JSON null: NaN is not valid JSON."""
    if isinstance(obj, float) and obj != obj:
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _json(obj) -> str:
    return json.dumps(_finite(obj), indent=2, default=str) + "\n"


def _format_from(out: Optional[Path], fmt: Optional[Format]) -> Format:
    if fmt is not None:
        return fmt
    if out is not None and out.suffix.lower() in (".json", ".csv"):
        return Format(out.suffix.lower()[1:])
    return Format.table


def _render(fmt: Format, as_json, csv_header, csv_rows, as_table) -> str:
    """One result as JSON, CSV or a table; each form is built only when asked for (the
    arguments are callables)."""
    if fmt is Format.json:
        return _json(as_json())
    if fmt is Format.csv:
        return _csv(csv_header, csv_rows())
    return as_table()


@app.command("summarize")
def summarize_cmd(
        run_dir: Path = RunDirArg,
        fmt: Optional[Format] = typer.Option(None, "--format", "-f", metavar=choices(Format),
                                             help="table, json or csv (default: table, or "
                                                  "the suffix of the --out file)"),
        out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE",
                                           help="Write to this file instead of the terminal."),
        seed: int = typer.Option(0, "--bootstrap-seed", min=0, metavar="SEED",
                                 help="Seed of the bootstrap for the day quantiles' intervals."),
        resamples: int = typer.Option(2000, "--resamples", min=100, metavar="N",
                                      help="Bootstrap resamples."),
        by: Optional[List[str]] = typer.Option(
            None, "--by", metavar="COLUMN[:K|:E1,E2,...]",
            help="Instead of the summary, the outcome shares within each group of a column "
                 "(e.g. us_intervened, japan_level), with 95% Wilson intervals and each "
                 "group's n; bin a numeric column into K quantile bins (prc_costs:4) or "
                 "between edges (prc_costs:0,2,5). Repeatable.")):
    """Outcome shares (95% Wilson), decision-day quantiles (95% bootstrap), Japan's ladder and
    the U.S. posture of a run folder; with a weekly table, each share's quantiles by week.
    With --by, the outcome shares split by a column instead."""
    from sim.results.rundir import load_run
    from sim.results.summary import CSV_HEADER, format_summary, summarize, summary_rows
    if by:
        _summarize_by(run_dir, by, fmt, out)
        return
    try:
        from sim.results.weekly import add_weekly
        run = load_run(run_dir, by_column=True)
        s = add_weekly(summarize(run.table, seed=seed, resamples=resamples), run.path,
                       seed=seed, resamples=resamples)
        from sim.results.levers import levers
        from sim.results.rerun import scenario_arg
        found = levers(run.manifest.get("resolved_scenario")) if s.get("single_outcome") else []
        text = _render(
            _format_from(out, fmt),
            lambda: {"scenario": run.name, "title": run.title, "run_dir": str(run_dir),
                     "root_seed": run.root_seed, **s, "single_outcome_levers": found},
            CSV_HEADER, lambda: summary_rows(s),
            lambda: format_summary(s, f"{run.name} ({run.title})", found,
                                   scenario_arg(run.manifest, run.name)) + "\n")
    except (SimError, OSError) as exc:
        _fail(exc)
    from sim.results.rundir import write_text_atomic
    save_or_echo(text, out, write_text_atomic)


def _summarize_by(run_dir: Path, by: List[str], fmt: Optional[Format],
                  out: Optional[Path]) -> None:
    """``summarize --by``: each split as a table, JSON (a list) or CSV (one header)."""
    from sim.results.groups import CSV_HEADER, format_split, split, split_rows
    from sim.results.rundir import load_run
    try:
        run = load_run(run_dir, by_column=True)
        table = run.ok()
        splits = [split(table, b) for b in by]
        text = _render(
            _format_from(out, fmt),
            lambda: {"scenario": run.name, "title": run.title, "run_dir": str(run_dir),
                     "root_seed": run.root_seed, "splits": splits},
            CSV_HEADER, lambda: [r for sp in splits for r in split_rows(sp)],
            lambda: f"{run.name} ({run.title})\n\n" + "\n\n".join(
                format_split(sp) for sp in splits) + "\n")
    except (SimError, OSError) as exc:
        _fail(exc)
    from sim.results.rundir import write_text_atomic
    save_or_echo(text, out, write_text_atomic)


@app.command("figures")
def figures_cmd(
        run_dir: Path = RunDirArg,
        out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR",
                                           help="Folder for the figures (default: the run "
                                                "folder)."),
        formats: Optional[List[str]] = typer.Option(None, "--format", "-f", metavar="[png|svg]",
                                                    help="png or svg, repeatable (default: "
                                                         "both).")):
    """Redraw a run's figures (shares, day histograms and CDFs, Japan's ladder, weekly fan
    charts) from its tables."""
    from sim.plots.figures import write_run_figures
    from sim.results.rundir import load_run, record_files
    from sim.results.summary import summarize
    try:
        fmts = tuple(dict.fromkeys(f.lower().lstrip(".") for f in (formats or ["png", "svg"])))
        bad = [f for f in fmts if f not in ("png", "svg")]
        if bad:
            raise SimError(f"--format {bad[0]}: expected png or svg")
        run = load_run(run_dir, by_column=True)
        if run.ok().num_rows == 0:
            raise SimError(f"{run_dir}: no replication finished (all {run.errors} failed); "
                           f"there is nothing to draw")
        from sim.plots.figures import write_weekly_figures
        from sim.results.weekly import add_weekly
        summary = add_weekly(summarize(run.table), run.path)
        written = _write_all_or_none(out or run_dir, lambda tmp: write_run_figures(
            run.ok(), summary, run.name, tmp, fmts)
            + write_weekly_figures(summary, run.name, tmp, fmts))
        if out is None or Path(out).resolve() == Path(run_dir).resolve():
            record_files(run_dir, [p.name for p in written])
    except (SimError, OSError) as exc:
        _fail(exc)
    typer.echo(f"wrote {len(written)} files to {out or run_dir}: "
               + ", ".join(p.name for p in written))


def _write_all_or_none(out: Path, draw) -> list[Path]:
    """Draw every file into a temporary folder inside ``out``, then move them all in: a failure
    part-way leaves the old set of figures, not a mix of old and new."""
    import shutil
    import tempfile
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".figures.tmp-", dir=out))
    try:
        drawn = draw(tmp)
        for p in drawn:
            os.replace(p, out / p.name)
        return [out / p.name for p in drawn]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _variant_label(name: str, taken: set) -> str:
    label, i = name, 2
    while label in taken:
        label, i = f"{name}-{i}", i + 1
    taken.add(label)
    return label


@app.command("compare")
def compare_cmd(
        variants: List[str] = typer.Argument(..., metavar="VARIANT",
                                             help="Two or more scenario files, bundled scenario "
                                                  "names or run folders; the first is the "
                                                  "baseline."),
        runs: int = typer.Option(2000, "--runs", "-n", min=1, metavar="N",
                                 help="Replications for each scenario variant."),
        seed: Optional[int] = typer.Option(None, "--seed", "-s", min=0, metavar="SEED",
                                           help="Root seed shared by every scenario variant "
                                                "(default: the run folders' seed, else "
                                                "20250115)."),
        sets: Optional[List[str]] = SetOpt,
        out: Path = typer.Option(Path("runs/compare"), "--out", "-o", metavar="DIR",
                                 help="Folder for the variants' run folders and the comparison."),
        workers: int = typer.Option(1, "--workers", "-w", min=1, metavar="N",
                                    help="Worker processes for each scenario variant."),
        unpaired: bool = typer.Option(False, "--unpaired",
                                      help="Allow run folders with different root seeds, "
                                           "compared as independent samples."),
        no_diff: bool = typer.Option(False, "--no-diff",
                                     help="Show the variants side by side, without "
                                          "differences from the first."),
        columns: Optional[List[str]] = typer.Option(
            None, "--column", "-c", metavar="COLUMN",
            help="A numeric column of outcomes.parquet whose median to compare, e.g. "
                 "tokyo_taipei_first_contact_hours (repeatable)."),
        fmt: Format = typer.Option(Format.table, "--format", "-f", metavar=choices(Format),
                                   help="What to print: table, json or csv."),
        force: bool = typer.Option(False, "--force",
                                   help="Replace a variant's earlier run in --out when it "
                                        "differs (same scenario, seed and runs is reused).")):
    """Compare variants with common random numbers: shares side by side, each variant's
    difference from the first with a paired 95% interval, and one comparison figure.

    --set applies to every scenario variant (not to run folders). Scenario variants are all run
    with --seed, so their replications pair; run folders must share one root seed unless
    --unpaired is given.
    """
    from sim.plots.compare import comparison_figure
    from sim.results.compare import CSV_HEADER, compare_runs, comparison_rows, format_comparison
    from sim.results.rundir import is_run_folder, load_run, write_atomic, write_text_atomic
    try:
        if len(variants) < 2:
            raise SimError("compare needs at least two variants (scenario files or run folders)")
        from sim.experiments.sweep import check_columns
        columns = check_columns(columns or ())
        if out.exists() and not out.is_dir():
            raise SimError(f"{out}: output path exists and is not a folder")
        # Load every variant before running any, so a bad one stops the command early.
        plan, taken = [], set()
        for v in variants:
            if is_run_folder(Path(v)):
                run = load_run(v, by_column=True)
                plan.append((_variant_label(run.name, taken), run))
            else:
                from sim.config.loader import load
                path = _resolve_scenario(v)
                if Path(v).is_dir():
                    load_run(v)  # raises "not a run folder (no ...)"
                loaded = load(path, sets or [])
                plan.append((_variant_label(loaded.scenario.name, taken), loaded))
        if seed is None:  # scenario variants pair with the run folders given beside them
            folder_seeds = {item.root_seed for _, item in plan if hasattr(item, "table")}
            seed = folder_seeds.pop() if len(folder_seeds) == 1 and None not in folder_seeds \
                else 20250115
        pairs = []
        for label, item in plan:
            if hasattr(item, "table"):
                pairs.append((label, item))
            else:
                folder = out / label
                _run_variant(item, runs, seed, folder, workers, sets or [], force)
                pairs.append((label, load_run(folder, by_column=True)))
        c = compare_runs(pairs, paired=not unpaired, columns=columns, diff=not no_diff)
        write_text_atomic(out / "comparison.json", _json(c))
        write_text_atomic(out / "comparison.csv", _csv(CSV_HEADER, comparison_rows(c)))
        for ext in ("png", "svg"):
            write_atomic(out / f"comparison.{ext}", lambda p: comparison_figure(c, p))
    except (SimError, OSError) as exc:
        _fail(exc)
    if fmt is Format.json:
        typer.echo(_json(c), nl=False)
    elif fmt is Format.csv:
        typer.echo(_csv(CSV_HEADER, comparison_rows(c)), nl=False)
    else:
        typer.echo(format_comparison(c))
        typer.echo(f"\nwrote {out}/comparison.json, comparison.csv, comparison.png, "
                   f"comparison.svg")


def _run_variant(loaded, runs: int, seed: int, out: Path, workers: int, sets: list,
                 force: bool = False) -> None:
    """Run one scenario variant into a normal run folder (what `straitsim run --no-plots`
    writes; `straitsim figures` draws its figures). The folder is claimed as `run` claims it:
    the same run already there is reused, another is replaced only with --force."""
    from sim.batch.claim import kind_of
    from sim.batch.execute import run_to_folder
    from sim.batch.executors import open_executor
    if kind_of(out) == "finished":
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        if (m.get("scenario_hash"), m.get("root_seed"), m.get("runs")) == (loaded.hash, seed,
                                                                           runs):
            return
    with open_executor("local", workers=workers) as ex:
        run_to_folder(loaded, runs, seed, out, executor=ex, plots=False, overrides=sets,
                      force=force)


@app.command("report")
def report_cmd(
        run_dir: Path = typer.Argument(..., metavar="DIR",
                                       help="Run folder written by `straitsim run`, or a "
                                            "comparison or sweep folder."),
        out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE",
                                           help="HTML file (default: report.html in the "
                                                "folder)."),
        replication: Optional[int] = typer.Option(None, "--replication", "-r", min=0, metavar="N",
                                                  help="Replication for the timeline (default: "
                                                       "a representative one).")):
    """One self-contained HTML page: errors, summary tables, figures, the timeline of a
    representative replication, and the scenario's key assumptions with their sources. Given a
    comparison or sweep folder, one page for the whole comparison or sweep."""
    from sim.report.experiments import build_comparison_report, build_sweep_report, folder_kind
    from sim.report.html import build_report
    from sim.results.rundir import load_run, record_files, write_text_atomic
    out = out or run_dir / "report.html"
    try:
        if out.suffix.lower() not in (".html", ".htm"):
            raise SimError(f"--out {out}: the file name must end in .html")
        kind = folder_kind(run_dir)
        if kind is not None:
            if replication is not None:
                raise SimError(f"--replication: {run_dir} is a {kind} folder; give one of its "
                               f"run folders for a replication's timeline")
            build = build_comparison_report if kind == "comparison" else build_sweep_report
            page = build(run_dir)
            write_text_atomic(out, page)
            typer.echo(f"wrote {out} ({len(page.encode()) // 1024} KiB), the {kind} report")
            return
        run = load_run(run_dir)
        if replication is not None and replication >= run.table.num_rows:
            raise SimError(f"--replication {replication}: the run has replications 0 to "
                           f"{run.table.num_rows - 1}")
        page = build_report(run, replication=replication)
        write_text_atomic(out, page)
        if Path(out).resolve().parent == Path(run_dir).resolve():
            record_files(run_dir, [Path(out).name])
    except (SimError, OSError) as exc:
        _fail(exc)
    errors = f" ({run.errors} failed replications flagged at the top)" if run.errors else ""
    typer.echo(f"wrote {out} ({len(page.encode()) // 1024} KiB){errors}")


@app.command("outcomes")
def outcomes_cmd(fmt: Format = typer.Option(Format.table, "--format", "-f", metavar=choices(Format),
                                            help="table, json or csv.")):
    """Every outcome, indicator, ladder step and decision day, with the label the summaries
    use and a one-line meaning."""
    from sim.results.labels import glossary
    rows = glossary()
    if fmt is Format.json:
        typer.echo(_json(rows), nl=False)
        return
    if fmt is Format.csv:
        typer.echo(_csv(("section", "name", "label", "meaning"),
                        [(r["section"], r["name"], r["label"], r["meaning"]) for r in rows]),
                   nl=False)
        return
    import textwrap
    width = max(len(r["name"]) for r in rows) + 2
    kind = None
    for r in rows:
        if r["kind"] != kind:
            kind = r["kind"]
            typer.echo(f"{'' if kind == rows[0]['kind'] else chr(10)}{kind}")
        line = f"{r['name']:<{width}}\"{r['label']}\"" + (f": {r['meaning']}" if r["meaning"]
                                                              else "")
        typer.echo(textwrap.fill(line, 100, initial_indent="  ",
                                 subsequent_indent=" " * (width + 2)))


@app.command("discover")
def discover_cmd(
        run_dir: Path = RunDirArg,
        outcome: str = typer.Option(..., "--outcome", metavar="OUTCOME",
                                    help="An outcome (taiwan_fell, repelled, ...) or a yes/no "
                                         "column (us_intervened, ...)."),
        columns: Optional[List[str]] = typer.Option(
            None, "--columns", "-c", metavar="COLUMN",
            help="Input columns or patterns (draw.actors.us.*, us_resolve); repeatable "
                 "[default: every draw.* column]."),
        boxes: int = typer.Option(2, "--boxes", min=1, max=10, metavar="N",
                                  help="PRIM boxes to look for, one after another."),
        depth: int = typer.Option(3, "--depth", min=1, max=6, metavar="N",
                                  help="Depth of the decision tree."),
        sample: int = typer.Option(50_000, "--sample", min=100, metavar="N",
                                   help="At most this many replications (the first N): PRIM "
                                        "on a million rows takes long and shows no more."),
        fmt: Optional[Format] = typer.Option(None, "--format", "-f", metavar=choices(Format),
                                             help="table, json or csv (default: table, or "
                                                  "the suffix of the --out file)"),
        out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE",
                                           help="Write to this file instead of the terminal."),
        figure: bool = typer.Option(True, "--figure/--no-figure",
                                    help="Write discover_<OUTCOME>.png into the run folder.")):
    """Scenario discovery: the regions of the drawn inputs (draw.* columns) where an outcome
    concentrates, as PRIM boxes (coverage, density, ranges) and a shallow decision tree's rules.
    Needs the optional extra: pip install 'straitsim[analysis]'."""
    from sim.results.discover import (CSV_HEADER, discover, discovery_rows, format_discovery,
                                      require_analysis)
    from sim.results.rundir import load_run, record_files
    try:
        require_analysis()
        run = load_run(run_dir)
        table = run.table.slice(0, sample)
        d = discover(table, outcome, columns, boxes=boxes, depth=depth)
        d = {"scenario": run.name, "run_dir": str(run_dir), "root_seed": run.root_seed, **d}
        fmt = _format_from(out, fmt)
        text = _render(fmt, lambda: d, CSV_HEADER, lambda: discovery_rows(d),
                       lambda: format_discovery(d, f"{run.name} ({run.title})"))
        drawn = None
        if figure:
            from sim.plots.discover import discovery_figure
            safe = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in outcome)
            name = f"discover_{safe}.png"
            written = _write_all_or_none(run_dir, lambda tmp: [tmp / name] if discovery_figure(
                table, d, run.name, tmp / name) else [])
            if written:
                record_files(run_dir, [p.name for p in written])
                drawn = written[0]
    except (SimError, OSError) as exc:
        _fail(exc)
    from sim.results.rundir import write_text_atomic
    save_or_echo(text, out, write_text_atomic)
    if drawn is not None and fmt is Format.table:
        typer.echo(f"figure: {drawn}")
