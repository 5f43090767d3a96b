"""The case format (a published result the model is held against) and scoring a run on it."""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from _results_support import make_run
from _support import BLOCKADE
from sim.config.cases import load_case
from sim.errors import ScenarioError, SimError
from sim.results.cases import format_scores, score_case
from sim.results.rundir import load_run

CASE = f"""\
name: tiny_case
title: A made-up published game
scenario: {BLOCKADE}
runs: 100
source: csis-four-conditions
checks:
  fell:
    statistic: share
    outcomes: [taiwan_fell, capitulation]
    band: {{max: 0.5}}
    published: {{value: 0.33, unit: share, note: 1 of 3 iterations}}
    why: three iterations say little
    source: csis-four-conditions
    role: checked
  end_when_fell:
    statistic: median
    column: end_day
    where: {{outcome: [taiwan_fell, capitulation]}}
    band: {{min: 10, max: 20}}
    published: {{value: 14, unit: days}}
    why: made up
    source: csis-four-conditions
    role: fitted
"""


def write(tmp_path, text=CASE):
    path = tmp_path / "case.yaml"
    path.write_text(text)
    return path


def test_scores_are_the_hand_computed_statistics(tmp_path):
    case = load_case(write(tmp_path)).case
    table = pa.table({"outcome": ["taiwan_fell", "repelled", "capitulation", "stalemate"],
                      "end_day": [12.0, 30.0, 18.0, 40.0]})
    fell, end = score_case(case, table)
    # 2 of 4 replications lost: 0.5, on the band's upper edge (inclusive)
    assert (fell["n"], fell["estimate"], fell["verdict"]) == (4, 0.5, "inside")
    assert fell["ci95"][0] < 0.5 < fell["ci95"][1]
    # the median end day among the two lost runs: (12 + 18) / 2 = 15, inside 10-20
    assert (end["n"], end["estimate"], end["verdict"]) == (2, 15.0, "inside")
    assert end["role"] == "fitted" and end["published"] == 14
    lost_late = pa.table({"outcome": ["taiwan_fell", "taiwan_fell", "repelled"],
                          "end_day": [25.0, 31.0, 5.0]})
    fell, end = score_case(case, lost_late)
    assert fell["estimate"] == pytest.approx(2 / 3) and fell["verdict"] == "outside"
    assert end["estimate"] == 28.0 and end["verdict"] == "outside"
    none_lost = pa.table({"outcome": ["repelled"], "end_day": [5.0]})
    _, end = score_case(case, none_lost)
    assert end["verdict"] == "no data" and math.isnan(end["estimate"])
    text = format_scores("tiny", score_case(case, table))
    assert "end_when_fell" in text and "15 [" in text and "14 days" in text


def test_a_case_scores_a_real_run(tmp_path):
    loaded = load_case(write(tmp_path))
    run = load_run(make_run(tmp_path / "run", str(loaded.scenario_path), loaded.case.runs))
    table = run.ok()
    fell, _ = score_case(loaded.case, table)
    lost = sum(o in ("taiwan_fell", "capitulation") for o in table.column("outcome").to_pylist())
    assert fell["n"] == 100 and fell["estimate"] == lost / 100


@pytest.mark.parametrize("change, where, problem", [
    ("    band: {max: 0.5}", "case.yaml:10", "checks.fell.band: a band needs"),
    ("    role: checked", "case.yaml:14", "checks.fell.role: expected one of"),
    ("    why: three iterations say little", "case.yaml:7", "checks.fell.why: required"),
    ("    outcomes: [taiwan_fell, capitulation]", "case.yaml:7", "a share counts either"),
    ("scenario: ", "case.yaml:3", "scenario: no scenario file"),
    ("    statistic: median", "case.yaml:15", "'q' goes with statistic: quantile"),
])
def test_bad_cases_say_file_line_and_field(tmp_path, change, where, problem):
    replacement = {
        "    band: {max: 0.5}": "    band: {}",
        "    role: checked": "    role: checkd",
        "    why: three iterations say little": "",
        "    outcomes: [taiwan_fell, capitulation]": "    outcomes: [taiwan_fell]\n"
                                                     "    column: us_intervened",
        "scenario: ": "scenario: nowhere.yaml\n#",
        "    statistic: median": "    statistic: quantile",
    }[change]
    text = CASE.replace(change, replacement, 1)
    with pytest.raises(ScenarioError) as exc:
        load_case(write(tmp_path, text))
    msg = str(exc.value)
    assert "\n" not in msg and where in msg and problem in msg, msg


def test_a_check_on_a_missing_column_is_one_line(tmp_path):
    case = load_case(write(tmp_path)).case
    with pytest.raises(SimError, match="check end_when_fell: the run's table has no column "
                                       "'end_day'"):
        score_case(case, pa.table({"outcome": ["repelled"]}))


def test_the_case_reference_names_every_field():
    from _support import ROOT
    from sim.config.cases import Case, Check
    text = (ROOT / "docs" / "cases.md").read_text()
    for model in (Case, Check):
        for field in model.model_fields:
            assert f"`{field}`" in text, f"docs/cases.md does not explain {field}"


WEEKLY_CASE = CASE.replace("""  end_when_fell:
    statistic: median
    column: end_day""", """  end_when_fell:
    statistic: median
    column: electricity_share
    week: 2""")


def test_a_weekly_check_reads_its_week_of_the_weekly_table(tmp_path):
    case = load_case(write(tmp_path, WEEKLY_CASE)).case
    table = pa.table({"replication": [0, 1, 2], "outcome": ["taiwan_fell", "capitulation",
                                                             "repelled"]})
    weekly = pa.table({"replication": [0, 0, 1, 1, 2, 2], "week": [1, 2, 1, 2, 1, 2],
                       "electricity_share": [0.9, 0.12, 0.9, 0.18, 0.9, 0.5]})
    _, end = score_case(case, table, weekly)
    # week 2 of the two lost runs (the where filter reads the main table): (0.12 + 0.18) / 2
    assert (end["n"], end["week"]) == (2, 2)
    assert end["estimate"] == pytest.approx(0.15) and end["verdict"] == "outside"  # band 10-20
    # a replication that ended before the week has no value there
    _, end = score_case(case, table, weekly.filter(pc.not_equal(
        weekly.column("replication"), 1)))
    assert end["n"] == 1 and end["estimate"] == pytest.approx(0.12)
    with pytest.raises(SimError, match="reads week 2 of 'electricity_share', but the run has "
                                       "no weekly table"):
        score_case(case, table)


def test_a_weekly_share_is_refused_with_file_and_line(tmp_path):
    text = WEEKLY_CASE.replace("  fell:\n    statistic: share\n", "  fell:\n    statistic: share\n"
                               "    week: 3\n", 1)
    with pytest.raises(ScenarioError, match="case.yaml:.*'week' reads a numeric weekly column"):
        load_case(write(tmp_path, text))
