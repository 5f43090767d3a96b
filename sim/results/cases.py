"""Scoring a run against a case (``sim.config.cases``): each check's estimate with a 95%
interval, the published figure, the band, and a verdict.

The verdict reads the estimate, not the interval: ``inside`` when the estimate lies in the band,
``outside`` when it does not, ``no data`` when no replication qualifies. The interval says how
sure that verdict is at this many replications (an estimate inside the band whose interval
crosses its edge is a weak agreement), so both are shown.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from sim.errors import SimError
from sim.results.stats import Z95, bootstrap_quantiles, wilson


def _rows(table: pa.Table, check) -> np.ndarray:
    """Mask of the replications a check reads (its ``where`` filter)."""
    mask = np.ones(table.num_rows, dtype=bool)
    for col, allowed in check.where.items():
        values = table.column(col).to_pylist()
        mask &= np.array([v in allowed for v in values], dtype=bool)
    return mask


def _numeric(table: pa.Table, col: str, mask: np.ndarray) -> np.ndarray:
    x = np.array(table.column(col).to_numpy(zero_copy_only=False), dtype=float)[mask]
    return x[~np.isnan(x)]


def _weekly_numeric(name: str, check, table: pa.Table, weekly: pa.Table | None,
                    mask: np.ndarray) -> np.ndarray:
    """The weekly ``column`` at ``check.week`` for the replications ``mask`` keeps (joined on
    ``replication``); a replication that ended before that week has no value."""
    if weekly is None:
        raise SimError(f"check {name}: it reads week {check.week} of {check.column!r}, but the "
                       f"run has no weekly table")
    for col, where in (("replication", table), ("replication", weekly), ("week", weekly),
                       (check.column, weekly)):
        if col not in where.column_names:
            raise SimError(f"check {name}: the run's "
                           f"{'weekly ' if where is weekly else ''}table has no column {col!r}")
    keep = set(np.asarray(table.column("replication").to_pylist(), dtype=object)[mask])
    reps = weekly.column("replication").to_pylist()
    weeks = weekly.column("week").to_pylist()
    values = weekly.column(check.column).to_pylist()
    x = np.array([v for r, w, v in zip(reps, weeks, values)
                  if w == check.week and r in keep and v is not None], dtype=float)
    return x[~np.isnan(x)]


def score_check(name: str, check, table: pa.Table, weekly: pa.Table | None = None) -> dict:
    """One check scored on a run's ok rows (and, for a check with ``week``, the run's weekly
    table: columns replication, week and the weekly columns)."""
    needed = list(check.where) + ([check.column] if check.column and check.week is None
                                  else [])
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise SimError(f"check {name}: the run's table has no column {missing[0]!r}")
    mask = _rows(table, check)
    if check.statistic == "share":
        if check.outcomes is not None:
            hits = np.isin(np.array(table.column("outcome").to_pylist(), dtype=object),
                           check.outcomes)
        else:
            hits = np.array([bool(v) for v in table.column(check.column).to_pylist()])
        n, k = int(mask.sum()), int((hits & mask).sum())
        estimate = k / n if n else math.nan
        ci = wilson(k, n)
    else:
        x = (_numeric(table, check.column, mask) if check.week is None
             else _weekly_numeric(name, check, table, weekly, mask))
        n = int(x.size)
        if check.statistic == "mean":
            estimate = float(x.mean()) if n else math.nan
            half = Z95 * float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
            ci = (estimate - half, estimate + half)
        else:
            q = 0.5 if check.statistic == "median" else check.q
            b = bootstrap_quantiles(x, [q])[0]
            estimate, ci = b["estimate"], tuple(b["ci95"])
    verdict = "no data" if n == 0 else ("inside" if check.band.holds(estimate) else "outside")
    return {"check": name, "statistic": check.statistic, "q": check.q,
            "column": check.column, "week": check.week, "outcomes": check.outcomes,
            "where": dict(check.where),
            "n": n, "estimate": estimate, "ci95": ci, "band": check.band.text(),
            "band_min": check.band.min, "band_max": check.band.max,
            "published": check.published.value, "unit": check.published.unit,
            "published_note": check.published.note, "why": check.why,
            "source": check.source, "role": check.role, "verdict": verdict}


def score_case(case, table: pa.Table, weekly: pa.Table | None = None) -> list[dict]:
    """Every check of ``case`` scored on ``table`` (a run's ok rows), in file order; checks
    with ``week`` read ``weekly`` (the run's weekly table)."""
    return [score_check(name, check, table, weekly) for name, check in case.checks.items()]


def format_scores(title: str, scores: list[dict]) -> str:
    """A terminal table: model estimate and interval beside the published figure and band."""
    def num(x: float) -> str:
        return "0" if abs(x) < 1e-9 else f"{x:.3g}"  # a Wilson bound of 2e-19 is 0

    lines = [title, f"{'check':<28}{'role':<9}{'model [95% CI]':<34}{'published':<16}"
                    f"{'band':<20}verdict"]
    for s in scores:
        est = "-" if s["n"] == 0 else f"{num(s['estimate'])} [{num(s['ci95'][0])}, " \
                                      f"{num(s['ci95'][1])}] (n={s['n']})"
        pub = "-" if s["published"] is None else f"{s['published']:g} {s['unit']}"
        lines.append(f"{s['check']:<28}{s['role']:<9}{est:<33} {pub:<16}{s['band']:<20}"
                     f"{s['verdict']}")
    return "\n".join(lines)
