"""The casebook: every case in ``cases/`` scored, with a verdict per check and per case
(``straitsim casebook``).

A check's verdict reads its estimate against the band and its 95% interval against the band's
edges (``sim.results.cases`` computes both):

- ``inside``: the estimate and its whole interval lie in the band;
- ``inside-at-edge``: the estimate lies in the band but its interval crosses an edge, so more
  replications could move it out;
- ``outside-at-edge``: the estimate lies outside but its interval reaches into the band;
- ``outside``: the estimate and its whole interval lie outside;
- ``no data``: no replication qualified (e.g. a median over repelled runs when none was).

A case's verdict is its worst check's, in the order outside (either kind) > no data >
inside-at-edge > inside, so a case is ``inside`` only when every check is firmly inside. Both
roles count: a ``checked`` miss is a finding about the model, a ``fitted`` miss a calibration
that no longer holds; ``--strict`` chooses which of them fails the command.
"""

from __future__ import annotations

import math

from sim.errors import ScenarioError

VERDICTS = ("inside", "inside-at-edge", "outside-at-edge", "outside", "no data")
_RANK = {"inside": 0, "inside-at-edge": 1, "no data": 2, "outside-at-edge": 3, "outside": 3}
CASE_VERDICTS = ("inside", "inside-at-edge", "no data", "outside")


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def verdict(estimate: float, ci, band_min: float | None, band_max: float | None,
            n: int) -> str:
    """One check's verdict (module docstring). An interval that could not be computed (a mean
    of one value) counts as crossing the edge: nothing says the verdict is firm."""
    if n == 0 or _nan(estimate):
        return "no data"
    lo_ok = band_min is None or estimate >= band_min
    hi_ok = band_max is None or estimate <= band_max
    lo, hi = (math.nan, math.nan) if ci is None else ci
    unknown = _nan(lo) or _nan(hi)
    if lo_ok and hi_ok:
        crosses = unknown or (band_min is not None and lo < band_min) \
            or (band_max is not None and hi > band_max)
        return "inside-at-edge" if crosses else "inside"
    reaches = unknown or ((band_max is None or lo <= band_max)
                          and (band_min is None or hi >= band_min))
    return "outside-at-edge" if reaches else "outside"


def is_outside(v: str) -> bool:
    return v in ("outside", "outside-at-edge")


def case_verdict(verdicts) -> str:
    """The worst of a case's check verdicts (module docstring); ``outside`` for either kind."""
    worst = max(verdicts, key=lambda v: _RANK[v], default="no data")
    return "outside" if is_outside(worst) else worst


def score(loaded, table, weekly=None) -> dict:
    """A case (``sim.config.cases.LoadedCase``) scored on a run's ok rows (and weekly table):
    the case's fields, each check's score with its verdict, and the case's verdict."""
    from sim.results.cases import score_case
    case = loaded.case
    checks = score_case(case, table, weekly)
    for c in checks:
        c["verdict"] = verdict(c["estimate"], c["ci95"], c["band_min"], c["band_max"], c["n"])
    by_role = {}
    for role in ("fitted", "checked"):
        mine = [c for c in checks if c["role"] == role]
        by_role[role] = {"checks": len(mine),
                         "inside": sum(not is_outside(c["verdict"]) and c["verdict"] != "no data"
                                       for c in mine),
                         "outside": sum(is_outside(c["verdict"]) for c in mine),
                         "no_data": sum(c["verdict"] == "no data" for c in mine)}
    return {"name": case.name, "title": case.title, "description": case.description,
            "file": str(loaded.path), "scenario": str(loaded.scenario_path),
            "source": case.source, "seed": case.seed, "runs": table.num_rows,
            "verdict": case_verdict([c["verdict"] for c in checks]), "roles": by_role,
            "checks": checks}


def failing(cases: list[dict], strict: str | None) -> list[tuple[str, str]]:
    """(case, check) pairs that fail ``--strict`` (``fitted``: fitted checks outside their
    band; ``all``: any check outside); none without ``--strict``."""
    if strict is None:
        return []
    return [(c["name"], k["check"]) for c in cases for k in c["checks"]
            if is_outside(k["verdict"]) and (strict == "all" or k["role"] == "fitted")]


def preflight(loaded, columns, weekly_columns) -> None:
    """Check a case against the columns its scenario's run will have, before running it:
    a check that reads a column the run cannot have, or an outcome no model has, is a
    ``ScenarioError`` naming the case file, line and field."""
    from sim.config.yamlio import read_yaml
    from sim.model.vocab import OUTCOMES
    _, marks = read_yaml(loaded.path)
    columns, weekly_columns = set(columns), set(weekly_columns)

    def fail(path: tuple, problem: str):
        f, line, col = marks.where(path)
        raise ScenarioError(problem, file=f or str(loaded.path), line=line, col=col,
                            path=".".join(map(str, path)))

    for name, check in loaded.case.checks.items():
        where = ("checks", name)
        for col in check.where:
            if col not in columns:
                fail(where + ("where", col), f"the scenario's run has no column {col!r}")
        if check.column is not None:
            pool, kind = ((weekly_columns, "weekly column") if check.week is not None
                          else (columns, "column"))
            if check.column not in pool:
                import difflib
                close = difflib.get_close_matches(check.column, sorted(pool), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                fail(where + ("column",), f"the scenario's run has no {kind} "
                                          f"{check.column!r}{hint}")
        for i, o in enumerate(check.outcomes or []):
            if o not in OUTCOMES:
                fail(where + ("outcomes", i), f"no outcome {o!r} (outcomes: "
                                              f"{', '.join(OUTCOMES)})")


def to_json(book: dict) -> str:
    """``casebook.json``: NaN (no data, or no interval) written as null, which JSON has."""
    import json

    def finite(o):
        if isinstance(o, float) and o != o:
            return None
        if isinstance(o, dict):
            return {k: finite(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [finite(v) for v in o]
        return o
    return json.dumps(finite(book), indent=2, default=str) + "\n"


def _num(x) -> str:
    if _nan(x):
        return "-"
    if abs(x) < 1e-9:
        return "0"  # a Wilson bound of 2e-19 is 0
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def format_casebook(cases: list[dict]) -> str:
    """The terminal table: per case a header with its verdict, then a row per check."""
    out = []
    for c in cases:
        r = c["roles"]
        out += [f"{c['name']}: {c['title']}",
                f"  {c['runs']} replications, seed {c['seed']}; verdict: {c['verdict']} "
                f"(fitted {r['fitted']['inside']}/{r['fitted']['checks']} inside, checked "
                f"{r['checked']['inside']}/{r['checked']['checks']} inside)",
                f"  {'check':<26}{'role':<9}{'model [95% CI]':<36}{'published':<18}"
                f"{'band':<20}verdict"]
        for s in c["checks"]:
            est = "-" if s["n"] == 0 else (f"{_num(s['estimate'])} [{_num(s['ci95'][0])}, "
                                           f"{_num(s['ci95'][1])}] n={s['n']}")
            pub = "-" if s["published"] is None else f"{s['published']:g} {s['unit']}"
            out.append(f"  {s['check']:<26}{s['role']:<9}{est:<36}{pub:<18}{s['band']:<20}"
                       f"{s['verdict']}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
