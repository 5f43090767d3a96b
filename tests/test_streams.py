"""Random streams keyed by name: a draw depends on (root seed, replication, stream name, draw
number) only, so inserting, removing or reordering rules leaves every other draw unchanged."""

from __future__ import annotations

import copy

import numpy as np
from scipy import stats

from _support import scenario_path
from sim.batch.runner import run_batch
from sim.config.loader import load
from sim.model import streams
from sim.results.table import to_table


def test_a_slot_draws_what_its_name_draws_wherever_it_sits():
    names = [f"rule/us.r{i}/delay" for i in range(50)]
    rkey = streams.replication_key(7, 3)
    u, z = streams.slot_draws(streams.slot_keys(names), rkey)
    u2, z2 = streams.slot_draws(streams.slot_keys(names[::-1]), rkey)
    for i, n in enumerate(names):
        one_u, one_z = streams.draw(rkey, streams.name_key(n))
        # NumPy's and math's log and cos may differ in the last bit
        assert u[i] == one_u and abs(z[i] - one_z) <= 1e-12 * max(1.0, abs(one_z))
        assert (u[i], z[i]) == (u2[-1 - i], z2[-1 - i])


def test_draws_differ_by_replication_seed_name_and_draw_number():
    k = streams.name_key("rule/us.protest/delay")
    base = streams.draw(streams.replication_key(1, 0), k)
    assert base != streams.draw(streams.replication_key(1, 1), k)
    assert base != streams.draw(streams.replication_key(2, 0), k)
    assert base != streams.draw(streams.replication_key(1, 0),
                                streams.name_key("rule/us.protest/decide"))
    assert base != streams.draw(streams.replication_key(1, 0),
                                streams.name_key("rule/us.protest/delay", 1))


def test_draws_are_uniform_and_normal_and_independent_across_names():
    # One name over 4,000 replications, and 4,000 names in one replication: KS at the 0.1%
    # level would fail a generator off by a few percent anywhere in the distribution.
    key = streams.name_key("detect/invasion/japan")
    across_reps = np.array([streams.draw(streams.replication_key(11, i), key)
                            for i in range(4000)])
    u, z = streams.slot_draws(streams.slot_keys([f"param/v{i}" for i in range(4000)]),
                              streams.replication_key(11, 0))
    for uu, zz in ((across_reps[:, 0], across_reps[:, 1]), (np.array(u), np.array(z))):
        assert stats.kstest(uu, "uniform").pvalue > 1e-3
        assert stats.kstest(zz, "norm").pvalue > 1e-3
        assert abs(np.corrcoef(uu[:-1], uu[1:])[0, 1]) < 0.06  # neighbours unrelated
        assert abs(np.corrcoef(uu, zz)[0, 1]) < 0.06


def _table(data, runs=400, seed=21):
    return to_table(run_batch(data, runs, seed)).to_pandas()


def test_inserting_a_rule_before_the_others_changes_no_other_column():
    """Slots used to be positional: a rule inserted first shifted every later rule's draws."""
    data = load(scenario_path("blockade")).data
    base = _table(data)
    more = copy.deepcopy(data)
    rules = more["actors"]["prc"]["rules"]
    more["actors"]["prc"]["rules"] = {
        "note_first": {"when": "start", "action": "send", "message": "beijing_note", "to": "us",
                       "delay_hours": {"dist": "lognormal", "median": 5, "p90": 20},
                       "assumption": "test rule: a message nobody reads"},
        **rules}
    # the bundled files define no Beijing-Washington channel (no bundled message uses one)
    more["communication"]["channels"] = {
        "beijing-washington": {"latency_hours": {"dist": "lognormal", "median": 12, "p90": 48},
                               "assumption": "test channel"},
        **more["communication"]["channels"]}
    taiwan = more["actors"]["taiwan"]["rules"]
    more["actors"]["taiwan"]["rules"] = dict(reversed(list(taiwan.items())))  # reordered too
    after = _table(more)
    assert base.equals(after)


def test_removing_a_read_rule_moves_only_what_depends_on_it():
    """Switching off the PRC's threat to Japan changes the columns of what the threat causes,
    and nothing in replications where it never mattered (the threat was not made)."""
    data = load(scenario_path("blockade")).data
    off = copy.deepcopy(data)
    for rule in off["actors"]["prc"]["rules"].values():
        if rule.get("action") == "threaten_japan":
            rule["enabled"] = False
    base, after = _table(data), _table(off)
    untouched = ~base.japan_threatened
    assert untouched.sum() > 20 and (~untouched).sum() > 20
    assert base[untouched].equals(after[untouched])
    assert not after.japan_threatened.any()


def test_uniform_is_the_draws_uniform():
    """streams.uniform (the hot loops' shortcut) gives exactly draw()[0]."""
    rkey = streams.replication_key(7, 3)
    for j in range(200):
        key = streams.name_key("invasion_campaign/pla_asm", j)
        assert streams.uniform(rkey, key) == streams.draw(rkey, key)[0]
