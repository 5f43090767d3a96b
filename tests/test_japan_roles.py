"""Japan's law unlocks roles: each level of the ladder offers the capacities its roles give
(``actors.japan.roles``), collective self-defence only once the Diet approves, and an armed
attack declared clearly imminent deploys the forces but holds their force until an attack.

Tiny hand-made scenarios with fixed delays, so exact times can be asserted. Capacities are
process state (``Engine.capacity``) until the campaign processes read them, so the tests read
them from the engine, at the end or at a chosen hour.
"""

from __future__ import annotations

import textwrap

import pytest

from _support import SCENARIOS, TINY_COMMUNICATION
from sim.config.loader import load
from sim.errors import ScenarioError
from sim.model.compiled import compile_scenario
from sim.model.engine import JAPAN, Engine
from sim.model.outcome import make_row
from sim.model.streams import replication_key, slot_draws

# The bundled Japan rules that could move the ladder on their own are switched off: each test
# drives the ladder with its own rules, with no deliberation delay.
BASE = f"""
extends: {SCENARIOS / 'common' / 'alliance.yaml'}
name: tiny_roles
title: tiny test scenario for Japan's roles
family: blockade
{TINY_COMMUNICATION}
actors:
  prc:
    rules:
      declare: {{when: start, action: declare_quarantine, delay_hours: 3}}
  us:
    rules:
      signal: {{enabled: false}}
      escort_through_quarantine: {{enabled: false}}
      escort_through_blockade: {{enabled: false}}
  japan:
    armed_attack_recognition_hours: 6
    diet_prior_approval_hours: 10
    diet_approval_probability: 1
    survival_threshold: 0
    rules:
      important_influence: {{enabled: false}}
      anticipated_armed_attack: {{enabled: false}}
      survival_threatening: {{enabled: false}}
      imminent_armed_attack: {{enabled: false}}
  taiwan:
    rules:
      ask_for_help: {{enabled: false}}
      contact_tokyo: {{enabled: false}}
      mobilize: {{enabled: false}}
"""
# Japan observes the quarantine (declared at hour 3) at hour 23.
SEEN = 23.0

RULES = {
    "important_influence": "ii: {when: quarantine_declared, action: declare_important_influence}",
    "anticipated_armed_attack": ("aaa: {when: quarantine_declared, "
                                 "action: declare_anticipated_armed_attack}"),
    "survival_threatening": ("st: {when: quarantine_declared, "
                             "action: declare_survival_threatening}"),
}
STRIKE = """
  prc:
    rules:
      hit: {when: quarantine_declared, action: strike_us_bases_japan, delay_hours: 40}
"""
# The strike lands at 43 h; Japan sees it at 63 h and recognises an armed attack at 69 h.
RECOGNISED = 69.0

REAR = {"rear_area_logistics", "transshipment_ports"}
POSITIONS = {"defensive_positions"}
COLLECTIVE = {"anti_submarine_warfare", "air_defence", "escort", "minesweeping"}
FULL = {"defence_of_japan"}
ALL = REAR | POSITIONS | COLLECTIVE | FULL


def build(tmp_path, japan_rules=(), extra="", overrides=()):
    """The tiny scenario, a file over it with ``japan_rules`` (YAML lines under
    actors.japan.rules), and one over that with ``extra`` (YAML under actors:); an engine ready
    to run replication 0."""
    (tmp_path / "tiny.yaml").write_text(BASE)
    rules = "".join(f"      {r}\n" for r in japan_rules)
    (tmp_path / "rules.yaml").write_text(
        "extends: tiny.yaml\n" + (f"actors:\n  japan:\n    rules:\n{rules}" if rules else ""))
    extra = textwrap.dedent(extra).strip("\n")
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: rules.yaml\n" + (
        "actors:\n" + textwrap.indent(extra, "  ") + "\n" if extra else ""))
    c = compile_scenario(load(variant, list(overrides)).scenario)
    rkey = replication_key(1, 0)
    u, z = slot_draws(c.slot_keys, rkey)
    return Engine(c, u, z, None, rkey)


def run(tmp_path, japan_rules=(), extra="", overrides=(), at=()):
    """Run; return (row as a dict, capacities at the end, {hour: capacities then})."""
    eng = build(tmp_path, japan_rules, extra, overrides)
    seen = {}
    for hours in at:
        eng.env.timeout(hours).callbacks.append(
            lambda _e, h=hours: seen.__setitem__(h, dict(eng.capacity)))
    eng.run()
    row = make_row(eng, 0)
    return dict(zip(row.columns, row)), dict(eng.capacity), seen


def offered(capacity) -> set:
    """Roles Japan may perform, from the capacities 'japan_legal.<role>'."""
    return {k.split(".")[1] for k in capacity if k.startswith("japan_legal.")
            and k.count(".") == 1 and k != "japan_legal.use_of_force"}


def deployed(capacity) -> set:
    return {k.split(".")[1] for k in capacity if k.endswith(".deployed")}


