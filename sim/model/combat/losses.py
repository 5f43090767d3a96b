"""Allied and PLA losses beyond the ships a salvo puts out of action: aircraft lost in the air
by a per-sortie attrition rate, aircraft lost aboard carriers that are lost, and casualties
counted per unit lost. Plain floats, expected values, no randomness of its own.

- In the air (csis-fb-air-loss-per-sortie): historical air losses run under 1% per sortie. An
  aircraft flying ``sorties`` sorties, each with an independent ``loss_per_sortie`` chance of
  being lost, survives with (1 - loss_per_sortie)^sorties. We use this per-sortie reading rather
  than Lights Out's ~5% per air-to-air encounter (csis-lo-air-encounter) because the campaign
  counts aircraft-days, not encounters: it has no model of how many encounters a sortie meets.
- Aboard carriers (csis-carrier-air-losses): a carrier put out of action takes its air wing with
  it; CSIS counts the aircraft aboard the lost carriers as lost in every base game.
- Casualties: a labelled assumption per unit lost (the caller's values, from YAML).
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.model.combat import _checks as chk


def survival_share(loss_per_sortie: float, sorties: float) -> float:
    """Share of aircraft that survive ``sorties`` sorties each (a count, possibly fractional),
    each sortie lost with ``loss_per_sortie`` independently: (1 - r)^sorties. Unitless.

    Worked example: 0.5% per sortie, one sortie a day for a 3.5-day turn: 0.995^3.5 = 0.982609,
    so 1.7391% of the aircraft are lost in the turn."""
    r = chk.probability("loss_per_sortie", loss_per_sortie)
    return (1.0 - r) ** chk.count("sorties", sorties)


def air_attrition(aircraft: float, loss_per_sortie: float, sorties_per_day: float,
                  days: float) -> float:
    """Expected aircraft lost in the air out of ``aircraft`` flying ``sorties_per_day`` sorties
    a day for ``days`` days at ``loss_per_sortie`` (csis-fb-air-loss-per-sortie). Aircraft.

    Worked example: 300 aircraft, 0.5% per sortie, one a day, 3.5 days:
    300 x (1 - 0.995^3.5) = 300 x 0.0173909 = 5.2173 aircraft."""
    n = chk.count("aircraft", aircraft)
    sorties = chk.count("sorties_per_day", sorties_per_day) * chk.count("days", days)
    return n * (1.0 - survival_share(loss_per_sortie, sorties))


def aircraft_lost_aboard(aircraft_aboard: float, carriers_lost: float, carriers: float) -> float:
    """Aircraft lost with the carriers put out of action: the air wings are spread evenly over
    the ``carriers`` afloat, and each carrier lost takes its share (csis-carrier-air-losses).
    Aircraft. Example: 96 aircraft on 2 carriers, 1 lost: 96 x 1/2 = 48."""
    a = chk.count("aircraft_aboard", aircraft_aboard)
    n = chk.count("carriers", carriers)
    lost = chk.count("carriers_lost", carriers_lost)
    if n == 0.0:
        return 0.0
    return a * min(lost, n) / n


def casualties(lost: Mapping[str, float], per_unit: Mapping[str, float]) -> float:
    """People killed or wounded: the sum over classes of units lost times the casualties per
    unit of that class (a labelled assumption the caller supplies). A class without a rate
    counts none. Example: {carriers: 1, surface: 3} at {carriers: 1700, surface: 100}:
    1,700 + 300 = 2,000."""
    return sum(chk.count_of("lost", c, float(n)) * chk.count_of("per_unit", c,
                                                                float(per_unit.get(c, 0.0)))
               for c, n in lost.items())
