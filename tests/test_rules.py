"""Rules that decide again (format 2): repeat on a change or on a cadence, interruptible
deliberations, hazards (timing against the analytic distribution, and pairing), requests asked
again, and the format version that keeps older files' meaning."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest
from scipy import stats

from _support import scenario_path
from sim.config.loader import load
from sim.errors import SimError
from sim.model.compiled import compile_scenario
from sim.model.replication import run_replication
from test_model_units import BASE, PRC_PLAN


FORMAT_2_RULES = (("us", "ask_japan_for_bases"), ("us", "assure_taipei"), ("japan", "base_use"),
                  ("japan", "answer_on_bases"))
# bundled rules that are hazards (format 2 only): a format-1 file turns them into a rule that
# never acts
FORMAT_2_HAZARDS = (("taiwan", "capitulate_when_power_fails"),)


def compiled(tmp_path, extra: str = "", *overrides, fmt: int = 2):
    tmp_path.mkdir(parents=True, exist_ok=True)
    """The tiny scenario of test_model_units (PRC declares a quarantine at 3 h; fixed delays),
    with ``extra`` YAML under ``actors:`` in a variant of format ``fmt``."""
    base = tmp_path / "tiny.yaml"
    base.write_text(BASE.replace("actors:\n", "actors:\n" + PRC_PLAN.strip("\n") + "\n", 1))
    if fmt == 1:  # the bundled rules that decide again need format 2: take their repeat out
        overrides = (tuple(f"actors.{a}.rules.{r}.repeat=null" for a, r in FORMAT_2_RULES)
                     + tuple(o for a, r in FORMAT_2_HAZARDS for o in (
                         f"actors.{a}.rules.{r}.hazard_per_day=null",
                         f"actors.{a}.rules.{r}.probability=0"))
                     + overrides)
    variant = tmp_path / "variant.yaml"
    body = textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ")
    variant.write_text(f"extends: tiny.yaml\nformat: {fmt}\n"
                       + (f"actors:\n{body}\n" if extra.strip() else ""))
    return compile_scenario(load(variant, list(overrides)).scenario)


def run(c, i: int = 0, trace: bool = True):
    row, records = run_replication(c, 1, i, trace=trace)
    return dict(zip(row.columns, row)), records


def _kinds(records, rid, kind):
    return [r for r in records if r[2] == kind and r[3].startswith(rid + ":")]


# --- repeat --------------------------------------------------------------------------------

# Taiwan sees the quarantine at 4 h and the U.S. protest (at 13 h) at 14 h. The rule's chance is
# zero until it knows of the protest.
HOPE = """
  taiwan:
    rules:
      hope: {when: quarantine_declared, action: capitulate, delay_hours: 2,
             probability: us_diplomatic_response%s}
