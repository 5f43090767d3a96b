"""The engine of a replication: time, world events, what each actor knows, rules, channels.

The world records when each event first happens. Every actor learns of an event only through an
observation (after its own detection delay) or a message (after the channel's latency); its rules
read only what it has learned. Messages and observations are plain SimPy timeouts with callbacks,
not processes, which keeps a replication to a few dozen cheap events (the project's measured
SimPy costs are in shared/reference/performance.md beside the repository).

The engine knows nothing of law, fuel or battles: those are processes (``sim.model.processes``)
that register for the events, actions and facts they care about and fill their own columns.
Seed rules cited in comments are claim ids in ``seeds/claims.yaml``.
"""

from __future__ import annotations

import math
from functools import partial
from heapq import heappop, heappush
from itertools import count

import simpy
from simpy.events import NORMAL as _NORMAL

from sim.errors import ModelError
from sim.model import streams
from sim.model.clock import WeeklyClock
from sim.model.compiled import HOP_SLOTS, Compiled
from sim.model.vocab import (ACTIONS, ACTORS, ESCALATION_EVENTS, JAPAN_LEVEL_OF_EVENT,
                             US_POSTURE_OF_EVENT)

PRC, US, JAPAN, TAIWAN = range(4)
IDLE, DELIBERATING, DONE, WAITING = 0, 1, 2, 3
_NOBODY = (False,) * len(ACTORS)
_TOLD_BY = tuple(f"told by {a}:" for a in ACTORS)  # how a message's facts are learned (trace)
# What the PRC makes of an event it observes: fact -> (derived name, the level it shows).
_PRC_SEES = {**{e: ("us_posture_seen", float(v)) for e, v in US_POSTURE_OF_EVENT.items()},
             **{e: ("japan_level_seen", v) for e, v in JAPAN_LEVEL_OF_EVENT.items()}}


