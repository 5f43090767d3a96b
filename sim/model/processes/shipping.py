"""Merchant shipping to Taiwan under a quarantine or blockade, week by week (issue 13).

From the first cut (a quarantine enforced, a military blockade or an invasion) a step a week on
the replication's weekly clock (sim/model/clock.py: one timeout a week; shipping steps first,
then taiwan_energy, then blockade_judgement). Each week, for each ship type (LNG carriers, bulk
coal, tankers, container ships; counts as plain floats, no per-ship objects), in this order
(the arithmetic is sim/model/blockade/; docs/blockade-arithmetic.md works it by hand):

1. Supply (supply.py; csis-lo-ship-supply): commercial owners sail a share of normal trade that
   falls with the loss rate they saw the week before (csis-lo-insurance); the requisitioned
   shuttle (``state_fleet`` plus purchases, crewed ``crewed_share``; csis-lo-crews) makes as
   many round trips as transit and port time allow. Japan's ports (japan_legal's
   ``japan_legal.transshipment_ports``; none once Japan denies base use) set the route: closed,
   the transit doubles (csis-lo-japan-ports-transshipment). Once the U.S. escorts, the ready
   part of its reserve fleet joins the container trade after ``us_reserve_days``
   (csis-lo-us-reserve-fleet). Sailings never exceed normal trade.
2. Convoys (csis-convoy-limits): once escorted convoys run (convoys' ``convoys_arriving``, until
   U.S. forces withdraw), at most ``convoy_size x convoys_per_week`` merchants sail escorted,
   energy first; the rest sail alone.
3. Passage (transit.py): unescorted ships are boarded and seized up to the week's boarding
   capacity (quarantine and military blockade alike; weather drawn per week; Taiwan's coast
   guard may resist: csis-blockade-escalation-levels, csis-lo-cga-variant); under a
   military blockade (or an invasion) the rest run the submarines and mines, escorted ships
   with the escorts' protection (U.S. ships plus JMSDF ships as japan_legal's
   ``japan_legal.escort`` allows); once the PRC has fired on U.S. forces
   (``us_forces_attacked``) each convoy also meets a missile salvo.
4. What arrives feeds Taiwan's fuels: each arrival of a fuel's type brings 7 / normal_per_week
   days of its normal use, in the week it sails, or a week later when the transit exceeds a
   week (capacities ``shipping.inflow_<fuel>``, read by taiwan_energy in the same week).
   ``shipping.energy_share``: energy ships arrived over normal (read by blockade_judgement);
   ``shipping.trade_share``: container ships arrived over normal (taiwan_energy's GDP).
   Merchants sunk cost the PRC ``prc_cost_per_ship_sunk`` each (``shipping.prc_cost``).

Once the blockade is lifted (and no invasion), trade is normal again. Every sailing ends, in its
week, arrived, sunk or seized: arrived + sunk + seized = sailed by type and week.
"""

from __future__ import annotations

import math
from itertools import islice

from sim.model import streams
from sim.model.blockade import FUELS, SHIP_TYPES, supply, transit
from sim.model.processes.base import Process

CUTS = ("quarantine_enforced", "military_blockade", "invasion")
_OUTCOMES = ("sailed", "arrived", "sunk", "seized")
_TYPES = range(len(SHIP_TYPES))
_CONTAINER = SHIP_TYPES.index("container")
_NONE = (0.0,) * len(SHIP_TYPES)
_WEATHER_KEYS: list[int] = []  # stream keys of the weekly weather draws, week -> key
_NORMAL = tuple(f"ship.{t}.normal_per_week" for t in SHIP_TYPES)
_FLEET = tuple(f"ship.{t}.state_fleet" for t in SHIP_TYPES)
_BUY = tuple(f"ship.{t}.purchases_per_week" for t in SHIP_TYPES)
_INFLOW = tuple(f"shipping.inflow_{f}" for f in FUELS)
_TRADE = (*_NORMAL, *_FLEET, *_BUY, "ship.convoy_size", "ship.convoys_per_week")


def _trade(p) -> tuple:
    """Per type: normal sailings a week, the state fleet, purchases a week; per fuel, the days of
    normal use a ship brings; energy ships a week; merchants a week the convoys can take."""
    normal = tuple(p[key] for key in _NORMAL)
    return (normal, tuple(p[key] for key in _FLEET), tuple(p[key] for key in _BUY),
            tuple(7.0 / n for n in normal[:len(FUELS)]), sum(normal[:len(FUELS)]),
            supply.convoy_capacity(p["ship.convoy_size"], p["ship.convoys_per_week"]))


