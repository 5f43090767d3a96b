"""Japan's legal process: the ladder of situations, the Cabinet, the Diet, prior consultation.

- The ladder (jp-situation-ladder): important influence, anticipated armed attack, survival-
  threatening, armed attack; Japan never steps down it.
- The Cabinet may find a survival-threatening situation only when the threat to Japan's survival
  is clear (jp-three-conditions): here, when the survival score -- a weighted sum of the
  indicators Japan has learned of -- has reached the replication's threshold.
- The Diet must approve that finding before any use of force (jp-diet-prior-approval); it takes
  ``diet_prior_approval_hours`` and approves with ``diet_approval_probability``.
- An attack on Japan, U.S. bases included, starts the armed-attack recognition without a rule
  (aspi-bases-struck-self-defense, csis-japan-base-case); operations to defend Japan need no
  prior consultation, so base use follows (jp-prior-consultation).
- Prior consultation: Japan's answer on U.S. base use, and whether U.S. combat flies from Japan.
"""

from __future__ import annotations

from sim.model.processes.base import Process, day
from sim.model.vocab import ACTORS, ATTACKS_ON_JAPAN, JAPAN_LEVELS

US, JAPAN = ACTORS.index("us"), ACTORS.index("japan")
_LEVEL_OF_ACTION = {
    "declare_important_influence": 1,
    "declare_anticipated_armed_attack": 2,
}


