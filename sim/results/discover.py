"""Scenario discovery: where in the drawn inputs does an outcome concentrate?

Two readings of the same table (``draw.*`` columns from ``sim.model.draws``, and any other
numeric or yes/no input columns asked for):

- PRIM (Friedman & Fisher 1999, the ``prim`` package): peel a box around the replications with
  the outcome until the box is dense with it; a box is reported with its *coverage* (the share of
  all replications with the outcome that fall inside it), its *density* (the share of
  replications inside it that have the outcome) and its *mass* (the share of all replications
  inside it), and the ranges it restricts. On the peeling trajectory the box kept is the densest
  one that still covers at least ``min_coverage`` of the outcome; restrictions PRIM's
  quasi-p-value does not support (above 0.05) are then dropped, so a box names only the inputs
  that matter. Further boxes are looked for among the replications the earlier ones left out.
- A shallow decision tree (scikit-learn): each leaf is a rule (ranges of a few inputs) with the
  replications it holds, the outcome's share among them and the coverage.

PRIM peels every input at every step, and the ``prim`` package copies whole records to do it,
so its cost grows with the square of the inputs; a scenario draws a hundred or more. The inputs
are first scored with an extremely randomised forest's impurity importances (as the EMA
Workbench's feature scoring does) and PRIM looks at the ``prim_columns`` best; the scores are
reported, and the tree reads every input.

Both need the optional ``analysis`` extra (``pip install 'straitsim[analysis]'``); without it
:func:`require_analysis` raises a one-line ``SimError`` naming the extra.
"""

from __future__ import annotations

import fnmatch
from typing import Sequence

import numpy as np
import pyarrow as pa

from sim.errors import SimError

DRAW_PREFIX = "draw."
EXTRA_HINT = "pip install 'straitsim[analysis]'"
QP_MAX = 0.05  # a restriction PRIM's quasi-p-value does not support at this level is dropped


def analysis_available() -> bool:
    """Whether the ``analysis`` extra (``prim`` and scikit-learn) is installed."""
    import importlib.util
    return all(importlib.util.find_spec(m) is not None for m in ("prim", "sklearn"))


def require_analysis(what: str = "straitsim discover") -> None:
    if not analysis_available():
        raise SimError(f"{what} needs the optional 'analysis' extra (PRIM and scikit-learn): "
                       f"{EXTRA_HINT}")


def outcome_indicator(table: pa.Table, outcome: str) -> np.ndarray:
    """The replications with ``outcome``: a yes/no column of that name, or a value of the
    ``outcome`` column (``taiwan_fell``, ``repelled``, ...)."""
    import pyarrow.compute as pc
    if outcome in table.column_names and pa.types.is_boolean(table.schema.field(outcome).type):
        return np.asarray(pc.fill_null(table.column(outcome), False).to_numpy(
            zero_copy_only=False), dtype=bool)
    values = (sorted(v for v in set(pc.cast(table.column("outcome"), pa.string()).to_pylist())
                     if v is not None) if "outcome" in table.column_names else [])
    if outcome in values:
        col = pc.cast(table.column("outcome"), pa.string())
        return np.asarray(pc.fill_null(pc.equal(col, outcome), False).to_numpy(
            zero_copy_only=False), dtype=bool)
    flags = [f.name for f in table.schema if pa.types.is_boolean(f.type)]
    raise SimError(f"--outcome {outcome}: not an outcome of this run ({', '.join(values)}) "
                   f"nor a yes/no column ({', '.join(flags)})")


def input_columns(table: pa.Table, patterns: Sequence[str] | None = None) -> list[str]:
    """The input columns to search: those matching ``patterns`` (names or shell-style
    patterns like ``draw.actors.us.*``), by default every ``draw.*`` column; only numeric or
    yes/no columns that vary."""
    names = table.column_names
    if not patterns:
        chosen = [n for n in names if n.startswith(DRAW_PREFIX)]
        if not chosen:
            raise SimError("this run has no draw.* columns (it was run with --no-draws, or "
                           "before draws were saved); run it again, or name input columns "
                           "with --columns")
    else:
        chosen = []
        for p in patterns:
            hit = [n for n in names if fnmatch.fnmatchcase(n, p)]
            if not hit:
                raise SimError(f"--columns {p}: no such column in this run")
            chosen += hit
        chosen = list(dict.fromkeys(chosen))
    out = []
    for n in chosen:
        t = table.schema.field(n).type
        if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)):
            if patterns and any(p == n for p in patterns):
                raise SimError(f"--columns {n}: holds {t}; discover reads numbers and yes/no "
                               f"columns")
            continue
        if len(table.column(n).drop_null().unique()) > 1:
            out.append(n)
    if not out:
        raise SimError("none of the input columns varies across replications")
    return out


