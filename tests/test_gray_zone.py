"""The gray-zone family: coercion below the armed-conflict line that can escalate into the other
families (then their judgements decide), or end de-escalated, or persist to the horizon."""

from __future__ import annotations

import pytest

from _support import frame, scenario_path
from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.replication import run_replication
from sim.model.vocab import OUTCOMES

COERCION = ("de_escalated", "coercion_persists")
NO_ESCALATION = ("actors.prc.rules.quarantine.hazard_per_day=0",
                 "actors.prc.rules.seize.hazard_per_day=0",
                 "actors.prc.rules.prepare.hazard_per_day=0")


def _escalated(df):
    """A replication escalated when it did not end as coercion alone."""
    return ~df.outcome.isin(COERCION)


def test_new_outcomes_are_in_the_vocabulary_in_order():
    assert OUTCOMES.index("de_escalated") < OUTCOMES.index("coercion_persists") \
        < OUTCOMES.index("ongoing")


def test_bundled_gray_zone_mostly_stays_below_armed_conflict():
    df = frame("gray_zone", runs=1000)
    shares = df.outcome.value_counts(normalize=True)
    assert shares[list(COERCION)].sum() > 0.6  # aspi-gray-zone-likely
    assert 0.02 < _escalated(df).mean() < 0.4
    # escalation reaches each of the other families' judgements
    assert {"blockade_lifted", "fait_accompli"} <= set(df.outcome)


def test_escalation_share_rises_with_the_prc_quarantine_hazard():
    low = frame("gray_zone", "actors.prc.rules.quarantine.hazard_per_day=0.0002", runs=1000)
    high = frame("gray_zone", "actors.prc.rules.quarantine.hazard_per_day=0.01", runs=1000)
    assert _escalated(high).mean() > _escalated(low).mean() + 0.15
    assert high.blockade_start_day.notna().mean() > low.blockade_start_day.notna().mean() + 0.2
    # common random numbers: raising the rate never removes an escalation
    assert (_escalated(high) | ~_escalated(low)).all()


def test_no_us_combat_and_no_war_without_escalation():
    df = frame("gray_zone", runs=1000)
    calm = df[df.outcome.isin(COERCION)]
    assert len(calm) > 500
    assert not calm.us_intervened.any()
    assert not calm.escalated_to_war.any()
    assert calm.us_posture.isin(["monitor"]).all()
    assert calm.blockade_start_day.isna().all()
    assert (calm.japan_level == "none").all()
    # the U.S. still answers below the line: every replication gets a diplomatic response
    assert calm.us_diplomatic_response_day.notna().mean() > 0.95


def test_with_every_escalation_off_it_only_ends_as_coercion():
    df = frame("gray_zone", *NO_ESCALATION, runs=600)
    assert set(df.outcome) <= set(COERCION)
    assert not df.us_intervened.any() and not df.escalated_to_war.any()


def test_standing_down_decides_de_escalation_and_its_probability_moves_it():
    never = frame("gray_zone", "actors.prc.rules.stand_down.probability=0", runs=600)
    assert "de_escalated" not in set(never.outcome)
    always = frame("gray_zone", *NO_ESCALATION, "actors.prc.rules.stand_down.probability=1",
                   "actors.prc.rules.exercise.probability=1", runs=600)
    # every campaign stands down, unless the long tail of the delay passes the horizon
    assert set(always.outcome) <= set(COERCION)
    assert (always.outcome == "de_escalated").mean() > 0.9
    assert (always[always.outcome == "coercion_persists"].end_day == 365).all()


def test_standing_down_after_an_escalation_does_not_end_the_crisis():
    # quarantine at once, stand down soon after: the blockade's own rules decide the end
    df = frame("gray_zone", "actors.prc.rules.quarantine.hazard_per_day=",  # a plain rule
               "actors.prc.rules.quarantine.probability=1",
               "actors.prc.rules.quarantine.delay_hours=1",
               "actors.prc.rules.exercise.probability=1",
               "actors.prc.rules.coast_guard.probability=1",
               "actors.prc.rules.stand_down.probability=1", runs=300)
    escalated = df[df.blockade_start_day.notna()]
    assert len(escalated) > 250
    assert not escalated.outcome.isin(COERCION).any()


def test_coercion_without_escalation_persists_rather_than_ongoing():
    df = frame("gray_zone", *NO_ESCALATION, "actors.prc.rules.stand_down.probability=0",
               runs=300)
    assert (df.outcome == "coercion_persists").all()
    assert (df.end_day == 365).all()


@pytest.mark.parametrize("name", ["full_invasion", "outer_islands", "blockade"])
def test_older_families_never_end_as_coercion(name):
    assert not frame(name).outcome.isin(COERCION).any()


def test_trace_shows_the_gray_zone_steps():
    c = compile_scenario(load(scenario_path("gray_zone")).scenario)
    row, records = run_replication(c, 20250115, 0, trace=True)
    acts = [text for _, actor, kind, text in records if kind == "acts"]
    assert acts[0] == "gray_zone_pressure"
    assert "prc_exercise" in acts or "coast_guard_boardings" in acts


def test_a_seized_kinmen_is_stormed_lifted_or_traded_as_in_the_islands_scenario():
    """The PRC's island rules (common/islands.yaml, which gray_zone extends) play a seized
    Kinmen out: with them, some sieges end in an assault and some islands are traded in talks;
    switched off, a seized Kinmen can only be starved, held or retaken."""
    seize_often = ("actors.prc.rules.seize.hazard_per_day=0.05",
                   "actors.prc.rules.quarantine.hazard_per_day=0",
                   "actors.prc.rules.prepare.hazard_per_day=0")
    on = frame("gray_zone", *seize_often, runs=200)
    off = frame("gray_zone", *seize_often, *(f"actors.prc.rules.{r}.enabled=false"
                                             for r in ("assault", "withdraw", "talks")), runs=200)
    assert on.island_assaulted.sum() > 0 and (on.outcome == "island_traded").sum() > 0
    assert off.island_assaulted.sum() == 0 and (off.outcome == "island_traded").sum() == 0
    assert (on.outcome == "fait_accompli").mean() < (off.outcome == "fait_accompli").mean()
