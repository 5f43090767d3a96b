"""Interval estimates used by every summary: Wilson for shares, seeded bootstrap for quantiles,
paired and unpaired intervals for a difference of shares.

Nothing here draws from global randomness: a bootstrap takes its own seed, so the same table
always gives the same interval.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0
_CHUNK_CELLS = 2_000_000  # resampled values held at once (16 MB of float64)
# Above this many values the bootstrap (resamples x n draws) costs seconds per column (minutes
# at a million); the order-statistic interval gives the same answer for large n in one sort.
BOOTSTRAP_MAX_N = 5_000


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share k/n (sound near 0 and 1, unlike the normal one)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, centre - half), min(1.0, centre + half))


def _resamples(rng, n: int, resamples: int):
    """Bootstrap index arrays of shape (m, n), ``resamples`` rows in all, a few at a time so
    memory stays near ``_CHUNK_CELLS`` values whatever n is."""
    per_chunk = max(1, _CHUNK_CELLS // n)
    for done in range(0, resamples, per_chunk):
        yield rng.integers(0, n, size=(min(per_chunk, resamples - done), n))


def bootstrap_quantiles(values, qs=(0.1, 0.5, 0.9), *, resamples: int = BOOTSTRAP_RESAMPLES,
                        seed: int = BOOTSTRAP_SEED, level: float = 0.95) -> list[dict]:
    """Each quantile of ``values`` with a bootstrap percentile interval.

    Resamples are drawn with ``numpy.random.default_rng(seed)`` in chunks, so memory stays
    bounded for large runs and the result depends only on (values, qs, resamples, seed).
    Returns one ``{"q", "estimate", "ci95"}`` per quantile; nothing is estimated from no data.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return [{"q": q, "estimate": math.nan, "ci95": (math.nan, math.nan)} for q in qs]
    if n > BOOTSTRAP_MAX_N:
        return order_statistic_quantiles(x, qs, level=level)
    draws = [np.quantile(x[idx], qs, axis=1).T  # (m, len(qs))
             for idx in _resamples(np.random.default_rng(seed), n, resamples)]
    boot = np.concatenate(draws)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha], axis=0)
    est = np.quantile(x, qs)
    return [{"q": q, "estimate": float(e), "ci95": (float(a), float(b))}
            for q, e, a, b in zip(qs, est, lo, hi)]


def order_statistic_quantiles(values, qs=(0.1, 0.5, 0.9), *, level: float = 0.95) -> list[dict]:
    """Each quantile with the distribution-free interval between two order statistics.

    The number of values below the true q-quantile is Binomial(n, q); its normal approximation
    (sound for the large n this is used for) picks the ranks n*q -/+ z*sqrt(n*q*(1-q)).
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    z = float(np.sqrt(2) * _erfinv(level))
    out = []
    for q, e in zip(qs, np.quantile(x, qs) if n else [math.nan] * len(qs)):
        half = z * math.sqrt(n * q * (1 - q))
        lo = min(n - 1, max(0, math.floor(n * q - half)))
        hi = min(n - 1, max(0, math.ceil(n * q + half)))
        out.append({"q": q, "estimate": float(e), "ci95": (float(x[lo]), float(x[hi]))})
    return out


def _erfinv(p: float) -> float:
    """Inverse error function by bisection (only called with a confidence level)."""
    lo, hi = 0.0, 6.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if math.erf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def paired_difference(a, b, z: float = Z95) -> dict:
    """Difference of two shares measured on the same replications (common random numbers).

    ``a`` and ``b`` are 0/1 arrays aligned by replication. The interval is the normal (Wald)
    interval of the mean per-replication difference: pairing removes the noise both variants
    share, so it is much narrower than an interval that treats them as independent. Identical
    inputs give a difference of exactly 0 with a zero-width interval.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    n = a.size
    if n == 0:
        return {"diff": math.nan, "ci95": (math.nan, math.nan), "method": "paired-wald", "n": 0}
    d = b - a
    mean = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    ci = (mean - z * se, mean + z * se) if n > 1 else (math.nan, math.nan)
    return {"diff": mean, "ci95": (max(-1.0, ci[0]), min(1.0, ci[1])), "method": "paired-wald",
            "n": int(n)}


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> dict:
    """Difference p2 - p1 of two independent shares with Newcombe's hybrid score interval
    (built from the two Wilson intervals), for variants whose replications cannot be paired."""
    if n1 == 0 or n2 == 0:
        return {"diff": math.nan, "ci95": (math.nan, math.nan), "method": "newcombe", "n": 0}
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p2 - p1
    lo = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    hi = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return {"diff": d, "ci95": (lo, hi), "method": "newcombe", "n": int(min(n1, n2))}


def paired_median_difference(a, b, *, resamples: int = 1000, seed: int = BOOTSTRAP_SEED,
                             level: float = 0.95) -> dict:
    """Difference of medians of a day column between two variants on the same replications.

    ``a`` and ``b`` are aligned by replication, NaN where the thing never happened; each median
    is over the replications in which it did. The interval is a paired bootstrap: replications
    are resampled together, so the noise the variants share cancels as it does for shares.
    Identical inputs give exactly 0 with a zero-width interval.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    n = a.size
    have_a, have_b = ~np.isnan(a), ~np.isnan(b)
    if not have_a.any() or not have_b.any():
        return {"diff": math.nan, "ci95": (math.nan, math.nan), "method": "paired-bootstrap",
                "n": int(n)}
    diff = float(np.median(b[have_b]) - np.median(a[have_a]))
    import warnings
    draws = []
    for idx in _resamples(np.random.default_rng(seed), n, resamples):
        with warnings.catch_warnings():  # a resample in which a rare event never happens
            warnings.simplefilter("ignore", RuntimeWarning)
            draws.append(np.nanmedian(b[idx], axis=1) - np.nanmedian(a[idx], axis=1))
    boot = np.concatenate(draws)
    boot = boot[~np.isnan(boot)]
    alpha = (1 - level) / 2
    lo, hi = (np.quantile(boot, [alpha, 1 - alpha]) if boot.size else (math.nan, math.nan))
    return {"diff": diff, "ci95": (float(lo), float(hi)), "method": "paired-bootstrap",
            "n": int(n)}
