"""An outer island besieged or assaulted, turn by turn: its garrison, stocks, supply, local fire
and where it leads (issue 14).

The PRC's ``seize_island`` cuts the island off (``island_seized``: a coast-guard quarantine of
the island; the event carries ``tra_covered_attack``, tra-definition, aspi-tra-coverage); its
``assault_island`` lands ``assault_troops``. From the seizure, one SimPy timeout a turn
(``turn_days``), counts only (the arithmetic is sim/model/islands/garrison.py, worked by hand in
docs/islands-arithmetic.md): ``turn_days`` while an assault or a counterattack is under way,
a week otherwise (a quiet week changes little but stocks, which are computed to the day).
Each turn, computed at its start for the turn ahead:

1. Supply by sea: Taiwan's supply ships run the coast guard's boardings
   (``transit.seizure_share``; none once Taiwan escorts them, ``resupply_island``; fewer with
   U.S. ships present; none once U.S. forces fight) and, under an assault, the PLA's fire
   (``transit.transit_loss``, cut by Taiwan's escorts). By air: Taiwan's airlift, plus the
   U.S.'s once it supports the island (``support_island``), at the share of flights that get
   through (lower under an assault).
2. Use: water, food and fuel a day each; ammunition at the fighting rate only while an assault
   is under way.
3. Local fire (an assault under way): Lanchester's square law, the garrison's fire scaled by
   its ammunition and by the ISR the U.S. (and Japan, through the U.S.:
   aspi-no-trilateral-channel) give once the U.S. supports the island; U.S. forces in combat
   put a share of the attackers out of action a day.
4. The island falls when its first vital stock (water or food) runs out -- at that day, within
   the turn -- or when the garrison falls below ``garrison_break_share``; an assault fails when
   the attackers fall below ``assault_break_share`` (the quarantine goes on).
5. The garrison reports to Taipei (it is Taiwan's own force): ``island_stocks_days`` (days until
   its first vital stock runs out at this turn's rates, at most 999) and
   ``island_garrison_share``. Taiwan's rules answer (reinforce, escort the supply ships, retake,
   accept) on what it knows; the PRC's on its costs: PLA troops lost and international pressure
   per month (more once the U.S. openly supports the island) reach ``prc_costs`` as the
   capacity ``island_garrison.prc_cost``.

After a fall the turns go on for the PRC's costs and, if Taiwan counterattacks
(``retake_island``), a square-law fight of ``retake_troops`` against the occupiers (who hold the
island's fortifications); U.S. forces in combat wear the occupiers down. Endings, unless the
crisis has escalated into a quarantine or blockade of Taiwan or an invasion (then those
families' processes decide): the PRC lifts the siege (``island_held``, or ``island_returned``
after a fall), settles in talks after a fall (``island_traded``), the island is retaken
(``island_returned``), Taiwan accepts the loss (``fait_accompli``); at the horizon a fallen
island is a ``fait_accompli`` and a standing one ``island_held``. Events that change a turn's
arithmetic (an assault, escorts, U.S. support or combat) count from the next turn.
"""

from __future__ import annotations

from sim.model.islands import STOCKS, VITAL, garrison
from sim.model.processes.base import Process, day
from sim.model.vocab import ACTORS

PRC, TAIWAN = ACTORS.index("prc"), ACTORS.index("taiwan")
_VITAL = tuple(STOCKS.index(s) for s in VITAL)
_AMMO = STOCKS.index("ammunition")
_FUEL = STOCKS.index("fuel")
MONTH_DAYS = 30.0
QUIET_TURN_DAYS = 7.0  # a turn with no fighting: a week, the PRC's cost review's cadence
_BLOCKADE = ("quarantine_enforced", "military_blockade")
_STOCK_PARAMS = (*(f"island.stocks.{s}" for s in STOCKS), "island.ammunition_idle_share")


def _stocks(p) -> tuple[tuple, float]:
    """The garrison's stocks at the start (days of each), and the days they last while it does
    not fight (what Taiwan knows of them, capped at 999)."""
    stocks = tuple(p[f"island.stocks.{s}"] for s in STOCKS)
    return stocks, min(999.0, garrison.endurance_days(
        stocks, garrison.use_per_day(False, p["island.ammunition_idle_share"])))


