"""What a newcomer meets (issue 9, items 16, 17 and 19): human labels for every outcome and
indicator, ``straitsim outcomes``, ladder columns that sort in ladder order, a summary that
counts undecided runs apart and says when one outcome took every replication, and figures
with nothing clipped, whole-number counts and no empty panels."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from _figure_checks import capture, integer_locator, outside
from _results_support import ROOT, invoke
from sim.model import vocab
from sim.model.outcome import COLUMNS
from sim.results import labels as L
from sim.results.summary import DAYS, INDICATORS, format_summary, summarize

# --- item 16: labels and `straitsim outcomes` -------------------------------------------------


def test_every_name_the_model_declares_has_a_label_and_a_meaning():
    for section, names in (("outcomes", vocab.OUTCOMES), ("japan_level", vocab.JAPAN_LEVELS),
                           ("us_posture", vocab.US_POSTURES)):
        for name in names:
            assert name in L.SECTIONS[section], f"{section} {name} has no label"
            assert L.meaning(name, section), f"{section} {name} has no meaning"
    bools = [name for name, kind, *_ in COLUMNS if kind == "bool"]
    assert set(bools) <= set(L.INDICATORS), set(bools) - set(L.INDICATORS)
    for col, label in INDICATORS:
        assert label == L.label(col, "indicators")
    for col, _ in DAYS:
        assert col in L.DAYS
    # the labels read as words, and no two outcomes or ladder steps share one
    for section in ("outcomes", "japan_level", "us_posture"):
        labels = [v[0] for v in L.SECTIONS[section].values()]
        assert len(set(labels)) == len(labels)
        assert not any("_" in lab for lab in labels)


def test_an_unknown_name_falls_back_to_itself():
    assert L.label("a_column_of_the_next_model") == "a_column_of_the_next_model"
    assert L.label("a_new_outcome", "outcomes") == "a_new_outcome"
    assert L.meaning("a_new_outcome", "outcomes") == ""
    assert L.label("de_escalated", "outcomes") == "de-escalated"
    assert L.label("important_influence", "japan_level") == "Japan: important influence"


def test_outcomes_command_lists_every_outcome_and_indicator_with_its_meaning():
    result = invoke("outcomes")
    assert result.exit_code == 0, result.output
    for name in (*vocab.OUTCOMES, *vocab.JAPAN_LEVELS, *(c for c, _ in INDICATORS)):
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), name
    assert '"de-escalated": The PRC stood down' in result.stdout
    rows = json.loads(invoke("outcomes", "--format", "json").stdout)
    named = {(r["section"], r["name"]) for r in rows}
    assert {("outcomes", o) for o in vocab.OUTCOMES} <= named
    assert all(r["meaning"] for r in rows)


def test_summary_uses_the_labels(blockade_run):
    text = invoke("summarize", blockade_run).stdout
    assert "Japan: important influence" in text and "U.S.: signal" in text
    assert "blockade lifted" in text and "blockade_lifted" not in text
    assert "still going at the horizon" in text and "  ongoing " not in text


def test_ladder_columns_are_ordered_categoricals_in_ladder_order(blockade_run):
    df = pd.read_parquet(blockade_run / "outcomes.parquet")
    for col, steps in (("japan_level", vocab.JAPAN_LEVELS), ("us_posture", vocab.US_POSTURES)):
        assert isinstance(df[col].dtype, pd.CategoricalDtype)
        assert df[col].cat.ordered
        assert list(df[col].cat.categories) == list(steps)  # every step, reached or not
        ranks = df[col].sort_values().map(list(steps).index).tolist()
        assert ranks == sorted(ranks) and len(set(ranks)) > 1
    assert (df.japan_level >= "important_influence").sum() == \
        df.japan_level.isin(vocab.JAPAN_LEVELS[1:]).sum()


def test_with_ladders_converts_an_old_string_column():
    from sim.results.table import with_ladders
    t = pa.table({"japan_level": ["armed_attack", None, "none"], "x": [1, 2, 3]})
    col = with_ladders(t).to_pandas().japan_level
    assert col.cat.ordered and list(col.cat.categories) == list(vocab.JAPAN_LEVELS)
    assert col.tolist()[0] == "armed_attack" and pd.isna(col.tolist()[1])


# --- item 17: undecided runs apart; one outcome in every replication ------------------------


def test_outcome_decided_counts_only_replications_ended_before_the_horizon(blockade_run):
    table = pq.read_table(blockade_run / "outcomes.parquet")
    outcomes = table.column("outcome").to_pylist()
    still = sum(o in L.UNDECIDED for o in outcomes)
    assert 0 < still < len(outcomes)  # the fixture has both
    s = summarize(table)
    decided = next(d for d in s["days"] if d["name"] == "end_day")
    assert decided["count"] == len(outcomes) - still
    ends = [e for e, o in zip(table.column("end_day").to_pylist(), outcomes)
            if o not in L.UNDECIDED]
    assert decided["p90"] <= max(ends)
    assert s["still_going"]["count"] == still
    text = format_summary(s, "x")
    assert re.search(rf"still going at the horizon\s+{still}\s", text)


SYNTH = """\
extends: {root}/scenarios/common/alliance.yaml
name: synth_island
title: A synthetic island seizure
family: outer_islands
target: kinmen
actors:
  us:
    tra_coverage:  # the TRA's letter: the U.S. never fights for Kinmen, so one outcome
      kinmen: {{value: 0, assumption: a test scenario}}
  prc:
    rules:
      seize:
        when: start
        action: seize_island
        delay_hours: 24
        assumption: a test scenario
