"""Global sensitivity analysis with SALib: which assumptions drive which outcomes.

A *model* here is a plain picklable callable from one row of parameter values to a vector of
outputs (the EMA Workbench shape). :class:`SimulatorModel` runs R replications of a scenario
with the values set (the same root seed at every sample point, so the points share their random
numbers and the indices measure the parameters, not the noise between points);
:class:`Ishigami` is the analytic test function whose indices are known. Both go through the
same code: SALib's sampler, :func:`evaluate` on an executor's ``map_unordered`` in blocks saved
as they finish (so an interrupted analysis resumes), then SALib's analysis with a seeded
bootstrap for the confidence intervals.

The parameters file (YAML)::

    params:
      - {path: actors.us.resolve, low: 0, high: 1}
      - {path: actors.prc.rules.quarantine.probability, low: 0.05, high: 0.5}
    outputs: [survival_threatening, capitulation, us_combat_median_day]   # optional

Each ``path`` is a scenario value as ``--set`` names it; every sample point sets it to a plain
number drawn uniformly between ``low`` and ``high`` (a distribution there is replaced by that
number for the point). ``outputs`` defaults to :data:`DEFAULT_OUTPUTS`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sim.errors import ScenarioError, SimError

METHODS = ("sobol", "morris")
DEFAULT_SAMPLES = {"sobol": 256, "morris": 20}  # Sobol base N (a power of 2); Morris trajectories
DEFAULT_RUNS = 200        # replications per sample point
MORRIS_LEVELS = 4
BOOTSTRAP_RESAMPLES = 1000
STATE = "sensitivity.json"
PARTS = "parts"
DEFAULT_OUTPUTS = ("survival_threatening", "capitulation", "us_combat_median_day")


# --- outputs of a batch of outcome rows ---------------------------------------------------------

def _get(name: str):
    """Read column ``name`` from a row; None when the scenario's processes lack it."""
    def get(r):
        return r[r.columns.index(name)] if name in r.columns else None
    return get


def _share(rows, test) -> float:
    ok = [r for r in rows if r[-2] == "ok"]
    return sum(1 for r in ok if test(r)) / len(ok) if ok else math.nan


def _share_of(column: str):
    get = _get(column)
    return lambda rows, horizon: _share(rows, lambda r: bool(get(r)))


def _outcome_share(name: str):
    return lambda rows, horizon: _share(rows, lambda r: r[1] == name)  # outcome: a core column


def _us_combat_median_day(rows, horizon: float) -> float:
    """Median day of U.S. combat among replications where it happened; the horizon when it
    never did (so the output stays defined at every sample point)."""
    get = _get("us_intervention_day")
    days = [get(r) for r in rows if r[-2] == "ok" and get(r) is not None]
    return float(np.median(days)) if days else float(horizon)


OUTPUTS: dict[str, tuple[str, Callable]] = {
    "survival_threatening": ("share of replications in which Japan's survival-threatening "
                             "situation took effect", lambda rows, h: _share(
                                 rows, lambda r: _get("japan_survival_threatening_day")(r)
                                 is not None)),
    "capitulation": ("share ending in Taiwan's capitulation", _outcome_share("capitulation")),
    "us_combat_median_day": ("median day of U.S. combat where it happened (the horizon when it "
                             "never did)", _us_combat_median_day),
    "us_intervened": ("share with U.S. forces in combat", _share_of("us_intervened")),
    "taiwan_held": ("share in which Taiwan held", _share_of("taiwan_held")),
    "escalated_to_war": ("share escalated to war", _share_of("escalated_to_war")),
    "japan_struck": ("share in which Japan was struck", _share_of("japan_struck")),
    "bases_used": ("share with U.S. combat from bases in Japan", _share_of("bases_used")),
}


def output_function(name: str) -> Callable:
    """A named output, or ``outcome:<name>`` for the share of one outcome."""
    from sim.model.vocab import OUTCOMES
    if name in OUTPUTS:
        return OUTPUTS[name][1]
    if name.startswith("outcome:") and name.split(":", 1)[1] in OUTCOMES:
        return _outcome_share(name.split(":", 1)[1])
    raise SimError(f"unknown output {name!r}; one of {', '.join(OUTPUTS)}, or outcome:<name> "
                   f"with <name> one of {', '.join(OUTCOMES)}")


# --- models -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    path: str
    low: float
    high: float