class Engine:
    """State of one run. Created, run once, then read into a row."""

    def __init__(self, c: Compiled, u, z, trace: list | None, rkey: int):
        # u, z: each named slot's first uniform and normal; rkey: the replication's stream key
        self.c, self.u, self.z, self.trace, self.rkey = c, u, z, trace, rkey
        self.env = _Environment()
        self.p = dict(c.fixed_params)
        for name, f, s in c.drawn_scalars:
            self.p[name] = f(u[s], z[s])
        p = self.p
        # What each actor knows from the start (_start_knowledge): copies of the scenario's
        # table, with this replication's draws put in.
        table, drawn = c.per_scenario.get("engine.know") or _start_knowledge(c)
        self.know = know = [k.copy() for k in table]
        for ai, name, param in drawn:
            know[ai][name] = p[param]
        n = len(c.rules)
        self.state = [IDLE] * n
        self.gen = [0] * n        # deliberations begun (a stale decision is ignored)
        self.tries = [0] * n      # draws taken from the rule's delay or hazard stream
        self.decisions = [0] * n  # decisions taken (draws of its decision stream)
        self.refused = [0] * n    # of those, refused by the law (not counted against repeat)
        self.hz: dict[int, list] = {}  # hazard rules: [Exp(1) draw, cumulative, since, rate]
        self.happened: dict[str, float] = {}
        self.closed = False
        self.outcome: str | None = None
        self.end_hours: float | None = None
        self.end_event = self.env.event()
        self.tt_first: float | None = None
        self.tt_latency: float | None = None
        self.horizon = lambda: "ongoing"  # the outcome if nothing decides before the horizon
        # Hooks that processes register: event -> [fn(event)], (actor, action) -> fn(rule,
        # action) returning False when the law forbids it now, per actor: fact -> [fn(name,
        # value)].
        self.event_hooks: dict[str, list] = {}
        self.action_hooks: dict[tuple[int, str], object] = {}
        self.learn_hooks: list[dict[str, list]] = [{} for _ in ACTORS]
        self.pending: list[dict[str, list]] = [{} for _ in ACTORS]  # fact -> readings it fixes
        # What a process offers a sender to put in a message: name -> fn() (SENDER_STATE).
        self.state_of: list[dict] = [{} for _ in ACTORS]
        self.sends: dict[tuple[int, int], int] = {}  # (rule, recipient) -> sends over faults
        self.state_of[TAIWAN]["stocks_days"] = lambda: p["stocks.coal"]  # no blockade process
        self.capacity: dict[str, float] = {}  # what processes offer others: name -> amount
        self.weekly = WeeklyClock(self)  # one timeout a week for every weekly step (clock.py)
        self.processes = [cls(self) for cls in c.processes]

    # --- hooks for processes ----------------------------------------------------------------

    def on_event(self, events, fn) -> None:
        for e in events:
            self.event_hooks.setdefault(e, []).append(fn)

    def on_action(self, actor: int, action: str, fn) -> None:
        self.action_hooks[(actor, action)] = fn

    def on_learn(self, actor: int, names, fn) -> None:
        for n in names:
            self.learn_hooks[actor].setdefault(n, []).append(fn)

    # --- running -----------------------------------------------------------------------------

    def run(self) -> None:
        # the horizon, scheduled as env.timeout(horizon) would be (same place in the queue)
        self.after(self.c.horizon_hours, lambda _e: self.finish(self.horizon()))
        rules, state = self.c.rules, self.state
        for ai in range(len(ACTORS)):
            k = self.know[ai]
            for ri in self.c.start_rules[ai]:
                # most conditions are false at the start: read here without the call to
                # _consider (NaN is truthy: it goes on to _consider, which raises)
                if state[ri] == IDLE and not rules[ri].when.fn(k):
                    continue
                self._consider(ri)
        self._run_events(self.end_event)
        # The crisis is decided. No one starts anything new, but a legal process already set
        # off by an attack on Japan completes (aspi-bases-struck-self-defense): drain the queue.
        self.closed = True
        self._run_events(None)

    def _run_events(self, until) -> None:
        """``env.run(until=until)`` (``until`` None: until the queue is empty) with SimPy's
        ``step`` inlined: the same events in the same order, without a method call and a
        ``try`` per event. The engine's events are timeouts and callbacks that never fail; one
        that did would raise here as SimPy would raise it."""
        env = self.env
        queue = env._queue
        while queue:
            env._now, _, _, event = heappop(queue)
            if event.__class__ is _Call:  # most events (Engine.after): one call, never fails
                event(event)
                continue
            callbacks, event.callbacks = event.callbacks, None
            for callback in callbacks:
                callback(event)
            if not event._ok:
                raise event._value
            if event is until:
                return
        if until is not None:  # as SimPy: the queue ran dry before the crisis was decided
            raise RuntimeError("no scheduled events left but the crisis was not decided")

    def escalated(self) -> bool:
        return any(e in self.happened for e in ESCALATION_EVENTS)

    def finish(self, outcome: str) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.end_hours = self.env.now
            self.log(None, "ends", "outcome: %s", outcome)
            self.end_event.succeed()

    def log(self, actor, kind: str, fmt: str, *args) -> None:
        """Add a trace record; formatting is lazy so untraced runs pay only the call."""
        if self.trace is not None:
            self.trace.append((self.env.now, ACTORS[actor] if actor is not None else "world",
                               kind, fmt % args if args else fmt))

    def draw(self, sampler, slot: int) -> float:
        return sampler(self.u[slot], self.z[slot])

    def draw_named(self, sampler, name: str, j: int = 0) -> float:
        """Draw ``j`` of stream ``name``, computed on demand (``sim.model.streams``)."""
        return sampler(*streams.draw(self.rkey, streams.name_key(name, j)))

    def uniform_named(self, name: str, j: int = 0) -> float:
        """The uniform of draw ``j`` of stream ``name`` (``draw_named``'s, without the normal)."""
        return streams.uniform(self.rkey, streams.name_key(name, j))

    def after(self, hours: float, fn, *args) -> None:
        """Call ``fn(*args, event)`` in ``hours`` (now, with event None, if not positive).
        Pushed straight onto SimPy's queue as ``Environment.schedule`` would push a timeout
        (same time, priority and event id, so the same order), without the cost of building a
        ``Timeout``."""
        if hours <= 0.0:
            fn(*args, None)
        else:
            env = self.env
            heappush(env._queue, (env._now + hours, _NORMAL, next(env._eid), _Call(fn, *args)))

    def after_open(self, hours: float, fn, *args) -> None:
        """``after`` for a callback that does nothing once the crisis is closed: not scheduled
        if it would come after the horizon (by then the crisis is closed), which saves a
        timeout and its pop when the queue drains (most of a blockade's hazard re-reads)."""
        env = self.env
        if env._now + hours <= self.c.horizon_hours:
            if hours <= 0.0:  # self.after(hours, fn, *args), inlined
                fn(*args, None)
            else:
                heappush(env._queue, (env._now + hours, _NORMAL, next(env._eid),
                                      _Call(fn, *args)))

    # --- events and knowledge ----------------------------------------------------------------

    def emit(self, actor: int, event: str, extra: tuple = ()) -> None:
        """``event`` happens now, caused by ``actor``; others observe it after their delays."""
        if event in self.happened:
            return
        self.happened[event] = self.env._now
        if self.trace is not None:
            self.log(actor, "acts", event + "".join(f" ({k}={v:g})" for k, v in extra))
        if self.closed:
            return
        for fn in self.event_hooks.get(event, ()):
            fn(event)
        facts = ((event, 1.0),) + extra
        for name, value in facts:
            self.learn(actor, name, value, None)
        c = self.c
        key = (event, self.trace is not None)
        plan = c.observe_plan.get(key)
        if plan is None:
            plan = c.observe_plan[key] = _observe_plan(c, event, key[1])
        u, z, env = self.u, self.z, self.env
        for o, s, sampler, must, rd in plan:
            if o == actor:
                continue
            delay = (sampler(u[s], z[s]) if s >= 0 else
                     self.draw_named(sampler, f"detect/{event}/{ACTORS[o]}"))
            if rd is not None:
                self.after(delay, self._perceive, o, event, facts, rd, must)
            elif delay <= 0.0:  # self.after(delay, self._observe, ...), inlined (hot path)
                self._observe(o, facts, must, None)
            else:
                heappush(env._queue, (env._now + delay, _NORMAL, next(env._eid),
                                      _Call(self._observe, o, facts, must)))

    def _observe(self, o: int, facts: tuple, must: bool, _ev) -> None:
        if self.closed and not must:
            return
        for name, value in facts:
            self.learn(o, name, value, "observes")

    # --- perception: an event taken for another until an indicator sets it right -------------
    #
    # csis-invasion-timeline: preparations are visible well before the warning is unambiguous;
    # aspi-blockade-likely: exercises rehearse a blockade, so one can pass for the other. The
    # observer believes ``read_as`` happened; once it learns a fact in ``until`` (or the reading
    # clears after a drawn time) it knows the true event and forgets the imagined one.

    def _perceive(self, o: int, event: str, facts: tuple, rd, must: bool, _ev) -> None:
        if self.closed and not must:
            return
        p = self.draw_named(rd.probability, rd.stream + "/p")
        u = streams.uniform(self.rkey, streams.name_key(rd.stream))
        k = self.know[o]
        if u >= p or any(k.get(f) for f in rd.until):
            self._observe(o, facts, must, None)
            return
        self.log(o, "misreads", "%s as %s", event, rd.read_as)
        self.learn(o, rd.read_as, 1.0, "observes")
        fix = partial(self._set_right, o, event, facts, rd, must, [False])
        pending = self.pending[o]
        for f in rd.until:
            pending.setdefault(f, []).append(fix)
        if rd.clears is not None:
            self.after(self.draw_named(rd.clears, rd.stream + "/clears"), fix)

    def _set_right(self, o: int, event: str, facts: tuple, rd, must: bool, done: list,
                   _ev) -> None:
        if done[0] or (self.closed and not must):
            return
        done[0] = True
        self.log(o, "realises", "%s was %s", rd.read_as, event)
        for name, value in facts:
            self.learn(o, name, value, "observes")
        if rd.read_as not in self.happened:
            self.learn(o, rd.read_as, 0.0, "forgets")

    def learn(self, o: int, name: str, value: float, how: str | None,
              news: bool = False) -> None:
        """Actor ``o`` now knows ``name = value``; its rules that read it look again.
        ``news``: a message received again counts as a change even with the same value."""
        k = self.know[o]
        if k.get(name) == value:
            if news and not self.closed:
                self.log(o, how, "%s (again)", name)
                self.reconsider(o, name)
            return
        k[name] = value
        if how is not None and self.trace is not None:
            self.log(o, how, "%s = %g" if value != 1.0 else "%s", *(
                (name, value) if value != 1.0 else (name,)))
        hooks = self.learn_hooks[o].get(name)
        if hooks:
            for fn in hooks:
                fn(name, value)
        if value and self.pending[o]:
            fixes = self.pending[o].pop(name, None)
            if fixes:
                for fn in fixes:
                    fn(None)
        if o == TAIWAN and name in US_POSTURE_OF_EVENT:
            # Taiwan expects help in proportion to the U.S. posture it has seen.
            help_ = US_POSTURE_OF_EVENT[name] / 3.0
            if help_ > k["help_expected"]:
                self.learn(TAIWAN, "help_expected", help_, None)
        elif o == PRC and value and name in _PRC_SEES:
            # The PRC weighs the highest U.S. posture and Japanese level it has observed (never
            # the truth it has not seen): essay-alliance-credibility, its estimate of whether
            # the allies will honour their obligations rests on what they visibly do.
            seen, level = _PRC_SEES[name]
            if level > k[seen]:
                self.learn(PRC, seen, level, None)
        if self.closed:
            return
        watching = self.c.watch[o].get(name)  # reconsider(o, name), inlined: a weekly path
        if watching:
            # _consider's two commonest cases are written out here to save the call: an idle
            # rule whose condition is still false (the rules watching o's facts are o's, so
            # the condition reads k; NaN is truthy and goes on to _consider, which raises), and
            # a hazard rule deliberating, which re-reads its rate.
            state, rules = self.state, self.c.rules
            for ri in watching:
                st = state[ri]
                if st == IDLE:
                    if not rules[ri].when.fn(k):
                        continue
                elif st == DONE:
                    continue  # a decided rule would return at once
                elif st == DELIBERATING and rules[ri].hazard is not None:
                    self._hazard_update(ri)
                    continue
                self._consider(ri)

    def reconsider(self, o: int, name: str) -> None:
        """Rules of actor ``o`` that read ``name`` look again."""
        for ri in self.c.watch[o].get(name, ()):
            self._consider(ri)

    def raise_posture(self, level: int) -> None:
        if level > self.know[US]["posture"]:
            self.learn(US, "posture", float(level), None)

    # --- rules -------------------------------------------------------------------------------
    #
    # A rule is IDLE until its condition holds, then DELIBERATING (a delay, or for a hazard rule
    # the wait for its cumulative hazard to reach an Exp(1) draw), then decides. Afterwards it is
    # DONE, or WAITING to decide again (``repeat``). ``gen`` counts a rule's deliberations so that
    # a decision scheduled by an abandoned one is ignored; ``tries`` numbers the draws of its
    # delay (or Exp(1)) stream and ``decisions`` those of its decision stream, so a rule that
    # deliberates again reads fresh draws of its own streams and nobody else's.

    def _holds(self, r, k) -> bool:
        """Whether rule ``r``'s condition holds on knowledge ``k``. A condition that is bare
        arithmetic and gives NaN is an error, as a NaN probability is: NaN is truthy in Python,
        so it would otherwise quietly read as "holds"."""
        w = r.when.fn(k)
        if w != w:
            raise ModelError(f"rule {r.rid}: when expression {r.when.text!r} gave NaN at hour "
                             f"{self.env.now:g}")
        return bool(w)

    def _consider(self, ri: int) -> None:
        st = self.state[ri]
        if st == DONE or self.closed:
            return
        r = self.c.rules[ri]
        if st == DELIBERATING:
            if r.hazard is not None:
                self._hazard_update(ri)
            elif r.interruptible and not self._holds(r, self.know[r.actor]):
                self.state[ri] = IDLE
                self.gen[ri] += 1
                self.log(r.actor, "abandons", "%s: %s no longer holds", r.rid, r.when.text)
            return
        if st == WAITING and r.repeat_every_hours is not None:
            return  # a cadence rule looks again at its next review, not on every change
        k = self.know[r.actor]
        w = r.when.fn(k)  # self._holds(r, k), inlined: the commonest call of a replication
        if w != w:
            self._holds(r, k)  # raises, naming the rule
        if not w:
            return
        self.state[ri] = DELIBERATING
        self.gen[ri] += 1
        tries = self.tries[ri]
        self.tries[ri] = tries + 1
        if r.hazard is not None:
            self._hazard_start(ri, tries)
            return
        delay = (r.delay(self.u[r.delay_slot], self.z[r.delay_slot]) if tries == 0 else
                 self.draw_named(r.delay, r.stream + "/delay", tries))
        if self.trace is not None:
            self.log(r.actor, "deliberates", f"{r.rid}: {r.when.text} -> {r.action} "
                     f"(decides in {delay:.1f} h)")
        env = self.env  # self.after_open(delay, self._decide, ri, gen), inlined (hot path)
        if env._now + delay <= self.c.horizon_hours:
            if delay <= 0.0:
                self._decide(ri, self.gen[ri], None)
            else:
                heappush(env._queue, (env._now + delay, _NORMAL, next(env._eid),
                                      _Call(self._decide, ri, self.gen[ri])))

    def _decide(self, ri: int, gen: int, _ev) -> None:
        if self.closed or gen != self.gen[ri]:
            return
        r = self.c.rules[ri]
        self.state[ri] = DONE
        n = self.decisions[ri]
        self.decisions[ri] = n + 1
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
            p = p if p > 0.0 else 0.0  # min(1.0, max(0.0, p)) without the calls
            p = p if p < 1.0 else 1.0
        u = (self.u[r.prob_slot] if n == 0 else
             streams.uniform(self.rkey, streams.name_key(r.stream + "/decide", n)))
        acted = False
        traced = self.trace is not None  # untraced runs skip the log calls (hot path)
        if u < p:
            if traced:
                self.log(r.actor, "decides", "%s: %s (p=%.2f)", r.rid, r.action, p)
            if self.act(r, r.action) is False:
                # The law, not the actor, said no: the rule may be taken up again when what
                # the actor knows changes, and this does not count against its repeat limit.
                self.state[ri] = IDLE
                self.refused[ri] += 1
                return
            acted = True
        elif r.otherwise:
            if traced:
                self.log(r.actor, "decides", "%s: %s instead of %s (p=%.2f)", r.rid,
                         r.otherwise, r.action, p)
            self.act(r, r.otherwise)
        elif traced:
            self.log(r.actor, "declines", "%s: %s (p=%.2f)", r.rid, r.action, p)
        if r.repeat_limit:  # without repeat the rule is done (_after_decision would return)
            self._after_decision(ri, r, acted)

    def _after_decision(self, ri: int, r, acted: bool) -> None:
        """``repeat``: wait to decide again, on a change of what the rule reads or at its next
        review, unless its limit is reached (or it acted and may not repeat after acting)."""
        if self.state[ri] != DONE or self.decisions[ri] - self.refused[ri] > r.repeat_limit or (
                acted and not r.repeat_after_acting):
            return
        self.state[ri] = WAITING
        if r.repeat_every_hours is not None:
            self.after_open(r.repeat_every_hours, self._review, ri)

    def _review(self, ri: int, _ev) -> None:
        if self.closed or self.state[ri] != WAITING:
            return
        self.state[ri] = IDLE  # looks now, or as soon as its condition holds again
        self._consider(ri)

    # --- hazards -----------------------------------------------------------------------------
    #
    # The action comes at a rate read from what the actor knows (zero while the condition does
    # not hold), piecewise constant between changes of what it reads. One Exp(1) draw per firing
    # is compared with the cumulative hazard, so a higher rate fires earlier in every
    # replication and variants stay paired.

    def _hazard_rate(self, r) -> float:
        k = self.know[r.actor]
        w = r.when.fn(k)  # self._holds(r, k), inlined
        if w != w:
            self._holds(r, k)  # raises, naming the rule
        if not w:
            return 0.0
        h = r.hazard if isinstance(r.hazard, float) else r.hazard.fn(k)
        if not h >= 0.0:  # NaN or negative
            raise ModelError(f"rule {r.rid}: hazard_per_day gave {h!r} at hour "
                             f"{self.env.now:g}; a rate must be a number >= 0")
        return h

    def _hazard_start(self, ri: int, tries: int) -> None:
        r = self.c.rules[ri]
        u = (self.u[r.delay_slot] if tries == 0 else
             streams.uniform(self.rkey, streams.name_key(r.stream + "/hazard", tries)))
        self.hz[ri] = [-math.log1p(-u), 0.0, self.env.now, 0.0]  # E, H, t, rate per day
        self._hazard_update(ri)

    def _hazard_update(self, ri: int) -> None:
        """Bring the cumulative hazard up to now, re-read the rate, reschedule the firing.
        A blockade's weekly path (the PRC's costs wake three hazard rules a week), so
        ``_hazard_rate`` and ``after_open`` are written out here."""
        r = self.c.rules[ri]
        hz = self.hz[ri]
        env = self.env
        now = env._now
        hz[1] += hz[3] * (now - hz[2]) / 24.0
        hz[2] = now
        k = self.know[r.actor]
        w = r.when.fn(k)  # self._hazard_rate(r), inlined
        if w != w:
            self._holds(r, k)  # raises, naming the rule
        if w:
            h = r.hazard
            rate = h if isinstance(h, float) else h.fn(k)
            if not rate >= 0.0:  # NaN or negative
                self._hazard_rate(r)  # raises, naming the rule
        else:
            rate = 0.0
        if rate == hz[3] and rate > 0.0:
            return  # the rate did not change: the firing already scheduled stands
        hz[3] = rate
        self.gen[ri] = gen = self.gen[ri] + 1
        if rate > 0.0:
            hours = (hz[0] - hz[1]) / rate * 24.0
            hours = hours if hours > 0.0 else 0.0  # max(0.0, hours) without the call
            if self.trace is not None:
                self.log(r.actor, "deliberates", f"{r.rid}: {r.when.text} -> {r.action} "
                         f"(hazard {rate:.3g}/day; fires in {hours:.1f} h unless it changes)")
            if now + hours <= self.c.horizon_hours:  # self.after_open(hours, ...), inlined:
                # most re-reads fire past the horizon and schedule nothing
                if hours <= 0.0:
                    self._hazard_fire(ri, gen, None)
                else:
                    heappush(env._queue, (now + hours, _NORMAL, next(env._eid),
                                          _Call(self._hazard_fire, ri, gen)))

    def _hazard_fire(self, ri: int, gen: int, _ev) -> None:
        if self.closed or gen != self.gen[ri]:
            return
        r = self.c.rules[ri]
        self.state[ri] = DONE
        self.decisions[ri] += 1
        if self.trace is not None:
            self.log(r.actor, "decides", "%s: %s (hazard %.3g/day)", r.rid, r.action,
                     self.hz[ri][3])
        if self.act(r, r.action) is False:
            self.state[ri] = IDLE
            self.refused[ri] += 1
            return
        self._after_decision(ri, r, True)
        if self.state[ri] == WAITING and r.repeat_every_hours is None:
            self.state[ri] = IDLE  # a hazard that may fire again runs on at once
            self._consider(ri)

    def act(self, r, action: str) -> bool | None:
        """Carry out ``action``; False means the law did not allow it now."""
        a = r.actor
        if action == "send" or (a == PRC and action == "threaten_japan"):
            if action == "threaten_japan":
                # Beijing knows it has threatened Tokyo (and the threat may say so): its
                # follow-through rule reads this (aspi-prc-threat-over-bases)
                self.learn(PRC, "threatened_japan", 1.0, None)
            self._send(r)
            return None
        hook = self.action_hooks.get((a, action))
        if hook is not None:
            return hook(r, action)
        for event in ACTIONS[ACTORS[a]][action]:
            self.emit(a, event)
        if a == US and action == "signal":
            self.raise_posture(1)
        return None

    # --- communication -----------------------------------------------------------------------

    def _send(self, r, only: int | None = None, attempt: int = 0) -> None:
        """Send ``r``'s message to its recipients (or to ``only``, on a retry). Its fields are
        the sender's state now, so a late message carries stale values."""
        c, src, message = self.c, r.actor, r.message
        p_lat = self.p["comm.latency_factor"]
        facts: tuple = ()
        if r.fields:
            k = self.know[src]
            for name, fn in self.state_of[src].items():
                k[name] = fn()
            facts = tuple((name, float(e.fn(k))) for name, e in r.fields)
        for j, dst in enumerate(r.to):
            if only is not None and dst != only:
                continue
            slot = r.msg_slot + HOP_SLOTS * j
            channels, relayed = c.routes[src][dst]
            hops_ok = len(channels)
            faults = c.channel_faults  # a route is one hop, or two via the broker:
            if faults and (faults[channels[0]] is not None or  # any hop faulty? (no generator)
                           len(channels) > 1 and faults[channels[1]] is not None):
                fate = self._fate(r, dst, channels)
                if fate is None:  # refused: the sender knows, and may try again
                    self.log(src, "sends", "%s to %s: refused (channel down)", message,
                             ACTORS[dst])
                    if attempt < r.retry_attempts:
                        wait = self.draw_named(r.retry_after, f"{r.stream}/retry", attempt)
                        self.after_open(wait, self._retry, r, dst, attempt + 1)
                    continue
                hops_ok = fate
            # communication.latency_factor scales every hop and the broker's delay (the draws
            # are self.draw(sampler, slot), written out)
            u, z = self.u, self.z
            hours = c.channels[channels[0]](u[slot], z[slot]) * p_lat
            if relayed:
                if hops_ok >= 1 and (self.trace is not None or message in c.us_reads):
                    # the broker reads what it relays, as soon as it reaches Washington
                    self.after_open(hours, self._relay_seen, src, message, facts)
                # aspi-no-trilateral-channel: Washington relays, adding its own delay
                hours += (c.channels[channels[1]](u[slot + 1], z[slot + 1])
                          + c.broker(u[slot + 2], z[slot + 2])) * p_lat
            if hops_ok < len(channels):
                self.log(src, "sends", "%s to %s: lost on the way", message, ACTORS[dst])
                continue
            if self.trace is not None:
                self.log(src, "sends", "%s to %s%s (arrives in %.1f h)", message, ACTORS[dst],
                         " via washington" if relayed else "", hours)
            self.after_open(hours, self._deliver, src, dst, message, self.env.now, facts)

    def _fate(self, r, dst: int, channels: tuple) -> int | None:
        """None if a channel on the route refuses (cut, or unavailable); else the number of
        hops the message survives (fewer than the route's if it is lost). Draw ``n`` of the
        rule's streams '<rule>/to/<dst>/up/<channel>' and '/lost/<channel>' for its ``n``-th
        send."""
        n = self.sends.get((r.index, dst), 0)
        self.sends[(r.index, dst)] = n + 1
        base = f"{r.stream}/to/{ACTORS[dst]}"
        names = self.c.channel_names
        for ch in channels:
            fault = self.c.channel_faults[ch]
            if fault is not None and (
                    any(e in self.happened for e in fault[2]) or
                    self.uniform_named(f"{base}/up/{names[ch]}", n) >= self.draw_named(
                        fault[0], f"{base}/availability/{names[ch]}", n)):
                return None
        for h, ch in enumerate(channels):
            fault = self.c.channel_faults[ch]
            if fault is not None and self.uniform_named(f"{base}/lost/{names[ch]}", n) < \
                    self.draw_named(fault[1], f"{base}/loss/{names[ch]}", n):
                return h
        return len(channels)

    def _retry(self, r, dst: int, attempt: int, _ev) -> None:
        if not self.closed:
            self._send(r, dst, attempt)

    def _relay_seen(self, src: int, message: str, facts: tuple, _ev) -> None:
        if not self.closed:
            how = f"relays for {ACTORS[src]}:"
            for name, value in facts:
                self.learn(US, name, value, how)
            # logged even when Washington already had the message (Tokyo may tell it directly
            # too): the timeline draws the relay from this record
            self.log(US, how, message)
            self.learn(US, message, 1.0, None)

    def _deliver(self, src: int, dst: int, message: str, sent: float, facts: tuple,
                 _ev) -> None:
        if self.closed:
            return
        if self.tt_first is None and (src == JAPAN and dst == TAIWAN or
                                      src == TAIWAN and dst == JAPAN):
            self.tt_first = self.env.now
            self.tt_latency = self.env.now - sent
        how = _TOLD_BY[src]
        for name, value in facts:  # the content first: rules woken by the message read it
            self.learn(dst, name, value, how)
        self.learn(dst, message, 1.0, how, news=True)


