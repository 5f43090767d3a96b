"""The lodgment on Taiwan: how many defenders can reach its front, who attacks, the ground it
holds (km²) and what its fighting costs each side in people.

What CSIS gives: its ground map has hexes 30 km across, played in the same 3.5-day turns, the
front moving inside a hex (csis-fb-ground-hex); a regular hexagon 30 km across is about 780 km²
(derived: 30² x sqrt(3) / 2 = 779.4). Taiwan is about 36,000 km² (csis-fb-taiwan-area). In its
base case the lodgment held about 2,600 km² at the end with some 30 battalions ashore
(csis-fb-base-outcomes); the PLA lost about 7 battalion-equivalents ashore with some 7,000
casualties, Taiwan's army about 3,500 casualties on average for as many battalion-equivalents,
and about 15,000 PLA troops were lost at sea (csis-fb-base-casualties).

CSIS's text gives no combat-results table, so the rest is ours (assumptions, in the scenario's
YAML with their reasons):
- the defenders that can engage a lodgment are bounded by its front: ``defenders_per_hex``
  Taiwanese battalions per ground hex it holds (a lodgment grown along the coast adds about
  30 km of land front per hex; at 3-4 km per battalion in defence that is about 9);
- a side attacks only with ``attack_ratio`` (a clear local superiority) in effective
  battalions; the attacker moves the front ``advance_hexes`` hexes per 3.5-day turn; otherwise
  the lodgment is contained and the front stays where it is;
- a contained front still costs both sides, at ``contained_intensity`` of the full exchange
  (shelling, patrols, local attacks); an attack costs the full exchange (ground.py);
- a lodgment pushed back to no ground at all is destroyed: its battalions are lost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sim.model.combat import _checks as chk

# csis-fb-ground-hex: hexes 30 km across; area derived (regular hexagon).
HEX_KM = 30.0
HEX_KM2 = HEX_KM * HEX_KM * math.sqrt(3.0) / 2.0  # 779.42
# csis-fb-taiwan-area
TAIWAN_KM2 = 36_000.0
RULE_TURN_DAYS = 3.5
# csis-fb-battalion-size; csis-fb-base-casualties (people per battalion-equivalent lost)
PEOPLE_PER_BATTALION = 1_000.0

ADVANCE, CONTAINED, PUSHED_BACK = 1, 0, -1


def front_defenders(area_km2: float, *, per_hex: float, hex_km2: float = HEX_KM2) -> float:
    """Taiwanese battalions that can engage a lodgment of ``area_km2`` along its front: ``per_hex``
    per ground hex held (assumption). Two hexes (1,558.8 km²) at 9 a hex: 18."""
    return (chk.count("per_hex", per_hex) * chk.count("area_km2", area_km2)
            / chk.positive("hex_km2", hex_km2))


def engaged_defenders(available: float, pla_ashore: float, area_km2: float, *,
                      frontage_ratio: float, per_hex: float, hex_km2: float = HEX_KM2) -> float:
    """Taiwanese battalion-equivalents fighting the lodgment this turn: the fewest of those that
    can reach it (ground.defenders_available), ``frontage_ratio`` per PLA battalion ashore, and
    those its front has room for. 106.2 available, 30 ashore, ratio 1, 2 hexes at 9: 18."""
    by_pla = chk.count("frontage_ratio", frontage_ratio) * chk.count("pla_ashore", pla_ashore)
    by_front = front_defenders(area_km2, per_hex=per_hex, hex_km2=hex_km2)
    return min(chk.count("available", available), by_pla, by_front)


def posture(pla_effective: float, taiwan_engaged: float, *, attack_ratio: float) -> int:
    """Who attacks this turn: ADVANCE (+1) if the PLA's effective battalions reach
    ``attack_ratio`` x the engaged defenders, PUSHED_BACK (-1) if the defenders reach
    ``attack_ratio`` x the PLA's, else CONTAINED (0). At 1.5: 27 against 18 advances (1.5),
    15 against 27 is pushed back (27 / 15 = 1.8), 20 against 27 is contained. No PLA ashore is
    pushed back (nothing holds the ground); no defenders at all lets any lodgment advance."""
    p, t = chk.count("pla_effective", pla_effective), chk.count("taiwan_engaged", taiwan_engaged)
    r = chk.positive("attack_ratio", attack_ratio)
    if p == 0.0:
        return PUSHED_BACK
    if p >= r * t:
        return ADVANCE
    if t >= r * p:
        return PUSHED_BACK
    return CONTAINED


def exchange_intensity(side: int, *, contained_intensity: float) -> float:
    """Share of the full ground exchange (ground.ground_exchange's kill rate) fought this turn:
    1 when either side attacks, ``contained_intensity`` (assumption) on a contained front."""
    return 1.0 if side != CONTAINED else chk.probability("contained_intensity",
                                                          contained_intensity)


def area_after(area_km2: float, side: int, *, advance_hexes: float,
               hex_km2: float = HEX_KM2, cap_km2: float = TAIWAN_KM2,
               turn_days: float = RULE_TURN_DAYS) -> float:
    """The lodgment's area after a turn: ``advance_hexes`` hexes (per 3.5 days) more when it
    advances, as many fewer when pushed back, unchanged when contained; within [0, cap_km2]
    (Taiwan, csis-fb-taiwan-area). 1,558.8 km² advancing one hex: 2,338.3; pushed back from
    779.4 by one hex: 0 (destroyed); 35,500 advancing: 36,000."""
    a = chk.count("area_km2", area_km2)
    step = (chk.count("advance_hexes", advance_hexes) * chk.positive("hex_km2", hex_km2)
            * chk.positive("turn_days", turn_days) / RULE_TURN_DAYS)
    return min(chk.count("cap_km2", cap_km2), max(0.0, a + side * step))


def troops_aboard(sunk: Mapping[str, float], weights: Mapping[str, float], *,
                  troops_per_weight: float) -> float:
    """Troops lost with amphibious ships sunk: each ship's class weight x ``troops_per_weight``
    (a full turn's load is the 16,000 troops a turn over the 2026 fleet's weight of 95: 168.4
    per LST-equivalent; the campaign passes half of it, the load a ship sunk half-way through a
    turn has not delivered: lift.SUNK_MIDWAY). 86 ships spread like the 2026 fleet (weight
    95 x 86 / 96 = 85.1) at a full load: 85.1 x 168.4 = 14,333; at half, 7,167 (CSIS: ~15,000
    lost at sea, csis-fb-base-casualties, a check, not a fit)."""
    per = chk.count("troops_per_weight", troops_per_weight)
    return per * sum(chk.count_of("sunk", c, n) * chk.count_of("weights", c, weights[c])
                     for c, n in sunk.items())


def casualties(battalions_lost: float, *, per_battalion: float = PEOPLE_PER_BATTALION) -> float:
    """People killed and wounded for battalion-equivalents lost ashore: 7 PLA battalions at
    1,000 each: 7,000 (csis-fb-base-casualties); 7 Taiwanese at 500: 3,500."""
    return chk.count("battalions_lost", battalions_lost) * chk.count("per_battalion",
                                                                     per_battalion)
