"""Summaries of a run's table: outcome shares with 95% Wilson intervals, decision-day quantiles
with seeded bootstrap intervals, Japan's legal ladder, the U.S. posture, and the distributions
of losses and other counted quantities (the same quantiles and intervals).

Shares are over the replications that finished; replications whose model raised (``status`` =
``error``) are counted and reported, never silently dropped into a denominator.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sim.model.vocab import JAPAN_LEVELS, OUTCOMES, US_POSTURES
from sim.results import labels as L
from sim.results.stats import (BOOTSTRAP_MAX_N, BOOTSTRAP_RESAMPLES,  # noqa: F401
                               BOOTSTRAP_SEED, Z95,
                               bootstrap_quantiles, wilson)

INDICATORS = tuple((col, L.label(col, "indicators")) for col in (
    "taiwan_held", "us_intervened", "bases_used", "japan_struck", "japan_threatened",
    "taiwan_capitulated", "escalated_to_war"))
DAYS = tuple((col, L.label(col)) for col in (
    "us_intervention_day", "japan_important_influence_day", "japan_anticipated_armed_attack_day",
    "japan_survival_threatening_day", "japan_armed_attack_day", "taiwan_capitulation_day",
    "end_day"))
QUANTILES = (("p10", 0.1), ("median", 0.5), ("p90", 0.9))
CATEGORIES = (("outcomes", "outcome", OUTCOMES), ("japan_level", "japan_level", JAPAN_LEVELS),
              ("us_posture", "us_posture", US_POSTURES))
# The columns ``summarize`` and the run's figures read (a batch may load only these).
COLUMNS_USED = tuple(dict.fromkeys([col for _, col, _ in CATEGORIES]
                                   + [col for col, _ in INDICATORS] + [col for col, _ in DAYS]))


def quantity_columns(present) -> tuple[str, ...]:
    """The loss and quantity columns among ``present`` (a table's column names): those a process
    marks in ``Process.quantities``, in the model's column order."""
    from sim.model import outcome
    marked = set(outcome.QUANTITIES)
    order = {n: i for i, n in enumerate(outcome.COLUMN_NAMES)}
    return tuple(sorted((c for c in present if c in marked),
                        key=lambda c: (order.get(c, len(order)), c)))


def _quantiles_row(name: str, label: str, vals: np.ndarray, seed: int, resamples: int) -> dict:
    """The 10th, 50th and 90th percentile of ``vals`` (no NaN) with 95% bootstrap intervals."""
    row = {"name": name, "label": label, "count": int(vals.size)}
    if vals.size:
        qs = bootstrap_quantiles(vals, [q for _, q in QUANTILES], resamples=resamples,
                                 seed=seed)
        for (key, _), q in zip(QUANTILES, qs):
            row[key] = q["estimate"]
            row[f"{key}_ci95"] = q["ci95"]
    return row


def _counts(column) -> dict:
    """How often each value occurs (Arrow's value_counts: no Python list of a million rows)."""
    return {d["values"]: d["counts"] for d in pc.value_counts(column).to_pylist()}


def _share(name: str, k: int, n: int, **extra) -> dict:
    return {"name": name, **extra, "count": k, "share": k / n if n else math.nan,
            "ci95": wilson(k, n)}


def summarize(table: pa.Table, *, seed: int = BOOTSTRAP_SEED,
              resamples: int = BOOTSTRAP_RESAMPLES) -> dict:
    """Every number with its 95% interval: Wilson for shares, a bootstrap with
    ``numpy.random.default_rng(seed)`` and ``resamples`` resamples for the day quantiles."""
    from sim.results.table import error_count, ok_rows
    errors = error_count(table)
    table = ok_rows(table)
    n = table.num_rows
    out = {"runs": n + errors, "ok": n, "errors": errors,
           "intervals": {"shares": "95% Wilson score",
                         "quantiles": f"95% bootstrap percentile, {resamples} resamples, "
                                      f"numpy default_rng({seed}); above {BOOTSTRAP_MAX_N:,} "
                                      f"values the order-statistic (binomial) interval"},
           "outcomes": [], "indicators": [], "japan_level": [], "us_posture": [], "days": [],
           "quantities": []}
    present = set(table.column_names)  # a scenario has only its processes' columns
    for key, col, names in CATEGORIES:
        if col not in present:
            continue
        counts = _counts(table.column(col))
        for name in names:
            k = counts.get(name, 0)
            if k or key != "outcomes":  # outcomes a family cannot reach would only be noise
                out[key].append(_share(name, k, n, label=L.label(name, key)))
    for col, label in INDICATORS:
        if col not in present:
            continue
        k = int(pc.sum(table.column(col)).as_py() or 0)  # true counts 1; null and false 0
        out["indicators"].append(_share(col, k, n, label=label))
    outcome_counts = {o["name"]: o["count"] for o in out["outcomes"]}
    # Replications the horizon stopped have end_day = the horizon: no day on which anything was
    # decided, so they are counted apart instead of piling up at the horizon in "decided".
    still = sum(outcome_counts.get(o, 0) for o in L.UNDECIDED)
    out["still_going"] = _share("still_going", still, n,
                                label="still going at the horizon",
                                outcomes=[o for o in L.UNDECIDED if outcome_counts.get(o)])
    # One outcome in every replication: the tables alone would not say why or what to change.
    out["single_outcome"] = next((o["name"] for o in out["outcomes"] if n and o["count"] == n),
                                 None)
    decided = _decided_mask(table)
    for i, (col, label) in enumerate(DAYS):
        if col not in present:
            continue
        vals = table.column(col).to_numpy().astype(float)  # nulls arrive as NaN, dropped below
        if col == "end_day" and decided is not None:
            vals = vals[decided]
        vals = vals[~np.isnan(vals)]
        # one seed per column, so adding a column does not move the others' intervals
        out["days"].append(_quantiles_row(col, label, vals, seed + i, resamples))
    for col in quantity_columns(table.column_names):
        vals = table.column(col).to_numpy(zero_copy_only=False).astype(float)  # null -> NaN
        vals = vals[~np.isnan(vals)]
        # seeded by the column's name, so a column added or gone moves no other interval
        out["quantities"].append(_quantiles_row(col, L.label(col), vals,
                                                seed + _name_seed(col), resamples))
    return out


def _name_seed(name: str) -> int:
    """A stable small number from a column name (Python's ``hash`` of a str varies per run)."""
    import zlib
    return zlib.crc32(name.encode()) % 1_000_003


def _decided_mask(table: pa.Table):
    """True for rows whose outcome was decided before the horizon (numpy bool array)."""
    undecided = pc.is_in(pc.cast(table.column("outcome"), pa.string()),
                         value_set=pa.array(list(L.UNDECIDED), pa.string()))
    return ~pc.fill_null(undecided, False).to_numpy(zero_copy_only=False)


def single_outcome_note(s: dict, levers: list[dict] | None = None,
                        scenario: str | None = None) -> str | None:
    """One paragraph when one outcome took every finished replication: say so, and name the
    scenario's parameters that can change it (``levers``: dicts with path, value, meaning)."""
    name = s.get("single_outcome")
    if not name:
        return None
    text = (f"Every one of the {s['ok']} finished replications ended in "
            f"\"{L.label(name, 'outcomes')}\": this scenario, as set, cannot produce another "
            f"outcome, so its shares say nothing about how likely that outcome is.")
    if levers:
        text += (" Parameters that decide it: "
                 + "; ".join(f"{p['path']} = {p['value']}" for p in levers) + ".")
    if scenario:
        first = levers[0]["path"] if levers else "PATH"
        text += (f" Try `straitsim explain {scenario}` for every parameter, or "
                 f"`straitsim sweep {scenario} --param {first}=...`.")
    return text


def _pct(o: dict) -> str:
    lo, hi = o["ci95"]
    return f"{o['share']:6.1%}   [{lo:.1%}, {hi:.1%}]"


def _lab(o: dict, section: str) -> str:
    return o.get("label") or L.label(o["name"], section)


def format_summary(s: dict, title: str, levers: list[dict] | None = None,
                   scenario: str | None = None) -> str:
    """Plain-text tables for the terminal."""
    import textwrap
    lines = [f"{title}: {s['runs']} replications"]
    if s.get("errors"):
        lines.append(f"WARNING: {s['errors']} replications failed (status error); shares are of "
                     f"the {s['ok']} that finished")
    note = single_outcome_note(s, levers, scenario)
    if note:
        lines += textwrap.wrap("NOTE: " + note, 96, subsequent_indent="  ")
    lines += ["", "outcome                            share   95% CI"]
    lines += [f"  {_lab(o, 'outcomes'):<32} {_pct(o)}" for o in s["outcomes"]]
    lines += ["", "indicator                          share   95% CI"]
    lines += [f"  {o['label']:<32} {_pct(o)}" for o in s["indicators"]]
    lines += ["", "Japan's highest legal situation    share   95% CI"]
    lines += [f"  {_lab(o, 'japan_level'):<32} {_pct(o)}" for o in s["japan_level"]]
    if s.get("us_posture"):
        lines += ["", "U.S. highest posture               share   95% CI"]
        lines += [f"  {_lab(o, 'us_posture'):<32} {_pct(o)}" for o in s["us_posture"]]
    lines += ["", "day of ...                         runs   p10 [95% CI]         "
                  "median [95% CI]      p90 [95% CI]"]
    for d in s["days"]:
        if not d["count"]:
            lines.append(f"  {d['label']:<32} {0:5d}   -")
            continue
        cells = []
        for key, _ in QUANTILES:
            lo, hi = d.get(f"{key}_ci95", (math.nan, math.nan))
            cells.append(f"{d[key]:5.1f} [{lo:5.1f}, {hi:5.1f}]")
        lines.append(f"  {d['label']:<32} {d['count']:5d}  " + "   ".join(cells))
    still = s.get("still_going")
    if still is not None:
        lines.append(f"  {'still going at the horizon':<32} {still['count']:5d}   "
                     f"(not counted in 'Outcome decided')")
    if s.get("quantities"):
        width = max(32, *(len(q["label"]) for q in s["quantities"]))
        lines += ["", f"{'losses and quantities':<{width + 3}}{'runs':>5}  "
                      + "   ".join(f"{k + ' [95% CI]':<22}" for k, _ in QUANTILES).rstrip()]
        for q in s["quantities"]:
            if not q["count"]:
                lines.append(f"  {q['label']:<{width}} {0:5d}   -")
                continue
            cells = []
            for key, _ in QUANTILES:
                lo, hi = q[f"{key}_ci95"]
                cells.append(f"{_num(q[key])} [{_num(lo)}, {_num(hi)}]")
            lines.append(f"  {q['label']:<{width}} {q['count']:5d}  " + "   ".join(cells))
    from sim.results.weekly import format_weekly
    lines += format_weekly(s.get("weekly"))
    return "\n".join(lines)


def _num(x: float) -> str:
    """A quantity in a fixed width: one decimal (expected counts are fractional)."""
    return f"{x:6.1f}"


CSV_HEADER = ("section", "name", "label", "count", "runs", "estimate", "ci95_low", "ci95_high",
              "interval")


def summary_rows(s: dict) -> list[tuple]:
    """The summary as flat rows (``CSV_HEADER``): one per share or day quantile."""
    rows = []
    for section in ("outcomes", "indicators", "japan_level", "us_posture"):
        for o in s.get(section, []):
            rows.append((section, o["name"], o.get("label", o["name"]), o["count"], s["ok"],
                         o["share"], o["ci95"][0], o["ci95"][1], "wilson"))
    if s.get("still_going"):
        o = s["still_going"]
        rows.append(("still_going", o["name"], o["label"], o["count"], s["ok"], o["share"],
                     o["ci95"][0], o["ci95"][1], "wilson"))
    for d in s["days"]:
        for key, _ in QUANTILES:
            if d["count"]:
                lo, hi = d[f"{key}_ci95"]
                rows.append((f"days_{key}", d["name"], d["label"], d["count"], s["ok"], d[key],
                             lo, hi, "bootstrap"))
    for d in s.get("quantities", []):
        for key, _ in QUANTILES:
            if d["count"]:
                lo, hi = d[f"{key}_ci95"]
                rows.append((f"quantities_{key}", d["name"], d["label"], d["count"], s["ok"],
                             d[key], lo, hi, "bootstrap"))
    from sim.results.weekly import weekly_rows
    return rows + weekly_rows(s.get("weekly"), s["ok"])
