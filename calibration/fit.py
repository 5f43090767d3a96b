"""Fit the values the sources leave open to a case's `fitted` checks, and nothing else.

    .venv/bin/python calibration/fit.py calibration/invasion_2023.yaml            # fit
    .venv/bin/python calibration/fit.py calibration/invasion_2023.yaml --check    # score only
    .venv/bin/python calibration/fit.py calibration/invasion_2023.yaml --check --runs 3000

A fit spec (YAML) names the case, at most five scenario values to fit (each a ``--set`` path with
bounds and the reason the sources leave it open), the replications per evaluation and the
optimiser's budget. Every evaluation runs the case's scenario with the same root seed (common
random numbers), so the objective moves only with the fitted values. The objective is the sum of
squared distances of each ``fitted`` check's estimate outside its band, each distance in units
of the band's width: zero once every fitted check is inside. ``checked`` checks never enter it;
they are reported beside the fit as the test of the model. The optimiser is SciPy's
differential evolution with a fixed seed, so a rerun gives the same values.

The script writes ``<out>/fit.json`` (values, objective, the case table before and after) and
prints the YAML to paste into the scenario, each value labelled
``assumption: calibrated to <case>``. It never edits a scenario itself.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MAX_FITTED = 5


def load_spec(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = spec.get("fit", [])
    if not 1 <= len(params) <= MAX_FITTED:
        raise SystemExit(f"{path}: fit lists {len(params)} values; give 1 to {MAX_FITTED}")
    for p in params:
        missing = {"path", "low", "high", "why_open"} - set(p)
        if missing:
            raise SystemExit(f"{path}: fit entry {p.get('path', '?')} lacks {sorted(missing)}")
        if not p["low"] < p["high"]:
            raise SystemExit(f"{path}: fit entry {p['path']}: low must be below high")
    return spec


def band_distance(estimate: float, lo: float | None, hi: float | None) -> float:
    """How far ``estimate`` lies outside [lo, hi], in units of the band's width (or of the one
    bound's size when the band is open on one side); 0 inside, and 1 when there is no data."""
    if estimate != estimate:  # NaN: no replication qualified
        return 1.0
    width = (hi - lo) if lo is not None and hi is not None else abs(lo if lo is not None else hi)
    width = width or 1.0
    below = (lo - estimate) if lo is not None and estimate < lo else 0.0
    above = (estimate - hi) if hi is not None and estimate > hi else 0.0
    return (below + above) / width


def objective(scores: list[dict]) -> float:
    return sum(band_distance(s["estimate"], s["band_min"], s["band_max"]) ** 2
               for s in scores if s["role"] == "fitted")


class Evaluator:
    """Runs the case's scenario at given values of the fitted paths and scores it."""

    def __init__(self, spec: dict, spec_path: Path, workers: int = 1):
        from sim.config.cases import load_case
        self.case = load_case((spec_path.parent / spec["case"]).resolve())
        self.paths = [p["path"] for p in spec["fit"]]
        self.runs = int(spec.get("runs", self.case.case.runs))
        self.seed = int(spec.get("seed", self.case.case.seed))
        self.workers = workers
        self.calls = 0

    def scores(self, values) -> list[dict]:
        from sim.batch.runner import run_batch
        from sim.config.loader import load
        from sim.results.cases import score_case
        from sim.results.table import to_table
        sets = [f"{p}={float(v)!r}" for p, v in zip(self.paths, values)]
        loaded = load(self.case.scenario_path, sets)
        table = to_table(run_batch(loaded.data, self.runs, self.seed, workers=self.workers))
        import pyarrow.compute as pc
        ok = table.filter(pc.equal(table.column("status"), "ok"))
        self.calls += 1
        return score_case(self.case.case, ok)

    def __call__(self, values) -> float:
        return objective(self.scores(values))


def fit(spec: dict, spec_path: Path, workers: int = 1) -> dict:
    from scipy.optimize import differential_evolution
    ev = Evaluator(spec, spec_path, workers)
    bounds = [(p["low"], p["high"]) for p in spec["fit"]]
    budget = spec.get("optimiser", {})
    res = differential_evolution(ev, bounds, seed=int(budget.get("seed", 0)),
                                 maxiter=int(budget.get("maxiter", 20)),
                                 popsize=int(budget.get("popsize", 6)), polish=False,
                                 tol=0.0, atol=0.0)
    values = [float(v) for v in res.x]
    return {"case": ev.case.case.name, "paths": ev.paths, "values": values,
            "objective": float(res.fun), "evaluations": ev.calls, "runs": ev.runs,
            "seed": ev.seed, "scores": _jsonable(ev.scores(values))}


def _jsonable(scores: list[dict]) -> list[dict]:
    out = []
    for s in scores:
        d = dict(s)
        d["ci95"] = [None if (x != x or math.isinf(x)) else x for x in d["ci95"]]
        if d["estimate"] != d["estimate"]:
            d["estimate"] = None
        out.append(d)
    return out


def as_yaml(result: dict, spec: dict) -> str:
    lines = []
    for p, v in zip(spec["fit"], result["values"]):
        why = f"calibrated to the {result['case']} case ({p['why_open']})".replace("'", "''")
        lines.append(f"# {p['path']}\n{{value: {v:.4g}, assumption: '{why}'}}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec", type=Path)
    ap.add_argument("--check", action="store_true", help="score the scenario as it is; no fit")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--runs", type=int, default=None,
                    help="replications per evaluation instead of the spec's (e.g. the case's "
                         "own size for --check)")
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "calibration")
    args = ap.parse_args(argv)
    spec = load_spec(args.spec)
    if args.runs is not None:
        spec["runs"] = args.runs
    from sim.results.cases import format_scores
    if args.check:
        ev = Evaluator(spec, args.spec, args.workers)
        scores = ev.scores([_current(ev.case.scenario_path, p) for p in ev.paths])
        print(format_scores(f"{ev.case.case.title} (n={ev.runs}, seed {ev.seed})", scores))
        print(f"objective (fitted checks only): {objective(scores):.4g}")
        return 0
    result = fit(spec, args.spec, args.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fit.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(format_scores(f"{result['case']}: after the fit", result["scores"]))
    print(f"objective {result['objective']:.4g} after {result['evaluations']} evaluations of "
          f"{result['runs']} replications; wrote {args.out / 'fit.json'}")
    print(as_yaml(result, spec))
    return 0


def _current(scenario: Path, path: str) -> float:
    """The value a path has in the resolved scenario (a fixed quantity's value)."""
    from sim.config.loader import load
    node = load(scenario).data
    for key in path.split("."):
        node = node[key]
    if isinstance(node, dict):
        if "value" not in node:
            raise SystemExit(f"{path}: a distribution; --check scores only fixed values")
        node = node["value"]
    return float(node)


if __name__ == "__main__":
    sys.exit(main())