"""


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory):
    """A small synthetic run in which one outcome takes every replication."""
    d = tmp_path_factory.mktemp("synth")
    path = d / "synth.yaml"
    path.write_text(SYNTH.format(root=ROOT))
    out = d / "run"
    result = invoke("run", path, "--runs", 60, "--out", out, "--no-plots", "--quiet")
    assert result.exit_code == 0, result.output
    assert len(set(pq.read_table(out / "outcomes.parquet").column("outcome").to_pylist())) == 1
    return path, out


def test_a_single_outcome_run_says_so_and_names_what_decides_it(synth_run):
    path, out = synth_run
    s = summarize(pq.read_table(out / "outcomes.parquet"))
    assert s["single_outcome"] in vocab.OUTCOMES
    text = " ".join(invoke("summarize", out).stdout.split())
    label = L.label(s["single_outcome"], "outcomes")
    assert f'Every one of the 60 finished replications ended in "{label}"' in text
    assert "target = kinmen" in text
    assert f"straitsim sweep {path} --param target=" in text
    data = json.loads(invoke("summarize", out, "--format", "json").stdout)
    assert data["single_outcome"] == s["single_outcome"]
    assert "target" in [p["path"] for p in data["single_outcome_levers"]]


def test_a_run_with_several_outcomes_has_no_such_note(blockade_run):
    assert summarize(pq.read_table(blockade_run / "outcomes.parquet"))["single_outcome"] is None
    assert "Every one of" not in invoke("summarize", blockade_run).stdout


def test_the_report_notes_a_single_outcome_and_traces_the_real_scenario(synth_run, tmp_path):
    path, out = synth_run
    page = tmp_path / "r.html"
    assert invoke("report", out, "-o", page).exit_code == 0
    html = page.read_text()
    assert 'class="banner note"' in html and "target = kinmen" in html
    assert f"straitsim trace {path} --seed 20250115 --replication" in html
    assert "&lt;scenario&gt;" not in html


# --- item 19: figures ----------------------------------------------------------------------


def test_decision_days_has_no_empty_panels_and_integer_counts(synth_run, monkeypatch):
    from sim.plots import figures
    _, out = synth_run
    table = pq.read_table(out / "outcomes.parquet")
    s = summarize(table)
    happened = [d["label"] for d in s["days"] if d["count"]]
    never = [d["label"] for d in s["days"] if not d["count"]]
    assert never  # the synthetic run leaves decisions untaken
    with capture(monkeypatch, figures) as figs:
        figures.decision_days(table, "synth_island", out / "x.png", s)
    fig = figs[0]
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == len(happened)
    assert all(any(t.startswith(lab) for t in titles) for lab in happened)
    for ax in fig.axes:
        assert integer_locator(ax.yaxis)
        assert all(float(t).is_integer() for t in ax.get_yticks())
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Never happened" in notes and all(lab in " ".join(notes.split()) for lab in never)
    assert outside(fig) == []


LONG_NAME = "a_scenario_name_as_long_as_a_student_might_choose_x"


@pytest.mark.parametrize("title", ["blockade", LONG_NAME])
def test_run_figures_clip_nothing(blockade_run, monkeypatch, title):
    from sim.plots import figures
    table = pq.read_table(blockade_run / "outcomes.parquet")
    s = summarize(table)
    with capture(monkeypatch, figures) as figs:
        figures.outcome_shares(s, title, "x.png")
        figures.decision_days(table, title, "x.png", s)
        figures.decision_ecdfs(table, title, "x.png")
        figures.japan_ladder(table, title, "x.png")
    assert len(figs) == 4
    for fig in figs:
        assert outside(fig) == [], fig.texts
    # labels, not raw names, on the outcome bars and the ladder
    ticks = [t.get_text() for t in figs[0].axes[0].get_yticklabels()]
    assert "still going at the horizon" in ticks and "ongoing" not in ticks
    decided = next(ax for ax in figs[1].axes if ax.get_title().startswith("Outcome decided"))
    assert f"({s['ok'] - s['still_going']['count']}/{s['ok']} runs)" in decided.get_title()


def test_run_prints_the_single_outcome_note_with_what_decides_it(synth_run, tmp_path):
    """`straitsim run` itself, not only `summarize`, names the settings that would change a
    one-outcome result, with a sweep command on the file it ran."""
    path, _ = synth_run
    result = invoke("run", path, "--runs", 60, "--out", tmp_path / "again", "--no-plots")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "target = kinmen" in text
    assert f"straitsim sweep {path} --param target=" in text