def _start_knowledge(c: Compiled) -> tuple:
    """What each actor knows at hour 0, the same for every replication of ``c`` but for its
    draws: ``(per actor a dict, ((actor, name, parameter drawn per replication), ...))``, kept
    in ``c.per_scenario``. The Engine copies the dicts and puts the draws in (the keys in the
    same order whatever the draws)."""
    know = [{"start": 1.0} for _ in ACTORS]
    source: dict[tuple[int, str], str] = {}  # (actor, name) -> the parameter it is read from
    # What each actor knows of itself from the start (its draws of resolve, will, ...).
    # Not how Congress will vote: only what the President expects, until the vote (us_legal).
    source[US, "resolve"] = "us.resolve"
    source[US, "congress_expected"] = "us.congress_expected"
    know[US].update(resolve=None, congress_expected=None, posture=0.0)
    source[TAIWAN, "will_to_resist"] = "taiwan.will_to_resist"
    know[TAIWAN].update(will_to_resist=None, help_expected=0.0, power_shortfall=0.0,
                        shortfall_months=0.0)
    # What the PRC has seen of its adversaries and of its own costs (prc_costs keeps the
    # last two current); nothing at the start.
    know[PRC].update(us_posture_seen=0.0, japan_level_seen=0.0, threatened_japan=0.0,
                     costs=0.0, days=0.0)
    for ai, names in enumerate(c.var_names):
        for n in names:
            know[ai][n] = None
            source[ai, n] = f"var.{ACTORS[ai]}.{n}"
    drawn = []
    for (ai, name), param in source.items():
        if param in c.drawn_names:
            drawn.append((ai, name, param))
        else:
            know[ai][name] = c.fixed_params[param]
    out = c.per_scenario["engine.know"] = (tuple(know), tuple(drawn))
    return out


