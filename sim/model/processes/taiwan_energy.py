"""Taiwan's energy under a blockade, week by week: each fuel's stock, its inflow from its own
ships, the power mix, demand cuts and the electricity supplied (issue 13).

Nearly all of Taiwan's energy is imported (tw-energy-imports). From the first cut (a quarantine
enforced, a military blockade or an invasion) a step a week on the replication's weekly clock
(sim/model/clock.py), right after the shipping process's step and before blockade_judgement's.
Each week (sim/model/blockade/power.py; docs/blockade-arithmetic.md):

- inflow: what the shipping process landed this week, by fuel (``shipping.inflow_<fuel>``,
  days of normal use);
- demand: normal less the voluntary cut from the first week, less the mandatory cut once a
  fuel has run out (csis-lo-demand-cuts); from then on non-power uses of each fuel are cut to
  ``nonpower_kept`` (csis-lo-fuels: in a crisis fuel is shifted to power), and from the week
  after, private generators add their share while oil lasts (csis-lo-generators);
- electricity: power.power_week, with the mix of the scenario (tw-gas-power-share), its
  demand capped at what the grid can carry (grid.py; csis-lo-grid-damage): from the week
  strikes on Taiwan begin (``strikes_on_taiwan``) the grid loses ``opening_tons`` of strikes'
  worth of capacity, then ``tons_per_week`` each week until the blockade is lifted, and crews
  repair ``repair_per_week`` of it a week (only with ``adjudication.blockade.grid``);
- GDP (economy.py; csis-lo-electricity-bands, csis-lo-cross-strait-trade): the week's output
  lost to the power shortfall or to general cargo not arriving (shipping's
  ``shipping.trade_share``), whichever binds (only with ``adjudication.blockade.economy``).

Events Taiwan observes (rules read them): ``lng_exhausted``, ``coal_exhausted``,
``oil_below_legal_minimum`` and ``oil_exhausted``, each at the hour within the week its stock
reaches zero (or the legal minimum) for the first time. Facts Taiwan learns of its own grid
each week: ``power_shortfall`` (1 - electricity share, to the nearest 0.05) and
``shortfall_months`` (whole months of 4 consecutive weeks in which the grid could not meet even
the cut demand); a steady shortage is news once a month, not every week.
"""

from __future__ import annotations

from functools import partial

from sim.model.blockade import FUELS, economy, grid, power
from sim.model.processes.base import Process, day
from sim.model.vocab import ACTORS

TAIWAN = ACTORS.index("taiwan")
WEEK_HOURS = 168.0
CUTS = ("quarantine_enforced", "military_blockade", "invasion")
_EXHAUSTED = ("lng_exhausted", "coal_exhausted", "oil_exhausted")  # in FUELS order
_ALL_KEPT = (1.0, 1.0, 1.0)  # before rationing every use of every fuel goes on
# parameter names, formatted once (read per replication)
_STOCKS = tuple(f"stocks.{f}" for f in FUELS)
_MIX = tuple(f"energy.mix.{k}" for k in FUELS + ("other",))
_NONPOWER = tuple(f"energy.nonpower.{f}" for f in FUELS)
_KEPT = tuple(f"energy.kept.{f}" for f in FUELS)
_INFLOW = tuple(f"shipping.inflow_{f}" for f in FUELS)
_FUEL_PARAMS = (*_STOCKS, "energy.storage_extra_days", *_MIX, *_NONPOWER, *_KEPT)


def _fuels(p) -> tuple[tuple, ...]:
    """Per fuel (LNG, coal, oil; the mix adds other): the stocks and the most storage holds
    (days of normal use), the power mix, the non-power shares and the shares kept."""
    stock = tuple(p[k] for k in _STOCKS)
    return (stock, tuple(s + p["energy.storage_extra_days"] for s in stock),
            tuple(p[k] for k in _MIX), tuple(p[k] for k in _NONPOWER), tuple(p[k] for k in _KEPT))


