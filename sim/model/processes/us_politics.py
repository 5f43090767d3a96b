"""U.S. resolve that moves with events: the President's resolve rises or falls when the U.S.
learns of an event the scenario lists in ``actors.us.resolve_shifts``.

The draw of ``resolve`` is where the President starts (us-strategic-ambiguity). Attacks on U.S.
forces or bases raise it (aspi-us-expects-base-ops: a U.S. military answer turns on the appetite
of Congress and the American public, which an attack on Americans sharpens); allies' commitments
raise it (essay-alliance-credibility: an alliance deters only if its members are seen to honour
it, so an ally that commits makes backing down costlier; csis-four-conditions: bases in Japan
make a defence likelier to succeed); a refusal of bases lowers it. The sizes are labelled
assumptions in the scenario. Each event shifts resolve once, when the U.S. learns of it (by
observation or message), and resolve stays within 0-1. The U.S. rules that read ``resolve``
look again at once (``Engine.learn``), so a rise can wake a rule that had not held.
"""

from __future__ import annotations

from sim.model.processes.base import Process
from sim.model.vocab import ACTORS

US = ACTORS.index("us")


class USPolitics(Process):
    name = "us_politics"
    columns = (
        ("us_resolve_end", "float", "Presidential resolve (0-1) at the end, after the shifts "
                                    "of the events the U.S. learned of."),
        ("us_resolve_at_combat", "float", "Presidential resolve (0-1) when the U.S. decided on "
                                          "combat; empty if it never did."),
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.resolve_shifts)

    def __init__(self, eng):
        super().__init__(eng)
        shifts, p = eng.c.resolve_shifts, eng.p
        self.shift = self.shared("shift", lambda: {fact: p[name] for fact, name in shifts},
                                 (name for _fact, name in shifts))
        self.shifted: set[str] = set()
        self.at_combat: float | None = None
        eng.on_learn(US, tuple(self.shift), self._learned)
        eng.on_event(("us_combat_decided",), self._combat)

    def _learned(self, fact: str, value: float) -> None:
        if not value or fact in self.shifted:  # a fact forgotten (a misreading set right)
            return
        self.shifted.add(fact)
        eng = self.eng
        old = eng.know[US]["resolve"]
        new = min(1.0, max(0.0, old + self.shift[fact]))
        if new != old:
            eng.log(US, "reassesses", "resolve %.2f -> %.2f on %s", old, new, fact)
            eng.learn(US, "resolve", new, None)

    def _combat(self, _event) -> None:
        self.at_combat = self.eng.know[US]["resolve"]

    def row(self, end_hours: float) -> tuple:
        return (self.eng.know[US]["resolve"], self.at_combat)
