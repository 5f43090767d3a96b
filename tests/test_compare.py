"""``straitsim compare``: variants run with common random numbers pair replication by replication,
so a scenario compared with itself differs by exactly zero, and the direct-channel variant's
differences come with paired intervals."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from _results_support import ROOT, RUNS, assert_clean_failure, invoke, make_run

DIRECT = ROOT / "scenarios" / "variants" / "blockade_direct_channel.yaml"


def _items(c: dict):
    for items in c["sections"].values():
        yield from items


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(tmp_path):
    result = invoke("compare", "blockade", "blockade", "-n", 150, "-o", tmp_path, "-f", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    assert c["paired"] and c["replications"] == 150
    assert [v["label"] for v in c["variants"]] == ["blockade", "blockade-2"]
    assert c["changed"] == [{"variant": "blockade-2", "versus": "blockade", "count": 0,
                             "n": 150, "examples": []}]
    for it in _items(c):
        d = it["diffs"][0]
        assert d["diff"] == 0.0 and d["ci95"] == [0.0, 0.0], it["name"]
        assert it["values"][0] == it["values"][1]
    assert c["days"], "no decision-day medians"
    for it in c["days"]:
        assert it["diffs"][0]["diff"] == 0.0 and it["diffs"][0]["ci95"] == [0.0, 0.0]
        assert it["values"][0] == it["values"][1]
    # each scenario variant is a normal run folder that summarize can read
    for label in ("blockade", "blockade-2"):
        assert invoke("summarize", tmp_path / label).exit_code == 0
    assert json.loads((tmp_path / "comparison.json").read_text()) == c


def test_direct_channel_against_brokered_blockade(tmp_path):
    result = invoke("compare", "blockade", DIRECT, "-n", 300, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "comparing 2 variants, paired on 300 replications, root seed 20250115" in out
    assert "B = blockade_direct_channel" in out
    assert "paired Wald interval on per-replication differences" in out
    c = json.loads((tmp_path / "comparison.json").read_text())
    assert "median day of ..." in out and "B - A (days) [95% CI]" in out
    for it in c["days"]:
        d = it["diffs"][0]
        assert d["method"] == "paired-bootstrap"
        assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
        assert all(v["ci95"][0] <= v["median"] <= v["ci95"][1] for v in it["values"])
    moved = 0
    for it in _items(c):
        a, b = it["values"]
        d = it["diffs"][0]
        assert abs(d["diff"] - (b["share"] - a["share"])) < 1e-12
        assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
        moved += d["diff"] != 0
    assert moved, "the direct channel changed nothing at all"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "comparison.csv").read_text())))
    assert {r["variant"] for r in rows} == {"blockade", "blockade_direct_channel"}
    for ext in ("png", "svg"):
        assert (tmp_path / f"comparison.{ext}").stat().st_size > 10_000


def test_run_folders_compare_and_must_share_a_seed(tmp_path, blockade_run):
    other = make_run(tmp_path / "seed2", "blockade", 300, "--seed", "2")
    same = invoke("compare", blockade_run, blockade_run, "-o", tmp_path / "c1", "-f", "csv")
    assert same.exit_code == 0, same.output
    rows = list(csv.DictReader(io.StringIO(same.stdout)))
    assert all(r["diff_vs_first"] in ("", "0.0") for r in rows)
    line = assert_clean_failure(invoke("compare", blockade_run, other, "-o", tmp_path / "c2"),
                                "root seeds differ", "--unpaired")
    assert "20250115" in line and ": 2" in line
    assert not (tmp_path / "c2").exists()
    loose = invoke("compare", blockade_run, other, "-o", tmp_path / "c3", "--unpaired")
    assert loose.exit_code == 0, loose.output
    assert "unpaired (independent samples)" in loose.stdout
    assert "Newcombe" in loose.stdout


def test_compare_pairs_on_the_common_replications(tmp_path, blockade_run):
    """A longer run folder is paired on the replications both variants have."""
    result = invoke("compare", blockade_run, "blockade", "-n", 120, "-o", tmp_path, "-f", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    assert c["replications"] == 120
    assert all(it["diffs"][0]["diff"] == 0.0 for it in _items(c))


def test_a_scenario_variant_takes_the_run_folders_seed(tmp_path):
    folder = make_run(tmp_path / "seed5", "blockade", 100, "--seed", "5")
    result = invoke("compare", folder, "blockade", "-n", 100, "-o", tmp_path / "c", "-f", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    assert [v["root_seed"] for v in c["variants"]] == [5, 5]
    assert all(it["diffs"][0]["diff"] == 0.0 for it in _items(c))


def test_compare_fails_cleanly(tmp_path, blockade_run):
    out = tmp_path / "out"
    assert_clean_failure(invoke("compare", "blockade", "-o", out), "at least two variants")
    assert_clean_failure(
        invoke("compare", "blockade", DIRECT, "--set", "actors.us.resolve=2", "-o", out),
        "--set actors.us.resolve=2", "actors.us.resolve")
    assert_clean_failure(invoke("compare", "blockade", tmp_path / "missing.yaml", "-o", out),
                         "missing.yaml")
    assert_clean_failure(invoke("compare", "blockade", tmp_path, "-o", out),
                         "not a run folder")
    assert not out.exists()  # every variant is checked before any is run
    broken = tmp_path / "broken"
    shutil.copytree(blockade_run, broken)
    (broken / "outcomes.parquet").write_text("x")
    assert_clean_failure(invoke("compare", blockade_run, broken, "-o", out),
                         "broken/outcomes.parquet: cannot read Parquet")


# --- issue 9, item 18: Japan's level, any numeric column, side by side without differences --


@pytest.fixture(scope="module")
def channel_runs(tmp_path_factory, blockade_run):
    """The blockade run folder and the same run with the direct Tokyo-Taipei channel."""
    d = tmp_path_factory.mktemp("channel")
    direct = make_run(d / "direct", "blockade", RUNS, "--set",
                      "communication.direct_trilateral_channel=true")
    return blockade_run, direct


def test_compare_shows_japans_level_and_a_column_asked_for(tmp_path, channel_runs):
    import pandas as pd
    a, b = channel_runs
    col = "tokyo_taipei_first_contact_hours"
    result = invoke("compare", a, b, "-o", tmp_path, "--column", col, "-f", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    assert [it["label"] for it in c["sections"]["japan_level"]][:2] == [
        "Japan: no situation", "Japan: important influence"]
    (it,) = c["columns"]
    assert it["name"] == col and it["label"] == "Tokyo-Taipei first contact (hours)"
    medians = [pd.read_parquet(f / "outcomes.parquet")[col].median() for f in (a, b)]
    assert [v["median"] for v in it["values"]] == pytest.approx(medians)
    d = it["diffs"][0]
    assert d["diff"] < 0 and d["ci95"][1] < 0  # the direct channel is faster
    text = invoke("compare", a, b, "-o", tmp_path, "-c", col).stdout
    assert "median of ..." in text and "Tokyo-Taipei first contact (hours)" in text
    assert "Japan's highest legal situation" in text and "Japan: important influence" in text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "comparison.csv").read_text())))
    assert [r["section"] for r in rows].count("column_median") == 2


def test_compare_no_diff_is_side_by_side(tmp_path, channel_runs):
    a, b = channel_runs
    other_seed = make_run(tmp_path / "seed7", "blockade", 100, "--seed", 7)
    result = invoke("compare", a, other_seed, "-o", tmp_path / "c", "--no-diff", "-f", "json")
    assert result.exit_code == 0, result.output  # no pairing, so no --unpaired needed
    c = json.loads(result.stdout)
    assert c["diff"] is False
    assert all(it["diffs"] == [] for items in c["sections"].values() for it in items)
    assert all(it["diffs"] == [] for it in c["days"])
    text = invoke("compare", a, b, "-o", tmp_path / "d", "--no-diff").stdout
    assert "side by side" in text and " - A " not in text and "B share [95% CI]" in text


@pytest.mark.parametrize("column, message", [
    ("tokyo_taipei_first_contact_hour", "--column tokyo_taipei_first_contact_hour: no such "
                                        "column in outcomes.parquet (did you mean "
                                        "'tokyo_taipei_first_contact_hours'?)"),
    ("outcome", "--column outcome: not a numeric column"),
])
def test_compare_bad_column_is_one_line(tmp_path, channel_runs, column, message):
    a, b = channel_runs
    assert_clean_failure(invoke("compare", a, b, "-o", tmp_path / "x", "-c", column), message)
    assert not (tmp_path / "x").exists()


def test_report_of_a_comparison_folder(tmp_path, channel_runs):
    a, b = channel_runs
    out = tmp_path / "cmp"
    assert invoke("compare", a, b, "-o", out, "-c", "tokyo_taipei_first_contact_hours"
                  ).exit_code == 0
    result = invoke("report", out)
    assert result.exit_code == 0, result.output
    assert "the comparison report" in result.stdout
    page = (out / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<h1>Comparison: blockade vs" in page
    assert "Japan: important influence" in page and "Tokyo-Taipei first contact" in page
    assert page.count('<img class="figure"') == 1 and "<h2>Glossary</h2>" in page