class TaiwanEnergy(Process):
    name = "taiwan_energy"
    columns = (
        ("lng_exhausted_day", "float", "Day Taiwan's LNG ran out."),
        ("coal_exhausted_day", "float", "Day Taiwan's coal ran out."),
        ("oil_below_legal_minimum_day", "float", "Day crude stocks reached the legal minimum."),
        ("oil_exhausted_day", "float", "Day crude oil ran out."),
        ("lng_days_left", "float", "LNG stock at the end, days of normal use."),
        ("coal_days_left", "float", "Coal stock at the end, days of normal use."),
        ("oil_days_left", "float", "Crude stock at the end, days of normal use."),
        ("lowest_electricity_share", "float", "Lowest weekly electricity supplied, as a share "
                                              "of normal demand (0-1; empty without a cut)."),
        ("weeks_below_half_power", "float", "Weeks with electricity below 50% of normal "
                                            "demand."),
        ("lowest_grid_share", "float", "Lowest weekly share of generating and transmission "
                                       "capacity in service (0-1; 1 if never struck)."),
        ("weeks_grid_damaged", "float", "Weeks with part of the grid out of service."),
        ("gdp_loss_pct", "float", "Taiwan's GDP lost over the weeks of the cut, in percent of "
                                  "a year's GDP (empty without an economy block)."),
    )
    quantities = ("gdp_loss_pct",)
    weekly_columns = (
        ("electricity_share", "float", "Electricity supplied / normal demand this week (0-1)."),
        ("stock_lng_days", "float", "LNG stock at the week's end, days of normal use."),
        ("stock_coal_days", "float", "Coal stock at the week's end, days of normal use."),
        ("stock_oil_days", "float", "Crude stock at the week's end, days of normal use."),
        ("grid_share", "float", "Share of the grid's capacity in service this week (0-1)."),
        ("gdp_loss", "float", "Share of a normal week's GDP lost this week (0-1; empty "
                              "without an economy block)."),
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & set(CUTS))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        # per fuel, in FUELS order (LNG, coal, oil); days of normal use
        self.stock, self.cap_days, self.mix, self.nonpower, self.kept = self.shared(
            "fuels", lambda: _fuels(p), _FUEL_PARAMS)
        self.inflow_keys = _INFLOW
        self.oil_min = p["stocks.oil_legal_minimum"]
        # the week's demand (1 - voluntary cut - mandatory cut once rationing) and generators,
        # read once (a replication's parameters do not change)
        self.demand_voluntary = 1.0 - p["energy.voluntary_cut"]
        self.demand_rationed = 1.0 - p["energy.voluntary_cut"] - p["energy.mandatory_cut"]
        self.generators = p["energy.generators"]
        self.week = 0
        self.started = False
        self.rationing_week: int | None = None  # first week after a fuel ran out
        self.done: set[str] = set()
        self.rows: list[tuple] = []
        self.lowest: float | None = None
        self.below_half = 0
        self.short_run = 0
        self.grid = "grid.capacity_mw" in p      # strikes knock out capacity (grid.py)
        self.gdp = "economy.power_elasticity" in p
        self.struck = False
        self.grid_next = self.grid_lowest = 1.0  # share in service (next week's start; lowest)
        self.grid_weeks = 0
        self.gdp_lost = 0.0                      # summed weekly losses (weeks of GDP)
        eng.on_event(CUTS, self._start)
        # what Taipei can tell its allies of its stocks (message field 'stocks_days'): coal
        eng.state_of[TAIWAN]["stocks_days"] = lambda: self.stock[1]

    def _start(self, _event) -> None:
        if self.started:
            return
        self.started = True
        self.eng.weekly.join(self, self._week)

    def _week(self) -> None:
        eng = self.eng
        p, cap = eng.p, eng.capacity
        self.week = k = self.week + 1
        rationing = self.rationing_week is not None and k >= self.rationing_week
        demand = self.demand_rationed if rationing else self.demand_voluntary
        gens = self.generators if (rationing and k > self.rationing_week) else 0.0
        k0, k1, k2 = self.inflow_keys
        inflow = (cap.get(k0, 0.0), cap.get(k1, 0.0), cap.get(k2, 0.0))
        start = self.stock
        if self.grid and (self.grid_next < 1.0 or "strikes_on_taiwan" in eng.happened):
            in_service, carried = self._grid(p, eng.happened)
        else:  # never struck, or repaired and not struck again: all of it in service
            in_service, carried = 1.0, 1.0
        wanted = carried if carried < demand else demand  # max(0, min(demand, carried))
        wanted = wanted if wanted > 0.0 else 0.0
        w = power.power_week(start, inflow, self.mix, self.nonpower,
                             self.kept if rationing else _ALL_KEPT, wanted, gens, self.cap_days)
        stocks = self.stock = w.stocks
        lasted = w.lasted
        if lasted[0] < 1.0 or lasted[1] < 1.0 or lasted[2] < 1.0:  # a fuel ran out this week
            for i, fact in enumerate(_EXHAUSTED):
                if lasted[i] < 1.0 and fact not in self.done:
                    self.done.add(fact)
                    eng.after(lasted[i] * WEEK_HOURS, partial(self._emit, fact))
                    if self.rationing_week is None:
                        self.rationing_week = k + 1
        oil_in = start[2] + inflow[2]
        if stocks[2] < self.oil_min <= oil_in and "oil_below_legal_minimum" not in self.done:
            self.done.add("oil_below_legal_minimum")
            frac = (oil_in - self.oil_min) / max(w.used[2], 1e-12)
            eng.after(min(1.0, frac) * WEEK_HOURS, partial(self._emit, "oil_below_legal_minimum"))
        share = w.electricity_share
        if self.lowest is None or share < self.lowest:  # min(lowest, share)
            self.lowest = share
        self.below_half += share < 0.5
        self.short_run = self.short_run + 1 if (w.short or carried < demand) else 0
        lost = economy.week_gdp_loss(share, cap.get("shipping.trade_share", 1.0),
                                     p["economy.power_elasticity"],
                                     p["economy.trade_elasticity"]) if self.gdp else None
        if lost is not None:
            self.gdp_lost += lost
        self.rows.append((k, share, *stocks, in_service, lost))
        # Taiwan knows its own grid, in steps of 5 points, and counts whole months (4 weeks)
        # of shortage: a steady shortfall is not news every week (each change re-reads the
        # rules that use it; the rounding and the month are assumptions of this module)
        eng.learn(TAIWAN, "power_shortfall", round(20.0 * (1.0 - share)) / 20.0, None)
        eng.learn(TAIWAN, "shortfall_months", float(self.short_run // 4), None)
        if eng.trace is not None:
            eng.log(TAIWAN, "grid", "week %d: electricity %.0f%% (demand %.0f%%), stocks LNG "
                    "%.1f, coal %.1f, oil %.1f days", k, 100 * share, 100 * demand,
                    *stocks)

    def _grid(self, p, h) -> tuple[float, float]:
        """This week's share of the grid in service and the share of normal demand it can
        carry: strikes from the week they begin (the opening salvo, then ``tons_per_week``
        until the blockade is lifted), a week's repair after (grid.py)."""
        tons = 0.0
        if "strikes_on_taiwan" in h and "blockade_lifted" not in h:
            tons = p["grid.tons_per_week"] if self.struck else p["grid.opening_tons"]
            self.struck = True
        if tons == 0.0 and self.grid_next >= 1.0:
            return 1.0, 1.0
        damage = grid.damage_share(tons, p["grid.mw_per_ton"], p["grid.capacity_mw"])
        now, self.grid_next = grid.grid_week(self.grid_next, damage, p["grid.repair_per_week"])
        self.grid_lowest = min(self.grid_lowest, now)
        self.grid_weeks += now < 1.0
        return now, grid.grid_limited_supply(now, p["grid.load_share"])

    def _emit(self, fact: str, _ev) -> None:
        if not self.eng.closed:
            self.eng.emit(TAIWAN, fact)

    def row(self, end_hours: float) -> tuple:
        h = self.eng.happened
        return (day(h.get("lng_exhausted")), day(h.get("coal_exhausted")),
                day(h.get("oil_below_legal_minimum")), day(h.get("oil_exhausted")),
                *self.stock, self.lowest,
                float(self.below_half), self.grid_lowest, float(self.grid_weeks),
                100.0 * economy.annual_share(self.gdp_lost) if self.gdp else None)

    def weekly_rows(self) -> list[tuple]:
        return self.rows
