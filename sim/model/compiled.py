"""A validated scenario turned into fast, immutable structures, built once per worker.

Every random quantity has a *named slot*: a per-replication parameter (``param/us.resolve``), a
rule's delay or decision (``rule/us.protest/delay``), one observer's delay in seeing one event
(``detect/invasion/japan``), one hop of a rule's message to one recipient
(``rule/taiwan.contact_tokyo/to/japan/0``). A slot's draws depend on the root seed, the
replication and the slot's name only (``sim.model.streams``), never on where the slot sits, so
inserting, removing or reordering rules, variables or processes leaves every other draw as it was
(common random numbers across variants), and a stream can draw again (``#1``, ``#2`` ...) when a
rule decides again. Slots are allocated only for what an untraced replication may use: enabled
rules, and observers whose rules read an event; anything else is drawn on demand by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.dists import Sampler, make_sampler
from sim.config.expr import Expr, ExprError, parse_expr
from sim.errors import ScenarioError
from sim.model.streams import slot_keys
from sim.model.vocab import BASE_STRIKE_EVENTS
from sim.model.vocab import (ACTIONS, ACTORS, ATTACKS_ON_JAPAN, BROKER, BUILTIN_MESSAGES, CAPITAL,
                             DERIVED, DETECTION_KINDS, EVENT_KIND, EVENT_VALUES, EVENTS,
                             JAPAN_LEVEL_OF_EVENT, SENDER_STATE, TRA_COVERED, US_POSTURE_OF_EVENT,
                             VALUE_FACTS)

HOP_SLOTS = 3  # per message recipient: first hop, second hop (if relayed), broker delay


@dataclass(frozen=True)
class CRule:
    """A compiled decision rule."""

    index: int
    actor: int
    rid: str
    stream: str  # name prefix of its random streams: 'rule/<actor>.<rid>'
    when: Expr
    action: str
    otherwise: str | None
    delay: Sampler
    delay_slot: int
    prob: Any  # Expr or float
    prob_slot: int
    message: str | None
    to: tuple[int, ...]
    msg_slot: int  # first of HOP_SLOTS slots per recipient, in the order of ``to``
    interruptible: bool = False  # abandon a deliberation when ``when`` stops holding
    repeat_limit: int = 0        # further decisions allowed after the first
    repeat_every_hours: float | None = None  # cadence; None: on a change of what it reads
    repeat_after_acting: bool = False
    hazard: Any = None  # Expr or float: the action comes at this rate per day (None: probability)
    fields: tuple = ()  # (fact name '<message>.<field>', Expr over the sender's knowledge)
    retry_attempts: int = 0
    retry_after: Sampler | None = None


@dataclass(frozen=True)
class CReading:
    """An observer may take ``event`` for ``read_as`` until it learns a fact in ``until`` (or
    ``clears`` hours pass); ``stream`` names its draws."""

    read_as: str
    probability: Sampler
    until: frozenset
    clears: Sampler | None
    stream: str


@dataclass(frozen=True)
class Compiled:
    name: str
    family: str
    target: str | None
    tra_covered_target: float
    horizon_hours: float
    n_slots: int
    slot_names: tuple[str, ...]
    slot_keys: Any                   # (n_slots, 3) uint64 keys, see sim.model.streams
    scalars: tuple[tuple[str, Sampler, int], ...]
    rules: tuple[CRule, ...]
    watch: tuple[dict, ...]          # per actor: fact name -> rule indices to re-check
    relevant: tuple[frozenset, ...]  # per actor: facts that can change its behaviour
    observers: dict  # event -> per actor: does observing it matter (its facts are relevant)?
    start_rules: tuple[tuple[int, ...], ...]  # per actor: rules to check at hour 0
    indicators: tuple[tuple[str, str], ...]   # (fact, scalar name of its weight)
    routes: tuple[tuple[tuple[tuple[int, ...], bool], ...], ...]  # [src][dst] -> (channels, relay)
    channels: tuple[Sampler, ...]    # latency samplers of the channels in use
    channel_names: tuple[str, ...]
    broker: Sampler
    detection: dict                  # event -> per observer: the sampler of its kind's delay
    detection_slot: dict             # event -> per observer: its slot, or -1 (drawn by name)
    var_names: tuple[tuple[str, ...], ...]  # per actor: variable names (scalars 'var.<a>.<n>')
    caused: frozenset                # events the enabled rules' actions can cause
    rules_of: tuple[tuple[int, ...], ...]  # per actor: its enabled rules
    must_observe: tuple[frozenset, ...]  # per actor: events it observes even after the end
    readings: dict                   # (event, observer index) -> CReading (misread, false alarm)
    processes: tuple                 # the process classes this scenario uses, in order
    column_names: tuple[str, ...]    # its table's columns
    channel_faults: tuple = ()       # per channel: (availability, loss, cut_by) or None
    us_reads: frozenset = frozenset()  # messages whose name or a field the U.S.'s rules read
    # event, traced? -> who observes it and how (Engine.emit fills it as events first happen)
    observe_plan: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    # Japan's roles: (name, level it needs, whether it uses force, scalar name of its offer)
    japan_roles: tuple = ()
    resolve_shifts: tuple = ()       # (fact, scalar name of its shift to U.S. resolve)
    scalar_paths: Any = None         # scalar name -> its YAML path (sim.model.draws' columns)
    # Tables that depend on the scenario alone, built on first use by the engine and processes
    # and shared by all its replications (key: who built it, see ``Process.shared``); never
    # per-replication state.
    per_scenario: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self):
        # Split the scalars once per scenario: fixed numbers (computed here) and those drawn
        # per replication (the engine's parameter dict copies the first, draws the second).
        # The last scalar of a name wins, as in a dict built from all of them in order.
        last = {name: (f, s) for name, f, s in self.scalars}
        fixed = {n: f.fixed_value for n, (f, _s) in last.items() if hasattr(f, "fixed_value")}
        drawn = tuple((n, f, s) for n, (f, s) in last.items() if n not in fixed)
        object.__setattr__(self, "fixed_params", fixed)
        object.__setattr__(self, "drawn_scalars", drawn)
        object.__setattr__(self, "drawn_names", frozenset(n for n, _f, _s in drawn))


class _Slots:
    """Named slots in allocation order; a slot's draws depend on its name, not its index."""

    def __init__(self):
        self.names: list[str] = []

    def take(self, *names: str) -> int:
        """Allocate consecutive slots named ``names``; return the first index."""
        first = len(self.names)
        self.names.extend(names)
        return first


