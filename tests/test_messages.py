"""Messages with content and channels that fail: a field the recipient's rules read, its value
the sender's state at sending (so a late message is stale); channels that lose or refuse a
message, that an event cuts, and senders that retry. Tiny scenarios with fixed delays; each test
fails without its mechanism."""

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
name: tiny_messages
title: tiny message test
family: gray_zone
communication:
  broker_delay_hours: 5
  channels:
    washington-tokyo: {{latency_hours: 1}}
    washington-taipei: {{latency_hours: 10}}
    tokyo-taipei: {{latency_hours: 0.5}}
    beijing-washington: {{latency_hours: 3}}
    beijing-tokyo: {{latency_hours: 4}}
    beijing-taipei: {{latency_hours: 6}}
  detection_delay_hours: {{us: 1, japan: 1, taiwan: 1, prc: 1}}
  messages:
    us_intent:
      fields: {{fight: posture >= 1, resolve: resolve}}
      assumption: test
actors:
  prc:
    rules:
      cut: {{when: start, action: cut_cables, enabled: false}}
  us:
    resolve: 0.9
    rules:
      tell_taipei: {{when: start, action: send, message: us_intent, to: taiwan, delay_hours: 1}}
      signal_later: {{when: start, action: signal, delay_hours: 5, enabled: false}}
      assure_taipei: {{enabled: false}}  # the bundled rule that also sends us_intent
  taiwan:
    rules:
      alert_on_support: {{when: us_intent.fight, action: raise_alert}}
