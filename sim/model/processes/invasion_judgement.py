"""The invasion family's judgement as it is today: one weighted score, a fixed window after the
landing (to be replaced by a campaign process).

csis-four-conditions: Taiwan's ground defence, quick U.S. entry, U.S. use of bases in Japan and
mass standoff strikes decide an invasion. A weighted score stands for them; the weights,
the window and the cut-offs are scenario assumptions. The two U.S. air terms count only what
survives strikes on the bases (the air_basing process's capacities).
"""

from __future__ import annotations

from sim.model.processes.base import Process


class InvasionJudgement(Process):
    name = "invasion_judgement"
    columns = (
        ("invasion_score", "float", "Adjudication score of an invasion, if one landed "
                                    "(weighted sum, unitless)."),
    )

    @staticmethod
    def used(c) -> bool:
        # adjudication.invasion.campaign given: the campaign process judges instead
        return "invasion" in c.caused and not getattr(c, "campaign", False)

    def __init__(self, eng):
        super().__init__(eng)
        self.score: float | None = None
        eng.on_event(("invasion",), self._landed)

    def _landed(self, _event) -> None:
        eng = self.eng
        landed = eng.env.now
        eng.after(eng.p["invasion.window_days"] * 24.0, lambda _e: self._judge(landed))

    def _judge(self, landed: float) -> None:
        eng = self.eng
        if eng.closed:
            return
        h, p = eng.happened, eng.p
        window = p["invasion.window_days"] * 24.0
        mobilized = h.get("taiwan_mobilized", float("inf")) <= landed
        resistance = p["taiwan.resistance"] * (1.0 if mobilized else p["taiwan.unmobilized_factor"])
        withdrawn = "us_forces_withdrawn" in h
        engaged = h.get("us_combat")
        us_timely = bases = standoff = 0.0
        if engaged is not None and not withdrawn:
            us_timely = max(0.0, 1.0 - max(0.0, engaged - landed) / window)
            bases = 1.0 if "us_combat_from_japan" in h else 0.0
            standoff = 1.0 if p["us.standoff_strike"] >= 0.5 else 0.0
            # The U.S. fights with what survives (csis-ground-losses: in CSIS's games most U.S.
            # aircraft losses came on the ground, at bases struck in Japan and on Guam). Quick
            # entry (csis-four-conditions) is worth the share of U.S. combat aircraft left in
            # theatre; fighting from Japan is worth the share left at the bases in Japan
            # (csis-bases-japan-named), whose sorties are what base use offers. Capacities at
            # judgement, so a strike during the window counts; 1 where no base was struck.
            cap = eng.capacity
            us_timely *= cap.get("air_basing.us_air_share", 1.0)
            bases *= cap.get("air_basing.japan_share", 1.0)
        score = (p["invasion.weight_resistance"] * resistance
                 + p["invasion.weight_us_timely"] * us_timely
                 + p["invasion.weight_japan_bases"] * bases
                 + p["invasion.weight_standoff"] * standoff)
        self.score = score
        if score >= p["invasion.repel_at"]:
            eng.finish("repelled")
        elif score >= p["invasion.stalemate_at"]:
            eng.finish("stalemate")
        else:
            eng.finish("taiwan_fell")

    def row(self, end_hours: float) -> tuple:
        return (self.score,)
