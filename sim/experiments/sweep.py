"""Parameter sweeps: the same scenario at every point of a grid of values, one run folder each.

Every point runs replications ``0..runs-1`` under the same root seed, so the points share their
random numbers (common random numbers): a difference between two points comes from the values
swept, not from chance. Each point is an ordinary run folder written by
:func:`sim.batch.execute.run_to_folder` on the caller's executor, so a sweep resumes as a run
does: finished points are kept, an interrupted point continues from its saved chunks.

Layout::

    OUT/sweep.json          what is being swept (written first; a resume checks it)
    OUT/point-000/ ...      one run folder per grid point (outcomes.parquet, manifest.json, ...)
    OUT/sweep.parquet       every point's rows, with the point number and one column per parameter
    OUT/sweep_summary.csv   per point: each outcome and indicator share with its 95% interval
    OUT/sweep_<param>.png   each outcome share against a swept parameter, with intervals
    OUT/manifest.json       written last: the sweep is complete
"""

from __future__ import annotations

import itertools
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from sim.errors import SimError
from sim.results.labels import short_labels

STATE = "sweep.json"
FORMAT = 1
MAX_POINTS = 10_000


@dataclass(frozen=True)
class Param:
    path: str
    values: tuple
    text: str  # as given on the command line


def _split_top(text: str) -> list[str]:
    """Split on commas outside brackets, so ``{dist: uniform, low: 0, high: 1}`` stays whole."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def parse_param(text: str) -> Param:
    """``path=v1,v2,...`` (each value read as YAML) or ``path=lo:hi:steps`` (evenly spaced)."""
    from sim.config.yamlio import parse_yaml

    where = f"--param {text}"
    if "=" not in text:
        raise SimError(f"{where}: expected path=v1,v2,... or path=lo:hi:steps")
    path, raw = (s.strip() for s in text.split("=", 1))
    if not path or any(not p for p in path.split(".")):
        raise SimError(f"{where}: the path is empty or has an empty part")
    if not raw:
        raise SimError(f"{where}: no values")
    bits = raw.split(":")
    if len(bits) == 3 and all(_is_number(b) for b in bits):
        lo, hi, steps = float(bits[0]), float(bits[1]), float(bits[2])
        if steps != int(steps) or steps < 2:
            raise SimError(f"{where}: steps must be a whole number of at least 2 "
                           f"(got {bits[2]})")
        steps = int(steps)
        if hi <= lo:
            raise SimError(f"{where}: hi ({bits[1]}) must be above lo ({bits[0]})")
        values = tuple(_tidy(lo + (hi - lo) * k / (steps - 1)) for k in range(steps))
    else:
        if ":" in raw and not raw.lstrip().startswith(("{", "[", "'", '"')) and \
                len(bits) != 1 and all(_is_number(b) for b in bits):
            raise SimError(f"{where}: a range is lo:hi:steps (three numbers)")
        values = []
        for item in _split_top(raw):
            if not item:
                raise SimError(f"{where}: an empty value in the list")
            value, _ = parse_yaml(item, where)
            values.append(value)
        values = tuple(values)
    if len(set(map(_key, values))) != len(values):
        raise SimError(f"{where}: a value is listed twice")
    return Param(path, values, text)


def _is_number(s: str) -> bool:
    try:
        return math.isfinite(float(s))
    except ValueError:
        return False


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def _value_text(v: Any) -> str:
    """The value as ``--set`` reads it back (YAML flow style for mappings and lists)."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v)  # JSON is YAML flow style
    return str(v)


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The numeric columns asked for with ``--column``, checked against the table's schema."""
    from sim.results.table import SCHEMA
    import pyarrow as pa
    numeric = [f.name for f in SCHEMA if pa.types.is_floating(f.type) or
               pa.types.is_integer(f.type)]
    for c in columns:
        if c not in SCHEMA.names:
            import difflib
            near = difflib.get_close_matches(c, numeric, 1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise SimError(f"--column {c}: no such column in outcomes.parquet{hint}")
        if c not in numeric or c == "replication":
            raise SimError(f"--column {c}: not a numeric column (numeric columns: "
                           f"{', '.join(n for n in numeric if n != 'replication')})")
    return tuple(dict.fromkeys(columns))


def column_stats(table, column: str, seed: int = 0) -> dict:
    """Median of ``column`` over the rows where it has a value, with a 95% bootstrap interval."""
    import numpy as np

    from sim.results.stats import bootstrap_quantiles
    a = np.asarray(table.column(column).to_numpy(), dtype=float)  # nulls arrive as NaN
    a = a[~np.isnan(a)]
    if not a.size:
        return {"count": 0, "median": math.nan, "ci95": (math.nan, math.nan)}
    q = bootstrap_quantiles(a, [0.5], resamples=1000, seed=seed)[0]
    return {"count": int(a.size), "median": q["estimate"], "ci95": tuple(q["ci95"])}


def grid(params: Sequence[Param]) -> list[tuple]:
    points = list(itertools.product(*(p.values for p in params)))
    if len(points) > MAX_POINTS:
        raise SimError(f"the grid has {len(points):,} points; at most {MAX_POINTS:,}")
    return points


def point_overrides(params: Sequence[Param], point: tuple) -> list[str]:
    return [f"{p.path}={_value_text(v)}" for p, v in zip(params, point)]


def _check_params(params: Sequence[Param]) -> None:
    if not params:
        raise SimError("--param: give at least one parameter to sweep")
    paths = [p.path for p in params]
    dup = sorted({p for p in paths if paths.count(p) > 1})
    if dup:
        raise SimError(f"--param {dup[0]}: swept twice")


@dataclass
class SweepResult:
    out: Path
    manifest: dict
    points: int
    reused_points: int
    errors: int
    rows: list = None  # summary_rows of the sweep


def run_sweep(scenario_path: Path, params: Sequence[Param], runs: int, seed: int, out: Path, *,
              sets: Sequence[str] = (), executor=None, resume: bool = False,
              plots: bool = True, progress: bool = False, columns: Sequence[str] = (),
              on_point: Callable[[int, dict], None] | None = None) -> SweepResult:
    """Run every grid point into ``out/point-NNN`` and combine them.

    Every point is loaded (validated) before anything runs, so a bad value stops the sweep with
    nothing written. ``resume`` keeps finished points and finishes an interrupted one.
    """
    from sim.batch.execute import run_to_folder
    from sim.batch.executors import SerialExecutor
    from sim.config.loader import load

    _check_params(params)
    columns = check_columns(columns)
    out = Path(out)
    ex = executor or SerialExecutor()
    points = grid(params)
    loads = []
    for point in points:
        overrides = list(sets) + point_overrides(params, point)
        loads.append((overrides, load(scenario_path, overrides)))
    state = {"format": FORMAT, "scenario": str(scenario_path), "runs": runs, "root_seed": seed,
             "sets": list(sets), "params": [{"path": p.path, "values": list(p.values)}
                                            for p in params],
             "point_hashes": [ld.hash for _, ld in loads]}
    state_path = out / STATE
    if out.exists() and not out.is_dir():
        raise SimError(f"{out}: output path exists and is not a folder")
    if state_path.exists():
        recorded = json.loads(state_path.read_text(encoding="utf-8"))
        if not resume:
            done = "a finished sweep" if (out / "manifest.json").exists() else "a sweep"
            raise SimError(f"{out} holds {done}: choose another --out, or --resume to finish "
                           f"it (finished points are kept)")
        for k in ("runs", "root_seed", "params", "point_hashes"):
            if recorded.get(k) != state[k]:
                raise SimError(f"--resume {out}: that sweep had other {k.replace('_', ' ')}; "
                               f"give the same scenario, --param, --set, --runs and --seed")
    elif resume:
        raise SimError(f"--resume {out}: not a sweep folder (no {STATE})")
    elif out.exists() and any(out.iterdir()):
        raise SimError(f"{out}: folder exists and is not empty; choose another --out")
    from sim.experiments.files import write_json_atomic
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(state_path, state)

    t0 = time.perf_counter()
    reused = 0
    errors = 0
    point_info = []
    for i, (point, (overrides, loaded)) in enumerate(zip(points, loads)):
        folder = out / f"point-{i:03d}"
        manifest_path = folder / "manifest.json"
        if manifest_path.exists():
            m = json.loads(manifest_path.read_text(encoding="utf-8"))
            if m.get("scenario_hash") == loaded.hash and m.get("root_seed") == seed and \
                    m.get("runs") == runs:
                reused += 1
                summary = m["summary"]
            else:
                raise SimError(f"{folder}: holds another run; remove it or choose another --out")
        else:
            res = run_to_folder(loaded, runs, seed, folder, executor=ex,
                                resume=(folder / "parts" / "run.json").exists(), progress=progress,
                                plots=False, overrides=overrides)
            summary = res.summary
        errors += summary.get("errors", 0)
        info = {"point": i, "folder": folder.name, "values": dict(zip(
            [p.path for p in params], point)), "overrides": overrides,
            "scenario_hash": loaded.hash, "summary": summary}
        point_info.append(info)
        if on_point is not None:
            on_point(i, info)
    wall = time.perf_counter() - t0
    return _combine(out, params, points, point_info, loads[0][1], state, ex, runs, seed,
                    wall, reused, errors, plots, columns)


def _param_column(values: tuple):
    """Arrow type for a parameter column: float when every value is a number, else text."""
    import pyarrow as pa
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    return (pa.float64(), float) if numeric else (pa.string(), _value_text)


def summary_rows(params: Sequence[Param], point_info: list[dict]) -> list[dict]:
    """One row per (point, outcome or indicator) with the share and its 95% interval."""
    from sim.results.labels import label
    rows = []
    kinds = (("outcomes", "outcome"), ("indicators", "indicator"),
             ("japan_level", "japan_level"))
    for info in point_info:
        s = info["summary"]
        for key, kind in kinds:
            for o in s.get(key, []):
                rows.append({"point": info["point"], **{p.path: info["values"][p.path]
                                                        for p in params},
                             "kind": kind, "name": o["name"],
                             "label": label(o["name"], key), "count": o["count"],
                             "n": s["ok"], "share": o["share"], "ci95_low": o["ci95"][0],
                             "ci95_high": o["ci95"][1], "median": ""})
        for col, st in (info.get("columns") or {}).items():
            rows.append({"point": info["point"], **{p.path: info["values"][p.path]
                                                    for p in params},
                         "kind": "column", "name": col, "label": label(col),
                         "count": st["count"], "n": s["ok"], "share": "",
                         "ci95_low": st["ci95"][0], "ci95_high": st["ci95"][1],
                         "median": st["median"]})
    # an outcome a point never reached still has a share there: zero
    names = {r["name"] for r in rows if r["kind"] == "outcome"}
    for info in point_info:
        have = {o["name"] for o in info["summary"]["outcomes"]}
        for name in sorted(names - have):
            from sim.results.stats import wilson
            n = info["summary"]["ok"]
            lo, hi = wilson(0, n)
            rows.append({"point": info["point"], **{p.path: info["values"][p.path]
                                                    for p in params},
                         "kind": "outcome", "name": name, "label": label(name, "outcomes"),
                         "count": 0, "n": n, "share": 0.0, "ci95_low": lo, "ci95_high": hi,
                         "median": ""})
    order = {"outcome": 0, "indicator": 1, "japan_level": 2, "column": 3}
    from sim.model.vocab import JAPAN_LEVELS, OUTCOMES
    rank = {n: i for i, n in enumerate(OUTCOMES)} | {n: i for i, n in enumerate(JAPAN_LEVELS)}
    rows.sort(key=lambda r: (r["point"], order.get(r["kind"], 9), rank.get(r["name"], 99),
                             r["name"]))
    return rows


def _combine(out, params, points, point_info, first_loaded, state, ex, runs, seed, wall,
             reused, errors, plots, columns=()) -> SweepResult:
    import csv
    import io
    import os
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.experiments.files import write_json_atomic, write_text_atomic
    from sim.results.table import ok_rows
    from sim.results.table import SCHEMA, conform, versions, with_ladders

    cols = [(p, *_param_column(p.values)) for p in params]
    schema = pa.schema([pa.field("point", pa.int64())]
                       + [pa.field(p.path, t) for p, t, _ in cols] + list(SCHEMA))
    fd, tmp = tempfile.mkstemp(prefix=".sweep.parquet.", suffix=".tmp", dir=out)
    os.close(fd)
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for info, point in zip(point_info, points):
                t = conform(with_ladders(
                    pq.read_table(out / info["folder"] / "outcomes.parquet")), SCHEMA)
                info["columns"] = {c: column_stats(ok_rows(t), c, seed=k)
                                   for k, c in enumerate(columns)}
                n = t.num_rows
                extra = [pa.array([info["point"]] * n, pa.int64())]
                extra += [pa.array([conv(v)] * n, typ) for (p, typ, conv), v in zip(cols, point)]
                writer.write_table(pa.Table.from_arrays(extra + t.columns, schema=schema))
        os.replace(tmp, out / "sweep.parquet")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

    rows = summary_rows(params, point_info)
    for info in point_info:
        info.pop("columns", None)  # in the rows now; point_info also feeds the manifest
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["point"])
    w.writeheader()
    w.writerows(rows)
    write_text_atomic(out / "sweep_summary.csv", buf.getvalue())

    figures = []
    if plots:
        from sim.plots.sweep import sweep_figure
        for p in params:
            name = f"sweep_{p.path.replace('.', '_')}.png"
            sweep_figure(rows, params, p, first_loaded.scenario.name, out / name)
            figures.append(name)

    manifest = {
        "kind": "sweep", "scenario": first_loaded.scenario.name,
        "title": first_loaded.scenario.title, "files": list(first_loaded.files),
        "sets": state["sets"], "params": state["params"], "points": len(points),
        "grid": [{"point": i["point"], "folder": i["folder"], "values": i["values"],
                  "overrides": i["overrides"], "scenario_hash": i["scenario_hash"]}
                 for i in point_info],
        "runs_per_point": runs, "root_seed": seed,
        "common_random_numbers": "every point runs replications 0..runs-1 of the same root seed",
        "seeding": ("replication i draws from streams keyed by (root_seed, i, stream name); "
                    "sim.model.streams"),
        "executor": ex.describe(), "resumed_points": reused, "errors": errors,
        "wall_seconds": round(wall, 3), "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files_written": ["sweep.parquet", "sweep_summary.csv", *figures],
        "columns": list(columns),
    }
    write_json_atomic(out / "manifest.json", manifest)
    return SweepResult(out, manifest, len(points), reused, errors, rows)


