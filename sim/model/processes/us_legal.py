"""The U.S. going to war under its law: the combat decision, the forces' arrival, War Powers.

- A decision for combat raises the U.S. posture at once; forces engage after an arrival time
  that is shorter when they can fly from bases in Japan (csis-four-conditions).
- The War Powers Resolution's clock (wpr-clock): without Congress's support, forces must leave
  after 60 days plus 30 to withdraw (``war_powers_days``); Congress's support is the
  replication's draw of ``congress_support`` (below 0.5: no authorization).
- Forces engage with what survives: the surviving share of U.S. combat aircraft in theatre
  when they engage (``air_basing.us_air_share``, 1 without the air_basing process) is recorded.
"""

from __future__ import annotations

from sim.model.processes.base import Process, day
from sim.model.vocab import ACTORS

US = ACTORS.index("us")


class USLegal(Process):
    name = "us_legal"
    columns = (
        ("us_withdrawal_day", "float", "Day U.S. forces withdrew under the War Powers clock."),
        ("us_congress_support", "float", "This replication's draw of Congress's support "
                                         "(0-1; below 0.5 the War Powers clock runs)."),
        ("us_air_share_at_engagement", "float", "Surviving share of U.S. combat aircraft in "
                                                "theatre when U.S. forces engaged (0-1; 1 if "
                                                "no base was struck by then)."),
    )

    @staticmethod
    def used(c) -> bool:
        return "us_combat_decided" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        self.air_share: float | None = None
        eng.on_action(US, "combat", self._combat)

    def _combat(self, r, action: str):
        eng = self.eng
        if "us_combat_decided" in eng.happened:
            return None
        eng.raise_posture(3)
        eng.emit(US, "us_combat_decided")
        # csis-four-conditions: forces flying from Japan engage sooner than from farther away
        # Washington knows of Japan's consent by seeing the grant or by Tokyo's answer
        # (japan_intent.grant_bases, when the scenario's messages carry it)
        k = eng.know[US]
        with_bases = (k.get("japan_base_use_granted", 0.0) > 0
                      or k.get("japan_intent.grant_bases", 0.0) > 0)
        hours = eng.p["us.arrival_with_bases" if with_bases else "us.arrival_without_bases"]
        eng.after(hours, self._engage)
        return None

    def _engage(self, _ev) -> None:
        eng = self.eng
        if eng.closed:
            return
        # csis-ground-losses: the U.S. arrives with the aircraft its bases' strikes left it
        self.air_share = eng.capacity.get("air_basing.us_air_share", 1.0)
        eng.emit(US, "us_combat")
        if eng.p["us.congress_support"] < 0.5:  # wpr-clock: 60 days + 30 to withdraw
            eng.after(eng.p["us.war_powers_days"] * 24.0, self._withdraw)

    def _withdraw(self, _ev) -> None:
        if not self.eng.closed:
            self.eng.emit(US, "us_forces_withdrawn")

    def row(self, end_hours: float) -> tuple:
        return (day(self.eng.happened.get("us_forces_withdrawn")),
                self.eng.p["us.congress_support"], self.air_share)
