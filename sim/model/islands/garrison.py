"""An island garrison's supply, endurance and local fire, as counts (issue 14).

- Stocks are days of the garrison's use (water, food, fuel, ammunition). A turn uses ``days`` of
  each (ammunition at the fighting rate only while an assault is under way, else at
  ``idle_share`` of it) and adds what arrived by sea and air.
- Resupply by sea reuses the blockade's passage arithmetic (sim/model/blockade/transit.py):
  unescorted ships are boarded and seized up to the coast guard's boarding capacity
  (``seizure_share``), escorted ones are not boarded; under an assault the rest run the PLA's
  fire, cut by escorts (``transit_loss``).
- Local fire is Lanchester's square law stepped once a turn: each side loses the other's
  strength times its kill rate per day, the garrison's fire scaled by its ammunition and ISR,
  the PLA's cut by the garrison's fortification.

Every function is a small formula with a worked example in its docstring; the numbers in those
examples are checked in tests/test_island_garrison.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.model.blockade import transit
from sim.model.combat import _checks as chk


def endurance_days(stocks: Sequence[float], use_per_day: Sequence[float]) -> float:
    """Days until the first stock with a use runs out: min(stock / use). Stocks (30, 45, 20,
    10) days used at (1, 1, 1, 0.25) a day: min(30, 45, 20, 40) = 20 days. A stock with no use
    never runs out; with no use at all, infinity. Days."""
    out = math.inf
    for s, u in zip(stocks, use_per_day):
        if chk.count("use_per_day", u) > 0.0:
            out = min(out, chk.count("stock", s) / u)
    return out


def use_per_day(fighting: bool, idle_share: float) -> tuple[float, float, float, float]:
    """Days of each stock used per day: water, food and fuel one each; ammunition one while
    fighting, ``idle_share`` otherwise. Not fighting, idle share 0.2: (1, 1, 1, 0.2)."""
    return (1.0, 1.0, 1.0, 1.0 if fighting else chk.probability("idle_share", idle_share))


def run_out_day(stock: float, inflow_per_day: float, use: float) -> float:
    """Days until a stock with ``inflow_per_day`` arriving and ``use`` a day reaches zero
    (infinity if the inflow keeps up). 20 days held, 0.5 a day arriving, 1 a day used:
    20 / 0.5 = 40 days. Days."""
    net = chk.count("use", use) - chk.count("inflow_per_day", inflow_per_day)
    return chk.count("stock", stock) / net if net > 0.0 else math.inf


def sea_resupply(ships: float, escorted: bool, boardings: float, resisted: float,
                 loss: float) -> tuple:
    """What becomes of ``ships`` sailing for the island in a turn: (sailed, arrived, sunk,
    seized), as ``transit.passage``. Unescorted, the coast guard boards up to ``boardings`` of
    them (resisted share foiled): 4 ships, 2 boardings, none resisted, no fire: 2 seized, 2
    arrive. Escorted: none boarded; ``loss`` of them sunk: 4 ships at 0.1 lost: 3.6 arrive, 0.4
    sunk. Ships."""
    seized = 0.0 if escorted else transit.seizure_share(ships, boardings, 1.0, resisted)
    return transit.passage(ships, seized, loss)


def fire_loss(base_loss: float, escorts: float, protection: float, denied: bool) -> float:
    """Chance a resupply ship is sunk in a turn under assault: the blockade's transit loss with
    ``escorts`` escort ships (``transit.transit_loss``), nothing when no assault is firing on
    the approaches (``denied`` false). 0.3 base, 4 escorts at 0.15: 0.3 x 0.85^4 = 0.1566."""
    return transit.transit_loss(base_loss, escorts, protection) if denied else 0.0


def air_delivered(days_per_week: float, turn_days: float, access: float) -> float:
    """Days of stocks flown in over a turn: ``days_per_week`` x turn/7 x the share of flights
    that get through (``access``). 3.5 days a week, a 3.5-day turn, 0.6 access: 1.05 days."""
    return chk.count("days_per_week", days_per_week) * chk.positive("turn_days", turn_days) \
        / 7.0 * chk.probability("access", access)


def step_stocks(stocks: Sequence[float], delivered: float, use: Sequence[float],
                turn_days: float) -> list[float]:
    """Stocks after a turn: stock + delivered - use x days, never below zero (what arrives
    late in a turn cannot undo a shortage, but counts are kept simple). (10, 10, 10, 10) with 2
    days delivered, use (1, 1, 1, 0.2) over 3.5 days: (8.5, 8.5, 8.5, 11.3)."""
    d = chk.positive("turn_days", turn_days)
    chk.count("delivered", delivered)
    return [max(0.0, s + delivered - u * d) for s, u in zip(stocks, use)]


def lanchester_turn(garrison: float, attackers: float, garrison_kill: float,
                    attacker_kill: float, fortification: float, turn_days: float
                    ) -> tuple[float, float]:
    """Losses (garrison, attackers) in a turn of square-law fire: the garrison loses attackers
    x attacker_kill x (1 - fortification) a day, the attackers garrison x garrison_kill a day,
    over ``turn_days``, each at most what it has. 3,000 defenders at 0.02, 9,000 attackers at
    0.01 with fortification 0.5 over 2 days: garrison loses 9,000 x 0.01 x 0.5 x 2 = 90,
    attackers 3,000 x 0.02 x 2 = 120. Troops."""
    g, a = chk.count("garrison", garrison), chk.count("attackers", attackers)
    d = chk.positive("turn_days", turn_days)
    lost_g = a * chk.count("attacker_kill", attacker_kill) * (
        1.0 - chk.probability("fortification", fortification)) * d
    lost_a = g * chk.count("garrison_kill", garrison_kill) * d
    return min(g, lost_g), min(a, lost_a)


def garrison_fire(base_kill: float, ammunition_days: float, no_ammo_share: float,
                  isr: float, isr_bonus: float, fuel_days: float = 1.0,
                  no_fuel_share: float = 1.0) -> float:
    """The garrison's kill rate a day: ``base_kill``, times ``no_ammo_share`` once its
    ammunition is gone, times ``no_fuel_share`` once its fuel is gone (generators, radars and
    vehicles stop; the fixed positions still fire), times (1 + isr_bonus x isr) for the allied
    intelligence and surveillance it receives (isr a 0-1 share). 0.02, ammunition left, ISR 1
    at bonus 0.5: 0.03; out of ammunition at 0.25: 0.0075 (x 1.5 with ISR); out of ammunition
    and of fuel at 0.6: 0.003."""
    k = chk.count("base_kill", base_kill)
    if chk.count("ammunition_days", ammunition_days) <= 0.0:
        k *= chk.probability("no_ammo_share", no_ammo_share)
    if chk.count("fuel_days", fuel_days) <= 0.0:
        k *= chk.probability("no_fuel_share", no_fuel_share)
    return k * (1.0 + chk.count("isr_bonus", isr_bonus) * chk.probability("isr", isr))


def isr_share(us_support: bool, us_isr: float, japan_watching: bool, japan_isr: float) -> float:
    """ISR reaching the garrison (0-1): the U.S.'s ``us_isr`` once it supports the island, plus
    Japan's ``japan_isr`` from its surveillance -- passed on only through the U.S., there being
    no Tokyo-Taipei channel (aspi-no-trilateral-channel) -- at most 1. U.S. 0.6 and Japan 0.3,
    both: 0.9; Japan watching but no U.S. support: 0."""
    if not us_support:
        return 0.0
    return min(1.0, chk.probability("us_isr", us_isr) + (
        chk.probability("japan_isr", japan_isr) if japan_watching else 0.0))
