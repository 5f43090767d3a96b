"""The U.S. going to war under its law: the combat decision, the forces' arrival, War Powers.

- A decision for combat raises the U.S. posture at once; forces engage after an arrival time
  that is shorter when they can fly from bases in Japan (csis-four-conditions).
- The War Powers Resolution (wpr-clock, wpr-clock-from-report): once forces enter hostilities
  (``us_combat``) the President reports to Congress within 48 hours (``war_powers_report``,
  ``war_powers_report_hours`` later). The 60-day clock runs from the report
  (``war_powers_clock_days``); if Congress has not authorized by then, withdrawal begins
  (``us_forces_withdrawing``) and is complete ``war_powers_withdrawal_days`` later
  (``us_forces_withdrawn``).
- Congress votes ``congress_vote_days`` after the report. How it votes is the replication's
  draw of ``congress_support`` (0.5 or more: it authorizes), which the U.S. does not know
  beforehand: its rules read ``congress_expected``, the President's prior, until the vote sets
  it to 1 or 0 (aspi-us-expects-base-ops: the scale of a U.S. answer turns on Congress's
  appetite). The vote is public (``congress_authorized`` or ``congress_refused``). An
  authorization stops the clock, during the withdrawal too; a refusal leaves it running.
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
        ("us_withdrawal_day", "float", "Day U.S. forces had withdrawn under the War Powers clock "
                                       "(report + 60 + 30 days by default), unless authorized."),
        ("us_congress_support", "float", "This replication's draw of how Congress would vote "
                                         "(0-1; 0.5 or more authorizes), unknown to the U.S. "
                                         "until the vote."),
        ("us_war_powers_report_day", "float", "Day the President reported to Congress under the "
                                              "War Powers Resolution (within 48 hours of U.S. "
                                              "forces engaging)."),
        ("us_congress_vote_day", "float", "Day Congress voted on authorizing the war."),
        ("us_congress_authorized", "float", "1 if Congress's vote authorized the war, 0 if it "
                                            "refused; empty if it never voted."),
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
        self.authorized: float | None = None  # Congress's vote, once it has voted

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
        # wpr-clock: the report is due within 48 hours of forces entering hostilities
        eng.after(eng.p["us.war_powers_report_hours"], self._report)

    def _report(self, _ev) -> None:
        eng = self.eng
        if eng.closed:
            return
        eng.emit(US, "war_powers_report")
        p = eng.p
        # wpr-clock-from-report: the 60 days count from the report; Congress votes meanwhile
        eng.after(p["us.congress_vote_days"] * 24.0, self._vote)
        eng.after(p["us.war_powers_clock_days"] * 24.0, self._deadline)

    def _vote(self, _ev) -> None:
        eng = self.eng
        if eng.closed or "us_forces_withdrawn" in eng.happened:
            return
        self.authorized = 1.0 if eng.p["us.congress_support"] >= 0.5 else 0.0
        # The President now knows what Congress decided: the expectation becomes the result,
        # and rules that read it look again (Engine.learn).
        eng.learn(US, "congress_expected", self.authorized, None)
        eng.emit(US, "congress_authorized" if self.authorized else "congress_refused")

    def _deadline(self, _ev) -> None:
        eng = self.eng
        if eng.closed or self.authorized:
            return
        eng.emit(US, "us_forces_withdrawing")  # wpr-clock: 60 days without authorization
        eng.after(eng.p["us.war_powers_withdrawal_days"] * 24.0, self._withdraw)

    def _withdraw(self, _ev) -> None:
        if not self.eng.closed and not self.authorized:  # wpr-clock: up to 30 days more
            self.eng.emit(US, "us_forces_withdrawn")

    def row(self, end_hours: float) -> tuple:
        h = self.eng.happened
        vote = h.get("congress_authorized", h.get("congress_refused"))
        return (day(h.get("us_forces_withdrawn")), self.eng.p["us.congress_support"],
                day(h.get("war_powers_report")), day(vote), self.authorized,
                self.air_share)