"""


def test_a_declined_rule_decides_again_when_what_it_reads_changes(tmp_path):
    once, records = run(compiled(tmp_path, HOPE % ""))
    assert not once["taiwan_capitulated"] and len(_kinds(records, "hope", "declines")) == 1
    again, records = run(compiled(tmp_path, HOPE % ", repeat: {limit: 1}"))
    # declined at 6 h; the protest seen at 14 h makes it deliberate again: acts at 16 h
    assert again["taiwan_capitulation_day"] * 24 == pytest.approx(16.0)
    assert len(_kinds(records, "hope", "deliberates")) == 2


def test_repeat_stops_at_its_limit(tmp_path):
    never = """
      taiwan:
        rules:
          review: {when: quarantine_declared, action: capitulate, delay_hours: 1,
                   probability: 0, repeat: {limit: 3, every_days: 1}}
    """
    _, records = run(compiled(tmp_path, never, "horizon_days=30"))
    declines = [r[0] for r in _kinds(records, "review", "declines")]
    # first decision at 5 h, then a review every 24 h (each with its 1 h deliberation)
    assert declines == pytest.approx([5.0, 30.0, 55.0, 80.0])


def test_a_cadence_rule_ignores_changes_between_reviews(tmp_path):
    weekly = HOPE % ", repeat: {limit: 2, every_days: 7}"
    row, records = run(compiled(tmp_path, weekly, "horizon_days=30"))
    # declined at 6 h; the protest (14 h) does not wake it; the review at 6 + 168 h does
    assert row["taiwan_capitulation_day"] * 24 == pytest.approx(6.0 + 168.0 + 2.0)


def test_a_rule_that_acted_repeats_only_after_acting(tmp_path):
    ask = """
      us:
        rules:
          ask: {when: quarantine_declared or us_signal, action: send, message: nudge, to: japan,
                delay_hours: 1, repeat: {limit: 2%s}}
          show: {when: quarantine_declared, action: signal, delay_hours: 30}
    """
    _, records = run(compiled(tmp_path, ask % ""))
    assert len([r for r in records if r[2] == "sends" and "nudge" in r[3]]) == 1
    _, records = run(compiled(tmp_path, ask % ", after_acting: true"))
    sends = [r[0] for r in records if r[2] == "sends" and "nudge" in r[3]]
    # seen at 13 h -> sent at 14 h; the signal (43 h) changes what it reads -> sent at 44 h;
    # nothing else changes, so the second repeat is never used
    assert sends == pytest.approx([14.0, 44.0])


def test_the_us_asks_again_and_japan_reconsiders_a_refusal(tmp_path):
    """A refused request asked again when the situation has changed is answered again: with
    the same random numbers, every grant without the second ask is still a grant, and about
    half the refusals turn into grants (a second draw at p = 0.5)."""
    extra = """
      us:
        rules:
          ask: {when: quarantine_declared or japan_base_use_denied, action: send,
                message: base_use_request, to: japan, delay_hours: 1,
                repeat: {limit: 1, after_acting: true}}
      japan:
        rules:
          base_use: {when: base_use_request, action: grant_base_use, otherwise: deny_base_use,
                     delay_hours: 2, probability: 0.5, repeat: {limit: 1}}
    """
    once = compiled(tmp_path / "once", extra.replace(", after_acting: true", ""))
    twice = compiled(tmp_path / "twice", extra)
    granted_once, granted_twice = set(), set()
    for i in range(100):
        row, _ = run(once, i, trace=False)
        if row["japan_base_use"] == "granted":
            granted_once.add(i)
        row, records = run(twice, i)
        if row["japan_base_use"] == "granted":
            granted_twice.add(i)
            if i not in granted_once:
                # request at 15 h denied at 17 h; the U.S. sees it at 27 h and asks again:
                # arrives at 29 h, granted at 31 h
                assert row["japan_base_use_day"] * 24 == pytest.approx(31.0)
                assert any(r[3] == "base_use_request (again)" for r in records)
    assert granted_once <= granted_twice
    assert 30 < len(granted_once) < 70 and len(granted_twice - granted_once) > 10


# --- interruptible -------------------------------------------------------------------------

WAVER = """
  taiwan:
    rules:
      waver: {when: (quarantine_declared and not us_diplomatic_response) or us_signal,
              action: capitulate, delay_hours: 20%s}
  us:
    rules:
      show: {when: quarantine_declared, action: signal, delay_hours: 40}
"""


def test_a_deliberation_is_abandoned_and_restarted(tmp_path):
    row, records = run(compiled(tmp_path, WAVER % ""))
    # starts at 4 h; the protest, seen at 14 h, ends its condition; the signal (53 h, seen at
    # 54 h) brings it back: a fresh 20 h deliberation
    assert [r[0] for r in _kinds(records, "waver", "abandons")] == pytest.approx([14.0])
    assert row["taiwan_capitulation_day"] * 24 == pytest.approx(74.0)


def test_interruptible_false_and_format_1_finish_what_they_began(tmp_path):
    row, _ = run(compiled(tmp_path, WAVER % ", interruptible: false"))
    assert row["taiwan_capitulation_day"] * 24 == pytest.approx(24.0)
    old = WAVER % ""
    row, _ = run(compiled(tmp_path, old, fmt=1))
    assert row["taiwan_capitulation_day"] * 24 == pytest.approx(24.0)


# --- format --------------------------------------------------------------------------------

def test_format_1_files_get_a_migration_message(tmp_path):
    with pytest.raises(SimError) as e:
        compiled(tmp_path, HOPE % ", repeat: {limit: 1}", fmt=1)
    assert "needs 'format: 2'" in str(e.value) and "taiwan.rules.hope.repeat" in str(e.value)
    with pytest.raises(SimError) as e:
        compiled(tmp_path, fmt=3)
    assert "format 3 is newer than this straitsim reads" in str(e.value)


def test_bundled_scenarios_state_the_current_format():
    for name in ("full_invasion", "outer_islands", "blockade", "gray_zone"):
        assert load(scenario_path(name)).scenario.format == 2


# --- hazards -------------------------------------------------------------------------------

HAZARD = """
  taiwan:
    rules:
      give_in: {when: start, action: capitulate, hazard_per_day: "%s"}