class SimulatorModel:
    """R replications of a scenario with the factors set to one row of values (picklable)."""

    def __init__(self, data: dict, factors: Sequence[Factor], outputs: Sequence[str],
                 runs: int, seed: int):
        self.data, self.factors, self.names = data, tuple(factors), tuple(outputs)
        self.runs, self.seed = runs, seed
        self.horizon = float(data["horizon_days"]["value"]
                             if isinstance(data["horizon_days"], dict) else data["horizon_days"])
        self._fns = None

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_fns"}

    def __setstate__(self, state):
        self.__dict__.update(state, _fns=None)

    def describe(self) -> dict:
        return {"model": "straitsim", "runs_per_point": self.runs, "root_seed": self.seed,
                "outputs": list(self.names)}

    def scenario_data(self, x) -> dict:
        from sim.config.loader import apply_overrides
        from sim.config.yamlio import Marks
        return apply_overrides(copy.deepcopy(self.data), Marks(),
                               [f"{f.path}={float(v)!r}" for f, v in zip(self.factors, x)])

    def __call__(self, x) -> np.ndarray:
        from sim.batch.runner import compile_data
        from sim.model.replication import run_replications

        if self._fns is None:
            self._fns = [output_function(n) for n in self.names]
        c = compile_data(self.scenario_data(x))
        # a replication that raises is counted as an error row, as in a run
        rows = list(run_replications(c, self.seed, range(self.runs), errors=True))
        return np.array([f(rows, self.horizon) for f in self._fns], dtype=float)


class Ishigami:
    """f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3: the standard test of a
    sensitivity method, with indices known in closed form (a=7, b=0.1: S1 = 0.314, 0.442, 0;
    ST = 0.558, 0.442, 0.244)."""

    names = ("ishigami",)

    def __init__(self, a: float = 7.0, b: float = 0.1):
        self.a, self.b = a, b

    def describe(self) -> dict:
        return {"model": "ishigami", "a": self.a, "b": self.b}

    def __call__(self, x) -> np.ndarray:
        x1, x2, x3 = x
        return np.array([math.sin(x1) + self.a * math.sin(x2) ** 2
                         + self.b * x3 ** 4 * math.sin(x1)])

    def analytic(self) -> dict:
        a, b, pi = self.a, self.b, math.pi
        v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
        v2 = a ** 2 / 8
        v13 = b ** 2 * pi ** 8 / 18 - b ** 2 * pi ** 8 / 50
        v = v1 + v2 + v13
        return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}


# --- evaluation on an executor ------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """Sample points ``start..start+len(x)-1`` for one task (picklable)."""
    model: object
    start: int
    x: np.ndarray


def evaluate_block(block: Block) -> np.ndarray:
    """Evaluate one block of sample points (runs in a worker)."""
    return np.array([block.model(row) for row in block.x], dtype=float)