# --- each level raises its capacities, a lower level does not --------------------------------

@pytest.mark.parametrize("level, roles", [
    ("important_influence", REAR),
    ("anticipated_armed_attack", REAR | POSITIONS),
    ("survival_threatening", REAR | POSITIONS | COLLECTIVE),
])
def test_each_level_raises_the_capacities_of_its_roles_and_of_those_below(tmp_path, level, roles):
    row, cap, _ = run(tmp_path, [RULES[level]])
    assert row["japan_level"] == level
    assert offered(cap) == roles
    assert not offered(cap) & (ALL - roles)  # nothing of a higher level
    assert cap["japan_legal.rear_area_logistics"] == 1.0
    if "anti_submarine_warfare" in roles:
        assert cap["japan_legal.anti_submarine_warfare"] == 0.5
        assert cap["japan_legal.use_of_force"] == 1.0
    else:
        assert "japan_legal.use_of_force" not in cap and row["japan_force_day"] is None
    # the column says which roles and since when (days, in the order they came)
    when = (SEEN + (10.0 if level == "survival_threatening" else 0.0)) / 24
    assert row["japan_roles"].split() == [f"{r}@{when:.2f}" for r in (
        "rear_area_logistics", "transshipment_ports", "defensive_positions",
        "anti_submarine_warfare", "air_defence", "escort", "minesweeping") if r in roles]


def test_no_level_no_roles(tmp_path):
    row, cap, _ = run(tmp_path)
    assert row["japan_level"] == "none" and offered(cap) == set() and row["japan_roles"] == ""


def test_an_armed_attack_unlocks_full_defence_and_every_role_below(tmp_path):
    row, cap, seen = run(tmp_path, extra=STRIKE, at=(RECOGNISED - 1,))
    assert offered(seen[RECOGNISED - 1]) == set()  # seen, not yet recognised
    assert row["japan_level"] == "armed_attack"
    assert offered(cap) == ALL and cap["japan_legal.defence_of_japan"] == 1.0
    assert row["japan_force_day"] == pytest.approx(RECOGNISED / 24)


def test_the_ladder_climbs_role_by_role(tmp_path):
    """Important influence at 23 h, then an anticipated armed attack once Japan sees a strike on
    Taiwan: the rear-area roles keep their day, the new level adds its own."""
    extra = """
      prc:
        rules:
          strike: {when: quarantine_declared, action: strike_taiwan, delay_hours: 20}
    """
    row, cap, seen = run(tmp_path, [
        RULES["important_influence"],
        "aaa: {when: strikes_on_taiwan, action: declare_anticipated_armed_attack}"],
        extra=extra, at=(30.0,))
    assert offered(seen[30.0]) == REAR
    assert offered(cap) == REAR | POSITIONS
    days = dict(r.split("@") for r in row["japan_roles"].split())
    assert float(days["rear_area_logistics"]) == pytest.approx(SEEN / 24, abs=0.005)
    assert float(days["defensive_positions"]) == pytest.approx(43 / 24, abs=0.005)


# --- collective self-defence waits for the Diet ----------------------------------------------

def test_collective_roles_come_only_after_the_diet_approves(tmp_path):
    row, cap, seen = run(tmp_path, [RULES["survival_threatening"]], at=(SEEN + 9,))
    # the Cabinet asked at 23 h; the Diet approves 10 h later
    assert offered(seen[SEEN + 9]) == set() and "japan_legal.use_of_force" not in seen[SEEN + 9]
    assert offered(cap) == REAR | POSITIONS | COLLECTIVE
    assert row["japan_survival_threatening_day"] == pytest.approx((SEEN + 10) / 24)
    assert row["japan_force_day"] == pytest.approx((SEEN + 10) / 24)


def test_a_diet_that_refuses_unlocks_no_collective_role(tmp_path):
    row, cap, _ = run(tmp_path, [RULES["survival_threatening"]],
                      overrides=["actors.japan.diet_approval_probability=0"])
    assert row["japan_diet_rejected"] and row["japan_level"] == "none"
    assert offered(cap) == set() and not offered(cap) & COLLECTIVE
    assert row["japan_force_day"] is None


# --- an armed attack clearly imminent --------------------------------------------------------

IMMINENT = "imm: {when: quarantine_declared, action: declare_imminent_armed_attack}"


