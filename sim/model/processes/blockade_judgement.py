"""The blockade family's judgement as it is today: lifted when Beijing lifts it; broken when
escorted convoys keep running for a while without a war (to be replaced by a shipping process).

aspi-blockade-months: the question is whether goods keep flowing.
"""

from __future__ import annotations

from sim.model.processes.base import Process


class BlockadeJudgement(Process):
    name = "blockade_judgement"

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & {"blockade_lifted", "us_escort"})

    def __init__(self, eng):
        super().__init__(eng)
        eng.on_event(("convoys_arriving", "blockade_lifted"), self._event)

    def _event(self, event: str) -> None:
        eng = self.eng
        if event == "convoys_arriving":
            eng.after(eng.p["blockade.break_after_escort_days"] * 24.0, self._judge)
        elif "invasion" not in eng.happened:  # blockade_lifted
            eng.finish("blockade_lifted")

    def _judge(self, _ev) -> None:
        eng = self.eng
        if eng.closed or "invasion" in eng.happened or "us_forces_withdrawn" in eng.happened:
            return
        eng.finish("blockade_broken")
