"""Which parameters of the bundled scenarios change nothing (issue 15, part 5).

A parameter is a named scalar of a compiled scenario (``Compiled.scalars``: actor fields, weights,
process parameters, variables). It is *live* if changing it (to 0, then to four times its value;
a 0 becomes 0.5, then 1) changes, in a paired replication (same seed and streams), what a reader
of the results would see of the crisis: the outcome, the day it ended, a rule's action or an
event some actor or process reacts to (and when), or an output column. Columns that only echo a
drawn parameter (``ECHOES``) and the day of an event nobody reacts to do not count: a stock whose
only effect is a column saying when it ran low is dead. Channels and messages are checked without
running: a channel no message route uses, or a message copy its recipient never reads, is dead
weight.
"""

from __future__ import annotations

import dataclasses
import math

from sim.model.compiled import Compiled
from sim.model.engine import Engine
from sim.model.outcome import make_row
from sim.model.streams import replication_key, slot_draws
from sim.model.vocab import ACTIONS, ACTORS, EVENTS

# Every event some rule's action causes.
_RULE_EVENTS = frozenset(e for acts in ACTIONS.values() for evs in acts.values() for e in evs)
# Columns that report a drawn parameter as drawn (not something the model computed from it).
ECHOES = frozenset({"us_resolve", "us_congress_support", "japan_survival_threshold"})
SCALES = (0.0, 4.0)


def _scaled(f, k: float):
    """A sampler like ``f`` whose draws are scaled by ``k`` (a 0 becomes ``k`` / 4, or 0.5)."""
    def g(u, z):
        v = f(u, z)
        return v * k if v else (k / 4.0 or 0.5)
    if hasattr(f, "fixed_value"):
        g.fixed_value = g(0.5, 0.0)
    return g


def perturbed(c: Compiled, name: str, k: float) -> Compiled:
    """``c`` with the scalar ``name`` scaled by ``k`` in every replication."""
    scalars = tuple((n, _scaled(f, k) if n == name else f, s) for n, f, s in c.scalars)
    return dataclasses.replace(c, scalars=scalars)


def without_rule(c: Compiled, ri: int) -> Compiled:
    """``c`` with rule ``ri`` never acting: probability 0 with no ``otherwise`` (a hazard rule:
    rate 0). It still deliberates, so the replication's draws stay paired."""
    r = c.rules[ri]
    off = dataclasses.replace(r, prob=0.0, otherwise=None,
                              hazard=None if r.hazard is None else 0.0)
    return dataclasses.replace(c, rules=c.rules[:ri] + (off,) + c.rules[ri + 1:])


def rule_path(c: Compiled, ri: int) -> str:
    """The rule's YAML path, as a scenario's ``inert:`` names it."""
    r = c.rules[ri]
    return f"actors.{ACTORS[r.actor]}.rules.{r.rid}"


def signal(c: Compiled, seed: int, rep: int):
    """What a reader sees of one replication (see the module docstring)."""
    rkey = replication_key(seed, rep)
    u, z = slot_draws(c.slot_keys, rkey)
    try:
        eng = Engine(c, u, z, None, rkey)
        eng.run()
    except Exception as exc:  # a broken run changes what a reader sees
        return ("error", type(exc).__name__)
    reacted = set(eng.event_hooks) | set().union(*c.relevant)
    events = tuple(sorted((e, round(t, 6)) for e, t in eng.happened.items()
                          if e in _RULE_EVENTS or e in reacted))
    row = make_row(eng, rep)
    cols = tuple(_rounded(v) for n, v in zip(c.column_names, row)
                 if n not in ECHOES and not (n.endswith("_day") and n[:-4] in EVENTS
                                             and n[:-4] not in reacted
                                             and n[:-4] not in _RULE_EVENTS))
    return (eng.outcome, round(eng.end_hours, 6), events, cols)


def _rounded(v):
    return round(v, 9) if isinstance(v, float) and math.isfinite(v) else v


def live(c: Compiled, name: str, seed: int, reps: int, base: list) -> bool:
    """Does scaling ``name`` change any of ``reps`` paired replications of ``c``?"""
    for k in SCALES:
        pc = perturbed(c, name, k)
        if any(signal(pc, seed, r) != base[r] for r in range(reps)):
            return True
    return False


def dead_channels(c: Compiled) -> list[str]:
    """Channels no enabled rule's message travels over (directly or relayed)."""
    used = set()
    for r in c.rules:
        for t in r.to:
            used |= set(c.routes[r.actor][t][0])
    return [n for i, n in enumerate(c.channel_names) if i not in used]


def unread_messages(c: Compiled) -> list[str]:
    """``rule -> recipient`` for each message copy whose recipient reads neither the message nor
    any of its fields (its rules, its process hooks and the model's own reads: ``relevant``)."""
    out = []
    for r in c.rules:
        for t in r.to:
            reads = c.relevant[t]
            if r.message in reads or any(n.startswith(r.message + ".") for n in reads):
                continue
            out.append(f"{ACTORS[r.actor]}.{r.rid} -> {ACTORS[t]} ({r.message})")
    return out
