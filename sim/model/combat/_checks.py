"""Argument checks and two small distributions shared by the arithmetic modules.

Checks fail early and name the argument and its value (STYLE.md). The distributions are written
out here (no SciPy) so a reader can see every step.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left
from statistics import NormalDist

from sim.errors import ModelError


def _real(value) -> bool:
    if type(value) is float or type(value) is int:  # fast path: the campaign's hot loop
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def probability(name: str, value: float) -> float:
    if type(value) is float and 0.0 <= value <= 1.0:  # fast path (hot loop)
        return value
    if not (_real(value) and 0.0 <= value <= 1.0):
        raise ModelError(f"{name} ({value!r}) must be a probability in [0, 1]")
    return float(value)


def count(name: str, value: float) -> float:
    if type(value) is float and 0.0 <= value < math.inf:  # fast path (hot loop)
        return value
    if type(value) is int and value >= 0:  # fast path: a whole count (hot loop)
        return float(value)
    if not (_real(value) and math.isfinite(value) and value >= 0.0):
        raise ModelError(f"{name} ({value!r}) must be a finite count >= 0")
    return float(value)


def count_of(name: str, key, value: float) -> float:
    """``count`` for ``name[key]``, the name formatted only when the check fails (hot loops)."""
    if type(value) is float and 0.0 <= value < math.inf:
        return value
    return count(f"{name}[{key!r}]", value)


def whole(name: str, value: int) -> int:
    if type(value) is int and value >= 0:  # fast path (hot loop): skips the ABC isinstance
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ModelError(f"{name} ({value!r}) must be a whole number >= 0")
    return int(value)


def positive(name: str, value: float) -> float:
    if type(value) is float and 0.0 < value < math.inf:  # fast path (hot loop)
        return value
    if not (_real(value) and math.isfinite(value) and value > 0.0):
        raise ModelError(f"{name} ({value!r}) must be a finite number > 0")
    return float(value)


def uniform(name: str, value: float) -> float:
    if type(value) is float and 0.0 <= value < 1.0:  # fast path (hot loop)
        return value
    if not (_real(value) and 0.0 <= value < 1.0):
        raise ModelError(f"{name} ({value!r}) must be a uniform draw in [0, 1)")
    return float(value)


def poisson_at_least(mean: float, k: int) -> float:
    """P(X >= k) for X ~ Poisson(mean): 1 - sum over j < k of e^-mean mean^j / j!."""
    if k <= 0:
        return 1.0
    if k == 1:
        return -math.expm1(-mean)  # 1 - e^-mean, exact for small means
    term = below = math.exp(-mean)
    for j in range(1, k):
        term *= mean / j
        below += term
    return max(0.0, 1.0 - below)


_NORMAL = NormalDist()
# binomial_quantile's CDFs, (n, p) -> the CDF at k = 0, 1, ... as far as summed so far, and the
# last term. A campaign asks for the same few (n, p) turn after turn and replication after
# replication (100 missiles at the hit rate, ...): the sums are done once, each with the same
# floating-point steps as summing afresh, so the answers are the same. Emptied when full. Only
# for n >= _CDFS_FROM: the few ships of a class hit at a probability that varies from salvo to
# salvo are summed afresh (short sums, rarely asked for again).
_CDFS: dict[tuple[int, float], tuple] = {}
_CDFS_MAX = 4096  # entries (a few hundred bytes each)
_CDFS_FROM = 16


def binomial_quantile(n: int, p: float, u: float) -> int:
    """The smallest k with P(X <= k) >= u for X ~ Binomial(n, p): inverse-CDF sampling, so one
    uniform from the caller's stream gives one count and a larger u never gives fewer.

    The CDF is summed from k = 0 (few steps: the probabilities here are small), and kept for
    the next call with the same n and p. Where (1-p)^n would underflow (n*p above ~690) the
    normal approximation with a continuity correction is used instead; at such sizes it is off
    by far less than one count's worth of probability."""
    if n == 0 or p == 0.0:
        return 0
    if p == 1.0:
        return n
    if p > 0.5:  # sum the shorter tail: X = n - Y with Y ~ Binomial(n, 1 - p)
        return n - binomial_quantile(n, 1.0 - p, 1.0 - u) if u > 0.0 else 0
    kept = n >= _CDFS_FROM
    known = _CDFS.get((n, p)) if kept else None
    if known is None:
        log_p0 = n * math.log1p(-p)
        if log_p0 < -690.0:
            z = _NORMAL.inv_cdf(min(max(u, 1e-12), 1.0 - 1e-12))
            k = math.ceil(n * p + z * math.sqrt(n * p * (1.0 - p)) - 0.5)
            return min(max(k, 0), n)
        pmf = cdf = math.exp(log_p0)
        k = 0
        ratio = p / (1.0 - p)
        if not kept:  # a short sum: done afresh, not kept
            while cdf < u and k < n:
                pmf *= (n - k) / (k + 1) * ratio
                k += 1
                cdf += pmf
            return k
        cdfs: tuple = (cdf,)
    else:
        cdfs, pmf = known  # the CDF at k = 0, 1, ... as far as summed, the last term
        cdf = cdfs[-1]
        if u <= cdf:  # summed far enough already: the first k whose CDF reaches u
            return bisect_left(cdfs, u)
        k = len(cdfs) - 1  # sum on from there, as a first call would have gone on
        ratio = p / (1.0 - p)
    more = []
    while cdf < u and k < n:
        pmf *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += pmf
        more.append(cdf)
    if len(_CDFS) >= _CDFS_MAX:
        _CDFS.clear()
    # A new entry, never a table changed in place: a thread reading the old one is unaffected.
    _CDFS[(n, p)] = (cdfs + tuple(more), pmf)
    return k
