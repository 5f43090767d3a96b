"""A PRC that weighs what it sees: the names it reads (from what it observed, never the truth it
has not seen), its own costs (process prc_costs), the threat over base use followed through
only after it was made, and deterrence (an early signal lowers its hazard of escalating)."""

from __future__ import annotations

import pytest

from _support import scenario_path
from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.engine import PRC, Engine
from sim.model.processes.prc_costs import PrcCosts
from sim.model.streams import replication_key, slot_draws
from test_rules import compiled, run


def _engine(c, i: int, seed: int = 7) -> Engine:
    rkey = replication_key(seed, i)
    u, z = slot_draws(c.slot_keys, rkey)
    return Engine(c, u, z, None, rkey)


def _ran(c, i: int, seed: int = 7) -> Engine:
    eng = _engine(c, i, seed)
    eng.run()
    return eng


def _acts(records, event):
    return [r[0] for r in records if r[2] == "acts" and r[3].startswith(event)]


# --- what the PRC perceives -----------------------------------------------------------------

# The tiny scenario: the quarantine is declared at 3 h; the U.S. sees it at 13 h and signals an
# hour later; Japan sees it at 23 h and declares an important-influence situation at once; the
# PRC's detection delay is 2 h. Its rules act at once on what they read.
WATCHER = """
  us:
    rules:
      signal: {enabled: true, when: quarantine_declared, delay_hours: 1, probability: 1}
  japan:
    rules:
      important_influence: {enabled: true, when: quarantine_declared, delay_hours: 0,
                            probability: 1}
  prc:
    rules:
      saw_us: {when: us_posture_seen >= 1, action: cyber_attack}
      saw_japan: {when: japan_level_seen >= 1, action: economic_coercion}
"""


def test_prc_names_follow_what_it_observed(tmp_path):
    c = compile_scenario(load(_variant(tmp_path, WATCHER)).scenario)
    _, records = run(c)
    assert _acts(records, "us_signal") == [pytest.approx(14.0)]
    assert _acts(records, "cyber_attack_infrastructure") == [pytest.approx(16.0)]  # seen at 16
    assert _acts(records, "japan_important_influence") == [pytest.approx(23.0)]
    assert _acts(records, "economic_coercion") == [pytest.approx(25.0)]
    eng = _ran(c, 0, 1)
    assert eng.know[PRC]["us_posture_seen"] == 1.0
    assert eng.know[PRC]["japan_level_seen"] == 1.0


def test_prc_names_do_not_read_the_truth_it_has_not_observed(tmp_path):
    # the same world, but the PRC sees nothing for 10,000 hours: the signal and Japan's step
    # happen, and the PRC's names stay at zero
    c = compile_scenario(load(_variant(tmp_path, WATCHER),
                              ["communication.detection_delay_hours.prc=10000"]).scenario)
    eng = _ran(c, 0, 1)
    assert "us_signal" in eng.happened and "japan_important_influence" in eng.happened
    assert eng.know[PRC]["us_posture_seen"] == 0.0
    assert eng.know[PRC]["japan_level_seen"] == 0.0
    assert "cyber_attack_infrastructure" not in eng.happened


def test_the_prc_observes_posture_events_only_when_its_rules_weigh_them(tmp_path):
    # no PRC rule reads the derived names: no detection slot for the U.S. signal
    c = compiled(tmp_path / "plain")
    assert not c.observers["us_signal"][PRC]
    c = compile_scenario(load(_variant(tmp_path, WATCHER)).scenario)
    assert c.observers["us_signal"][PRC] and c.observers["japan_important_influence"][PRC]


def _variant(tmp_path, extra: str):
    compiled(tmp_path, extra)  # writes tiny.yaml and variant.yaml
    return tmp_path / "variant.yaml"


# --- the PRC's own costs ------------------------------------------------------------------------

def test_costs_accrue_by_month_of_blockade_and_are_learned_weekly():
    c = compile_scenario(load(scenario_path("blockade"), [  # the blockade's cost alone
        "actors.prc.costs.war_per_month=0", "actors.prc.costs.convoys_per_month=0",
        "actors.prc.costs.japan_enters=0",
        "adjudication.blockade.shipping.prc_cost_per_ship_sunk=0"]).scenario)
    eng = _engine(c, 0)
    costs = next(pr for pr in eng.processes if isinstance(pr, PrcCosts))
    for rules in c.start_rules:  # what Engine.run does, but stopped after a month and an hour
        for ri in rules:
            eng._consider(ri)
    eng.env.run(until=24 * 30 + 1)  # four weekly reviews
    k = eng.know[PRC]
    assert k["days"] == 28.0
    start = eng.happened["quarantine_enforced"]
    assert "blockade_lifted" not in eng.happened
    # one point per 30 days of blockade (alliance.yaml), up to the last review at day 28
    assert k["costs"] == pytest.approx((28 * 24 - start) / 720.0)
    assert eng.capacity["prc_costs.total"] == k["costs"]
    # another process's cost (the invasion campaign's PLA losses, issue 12) adds in
    eng.capacity["invasion_campaign.prc_cost"] = 2.5
    assert costs.cost_at(28 * 24) == pytest.approx(k["costs"] + 2.5)


