"""The U.S. decides on the law: TRA coverage as a degree, resolve that moves with events,
Congress's position learned when it votes, and the War Powers report, clock and withdrawal."""

from __future__ import annotations

import pytest

from _support import scenario_path
from sim.config.loader import load
from sim.errors import ScenarioError
from sim.model.compiled import compile_scenario
from sim.model.replication import run_replication


def _compiled(name, *sets):
    return compile_scenario(load(scenario_path(name), list(sets)).scenario)


def _rows(c, n=120, seed=3, trace=False):
    out = []
    for i in range(n):
        row, records = run_replication(c, seed, i, trace=trace)
        r = dict(zip(row.columns, row))
        if trace:
            r["trace"] = records
        out.append(r)
    return out


def _decided(rows):
    return [r["us_combat_decision_day"] is not None for r in rows]


# --- 1. TRA coverage as a degree -------------------------------------------------------------

def test_the_degree_of_tra_coverage_scales_the_chance_the_us_fights_for_an_island():
    # Kinmen lies outside the TRA's definition: with the law's letter (0) the U.S. would never
    # fight; as a degree it fights in proportion. A resolute President, so the rule's condition
    # holds; paired draws, so a higher degree only adds decisions.
    base = ("target=kinmen", "actors.us.resolve=0.9")
    low = _rows(_compiled("outer_islands", *base, "actors.us.tra_coverage.kinmen.value=0.2"))
    high = _rows(_compiled("outer_islands", *base, "actors.us.tra_coverage.kinmen.value=1"))
    none = _rows(_compiled("outer_islands", *base, "actors.us.tra_coverage.kinmen.value=0"))
    n_low, n_high = sum(_decided(low)), sum(_decided(high))
    assert sum(_decided(none)) == 0
    assert 0 < n_low and n_high > 3 * n_low
    # p = degree * (0.5 + 0.5 * congress_expected): 0.16 and 0.8 with the bundled 0.6
    assert n_low / len(low) == pytest.approx(0.16, abs=0.08)
    assert n_high / len(high) == pytest.approx(0.8, abs=0.1)
    assert all(h for lo, h in zip(_decided(low), _decided(high)) if lo)


def test_the_seizure_carries_the_degree_of_the_target_island():
    c = _compiled("outer_islands", "target=matsu", "actors.us.tra_coverage.matsu.value=0.35")
    _, records = run_replication(c, 1, 0, trace=True)
    assert any(kind == "acts" and text.startswith("island_seized (tra_covered_attack=0.35)")
               for _, _, kind, text in records)


def test_without_tra_coverage_the_definition_decides():
    from sim.model.vocab import TRA_COVERED
    sc = load(scenario_path("outer_islands"), ["target=penghu"]).scenario
    bare = sc.model_copy(update={"actors": sc.actors.model_copy(update={
        "us": sc.actors.us.model_copy(update={"tra_coverage": None})})})
    c = compile_scenario(bare)
    assert "us.tra_coverage" not in {n for n, _, _ in c.scalars}
    assert c.tra_covered_target == TRA_COVERED["penghu"] == 1.0


# --- 2. Resolve that moves with events --------------------------------------------------------

_ATTACK = ("target=penghu", "actors.us.resolve=0.4",
           # the PRC attacks U.S. forces soon after the seizure
           "actors.prc.rules.hit_us.when=island_seized", "actors.prc.rules.hit_us.action="
           "attack_us_forces", "actors.prc.rules.hit_us.delay_hours=1",
           # isolate the rule that reads resolve: no automatic answer to the attack, and no
           # other event moves resolve
           "actors.us.rules.combat_when_attacked.enabled=false") + tuple(
    f"actors.us.resolve_shifts.{e}.value=0" for e in (
        "us_bases_japan_struck", "japan_base_use_granted", "japan_base_use_denied",
        "japan_survival_threatening", "japan_armed_attack", "congress_authorized",
        "congress_refused"))


