"""The outer-islands family's judgement as it is today: a seized island stays taken unless the
U.S. fights for it within a window.

aspi-islands-diplomatic-minimum: the floor of the U.S. answer is diplomatic. tra-definition,
aspi-tra-coverage: how far the Taiwan Relations Act covers the seized island (a degree 0-1, from
``actors.us.tra_coverage``) travels with the news of the seizure (``tra_covered_attack``). A
wider war is judged as an invasion.
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import ACTORS

PRC = ACTORS.index("prc")


class IslandsJudgement(Process):
    name = "islands_judgement"

    @staticmethod
    def used(c) -> bool:
        return "island_seized" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        eng.on_action(PRC, "seize_island", self._seize)
        eng.on_event(("island_seized",), self._seized)

    def _seize(self, r, action: str):
        # tra-definition, aspi-tra-coverage: how far the TRA covers the seized island (a degree,
        # actors.us.tra_coverage; else the definition's 1 or 0) travels with the news
        eng = self.eng
        eng.emit(PRC, "island_seized", (("tra_covered_attack", eng.p.get(
            "us.tra_coverage", eng.c.tra_covered_target)),))
        return None

    def _seized(self, _event) -> None:
        self.eng.after(self.eng.p["islands.window_days"] * 24.0, self._judge)

    def _judge(self, _ev) -> None:
        eng = self.eng
        if eng.closed or "invasion" in eng.happened:
            return
        h = eng.happened
        if "us_combat" in h and "us_forces_withdrawn" not in h:
            eng.finish("island_returned")
        else:
            eng.finish("fait_accompli")
