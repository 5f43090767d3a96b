"""The PRC's own costs of the crisis, as Beijing learns them week by week; and the time elapsed.

A blockade lasting months hurts the world economy, China's included (aspi-blockade-months), and
China's losses would be second only to Taiwan's; a war with U.S. intervention costs about twice
what a blockade met with sanctions does (lo-china-bears-costs). Japanese participants judged a
full invasion the least likely path because of its cost to Beijing (aspi-invasion-least-likely).
So the PRC keeps a running cost, in points (one point: a month of blockade), from what the
processes that exist compute:

- ``blockade_per_month`` while a quarantine or military blockade is enforced (taiwan_energy's
  cuts), until it is lifted;
- ``war_per_month`` on top while a war is under way: strikes on Taiwan, an invasion, or U.S.
  forces in combat (us_legal);
- ``convoys_per_month`` on top while escorted convoys get through (convoys);
- ``japan_enters`` once, when Japan reaches a survival-threatening situation or recognises an
  armed attack (japan_legal);
- plus every capacity another process offers as ``<process>.prc_cost`` (points, a running
  total it keeps current): the invasion campaign can add the PLA's losses there.

Time: the PRC reviews its accounts once a week (one scheduled timeout per week, no daily tick).
At each review it learns ``costs`` and ``days`` (days since the start, a whole number of weeks),
so a hazard that reads them is re-read weekly: its rate is piecewise constant by week. Reviews
run from hour 0 when a PRC rule reads ``days``; otherwise from the first event that makes a cost
accrue (before it, every review would say 0), at whole weeks from the start. The weights are
labelled assumptions in the scenario files; the weekly cadence is an assumption of this module.

Capacity offered: ``prc_costs.total``, the cost at the last review (points).
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import ACTORS

PRC = ACTORS.index("prc")
WEEK_HOURS = 168.0
MONTH_HOURS = 720.0  # cost rates are per 30 days
_BLOCKADE = ("quarantine_enforced", "military_blockade")
_WAR = ("strikes_on_taiwan", "invasion", "us_combat")
_JAPAN_ENTERS = ("japan_survival_threatening", "japan_armed_attack")
# events that start a cost (an island seized: island_garrison's `island_garrison.prc_cost`)
_ACCRUE = _BLOCKADE + _WAR + ("convoys_arriving", "island_seized") + _JAPAN_ENTERS
_WEIGHTS = tuple((k, f"prc_costs.{k}") for k in (
    "blockade_per_month", "war_per_month", "convoys_per_month", "japan_enters"))


class PrcCosts(Process):
    name = "prc_costs"
    columns = (
        ("prc_costs", "float", "The PRC's cost of the crisis at its last weekly review "
                               "(points; one point is a month of blockade)."),
    )

    @staticmethod
    def used(c) -> bool:
        reads = c.reads[PRC] if c.reads else frozenset()
        return "costs" in reads or "days" in reads

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.w = self.shared("weights", lambda: {k: p.get(name, 0.0) for k, name in _WEIGHTS},
                             (name for _k, name in _WEIGHTS))
        self.reviews = 0
        self.started = False
        # first hours of a blockade and of a war (None until they happen: an event's first
        # hour never changes once recorded), and the capacities that are costs, in the
        # capacity dict's order (summed in that order), refreshed when a capacity is added
        self._blockade_start = self._war_start = None
        self._n_happened = -1  # events happened when the first hours were last looked for
        self._cost_keys: tuple = ()
        self._n_capacities = -1
        eng.capacity["prc_costs.total"] = 0.0
        if "days" in eng.c.relevant[PRC]:
            self._start()
        else:
            eng.on_event(_ACCRUE, self._start)

    def _start(self, _event=None) -> None:
        """Schedule the next review, at a whole number of weeks from the start."""
        if self.started:
            return
        self.started = True
        now = self.eng.env.now
        self.reviews = int(now // WEEK_HOURS)
        self.eng.after((self.reviews + 1) * WEEK_HOURS - now, self._review)

    def cost_at(self, hours: float) -> float:
        """The PRC's cost at ``hours`` from what has happened by then (points)."""
        h, w = self.eng.happened, self.w
        if len(h) != self._n_happened:  # events only add up: nothing new, no new first hour
            self._n_happened = len(h)
            if self._blockade_start is None:
                self._blockade_start = min((h[e] for e in _BLOCKADE if e in h), default=None)
            if self._war_start is None:
                self._war_start = min((h[e] for e in _WAR if e in h), default=None)
        cost = 0.0
        start = self._blockade_start
        if start is not None:
            end = min(hours, h.get("blockade_lifted", hours))
            cost += w["blockade_per_month"] * max(0.0, end - start) / MONTH_HOURS
        start = self._war_start
        if start is not None:
            cost += w["war_per_month"] * (hours - start) / MONTH_HOURS
        if "convoys_arriving" in h:
            cost += w["convoys_per_month"] * (hours - h["convoys_arriving"]) / MONTH_HOURS
        if "japan_survival_threatening" in h or "japan_armed_attack" in h:  # _JAPAN_ENTERS
            cost += w["japan_enters"]
        cap = self.eng.capacity
        if len(cap) != self._n_capacities:
            self._n_capacities = len(cap)
            self._cost_keys = tuple(n for n in cap if n.endswith(".prc_cost"))
        for name in self._cost_keys:
            cost += cap[name]
        return cost

    def _review(self, _ev) -> None:
        eng = self.eng
        if eng.closed:
            return
        self.reviews += 1
        cost = self.cost_at(eng.env.now)
        eng.capacity["prc_costs.total"] = cost
        eng.learn(PRC, "days", self.reviews * WEEK_HOURS / 24.0, None)
        eng.learn(PRC, "costs", cost, "reckons")
        eng.after_open(WEEK_HOURS, self._review)  # none past the horizon: closed by then

    def row(self, end_hours: float) -> tuple:
        return (self.eng.capacity["prc_costs.total"],)