def test_an_attack_on_us_forces_raises_resolve_and_wakes_a_rule_that_reads_it():
    # combat_for_covered_island needs resolve >= 0.5: at 0.4 it does not hold until the attack
    # (+0.3) is learned, then it deliberates and decides.
    shifted = _rows(_compiled("outer_islands", *_ATTACK))
    flat = _rows(_compiled("outer_islands", *_ATTACK,
                           "actors.us.resolve_shifts.us_forces_attacked.value=0"))
    assert sum(_decided(flat)) == 0
    assert sum(_decided(shifted)) > len(shifted) / 2
    for r in shifted:
        assert r["us_resolve"] == 0.4  # the draw stays the draw
        assert r["us_resolve_end"] == pytest.approx(0.7)
        if r["us_combat_decision_day"] is not None:
            assert r["us_resolve_at_combat"] == pytest.approx(0.7)


def test_resolve_shifts_when_the_us_learns_of_the_event_and_only_once():
    c = _compiled("outer_islands", *_ATTACK)
    [r] = _rows(c, n=1, trace=True)
    records = r["trace"]
    attacked = next(t for t, a, k, x in records if k == "acts" and x == "us_forces_attacked")
    seen = next(t for t, a, k, x in records if a == "us" and k == "observes"
                and x == "us_forces_attacked")
    shifts = [(t, x) for t, a, k, x in records if k == "reassesses"]
    assert shifts == [(seen, "resolve 0.40 -> 0.70 on us_forces_attacked")] and seen > attacked


def test_a_refusal_of_bases_lowers_resolve_and_stays_within_bounds():
    c = _compiled("full_invasion", "actors.us.resolve=0.05",
                  "actors.japan.rules.base_use.probability=0")
    for r in _rows(c, n=40):
        assert 0.0 <= r["us_resolve_end"] <= 1.0
    falls = [x.split() for r in _rows(c, n=40, trace=True) for _, _, k, x in r["trace"]
             if k == "reassesses" and x.endswith("on japan_base_use_denied")]
    assert falls
    for _, old, _, new, _, _ in falls:  # 'resolve 0.35 -> 0.25 on japan_base_use_denied'
        assert float(new) == pytest.approx(max(0.0, float(old) - 0.1), abs=0.006)
    assert any(float(new) == 0.0 for *_, new, _, _ in falls)  # clipped at 0


def test_a_resolve_shift_must_name_an_event():
    with pytest.raises(ScenarioError, match="unknown event 'us_forces_atacked'"):
        _compiled("blockade", "actors.us.resolve_shifts.us_forces_atacked=0.2")


# --- 3. Congress's position, learned when it votes --------------------------------------------

def test_the_combat_decision_reads_the_expectation_not_congress_s_vote():
    # The vote comes after forces are committed, so how Congress will vote cannot change the
    # decision; what the President expects of it does.
    def decisions(*sets):
        return [r["us_combat_decision_day"] for r in _rows(_compiled(
            "full_invasion", "actors.us.resolve=0.9", *sets))]
    assert decisions("actors.us.congress_support=0") == decisions("actors.us.congress_support=1")
    assert decisions("actors.us.congress_expected=0") != decisions(
        "actors.us.congress_expected=1")


def test_us_rules_cannot_read_congress_s_draw():
    with pytest.raises(ScenarioError, match="congress_support"):
        _compiled("full_invasion",
                  "actors.us.rules.combat_against_invasion.probability=congress_support")


# A war that lasts to the horizon: nothing sinks the PLA's fleet and no count of ports is
# enough for Taiwan to fall, so the campaign is decided only at its last turn (60 x 3.5 days).
_UNDECIDED = tuple("adjudication.invasion.campaign." + s for s in (
    "max_turns=60", "ports_toward_prc=1000", "lrasm_stock=0", "jassm_er_stock=0",
    "taiwan_asm_stock=0", "us_ssns=0", "ssn_arrivals_per_turn=0", "japan_ssn_equivalents=0"))
