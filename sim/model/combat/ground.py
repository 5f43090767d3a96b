"""Ground combat ashore: Taiwan's battalions, those that reach a lodgment, and a simple
exchange of losses between the two sides, in battalion-equivalents.

What CSIS gives: Taiwan has 114 combat battalions (csis-fb-taiwan-battalions) and 21 or 24
first-line reserve brigades (csis-fb-taiwan-reserve-brigades); an active Taiwanese battalion
equals a PLA battalion of like size and kit, a first-line reserve battalion counts as half of
one, and in the "understrength" excursion 0.75 and about 0.38 (csis-fb-taiwan-unit-strength);
about 46% of Taiwan's battalions stand in the northern third of the island
(csis-fb-taiwan-north); in the "delayed reaction" excursion forces outside the threatened area
are frozen for a turn (csis-fb-taiwan-delayed-reaction); friendly air support raises combat
values (csis-fb-ground-air-support).

CSIS's text gives no combat-results table and no force ratios, so the exchange below is ours
(an assumption, to become YAML and to be checked against the base case, not fitted to it):
- a Lanchester "square law" step per 3.5-day turn: each side loses ``KILL_RATE`` x the other
  side's effective battalions, capped at what it has. ``KILL_RATE`` = 0.1 means a 20-a-side
  fight over three turns costs each side about 5-6 battalion-equivalents, the order of the
  ~7 a side CSIS reports for its base case (csis-fb-base-ground-losses);
- a battalion short of supply fights at half value (``UNSUPPLIED_FACTOR``);
- 3 manoeuvre battalions per reserve brigade and 21 brigades: 63 reserve battalions;
- half of the forces outside the landing's sector can join it (``OUTSIDE_COMMITTED``); the
  rest guard other beaches.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from sim.model.combat import _checks as chk

# csis-fb-taiwan-battalions; csis-fb-taiwan-reserve-brigades
TAIWAN_ACTIVE_BATTALIONS = 114.0
RESERVE_BRIGADES = 21.0
# csis-fb-taiwan-unit-strength: value of a Taiwanese battalion against a PLA active one.
ACTIVE_FACTOR = 1.0
RESERVE_FACTOR = 0.5
UNDERSTRENGTH_ACTIVE_FACTOR = 0.75
UNDERSTRENGTH_RESERVE_FACTOR = 0.5 * 0.75
# csis-fb-taiwan-north
NORTH_SHARE = 0.46
RULE_TURN_DAYS = 3.5
# Assumptions (see the module docstring).
BATTALIONS_PER_RESERVE_BRIGADE = 3.0
RESERVE_BATTALIONS = RESERVE_BRIGADES * BATTALIONS_PER_RESERVE_BRIGADE
KILL_RATE = 0.1
UNSUPPLIED_FACTOR = 0.5
OUTSIDE_COMMITTED = 0.5


class GroundTurn(NamedTuple):
    """One turn of fighting ashore, in battalion-equivalents."""
    pla_lost: float
    taiwan_lost: float
    pla_end: float
    taiwan_end: float


def taiwan_battalion_equivalents(*, active: float = TAIWAN_ACTIVE_BATTALIONS,
                                 reserves: float = RESERVE_BATTALIONS,
                                 mobilised_share: float = 1.0,
                                 active_factor: float = ACTIVE_FACTOR,
                                 reserve_factor: float = RESERVE_FACTOR) -> float:
    """Taiwan's ground strength in PLA-active-battalion equivalents: active x factor +
    reserves x mobilised share x reserve factor (csis-fb-taiwan-unit-strength). Base case:
    114 x 1 + 63 x 1 x 0.5 = 145.5; understrength: 114 x 0.75 + 63 x 0.375 = 109.125."""
    return (chk.count("active", active) * chk.count("active_factor", active_factor)
            + chk.count("reserves", reserves) * chk.probability("mobilised_share", mobilised_share)
            * chk.count("reserve_factor", reserve_factor))


def defenders_available(strength: float, sector_share: float, turn: int, *,
                        outside_committed: float = OUTSIDE_COMMITTED,
                        frozen_turns: int = 0) -> float:
    """Taiwanese battalion-equivalents that can fight a lodgment in campaign turn ``turn``
    (1 = the turn of the landing): those in the landing's sector, plus ``outside_committed``
    of the rest once ``frozen_turns`` turns have passed (csis-fb-taiwan-delayed-reaction:
    one frozen turn in that excursion). A landing in the north (46%, csis-fb-taiwan-north)
    with 145.5: 0.46 x 145.5 + 0.5 x 0.54 x 145.5 = 66.93 + 39.285 = 106.215."""
    s = chk.count("strength", strength)
    share = chk.probability("sector_share", sector_share)
    t = chk.whole("turn", turn)
    inside = s * share
    if t <= chk.whole("frozen_turns", frozen_turns):
        return inside
    return inside + s * (1.0 - share) * chk.probability("outside_committed", outside_committed)


def combat_factor(*, supplied_share: float = 1.0, air_factor: float = 1.0,
                  unsupplied_factor: float = UNSUPPLIED_FACTOR) -> float:
    """Multiplier on a side's battalions: the supplied share fights at full value, the rest at
    ``unsupplied_factor`` (assumption 0.5), times an air-support factor (csis-fb-ground-air-support
    says air support raises combat values, not by how much; 1 = none). Half supplied:
    (0.5 + 0.5 x 0.5) x 1 = 0.75."""
    s = chk.probability("supplied_share", supplied_share)
    return ((s + (1.0 - s) * chk.probability("unsupplied_factor", unsupplied_factor))
            * chk.count("air_factor", air_factor))


def force_ratio(attacker: float, defender: float) -> float:
    """Attacker over defender battalion-equivalents; infinite against no defender, 0 for no
    attacker. 30 PLA against 20: 1.5."""
    a, d = chk.count("attacker", attacker), chk.count("defender", defender)
    if a == 0.0:
        return 0.0
    return math.inf if d == 0.0 else a / d


def ground_exchange(pla: float, taiwan: float, *, pla_factor: float = 1.0,
                    taiwan_factor: float = 1.0, kill_rate: float = KILL_RATE,
                    turn_days: float = RULE_TURN_DAYS) -> GroundTurn:
    """One turn of the assumed square-law exchange: PLA loses kill_rate x taiwan x
    taiwan_factor, Taiwan loses kill_rate x pla x pla_factor (both from the strengths at the
    start of the turn, scaled by turn_days / 3.5), each capped at what it has.
    20 PLA against 30 Taiwanese, factors 1: PLA loses 0.1 x 30 = 3, Taiwan 0.1 x 20 = 2,
    leaving 17 and 28."""
    p, t = chk.count("pla", pla), chk.count("taiwan", taiwan)
    k = chk.count("kill_rate", kill_rate) * chk.positive("turn_days", turn_days) / RULE_TURN_DAYS
    pla_lost = min(p, k * t * chk.count("taiwan_factor", taiwan_factor))
    taiwan_lost = min(t, k * p * chk.count("pla_factor", pla_factor))
    return GroundTurn(pla_lost, taiwan_lost, p - pla_lost, t - taiwan_lost)
