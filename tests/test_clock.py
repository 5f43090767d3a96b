"""The weekly clock (sim/model/clock.py): one timeout a week steps every joined process in the
order of the scenario's processes, whatever order they joined in; no tick past the horizon."""

from __future__ import annotations

import simpy

from _support import BLOCKADE
from sim.config.loader import load
from sim.model.clock import WEEK_HOURS, WeeklyClock
from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.model.streams import replication_key, slot_draws


class _Eng:
    """Just what the clock reads of an engine: time, processes, closed, after_open."""

    def __init__(self, processes, horizon_hours):
        self.env = simpy.Environment()
        self.processes = processes
        self.closed = False
        self.horizon = horizon_hours
        self.timeouts = 0

    def after_open(self, hours, fn):
        if self.env.now + hours <= self.horizon:
            self.timeouts += 1
            self.env.timeout(hours).callbacks.append(fn)


def test_steps_run_in_process_order_on_one_timeout_a_week():
    a, b, c = object(), object(), object()
    eng = _Eng([a, b, c], horizon_hours=3 * WEEK_HOURS + 1)
    clock = WeeklyClock(eng)
    log = []
    clock.join(c, lambda: log.append(("c", eng.env.now)))  # joins first, steps last
    clock.join(a, lambda: log.append(("a", eng.env.now)))
    eng.env.run()
    assert log == [("c", 0.0), ("a", 0.0),  # each runs its first week on joining
                   ("a", 168.0), ("c", 168.0), ("a", 336.0), ("c", 336.0),
                   ("a", 504.0), ("c", 504.0)]
    assert eng.timeouts == 3  # one a week, none past the horizon


def test_a_closed_crisis_steps_no_more():
    p = object()
    eng = _Eng([p], horizon_hours=10 * WEEK_HOURS)
    clock = WeeklyClock(eng)
    weeks = []

    def step():
        weeks.append(eng.env.now)
        if len(weeks) == 2:
            eng.closed = True
    clock.join(p, step)
    eng.env.run()
    assert weeks == [0.0, 168.0]


def test_the_blockade_processes_share_the_clock():
    c = compile_scenario(load(BLOCKADE).scenario)
    rkey = replication_key(1, 0)
    u, z = slot_draws(c.slot_keys, rkey)
    eng = Engine(c, u, z, None, rkey)
    eng.run()
    names = [p.name for p in eng.processes]
    stepped = [names[rank] for rank, _ in eng.weekly.steps]
    assert stepped == ["shipping", "taiwan_energy", "blockade_judgement"]
    by = {p.name: p for p in eng.processes}
    assert by["shipping"].week == by["taiwan_energy"].week >= 1
