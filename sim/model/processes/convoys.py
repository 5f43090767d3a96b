"""Escorted convoys: a U.S. decision to escort, then days of sailing before the first arrives.

csis-convoy-limits: convoys need days of sailing before the first one reaches Taiwan
(``ship.convoy_assembly_hours``). Once they run, the shipping process sails merchants in
convoys (see ``shipping``).
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import ACTORS

US = ACTORS.index("us")


class Convoys(Process):
    name = "convoys"

    @staticmethod
    def used(c) -> bool:
        return "us_escort" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        eng.on_action(US, "escort", self._escort)

    def _escort(self, r, action: str):
        eng = self.eng
        if "us_escort" in eng.happened:
            return None
        eng.raise_posture(2)
        eng.emit(US, "us_escort")
        eng.after(eng.p["ship.convoy_assembly_hours"], self._arrive)
        return None

    def _arrive(self, _ev) -> None:
        if not self.eng.closed:
            self.eng.emit(US, "convoys_arriving")