"""


def scenario(tmp_path, extra: str = ""):
    (tmp_path / "tiny.yaml").write_text(BASE)
    (tmp_path / "variant.yaml").write_text("extends: tiny.yaml\n" + textwrap.dedent(extra))
    return compile_scenario(load(tmp_path / "variant.yaml").scenario)


def run(tmp_path, extra: str = "", i: int = 0):
    _, records = run_replication(scenario(tmp_path, extra), 1, i, trace=True)
    return records


def taiwan_alert_hours(records):
    return next((t for t, who, kind, text in records if who == "taiwan" and kind == "acts"
                 and text == "taiwan_alert"), None)


def told(records, fact):
    return [(t, text) for t, who, kind, text in records if who == "taiwan"
            and kind == "told by us:" and text.startswith(fact)]


def test_a_message_field_changes_the_recipients_decision(tmp_path):
    # the U.S. says it will fight when its posture is raised: signalling first, then telling
    # Taipei, makes Taiwan raise its alert when the message arrives
    on = run(tmp_path, """
        actors:
          us:
            rules:
              signal_first: {when: start, action: signal}
        """)
    assert taiwan_alert_hours(on) == pytest.approx(11.0)
    assert (pytest.approx(11.0), "us_intent.fight") in told(on, "us_intent.fight")
    # the same message with fight = 0: Taiwan hears it but its rule does not fire
    off = run(tmp_path)
    assert (pytest.approx(11.0), "us_intent") in told(off, "us_intent")
    assert taiwan_alert_hours(off) is None


def test_a_numeric_field_carries_the_senders_value(tmp_path):
    c = scenario(tmp_path, """
        actors:
          taiwan:
            rules:
              alert_on_support: {when: us_intent.resolve > 0.8}
        """)
    _, rec = run_replication(c, 1, 0, trace=True)
    assert ("us_intent.resolve = 0.9") in [text for _, who, _, text in rec if who == "taiwan"]
    assert taiwan_alert_hours(rec) == pytest.approx(11.0)


def test_a_stale_message_does_not_change_the_decision(tmp_path):
    # the U.S. signals at hour 5, but its message left at hour 1 saying fight = 0 and arrives
    # at hour 11: Taiwan acts on what was true at sending, not on the U.S.'s posture now
    rec = run(tmp_path, """
        actors:
          us:
            rules:
              signal_later: {enabled: true}
        """)
    us_posture = [t for t, who, kind, text in rec if who == "us" and kind == "acts"
                  and text == "us_signal"]
    assert us_posture == [pytest.approx(5.0)]
    assert told(rec, "us_intent.fight") == [(pytest.approx(11.0), "us_intent.fight = 0")]
    assert taiwan_alert_hours(rec) is None
    # a fresh message sent after the signal does carry fight = 1
    fresh = run(tmp_path, """
        actors:
          us:
            rules:
              signal_later: {enabled: true}
              tell_taipei: {when: us_signal}
        """)
    assert taiwan_alert_hours(fresh) == pytest.approx(16.0)


def test_a_lost_message_never_arrives(tmp_path):
    lossy = """
        communication:
          channels:
            washington-taipei: {latency_hours: 10, loss_probability: 1}
        actors:
          us:
            rules:
              signal_first: {when: start, action: signal}
        """
    rec = run(tmp_path, lossy)
    assert told(rec, "us_intent") == []
    assert taiwan_alert_hours(rec) is None
    assert any(text == "us_intent to taiwan: lost on the way" for _, _, _, text in rec)
    rec0 = run(tmp_path, lossy.replace("loss_probability: 1", "loss_probability: 0"))
    assert taiwan_alert_hours(rec0) == pytest.approx(11.0)


def test_a_refused_message_is_retried_and_gets_through(tmp_path):
    flaky = """
        communication:
          channels:
            washington-taipei:
              latency_hours: 10
              availability: {dist: bernoulli, p: 0.5}
        actors:
          us:
            rules:
              signal_first: {when: start, action: signal}
              tell_taipei: {retry: {attempts: 3, after_hours: 2}}
        """
    c_retry = scenario(tmp_path, flaky)
    c_once = scenario(tmp_path, flaky.replace("retry: {attempts: 3, after_hours: 2}",
                                              "enabled: true"))
    found = 0
    for i in range(40):
        _, once = run_replication(c_once, 1, i, trace=True)
        _, retried = run_replication(c_retry, 1, i, trace=True)
        refused = [t for t, who, kind, text in once if text.endswith("refused (channel down)")]
        if refused:
            # without retry the first refusal is final; with it, the next attempt 2 h later
            # draws its own availability and, here, gets through
            assert told(once, "us_intent") == []
            attempts = [t for t, who, kind, text in retried if who == "us" and kind == "sends"]
            if len(attempts) >= 2 and "refused" not in next(
                    text for t, who, kind, text in retried if who == "us" and kind == "sends"
                    and t == attempts[1]):
                assert attempts[1] == pytest.approx(3.0)
                assert taiwan_alert_hours(retried) == pytest.approx(13.0)
                found += 1
        else:
            assert taiwan_alert_hours(once) == pytest.approx(11.0)
    assert found >= 3


def test_an_event_cuts_a_channel(tmp_path):
    rec = run(tmp_path, """
        communication:
          channels:
            washington-taipei: {latency_hours: 10, cut_by: [undersea_cables_cut]}
        actors:
          prc:
            rules:
              cut: {enabled: true}
          us:
            rules:
              signal_first: {when: start, action: signal}
              tell_taipei: {delay_hours: 1, retry: {attempts: 2, after_hours: 1}}
        """)
    sends = [text for _, who, kind, text in rec if who == "us" and kind == "sends"]
    assert sends == ["us_intent to taiwan: refused (channel down)"] * 3
    assert taiwan_alert_hours(rec) is None


def test_trace_does_not_change_a_replication_with_faults(tmp_path):
    c = scenario(tmp_path, """
        communication:
          channels:
            washington-taipei: {latency_hours: 10, availability: 0.6, loss_probability: 0.3}
            washington-tokyo: {latency_hours: 1, availability: 0.5}
        actors:
          us:
            rules:
              signal_first: {when: start, action: signal, probability: 0.5}
              tell_taipei: {retry: {attempts: 2, after_hours: 3}}
          japan:
            rules:
              contact_taipei: {when: start}
        """)
    assert_trace_changes_nothing(c, 3)


@pytest.mark.parametrize("extra, problem", [
    ("communication:\n  messages:\n    us_intnt: {fields: {a: resolve}}\n", "did you mean"),
    ("communication:\n  messages:\n    us_intent: {fields: {fight: will_to_resist}}\n",
     "unknown name 'will_to_resist'"),
    ("actors:\n  taiwan:\n    rules:\n      alert_on_support: {when: us_intent.fite}\n",
     "unknown message field 'us_intent.fite'"),
    ("communication:\n  channels:\n    washington-taipei: {latency_hours: 1, cut_by: [cables]}\n",
     "unknown event 'cables'"),
])
def test_message_and_channel_names_are_checked(tmp_path, extra, problem):
    with pytest.raises(ScenarioError, match=problem):
        scenario(tmp_path, extra)


def test_latency_factor_scales_every_channel_and_the_broker(tmp_path):
    # us_intent leaves at hour 1 over washington-taipei (10 h): 11 h as given, 1 + 3 * 10 = 31
    # with every line three times slower
    on = """
        actors:
          us:
            rules:
              signal_first: {when: start, action: signal}
        """
    assert taiwan_alert_hours(run(tmp_path, on)) == pytest.approx(11.0)
    slow = run(tmp_path, on + "communication: {latency_factor: 3}\n")
    assert taiwan_alert_hours(slow) == pytest.approx(31.0)
    # the broker's delay scales too: a relayed Tokyo -> Taipei message takes
    # 3 * (1 + 5 + 10) = 48 h instead of 16 h
    relayed = """
        actors:
          japan:
            rules:
              word: {when: start, action: send, message: tokyo_word, to: taiwan}
        """
    for factor, hours in ((1, 16.0), (3, 48.0)):
        rec = run(tmp_path, relayed + f"communication: {{latency_factor: {factor}}}\n")
        got = [t for t, who, kind, text in rec if who == "taiwan" and kind == "told by japan:"
               and text == "tokyo_word"]
        assert got == [pytest.approx(hours)]
