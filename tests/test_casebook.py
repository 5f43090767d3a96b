"""The casebook (``straitsim casebook``, issue 15 part 1): verdicts per check and per case on
hand-made numbers and tables, and the command on the bundled cases at a modest size."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

from _results_support import assert_clean_failure, invoke
from _support import ROOT
from sim.config.cases import load_case
from sim.results.casebook import (CASE_VERDICTS, VERDICTS, case_verdict, failing, score,
                                  verdict)

TOTAL = ROOT / "scenarios" / "variants" / "blockade_total.yaml"


@pytest.mark.parametrize("estimate, ci, lo, hi, n, expected", [
    (0.5, (0.45, 0.55), 0.4, 0.6, 100, "inside"),            # all of the interval in the band
    (0.5, (0.35, 0.65), 0.4, 0.6, 100, "inside-at-edge"),    # estimate in, interval crosses
    (0.5, (0.5, 0.5), 0.5, None, 40, "inside"),              # a zero-width interval on the edge
    (0.0, (0.0, 0.0876), None, 0.05, 40, "inside-at-edge"),  # 0 of 40 against "at most 5%"
    (0.7, (0.55, 0.8), 0.4, 0.6, 100, "outside-at-edge"),    # estimate out, interval reaches in
    (0.7, (0.65, 0.75), 0.4, 0.6, 100, "outside"),
    (0.1, (0.05, 0.2), 0.4, None, 100, "outside"),           # below a one-sided band
    (3.0, (math.nan, math.nan), 1, 5, 1, "inside-at-edge"),  # no interval: not firm
    (math.nan, (math.nan, math.nan), 1, 5, 0, "no data"),
])
def test_a_check_verdict_reads_the_estimate_and_its_interval(estimate, ci, lo, hi, n,
                                                              expected):
    assert verdict(estimate, ci, lo, hi, n) == expected


def test_a_case_verdict_is_its_worst_check():
    assert case_verdict(["inside", "inside"]) == "inside"
    assert case_verdict(["inside", "inside-at-edge"]) == "inside-at-edge"
    assert case_verdict(["inside-at-edge", "no data"]) == "no data"
    assert case_verdict(["inside", "outside-at-edge", "no data"]) == "outside"
    assert case_verdict(["outside", "inside"]) == "outside"
    assert set(CASE_VERDICTS) <= set(VERDICTS) | {"outside"}


CASE = f"""\
name: hand_made
title: A made-up published game
scenario: {TOTAL}
runs: 5
source: csis-lo-zero-baseline
checks:
  lost:
    statistic: share
    outcomes: [capitulation]
    band: {{max: 0.5}}
    published: {{value: 0.2, unit: share}}
    why: made up
    source: csis-lo-zero-baseline
    role: fitted
  power_week_3:
    statistic: median
    column: electricity_share
    week: 3
    band: {{min: 0.68, max: 0.78}}
    published: {{value: 0.73, unit: share}}
    why: made up
    source: csis-lo-zero-baseline
    role: checked
