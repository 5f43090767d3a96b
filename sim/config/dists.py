"""Turning a validated distribution into a fast sampler.

Each random quantity in a replication reads a uniform ``u`` and standard normal ``z`` from its
own named stream (see ``sim.model.streams``), so the same stream gives the same draw in every
variant of a scenario (common random numbers) and no sampler touches a generator.
"""

from __future__ import annotations

import math
from typing import Callable

Sampler = Callable[[float, float], float]  # (u in [0,1), z ~ N(0,1)) -> value

Z90 = 1.2815515655446004  # standard normal 90th percentile


def make_sampler(q) -> Sampler:
    """Return ``f(u, z)`` drawing from the validated quantity ``q`` (a schema distribution)."""
    kind = q.dist
    if kind == "fixed":
        v = float(q.value)

        def fixed(u: float, z: float) -> float:
            return v
        fixed.fixed_value = v  # lets a scenario compute it once, not once per replication
        return fixed
    if kind == "uniform":
        lo, span = float(q.low), float(q.high) - float(q.low)
        return lambda u, z: lo + span * u
    if kind == "triangular":
        a, c, b = float(q.low), float(q.mode), float(q.high)
        if b == a:
            return lambda u, z: a
        fc = (c - a) / (b - a)

        def tri(u: float, z: float) -> float:  # inverse CDF of the triangular distribution
            if u < fc:
                return a + math.sqrt(u * (b - a) * (c - a))
            return b - math.sqrt((1.0 - u) * (b - a) * (b - c))
        return tri
    if kind == "lognormal":
        mu = math.log(q.median)
        sigma = math.log(q.p90 / q.median) / Z90
        if q.max is None:  # validation made sure exp() cannot overflow here
            return lambda u, z: math.exp(mu + sigma * z)
        cap = float(q.max)
        log_cap = math.log(cap)  # cap in log space: a wide spread must not overflow exp()

        def capped(u: float, z: float) -> float:
            x = mu + sigma * z
            return cap if x >= log_cap else min(math.exp(x), cap)
        return capped
    if kind == "normal":
        m, s = float(q.mean), float(q.sd)
        lo = -math.inf if q.low is None else float(q.low)
        hi = math.inf if q.high is None else float(q.high)
        return lambda u, z: min(max(m + s * z, lo), hi)
    if kind == "exponential":
        mean = float(q.mean)
        return lambda u, z: -mean * math.log1p(-u)
    if kind == "bernoulli":
        p = float(q.p)
        return lambda u, z: 1.0 if u < p else 0.0
    raise ValueError(f"unknown distribution {kind!r}")


def describe(q) -> str:
    """Short human form of a quantity, e.g. ``lognormal(median=24, p90=72)``."""
    if q.dist == "fixed":
        return f"{q.value:g}"
    # The distribution's numbers only: citation fields (source, supports, assumption, ...) and
    # the unit are text and are shown beside it, not inside it.
    numbers = [(f, getattr(q, f)) for f in type(q).model_fields if f != "dist"]
    args = ", ".join(f"{f}={v:g}" for f, v in numbers
                     if isinstance(v, (int, float)) and not isinstance(v, bool))
    return f"{q.dist}({args})"