def block_size_for(n_points: int, workers: int, per_point_cost: int) -> int:
    """About 8 blocks per worker, each worth at least ~2,000 replications (or 2,000 cheap
    evaluations), so a task outweighs sending it and a resume loses little."""
    floor = max(1, 2000 // max(1, per_point_cost))
    return max(floor, -(-n_points // (max(1, workers) * 8)))


def evaluate(model, X: np.ndarray, *, executor=None, parts: Path | None = None,
             key: str = "", block_size: int | None = None,
             on_block: Callable[[int], None] | None = None) -> np.ndarray:
    """Y for every row of X, computed in blocks on ``executor``; with ``parts``, each block is
    saved as it finishes (``block-<start>-<stop>.npy``) and blocks already there are reused."""
    from sim.batch.executors import SerialExecutor

    ex = executor or SerialExecutor()
    n = len(X)
    size = block_size or block_size_for(n, ex.workers, getattr(model, "runs", 1))
    n_out = len(model.names)
    Y = np.full((n, n_out), np.nan)
    have = np.zeros(n, dtype=bool)
    if parts is not None:
        parts.mkdir(parents=True, exist_ok=True)
        for f in sorted(parts.glob("block-*.npy")):
            a, b = (int(s) for s in f.stem.split("-")[1:3])
            try:
                y = np.load(f)
            except (OSError, ValueError):
                f.unlink(missing_ok=True)
                continue
            if y.shape == (b - a, n_out) and b <= n:
                Y[a:b], have[a:b] = y, True
    todo = [(a, min(n, a + size)) for a in range(0, n, size) if not have[a:min(n, a + size)].all()]
    tasks = [Block(model, a, X[a:b]) for a, b in todo]
    for i, y in ex.map_unordered(evaluate_block, tasks):
        a = tasks[i].start
        b = a + len(y)
        Y[a:b] = y
        if parts is not None:
            tmp = parts / f".block-{a:08d}-{b:08d}.tmp.npy"
            np.save(tmp, y)
            os.replace(tmp, parts / f"block-{a:08d}-{b:08d}.npy")
        if on_block is not None:
            on_block(b - a)
    return Y


# --- sampling and analysis --------------------------------------------------------------------

def problem(factors: Sequence[Factor]) -> dict:
    return {"num_vars": len(factors), "names": [f.path for f in factors],
            "bounds": [[f.low, f.high] for f in factors]}


def sample(method: str, factors: Sequence[Factor], samples: int, seed: int) -> np.ndarray:
    """SALib's sampler matching the analysis (Saltelli-Sobol' sequence, or Morris paths)."""
    if method == "sobol":
        from SALib.sample import sobol
        if samples < 2 or samples & (samples - 1):
            raise SimError(f"--samples {samples}: Sobol' sampling needs a power of 2 "
                           f"(e.g. 256, 512, 1024)")
        return sobol.sample(problem(factors), samples, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris
        if samples < 2:
            raise SimError(f"--samples {samples}: Morris needs at least 2 trajectories")
        return morris.sample(problem(factors), samples, num_levels=MORRIS_LEVELS, seed=seed)
    raise SimError(f"--method {method}: one of {', '.join(METHODS)}")


def points_needed(method: str, n_factors: int, samples: int) -> int:
    return samples * (n_factors + 2) if method == "sobol" else samples * (n_factors + 1)


def analyse(method: str, factors: Sequence[Factor], X: np.ndarray, Y: np.ndarray,
            names: Sequence[str], seed: int) -> tuple[list[dict], list[str]]:
    """Indices per (output, factor) with seeded bootstrap 95% intervals, and warnings."""
    import warnings as _w

    prob = problem(factors)
    table, notes = [], []
    for j, out in enumerate(names):
        y = Y[:, j]
        if not np.isfinite(y).all():
            notes.append(f"{out}: {int((~np.isfinite(y)).sum())} sample points gave no value "
                         f"(every replication raised); indices not computed")
            continue
        if np.ptp(y) == 0:
            notes.append(f"{out}: the same value ({y[0]:g}) at every sample point; no parameter "
                         f"moves it, indices undefined")
            continue
        with _w.catch_warnings():
            _w.simplefilter("ignore")
            if method == "sobol":
                from SALib.analyze import sobol
                si = sobol.analyze(prob, y, calc_second_order=False, conf_level=0.95,
                                   num_resamples=BOOTSTRAP_RESAMPLES, seed=seed)
                keys = ("S1", "ST")
            else:
                from SALib.analyze import morris
                si = morris.analyze(prob, X, y, conf_level=0.95, num_levels=MORRIS_LEVELS,
                                    num_resamples=BOOTSTRAP_RESAMPLES, seed=seed)
                keys = ("mu_star",)
        for k, f in enumerate(factors):
            row = {"output": out, "param": f.path}
            if method == "sobol":
                row.update(S1=float(si["S1"][k]), S1_conf=float(si["S1_conf"][k]),
                           ST=float(si["ST"][k]), ST_conf=float(si["ST_conf"][k]))
            else:
                row.update(mu=float(si["mu"][k]), mu_star=float(si["mu_star"][k]),
                           mu_star_conf=float(si["mu_star_conf"][k]), sigma=float(si["sigma"][k]))
            table.append(row)
            for key in keys:
                v, c = row[key], row[f"{key}_conf"]
                if v - c < 0 < v + c or v + c < 0:
                    notes.append(f"{out}: {key} of {f.path} = {v:.3f} +/- {c:.3f}: the interval "
                                 f"reaches below zero, so it cannot be told from zero; more "
                                 f"--samples (or --runs) narrow it")
    return table, notes


# --- the params file ----------------------------------------------------------------------------

def read_params_file(path: Path) -> tuple[list[Factor], list[str] | None, dict]:
    """Factors and outputs from the YAML parameters file, with ``file:line:col`` errors.

    Returns the marks too, so a scenario check can point at the right line."""
    from sim.config.yamlio import read_yaml

    data, marks = read_yaml(Path(path))

    def err(problem_: str, loc: tuple) -> ScenarioError:
        f, line, col = marks.where(loc)
        return ScenarioError(problem_, file=f or str(path), line=line, col=col,
                             path=".".join(map(str, loc)) or None)

    if not isinstance(data, dict):
        raise err("expected a mapping with 'params' (and optionally 'outputs')", ())
    unknown = sorted(set(data) - {"params", "outputs"})
    if unknown:
        raise err(f"unknown key {unknown[0]!r}; expected params, outputs", (unknown[0],))
    items = data.get("params")
    if not isinstance(items, list) or not items:
        raise err("'params' must be a non-empty list of {path, low, high}", ("params",))
    factors: list[Factor] = []
    for i, item in enumerate(items):
        loc = ("params", i)
        if not isinstance(item, dict):
            raise err("each parameter is a mapping {path, low, high}", loc)
        extra = sorted(set(item) - {"path", "low", "high", "note"})
        if extra:
            raise err(f"unknown key {extra[0]!r}; expected path, low, high, note",
                      loc + (extra[0],))
        for k in ("path", "low", "high"):
            if k not in item:
                raise err(f"missing '{k}'", loc)
        p = item["path"]
        if not isinstance(p, str) or not p or any(not s for s in p.split(".")):
            raise err("path must be a dotted scenario path such as actors.us.resolve",
                      loc + ("path",))
        bounds = []
        for k in ("low", "high"):
            v = item[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise err(f"{k} must be a finite number (got {v!r})", loc + (k,))
            bounds.append(float(v))
        if bounds[1] <= bounds[0]:
            raise err(f"high ({bounds[1]:g}) must be above low ({bounds[0]:g})", loc + ("high",))
        if any(f.path == p for f in factors):
            raise err(f"{p} is listed twice", loc + ("path",))
        factors.append(Factor(p, bounds[0], bounds[1]))
    outputs = data.get("outputs")
    if outputs is not None:
        if not isinstance(outputs, list) or not outputs or \
                not all(isinstance(o, str) for o in outputs):
            raise err("'outputs' must be a non-empty list of output names", ("outputs",))
        for k, o in enumerate(outputs):
            try:
                output_function(o)
            except SimError as exc:
                raise err(str(exc), ("outputs", k)) from None
        if len(set(outputs)) != len(outputs):
            raise err("an output is listed twice", ("outputs",))
    return factors, outputs, marks


def check_factors(scenario_path: Path, sets: Sequence[str], factors: Sequence[Factor],
                  params_file: Path, marks) -> "object":
    """Load the scenario with each factor at its low and its high end; a value the scenario
    refuses is blamed on the parameters file's line. Returns the loaded base scenario."""
    from sim.config.loader import load

    base = load(scenario_path, sets)
    for i, f in enumerate(factors):
        for end, v in (("low", f.low), ("high", f.high)):
            try:
                load(scenario_path, [*sets, f"{f.path}={v!r}"])
            except ScenarioError as exc:
                file, line, col = marks.where(("params", i, end if "must" in exc.problem
                                               else "path"))
                raise ScenarioError(f"{exc.path or f.path}: {exc.problem} (with {end} = {v:g})",
                                    file=file or str(params_file), line=line, col=col,
                                    path=f"params.{i}") from None
    return base


# --- the whole analysis -------------------------------------------------------------------------

class AnalysisInterrupted(SimError):
    """Ctrl-C or a lost worker stopped the evaluation; finished blocks are kept for --resume."""

    def __init__(self, out: Path, reason: str):
        self.out, self.reason = out, reason
        super().__init__(f"{reason}: the finished sample points are saved in {out}; run the "
                         f"same command with --resume to finish")


@dataclass
class SensitivityResult:
    out: Path
    table: list[dict]
    notes: list[str]
    manifest: dict
    points: int
    reused_points: int


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def run_sensitivity(model, factors: Sequence[Factor], method: str, samples: int, seed: int,
                    out: Path, *, executor=None, resume: bool = False, plots: bool = True,
                    title: str = "", extra_manifest: dict | None = None,
                    on_block: Callable[[int], None] | None = None) -> SensitivityResult:
    """Sample, evaluate (resumably, on ``executor``), analyse and write ``out``.

    Files: ``samples.parquet`` (one row per sample point: parameter values and outputs),
    ``indices.csv``, ``indices.png`` and ``manifest.json`` (written last)."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.batch.executors import SerialExecutor
    from sim.experiments.files import write_json_atomic, write_text_atomic
    from sim.results.table import versions

    if method not in METHODS:
        raise SimError(f"--method {method}: one of {', '.join(METHODS)}")
    ex = executor or SerialExecutor()
    out = Path(out)
    X = sample(method, factors, samples, seed)
    state = {"method": method, "samples": samples, "seed": seed, "problem": problem(factors),
             "model": model.describe(), "model_key": _digest([model.describe(),
                                                              extra_manifest or {}]),
             "points": len(X)}
    if out.exists() and not out.is_dir():
        raise SimError(f"{out}: output path exists and is not a folder")
    state_path = out / STATE
    if state_path.exists():
        if not resume:
            raise SimError(f"{out} holds a sensitivity analysis: choose another --out, or "
                           f"--resume to finish it")
        recorded = json.loads(state_path.read_text(encoding="utf-8"))
        if recorded != state:
            raise SimError(f"--resume {out}: that analysis had other settings (scenario, "
                           f"parameters, method, samples, runs or seed)")
    elif resume:
        raise SimError(f"--resume {out}: not a sensitivity folder (no {STATE})")
    elif out.exists() and any(out.iterdir()):
        raise SimError(f"{out}: folder exists and is not empty; choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(state_path, state)

    parts = out / PARTS
    before = sum(int(f.stem.split("-")[2]) - int(f.stem.split("-")[1])
                 for f in parts.glob("block-*.npy")) if parts.exists() else 0
    t0 = time.perf_counter()
    from sim.batch.executors import ExecutorError
    try:
        Y = evaluate(model, X, executor=ex, parts=parts, on_block=on_block)
    except KeyboardInterrupt:
        raise AnalysisInterrupted(out, "interrupted") from None
    except ExecutorError as exc:
        raise AnalysisInterrupted(out, str(exc)) from None
    wall = time.perf_counter() - t0
    table, notes = analyse(method, factors, X, Y, model.names, seed)

    cols = {f.path: pa.array(X[:, k]) for k, f in enumerate(factors)}
    cols.update({n: pa.array(Y[:, j]) for j, n in enumerate(model.names)})
    tmp = out / ".samples.parquet.tmp"
    pq.write_table(pa.table(cols), tmp)
    os.replace(tmp, out / "samples.parquet")
    buf = io.StringIO()
    if table:
        w = csv.DictWriter(buf, fieldnames=list(table[0]))
        w.writeheader()
        w.writerows(table)
    write_text_atomic(out / "indices.csv", buf.getvalue())
    figures = []
    if plots and table:
        from sim.plots.sweep import indices_figure
        indices_figure(table, method, title or model.describe()["model"], out / "indices.png")
        figures.append("indices.png")
    manifest = {
        "kind": "sensitivity", "method": method, "salib": _salib_version(),
        "sampler": ("SALib.sample.sobol (Saltelli scheme, scrambled Sobol' sequence, first-order "
                    "and total indices)" if method == "sobol" else
                    f"SALib.sample.morris ({MORRIS_LEVELS} levels)"),
        "samples": samples, "points": len(X), "seed": seed,
        "confidence": f"95% bootstrap, {BOOTSTRAP_RESAMPLES} resamples, seed {seed}",
        "problem": problem(factors), "outputs": {n: OUTPUTS.get(n, (n,))[0]
                                                 for n in model.names},
        "model": model.describe(), "executor": ex.describe(), "resumed_points": before,
        "wall_seconds": round(wall, 3), "warnings": notes, "indices": table,
        "versions": versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files_written": ["samples.parquet", "indices.csv", *figures],
        **(extra_manifest or {}),
    }
    write_json_atomic(out / "manifest.json", manifest)
    import shutil
    shutil.rmtree(parts, ignore_errors=True)
    return SensitivityResult(out, table, notes, manifest, len(X), before)


def _salib_version() -> str:
    from importlib.metadata import version
    try:
        return version("SALib")
    except Exception:  # noqa: BLE001
        return "unknown"


def format_indices(table: list[dict], method: str) -> str:
    if not table:
        return "(no indices)"
    width = max(len(r["param"]) for r in table)
    if method == "sobol":
        head = f"{'output':<22} {'parameter':<{width}}  {'S1':>7} {'+/-':>6}  {'ST':>7} {'+/-':>6}"
        lines = [head] + [f"{r['output']:<22} {r['param']:<{width}}  {r['S1']:7.3f} "
                          f"{r['S1_conf']:6.3f}  {r['ST']:7.3f} {r['ST_conf']:6.3f}"
                          for r in table]
    else:
        head = (f"{'output':<22} {'parameter':<{width}}  {'mu*':>8} {'+/-':>7}  "
                f"{'sigma':>8}")
        lines = [head] + [f"{r['output']:<22} {r['param']:<{width}}  {r['mu_star']:8.3f} "
                          f"{r['mu_star_conf']:7.3f}  {r['sigma']:8.3f}" for r in table]
    return "\n".join(lines)