"""
N = 300  # replications: KS at n = 300 tells a rate from half of it (D = 0.25 vs 0.11 at 0.1%)


def _capitulation_days(c, n=N):
    return np.array([run(c, i, trace=False)[0]["taiwan_capitulation_day"] for i in range(n)])


def test_constant_hazard_gives_exponential_times(tmp_path):
    days = _capitulation_days(compiled(tmp_path, HAZARD % "0.5", "horizon_days=365"))
    assert stats.kstest(days, stats.expon(scale=2.0).cdf).pvalue > 1e-3
    assert stats.kstest(days, stats.expon(scale=4.0).cdf).pvalue < 1e-3  # the test can fail


def test_a_step_in_the_rate_follows_the_piecewise_distribution(tmp_path):
    # Taiwan learns of the quarantine at 4 h: the rate steps from 0.2 to 1.2 per day.
    c = compiled(tmp_path, HAZARD % "0.2 + 1.0 * quarantine_declared", "horizon_days=365")
    step = 4.0 / 24.0

    def cdf(t):
        t = np.asarray(t, dtype=float)
        cum = np.where(t < step, 0.2 * t, 0.2 * step + 1.2 * (t - step))
        return 1.0 - np.exp(-cum)
    days = _capitulation_days(c)
    assert stats.kstest(days, cdf).pvalue > 1e-3
    assert stats.kstest(days, stats.expon(scale=1 / 0.2).cdf).pvalue < 1e-3  # ignoring the step
    assert stats.kstest(days, stats.expon(scale=1 / 1.2).cdf).pvalue < 1e-3  # step at 0


def test_a_higher_rate_never_fires_later(tmp_path):
    low = _capitulation_days(compiled(tmp_path, HAZARD % "0.2 + 0.3 * quarantine_declared"),
                             100)
    high = _capitulation_days(compiled(tmp_path, HAZARD % "0.3 + 0.6 * quarantine_declared"),
                              100)
    assert (high <= low).all() and (high < low).mean() > 0.9
    doubled = _capitulation_days(compiled(tmp_path, HAZARD % "0.4"), 100)
    single = _capitulation_days(compiled(tmp_path, HAZARD % "0.2"), 100)
    assert np.allclose(doubled, single / 2)  # one Exp(1) per firing: exact pairing


def test_no_hazard_while_the_condition_does_not_hold(tmp_path):
    paused = """
      taiwan:
        rules:
          give_in: {when: quarantine_declared and not us_diplomatic_response, action: capitulate,
                    hazard_per_day: 0.5}
    """
    c = compiled(tmp_path, paused, "horizon_days=365")
    days = _capitulation_days(c, 200)
    fired = days[~np.isnan(days.astype(float))]
    # the window is 4 h -> 14 h: at most those 10 hours of hazard, so most never fire
    assert (fired * 24 >= 4.0 - 1e-9).all() and (fired * 24 <= 14.0 + 1e-9).all()
    assert 0.1 < len(fired) / 200 < 0.3  # 1 - exp(-0.5 * 10 / 24) = 0.19


def test_hazard_excludes_probability_and_delay(tmp_path):
    with pytest.raises(SimError) as e:
        compiled(tmp_path, """
          taiwan:
            rules:
              give_in: {when: start, action: capitulate, hazard_per_day: 0.5, probability: 0.5}
        """)
    assert "hazard_per_day replaces delay_hours and probability" in str(e.value)
    assert math.isfinite(0.5)


# --- a process's own stream ----------------------------------------------------------------

def test_each_diet_vote_draws_afresh(tmp_path):
    """The Cabinet asking again after a rejection gets a new vote from japan_legal's own stream
    (a per-replication draw would repeat the first vote's result)."""
    ask = """
      japan:
        rules:
          survival_threatening: {when: quarantine_declared or japan_diet_rejected,
                                 action: declare_survival_threatening, delay_hours: 1,
                                 probability: 1%s}
    """
    sets = ("actors.japan.survival_threshold=0", "actors.japan.diet_approval_probability=0.5",
            "actors.japan.diet_prior_approval_hours=10")
    approved = {}
    for tag, extra in (("once", ""), ("again", ", repeat: {limit: 1, after_acting: true}")):
        c = compiled(tmp_path / tag, ask % extra, *sets)
        rows = [run(c, i, trace=False)[0] for i in range(200)]
        approved[tag] = {i for i, r in enumerate(rows)
                         if r["japan_survival_threatening_day"] is not None}
    # the first vote is shared; a second one turns about half the rejections into approvals:
    # 0.5 -> 1 - 0.5^2 = 0.75 (the rejection is an event: it happens, and so re-asks, once)
    assert approved["once"] <= approved["again"]
    assert 0.38 < len(approved["once"]) / 200 < 0.62
    assert 0.64 < len(approved["again"]) / 200 < 0.86