def test_war_and_japan_entering_add_to_the_cost():
    c = compile_scenario(load(scenario_path("blockade")).scenario)
    eng = _engine(c, 0)
    costs = next(pr for pr in eng.processes if isinstance(pr, PrcCosts))
    eng.happened.update(quarantine_enforced=0.0, us_combat=720.0, convoys_arriving=720.0,
                        japan_armed_attack=800.0)
    # two months of blockade, one of war, one of convoys at half a point, Japan once
    assert costs.cost_at(1440.0) == pytest.approx(2.0 + 1.0 + 0.5 + 1.0)


def test_a_prc_rule_reading_costs_needs_the_weights(tmp_path):
    from sim.errors import SimError
    with pytest.raises(SimError, match="actors.prc.costs"):
        compiled(tmp_path, """
          prc:
            rules:
              give_up: {when: costs > 1, action: lift_blockade}
        """, "actors.prc.costs=null")


def test_blockades_are_lifted_because_of_what_they_cost():
    # with costless blockades the PRC never lifts one (its rate is proportional to its cost)
    base = load(scenario_path("blockade")).scenario
    free = load(scenario_path("blockade"),
                ["actors.prc.costs.blockade_per_month=0", "actors.prc.costs.war_per_month=0",
                 "actors.prc.costs.convoys_per_month=0", "actors.prc.costs.japan_enters=0",
                 "adjudication.blockade.shipping.prc_cost_per_ship_sunk=0"]
                ).scenario
    cb, cf = compile_scenario(base), compile_scenario(free)
    lifted = sum("blockade_lifted" in _ran(cb, i).happened for i in range(150))
    assert lifted > 20
    assert not any("blockade_lifted" in _ran(cf, i).happened for i in range(150))


# --- the threat over base use and its follow-through --------------------------------------------

# The PRC threatens Tokyo as the quarantine is declared; Japan grants base use when it sees the
# quarantine (at 23 h); the follow-through rule strikes with probability P.
THREAT = """
  japan:
    rules:
      grant: {when: quarantine_declared, action: grant_base_use}
  prc:
    rules:
      threaten: {when: quarantine_declared, action: threaten_japan}
      strike_bases_in_use: {when: threatened_japan and (japan_base_use_granted or
                                                          us_combat_from_japan),
                            action: strike_us_bases_japan, delay_hours: 1, probability: 0.3}
"""


def _strikes(tmp_path, *overrides, n: int = 200) -> float:
    c = compile_scenario(load(_variant(tmp_path, THREAT), list(overrides)).scenario)
    return sum("us_bases_japan_struck" in _ran(c, i).happened for i in range(n)) / n


def test_follow_through_comes_only_after_a_threat_and_a_grant(tmp_path):
    c = compile_scenario(load(_variant(tmp_path, THREAT)).scenario)
    struck = []
    for i in range(10):
        _, records = run(c, i)
        assert _acts(records, "japan_base_use_granted") == [pytest.approx(23.0)]
        struck += _acts(records, "us_bases_japan_struck")
    # the grant seen at 25 h, the decision an hour later, in the replications that strike
    assert struck and struck == [pytest.approx(26.0)] * len(struck)
    # no threat made, or no grant: the rule never applies
    assert _strikes(tmp_path, "actors.prc.rules.threaten.enabled=false") == 0.0
    assert _strikes(tmp_path, "actors.japan.rules.grant.enabled=false") == 0.0


def test_follow_through_at_the_stated_probability(tmp_path):
    # 200 replications: the standard error at p = 0.3 is 0.032, so 0.3 +- 0.1 (three of them)
    # is decisive against 0.5 (or 1, a rule that ignores the probability)
    assert _strikes(tmp_path) == pytest.approx(0.3, abs=0.1)
    assert _strikes(tmp_path, "actors.prc.rules.strike_bases_in_use.probability=0.6") == \
        pytest.approx(0.6, abs=0.1)


