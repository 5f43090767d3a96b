"""U.S. air basing: combat aircraft by base region, and what a PRC strike on the bases destroys.

Aircraft are counts by region -- Japan (Kadena, Iwakuni, Misawa, Yokota: csis-bases-japan-named),
Guam (Andersen) and carriers -- with no per-aircraft objects. A strike on a region's bases
(``us_bases_japan_struck``, ``us_bases_guam_struck``) runs the salvo chain once, in expected
values: missiles lost to launch failure and to interceptors (csis-salvo-chain), then aircraft
on the ground killed -- those parked in the open by the density rule (csis-parked-density), those
in hardened shelters one unitary warhead each (csis-shelter-unitary). Only the share of aircraft
on the ground at the moment is exposed (csis-aircraft-on-ground); carriers are not reached by
base strikes (ships are another process's). In CSIS's base games about 90% of allied aircraft
losses came on the ground (csis-ground-losses).

A region's surviving share of its aircraft is its sortie capacity. Capacities offered to other
processes (``eng.capacity``), each 1.0 until a strike:

- ``air_basing.japan_share``: surviving share of the U.S. aircraft based in Japan;
- ``air_basing.guam_share``: surviving share of those on Guam;
- ``air_basing.us_air_share``: surviving share of all U.S. combat aircraft in theatre (Japan,
  Guam and carriers).

The arithmetic is in small pure functions below, checked by hand in tests/test_air_basing.py.
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import BASE_STRIKE_EVENTS

REGIONS = ("japan", "guam")
_AIRCRAFT = (*(f"air.{r}.aircraft" for r in REGIONS), "air.carrier_aircraft")


# --- the arithmetic of a strike on a base region ----------------------------------------------

def missiles_surviving(fired: float, launch_failure: float, interceptors: float,
                       shots_per_missile: float, interceptor_pk: float) -> float:
    """Expected missiles that reach their aim point (csis-salvo-chain).

    ``launch_failure`` of those fired never arrive; the defence then fires
    ``shots_per_missile`` interceptors at each arriving missile while its ``interceptors`` last,
    each destroying it with ``interceptor_pk``; the rest get through.
    """
    arriving = fired * (1.0 - launch_failure)
    if shots_per_missile <= 0.0:
        return arriving
    engaged = min(arriving, interceptors / shots_per_missile)
    killed_per_engaged = 1.0 - (1.0 - interceptor_pk) ** shots_per_missile
    return arriving - engaged * killed_per_engaged


def open_kill_share(submunition_missiles: float, area_per_missile_m2: float,
                    parking_area_m2: float) -> float:
    """Share of the aircraft parked in the open that are destroyed: the area the surviving
    submunition missiles cover over the whole parking area, at most 1 (csis-parked-density)."""
    if parking_area_m2 <= 0.0:
        return 1.0 if submunition_missiles > 0.0 else 0.0
    return min(1.0, submunition_missiles * area_per_missile_m2 / parking_area_m2)


def aircraft_destroyed(aircraft: float, on_ground_share: float, shelters: float,
                       open_share: float, unitary_missiles: float) -> tuple[float, float]:
    """Aircraft destroyed on the ground: (in the open, in shelters).

    ``on_ground_share`` of the ``aircraft`` are on the ground (csis-aircraft-on-ground); they
    fill the shelters first, one each, and the rest park in the open, where ``open_share`` of
    them die. Each surviving unitary missile destroys one shelter and what it holds
    (csis-shelter-unitary); not knowing which shelters are full, the attacker spreads its
    warheads over all of them, so an occupied shelter is hit with chance
    ``min(1, unitary_missiles / shelters)``.
    """
    on_ground = aircraft * on_ground_share
    sheltered = min(on_ground, shelters)
    in_open = on_ground - sheltered
    hit_shelter = min(1.0, unitary_missiles / shelters) if shelters > 0.0 else 0.0
    return in_open * open_share, sheltered * hit_shelter


def strike_losses(aircraft: float, shelters: float, parking_area_m2: float, interceptors: float,
                  submunition_missiles: float, unitary_missiles: float, *,
                  on_ground_share: float, shots_per_missile: float, interceptor_pk: float,
                  launch_failure: float, area_per_missile_m2: float) -> float:
    """Aircraft one strike destroys on the ground in one region: the salvo chain end to end.
    Interceptors are spread over both kinds of missile in proportion to their numbers."""
    fired = submunition_missiles + unitary_missiles
    if fired <= 0.0 or aircraft <= 0.0:
        return 0.0
    surviving = missiles_surviving(fired, launch_failure, interceptors, shots_per_missile,
                                   interceptor_pk) / fired
    share = open_kill_share(submunition_missiles * surviving, area_per_missile_m2,
                            parking_area_m2)
    in_open, in_shelters = aircraft_destroyed(aircraft, on_ground_share, shelters, share,
                                              unitary_missiles * surviving)
    return in_open + in_shelters


# --- the process ------------------------------------------------------------------------------

class AirBasing(Process):
    name = "air_basing"
    columns = (
        ("aircraft_lost_japan", "float", "U.S. combat aircraft destroyed on the ground at bases "
                                         "in Japan (expected count; 0 without a strike)."),
        ("aircraft_lost_guam", "float", "U.S. combat aircraft destroyed on the ground on Guam "
                                        "(expected count; 0 without a strike)."),
        ("us_air_share", "float", "Surviving share of U.S. combat aircraft in theatre at the "
                                  "end (Japan, Guam, carriers; 0-1)."),
    )
    quantities = ("aircraft_lost_japan", "aircraft_lost_guam")

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & set(BASE_STRIKE_EVENTS))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.aircraft, self.total = self.shared("aircraft", lambda: _aircraft(p), _AIRCRAFT)
        self.lost = dict.fromkeys(REGIONS, 0.0)
        self._offer()
        eng.on_event(tuple(BASE_STRIKE_EVENTS), self._struck)

    def _struck(self, event: str) -> None:
        p, region = self.eng.p, BASE_STRIKE_EVENTS[event]
        lost = strike_losses(
            self.aircraft[region], p[f"air.{region}.shelters"],
            p[f"air.{region}.parking_area_m2"], p[f"air.{region}.interceptors"],
            p[f"strike.{region}.submunition_missiles"], p[f"strike.{region}.unitary_missiles"],
            on_ground_share=p["air.on_ground_share"],
            shots_per_missile=p["air.interceptor_shots_per_missile"],
            interceptor_pk=p["air.interceptor_pk"], launch_failure=p["strike.launch_failure"],
            area_per_missile_m2=p["strike.area_per_submunition_missile_m2"])
        self.lost[region] = lost
        self.eng.log(None, "destroys", "%.0f of %.0f U.S. aircraft on the ground (%s)", lost,
                     self.aircraft[region], region)
        self._offer()

    def _offer(self) -> None:
        """Publish what survives: the sortie capacity of each region and of the whole force."""
        cap, a = self.eng.capacity, self.aircraft
        for r in REGIONS:
            cap[f"air_basing.{r}_share"] = 1.0 - self.lost[r] / a[r] if a[r] > 0.0 else 1.0
        cap["air_basing.us_air_share"] = (1.0 - sum(self.lost.values()) / self.total
                                          if self.total > 0.0 else 1.0)

    def row(self, end_hours: float) -> tuple:
        return (self.lost["japan"], self.lost["guam"],
                self.eng.capacity["air_basing.us_air_share"])


def _aircraft(p) -> tuple[dict, float]:
    """Aircraft per region, and all of them with the carriers'."""
    aircraft = {r: p[f"air.{r}.aircraft"] for r in REGIONS}
    return aircraft, sum(aircraft.values()) + p["air.carrier_aircraft"]