def _matrix(table: pa.Table, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) float matrix, and which rows have every value (others are left out)."""
    cols = [np.asarray(table.column(n).to_numpy(zero_copy_only=False), dtype=float)
            for n in names]
    x = np.column_stack(cols) if cols else np.zeros((table.num_rows, 0))
    return x, ~np.isnan(x).any(axis=1)


def _prim_boxes(x: np.ndarray, y: np.ndarray, names: list[str], boxes: int,
                mass_min: float, peel_alpha: float) -> list[dict]:
    import logging

    import pandas as pd
    import prim

    logging.getLogger("prim").setLevel(logging.WARNING)
    frame = pd.DataFrame({f"c{i}": x[:, i] for i in range(len(names))})
    label = {f"c{i}": n for i, n in enumerate(names)}
    p = prim.Prim(frame, y.astype(bool), threshold=None, mass_min=mass_min,
                  peel_alpha=peel_alpha)
    lo_all, hi_all = x.min(axis=0), x.max(axis=0)
    found = []
    for k in range(boxes):
        if not y[p.yi_remaining].any():
            break
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory
        cov, dens = traj["coverage"].to_numpy(float), traj["density"].to_numpy(float)
        best = int(np.argmax(2 * cov * dens / np.maximum(cov + dens, 1e-300)))
        box.select(best)
        for _ in range(len(names)):  # drop what the quasi-p-values do not support
            lim = box.limits
            weak = lim.index[lim["qp values"] > QP_MAX]
            if not len(weak) or len(weak) == len(lim):
                break
            box.drop_restriction(str(lim["qp values"].idxmax()))
        lim = box.limits
        ranges = []
        for key, row in lim.iterrows():
            i = int(str(key)[1:])
            low, high = float(row["min"]), float(row["max"])
            ranges.append({"column": label[key], "low": low, "high": high,
                           "min": float(lo_all[i]), "max": float(hi_all[i]),
                           "low_restricted": bool(low > lo_all[i]),
                           "high_restricted": bool(high < hi_all[i]),
                           "qp": float(row["qp values"])})
        ranges = [r for r in ranges if r["low_restricted"] or r["high_restricted"]]
        st = box.stats
        found.append({
            "box": k + 1, "coverage": float(st["coverage"]), "density": float(st["density"]),
            "mass": float(st["mass"]), "replications": int(round(st["mass"] * len(y))),
            "ranges": ranges,
            "trajectory": [[float(r["coverage"]), float(r["density"]), float(r["mass"]),
                            int(r["res dim"])] for _, r in traj.iterrows()],
            "chosen": best, "kept": [float(st["coverage"]), float(st["density"])]})
        if not ranges:
            break
    return found


def feature_scores(x: np.ndarray, y: np.ndarray, names: list[str]) -> list[dict]:
    """Each input's importance for the outcome (an extremely randomised forest's mean decrease
    in impurity, summing to 1), best first."""
    from sklearn.ensemble import ExtraTreesClassifier

    forest = ExtraTreesClassifier(n_estimators=50, min_samples_leaf=max(5, len(y) // 500),
                                  random_state=0, n_jobs=1)
    forest.fit(x, y)
    order = np.argsort(-forest.feature_importances_, kind="stable")
    return [{"column": names[i], "importance": float(forest.feature_importances_[i])}
            for i in order]


def _tree_rules(x: np.ndarray, y: np.ndarray, names: list[str], depth: int,
                min_leaf: int) -> list[dict]:
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=min_leaf, random_state=0)
    tree.fit(x, y)
    t = tree.tree_
    total = max(1, int(y.sum()))
    leaf_of = tree.apply(x)
    rules = []

    def walk(node: int, bounds: dict) -> None:
        if t.children_left[node] == -1:
            inside = leaf_of == node
            n = int(inside.sum())
            hits = int(y[inside].sum())
            rules.append({
                "conditions": [{"column": names[i], "low": lo, "high": hi}
                               for i, (lo, hi) in sorted(bounds.items())],
                "replications": n, "share": hits / n if n else float("nan"),
                "coverage": hits / total, "mass": n / len(y)})
            return
        i, thr = int(t.feature[node]), float(t.threshold[node])
        lo, hi = bounds.get(i, (None, None))
        walk(t.children_left[node], {**bounds, i: (lo, thr)})
        walk(t.children_right[node], {**bounds, i: (thr, hi)})

    walk(0, {})
    rules.sort(key=lambda r: -r["share"])
    return rules


def discover(table: pa.Table, outcome: str, columns: Sequence[str] | None = None, *,
             boxes: int = 2, mass_min: float = 0.05,
             peel_alpha: float = 0.05, depth: int = 3, min_leaf: int | None = None,
             prim_columns: int = 12) -> dict:
    """PRIM boxes and tree rules for ``outcome`` over ``columns`` of an outcomes table (error
    rows left out). Raises ``SimError`` on a bad outcome or column, or without the extra."""
    require_analysis()
    from sim.results.table import ok_rows

    table = ok_rows(table)
    y_all = outcome_indicator(table, outcome)
    names = input_columns(table, columns)
    x, keep = _matrix(table, names)
    x, y = x[keep], y_all[keep]
    n, hits = len(y), int(y.sum())
    result = {"outcome": outcome, "replications": n, "left_out": int((~keep).sum()),
              "outcome_replications": hits, "share": hits / n if n else float("nan"),
              "columns": names, "boxes": [], "tree": []}
    if n == 0 or hits == 0 or hits == n:
        result["note"] = (f"{outcome} happened in {'no' if hits == 0 else 'every'} "
                          f"replication: nothing to discover")
        return result
    scores = feature_scores(x, y, names) if len(names) > prim_columns else []
    result["scores"] = scores[:15]
    pick = ([names.index(sc["column"]) for sc in scores[:prim_columns]] if scores
            else list(range(len(names))))
    result["boxes"] = _prim_boxes(x[:, pick], y, [names[i] for i in pick], boxes, mass_min,
                                  peel_alpha)
    result["tree"] = _tree_rules(x, y, names, depth,
                                 min_leaf if min_leaf else max(20, n // 100))
    result["settings"] = {"boxes": boxes, "mass_min": mass_min, "prim_columns": prim_columns,
                          "peel_alpha": peel_alpha, "tree_depth": depth,
                          "tree_min_leaf": min_leaf if min_leaf else max(20, n // 100),
                          "qp_max": QP_MAX}
    return result


def _num(v) -> str:
    if v is None:
        return ""
    return f"{v:.4g}"


def range_text(r: dict) -> str:
    """A box's range as ``0.2 <= draw.x <= 0.5``, naming only its restricted sides."""
    lo = _num(r["low"]) if r["low_restricted"] else None
    hi = _num(r["high"]) if r["high_restricted"] else None
    if lo is not None and hi is not None:
        return f"{lo} <= {r['column']} <= {hi}"
    return f"{r['column']} >= {lo}" if lo is not None else f"{r['column']} <= {hi}"