def test_bundled_follow_through_rules_read_the_threat():
    for name in ("full_invasion", "blockade", "gray_zone", "outer_islands"):
        c = compile_scenario(load(scenario_path(name)).scenario)
        rule = next(r for r in c.rules if r.rid == "strike_bases_in_use")
        assert "threatened_japan" in rule.when.names, name


# --- deterrence ---------------------------------------------------------------------------------

def _militarize(c):
    return next(r for r in c.rules if r.rid == "militarize")


def test_escalation_hazard_falls_with_a_credible_early_signal():
    c = compile_scenario(load(scenario_path("blockade")).scenario)
    eng = _engine(c, 0)
    r, k = _militarize(c), eng.know[PRC]
    assert eng._hazard_rate(r) == 0.0  # no quarantine yet
    k["quarantine_enforced"] = 1.0
    assert eng._hazard_rate(r) == pytest.approx(0.03)
    k["us_posture_seen"] = 1.0  # a U.S. signal seen: cut by deterrence_us (0.4)
    assert eng._hazard_rate(r) == pytest.approx(0.03 * 0.6)
    k["japan_level_seen"] = 1.0  # and Japan's first step: cut by deterrence_allies (0.25)
    assert eng._hazard_rate(r) == pytest.approx(0.03 * 0.6 * 0.75)
    k["days"] = 30.0  # the rate fades to zero by day 60
    assert eng._hazard_rate(r) == pytest.approx(0.03 * 0.6 * 0.75 * 0.5)


def test_gray_zone_escalation_reads_a_us_transit_and_not_sanctions():
    c = compile_scenario(load(scenario_path("gray_zone")).scenario)
    for rid in ("quarantine", "seize", "prepare", "militarize"):
        r = next(r for r in c.rules if r.rid == rid)
        assert r.hazard is not None and "us_transit" in r.hazard.names, rid
    # audit: no PRC rule in a bundled scenario reads U.S. sanctions (no source says they make
    # an escalation likelier)
    for name in ("full_invasion", "blockade", "gray_zone", "outer_islands"):
        c = compile_scenario(load(scenario_path(name)).scenario)
        for r in c.rules:
            if r.actor == PRC:
                names = set(r.when.names) | (set(r.hazard.names) if hasattr(
                    r.hazard, "names") else set()) | (set(r.prob.names) if hasattr(
                        r.prob, "names") else set())
                assert "us_sanctions" not in names, (name, r.rid)


N_PAIRED = 400


def _militarized(c, n: int) -> list:
    """Hour of the military blockade in each replication (None: it never came)."""
    out = []
    for i in range(n):
        eng = _ran(c, i)
        out.append(eng.happened.get("military_blockade"))
    return out


def test_paired_an_early_us_signal_delays_or_prevents_escalation():
    """Same seeds, with and without the U.S. signal rule: the PRC's escalation never comes
    earlier with the signal, and comes later or not at all in many replications."""
    with_ = _militarized(compile_scenario(load(scenario_path("blockade")).scenario), N_PAIRED)
    without = _militarized(compile_scenario(load(
        scenario_path("blockade"), ["actors.us.rules.signal.enabled=false"]).scenario), N_PAIRED)
    never_earlier = all(w is None or (o is not None and w >= o - 1e-9)
                        for w, o in zip(with_, without))
    assert never_earlier
    later = sum(1 for w, o in zip(with_, without) if o is not None and (w is None or w > o + 1e-9))
    share_with = sum(w is not None for w in with_) / N_PAIRED
    share_without = sum(o is not None for o in without) / N_PAIRED
    assert later > N_PAIRED // 5
    assert share_with < share_without - 0.05


def test_without_a_rule_reading_days_reviews_start_with_the_first_cost():
    # gray zone: nothing reads `days`, so a campaign that never escalates schedules no review;
    # one that escalates to a quarantine (or a seizure: island_garrison's costs) is reviewed
    # weekly from then on, on whole weeks
    c = compile_scenario(load(scenario_path("gray_zone")).scenario)
    calm = escalated = 0
    for i in range(60):
        eng = _ran(c, i)
        costs = next(pr for pr in eng.processes if isinstance(pr, PrcCosts))
        if not any(e in eng.happened for e in ("quarantine_enforced", "military_blockade",
                                                 "strikes_on_taiwan", "invasion", "us_combat",
                                                 "island_seized")):  # a seizure costs too
            calm += 1
            assert costs.reviews == 0 and eng.know[PRC]["costs"] == 0.0
        elif costs.reviews:
            escalated += 1
            assert eng.know[PRC]["days"] % 7 == 0 and eng.know[PRC]["days"] > 0
    assert calm > 30 and escalated > 0
