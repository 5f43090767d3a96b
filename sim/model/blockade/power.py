"""Module 3: a week of Taiwan's electricity from each fuel's stock and inflow (csis-lo-fuels).

Each imported fuel (LNG, coal, oil) has its own stock, in days of its normal use, and its own
inflow from its own ships. Lights Out's stock rule (csis-lo-stock-rule): stocks cover the
shortfall so output holds until a stock is empty; then a fuel gives what its arrivals support.

A week, with demand ``demand`` (1 less the cuts, csis-lo-demand-cuts) and the power mix ``mix``
(shares of normal generation by fuel, the rest ``other``: nuclear and renewables, not
imported):

1. A fuel at full output burns, per day, its power use (1 - non-power share) plus the non-power
   use still ``kept`` (industry, homes, transport; csis-lo-fuels: in a crisis gas and coal are
   shifted to power). Oil also feeds private generators (csis-lo-generators), which burn it as
   oil plants do: (1 - non-power) / mix_oil days of oil per day per unit of electricity.
2. A fuel lasts ``lasted`` of the week: (stock + inflow) / (7 x burn), at most 1.
3. If the fuels that last can meet demand, they run scaled down to it (``scale`` < 1) and burn
   less; if not, they run flat out and the system is short, and generators (once allowed) add
   their share while oil lasts.
4. Electricity supplied = other + sum of mix x scale x lasted (+ generators), at most demand:
   a share of normal (pre-blockade) demand.

Plain floats; no randomness. Stocks never go below zero and are capped at ``cap_days``
(storage: csis-lo-stock-rule, Prepared level).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sim.errors import ModelError
from sim.model.combat import _checks as chk

WEEK_DAYS = 7.0
_I = (0, 1, 2)  # LNG, coal, oil: the order of sim.model.blockade.FUELS
_new = tuple.__new__


class PowerWeek(NamedTuple):
    """One week of the grid (shares of normal demand; fuel quantities in days of normal use)."""
    electricity_share: float      # supplied / normal demand, 0-1
    short: bool                   # supply below the week's (cut) demand
    lasted: tuple                 # per fuel: share of the week it ran (0-1)
    used: tuple                   # per fuel: days of normal use burned this week
    stocks: tuple                 # per fuel: stock at the end of the week (days of normal use)


def burn_rate(nonpower: float, kept: float, scale: float = 1.0) -> float:
    """Days of a fuel's normal use burned per day: power use (1 - nonpower) x scale plus the
    non-power use kept. Coal (23% non-power) at full output with industry's use shifted to
    power: 0.77; with all of it kept and output scaled to 0.95: 0.77 x 0.95 + 0.23 = 0.9615.
    Days per day."""
    ns = chk.probability("nonpower", nonpower)
    return (1.0 - ns) * chk.count("scale", scale) + ns * chk.probability("kept", kept)


def generator_burn(generators: float, mix_oil: float, nonpower_oil: float) -> float:
    """Days of oil's normal use burned per day by private generators giving ``generators`` of
    normal electricity, at oil plants' rate: generators x (1 - nonpower_oil) / mix_oil. 6% of
    electricity with oil at 1% of the mix and 99% of oil outside power: 0.06 x 0.01 / 0.01 =
    0.06 days per day. No oil in the mix: 0 (the generators' fuel is not counted)."""
    m = chk.probability("mix_oil", mix_oil)
    if m == 0.0:
        return 0.0
    return chk.probability("generators", generators) * (1.0 - chk.probability(
        "nonpower_oil", nonpower_oil)) / m


def _lasted(available: float, rate: float) -> float:
    need = WEEK_DAYS * rate
    return 1.0 if need <= available else (available / need if need > 0.0 else 1.0)


def power_week(stocks: Sequence[float], inflow: Sequence[float], mix: Sequence[float],
               nonpower: Sequence[float], kept: Sequence[float], demand: float,
               generators: float = 0.0, cap_days: Sequence[float] | None = None) -> PowerWeek:
    """One week of electricity (see the module's steps). Sequences run over ``FUELS`` (LNG,
    coal, oil); ``mix`` has a fourth entry, ``other`` (nuclear and renewables). ``stocks`` and
    ``inflow`` in days of each fuel's normal use; ``generators`` the share private generators
    can add when short. Written out fuel by fuel (no dicts, few calls): it runs every week of
    every replication; the checks are the caller's (the scenario schema bounds every input).

    Worked example (docs/blockade-arithmetic.md): mix LNG 0.27, coal 0.55, oil 0.01, other
    0.17; no LNG left, coal and oil plenty, demand 0.91, generators 0.06: the fuels can give
    0.56, short of 0.91 - 0.17 = 0.74, so they run flat out: 0.17 + 0.56 + 0.06 = 0.79."""
    m0, m1, m2, other = mix
    n0, n1, n2 = nonpower
    k0, k1, k2 = kept
    a0, a1, a2 = stocks[0] + inflow[0], stocks[1] + inflow[1], stocks[2] + inflow[2]
    if min(a0, a1, a2) < 0.0 or not 0.0 <= demand <= 1.0:
        raise ModelError(f"stocks + inflow ({a0}, {a1}, {a2}) must be >= 0 and demand "
                         f"({demand}) in [0, 1]")
    # flat out first: can the fuels that last meet the demand left after nuclear/renewables?
    r0, r1, r2 = (1.0 - n0) + n0 * k0, (1.0 - n1) + n1 * k1, (1.0 - n2) + n2 * k2
    capacity = m0 * _lasted(a0, r0) + m1 * _lasted(a1, r1) + m2 * _lasted(a2, r2)
    wanted = demand - other if demand > other else 0.0
    short = capacity + 1e-12 < wanted
    if short:  # flat out, generators burning oil too
        gens, scale = generators, 1.0
        r2 += generator_burn(generators, m2, n2)
    else:  # scaled down to the demand: the fuels burn less
        gens = 0.0
        scale = wanted / capacity if capacity > 0.0 else 0.0
        r0, r1, r2 = ((1.0 - n0) * scale + n0 * k0, (1.0 - n1) * scale + n1 * k1,
                      (1.0 - n2) * scale + n2 * k2)
    l0, l1, l2 = _lasted(a0, r0), _lasted(a1, r1), _lasted(a2, r2)
    u0, u1, u2 = (min(a0, WEEK_DAYS * r0 * l0), min(a1, WEEK_DAYS * r1 * l1),
                  min(a2, WEEK_DAYS * r2 * l2))
    supply = other + scale * (m0 * l0 + m1 * l1 + m2 * l2) + gens * l2
    e0, e1, e2 = a0 - u0, a1 - u1, a2 - u2
    if cap_days is not None:
        e0, e1, e2 = min(e0, cap_days[0]), min(e1, cap_days[1]), min(e2, cap_days[2])
    # tuple.__new__: PowerWeek(...) without the generated __new__'s Python call (every week)
    return _new(PowerWeek, (demand if supply > demand else supply, short, (l0, l1, l2),
                            (u0, u1, u2), (e0, e1, e2)))