class IslandGarrison(Process):
    name = "island_garrison"
    columns = (
        ("island_fate", "str", "What became of the seized island: held, lost, retaken, traded "
                               "or returned (the PRC withdrew after taking it); empty if never "
                               "seized."),
        ("island_fell_day", "float", "Day the island fell (garrison gave up or was overrun)."),
        ("island_fate_day", "float", "Day the island's fate was settled (the fall, retaking, "
                                     "talks or withdrawal; the horizon if still besieged)."),
        ("island_fell_by", "str", "How it fell: supplies (a vital stock ran out) or assault."),
        ("island_assaulted", "bool", "The PRC landed troops on the island."),
        ("garrison_losses", "float", "Taiwan's troops put out of action at the island, "
                                     "counterattack included (troops)."),
        ("pla_losses_island", "float", "PLA troops put out of action at the island (troops)."),
        ("island_supply_days", "float", "Days of the garrison's stocks delivered by sea and air "
                                        "while it held (days)."),
        ("island_ships_arrived", "float", "Supply ships that reached the island (ships)."),
        ("island_ships_seized", "float", "Supply ships boarded and turned back (ships)."),
        ("island_ships_sunk", "float", "Supply ships sunk on the way (ships)."),
        ("island_us_support_day", "float", "Day the U.S. began supporting the island short "
                                          "of combat (ISR, airlift, ships present)."),
        ("island_escort_day", "float", "Day Taiwan began escorting the island's supply ships."),
        ("island_escalation", "str", "Where the crisis went: none, blockade (a quarantine or "
                                     "blockade of Taiwan), war (strikes or U.S. combat) or "
                                     "invasion."),
    )
    quantities = ("garrison_losses", "pla_losses_island", "island_supply_days")

    @staticmethod
    def used(c) -> bool:
        return "island_seized" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.troops = self.troops0 = p["island.garrison_troops"]
        stocks, endurance = self.shared("stocks", lambda: _stocks(p), _STOCK_PARAMS)
        self.stocks = list(stocks)
        self.attackers = self.attackers0 = 0.0
        self.assault = False        # an assault under way
        self.escorted = False       # Taiwan escorts the supply ships
        self.fell: float | None = None
        self.fell_by: str | None = None
        self.fate: str | None = None
        self.fate_hours: float | None = None
        self.retake = 0.0           # Taiwan's counterattack force at the island
        self.retake0 = 0.0
        self.occupiers = self.occupiers0 = 0.0
        self.reinforcing = 0.0      # troops sailing, landed at the next turn
        self.lost_g = self.lost_pla = 0.0
        self.supply = self.arrived = self.seized = self.sunk = 0.0
        self.started = False
        eng.know[TAIWAN].update(island_stocks_days=endurance, island_garrison_share=1.0)
        eng.on_action(PRC, "seize_island", self._seize)
        eng.on_event(("island_seized",), self._start)
        eng.on_event(("island_assaulted",), self._assaulted)
        eng.on_event(("island_resupply_escorted",), self._escort)
        eng.on_event(("island_reinforced",), self._reinforce)
        eng.on_event(("island_counterattack",), self._counterattack)
        eng.on_event(("island_siege_lifted", "island_talks", "island_loss_accepted"), self._end)
        self._horizon_before = eng.horizon
        eng.horizon = self._at_horizon

    # --- the PRC's moves and Taiwan's answers --------------------------------------------------

    def _seize(self, _r, _action: str):
        # tra-definition, aspi-tra-coverage: how far the TRA covers the seized island (a degree,
        # actors.us.tra_coverage; else the definition's 1 or 0) travels with the news
        eng = self.eng
        eng.emit(PRC, "island_seized", (("tra_covered_attack", eng.p.get(
            "us.tra_coverage", eng.c.tra_covered_target)),))
        return None

    def _start(self, _event) -> None:
        if not self.started:
            self.started = True
            self.seized_hours = self.eng.env.now
            self._turn(None)

    def _assaulted(self, _event) -> None:
        if self.fell is None and self.started:
            self.attackers = self.attackers0 = self.eng.p["island.assault_troops"]
            self.assault = True

    def _escort(self, _event) -> None:
        self.escorted = True

    def _reinforce(self, _event) -> None:
        if self.fell is None:
            self.reinforcing += self.eng.p["island.reinforcement_troops"]

    def _counterattack(self, _event) -> None:
        if self.fell is not None and self.fate is None:
            self.retake = self.retake0 = self.eng.p["island.retake_troops"]

    def _escalated(self) -> bool:
        h = self.eng.happened
        return "invasion" in h or any(e in h for e in _BLOCKADE)

    def _settle(self, fate: str, outcome: str | None) -> None:
        """The island's fate is settled; the crisis ends with ``outcome`` unless it has grown
        into a blockade or an invasion (whose processes then decide)."""
        if self.fate is None:
            self.fate, self.fate_hours = fate, self.eng.env.now
        if outcome is not None and not self._escalated():
            self.eng.finish(outcome)

    def _end(self, event: str) -> None:
        if self.fate is not None or not self.started:
            return
        if event == "island_loss_accepted":
            if self.fell is not None:
                self._settle("lost", "fait_accompli")
        elif self.fell is None:  # the siege lifted, or settled in talks, while the island held
            self._settle("held", "island_held")
        elif event == "island_talks":
            self._settle("traded", "island_traded")
        else:
            self._settle("returned", "island_returned")

    def _at_horizon(self) -> str:
        if self.started and not self._escalated():
            return "fait_accompli" if self.fell is not None else "island_held"
        return self._horizon_before()

    # --- a turn ----------------------------------------------------------------------------------

    def _turn(self, _ev) -> None:
        eng = self.eng
        if eng.closed or self.fate is not None:
            return
        p, h = eng.p, eng.happened
        fighting = (self.assault and self.fell is None) or (
            self.retake > 0.0 and self.fell is not None)
        d = p["island.turn_days"] if fighting else QUIET_TURN_DAYS
        us_support = "us_island_support" in h
        us_fight = "us_combat" in h and "us_forces_withdrawn" not in h
        isr = garrison.isr_share(us_support, p["island.us_isr"], "japan_surveillance" in h,
                                 p["island.japan_isr"])
        us_kill = 1.0 - (1.0 - p["island.us_combat_kill_share_per_day"]) ** d if us_fight else 0.0
        at = d  # hours into the turn at which the island falls (d: not this turn)
        if self.fell is None:
            at = self._siege_turn(p, d, isr, us_support, us_fight, us_kill)
        elif self.retake > 0.0 or (us_kill > 0.0 and self.occupiers > 0.0):
            self._retake_turn(p, d, isr, us_kill)
        months = (eng.env.now + d * 24.0 - self.seized_hours) / 24.0 / MONTH_DAYS
        support_months = 0.0
        if us_support:
            support_months = (eng.env.now + d * 24.0 - h["us_island_support"]) / 24.0 / MONTH_DAYS
        eng.capacity["island_garrison.prc_cost"] = (
            self.lost_pla / 1000.0 * p["island.prc_cost_per_thousand_troops"]
            + months * p["island.pressure_per_month"]
            + support_months * p["island.pressure_us_support_per_month"])
        if self.fate is not None:
            return
        if at < d:
            eng.after(at * 24.0, self._fall)
            return
        eng.after_open(d * 24.0, self._turn)

    def _siege_turn(self, p, d, isr, us_support, us_fight, us_kill) -> float:
        """Supply, use and fire for the turn ahead; the day within it the island falls (or d)."""
        eng = self.eng
        fighting = self.assault and self.attackers > 0.0
        if self.reinforcing > 0.0:  # the navy carries them: never boarded, fired on if fighting
            out = garrison.sea_resupply(self.reinforcing, True, 0.0, 0.0, garrison.fire_loss(
                p["island.sea_fire_loss"], p["island.escorts_per_resupply"],
                p["island.escort_protection"], fighting))
            self.troops += out[1]
            self.troops0 += out[1]
            self.lost_g += out[2]
            self.reinforcing = 0.0
        boardings = 0.0 if us_fight else p["island.boardings_per_week"] * d / 7.0 * (
            1.0 - p["island.us_presence_boarding_cut"] * us_support)
        escorts = p["island.escorts_per_resupply"] if self.escorted else 0.0
        loss = garrison.fire_loss(p["island.sea_fire_loss"], escorts,
                                  p["island.escort_protection"], fighting)
        _sailed, arrived, sunk, seized = garrison.sea_resupply(
            p["island.resupply_ships_per_week"] * d / 7.0, self.escorted, boardings, 0.0, loss)
        self.arrived += arrived
        self.sunk += sunk
        self.seized += seized
        air = garrison.air_delivered(
            p["island.airlift_days_per_week"] + p["island.us_airlift_days_per_week"] * us_support,
            d, p["island.air_access_assault"] if fighting else p["island.air_access_quarantine"])
        delivered = arrived * p["island.days_per_ship"] + air
        use = garrison.use_per_day(fighting, p["island.ammunition_idle_share"])
        out_day = min(garrison.run_out_day(self.stocks[i], delivered / d, use[i])
                      for i in _VITAL)
        self.supply += delivered * min(1.0, out_day / d)
        if fighting:
            kill = garrison.garrison_fire(p["island.garrison_kill_per_day"], self.stocks[_AMMO],
                                          p["island.no_ammo_fire_share"], isr,
                                          p["island.isr_fire_bonus"], self.stocks[_FUEL],
                                          p["island.no_fuel_fire_share"])
            lost_g, lost_a = garrison.lanchester_turn(
                self.troops, self.attackers, kill, p["island.attacker_kill_per_day"],
                p["island.fortification"], d)
            lost_a += (self.attackers - lost_a) * us_kill
            self.troops -= lost_g
            self.attackers -= lost_a
            self.lost_g += lost_g
            self.lost_pla += lost_a
        self.stocks = garrison.step_stocks(self.stocks, delivered, use, d)
        share = self.troops / self.troops0 if self.troops0 > 0.0 else 0.0
        if fighting and self.attackers < p["island.assault_break_share"] * self.attackers0:
            self.assault = False
            eng.emit(PRC, "island_assault_repulsed")
        eng.learn(TAIWAN, "island_stocks_days", round(min(999.0, out_day), 1), "hears")
        eng.learn(TAIWAN, "island_garrison_share", round(share, 2), "hears")
        if out_day < d:
            self.fell_by = "supplies"
            return out_day
        if fighting and share < p["island.garrison_break_share"]:
            self.fell_by = "assault"
            return d * (1.0 - 1e-9)  # overrun at the end of the turn
        return d

    def _fall(self, _ev) -> None:
        eng = self.eng
        if eng.closed or self.fate is not None:
            return
        p = eng.p
        self.fell = eng.env.now
        self.fell_by = self.fell_by or "supplies"
        # the garrison that gave up is counted lost; the attackers (or, after a surrender for
        # want of supplies, a landing party of the same size) stay to hold the island
        self.lost_g += self.troops
        self.troops = 0.0
        held_by = self.attackers if self.assault and self.attackers > 0.0 else \
            p["island.assault_troops"]
        self.occupiers = self.occupiers0 = held_by * p["island.occupier_share"]
        self.assault = False
        eng.emit(PRC, "island_fell")
        eng.learn(TAIWAN, "island_garrison_share", 0.0, "hears")
        eng.after_open(QUIET_TURN_DAYS * 24.0, self._turn)

    def _retake_turn(self, p, d, isr, us_kill) -> None:
        """Taiwan's counterattack (if any) against the occupiers, who hold the fortifications;
        U.S. forces in combat wear the occupiers down."""
        eng = self.eng
        lost_r = 0.0
        lost_o = self.occupiers * us_kill
        if self.retake > 0.0:
            kill = garrison.garrison_fire(p["island.garrison_kill_per_day"], 1.0, 1.0, isr,
                                          p["island.isr_fire_bonus"])
            # the occupiers defend from the island's works; Taiwan's troops attack
            lost_by_fire, lost_r = garrison.lanchester_turn(
                self.occupiers, self.retake, p["island.attacker_kill_per_day"], kill,
                p["island.fortification"], d)
            lost_o = min(self.occupiers, lost_o + lost_by_fire)
        self.occupiers -= lost_o
        self.retake -= lost_r
        self.lost_pla += lost_o
        self.lost_g += lost_r
        if self.occupiers < p["island.assault_break_share"] * self.occupiers0:
            eng.emit(TAIWAN, "island_retaken")
            self._settle("retaken", "island_returned")
        elif self.retake0 > 0.0 and self.retake < p["island.garrison_break_share"] * self.retake0:
            self.retake = self.retake0 = 0.0  # the counterattack failed

    # --- output ----------------------------------------------------------------------------------

    def row(self, end_hours: float) -> tuple:
        eng = self.eng
        h = eng.happened
        fate, fate_hours = self.fate, self.fate_hours
        if fate is None and self.started:
            fate = "lost" if self.fell is not None else "held"
            fate_hours = self.fell if self.fell is not None else end_hours
        if "invasion" in h and h["invasion"] <= end_hours:
            path = "invasion"
        elif any(e in h and h[e] <= end_hours for e in _BLOCKADE):
            path = "blockade"
        elif any(e in h and h[e] <= end_hours for e in ("strikes_on_taiwan", "us_combat")):
            path = "war"
        else:
            path = "none"
        return (fate, day(self.fell), day(fate_hours), self.fell_by if self.fell is not None
                else None, "island_assaulted" in h, self.lost_g, self.lost_pla, self.supply,
                self.arrived, self.seized, self.sunk, day(h.get("us_island_support")),
                day(h.get("island_resupply_escorted")), path)
