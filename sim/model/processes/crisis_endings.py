"""Endings every family shares, and the gray-zone family's judgement as it is today.

- Taiwan's capitulation ends the crisis.
- Standing down ends a crisis still below the armed-conflict line (``de_escalated``); once it
  has escalated, that family's judgement decides (a blockade is ended by lifting it).
- Undecided at the horizon: coercion that never crossed the armed-conflict line is its own
  result (aspi-gray-zone-likely: the likeliest path is coercion, not war), ``coercion_persists``;
  anything else is simply ``ongoing``.
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import GRAY_ZONE_EVENTS


class CrisisEndings(Process):
    name = "crisis_endings"

    def __init__(self, eng):
        super().__init__(eng)
        eng.on_event(("taiwan_capitulated", "prc_stood_down"), self._event)
        eng.horizon = self.at_horizon

    def _event(self, event: str) -> None:
        eng = self.eng
        if event == "taiwan_capitulated":
            eng.finish("capitulation")
        elif not eng.escalated():  # prc_stood_down
            eng.finish("de_escalated")

    def at_horizon(self) -> str:
        eng = self.eng
        if any(e in eng.happened for e in GRAY_ZONE_EVENTS) and not eng.escalated():
            return "coercion_persists"
        return "ongoing"