def condition_text(c: dict) -> str:
    """A tree leaf's condition on one column: ``lo < column <= hi`` (a side may be open)."""
    if c["low"] is not None and c["high"] is not None:
        return f"{_num(c['low'])} < {c['column']} <= {_num(c['high'])}"
    if c["low"] is not None:
        return f"{c['column']} > {_num(c['low'])}"
    return f"{c['column']} <= {_num(c['high'])}"


def format_discovery(d: dict, title: str = "") -> str:
    """The discovery as text: the boxes with coverage, density and ranges, then the rules."""
    lines = [f"Scenario discovery{': ' + title if title else ''}",
             f"outcome {d['outcome']}: {d['outcome_replications']:,} of {d['replications']:,} "
             f"replications ({d['share']:.1%}); {len(d['columns'])} input columns"
             + (f"; {d['left_out']:,} rows with missing inputs left out" if d["left_out"]
                else "")]
    if d.get("note"):
        return "\n".join(lines + [d["note"]]) + "\n"
    if d.get("scores"):
        lines += ["", f"Inputs that matter most (forest importance; PRIM reads the best "
                      f"{d['settings']['prim_columns']})"]
        lines += [f"  {sc['importance']:6.3f}  {sc['column']}" for sc in d["scores"][:8]]
    lines += ["", "PRIM boxes (coverage: share of the outcome inside; density: share inside "
                  "with the outcome)"]
    if not d["boxes"]:
        lines.append("  none found")
    for b in d["boxes"]:
        lines.append(f"  box {b['box']}: coverage {b['coverage']:.1%}, density "
                     f"{b['density']:.1%}, mass {b['mass']:.1%} ({b['replications']:,} "
                     f"replications)")
        for r in b["ranges"]:
            lines.append(f"    {range_text(r)}   (range {_num(r['min'])} to {_num(r['max'])}, "
                         f"qp {r['qp']:.2g})")
        if not b["ranges"]:
            lines.append("    no restriction: the outcome is spread over the inputs")
    lines += ["", "Decision tree (leaves by share of the outcome)"]
    for r in d["tree"]:
        cond = " and ".join(condition_text(c) for c in r["conditions"]) or "all replications"
        lines.append(f"  {r['share']:6.1%} of {r['replications']:,} (coverage "
                     f"{r['coverage']:.1%}): {cond}")
    return "\n".join(lines) + "\n"


CSV_HEADER = ("kind", "index", "coverage", "density_or_share", "mass", "replications",
              "column", "low", "high")


def discovery_rows(d: dict) -> list[tuple]:
    """One row per (box or leaf, restricted column): the CSV form."""
    rows = []
    for b in d["boxes"]:
        for r in b["ranges"] or [{"column": "", "low": None, "high": None}]:
            rows.append(("box", b["box"], b["coverage"], b["density"], b["mass"],
                         b["replications"], r["column"],
                         r["low"] if r.get("low_restricted") else None,
                         r["high"] if r.get("high_restricted") else None))
    for i, leaf in enumerate(d["tree"], 1):
        for c in leaf["conditions"] or [{"column": "", "low": None, "high": None}]:
            rows.append(("leaf", i, leaf["coverage"], leaf["share"], leaf["mass"],
                         leaf["replications"], c["column"], c["low"], c["high"]))
    return rows