def _weather_keys_to(k: int) -> None:
    """Cache the stream keys of the weather draws up to week ``k``: week k's draw is then
    ``streams.uniform(rkey, _WEATHER_KEYS[k])``, the same draw as the process's
    ``self.uniform("weather", k)``, without hashing the name (nor a call) every week."""
    while len(_WEATHER_KEYS) <= k:
        _WEATHER_KEYS.append(streams.name_key(f"{Shipping.name}/weather", len(_WEATHER_KEYS)))


class Shipping(Process):
    name = "shipping"
    columns = tuple((f"ships_{k}_{t}", "float", f"{t} ships {k} through the blockade, all weeks "
                     f"(expected count)") for t in SHIP_TYPES for k in _OUTCOMES)
    quantities = tuple(c[0] for c in columns)
    weekly_columns = tuple((f"{k}_{t}", "float", f"{t} ships {k} this week (expected count)")
                           for t in SHIP_TYPES for k in _OUTCOMES) + (
        ("transit_days", "float", "Days from the transshipment port to Taiwan this week "
                                  "(doubled with Japan's ports closed)."),)

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & set(CUTS))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        (self.normal, fleet, self.buy, self.days_per_ship, self.energy_normal,
         self.convoy_places) = self.shared("trade", lambda: _trade(p), _TRADE)
        self.fleet = list(fleet)  # the shuttle's ships: bought, sunk and seized week by week
        self.buying = any(self.buy)  # adding no purchases leaves the fleet as it is
        self.inflow_keys = _INFLOW
        # the week's fixed parameters, read once (a replication's parameters do not change)
        self.base_days = p["ship.transit_days"]
        self.willing_share = p["ship.owners_willing_share"]
        self.uninsurable = p["ship.uninsurable_loss"]
        self.crewed, self.port_days = p["ship.crewed_share"], p["ship.port_days"]
        self.worst, self.boardings = p["ship.weather_worst"], p["ship.boardings_per_week"]
        self.resists, self.loss = p["ship.coast_guard_resists"], p["ship.transit_loss"]
        self.per_ship = (None, 0.0)  # (transit days, a shuttle ship's sailings a week then)
        self.route = (None, 0.0)     # (Japan's ports open, transit days then)
        self.willing = (None, 0.0)   # (loss rate seen, owners' willing share then)
        self.rows: list[tuple] = []
        self.loss_seen = 0.0
        self.week = 0
        self.started = False
        self.pending: dict[int, list[float]] = {}  # week -> fuel inflow (days) arriving then
        self.sunk_total = 0.0
        eng.on_event(CUTS, self._start)

    def _start(self, _event) -> None:
        if self.started:
            return
        self.started = True
        self.eng.capacity["shipping.prc_cost"] = 0.0
        self.eng.weekly.join(self, self._week)

    # --- a week ---------------------------------------------------------------------------------

    def _week(self) -> None:
        eng = self.eng
        p, h, cap = eng.p, eng.happened, eng.capacity
        self.week = k = self.week + 1
        days = self.base_days
        if "blockade_lifted" in h and "invasion" not in h:  # normal trade again
            out = [(n, n, 0.0, 0.0) for n in self.normal]
        else:
            # Japan's ports as its law allows them; closed once it denies U.S. base use
            ports = 0.0 if "japan_base_use_denied" in h else min(
                1.0, cap.get("japan_legal.transshipment_ports", 0.0))
            open_, days = self.route
            if open_ != ports:  # the same while Japan's ports stay as they are
                days = supply.transit_days(self.base_days, ports)
                self.route = (ports, days)
            out = self._passage(k, p, h, cap, days)
        # fuel arriving: this week, or the next if the transit is longer than a week
        lng, coal, oil, container = out
        lag = k + int(days // 7.0)
        pending = self.pending
        inflow = pending.get(lag)
        if inflow is None:
            inflow = pending[lag] = [0.0, 0.0, 0.0]
        d0, d1, d2 = self.days_per_ship
        inflow[0] += lng[1] * d0
        inflow[1] += coal[1] * d1
        inflow[2] += oil[1] * d2
        now = pending.pop(k, _NONE)
        k0, k1, k2 = self.inflow_keys
        cap[k0], cap[k1], cap[k2] = now[0], now[1], now[2]
        cap["shipping.energy_share"] = (lng[1] + coal[1] + oil[1]) / self.energy_normal
        cap["shipping.trade_share"] = container[1] / self.normal[_CONTAINER]
        sunk = lng[2] + coal[2] + oil[2] + container[2]
        if sunk > 0.0:
            self.sunk_total += sunk
            cap["shipping.prc_cost"] = self.sunk_total * p["ship.prc_cost_per_ship_sunk"]
        self.rows.append((k, *lng, *coal, *oil, *container, days))
        if eng.trace is not None:
            eng.log(None, "ships", "week %d: %s", k, ", ".join(
                f"{t} {o[0]:.1f} sailed/{o[1]:.1f} arrived/{o[2]:.1f} sunk/{o[3]:.1f} seized"
                for t, o in zip(SHIP_TYPES, out)))

    def _passage(self, k, p, h, cap, days) -> list[tuple]:
        """Sailings by type this week and what became of them (steps 1-3 of the docstring)."""
        seen, willing = self.willing
        if seen != self.loss_seen:  # the same while the loss seen stays (often all, 1.0)
            willing = supply.owners_willing(self.loss_seen, self.willing_share, self.uninsurable)
            self.willing = (self.loss_seen, willing)
        commercial = willing * self.base_days / days  # longer routes: fewer trips
        reserve = 0.0
        escort_day = h.get("us_escort")
        if escort_day is not None and \
                self.eng.env.now - escort_day >= p["ship.us_reserve_days"] * 24.0:
            reserve = p["ship.us_reserve_ships"] * p["ship.us_reserve_ready"]
        # sailings a week per ship of the shuttle (crewed share, round trip)
        at, per_ship = self.per_ship
        if at != days:  # the same while the route stays the same
            per_ship = supply.shuttle_sailings(1.0, self.crewed, days, self.port_days)
            self.per_ship = (days, per_ship)
        fleet = self.fleet
        if k > 1 and self.buying:
            for i, bought in enumerate(self.buy):
                fleet[i] += bought
        ships = fleet if reserve == 0.0 else [*fleet[:_CONTAINER], fleet[_CONTAINER] + reserve,
                                              *fleet[_CONTAINER + 1:]]
        wanted, from_shuttle = supply.sailings(self.normal, ships, per_ship, commercial)
        if "convoys_arriving" in h and "us_forces_withdrawn" not in h:
            berths = supply.allocate_in_order(wanted, self.convoy_places)
            alone = [wanted[i] - berths[i] for i in _TYPES]
            in_convoy = sum(berths)
        else:  # no convoys: passages() skips the escorted sums
            berths, alone, in_convoy = None, wanted, 0.0
        # the week's weather: draw k of this process's stream shipping/weather
        if k >= len(_WEATHER_KEYS):
            _weather_keys_to(k)
        worst, weather = self.worst, streams.uniform(self.eng.rkey, _WEATHER_KEYS[k])
        seized = transit.seizure_share(sum(alone), self.boardings,
                                       worst + (1.0 - worst) * weather, self.resists)
        military = "military_blockade" in h or "invasion" in h
        loss_alone = self.loss if military else 0.0
        loss_convoy = 0.0
        if in_convoy > 0.0:
            if military:
                escorts = p["ship.us_escorts_per_convoy"] + p["ship.japan_escorts_per_convoy"] \
                    * cap.get("japan_legal.escort", 0.0)
                loss_convoy = transit.transit_loss(p["ship.transit_loss"], escorts,
                                                   p["ship.escort_protection"])
            if "us_forces_attacked" in h:  # the PRC fires on the escorts: salvos at convoys
                convoys = max(1, math.ceil(in_convoy / max(p["ship.convoy_size"], 1.0) - 1e-9))
                lost = convoys * transit.convoy_missile_losses(
                    in_convoy / convoys, p["ship.missiles_per_convoy"],
                    int(round(p["ship.interceptor_shots"])), loss_per_hit=p["ship.loss_per_hit"])
                loss_convoy = 1.0 - (1.0 - loss_convoy) * (1.0 - lost / in_convoy)
        out = transit.passages(alone, berths, seized, loss_alone, loss_convoy)
        sailed_all = lost_all = 0.0
        for i, (sailed, _, sunk, taken) in enumerate(out):
            sailed_all += sailed
            lost = sunk + taken
            lost_all += lost
            # the shuttle loses its share of the ships sunk or seized
            if lost > 0.0:
                share = from_shuttle[i]
                if share > 0.0:
                    left = fleet[i] - lost * share
                    fleet[i] = left if left > 0.0 else 0.0  # max(0.0, left)
        if sailed_all > 0.0:  # owners see last week's losses (csis-lo-insurance)
            seen = lost_all / sailed_all
            self.loss_seen = seen if seen < 1.0 else 1.0  # min(1.0, seen)
        return out

    # --- output ----------------------------------------------------------------------------------

    def row(self, end_hours: float) -> tuple:
        """Each type's sailed, arrived, sunk and seized summed over the weeks played."""
        n = 4 * len(SHIP_TYPES)
        if not self.rows:
            return (0.0,) * n
        return tuple(map(sum, islice(zip(*self.rows), 1, n + 1)))

    def weekly_rows(self) -> list[tuple]:
        return self.rows