def format_sweep(rows: list[dict], params: Sequence[Param], names: Sequence[str] = ()) -> str:
    """Plain tables, one line per point: the share of each outcome, of each step of Japan's
    legal ladder, and the median of each ``--column`` asked for."""
    from sim.results.labels import label
    heads = short_labels([p.path for p in params])
    head = [heads[p.path] for p in params]
    widths = [max(len(h), 8) for h in head]
    by_point: dict[int, dict] = {}
    for r in rows:
        by_point.setdefault(r["point"], {"values": r})[(r["kind"], r["name"])] = r

    def block(kind: str, title: str, keys: Sequence[str], cell) -> list[str]:
        if not keys:
            return []
        labels = [label(k) if kind == "column" else
                  label(k, {"outcome": "outcomes", "japan_level": "japan_level"}[kind])
                  for k in keys]
        cw = [max(len(lab), 7) for lab in labels]
        lines = ["", title, "  ".join(h.rjust(w) for h, w in zip(head, widths)) + "  "
                 + "  ".join(lab.rjust(w) for lab, w in zip(labels, cw))]
        for point in sorted(by_point):
            d = by_point[point]
            vals = [_value_text(d["values"][p.path]) for p in params]
            lines.append("  ".join(v.rjust(w) for v, w in zip(vals, widths)) + "  "
                         + "  ".join(cell(d.get((kind, k))).rjust(w) for k, w in zip(keys, cw)))
        return lines

    def share(r):
        return f"{r['share']:.1%}" if r else "0.0%"

    def median(r):
        return "-" if not r or r["median"] == "" or r["median"] != r["median"] else \
            f"{r['median']:.1f}"

    def present(kind):
        return list(dict.fromkeys(r["name"] for r in rows if r["kind"] == kind))

    outcomes = list(names) or [n for n in present("outcome")
                               if any(r["share"] for r in rows if r["name"] == n
                                      and r["kind"] == "outcome")]
    lines = block("outcome", "outcome share", outcomes, share)
    lines += block("japan_level", "Japan's highest legal situation (share)",
                   present("japan_level"), share)
    lines += block("column", "median (over replications where it has a value)",
                   present("column"), median)
    return "\n".join(lines[1:])
