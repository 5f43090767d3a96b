"""Where a variant acted: compare lists the replications whose outcome it changed, and
``trace --against`` merges the two timelines of one of them."""

from __future__ import annotations

import json

import pandas as pd

from _results_support import invoke
from _support import BLOCKADE
from sim.results.tracediff import diff_timelines, first_divergence


def test_diff_matches_steps_whose_numbers_moved():
    a = [(0.0, "prc", "acts", "quarantine_declared"),
         (4.0, "taiwan", "sends", "help_request to japan via washington (arrives in 18.2 h)"),
         (22.2, "japan", "told by taiwan:", "help_request"),
         (30.0, "taiwan", "acts", "taiwan_capitulated")]
    b = [(0.0, "prc", "acts", "quarantine_declared"),
         (4.0, "taiwan", "sends", "help_request to japan via washington (arrives in 54.6 h)"),
         (58.6, "japan", "told by taiwan:", "help_request"),
         (40.0, "japan", "acts", "japan_important_influence")]
    rows = diff_timelines(a, b)
    assert [r[0] for r in rows] == [" ", "~", "~", "-", "+"]
    assert rows[1][5].endswith("18.2 h)") and rows[1][6].endswith("54.6 h)")
    assert rows[2][1:3] == (22.2, 58.6)
    assert first_divergence(rows) == 1
    assert first_divergence(diff_timelines(a, a)) is None


def test_compare_lists_changed_replications_and_trace_shows_why(tmp_path):
    variant = tmp_path / "weak_will.yaml"
    variant.write_text(f"extends: {BLOCKADE}\nname: weak_will\n"
                       "actors: {taiwan: {will_to_resist: {value: 0, assumption: test}}}\n")
    out = tmp_path / "cmp"
    result = invoke("compare", BLOCKADE, variant, "-n", 120, "-o", out, "-f", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    a = pd.read_parquet(out / "blockade" / "outcomes.parquet").set_index("replication")
    b = pd.read_parquet(out / "weak_will" / "outcomes.parquet").set_index("replication")
    differ = sorted(a.index[a["outcome"] != b.loc[a.index, "outcome"]])
    (changed,) = c["changed"]
    assert changed["count"] == len(differ) > 0 and changed["n"] == 120
    assert [e["replication"] for e in changed["examples"]] == differ[:5]
    first = changed["examples"][0]
    assert first["from"] == a.loc[first["replication"], "outcome"]
    assert first["to"] == b.loc[first["replication"], "outcome"]
    text = invoke("compare", BLOCKADE, variant, "-n", 120, "-o", out).stdout
    assert f"B changed the outcome of {len(differ)} of 120 replications" in text

    r = first["replication"]
    trace = invoke("trace", BLOCKADE, "-r", r, "--against", variant)
    assert trace.exit_code == 0, trace.output
    lines = trace.stdout.splitlines()
    assert lines[0] == f"A = blockade, B = weak_will: seed 20250115, replication {r}"
    assert any(line.startswith(("- ", "+ ", "~ ")) for line in lines)
    assert f"A: outcome {first['from']}" in trace.stdout
    assert f"B: outcome {first['to']}" in trace.stdout
    assert "the timelines first part on day" in trace.stdout


def test_trace_against_itself_is_the_same_and_plot_is_refused(tmp_path):
    same = invoke("trace", "blockade", "-r", 2, "--against", "blockade")
    assert same.exit_code == 0, same.output
    assert "the two timelines are the same" in same.stdout
    assert not any(line.startswith(("- ", "+ ", "~ ")) for line in same.stdout.splitlines())
    refused = invoke("trace", "blockade", "--against", "blockade", "-p", tmp_path / "t.png")
    assert refused.exit_code == 2 and "--plot draws one timeline" in refused.output
    assert not (tmp_path / "t.png").exists()