_AFTER_VOTE = ("actors.us.resolve=0.9", *_UNDECIDED,
               "actors.us.congress_vote_days=5",
               # a rule that acts only once the U.S. is sure of Congress
               "actors.us.rules.sure.when=us_combat and congress_expected >= 0.9",
               "actors.us.rules.sure.action=sanctions")


@pytest.mark.parametrize("support", (0, 1))
def test_a_us_rule_reads_the_expectation_before_the_vote_and_the_result_after(support):
    rows = _rows(_compiled("full_invasion", *_AFTER_VOTE,
                           f"actors.us.congress_support={support}"), n=60, trace=True)
    voted = [r for r in rows if r["us_congress_vote_day"] is not None]
    assert voted
    for r in rows:
        sanctions = next((t for t, a, k, x in r["trace"] if k == "acts"
                          and x == "us_sanctions"), None)
        if support and r["us_congress_vote_day"] is not None:
            assert r["us_congress_authorized"] == 1.0
            assert sanctions == pytest.approx(r["us_congress_vote_day"] * 24.0)
        else:
            assert sanctions is None  # the prior, 0.6, never met the condition
        if r["us_congress_vote_day"] is not None:
            assert r["us_congress_vote_day"] == pytest.approx(
                r["us_war_powers_report_day"] + 5)
            assert r["us_congress_authorized"] == support


# --- 4. War Powers: report, clock, withdrawal --------------------------------------------------

def test_the_report_comes_within_48_hours_of_forces_engaging():
    rows = _rows(_compiled("full_invasion", "actors.us.resolve=0.9"), n=80)
    engaged = [r for r in rows if r["us_intervened"]]
    assert engaged
    lags = [r["us_war_powers_report_day"] - r["us_intervention_day"] for r in engaged]
    assert all(0.0 <= lag <= 2.0 for lag in lags) and max(lags) > 1.0


def test_a_report_later_than_48_hours_is_refused():
    with pytest.raises(ScenarioError, match="within 48 hours"):
        load(scenario_path("blockade"), ["actors.us.war_powers_report_hours=72"])


# a long undecided war; Taipei does not give in as its power fails (the blockade's hazard)
_LONG = ("actors.us.resolve=0.9", *_UNDECIDED,
         "actors.taiwan.rules.capitulate_when_power_fails.enabled=false")


def test_without_authorization_forces_withdraw_60_plus_30_days_after_the_report():
    rows = _rows(_compiled("full_invasion", *_LONG, "actors.us.congress_support=0"), n=60)
    engaged = [r for r in rows if r["us_intervened"]]
    assert engaged
    for r in engaged:
        assert r["us_withdrawal_day"] == pytest.approx(r["us_war_powers_report_day"] + 90)
        assert r["us_congress_authorized"] in (0.0, None)


def test_an_authorization_stops_the_clock():
    rows = _rows(_compiled("full_invasion", *_LONG, "actors.us.congress_support=1",
                           "actors.us.congress_vote_days=5"), n=60, trace=True)
    engaged = [r for r in rows if r["us_intervened"]]
    assert engaged and all(r["us_withdrawal_day"] is None for r in engaged)
    assert all(r["us_congress_authorized"] == 1.0 for r in engaged)
    assert not [x for r in engaged for _, _, k, x in r["trace"] if x == "us_forces_withdrawing"]


def test_an_authorization_during_the_withdrawal_stops_it():
    # vote on day 75 after the report: the clock ran out on day 60, withdrawal was under way
    rows = _rows(_compiled("full_invasion", *_LONG, "actors.us.congress_support=1",
                           "actors.us.congress_vote_days=75"), n=30, trace=True)
    engaged = [r for r in rows if r["us_intervened"]]
    assert engaged
    for r in engaged:
        texts = [x for _, _, k, x in r["trace"] if k == "acts"]
        assert "us_forces_withdrawing" in texts and "congress_authorized" in texts
        assert r["us_withdrawal_day"] is None
