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
- Roles (``actors.japan.roles``): each level unlocks what the law allows it (jp-situation-ladder):
  rear-area support at important influence, collective self-defence roles once the Diet has
  approved a survival-threatening situation (jfir-2015-collective-self-defense,
  aspi-survival-collective-defense), full defence under an armed attack. A level allows the roles
  of every level below it. A role that uses force (``force: true``) needs a level at which force
  is lawful (jp-three-conditions): survival-threatening or armed attack.
- An armed attack declared clearly imminent (``declare_imminent_armed_attack``) is an armed-attack
  situation (jp-situation-ladder): every role is deployed, and roles that need no force are
  offered, with no wait for the Diet (jp-diet-prior-approval: after-the-fact approval in an armed
  attack); but a role that uses force waits for an attack on Japan to be recognised, as the first
  of the three conditions asks for an attack, not its threat (jp-three-conditions; reading the
  imminent case this way is the model's assumption). ``level`` does not move: the imminence is
  the fact ``attack_imminent``.

Capacities it offers other processes (``eng.capacity``), written as the situation allows them:

- ``japan_legal.<role>``: the role's ``offers`` (a count or a 0-1 share, as its ``unit`` says),
  once Japan may perform the role;
- ``japan_legal.<role>.deployed``: the same amount, once the role's forces are in position
  (at the same time, or earlier for a force role under an imminent attack);
- ``japan_legal.use_of_force``: 1 once force is lawful (survival-threatening approved by the
  Diet, or an armed attack recognised).
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
        ("japan_attack_imminent_day", "float", "Day Japan declared an armed attack clearly "
                                               "imminent (forces deploy; no force until an "
                                               "attack)."),
        ("japan_force_day", "float", "Day the use of force became lawful for Japan: a "
                                     "survival-threatening situation approved, or an armed "
                                     "attack recognised (may follow end_day)."),
        ("japan_roles", "str", "Roles (actors.japan.roles) Japan could perform at the end, in "
                               "the order they became available, each as role@day, separated "
                               "by spaces (may include days after end_day, as "
                               "japan_armed_attack_day); empty when none."),
        ("japan_roles_deployed", "str", "Roles that use force, deployed (as under an armed "
                                        "attack declared imminent) but not yet allowed to use "
                                        "it at the end, each as role@day deployed; empty when "
                                        "none."),
    )

    @staticmethod
    def used(c) -> bool:
        return bool(c.rules_of[JAPAN]) or bool(c.caused & set(ATTACKS_ON_JAPAN))

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.know = k = eng.know[JAPAN]
        k.update(survival_score=0.0, level=0.0, survival_threshold=p["japan.survival_threshold"],
                 attack_imminent=0.0)
        c = eng.c
        # the scenario's weights and roles: the same in every replication unless one is drawn
        self.weights = self.shared("weights", lambda: {fact: p[key] for fact, key in c.indicators},
                                   (key for _fact, key in c.indicators))
        self.counted: dict[str, float] = {}  # indicator -> the value its weight was counted at
        self.level_hours: dict[int, float] = {}
        self.score_at_st: float | None = None
        self.base_use = "not_asked"
        self.pending: set[str] = set()   # legal steps under way (one of each at a time)
        self.diet_votes = 0              # each vote draws from the 'japan_legal/diet_vote' stream
        # (role, index of the level it needs, uses force, what it offers this replication)
        # a role given no amount (no process draws on it) is offered as 1: allowed
        self.roles = self.shared("roles", lambda: tuple(
            (name, JAPAN_LEVELS.index(level), force, p[key] if key is not None else 1.0)
            for name, level, force, key in c.japan_roles), (r[3] for r in c.japan_roles))
        self.role_hours: dict[str, float] = {}      # role -> hour Japan could perform it
        self.deployed_hours: dict[str, float] = {}  # role -> hour its forces were in position
        self.imminent_hours: float | None = None
        self.force_hours: float | None = None
        for action in _LEVEL_OF_ACTION:
            eng.on_action(JAPAN, action, self._declare_action)
        eng.on_action(JAPAN, "declare_survival_threatening", self._survival_threatening)
        eng.on_action(JAPAN, "declare_armed_attack", self._declare_armed_attack)
        eng.on_action(JAPAN, "declare_imminent_armed_attack", self._declare_imminent)
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
        self._unlock(level)
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
            self._unlock(3)
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
        self._unlock(4)
        self.know["level"] = 4.0
        # jp-diet-prior-approval: an armed attack allows the Diet to approve after the fact
        eng.emit(JAPAN, "japan_armed_attack")
        if not eng.closed:
            eng.reconsider(JAPAN, "level")
        # jp-prior-consultation: operations to defend Japan (Article V) need no prior consultation
        if not eng.closed and "japan_base_use_granted" not in eng.happened:
            eng.log(JAPAN, "decides", "base use for the defense of Japan (Article V)")
            eng.emit(JAPAN, "japan_base_use_granted")

    # --- an armed attack clearly imminent -----------------------------------------------------

    def _declare_imminent(self, r, action: str):
        """jp-situation-ladder: an attack clearly imminent is an armed-attack situation, so forces
        deploy for the defence of Japan at once (jp-diet-prior-approval: in an armed attack the
        Diet may approve after the fact); force waits for the attack (jp-three-conditions)."""
        eng = self.eng
        if self.know["level"] >= 4 or self.imminent_hours is not None:
            eng.log(JAPAN, "declines", "imminent armed attack: %s",
                    "already declared" if self.imminent_hours is not None else
                    "an armed attack is already recognised")
            return None
        self.imminent_hours = eng.env.now
        self._unlock(int(self.know["level"]))
        eng.learn(JAPAN, "attack_imminent", 1.0, None)
        eng.emit(JAPAN, "japan_armed_attack_imminent")
        return None

    # --- roles: what each level allows -------------------------------------------------------

    def _unlock(self, level: int) -> None:
        """Offer the roles the situation now allows, and deploy those it puts in position.

        A role is deployed once Japan's situation reaches its level; one needing no force is
        performed then too, one that uses force only once ``level`` (not an imminence) reaches
        its level and force is lawful (jp-three-conditions: survival-threatening, after the
        Diet, or an armed attack). Under an imminent armed attack Japan is deployed as in an
        armed attack, whatever ``level`` says."""
        eng = self.eng
        now, cap = eng.env.now, eng.capacity
        if level >= 3 and self.force_hours is None:
            self.force_hours = now
            cap["japan_legal.use_of_force"] = 1.0
        deployed = 4 if self.imminent_hours is not None else level
        lawful = level >= 3  # force: level >= max(need, 3)
        deployed_hours, role_hours = self.deployed_hours, self.role_hours
        for name, need, force, amount in self.roles:
            if deployed >= need and name not in deployed_hours:
                deployed_hours[name] = now
                cap[f"japan_legal.{name}.deployed"] = amount
            if (deployed >= need if not force else lawful and level >= need) and \
                    name not in role_hours:
                role_hours[name] = now
                cap[f"japan_legal.{name}"] = amount
                if eng.trace is not None:
                    eng.log(JAPAN, "offers", "%s = %g", name, amount)

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
            day(self.imminent_hours),
            day(self.force_hours),
            " ".join([f"{n}@{t / 24.0:.2f}" for n, t in self.role_hours.items()]),  # day(t)
            " ".join([f"{n}@{t / 24.0:.2f}" for n, t in self.deployed_hours.items()
                      if n not in self.role_hours]),
        )