def test_imminent_attack_deploys_every_role_but_force_waits_for_an_attack(tmp_path):
    row, cap, seen = run(tmp_path, [IMMINENT], extra=STRIKE, at=(SEEN + 1, RECOGNISED - 1))
    for hours in (SEEN + 1, RECOGNISED - 1):  # declared; later the strike is seen, unrecognised
        then = seen[hours]
        assert deployed(then) == ALL
        assert offered(then) == REAR | POSITIONS  # roles that need no force are offered
        assert "japan_legal.use_of_force" not in then
        assert then["japan_legal.defence_of_japan.deployed"] == 1.0
    # the attack is recognised: force is lawful, every deployed role is now offered
    assert offered(cap) == ALL and cap["japan_legal.escort"] == 0.5
    assert row["japan_attack_imminent_day"] == pytest.approx(SEEN / 24)
    assert row["japan_force_day"] == pytest.approx(RECOGNISED / 24)
    assert row["japan_roles_deployed"] == ""  # nothing left waiting
    days = dict(r.split("@") for r in row["japan_roles"].split())
    assert float(days["defensive_positions"]) == pytest.approx(SEEN / 24, abs=0.005)
    assert float(days["defence_of_japan"]) == pytest.approx(RECOGNISED / 24, abs=0.005)


def test_without_an_attack_the_imminent_declaration_never_uses_force(tmp_path):
    row, cap, _ = run(tmp_path, [IMMINENT])
    assert row["japan_level"] == "none"  # the ladder does not move: imminence is its own fact
    assert deployed(cap) == ALL and offered(cap) == REAR | POSITIONS
    assert row["japan_force_day"] is None and "japan_legal.use_of_force" not in cap
    waiting = {r.split("@")[0] for r in row["japan_roles_deployed"].split()}
    assert waiting == COLLECTIVE | FULL
    # Japan's law still refuses an armed-attack declaration with no attack known
    row, _, _ = run(tmp_path, [IMMINENT, "aa: {when: attack_imminent, action: "
                                         "declare_armed_attack}"])
    assert row["japan_level"] == "none" and row["japan_armed_attack_day"] is None


def test_the_imminent_declaration_is_a_fact_rules_read_and_an_event_others_see(tmp_path):
    extra = """
      us:
        rules:
          answer: {when: japan_armed_attack_imminent, action: signal}
    """
    row, _, _ = run(tmp_path, [IMMINENT, "ii: {when: attack_imminent, "
                                         "action: declare_important_influence}"], extra=extra)
    assert row["japan_important_influence_day"] == pytest.approx(SEEN / 24)
    assert row["us_posture"] == "signal"  # the U.S. saw the declaration (10 h later)


def test_without_the_declaration_nothing_is_deployed_before_the_attack(tmp_path):
    _, cap, seen = run(tmp_path, extra=STRIKE, at=(RECOGNISED - 1,))
    assert deployed(seen[RECOGNISED - 1]) == set()
    assert deployed(cap) == ALL


# --- the YAML decides which level a role needs ----------------------------------------------

def test_the_yaml_can_move_a_role_to_another_level(tmp_path):
    moved = ["actors.japan.roles.escort.level=important_influence",
             "actors.japan.roles.escort.force=false",
             "actors.japan.roles.rear_area_logistics.level=anticipated_armed_attack"]
    _, cap, _ = run(tmp_path, [RULES["important_influence"]], overrides=moved)
    assert offered(cap) == {"transshipment_ports", "escort"}
    assert cap["japan_legal.escort"] == 0.5
    # a role that uses force, put at a level that allows no force, deploys there and is
    # offered only once force is lawful
    row, cap, _ = run(tmp_path, [RULES["important_influence"]], overrides=moved[:1])
    assert "escort" not in offered(cap) and "escort" in deployed(cap)
    assert row["japan_roles_deployed"] == f"escort@{SEEN / 24:.2f}"
    _, cap, _ = run(tmp_path, [RULES["survival_threatening"]], overrides=moved[:1])
    assert "escort" in offered(cap) and cap["japan_legal.escort"] == 0.5


def test_the_yaml_can_add_a_role_and_draw_its_amount(tmp_path):
    extra = """
      japan:
        roles:
          evacuation:
            level: anticipated_armed_attack
            offers: {dist: uniform, low: 2, high: 6, unit: ships, assumption: test}
            assumption: test
    """
    _, cap, _ = run(tmp_path, [RULES["anticipated_armed_attack"]], extra=extra)
    assert 2 <= cap["japan_legal.evacuation"] <= 6


def test_a_role_names_a_level_of_the_ladder(tmp_path):
    with pytest.raises(ScenarioError, match=r"roles\.escort\.level"):
        build(tmp_path, overrides=["actors.japan.roles.escort.level=imminent"])
    with pytest.raises(ScenarioError, match="identifier"):
        build(tmp_path, overrides=["actors.japan.roles.bad-name.level=armed_attack",
                                   "actors.japan.roles.bad-name.offers=1"])


def test_offers_keep_other_draws_where_they_were(tmp_path):
    """Role amounts are named draws: changing one moves no other replication draw."""
    a = build(tmp_path)
    b = build(tmp_path, overrides=["actors.japan.roles.escort.offers.value=0.25"])
    assert a.p["japan.role.escort"] == 0.5 and b.p["japan.role.escort"] == 0.25
    assert {k: v for k, v in a.p.items() if k != "japan.role.escort"} == \
        {k: v for k, v in b.p.items() if k != "japan.role.escort"}
    assert a.know[JAPAN]["attack_imminent"] == 0.0