def compile_scenario(sc) -> Compiled:
    """Check cross-references (names, actions, channels) and build the fast form of ``sc``."""
    slots = _Slots()
    scalars: list[tuple[str, Sampler, int]] = []
    sources: dict[str, object] = {}  # scalar name -> its quantity, to find its YAML path

    def scalar(name: str, q) -> None:
        sources[name] = q
        scalars.append((name, make_sampler(q), slots.take(f"param/{name}")))

    a = sc.actors
    # Per-replication draws, in a fixed order.
    scalar("us.resolve", a.us.resolve)
    scalar("us.congress_support", a.us.congress_support)
    scalar("us.arrival_with_bases", a.us.force_arrival_hours.with_japan_bases)
    scalar("us.arrival_without_bases", a.us.force_arrival_hours.without_japan_bases)
    scalar("us.congress_expected", a.us.congress_expected)
    scalar("us.congress_vote_days", a.us.congress_vote_days)
    scalar("us.war_powers_report_hours", a.us.war_powers_report_hours)
    scalar("us.war_powers_clock_days", a.us.war_powers_clock_days)
    scalar("us.war_powers_withdrawal_days", a.us.war_powers_withdrawal_days)
    if sc.target is not None and a.us.tra_coverage is not None:
        # tra-definition, aspi-tra-coverage: the degree the U.S. answer treats the island as
        # covered (drawn per replication if a distribution)
        scalar("us.tra_coverage", getattr(a.us.tra_coverage, sc.target))
    scalar("japan.survival_threshold", a.japan.survival_threshold)
    scalar("japan.recognition_hours", a.japan.armed_attack_recognition_hours)
    scalar("japan.diet_hours", a.japan.diet_prior_approval_hours)
    scalar("japan.diet_p", a.japan.diet_approval_probability)
    scalar("taiwan.will_to_resist", a.taiwan.will_to_resist)
    for k in ("lng", "coal", "oil", "oil_legal_minimum"):
        scalar(f"stocks.{k}", getattr(a.taiwan.stocks_days, k))
    en = a.taiwan.energy  # taiwan_energy's parameters
    for group, prefix in (("power_mix", "mix"), ("nonpower_share", "nonpower"),
                          ("nonpower_kept", "kept")):
        sub = getattr(en, group)
        for k in type(sub).model_fields:
            scalar(f"energy.{prefix}.{k}", getattr(sub, k))
    for k in ("voluntary_cut", "mandatory_cut", "generators", "storage_extra_days"):
        scalar(f"energy.{k}", getattr(en, k))
    adj = sc.adjudication
    scalar("comm.latency_factor", sc.communication.latency_factor)
    ship = adj.blockade.shipping  # the shipping process's parameters
    for t in type(ship.types).model_fields:
        st = getattr(ship.types, t)
        for k in type(st).model_fields:
            scalar(f"ship.{t}.{k}", getattr(st, k))
    for k in type(ship).model_fields:
        if k != "types":
            scalar(f"ship.{k}", getattr(ship, k))
    scalar("blockade.break_share", adj.blockade.break_share)
    scalar("blockade.break_weeks", adj.blockade.break_weeks)
    for group in ("grid", "economy"):  # taiwan_energy's grid damage and GDP (optional)
        sub = getattr(adj.blockade, group)
        for k in type(sub).model_fields if sub is not None else ():
            scalar(f"{group}.{k}", getattr(sub, k))
    if a.prc.costs is not None:  # the PRC's cost weights (prc_costs)
        for k in type(a.prc.costs).model_fields:
            scalar(f"prc_costs.{k}", getattr(a.prc.costs, k))
    deferred: list[tuple[str, object]] = []  # user-named draws
    var_names = []
    for actor in ACTORS:
        names = []
        for vname, q in getattr(a, actor).variables.items():
            if vname in EVENTS or vname in VALUE_FACTS or vname in DERIVED[actor]:
                raise _err(f"variable name {vname!r} clashes with a built-in name",
                           ("actors", actor, "variables", vname))
            deferred.append((f"var.{actor}.{vname}", q))
            names.append(vname)
        var_names.append(tuple(names))

    # Messages: every name that any 'send' rule can deliver becomes a fact name.
    messages = {m for m, _ in BUILTIN_MESSAGES.values()}
    for actor in ACTORS:
        for rid, r in getattr(a, actor).rules.items():
            base = ("actors", actor, "rules", rid)
            sending = [act for act in (r.action, r.otherwise)
                       if act == "send" or (actor, act) in BUILTIN_MESSAGES]
            if len(sending) > 1:
                raise _err("a rule can send only one message: 'action' and 'otherwise' both "
                           "send", base + ("otherwise",))
            if sending and sending != ["send"] and (r.message or r.to):
                field = "message" if r.message else "to"
                raise _err(f"{sending[0]} sends a fixed message to a fixed actor; remove "
                           f"'{field}'", base + (field,))
            if sending == ["send"]:  # disabled rules too: other rules may name their message
                if not r.message:
                    raise _err("action 'send' needs a 'message' name", base + ("message",))
                if not r.message.isidentifier():
                    raise _err(f"message name {r.message!r} must be an identifier",
                               base + ("message",))
                if r.message in EVENTS or r.message in VALUE_FACTS:
                    raise _err(f"message name {r.message!r} clashes with an event name",
                               base + ("message",))
                messages.add(r.message)
    comm = sc.communication
    field_names: set[str] = set()
    for mname, kind in comm.messages.items():
        if mname not in messages:
            raise _err(f"no rule sends a message named {mname!r}"
                       f"{_hint(mname, sorted(messages))}", ("communication", "messages", mname))
        for fname in kind.fields:
            if not fname.isidentifier():
                raise _err(f"field name {fname!r} must be an identifier",
                           ("communication", "messages", mname, "fields", fname))
            field_names.add(f"{mname}.{fname}")
    for ai, actor in enumerate(ACTORS):
        for vname in var_names[ai]:
            if vname in messages:
                raise _err(f"variable name {vname!r} clashes with a message name",
                           ("actors", actor, "variables", vname))

    def weighted_facts(mapping: dict, prefix: str, unknown: str, where: tuple) -> list:
        """Facts (events or messages) each with a per-replication weight: (fact, scalar).
        ``unknown`` words the error, with ``{}`` where the fact goes."""
        out = []
        for fact, q in mapping.items():
            if fact not in EVENTS and fact not in messages:
                raise _err(unknown.format(repr(fact))
                           + _hint(fact, list(EVENTS) + sorted(messages)), where + (fact,))
            deferred.append((f"{prefix}.{fact}", q))
            out.append((fact, f"{prefix}.{fact}"))
        return out

    indicators = weighted_facts(a.japan.survival_indicators, "indicator",
                                "unknown survival indicator {}",
                                ("actors", "japan", "survival_indicators"))
    resolve_shifts = weighted_facts(a.us.resolve_shifts, "resolve_shift",
                                    "unknown event {} in resolve_shifts",
                                    ("actors", "us", "resolve_shifts"))

    japan_roles = []
    for role, jr in a.japan.roles.items():
        if jr.offers is not None:  # a role no process draws on offers no amount
            deferred.append((f"japan.role.{role}", jr.offers))
        japan_roles.append((role, jr.level, jr.force,
                            f"japan.role.{role}" if jr.offers is not None else None))

    rules: list[CRule] = []
    watch: list[dict] = [dict() for _ in ACTORS]
    relevant: list[set] = [set() for _ in ACTORS]
    start_rules: list[list[int]] = [[] for _ in ACTORS]
    for ai, actor in enumerate(ACTORS):
        allowed = set(EVENTS) | set(VALUE_FACTS) | messages | set(DERIVED[actor]) | set(
            var_names[ai]) | field_names
        for rid, r in getattr(a, actor).rules.items():
            base = ("actors", actor, "rules", rid)
            stream = f"rule/{actor}.{rid}"
            builtin = next((BUILTIN_MESSAGES[(actor, act)] for act in (r.action, r.otherwise)
                            if (actor, act) in BUILTIN_MESSAGES), None)
            if builtin:
                targets = [builtin[1]]
            elif "send" in (r.action, r.otherwise):
                targets = [r.to] if isinstance(r.to, str) else list(r.to or [])
            else:
                targets = []
            for field in ("action", "otherwise"):  # disabled rules too: a typo is still a typo
                act = getattr(r, field)
                if act is not None and act not in ACTIONS[actor]:
                    raise _err(f"unknown action {act!r} for {actor}{_hint(act, ACTIONS[actor])};"
                               f" one of {', '.join(ACTIONS[actor])}", base + (field,))
            if not r.enabled:
                continue
            if sc.format < 2:
                for field in ("repeat", "hazard_per_day", "interruptible"):
                    if getattr(r, field) is not None:
                        raise _err(f"'{field}' needs 'format: 2' at the top of the scenario "
                                   f"file; format 1 (files without 'format:') keeps rules that "
                                   f"decide once and finish every deliberation (see 'Migrating "
                                   f"to format 2' in docs/scenario-reference.md)", base + (field,))
            when = _expr(r.when, allowed, base + ("when",))
            prob_names: frozenset = frozenset()
            hazard = None
            if r.hazard_per_day is not None:
                # one Exp(1) draw per firing, compared with the cumulative hazard
                delay_slot, prob_slot = slots.take(f"{stream}/hazard"), -1
                hazard = (_expr(r.hazard_per_day, allowed, base + ("hazard_per_day",))
                          if isinstance(r.hazard_per_day, str) else r.hazard_per_day)
                prob_names = hazard.names if isinstance(hazard, Expr) else frozenset()
            else:
                delay_slot = slots.take(f"{stream}/delay")
                prob_slot = slots.take(f"{stream}/decide")
            if hazard is not None:
                prob = 1.0
            elif isinstance(r.probability, str):
                prob = _expr(r.probability, allowed, base + ("probability",))
                prob_names = prob.names
            elif isinstance(r.probability, float):
                prob = r.probability
            else:  # a probability given as a distribution: drawn once per replication
                prob = f"rule.{len(rules)}.p"
                sources[prob] = r.probability
                scalars.append((prob, make_sampler(r.probability), slots.take(f"{stream}/p")))
            if targets and not builtin:
                for t in targets:
                    if t not in ACTORS or t == actor:
                        raise _err(f"cannot send to {t!r}; one of "
                                   f"{', '.join(x for x in ACTORS if x != actor)}", base + ("to",))
            elif "send" in (r.action, r.otherwise) and not targets:
                raise _err("action 'send' needs 'to' (us, japan, taiwan or prc)", base + ("to",))
            msg_slot = slots.take(*(f"{stream}/to/{t}/{hop}" for t in targets
                                    for hop in range(HOP_SLOTS)))
            msg_name = builtin[0] if builtin else r.message
            fields = ()
            if targets and msg_name in comm.messages:
                # what the message says: the sender's knowledge (and state) when it sends
                fields = tuple(
                    (f"{msg_name}.{fname}",
                     _expr(text, allowed | set(SENDER_STATE[actor]),
                           ("communication", "messages", msg_name, "fields", fname)))
                    for fname, text in comm.messages[msg_name].fields.items())
            if r.retry is not None and not targets:
                raise _err("'retry' is for rules that send a message", base + ("retry",))
            idx = len(rules)
            rules.append(CRule(idx, ai, rid, stream, when, r.action, r.otherwise,
                               make_sampler(r.delay_hours), delay_slot, prob, prob_slot,
                               builtin[0] if builtin else r.message,
                               tuple(ACTORS.index(t) for t in targets), msg_slot,
                               interruptible=(r.interruptible if r.interruptible is not None
                                              else sc.format >= 2),
                               repeat_limit=r.repeat.limit if r.repeat else 0,
                               repeat_every_hours=(r.repeat.every_days * 24.0
                                                   if r.repeat and r.repeat.every_days else None),
                               repeat_after_acting=bool(r.repeat and r.repeat.after_acting),
                               hazard=hazard, fields=fields,
                               retry_attempts=r.retry.attempts if r.retry else 0,
                               retry_after=(make_sampler(r.retry.after_hours) if r.retry
                                            else None)))
            # Facts whose change makes the rule look again: its condition; the rate of a hazard;
            # everything it reads when it may decide again on a change.
            reads = set(when.names)
            if hazard is not None or (r.repeat and not r.repeat.every_days):
                reads |= prob_names
            for n in sorted(reads):
                watch[ai].setdefault(n, []).append(idx)
            relevant[ai] |= when.names | prob_names
            if fields:
                relevant[ai] |= {n for _, e in fields for n in e.names}
            start_rules[ai].append(idx)

    # Perception: misreadings and false alarms. The observer must observe the event, and watch
    # for what sets its reading right, whether or not its rules read them (else a traced run,
    # which observes everything, would differ from an untraced one).
    readings: dict = {}
    for ai, actor in enumerate(ACTORS):
        pv = getattr(sc.perception, actor)
        for kind_name in ("misread", "false_alarm"):
            for event, rd in getattr(pv, kind_name).items():
                loc = ("perception", actor, kind_name, event)
                if event not in EVENTS:
                    raise _err(f"unknown event {event!r}{_hint(event, EVENTS)}", loc)
                if rd.read_as not in EVENTS or rd.read_as == event:
                    raise _err(f"read_as must be another event, not {rd.read_as!r}"
                               f"{_hint(rd.read_as, EVENTS)}", loc + ("read_as",))
                for f in rd.until:
                    if f not in EVENTS and f not in messages:
                        raise _err(f"unknown fact {f!r} in until"
                                   f"{_hint(f, list(EVENTS) + sorted(messages))}",
                                   loc + ("until",))
                if (event, ai) in readings:
                    raise _err(f"{event!r} is read two ways by {actor} (misread and "
                               f"false_alarm); keep one", loc)
                stream = f"perceive/{event}/{actor}"
                readings[(event, ai)] = CReading(
                    rd.read_as, make_sampler(rd.probability), frozenset(rd.until),
                    make_sampler(rd.clears_after_hours) if rd.clears_after_hours is not None
                    else None, stream)
                relevant[ai] |= {event, rd.read_as} | set(rd.until)

    # What the model code itself reads from each actor's knowledge.
    relevant[ACTORS.index("japan")] |= {f for f, _ in indicators} | set(ATTACKS_ON_JAPAN)
    relevant[ACTORS.index("us")] |= {"japan_base_use_granted"} | {f for f, _ in resolve_shifts}
    relevant[ACTORS.index("taiwan")] |= set(US_POSTURE_OF_EVENT)
    # The PRC observes what feeds the names it reads (engine.learn): only then, so a scenario
    # whose PRC rules do not weigh them draws no detection delays for them.
    prc_reads = relevant[ACTORS.index("prc")]
    if "us_posture_seen" in prc_reads:
        prc_reads |= set(US_POSTURE_OF_EVENT)
    if "japan_level_seen" in prc_reads:
        prc_reads |= set(JAPAN_LEVEL_OF_EVENT)
    if "costs" in prc_reads and a.prc.costs is None:
        raise _err("a PRC rule reads 'costs' but the scenario gives no 'actors.prc.costs' "
                   "weights", ("actors", "prc", "costs"))

    # Communication network.
    channel_names: list[str] = []
    channels: list = []
    faults: list = []
    index: dict[frozenset, int] = {}
    seen: set[frozenset] = set()
    for cname, ch in comm.channels.items():
        ends = cname.split("-")
        if len(ends) != 2 or not all(e in CAPITAL.values() for e in ends) or ends[0] == ends[1]:
            raise _err(f"channel names are 'a-b' with a, b two of "
                       f"{', '.join(CAPITAL.values())}", ("communication", "channels", cname))
        key = frozenset(ends)
        if key in seen:
            raise _err("channel defined twice", ("communication", "channels", cname))
        seen.add(key)
        if key == frozenset({"tokyo", "taipei"}) and not comm.direct_trilateral_channel:
            continue  # switched off: Tokyo-Taipei traffic goes through Washington
        index[key] = len(channels)
        channel_names.append(cname)
        channels.append(make_sampler(ch.latency_hours))
        for e in ch.cut_by:
            if e not in EVENTS:
                raise _err(f"unknown event {e!r}{_hint(e, EVENTS)}",
                           ("communication", "channels", cname, "cut_by"))
        sure = (ch.availability.dist == "fixed" and ch.availability.value == 1.0
                and ch.loss_probability.dist == "fixed" and ch.loss_probability.value == 0.0)
        faults.append(None if sure and not ch.cut_by else (
            make_sampler(ch.availability), make_sampler(ch.loss_probability),
            frozenset(ch.cut_by)))
    if comm.direct_trilateral_channel and frozenset({"tokyo", "taipei"}) not in index:
        raise _err("direct_trilateral_channel is on but no 'tokyo-taipei' channel is defined",
                   ("communication", "direct_trilateral_channel"))
    routes = []
    # Only pairs an enabled rule sends over need a route: a scenario need not define a channel
    # no message uses (the bundled PRC sends only to Tokyo).
    sent = {(r.actor, t) for r in rules for t in r.to}
    for si, src in enumerate(ACTORS):
        row = []
        for di, dst in enumerate(ACTORS):
            a_cap, b_cap = CAPITAL[src], CAPITAL[dst]
            if src == dst:
                row.append(((), False))
            elif frozenset({a_cap, b_cap}) in index:
                row.append(((index[frozenset({a_cap, b_cap})],), False))
            else:
                hops = (frozenset({a_cap, BROKER}), frozenset({BROKER, b_cap}))
                missing = next((h for h in hops if h not in index), None)
                if missing is not None and (si, di) in sent:
                    raise _err(f"no channel between {a_cap} and {b_cap}, and no "
                               f"'{'-'.join(sorted(missing))}' channel to relay through",
                               ("communication", "channels"))
                row.append(None if missing is not None
                           else (tuple(index[h] for h in hops), True))
        routes.append(tuple(row))
    broker = make_sampler(comm.broker_delay_hours)
    # Detection delays by kind of event: the observer's delay for that kind if the scenario
    # gives one, else its one delay for everything.
    by_kind = []
    for actor in ACTORS:
        default = make_sampler(getattr(comm.detection_delay_hours, actor))
        given = getattr(sc.perception, actor).delay_hours
        by_kind.append({k: (make_sampler(getattr(given, k)) if getattr(given, k) is not None
                            else default) for k in DETECTION_KINDS})
    detection = {e: tuple(by_kind[ai][EVENT_KIND[e]] for ai in range(len(ACTORS)))
                 for e in EVENTS}
    for name, q in deferred:
        scalar(name, q)

    # Which actors need to observe each event (an event brings its value facts with it); only
    # they get a slot for its detection delay (a trace draws the others by name).
    observers = {e: tuple(bool(({e} | set(EVENT_VALUES.get(e, ()))) & relevant[ai])
                          for ai in range(len(ACTORS))) for e in EVENTS}
    detection_slot = {e: tuple(slots.take(f"detect/{e}/{actor}") if observers[e][ai] else -1
                               for ai, actor in enumerate(ACTORS)) for e in EVENTS}

    caused = frozenset(e for r in rules for act in (r.action, r.otherwise) if act
                       for e in ACTIONS[ACTORS[r.actor]][act])
    if "invasion" in caused:  # the invasion_campaign process's parameters
        campaign = adj.invasion.campaign
        for k in type(campaign).model_fields:
            scalar(f"campaign.{k}", getattr(campaign, k))
    if "island_seized" in caused:  # the island_garrison process's parameters
        if sc.target is None:
            raise _err("a scenario whose PRC seizes an island needs a target (kinmen, matsu, "
                       "penghu or pratas)", ("target",))
        isl = adj.outer_islands
        g = getattr(isl.islands, sc.target)
        for k, q in [*((k, getattr(isl, k)) for k in type(isl).model_fields if k != "islands"),
                     *((k, getattr(g, k)) for k in type(g).model_fields if k != "stocks_days"),
                     *((f"stocks.{k}", getattr(g.stocks_days, k))
                       for k in type(g.stocks_days).model_fields)]:
            scalar(f"island.{k}", q)
    # the air_basing process's parameters; the campaign reads its aircraft counts even where
    # no rule strikes the bases (else a scenario without one would fight with no land-based
    # U.S. aircraft)
    if caused & set(BASE_STRIKE_EVENTS) or "invasion" in caused:
        ab, bs = a.us.air_basing, a.prc.base_strikes
        for region in ("japan", "guam"):
            for k in type(ab.japan).model_fields:
                scalar(f"air.{region}.{k}", getattr(getattr(ab, region), k))
            for k in type(bs.japan).model_fields:
                scalar(f"strike.{region}.{k}", getattr(getattr(bs, region), k))
        for k in ("carrier_aircraft", "on_ground_share", "interceptor_shots_per_missile",
                  "interceptor_pk"):
            scalar(f"air.{k}", getattr(ab, k))
        for k in ("launch_failure", "area_per_submunition_missile_m2"):
            scalar(f"strike.{k}", getattr(bs, k))
    from sim.model.outcome import CORE_COLUMNS, STATUS_COLUMNS
    from sim.model.processes import PROCESSES
    partial_c = _Usage(caused, tuple(tuple(i for i in start_rules[ai]) for ai in
                                     range(len(ACTORS))), tuple(resolve_shifts),
                       tuple(frozenset(r) for r in relevant))
    processes = tuple(P for P in PROCESSES if P.used(partial_c))
    column_names = tuple(n for n, _, _ in CORE_COLUMNS + tuple(
        col for P in processes for col in P.columns) + STATUS_COLUMNS)
    # Japan always takes in an attack on it, even once the crisis is decided: the recognition
    # it starts completes (aspi-bases-struck-self-defense).
    must_observe = tuple(frozenset(ATTACKS_ON_JAPAN) if actor == "japan" else frozenset()
                         for actor in ACTORS)

    if sc.family == "outer_islands" and sc.target is None:
        raise _err("an outer_islands scenario needs a target (kinmen, matsu, penghu or pratas)",
                   ("target",))
    return Compiled(
        name=sc.name, family=sc.family, target=sc.target,
        tra_covered_target=TRA_COVERED.get(sc.target, 1.0) if sc.target else 1.0,
        horizon_hours=float(sc.horizon_days.value) * 24.0, n_slots=len(slots.names),
        slot_names=tuple(slots.names), slot_keys=slot_keys(slots.names),
        scalars=tuple(scalars), rules=tuple(rules),
        watch=tuple({k: tuple(v) for k, v in w.items()} for w in watch),
        relevant=tuple(frozenset(r) for r in relevant), observers=observers,
        start_rules=tuple(tuple(s) for s in start_rules), indicators=tuple(indicators),
        routes=tuple(routes), channels=tuple(channels), channel_names=tuple(channel_names),
        broker=broker, detection=detection, detection_slot=detection_slot,
        var_names=tuple(var_names), caused=caused, rules_of=partial_c.rules_of,
        must_observe=must_observe, readings=readings,
        channel_faults=tuple(faults) if any(f is not None for f in faults) else (),
        us_reads=frozenset(m for m in messages if m in relevant[ACTORS.index("us")] or any(
            f.startswith(m + ".") for f in relevant[ACTORS.index("us")])),
        japan_roles=tuple(japan_roles),
        processes=processes, resolve_shifts=tuple(resolve_shifts),
        column_names=column_names, scalar_paths=_yaml_paths(sc, sources))


@dataclass(frozen=True)
class _Usage:
    """What a process's ``used`` may read of a scenario being compiled."""
    caused: frozenset
    rules_of: tuple
    resolve_shifts: tuple = ()
    reads: tuple = ()  # per actor: the names its rules read


def _yaml_paths(sc, sources: dict) -> dict:
    """Scalar name -> the dotted YAML path of the quantity it was drawn from."""
    from sim.model.draws import quantity_paths
    where = quantity_paths(sc)
    return {name: where.get(id(q), name) for name, q in sources.items()}


def _hint(name: str, options) -> str:
    import difflib
    close = difflib.get_close_matches(str(name), list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _err(problem: str, loc: tuple) -> ScenarioError:
    e = ScenarioError(problem, path=".".join(str(p) for p in loc))
    e.loc = loc
    return e


def _expr(text: str, allowed, loc: tuple) -> Expr:
    try:
        return parse_expr(text, allowed)
    except ExprError as exc:
        raise _err(str(exc), loc) from None