"""


def write(tmp_path, text=CASE, name="case.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_case_is_scored_on_hand_made_tables(tmp_path):
    loaded = load_case(write(tmp_path))
    table = pa.table({"replication": [0, 1, 2, 3],
                      "outcome": ["capitulation", "ongoing", "ongoing", "ongoing"]})
    weekly = pa.table({"replication": [0, 1, 2, 3], "week": [3, 3, 3, 3],
                       "electricity_share": [0.73, 0.73, 0.9, 0.73]})
    c = score(loaded, table, weekly)
    lost, power = c["checks"]
    # 1 of 4: 0.25, inside "at most 0.5", but Wilson's upper bound (0.70) crosses 0.5
    assert (lost["n"], lost["estimate"], lost["verdict"]) == (4, 0.25, "inside-at-edge")
    # the median of 0.73, 0.73, 0.73, 0.9 is 0.73; every resample's median is 0.73 or above
    assert power["estimate"] == pytest.approx(0.73) and power["verdict"] in (
        "inside", "inside-at-edge")
    assert c["verdict"] == "inside-at-edge"
    assert c["roles"]["fitted"] == {"checks": 1, "inside": 1, "outside": 0, "no_data": 0}
    assert failing([c], "all") == [] and failing([c], None) == []
    table = pa.table({"replication": [0, 1, 2, 3], "outcome": ["capitulation"] * 4})
    c = score(loaded, table, weekly)
    # 4 of 4 against "at most 0.5": Wilson's interval is [0.51, 1], wholly outside
    assert c["checks"][0]["verdict"] == "outside" and c["verdict"] == "outside"
    assert failing([c], "fitted") == [("hand_made", "lost")]
    assert failing([c], "all") == [("hand_made", "lost")]
    c["checks"][0]["role"] = "checked"
    assert failing([c], "fitted") == [] and failing([c], "all") == [("hand_made", "lost")]


def test_the_command_runs_both_bundled_cases(tmp_path):
    """`make test` runs the casebook at a modest size: both bundled cases, 40 replications;
    the page and the JSON are written and every verdict is computed from its numbers."""
    out = tmp_path / "book"
    result = invoke("casebook", "--runs", 40, "--out", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    book = json.loads((out / "casebook.json").read_text())
    cases = {c["name"]: c for c in book["cases"]}
    assert {"invasion_2023_base", "blockade_total"} <= set(cases)  # and any a student added
    for c in cases.values():
        assert c["runs"] == 40 and c["verdict"] in CASE_VERDICTS and c["run"] == "ran"
        assert (out / c["name"] / "outcomes.parquet").is_file()
        for k in c["checks"]:
            assert k["verdict"] == verdict(k["estimate"], k["ci95"], k["band_min"],
                                           k["band_max"], k["n"])
            assert k["check"] in result.stdout
        assert c["verdict"] == case_verdict([k["verdict"] for k in c["checks"]])
    # the weekly checks read weekly.parquet from the batch path; nothing in the total
    # blockade is drawn that moves the path, so 40 replications are decisive
    assert (out / "blockade_total" / "weekly.parquet").is_file()
    assert [k["verdict"] for k in cases["blockade_total"]["checks"]] == ["inside"] * 3
    assert cases["blockade_total"]["checks"][1]["estimate"] == pytest.approx(0.24, abs=0.005)
    page = (out / "casebook.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Traceback" not in page
    for c in cases.values():
        assert f'id="case-{c["name"]}"' in page
    assert page.count('<svg class="scale"') == sum(len(c["checks"]) for c in cases.values())
    # a second run of the same cases reuses the run folders
    again = invoke("casebook", "blockade_total", "--runs", 40, "--out", out, "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["cases"][0]["run"] == "reused"


def test_strict_fails_on_a_check_outside_its_band(tmp_path):
    miss = CASE.replace("band: {min: 0.68, max: 0.78}", "band: {min: 0.9}")  # week 3 is 0.73
    path = write(tmp_path, miss)
    out = tmp_path / "book"
    result = invoke("casebook", path, "--out", out)
    assert result.exit_code == 0, result.output  # it ran; the miss is on the page
    assert "outside" in result.stdout
    assert "Outside their bands:</b> hand_made / power_week_3" in (out / "casebook.html"
                                                                    ).read_text()
    assert invoke("casebook", path, "--out", out, "--strict", "fitted").exit_code == 0
    result = invoke("casebook", path, "--out", out, "--strict", "all")
    assert result.exit_code == 1
    assert "--strict all: 1 check(s) outside their band: hand_made/power_week_3" in \
        result.stderr


@pytest.mark.parametrize("change, where, problem", [
    ("    column: electricity_share", "case.yaml:17:", "checks.power_week_3.column: the "
     "scenario's run has no weekly column 'electricity_shar' (did you mean "
     "'electricity_share'?)"),
    ("    outcomes: [capitulation]", "case.yaml:9:", "checks.lost.outcomes.0: no outcome "
     "'capitulated'"),
    ("    role: fitted", "case.yaml:14:", "checks.lost.role: expected one of"),
])
def test_a_bad_case_is_one_line_naming_file_line_and_field(tmp_path, change, where, problem):
    replacement = {"    column: electricity_share": "    column: electricity_shar",
                   "    outcomes: [capitulation]": "    outcomes: [capitulated]",
                   "    role: fitted": "    role: fited"}[change]
    path = write(tmp_path, CASE.replace(change, replacement, 1))
    result = invoke("casebook", path, "--out", tmp_path / "book")
    line = assert_clean_failure(result, where, problem)
    assert not (tmp_path / "book").exists(), line  # nothing ran


def test_an_unknown_case_name_is_one_line(tmp_path):
    result = invoke("casebook", "invasion_2023", "--out", tmp_path / "book")
    assert_clean_failure(result, "invasion_2023: no such case file", "invasion_2023_base")


def test_the_worked_example_in_the_docs_runs(tmp_path):
    """docs/cases.md's worked example, as a reader would save it (scenario path made absolute
    for a file outside cases/), runs; its misspelt column is refused as the docs say."""
    import re
    text = (ROOT / "docs" / "cases.md").read_text()
    block = re.search(r"## Adding your own case.*?```yaml\n(.*?)```", text, re.S).group(1)
    scenario = str(ROOT / "scenarios" / "variants" / "invasion_2023_base.yaml")
    block = block.replace("../scenarios/variants/invasion_2023_base.yaml", scenario)
    path = write(tmp_path, block, "my_case.yaml")
    result = invoke("casebook", path, "--runs", 30, "--out", tmp_path / "book", "--json")
    assert result.exit_code == 0, result.output
    (check,) = json.loads(result.stdout)["cases"][0]["checks"]
    assert check["statistic"] == "quantile" and check["n"] == 30
    assert check["verdict"] in VERDICTS and check["verdict"] != "no data"
    path = write(tmp_path, block.replace("column: amphibious_sunk_share",
                                         "column: amphibious_sunk_shar"), "my_case.yaml")
    assert_clean_failure(invoke("casebook", path, "--out", tmp_path / "book2"),
                         "checks.fleet_sunk_p10.column: the scenario's run has no column "
                         "'amphibious_sunk_shar' (did you mean 'amphibious_sunk_share'?)")
