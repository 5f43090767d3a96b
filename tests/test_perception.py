"""Perception: detection delays by kind of event, misreadings that delay a decision until an
indicator sets them right, false alarms that are taken back. Tiny scenarios with fixed delays,
so exact hours can be asserted; each test fails without its mechanism."""

from __future__ import annotations

import textwrap

import pytest

from _support import SCENARIOS, assert_trace_changes_nothing
from sim.config.loader import load
from sim.errors import ScenarioError
from sim.model.compiled import compile_scenario
from sim.model.replication import run_replication

BASE = f"""
extends: {SCENARIOS / 'common' / 'alliance.yaml'}
name: tiny_perception
title: tiny perception test
family: invasion
communication:
  detection_delay_hours: {{us: 10, japan: 20, taiwan: 1, prc: 2}}
actors:
  prc:
    rules:
      prepare: {{when: start, action: prepare_invasion}}
      exercise: {{when: start, action: large_exercise, enabled: false}}
      strike: {{when: start, action: strike_taiwan, delay_hours: 100, enabled: false}}
  japan:
    rules:
      watch_preparations:
        when: invasion_preparations
        action: declare_important_influence
        interruptible: false
"""


def run(tmp_path, extra: str = "", trace: bool = False):
    """Replication 0 of the tiny scenario with ``extra`` (top-level YAML) in a variant."""
    (tmp_path / "tiny.yaml").write_text(BASE)
    (tmp_path / "variant.yaml").write_text("extends: tiny.yaml\n" + textwrap.dedent(extra))
    c = compile_scenario(load(tmp_path / "variant.yaml").scenario)
    row, records = run_replication(c, 1, 0, trace=trace)
    return dict(zip(row.columns, row)), records


def _japan_level_hours(records, event="japan_important_influence"):
    return next(t for t, who, kind, text in records if who == "japan" and kind == "acts"
                and text.startswith(event))


def test_detection_delay_depends_on_the_kind_of_event(tmp_path):
    # invasion preparations are covert: Japan sees them after its covert delay, not its default
    _, base = run(tmp_path, trace=True)
    assert _japan_level_hours(base) == pytest.approx(20.0)
    _, rec = run(tmp_path, """
        perception:
          japan:
            delay_hours: {covert: 50, public: 1}
        """, trace=True)
    assert _japan_level_hours(rec) == pytest.approx(50.0)
    # a public event (the U.S. sees Japan's declaration) keeps the U.S.'s own delay; Japan's
    # public delay does not apply to what the U.S. sees
    seen = [t for t, who, kind, text in rec if who == "us" and kind == "observes"
            and text == "japan_important_influence"]
    assert seen == [pytest.approx(60.0)]


def test_misreading_preparations_as_an_exercise_delays_the_decision(tmp_path):
    misread = """
        actors:
          prc:
            rules:
              strike: {enabled: true}
        perception:
          japan:
            misread:
              invasion_preparations:
                read_as: prc_exercise
                probability: 1
                until: [strikes_on_taiwan]
                assumption: test
        """
    _, rec = run(tmp_path, misread, trace=True)
    # Japan takes the preparations (hour 0, seen at 20) for an exercise; the strikes (hour 100,
    # seen at 120) set it right, and only then does it declare
    assert _japan_level_hours(rec) == pytest.approx(120.0)
    kinds = [(t, kind, text) for t, who, kind, text in rec if who == "japan"]
    assert (pytest.approx(20.0), "misreads", "invasion_preparations as prc_exercise") in kinds
    assert (pytest.approx(120.0), "forgets", "prc_exercise = 0") in kinds
    # probability 0: read right at once
    _, rec0 = run(tmp_path, misread.replace("probability: 1", "probability: 0"), trace=True)
    assert _japan_level_hours(rec0) == pytest.approx(20.0)


def test_a_misreading_clears_after_its_drawn_time(tmp_path):
    _, rec = run(tmp_path, """
        perception:
          japan:
            misread:
              invasion_preparations: {read_as: prc_exercise, probability: 1,
                                      clears_after_hours: 30, assumption: test}
        """, trace=True)
    assert _japan_level_hours(rec) == pytest.approx(50.0)


def test_a_false_alarm_is_believed_then_taken_back(tmp_path):
    row, rec = run(tmp_path, """
        actors:
          prc:
            rules:
              prepare: {enabled: false}
              exercise: {enabled: true}
        perception:
          japan:
            false_alarm:
              prc_exercise: {read_as: invasion_preparations, probability: 1,
                             clears_after_hours: 40, assumption: test}
        """, trace=True)
    # Japan reacts to preparations that never happened (the rule is not interruptible)
    assert _japan_level_hours(rec) == pytest.approx(20.0)
    japan = [(t, kind, text) for t, who, kind, text in rec if who == "japan"]
    assert (pytest.approx(60.0), "forgets", "invasion_preparations = 0") in japan
    assert (pytest.approx(60.0), "observes", "prc_exercise") in japan


def test_a_false_alarm_adds_to_the_survival_score_only_while_believed(tmp_path):
    row, rec = run(tmp_path, """
        actors:
          prc:
            rules:
              prepare: {enabled: false}
              exercise: {enabled: true}
          japan:
            survival_indicators: {invasion_preparations: 2}
        perception:
          japan:
            false_alarm:
              prc_exercise: {read_as: invasion_preparations, probability: 1,
                             clears_after_hours: 40, assumption: test}
        """)
    assert row["japan_survival_score"] == pytest.approx(0.0)


def test_trace_does_not_change_a_replication_with_readings(tmp_path):
    extra = """
        actors:
          prc:
            rules:
              strike: {enabled: true}
        perception:
          taiwan:
            misread:
              invasion_preparations: {read_as: prc_exercise, probability: 0.5,
                                      until: [us_signal], assumption: test}
          japan:
            delay_hours: {strike: 5}
            misread:
              invasion_preparations: {read_as: prc_exercise, probability: 0.5,
                                      until: [strikes_on_taiwan], assumption: test}
        """
    (tmp_path / "tiny.yaml").write_text(BASE)
    (tmp_path / "variant.yaml").write_text("extends: tiny.yaml\n" + textwrap.dedent(extra))
    c = compile_scenario(load(tmp_path / "variant.yaml").scenario)
    assert_trace_changes_nothing(c, 7)


@pytest.mark.parametrize("reading, problem", [
    ("invasion_preprations: {read_as: prc_exercise, probability: 1}", "did you mean"),
    ("invasion_preparations: {read_as: invasion_preparations, probability: 1}",
     "read_as must be another event"),
    ("invasion_preparations: {read_as: prc_exercise, probability: 1, until: [strikes]}",
     "unknown fact 'strikes'"),
])
def test_a_reading_names_known_events(tmp_path, reading, problem):
    with pytest.raises(ScenarioError, match=problem):
        run(tmp_path, f"""
            perception:
              japan:
                misread:
                  {reading}
            """)