def _observe_plan(c: Compiled, event: str, traced: bool) -> tuple:
    """Who observes ``event`` and how, the same in every replication of ``c``: per observer
    (all of them in a traced run, else those whose rules it matters to), ``(observer, slot,
    delay sampler, observed even after the end?, misreading or None)``."""
    cares = c.observers.get(event, _NOBODY)
    return tuple((o, c.detection_slot[event][o], c.detection[event][o],
                  event in c.must_observe[o],
                  c.readings.get((event, o)) if c.readings else None)
                 for o in range(len(ACTORS)) if traced or cares[o])


class _Environment(simpy.Environment):
    """SimPy's environment without its per-instance binding of event classes
    (``BoundClass.bind_early``, most of the cost of making one): the engine pushes its own
    events (``Engine.after``) and asks SimPy for two a replication, which the class attributes
    still give. The state set here is ``simpy.Environment.__init__``'s (SimPy 4.1), at time 0."""

    def __init__(self):
        self._now = 0
        self._queue = []
        self._eid = count()
        self._active_proc = None


class _CallsItself:
    """``_Call.callbacks`` as SimPy's own ``step`` reads it: a list holding the event itself.
    (SimPy then sets ``callbacks`` to None on the event, which this descriptor allows.)"""

    def __get__(self, event, _cls=None):
        return self if event is None else [event]


class _Call(partial):
    """A scheduled call for ``Engine.after``: ``_Call(fn, *args)`` pushed as a timeout calls
    ``fn(*args, event)``. One object per event (a ``partial``, built in C, no ``__init__``).
    The engine's loop calls it directly; for SimPy's own ``step`` (``env.run()``, as some tests
    drive the engine) it also has what ``step`` reads of an event, ``callbacks`` and ``_ok``."""

    _ok = True
    callbacks = _CallsItself()
