"""One weekly clock per replication: a single SimPy timeout a week that steps every process
with a weekly step, in a stated order.

A blockade's processes each have a week (shipping, then Taiwan's energy, then the blockade's
judgement), all from the same first cut. Each used to keep its own timeout; three timeouts at the
same hour cost three pops and ran in the order they were inserted. The clock keeps one timeout and
runs the steps in the order of ``sim.model.processes.PROCESSES`` (the order processes react to
the same event), so the order is stated, not an accident of insertion:

    shipping -> taiwan_energy -> blockade_judgement

A process joins with :meth:`WeeklyClock.join` when its mechanism starts: its first week runs at
once (as before), the next at the clock's next tick. The clock's phase is the hour of the first
join; every process that uses it joins on the same event (the first cut), so each still has whole
weeks. No tick is scheduled past the horizon (the crisis is closed by then).
"""

from __future__ import annotations

from bisect import insort
from operator import itemgetter

WEEK_HOURS = 168.0
_rank = itemgetter(0)


class WeeklyClock:
    """The weekly steps of one replication's processes, and the one timeout that runs them."""

    __slots__ = ("eng", "steps", "ticking")

    def __init__(self, eng):
        self.eng = eng
        self.steps: list = []        # (rank, step) in the order they run each week
        self.ticking = False

    def join(self, process, step) -> None:
        """``step()`` runs now and then at every tick, after the steps of the processes that come
        before ``process`` in the scenario's process order."""
        rank = self.eng.processes.index(process)  # a few processes: no table to build
        insort(self.steps, (rank, step), key=_rank)  # after any step of the same rank
        step()
        if not self.ticking:
            self.ticking = True
            self.eng.after_open(WEEK_HOURS, self._tick)

    def _tick(self, _ev) -> None:
        eng = self.eng
        if eng.closed:
            return
        for _, step in self.steps:
            step()
        eng.after_open(WEEK_HOURS, self._tick)
