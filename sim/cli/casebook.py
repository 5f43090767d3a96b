"""``straitsim casebook``: run the cases in ``cases/`` and hold the model against published
results (``sim.results.casebook``), writing a page and a JSON file.

Each case's scenario runs through the normal batch path (``sim.batch.execute.run_to_folder``)
into ``OUT/<case name>/``, a run folder like ``straitsim run``'s, with its weekly table when a
check reads one; a finished run of the same scenario, seed and size there is reused.
"""

from __future__ import annotations

import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from sim.cli.common import WorkersOpt, _fail, app, choices
from sim.errors import SimError


class Strict(str, Enum):
    fitted = "fitted"
    all = "all"


def _case_paths(names: list[str]) -> list[Path]:
    """Case files given as paths or as names of files in the bundled ``cases/``."""
    from sim.resources import cases_dir
    folder = cases_dir()
    if not names:
        found = sorted(folder.glob("*.yaml"))
        if not found:
            raise SimError(f"no cases to run: {folder} holds no *.yaml (give case files)")
        return found
    paths = []
    for n in names:
        p = Path(n)
        if not p.exists() and p.parent == Path(".") and (folder / f"{p.stem}.yaml").is_file():
            p = folder / f"{p.stem}.yaml"
        if not p.is_file():
            known = ", ".join(sorted(f.stem for f in folder.glob("*.yaml")))
            raise SimError(f"{n}: no such case file, and no case by that name in {folder}"
                           f"{' (cases: ' + known + ')' if known else ''}")
        paths.append(p)
    return paths


def _prepare(path: Path):
    """The case, its scenario (loaded) and whether it reads the weekly table; every check's
    columns are checked against the scenario's before anything runs."""
    from sim.config.cases import load_case
    from sim.config.loader import load
    from sim.model.compiled import compile_scenario
    from sim.results.casebook import preflight
    case = load_case(path)
    scenario = load(case.scenario_path)
    compiled = compile_scenario(scenario.scenario)
    weekly_cols = [c[0] for P in compiled.processes for c in P.weekly_columns]
    preflight(case, compiled.column_names, weekly_cols)
    needs_weekly = any(c.week is not None for c in case.case.checks.values())
    return case, scenario, needs_weekly


def _run_case(case, scenario, needs_weekly: bool, runs: int, folder: Path,
              workers: Optional[int]):
    """The case's run folder, run (or reused) through the batch path."""
    import json

    from sim.batch.claim import kind_of
    from sim.batch.execute import run_to_folder
    from sim.batch.executors import cpu_count, open_executor
    from sim.batch.runner import MIN_CHUNK
    seed = case.case.seed
    if kind_of(folder) == "finished":
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if (m.get("scenario_hash"), m.get("root_seed"), m.get("runs")) == (
                scenario.hash, seed, runs) and (m.get("weekly") or not needs_weekly):
            return "reused"
    n = workers or cpu_count()
    if runs < 2 * MIN_CHUNK:
        n = 1  # starting processes would cost more than the batch
    with open_executor("local", workers=n) as ex:
        run_to_folder(scenario, runs, seed, folder, executor=ex, plots=False, force=True,
                      weekly=needs_weekly)
    return "ran"


@app.command("casebook")
def casebook_cmd(
        cases: Optional[List[str]] = typer.Argument(
            None, metavar="CASE",
            help="Case files, or names of the cases in cases/ [default: every cases/*.yaml]."),
        runs: Optional[int] = typer.Option(None, "--runs", "-n", min=1, metavar="N",
                                           help="Replications per case [default: each case's "
                                                "runs]."),
        out: Path = typer.Option(Path("runs/casebook"), "--out", "-o", metavar="DIR",
                                 help="Folder for the cases' run folders, casebook.json and "
                                      "casebook.html."),
        workers: Optional[int] = WorkersOpt,
        strict: Optional[Strict] = typer.Option(
            None, "--strict", metavar=choices(Strict),
            help="Exit 1 when a check's estimate is outside its band: 'fitted' counts only "
                 "fitted checks (a calibration that no longer holds), 'all' every check "
                 "[default: exit 0 whatever the verdicts]."),
        fmt_json: bool = typer.Option(False, "--json", help="Print casebook.json instead of "
                                                           "the table.")):
    """Run every case (a published result: scenario variant, figures, bands) and print the
    model against the published figures with 95% intervals and a verdict per check and per
    case; write casebook.json and casebook.html in --out.

    Verdicts: inside, inside-at-edge (the interval crosses a band edge), outside-at-edge,
    outside, no data. Exit codes: 0 the cases ran (misses are on the page), 1 --strict and a
    check outside its band, 2 bad input (a case file's error names file:line: field).
    """
    from sim.report.casebook import build_casebook_page
    from sim.results.casebook import failing, format_casebook, score, to_json
    from sim.results.rundir import load_run, write_text_atomic
    try:
        if out.exists() and not out.is_dir():
            raise SimError(f"--out {out}: exists and is not a folder")
        prepared = [_prepare(p) for p in _case_paths(cases or [])]  # all checked before any run
        names = [c.case.name for c, _, _ in prepared]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup:
            raise SimError(f"two cases are named {dup!r}: each needs its own run folder")
        scored = []
        for case, scenario, needs_weekly in prepared:
            n = runs or case.case.runs
            folder = out / case.case.name
            how = _run_case(case, scenario, needs_weekly, n, folder, workers)
            run = load_run(folder)
            weekly = None
            if needs_weekly:
                import pyarrow.parquet as pq
                weekly = pq.read_table(folder / "weekly.parquet")
            s = score(case, run.ok(), weekly)
            s.update(run_dir=str(folder), errors=run.errors, run=how)
            scored.append(s)
        book = {"command": shlex.join(["straitsim", "casebook", *sys.argv[2:]])
                if sys.argv[1:2] == ["casebook"] else "straitsim casebook",
                "strict": strict.value if strict else None,
                "verdicts": "inside, inside-at-edge, outside-at-edge, outside, no data "
                            "(sim.results.casebook)",
                "cases": scored}
        write_text_atomic(out / "casebook.json", to_json(book))
        write_text_atomic(out / "casebook.html", build_casebook_page(book))
    except (SimError, OSError) as exc:
        _fail(exc)
    if fmt_json:
        typer.echo(to_json(book), nl=False)
    else:
        typer.echo(format_casebook(scored))
        typer.echo(f"wrote {out}/casebook.json, {out}/casebook.html")
    bad = failing(scored, strict.value if strict else None)
    if bad:
        typer.echo(f"--strict {strict.value}: {len(bad)} check(s) outside their band: "
                   + ", ".join(f"{c}/{k}" for c, k in bad), err=True)
        raise typer.Exit(1)