class JapanLegal(Process):
    name = "japan_legal"
    columns = (
        ("japan_level", "str", "Highest legal situation Japan recognised (an armed-attack "
                               "recognition already under way may complete after end_day)."),
        ("japan_important_influence_day", "float", "Day Japan recognised an important-influence "
                                                   "situation."),
        ("japan_anticipated_armed_attack_day", "float", "Day Japan recognised an anticipated "
                                                        "armed attack."),
        ("japan_survival_threatening_day", "float", "Day a survival-threatening situation took "
                                                    "effect (after Diet approval)."),
        ("japan_armed_attack_day", "float", "Day Japan recognised an armed attack (may follow "
                                            "end_day: the process had started)."),
        ("japan_survival_score", "float", "Japan's survival-threat score at the end "
                                          "(sum of indicator weights, unitless)."),
        ("japan_survival_score_at_declaration", "float", "Score when the Cabinet sought the "
                                                         "survival-threatening declaration, if "
                                                         "the Diet approved it."),
        ("japan_survival_threshold", "float", "This replication's threshold (unitless)."),
        ("japan_diet_rejected", "bool", "The Diet refused prior approval."),
        ("japan_threatened", "bool", "The PRC's threat over base use reached Tokyo."),
        ("japan_base_use", "str", "granted, denied, or not_asked (also: asked but no answer by "
                                  "the end)."),
        ("japan_base_use_day", "float", "Day Japan granted base use."),
        ("bases_used", "bool", "U.S. combat operations flew from bases in Japan."),
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.rules_of[JAPAN]) or bool(c.caused & set(ATTACKS_ON_JAPAN))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.know = k = eng.know[JAPAN]
        k.update(survival_score=0.0, level=0.0, survival_threshold=p["japan.survival_threshold"])
        self.weights = {fact: p[key] for fact, key in eng.c.indicators}
        self.counted: dict[str, float] = {}  # indicator -> the value its weight was counted at
        self.level_hours: dict[int, float] = {}
        self.score_at_st: float | None = None
        self.base_use = "not_asked"
        self.pending: set[str] = set()   # legal steps under way (one of each at a time)
        self.diet_votes = 0              # each vote draws from the 'japan_legal/diet_vote' stream
        for action in _LEVEL_OF_ACTION:
            eng.on_action(JAPAN, action, self._declare_action)
        eng.on_action(JAPAN, "declare_survival_threatening", self._survival_threatening)
        eng.on_action(JAPAN, "declare_armed_attack", self._declare_armed_attack)
        eng.on_learn(JAPAN, self.weights, self._indicator)
        eng.on_learn(JAPAN, ATTACKS_ON_JAPAN, self._attacked)
        eng.on_event(("japan_base_use_granted", "japan_base_use_denied", "us_combat"),
                     self._prior_consultation)

    # --- the Cabinet and the ladder --------------------------------------------------------

    def _indicator(self, name: str, value: float) -> None:
        # jp-three-conditions: threats to Japan's survival add up
        # (a misreading set right takes its fact back: value 0 removes what it added)
        w = self.weights[name]
        if w:
            before = self.counted.get(name, 0.0)
            self.counted[name] = value
            self.eng.learn(JAPAN, "survival_score",
                           self.know["survival_score"] + w * (value - before), None)

    def _declare_action(self, r, action: str):
        self._declare(_LEVEL_OF_ACTION[action])

    def _declare(self, level: int) -> None:
        """Move up Japan's legal ladder (jp-situation-ladder); it never steps down."""
        eng, k = self.eng, self.know
        if level <= k["level"]:
            eng.log(JAPAN, "declines", "%s: already at %s", JAPAN_LEVELS[level],
                    JAPAN_LEVELS[int(k["level"])])
            return
        self.level_hours.setdefault(level, eng.env.now)
        eng.learn(JAPAN, "level", float(level), None)  # before the news, which rules react to
        eng.emit(JAPAN, "japan_" + JAPAN_LEVELS[level])

    def _survival_threatening(self, r, action: str):
        eng, k = self.eng, self.know
        if k["level"] >= 3 or "diet" in self.pending:
            return None
        # jp-three-conditions: the Cabinet may only find a survival-threatening situation when
        # the threat to Japan's survival is judged clear; here, when the score has reached the
        # replication's threshold.
        if k["survival_score"] < k["survival_threshold"]:
            eng.log(JAPAN, "declines", "survival_threatening: score %.2f below threshold %.2f",
                    k["survival_score"], k["survival_threshold"])
            return False
        self.pending.add("diet")
        score = k["survival_score"]
        # jp-diet-prior-approval: no use of force before the Diet approves
        eng.log(JAPAN, "asks", "Diet for prior approval of a survival-threatening situation")
        eng.after(eng.p["japan.diet_hours"], lambda _e: self._diet_decides(score))
        return None

    # --- the Diet --------------------------------------------------------------------------

    def _diet_decides(self, score: float) -> None:
        eng = self.eng
        self.pending.discard("diet")
        if eng.closed or self.know["level"] >= 3:
            return
        vote = self.uniform("diet_vote", self.diet_votes)
        self.diet_votes += 1
        if vote < eng.p["japan.diet_p"]:
            self.score_at_st = score
            self.level_hours.setdefault(3, eng.env.now)
            eng.learn(JAPAN, "level", 3.0, None)
            eng.emit(JAPAN, "japan_survival_threatening")
        else:
            eng.emit(JAPAN, "japan_diet_rejected")

    # --- armed attack ----------------------------------------------------------------------

    def _declare_armed_attack(self, r, action: str):
        if not any(e in self.know for e in ATTACKS_ON_JAPAN):
            self.eng.log(JAPAN, "declines", "declare_armed_attack: no attack on Japan known")
            return False
        self._recognise_attack(None)
        return None

    def _attacked(self, name: str, value: float) -> None:
        """An attack on Japan -- U.S. bases included -- starts the armed-attack recognition.

        This is not a discretionary rule: aspi-bases-struck-self-defense and csis-japan-base-case
        both have Tokyo act in self-defense once its territory or U.S. bases there are struck.
        """
        if not value or self.know["level"] >= 4 or "armed_attack" in self.pending:
            return
        self.pending.add("armed_attack")
        self.eng.after(self.eng.p["japan.recognition_hours"], self._recognise_attack)

    def _recognise_attack(self, _ev) -> None:
        eng = self.eng
        self.pending.discard("armed_attack")
        if self.know["level"] >= 4:
            return
        self.level_hours.setdefault(4, eng.env.now)
        self.know["level"] = 4.0
        # jp-diet-prior-approval: an armed attack allows the Diet to approve after the fact
        eng.emit(JAPAN, "japan_armed_attack")
        if not eng.closed:
            eng.reconsider(JAPAN, "level")
        # jp-prior-consultation: operations to defend Japan (Article V) need no prior consultation
        if not eng.closed and "japan_base_use_granted" not in eng.happened:
            eng.log(JAPAN, "decides", "base use for the defense of Japan (Article V)")
            eng.emit(JAPAN, "japan_base_use_granted")

    # --- prior consultation ----------------------------------------------------------------

    def _prior_consultation(self, event: str) -> None:
        h, eng = self.eng.happened, self.eng
        if event == "japan_base_use_granted":
            self.base_use = "granted"
            if "us_combat" in h:
                eng.emit(US, "us_combat_from_japan")
        elif event == "japan_base_use_denied":
            if self.base_use != "granted":
                self.base_use = "denied"
        elif "japan_base_use_granted" in h:  # us_combat
            eng.emit(US, "us_combat_from_japan")

    def row(self, end_hours: float) -> tuple:
        k, h, lh = self.know, self.eng.happened, self.level_hours
        return (
            JAPAN_LEVELS[int(k["level"])],
            day(lh.get(1)), day(lh.get(2)), day(lh.get(3)), day(lh.get(4)),
            k["survival_score"],
            self.score_at_st,
            k["survival_threshold"],
            "japan_diet_rejected" in h,
            k.get("prc_threat_to_japan", 0.0) > 0,
            self.base_use,
            day(h.get("japan_base_use_granted")),
            "us_combat_from_japan" in h,
        )
