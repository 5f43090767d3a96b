"""No dead parameters or rules (issue 15, part 5): every parameter, rule, channel and message
copy of the bundled scenarios changes something a reader of the results would see, or the scenario
declares it `inert:` with why (scenarios/common/alliance.yaml).

How a parameter is judged is in ``tests/_liveness.py``: scaled to 0 and to four times its value
in paired replications, it must change the outcome, the end, a rule's action, an event someone
reacts to, or an output column that is not a mere echo of a draw. A parameter that changes
nothing in 30 replications of every bundled scenario carrying it is tried again on 300 of each
bundled family before it is called dead: some act only on rare paths (Taiwan not mobilised before
the landing, stocks refilled past their level, an invasion during a gray-zone quarantine). A rule
is judged the same way with its action switched off (``without_rule``).
"""

from __future__ import annotations

import re

import pytest

from _liveness import dead_channels, live, rule_path, signal, unread_messages, without_rule
from _support import ROOT, SCENARIOS
from sim.config.loader import load
from sim.errors import ScenarioError
from sim.model.compiled import compile_scenario

BUNDLED_FILES = [SCENARIOS / f"{n}.yaml" for n in ("full_invasion", "blockade", "gray_zone",
                                                   "outer_islands")]
ALL_FILES = BUNDLED_FILES + sorted((SCENARIOS / "variants").glob("*.yaml"))
SEED = 7

# What the bundled scenarios declare inert (YAML path -> why), over every file.
INERT = {k: v for path in ALL_FILES for k, v in load(path).scenario.inert.items()}

# Message copies no recipient reads, each with why it is sent all the same.
UNREAD_OK = {
    "japan.contact_taipei -> taiwan (tokyo_coordination)": "a probe: the tokyo_taipei_* columns "
    "time the first Tokyo-Taipei message, which the direct-channel variants compare",
    "taiwan.ask_for_help -> japan (help_request)": "read by Tokyo's base_use rule; only the "
    "variants that fix that rule's probability (2023 base case, Japan denies, Taiwan alone) leave "
    "it unread",
    "us.assure_taipei -> taiwan (us_intent)": "read by Taipei's capitulation rule, which the "
    "total-blockade variant switches off",
    "japan.answer_on_bases -> taiwan (japan_intent)": "as above (capitulation off in "
    "blockade_total)",
}


def _compiled(path, overrides=()):
    return compile_scenario(load(path, overrides).scenario)


def _rules_live(c, reps, base, only=None) -> set[str]:
    """YAML paths of the rules of ``c`` (those in ``only``, if given) whose action, switched
    off, changes any of ``reps`` paired replications."""
    return {rule_path(c, ri) for ri in range(len(c.rules))
            if (only is None or rule_path(c, ri) in only)
            and any(signal(without_rule(c, ri), SEED, r) != base[r] for r in range(reps))}


def _dead(reps=30, rare_reps=300) -> set[str]:
    """YAML paths of the parameters and rules that change nothing in any bundled scenario."""
    alive: set[str] = set()
    carried: set[str] = set()
    for path in ALL_FILES:
        c = _compiled(path)
        base = [signal(c, SEED, r) for r in range(reps)]
        for name, _f, _s in c.scalars:
            where = c.scalar_paths.get(name, name)
            carried.add(where)
            if where not in alive and live(c, name, SEED, reps, base):
                alive.add(where)
        rules = {rule_path(c, ri) for ri in range(len(c.rules))}
        carried |= rules
        alive |= _rules_live(c, reps, base, rules - alive)
    suspects = carried - alive
    for path in BUNDLED_FILES:  # the rare paths: more replications of each family
        if not suspects:
            break
        c = _compiled(path)
        base = [signal(c, SEED, r) for r in range(rare_reps)]
        suspects -= {c.scalar_paths.get(n, n) for n, _f, _s in c.scalars
                     if c.scalar_paths.get(n, n) in suspects
                     and live(c, n, SEED, rare_reps, base)}
        suspects -= _rules_live(c, rare_reps, base, suspects)
    return suspects


