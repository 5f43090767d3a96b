"""Outcome shares with 95% Wilson intervals and decision-day quantiles, from a table."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from sim.model.vocab import JAPAN_LEVELS, OUTCOMES

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share k/n (sound near 0 and 1, unlike the normal one)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, centre - half), min(1.0, centre + half))


INDICATORS = (
    ("taiwan_held", "Taiwan held"),
    ("us_intervened", "U.S. entered combat"),
    ("bases_used", "U.S. combat from bases in Japan"),
    ("japan_struck", "Japan struck"),
    ("japan_threatened", "PRC threat reached Tokyo"),
    ("taiwan_capitulated", "Taiwan capitulated"),
    ("escalated_to_war", "Escalated to war"),
)
DAYS = (
    ("us_intervention_day", "U.S. combat"),
    ("japan_important_influence_day", "Japan: important influence"),
    ("japan_survival_threatening_day", "Japan: survival-threatening"),
    ("japan_armed_attack_day", "Japan: armed attack"),
    ("taiwan_capitulation_day", "Taiwan capitulation"),
    ("end_day", "Outcome decided"),
)


def summarize(table: pa.Table) -> dict:
    """Shares (with intervals) of outcomes, indicators and Japan's levels; day quantiles."""
    n = table.num_rows
    out = {"runs": n, "outcomes": [], "indicators": [], "japan_level": [], "days": []}
    outcome = table.column("outcome").to_pylist()
    for name in OUTCOMES:
        k = outcome.count(name)
        if k:
            out["outcomes"].append({"name": name, "count": k, "share": k / n,
                                    "ci95": wilson(k, n)})
    for col, label in INDICATORS:
        k = int(sum(1 for v in table.column(col).to_pylist() if v))
        out["indicators"].append({"name": col, "label": label, "count": k,
                                  "share": k / n if n else math.nan, "ci95": wilson(k, n)})
    levels = table.column("japan_level").to_pylist()
    for name in JAPAN_LEVELS:
        k = levels.count(name)
        out["japan_level"].append({"name": name, "count": k, "share": k / n if n else math.nan,
                                   "ci95": wilson(k, n)})
    for col, label in DAYS:
        vals = np.array([v for v in table.column(col).to_pylist() if v is not None], dtype=float)
        row = {"name": col, "label": label, "count": int(vals.size)}
        if vals.size:
            q = np.quantile(vals, [0.1, 0.5, 0.9])
            row.update(p10=float(q[0]), median=float(q[1]), p90=float(q[2]))
        out["days"].append(row)
    return out


def format_summary(s: dict, title: str) -> str:
    """Plain-text tables for the terminal."""
    lines = [f"{title}: {s['runs']} replications", "", "outcome              share   95% CI"]
    for o in s["outcomes"]:
        lo, hi = o["ci95"]
        lines.append(f"  {o['name']:<18} {o['share']:6.1%}   [{lo:.1%}, {hi:.1%}]")
    lines += ["", "indicator                          share   95% CI"]
    for o in s["indicators"]:
        lo, hi = o["ci95"]
        lines.append(f"  {o['label']:<32} {o['share']:6.1%}   [{lo:.1%}, {hi:.1%}]")
    lines += ["", "Japan's highest legal situation    share   95% CI"]
    for o in s["japan_level"]:
        lo, hi = o["ci95"]
        lines.append(f"  {o['name']:<32} {o['share']:6.1%}   [{lo:.1%}, {hi:.1%}]")
    lines += ["", "day of ...                     runs     p10  median     p90"]
    for d in s["days"]:
        if d["count"]:
            lines.append(f"  {d['label']:<28} {d['count']:6d} {d['p10']:7.1f} {d['median']:7.1f} "
                         f"{d['p90']:7.1f}")
        else:
            lines.append(f"  {d['label']:<28} {0:6d}       -       -       -")
    return "\n".join(lines)
