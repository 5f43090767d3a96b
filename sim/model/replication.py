"""One replication of a scenario: SimPy events for what happens, knowledge for who knows it.

The world records when each event first happens. Every actor learns of an event only through an
observation (after its own detection delay) or a message (after the channel's latency); its rules
read only what it has learned. Messages and observations are plain SimPy timeouts with callbacks,
not processes, which keeps a replication to a few dozen cheap events (the project's measured
SimPy costs are in shared/reference/performance.md beside the repository).

Seed rules cited in comments are claim ids in ``seeds/claims.yaml``.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import simpy

from sim.errors import ModelError
from sim.model.compiled import HOP_SLOTS, Compiled
from sim.model.outcome import make_row
from sim.model.vocab import (ACTIONS, ACTORS, ATTACKS_ON_JAPAN, ESCALATION_EVENTS,
                             GRAY_ZONE_EVENTS, JAPAN_LEVELS, US_POSTURE_OF_EVENT)

PRC, US, JAPAN, TAIWAN = range(4)
IDLE, DELIBERATING, DONE = 0, 1, 2
_LEVEL_OF_ACTION = {
    "declare_important_influence": 1,
    "declare_anticipated_armed_attack": 2,
}
_NOBODY = (False,) * len(ACTORS)
_STOCK_FACTS = (("lng", 0, "lng_exhausted"), ("coal", 1, "coal_exhausted"),
                ("oil_min", 2, "oil_below_legal_minimum"), ("oil", 2, "oil_exhausted"))


def replication_rng(root_seed: int, replication: int) -> np.random.Generator:
    """The generator of replication ``i``: ``SeedSequence(root, spawn_key=(i,))``."""
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(replication,)))


def slot_draws(rng: np.random.Generator, n: int) -> tuple[list, list]:
    """A uniform and a standard normal for each of ``n`` slots.

    Slot ``k`` reads only the generator's draws ``3k .. 3k+2`` (its uniform, then a Box-Muller
    normal from the other two), so adding slots at the end never changes earlier slots' values.
    """
    w = rng.random((n, 3))
    z = np.sqrt(-2.0 * np.log1p(-w[:, 1])) * np.cos(2.0 * np.pi * w[:, 2])
    return w[:, 0].tolist(), z.tolist()


def run_replication(c: Compiled, root_seed: int, replication: int, trace: bool = False):
    """Run replication ``replication`` of ``c``; return ``(row, trace_records or None)``."""
    u, z = slot_draws(replication_rng(root_seed, replication), c.n_slots)
    rep = Replication(c, u, z, [] if trace else None)
    rep.run()
    return make_row(rep, replication), rep.trace


class Replication:
    """State of one run. Created, run once, then read by ``make_row``."""

    def __init__(self, c: Compiled, u: list, z: list, trace: list | None):
        self.c, self.u, self.z, self.trace = c, u, z, trace
        self.env = simpy.Environment()
        self.p = {name: f(u[s], z[s]) for name, f, s in c.scalars}
        p = self.p
        self.know = [{"start": 1.0} for _ in ACTORS]
        self.know[US].update(resolve=p["us.resolve"], congress_support=p["us.congress_support"],
                             standoff_strike=p["us.standoff_strike"], posture=0.0)
        self.know[JAPAN].update(survival_score=0.0, level=0.0,
                                survival_threshold=p["japan.survival_threshold"])
        self.know[TAIWAN].update(will_to_resist=p["taiwan.will_to_resist"],
                                 resistance=p["taiwan.resistance"], help_expected=0.0)
        for ai, names in enumerate(c.var_names):
            for n in names:
                self.know[ai][n] = p[f"var.{ACTORS[ai]}.{n}"]
        self.weights = {fact: p[key] for fact, key in c.indicators}
        self.state = [IDLE] * len(c.rules)
        self.happened: dict[str, float] = {}
        self.closed = False
        self.outcome: str | None = None
        self.end_hours: float | None = None
        self.end_event = self.env.event()
        self.pending: set[str] = set()   # model processes under way (one of each at a time)
        self.japan_level_hours: dict[int, float] = {}
        self.japan_score_at_st: float | None = None
        self.base_use: str = "not_asked"
        self.tt_first: float | None = None
        self.tt_latency: float | None = None
        self.invasion_score: float | None = None
        # energy stocks, in days of normal use; rate = days used per day beyond what arrives
        self.stock = [p["stocks.lng"], p["stocks.coal"], p["stocks.oil"]]
        self.stock_rate = 0.0
        self.stock_t = 0.0
        self.stock_version = 0
        self.stock_done: set[str] = set()

    # --- running -----------------------------------------------------------------------------

    def run(self) -> None:
        env = self.env
        env.timeout(self.c.horizon_hours).callbacks.append(
            lambda _e: self.finish(self._horizon_outcome()))
        for ai in range(len(ACTORS)):
            for ri in self.c.start_rules[ai]:
                self._consider(ri)
        env.run(until=self.end_event)
        # The crisis is decided. No one starts anything new, but a legal process already set
        # off by an attack on Japan completes (aspi-bases-struck-self-defense): drain the queue.
        self.closed = True
        env.run()

    def _horizon_outcome(self) -> str:
        """Undecided at the horizon: coercion that never crossed the armed-conflict line is its
        own result (aspi-gray-zone-likely: the likeliest path is coercion, not war); anything
        else is simply still going on."""
        h = self.happened
        if any(e in h for e in GRAY_ZONE_EVENTS) and not self._escalated():
            return "coercion_persists"
        return "ongoing"

    def _escalated(self) -> bool:
        return any(e in self.happened for e in ESCALATION_EVENTS)

    def finish(self, outcome: str) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.end_hours = self.env.now
            self._log(None, "ends", "outcome: %s", outcome)
            self.end_event.succeed()

    def _log(self, actor, kind: str, fmt: str, *args) -> None:
        """Add a trace record; formatting is lazy so untraced runs pay only the call."""
        if self.trace is not None:
            self.trace.append((self.env.now, ACTORS[actor] if actor is not None else "world",
                               kind, fmt % args if args else fmt))

    def _draw(self, sampler, slot: int) -> float:
        return sampler(self.u[slot], self.z[slot])

    def _after(self, hours: float, fn) -> None:
        if hours <= 0.0:
            fn(None)
        else:
            self.env.timeout(hours).callbacks.append(fn)

    # --- events and knowledge ----------------------------------------------------------------

    def emit(self, actor: int, event: str, extra: tuple = ()) -> None:
        """``event`` happens now, caused by ``actor``; others observe it after their delays."""
        if event in self.happened:
            return
        self.happened[event] = self.env.now
        if self.trace is not None:
            self._log(actor, "acts", event + "".join(f" ({k}={v:g})" for k, v in extra))
        if self.closed:
            return
        self._world(event)
        facts = ((event, 1.0),) + extra
        for name, value in facts:
            self.learn(actor, name, value, None)
        c = self.c
        cares = c.observers.get(event, _NOBODY)
        slot = c.detection_slot[event]
        for o in range(len(ACTORS)):
            if o == actor or (self.trace is None and not cares[o]):
                continue
            delay = self._draw(c.detection[o], slot + o)
            must = o == JAPAN and event in ATTACKS_ON_JAPAN
            self._after(delay, partial(self._observe, o, facts, must))

    def _observe(self, o: int, facts: tuple, must: bool, _ev) -> None:
        if self.closed and not must:
            return
        for name, value in facts:
            self.learn(o, name, value, "observes")

    def learn(self, o: int, name: str, value: float, how: str | None) -> None:
        k = self.know[o]
        if k.get(name) == value:
            return
        k[name] = value
        if how is not None:
            self._log(o, how, "%s = %g" if value != 1.0 else "%s", *(
                (name, value) if value != 1.0 else (name,)))
        if o == JAPAN:
            w = self.weights.get(name)
            if w:  # jp-three-conditions: threats to Japan's survival add up
                self.learn(JAPAN, "survival_score", k["survival_score"] + w * value, None)
            if name in ATTACKS_ON_JAPAN:
                self._japan_attacked()
        elif o == TAIWAN and name in US_POSTURE_OF_EVENT:
            help_ = US_POSTURE_OF_EVENT[name] / 3.0
            if help_ > k["help_expected"]:
                self.learn(TAIWAN, "help_expected", help_, None)
        if self.closed:
            return
        for ri in self.c.watch[o].get(name, ()):
            self._consider(ri)

    # --- rules -------------------------------------------------------------------------------

    def _consider(self, ri: int) -> None:
        if self.state[ri] != IDLE or self.closed:
            return
        r = self.c.rules[ri]
        if not r.when.fn(self.know[r.actor]):
            return
        self.state[ri] = DELIBERATING
        delay = r.delay(self.u[r.delay_slot], self.z[r.delay_slot])
        if self.trace is not None:
            self._log(r.actor, "deliberates", f"{r.rid}: {r.when.text} -> {r.action} "
                      f"(decides in {delay:.1f} h)")
        self._after(delay, partial(self._decide, ri))

    def _decide(self, ri: int, _ev) -> None:
        if self.closed:
            return
        r = self.c.rules[ri]
        self.state[ri] = DONE
        prob = r.prob
        if isinstance(prob, str):
            p = self.p[prob]
        elif isinstance(prob, float):
            p = prob
        else:
            p = prob.fn(self.know[r.actor])
            if p != p:  # NaN (e.g. 0 * inf): clamping would quietly turn it into "never"
                raise ModelError(f"rule {r.rid}: probability expression gave NaN at hour "
                                 f"{self.env.now:g}")
            p = min(1.0, max(0.0, p))
        if self.u[r.prob_slot] < p:
            self._log(r.actor, "decides", "%s: %s (p=%.2f)", r.rid, r.action, p)
            if self._act(r, r.action) is False:
                # The law, not the actor, said no: the rule may be taken up again when what
                # the actor knows changes.
                self.state[ri] = IDLE
        elif r.otherwise:
            self._log(r.actor, "decides", "%s: %s instead of %s (p=%.2f)", r.rid, r.otherwise,
                      r.action, p)
            self._act(r, r.otherwise)
        else:
            self._log(r.actor, "declines", "%s: %s (p=%.2f)", r.rid, r.action, p)

    def _act(self, r, action: str) -> bool | None:
        """Carry out ``action``; False means the law did not allow it now."""
        a = r.actor
        if action == "send" or (a == PRC and action == "threaten_japan"):
            self._send(r)
        elif a == US and action == "combat":
            self._us_combat()
        elif a == US and action == "escort":
            self._us_escort()
        elif a == JAPAN and action in _LEVEL_OF_ACTION:
            self._japan_declare(_LEVEL_OF_ACTION[action])
        elif a == JAPAN and action == "declare_survival_threatening":
            return self._japan_survival_threatening()
        elif a == JAPAN and action == "declare_armed_attack":
            if not any(e in self.know[JAPAN] for e in ATTACKS_ON_JAPAN):
                self._log(a, "declines", "declare_armed_attack: no attack on Japan known")
                return False
            self._japan_recognise_attack(None)
        elif a == PRC and action == "seize_island":
            # tra-definition: whether the TRA covers the seized island travels with the news
            self.emit(PRC, "island_seized", (("tra_covered_attack", self.c.tra_covered_target),))
        else:
            for event in ACTIONS[ACTORS[a]][action]:
                self.emit(a, event)
            if a == US and action == "signal":
                self._raise_posture(1)

    # --- communication -----------------------------------------------------------------------

    def _send(self, r) -> None:
        c, src, message = self.c, r.actor, r.message
        for j, dst in enumerate(r.to):
            slot = r.msg_slot + HOP_SLOTS * j
            channels, relayed = c.routes[src][dst]
            hours = self._draw(c.channels[channels[0]], slot)
            if relayed:
                if self.trace is not None or message in c.relevant[US]:
                    # the broker reads what it relays, as soon as it reaches Washington
                    self._after(hours, partial(self._relay_seen, src, message))
                # aspi-no-trilateral-channel: Washington relays, adding its own delay
                hours += self._draw(c.channels[channels[1]], slot + 1)
                hours += self._draw(c.broker, slot + 2)
            self._log(src, "sends", "%s to %s%s (arrives in %.1f h)", message, ACTORS[dst],
                      " via washington" if relayed else "", hours)
            self._after(hours, partial(self._deliver, src, dst, message, self.env.now))

    def _relay_seen(self, src: int, message: str, _ev) -> None:
        if not self.closed:
            self.learn(US, message, 1.0, f"relays for {ACTORS[src]}:")

    def _deliver(self, src: int, dst: int, message: str, sent: float, _ev) -> None:
        if self.closed:
            return
        if self.tt_first is None and {src, dst} == {JAPAN, TAIWAN}:
            self.tt_first = self.env.now
            self.tt_latency = self.env.now - sent
        self.learn(dst, message, 1.0, f"told by {ACTORS[src]}:")

    # --- the United States -------------------------------------------------------------------

    def _raise_posture(self, level: int) -> None:
        if level > self.know[US]["posture"]:
            self.learn(US, "posture", float(level), None)

    def _us_combat(self) -> None:
        if "us_combat_decided" in self.happened:
            return
        self._raise_posture(3)
        self.emit(US, "us_combat_decided")
        # csis-four-conditions: forces flying from Japan engage sooner than from farther away
        with_bases = self.know[US].get("japan_base_use_granted", 0.0) > 0
        hours = self.p["us.arrival_with_bases" if with_bases else "us.arrival_without_bases"]
        self._after(hours, self._us_engage)

    def _us_engage(self, _ev) -> None:
        if self.closed:
            return
        self.emit(US, "us_combat")
        if self.p["us.congress_support"] < 0.5:  # wpr-clock: 60 days + 30 to withdraw
            self._after(self.p["us.war_powers_days"] * 24.0, self._us_withdraw)

    def _us_withdraw(self, _ev) -> None:
        if not self.closed:
            self.emit(US, "us_forces_withdrawn")

    def _us_escort(self) -> None:
        if "us_escort" in self.happened:
            return
        self._raise_posture(2)
        self.emit(US, "us_escort")
        # csis-convoy-limits: convoys need days of sailing before the first one arrives
        self._after(self.p["inbound.convoy_transit_hours"],
                    lambda _e: None if self.closed else self.emit(US, "convoys_arriving"))

    # --- Japan -------------------------------------------------------------------------------

    def _japan_declare(self, level: int) -> None:
        """Move up Japan's legal ladder (jp-situation-ladder); it never steps down."""
        if level <= self.know[JAPAN]["level"]:
            self._log(JAPAN, "declines", "%s: already at %s", JAPAN_LEVELS[level],
                      JAPAN_LEVELS[int(self.know[JAPAN]["level"])])
            return
        self.japan_level_hours.setdefault(level, self.env.now)
        self.learn(JAPAN, "level", float(level), None)  # before the news, which rules react to
        self.emit(JAPAN, "japan_" + JAPAN_LEVELS[level])

    def _japan_survival_threatening(self) -> bool | None:
        k = self.know[JAPAN]
        if k["level"] >= 3 or "diet" in self.pending:
            return None
        # jp-three-conditions: the Cabinet may only find a survival-threatening situation when
        # the threat to Japan's survival is judged clear; here, when the score has reached the
        # replication's threshold.
        if k["survival_score"] < k["survival_threshold"]:
            self._log(JAPAN, "declines", "survival_threatening: score %.2f below threshold %.2f",
                      k["survival_score"], k["survival_threshold"])
            return False
        self.pending.add("diet")
        score = k["survival_score"]
        # jp-diet-prior-approval: no use of force before the Diet approves
        self._log(JAPAN, "asks", "Diet for prior approval of a survival-threatening situation")
        self._after(self.p["japan.diet_hours"], partial(self._diet_decides, score))

    def _diet_decides(self, score: float, _ev) -> None:
        self.pending.discard("diet")
        if self.closed or self.know[JAPAN]["level"] >= 3:
            return
        if self.p["japan.diet_u"] < self.p["japan.diet_p"]:
            self.japan_score_at_st = score
            self.japan_level_hours.setdefault(3, self.env.now)
            self.learn(JAPAN, "level", 3.0, None)
            self.emit(JAPAN, "japan_survival_threatening")
        else:
            self.emit(JAPAN, "japan_diet_rejected")

    def _japan_attacked(self) -> None:
        """An attack on Japan -- U.S. bases included -- starts the armed-attack recognition.

        This is not a discretionary rule: aspi-bases-struck-self-defense and csis-japan-base-case
        both have Tokyo act in self-defense once its territory or U.S. bases there are struck.
        """
        if self.know[JAPAN]["level"] >= 4 or "armed_attack" in self.pending:
            return
        self.pending.add("armed_attack")
        self._after(self.p["japan.recognition_hours"], self._japan_recognise_attack)

    def _japan_recognise_attack(self, _ev) -> None:
        self.pending.discard("armed_attack")
        if self.know[JAPAN]["level"] >= 4:
            return
        self.japan_level_hours.setdefault(4, self.env.now)
        self.know[JAPAN]["level"] = 4.0
        # jp-diet-prior-approval: an armed attack allows the Diet to approve after the fact
        self.emit(JAPAN, "japan_armed_attack")
        for ri in self.c.watch[JAPAN].get("level", ()):
            self._consider(ri)
        # jp-prior-consultation: operations to defend Japan (Article V) need no prior consultation
        if not self.closed and "japan_base_use_granted" not in self.happened:
            self._log(JAPAN, "decides", "base use for the defense of Japan (Article V)")
            self.emit(JAPAN, "japan_base_use_granted")

    # --- the world: physics and adjudication -------------------------------------------------

    def _world(self, event: str) -> None:
        h = self.happened
        if event in ("quarantine_enforced", "military_blockade", "invasion", "blockade_lifted",
                     "convoys_arriving", "us_forces_withdrawn"):
            self._restock()
        if event == "invasion":
            self._after(self.p["invasion.window_days"] * 24.0,
                        partial(self._judge_invasion, self.env.now))
        elif event == "island_seized":
            self._after(self.p["islands.window_days"] * 24.0, self._judge_island)
        elif event == "convoys_arriving":
            self._after(self.p["blockade.break_after_escort_days"] * 24.0, self._judge_blockade)
        elif event == "blockade_lifted":
            if "invasion" not in h:
                self.finish("blockade_lifted")
        elif event == "taiwan_capitulated":
            self.finish("capitulation")
        elif event == "prc_stood_down":
            # Standing down ends a crisis still below the armed-conflict line; once it has
            # escalated, that family's judgement decides (a blockade is ended by lifting it).
            if not self._escalated():
                self.finish("de_escalated")
        elif event == "japan_base_use_granted":
            self.base_use = "granted"
            if "us_combat" in h:
                self.emit(US, "us_combat_from_japan")
        elif event == "japan_base_use_denied":
            if self.base_use != "granted":
                self.base_use = "denied"
        elif event == "us_combat":
            if "japan_base_use_granted" in h:
                self.emit(US, "us_combat_from_japan")

    def _inbound_share(self) -> float:
        """Share of normal energy imports reaching Taiwan now (tw-energy-imports: ~all energy
        is imported, so what does not arrive comes out of stocks)."""
        h, p = self.happened, self.p
        share = 1.0
        if "blockade_lifted" not in h or "invasion" in h:
            if "quarantine_enforced" in h:
                share = min(share, p["inbound.quarantine"])
            if "military_blockade" in h or "invasion" in h:
                share = min(share, p["inbound.military_blockade"])
        if "convoys_arriving" in h and "us_forces_withdrawn" not in h:
            share = max(share, p["inbound.escorted"])
        return share

    def _restock(self) -> None:
        """Bring stocks up to now and schedule when each runs out at the new rate, instead of
        ticking day by day."""
        now = self.env.now
        used_days = self.stock_rate * (now - self.stock_t) / 24.0
        self.stock = [max(0.0, s - used_days) for s in self.stock]
        self.stock_t = now
        self.stock_rate = 1.0 - self._inbound_share()
        self.stock_version += 1
        if self.stock_rate <= 0.0:
            return
        for key, i, fact in _STOCK_FACTS:
            if fact in self.stock_done:
                continue
            floor = self.p["stocks.oil_legal_minimum"] if key == "oil_min" else 0.0
            hours = max(0.0, (self.stock[i] - floor) / self.stock_rate * 24.0)
            self._after(hours, partial(self._stock_out, self.stock_version, fact))

    def _stock_out(self, version: int, fact: str, _ev) -> None:
        if self.closed or version != self.stock_version or fact in self.stock_done:
            return
        self.stock_done.add(fact)
        self.emit(TAIWAN, fact)

    def stocks_at(self, hours: float) -> list[float]:
        used = self.stock_rate * (hours - self.stock_t) / 24.0
        return [max(0.0, s - used) for s in self.stock]

    def _judge_invasion(self, landed: float, _ev) -> None:
        """csis-four-conditions: Taiwan's ground defence, quick U.S. entry, U.S. use of bases in
        Japan and mass standoff strikes decide an invasion. A weighted score stands for them;
        the weights and cut-offs are scenario assumptions."""
        if self.closed:
            return
        h, p = self.happened, self.p
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
        score = (p["invasion.weight_resistance"] * resistance
                 + p["invasion.weight_us_timely"] * us_timely
                 + p["invasion.weight_japan_bases"] * bases
                 + p["invasion.weight_standoff"] * standoff)
        self.invasion_score = score
        if score >= p["invasion.repel_at"]:
            self.finish("repelled")
        elif score >= p["invasion.stalemate_at"]:
            self.finish("stalemate")
        else:
            self.finish("taiwan_fell")

    def _judge_island(self, _ev) -> None:
        """An island stays taken unless the U.S. fights for it (aspi-islands-diplomatic-minimum:
        the floor of the U.S. answer is diplomatic); a wider war is judged as an invasion."""
        if self.closed or "invasion" in self.happened:
            return
        h = self.happened
        if "us_combat" in h and "us_forces_withdrawn" not in h:
            self.finish("island_returned")
        else:
            self.finish("fait_accompli")

    def _judge_blockade(self, _ev) -> None:
        """Escorted convoys that keep running without a war break the blockade
        (aspi-blockade-months: the question is whether goods keep flowing)."""
        if self.closed or "invasion" in self.happened or "us_forces_withdrawn" in self.happened:
            return
        self.finish("blockade_broken")