@pytest.mark.slow
def test_no_bundled_parameter_or_rule_is_dead():
    dead = _dead()
    assert dead - set(INERT) == set(), ("parameters or rules that change nothing in any bundled "
                                        "scenario: wire them, remove them or declare them inert")
    # an entry whose parameter came alive (or went away) leaves the list
    assert set(INERT) - dead == set()


def _process_reads() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "sim" / "model").rglob("*.py"))


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_no_bundled_channel_or_message_copy_is_dead(path):
    c = _compiled(path)
    assert dead_channels(c) == []
    code = _process_reads()
    # a process may read a message straight from an actor's knowledge ("japan_intent.grant_bases")
    unread = [u for u in unread_messages(c)
              if not re.search(r'"%s[."]' % re.escape(u.rsplit("(", 1)[1][:-1]), code)]
    assert [u for u in unread if u not in UNREAD_OK] == []


def test_a_dead_parameter_and_a_dead_channel_are_caught(tmp_path):
    """The checks fail on a deliberately broken scenario: a weight nothing triggers in the
    blockade, and a Beijing-Taipei channel no message uses."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {SCENARIOS / 'blockade.yaml'}\n"
                   "actors:\n  japan:\n    survival_indicators:\n"
                   "      japan_territory_attacked: {value: 2.0, assumption: test}\n"
                   "communication:\n  channels:\n"
                   "    beijing-taipei: {latency_hours: 6, assumption: test}\n")
    c = _compiled(bad)
    assert dead_channels(c) == ["beijing-taipei"]
    base = [signal(c, SEED, r) for r in range(20)]
    assert not live(c, "indicator.japan_territory_attacked", SEED, 20, base)
    assert live(c, "stocks.coal", SEED, 20, base)  # a live one, for contrast


def test_a_dead_rule_is_caught():
    """A Taipei note to Washington that no U.S. rule reads changes nothing: switching it off
    leaves every paired replication as it was; switching off the quarantine does not."""
    c = _compiled(SCENARIOS / "blockade.yaml", [
        "actors.taiwan.rules.note={when: start, action: send, message: idle_note, to: us}"])
    base = [signal(c, SEED, r) for r in range(20)]
    live_rules = _rules_live(c, 20, base)
    assert "actors.taiwan.rules.note" not in live_rules
    assert "actors.prc.rules.enforce" in live_rules


def test_survival_weights_count_once_a_scenario_attacks_japan():
    for action, weight in (("strike_japan", "indicator.japan_territory_attacked"),
                           ("attack_japanese_ships", "indicator.japanese_ships_attacked")):
        c = _compiled(SCENARIOS / "blockade.yaml", [
            f"actors.prc.rules.hit={{when: military_blockade, action: {action}}}"])
        base = [signal(c, SEED, r) for r in range(40)]
        assert live(c, weight, SEED, 40, base), weight


def test_the_oil_legal_minimum_times_a_rule_that_reads_it():
    c = _compiled(SCENARIOS / "variants" / "blockade_total.yaml", [
        "actors.taiwan.rules.alarm={when: oil_below_legal_minimum, action: raise_alert}"])
    base = [signal(c, SEED, r) for r in range(3)]
    assert live(c, "stocks.oil_legal_minimum", SEED, 3, base)


def test_an_island_short_of_fuel_fights_weaker():
    c = _compiled(SCENARIOS / "outer_islands.yaml", [
        "adjudication.outer_islands.islands.kinmen.stocks_days.fuel=0"])
    base = [signal(c, SEED, r) for r in range(40)]
    assert live(c, "island.no_fuel_fire_share", SEED, 40, base)


def test_a_prc_message_needs_its_channel():
    """The bundled scenarios define no Beijing-Washington channel, as no bundled message uses
    one; a scenario whose PRC sends to Washington must add it (and then compiles)."""
    rule = "actors.prc.rules.call={when: start, action: send, message: hotline_call, to: us}"
    with pytest.raises(ScenarioError, match="no channel between beijing and washington"):
        _compiled(SCENARIOS / "blockade.yaml", [rule])
    c = _compiled(SCENARIOS / "blockade.yaml", [
        rule, "communication.channels.beijing-washington={latency_hours: 12, assumption: test}"])
    assert "beijing-washington" in c.channel_names and dead_channels(c) == []
