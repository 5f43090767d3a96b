"""Taiwan's energy: stocks of LNG, coal and crude oil drawn down by what does not arrive.

Nearly all of Taiwan's energy is imported (tw-energy-imports), so the share of normal imports
that stops arriving comes out of stocks, in days of normal use. A quarantine or blockade cuts
the inbound share, escorted convoys restore part of it (csis-convoy-limits). Rather than ticking
day by day, each change of the inbound share schedules when each stock runs out at the new rate
(and when crude reaches the legal minimum); the run-outs are events Taiwan observes.
"""

from __future__ import annotations

from functools import partial

from sim.model.processes.base import Process, day
from sim.model.vocab import ACTORS

TAIWAN = ACTORS.index("taiwan")
_STOCK_FACTS = (("lng", 0, "lng_exhausted"), ("coal", 1, "coal_exhausted"),
                ("oil_min", 2, "oil_below_legal_minimum"), ("oil", 2, "oil_exhausted"))
# World events that change how much energy arrives.
_CHANGES = ("quarantine_enforced", "military_blockade", "invasion", "blockade_lifted",
            "convoys_arriving", "us_forces_withdrawn")
# Only these start a shortfall; without one of them stocks never move.
_CUTS = ("quarantine_enforced", "military_blockade", "invasion")


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
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & set(_CUTS))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        # stocks in days of normal use; rate = days used per day beyond what arrives
        self.stock = [p["stocks.lng"], p["stocks.coal"], p["stocks.oil"]]
        self.rate = 0.0
        self.t = 0.0
        self.version = 0
        self.done: set[str] = set()
        eng.on_event(_CHANGES, self._restock)
        # what Taipei can tell its allies of its stocks (message fields: 'stocks_days')
        eng.state_of[TAIWAN]["stocks_days"] = lambda: self.stocks_at(eng.env.now)[1]

    def _inbound_share(self) -> float:
        """Share of normal energy imports reaching Taiwan now (tw-energy-imports: ~all energy
        is imported, so what does not arrive comes out of stocks)."""
        h, p = self.eng.happened, self.eng.p
        share = 1.0
        if "blockade_lifted" not in h or "invasion" in h:
            if "quarantine_enforced" in h:
                share = min(share, p["inbound.quarantine"])
            if "military_blockade" in h or "invasion" in h:
                share = min(share, p["inbound.military_blockade"])
        if "convoys_arriving" in h and "us_forces_withdrawn" not in h:
            share = max(share, p["inbound.escorted"])
        return share

    def _restock(self, _event=None) -> None:
        """Bring stocks up to now and schedule when each runs out at the new rate."""
        eng = self.eng
        now = eng.env.now
        used_days = self.rate * (now - self.t) / 24.0
        self.stock = [max(0.0, s - used_days) for s in self.stock]
        self.t = now
        self.rate = 1.0 - self._inbound_share()
        self.version += 1
        if self.rate <= 0.0:
            return
        for key, i, fact in _STOCK_FACTS:
            if fact in self.done:
                continue
            floor = eng.p["stocks.oil_legal_minimum"] if key == "oil_min" else 0.0
            hours = max(0.0, (self.stock[i] - floor) / self.rate * 24.0)
            eng.after(hours, partial(self._stock_out, self.version, fact))

    def _stock_out(self, version: int, fact: str, _ev) -> None:
        if self.eng.closed or version != self.version or fact in self.done:
            return
        self.done.add(fact)
        self.eng.emit(TAIWAN, fact)

    def stocks_at(self, hours: float) -> list[float]:
        used = self.rate * (hours - self.t) / 24.0
        return [max(0.0, s - used) for s in self.stock]

    def row(self, end_hours: float) -> tuple:
        h = self.eng.happened
        stocks = self.stocks_at(end_hours)
        return (day(h.get("lng_exhausted")), day(h.get("coal_exhausted")),
                day(h.get("oil_below_legal_minimum")), day(h.get("oil_exhausted")),
                stocks[0], stocks[1], stocks[2])
