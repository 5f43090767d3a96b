"""Taiwan's grid under strikes: capacity knocked out, repaired week by week (issue 13).

Lights Out's grid variant (csis-lo-grid-damage): each ton of bombs or warheads on the grid
takes ``mw_per_ton`` megawatts of generating and transmission capacity out of service, and
repair crews bring back a fixed share of the whole capacity a week (3% in the base case, 6%
hardened). Russia's strikes on Ukraine's grid and Desert Storm are the study's analogies
(csis-lo-grid-attacks); force against Taiwan's grid belongs to the wider-war level of the
escalation ladder (csis-lo-wider-war).

A week: the week's strikes come first, then the grid carries what it can, then crews repair for
the week to come. The grid can carry ``in_service / load_share`` of normal demand (at most all
of it): normal demand uses ``load_share`` of the capacity in service, so the first damage eats
the reserve margin before it cuts supply. Electricity supplied is the smaller of what the fuels
and what the grid can give (taiwan_energy caps the week's demand at the grid's share, so the
fuels also burn only what the grid can carry).

Plain floats, shares of installed capacity (0-1); no randomness; the checks are the caller's
(the scenario schema bounds every input).
"""

from __future__ import annotations


def damage_share(tons: float, mw_per_ton: float, capacity_mw: float) -> float:
    """Share of installed capacity a week's ``tons`` of strikes take out of service, at most 1.
    1,500 t at 8.2 MW a ton on 57,900 MW: 1,500 x 8.2 / 57,900 = 12,300 / 57,900 = 0.2124."""
    if tons <= 0.0 or capacity_mw <= 0.0:
        return 0.0
    lost = tons * mw_per_ton / capacity_mw
    return lost if lost < 1.0 else 1.0


def grid_week(start: float, damage: float, repair: float) -> tuple[float, float]:
    """(in service this week, in service at the start of the next): the week's damage comes
    off ``start`` (not below 0), then a week of repair adds ``repair`` (not above 1).
    From 1.0 with 0.2124 damage and 3% repair: 0.7876 this week, 0.8176 the next; undamaged,
    the grid stays whole: (1.0, 1.0)."""
    now = start - damage if start > damage else 0.0
    nxt = now + repair
    return now, (nxt if nxt < 1.0 else 1.0)


def grid_limited_supply(in_service: float, load_share: float) -> float:
    """Electricity the grid can carry, as a share of normal demand: in_service / load_share,
    at most 1. With normal demand at 0.8 of capacity, 0.7876 in service carries 0.7876 / 0.8
    = 0.9845 of it; 0.85 in service carries all of it (the reserve margin is spent first)."""
    if load_share <= 0.0:
        return 1.0
    carried = in_service / load_share
    return carried if carried < 1.0 else 1.0
