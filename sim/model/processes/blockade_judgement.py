"""The blockade family's judgement: lifted when Beijing lifts it; broken when energy keeps
getting through.

``blockade_broken``: energy ships arriving (the shipping process's ``shipping.energy_share``:
LNG carriers, coal carriers and tankers arrived over normal) at or above ``break_share`` for
``break_weeks`` consecutive weeks, with no invasion under way and U.S. forces not withdrawn
(aspi-blockade-months: the question is whether goods keep flowing). Checked once a week on the
weekly clock (sim/model/clock.py), after the shipping and energy steps. The share and the number of
weeks are labelled assumptions in the scenario files.
"""

from __future__ import annotations

from sim.model.processes.base import Process

CUTS = ("quarantine_enforced", "military_blockade", "invasion")


class BlockadeJudgement(Process):
    name = "blockade_judgement"
    columns = (
        ("weeks_energy_through", "float", "Longest run of consecutive weeks with energy ships "
                                          "arriving at or above break_share of normal."),
        ("invasion_preparations_day", "float", "Day the PRC began preparing an invasion."),
        ("escalated_to_invasion", "bool", "The blockade became an invasion: a landing "
                                          "(the invasion campaign decides it)."),
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.caused & {"blockade_lifted", *CUTS})

    def __init__(self, eng):
        super().__init__(eng)
        self.run = self.best = 0
        self.started = False
        # read once (a replication's parameters do not change)
        self.break_share = eng.p["blockade.break_share"]
        self.break_weeks = eng.p["blockade.break_weeks"]
        eng.on_event(("blockade_lifted",), self._lifted)
        eng.on_event(CUTS, self._start)

    def _lifted(self, _event: str) -> None:
        if "invasion" not in self.eng.happened:
            self.eng.finish("blockade_lifted")

    def _start(self, _event) -> None:
        if not self.started:
            self.started = True
            self.eng.weekly.join(self, self._week)

    def _week(self) -> None:
        eng = self.eng
        if eng.capacity.get("shipping.energy_share", 0.0) >= self.break_share:
            self.run = run = self.run + 1
            if run > self.best:
                self.best = run
            h = eng.happened
            if run >= self.break_weeks and "invasion" not in h and \
                    "us_forces_withdrawn" not in h and "blockade_lifted" not in h:
                eng.finish("blockade_broken")
        else:
            self.run = 0

    def row(self, end_hours: float) -> tuple:
        h = self.eng.happened
        prep = h.get("invasion_preparations")
        return (float(self.best), None if prep is None else prep / 24.0, "invasion" in h)
