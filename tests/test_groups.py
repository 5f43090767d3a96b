"""Results by assumption (issue 15 part 2): ``summarize --by``, the ``--by`` spec, a scenario's
``key_assumptions`` and the report's splits on them."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest

from _results_support import assert_clean_failure, invoke
from _support import BLOCKADE, BUNDLED, scenario_path
from sim.config.groups import BySpec, parse_by
from sim.errors import ScenarioError, SimError
from sim.results.groups import NO_VALUE, split
from sim.results.stats import wilson


@pytest.mark.parametrize("text, spec", [
    ("us_intervened", BySpec("us_intervened")),
    ("prc_costs:4", BySpec("prc_costs", bins=4)),
    ("prc_costs:0,2.5,5", BySpec("prc_costs", edges=(0.0, 2.5, 5.0))),
    (" end_day : 10 , 20 ", None),  # spaces around the parts are fine
])
def test_by_specs_parse(text, spec):
    got = parse_by(text)
    if spec is not None:
        assert got == spec and parse_by(got.text) == got
    else:
        assert got == BySpec("end_day", edges=(10.0, 20.0))


@pytest.mark.parametrize("text, problem", [
    ("", "expected COLUMN"), ("1abc", "is not a column name"),
    ("x:1", "quantile bins must be 2 to 20"), ("x:a", "give a number of quantile bins"),
    ("x:3,2", "edges must increase"), ("x:1,b", "must be numbers"),
    ("x:1,inf", "finite numbers"),
])
def test_bad_by_specs_say_what_is_wrong(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_by(text)


# A hand-made run in which the U.S. decides everything: Taiwan fell in both runs it stayed
# out, and in one of the three it fought.
TABLE = pa.table({
    "outcome": ["taiwan_fell", "taiwan_fell", "repelled", "repelled", "taiwan_fell"],
    "us_intervened": [False, False, True, True, True],
    "japan_level": pa.array(["armed_attack", "none", "none", "armed_attack", "none"]
                            ).dictionary_encode(),
    "cost": [1.0, 2.0, 3.0, 4.0, float("nan")],
})


def _share(sp, group, outcome):
    g = sp["overall"] if group == "all" else next(g for g in sp["groups"]
                                                  if g["group"] == group)
    s = next(s for s in g["shares"] if s["name"] == outcome)
    return g["runs"], s["count"], s["share"], s["ci95"]


def test_a_split_gives_the_shares_within_each_group():
    sp = split(TABLE, "us_intervened")
    assert [g["group"] for g in sp["groups"]] == ["false", "true"]
    assert sp["outcomes"] == ["taiwan_fell", "repelled"]  # the model's outcome order
    assert _share(sp, "all", "taiwan_fell") == (5, 3, 0.6, wilson(3, 5))
    assert _share(sp, "false", "taiwan_fell") == (2, 2, 1.0, wilson(2, 2))
    assert _share(sp, "true", "taiwan_fell")[:3] == (3, 1, pytest.approx(1 / 3))
    assert _share(sp, "true", "repelled")[:3] == (3, 2, pytest.approx(2 / 3))


def test_a_ladder_splits_in_ladder_order_and_numbers_in_bins():
    # the dictionary was built in order of appearance (armed_attack first); the groups are not
    sp = split(TABLE.set_column(2, "japan_level", pa.array(
        ["armed_attack", "none", "none", "armed_attack", "none"]).cast(
        pa.dictionary(pa.int8(), pa.string()))), "japan_level")
    assert [g["group"] for g in sp["groups"]] == ["armed_attack", "none"]  # dictionary order
    sp = split(TABLE, "cost:2")  # edges at the quantiles of 1..4: 1, 2.5, 4
    assert [(g["group"], g["runs"]) for g in sp["groups"]] == [
        ("[1, 2.5]", 2), ("(2.5, 4]", 2), (NO_VALUE, 1)]
    assert sp["edges"] == [1.0, 2.5, 4.0]
    assert _share(sp, "[1, 2.5]", "taiwan_fell")[:3] == (2, 2, 1.0)
    # edges closer than four digits print with as many digits as it takes to tell them apart
    sp = split(TABLE, "cost:1.00001,1.00002,3")
    assert [g["group"] for g in sp["groups"]][:3] == ["< 1.00001", "[1.00001, 1.00002]",
                                                     "(1.00002, 3]"]
    sp = split(TABLE, "cost:2,3")  # 1 and 2 fall below the first edge, 4 above the last
    assert [(g["group"], g["runs"]) for g in sp["groups"]] == [
        ("< 2", 1), ("[2, 3]", 2), ("> 3", 1), (NO_VALUE, 1)]


@pytest.mark.parametrize("by, problem", [
    ("us_intervend", "no column 'us_intervend' (did you mean 'us_intervened'?)"),
    ("us_intervened:4", "column 'us_intervened' is not numeric"),
    ("cost:x", "give a number of quantile bins"),
])
def test_a_split_that_cannot_be_made_says_why(by, problem):
    with pytest.raises(SimError, match=re.escape(problem)):
        split(TABLE, by)


def test_summarize_by_on_a_run(blockade_run, tmp_path):
    result = invoke("summarize", blockade_run, "--by", "us_intervened", "--by", "prc_costs:4")
    assert result.exit_code == 0, result.output
    assert "by us_intervened (U.S. entered combat): 300 replications" in result.stdout
    assert "by prc_costs:4" in result.stdout
    result = invoke("summarize", blockade_run, "--by", "us_intervened", "-f", "json")
    sp = json.loads(result.stdout)["splits"][0]
    assert sum(g["runs"] for g in sp["groups"]) == sp["overall"]["runs"] == 300
    out = tmp_path / "by.csv"
    assert invoke("summarize", blockade_run, "--by", "japan_level", "-o", out).exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "by,group,runs,outcome,count,share,ci95_low,ci95_high"
    assert lines[1].startswith("japan_level,all,300,")


@pytest.mark.parametrize("by, needles", [
    ("us_intervend", ("--by us_intervend: the run's table has no column 'us_intervend' "
                      "(did you mean 'us_intervened'?)",)),
    ("us_resolve", ("--by us_resolve: column 'us_resolve' has", "distinct values; bin it: "
                    "us_resolve:4 (quartiles)")),
    ("prc_costs:1", ("--by prc_costs:1:", "quantile bins must be 2 to 20")),
])
def test_summarize_by_a_bad_column_is_one_line(blockade_run, by, needles):
    assert_clean_failure(invoke("summarize", blockade_run, "--by", by), *needles)


def test_key_assumptions_name_columns_of_the_run(tmp_path):
    from sim.config.loader import load
    for name in BUNDLED:
        assert load(scenario_path(name)).scenario.key_assumptions, name
    variant = tmp_path / "v.yaml"
    variant.write_text(f"extends: {BLOCKADE}\nkey_assumptions:\n  - us_posture\n"
                       f"  - us_postur\n")
    with pytest.raises(ScenarioError) as exc:
        load(variant)
    assert "v.yaml:4:5: key_assumptions.1: no outcome column 'us_postur' " \
           "(did you mean 'us_posture'?)" in str(exc.value)
    # a variant whose processes do not fill an inherited key assumption's column still loads
    # (tests/test_processes.py: a blockade without Japan has no japan_base_use)
    variant.write_text(f"extends: {BLOCKADE}\nkey_assumptions: [prc_costs:1]\n")
    with pytest.raises(ScenarioError, match="v.yaml:2.*key_assumptions.*quantile bins"):
        load(variant)


def test_the_report_shows_the_headline_beside_its_splits(blockade_run, tmp_path):
    from sim.config.loader import load
    out = tmp_path / "r.html"
    assert invoke("report", blockade_run, "-o", out).exit_code == 0
    page = out.read_text()
    assert "<h2>What drives the headline</h2>" in page
    specs = load(BLOCKADE).scenario.key_assumptions
    assert page.count("<table class=split>") == len(specs)
    for spec in specs:
        assert f"<th>{spec}</th><th>runs</th>" in page
    assert page.count("<b>all (headline)</b>") == len(specs)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=60),
       bins=st.integers(2, 6),
       edges=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=5, unique=True))
def test_groups_partition_the_replications(values, bins, edges):
    """Whatever the values and bins, every replication lands in exactly one group, and each
    outcome's counts over the groups add up to its count in the whole run."""
    outcomes = ["repelled" if i % 3 else "taiwan_fell" for i in range(len(values))]
    table = pa.table({"outcome": outcomes, "x": pa.array(values, pa.float64())})
    spec_edges = ",".join(repr(e) for e in sorted(edges))
    for by in (f"x:{bins}", f"x:{spec_edges}"):
        sp = split(table, by)
        assert sum(g["runs"] for g in sp["groups"]) == len(values)
        assert len({g["group"] for g in sp["groups"]}) == len(sp["groups"])
        for i, o in enumerate(sp["overall"]["shares"]):
            assert sum(g["shares"][i]["count"] for g in sp["groups"]) == o["count"]
