"""Unit tests of the model's mechanics on tiny hand-made scenarios with fixed delays, so exact
times can be asserted: observation delays, channels and the Washington relay, rule semantics,
Japan's ladder."""

from __future__ import annotations

import textwrap

import pytest

from _support import SCENARIOS, TINY_COMMUNICATION
from sim.config.loader import load
from sim.model.compiled import compile_scenario

from sim.model.replication import run_replication

BASE = f"""
extends: {SCENARIOS / 'common' / 'alliance.yaml'}
name: tiny
title: tiny test scenario
family: blockade
{TINY_COMMUNICATION}
actors:
  us:
    rules:
      signal: {{enabled: false}}
      escort_through_quarantine: {{enabled: false}}
      escort_through_blockade: {{enabled: false}}
      protest: {{delay_hours: 0}}
  japan:
    rules:
      important_influence: {{enabled: false}}
      contact_taipei: {{delay_hours: 0}}
  taiwan:
    rules:
      ask_for_help: {{enabled: false}}
      contact_tokyo: {{enabled: false}}
      mobilize: {{enabled: false}}
"""
PRC_PLAN = """
  prc:
    rules:
      declare: {when: start, action: declare_quarantine, delay_hours: 3}
"""


def run(tmp_path, extra: str = "", *overrides, trace=False):
    """Run replication 0 of the tiny scenario; ``extra`` is YAML under ``actors:`` in a variant
    file that extends it (so every test also exercises ``extends``)."""
    base = tmp_path / "tiny.yaml"
    base.write_text(BASE.replace("actors:\n", "actors:\n" + PRC_PLAN.strip("\n") + "\n", 1))
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: tiny.yaml\nactors:\n" + textwrap.indent(
        textwrap.dedent(extra).strip("\n"), "  ") + "\n" if extra.strip() else
        "extends: tiny.yaml\n")
    c = compile_scenario(load(variant, list(overrides)).scenario)
    row, records = run_replication(c, 1, 0, trace=trace)
    return dict(zip(row.columns, row)), records


def test_actor_acts_only_after_observing(tmp_path):
    row, _ = run(tmp_path)
    # declared at hour 3, the U.S. sees it 10 h later and protests at once
    assert row["us_diplomatic_response_day"] * 24 == pytest.approx(13.0)


def test_tokyo_taipei_messages_go_through_washington(tmp_path):
    row, records = run(tmp_path, trace=True)
    # Japan observes at 3 + 20 = 23 h; Tokyo->Washington 1 + broker 5 + Washington->Taipei 2
    assert row["tokyo_taipei_message_hours"] == pytest.approx(8.0)
    assert row["tokyo_taipei_first_contact_hours"] == pytest.approx(31.0)
    assert any("via washington" in r[3] for r in records)


def test_direct_channel_skips_the_broker(tmp_path):
    row, records = run(tmp_path, "", "communication.direct_trilateral_channel=true", trace=True)
    assert row["tokyo_taipei_message_hours"] == pytest.approx(0.5)
    assert row["tokyo_taipei_first_contact_hours"] == pytest.approx(23.5)
    assert not any("via washington" in r[3] for r in records)


def test_probability_zero_never_acts_and_otherwise_is_taken(tmp_path):
    row, _ = run(tmp_path, "", "actors.us.rules.protest.probability=0")
    assert row["us_diplomatic_response_day"] is None
    row, _ = run(tmp_path, "", "actors.us.rules.protest.probability=0",
                 "actors.us.rules.protest.otherwise=signal")
    assert row["us_posture"] == "signal"
    assert row["us_diplomatic_response_day"] is None


def test_probability_expression_reads_knowledge_at_decision_time(tmp_path):
    # The U.S. starts deliberating when the quarantine is seen (13 h) and decides 20 h later;
    # Taiwan's help request (sent at 4 h, arrives 6 h) is known by then -> p = 1.
    extra = """
      taiwan:
        rules:
          ask_for_help: {enabled: true, delay_hours: 0, when: quarantine_declared, to: us}
    """
    row, _ = run(tmp_path, extra, "actors.us.rules.protest.delay_hours=20",
                 "actors.us.rules.protest.probability=help_request")
    assert row["us_diplomatic_response_day"] * 24 == pytest.approx(33.0)
    # without the request the same rule declines
    row, _ = run(tmp_path, "", "actors.us.rules.protest.delay_hours=20",
                 "actors.us.rules.protest.probability=help_request")
    assert row["us_diplomatic_response_day"] is None


def test_rules_fire_once_and_the_ladder_never_steps_down(tmp_path):
    extra = """
      japan:
        rules:
          high: {when: quarantine_declared, action: declare_anticipated_armed_attack}
          low: {when: japan_anticipated_armed_attack, action: declare_important_influence}
    """
    row, records = run(tmp_path, extra, trace=True)
    assert row["japan_level"] == "anticipated_armed_attack"
    assert row["japan_important_influence_day"] is None
    assert sum(1 for r in records if r[2] == "deliberates" and r[3].startswith("high:")) == 1
    assert any(r[2] == "declines" and "already at" in r[3] for r in records)


def test_armed_attack_needs_an_attack(tmp_path):
    extra = """
      japan:
        rules:
          jump: {when: quarantine_declared, action: declare_armed_attack}
    """
    row, _ = run(tmp_path, extra)
    assert row["japan_level"] == "none"


def test_japan_recognises_attack_after_detection_and_cabinet_delay(tmp_path):
    extra = """
      prc:
        rules:
          hit: {when: quarantine_declared, action: strike_us_bases_japan, delay_hours: 1}
    """
    row, _ = run(tmp_path, extra, "actors.japan.armed_attack_recognition_hours=6")
    # strike at 4 h, Japan observes at 24 h, recognises at 30 h; Article V base use follows
    assert row["japan_armed_attack_day"] * 24 == pytest.approx(30.0)
    assert row["japan_base_use"] == "granted"
    assert row["japan_struck"]
