"""Summaries of a run folder: the interval estimators on known cases, the ``summarize`` and
``figures`` commands, ``trace --plot``, and clean failures on bad run folders."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from _results_support import assert_clean_failure, invoke, with_errors
from _support import fan_charts
from sim.results.stats import (bootstrap_quantiles, newcombe_difference, paired_difference,
                               paired_median_difference, wilson)
from sim.results.summary import summarize

# --- interval estimators ----------------------------------------------------------------------


def test_wilson_matches_a_worked_example():
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662
    lo, hi = wilson(81, 263)
    assert lo == pytest.approx(0.2553, abs=5e-4)
    assert hi == pytest.approx(0.3662, abs=5e-4)
    assert wilson(0, 10)[0] == 0.0 and 0.25 < wilson(0, 10)[1] < 0.35
    assert all(math.isnan(x) for x in wilson(0, 0))


def test_bootstrap_interval_contains_the_median_and_narrows_with_n():
    rng = np.random.default_rng(1)
    small = rng.exponential(10, 100)
    large = rng.exponential(10, 4000)
    s = bootstrap_quantiles(small, [0.5], resamples=500, seed=3)[0]
    big = bootstrap_quantiles(large, [0.5], resamples=500, seed=3)[0]
    assert s["estimate"] == pytest.approx(np.median(small))
    assert s["ci95"][0] <= s["estimate"] <= s["ci95"][1]
    assert big["ci95"][0] <= big["estimate"] <= big["ci95"][1]
    assert big["ci95"][1] - big["ci95"][0] < (s["ci95"][1] - s["ci95"][0]) / 3
    # the true median of Exp(mean 10) is 10 ln 2
    assert big["ci95"][0] < 10 * math.log(2) < big["ci95"][1]


def test_bootstrap_is_reproducible_under_a_seed_and_moves_with_it():
    x = np.arange(50, dtype=float) ** 1.5
    a = bootstrap_quantiles(x, [0.1, 0.5, 0.9], resamples=300, seed=7)
    b = bootstrap_quantiles(x, [0.1, 0.5, 0.9], resamples=300, seed=7)
    c = bootstrap_quantiles(x, [0.1, 0.5, 0.9], resamples=300, seed=8)
    assert a == b
    assert a != c
    assert [q["q"] for q in a] == [0.1, 0.5, 0.9]


def test_bootstrap_of_a_constant_has_zero_width_and_of_nothing_is_nan():
    q = bootstrap_quantiles([4.0] * 20, [0.5], resamples=200)[0]
    assert q["ci95"] == (4.0, 4.0)
    assert math.isnan(bootstrap_quantiles([], [0.5])[0]["estimate"])


def test_paired_difference_of_identical_samples_is_exactly_zero():
    a = np.array([1, 0, 1, 1, 0] * 20)
    d = paired_difference(a, a)
    assert d["diff"] == 0.0 and d["ci95"] == (0.0, 0.0)
    assert d["method"] == "paired-wald"


def test_paired_interval_is_narrower_than_the_unpaired_one_for_correlated_samples():
    rng = np.random.default_rng(2)
    a = (rng.random(2000) < 0.4).astype(float)
    b = a.copy()
    flip = rng.random(2000) < 0.05  # b differs from a in 5% of replications
    b[flip] = 1 - b[flip]
    p = paired_difference(a, b)
    u = newcombe_difference(int(a.sum()), a.size, int(b.sum()), b.size)
    assert p["diff"] == pytest.approx(b.mean() - a.mean())
    assert u["diff"] == pytest.approx(p["diff"])
    assert p["ci95"][0] <= p["diff"] <= p["ci95"][1]
    assert (p["ci95"][1] - p["ci95"][0]) < (u["ci95"][1] - u["ci95"][0]) / 2
    with pytest.raises(ValueError):
        paired_difference(a, b[:-1])


def test_paired_median_difference():
    rng = np.random.default_rng(4)
    a = rng.exponential(10, 500)
    a[rng.random(500) < 0.3] = np.nan  # never happened in those replications
    same = paired_median_difference(a, a, resamples=300)
    assert same["diff"] == 0.0 and same["ci95"] == (0.0, 0.0)
    later = paired_median_difference(a, a + 2.5, resamples=300)
    assert later["diff"] == pytest.approx(2.5) and later["ci95"] == pytest.approx((2.5, 2.5))
    b = a + rng.normal(1, 1, 500)
    noisy = paired_median_difference(a, b, resamples=300, seed=1)
    assert noisy["ci95"][0] < noisy["diff"] < noisy["ci95"][1]
    assert noisy == paired_median_difference(a, b, resamples=300, seed=1)  # seeded
    assert math.isnan(paired_median_difference(a, np.full(500, np.nan))["diff"])


# --- summarize --------------------------------------------------------------------------------


def test_summary_gives_every_number_an_interval(blockade_run):
    s = summarize(pq.read_table(blockade_run / "outcomes.parquet"), resamples=300)
    assert s["runs"] == s["ok"] == 300 and s["errors"] == 0
    assert sum(o["count"] for o in s["outcomes"]) == 300
    for section in ("outcomes", "indicators", "japan_level", "us_posture"):
        for o in s[section]:
            lo, hi = o["ci95"]
            assert lo <= o["share"] <= hi
    assert sum(o["share"] for o in s["japan_level"]) == pytest.approx(1.0)
    assert sum(o["share"] for o in s["us_posture"]) == pytest.approx(1.0)
    for d in s["days"]:
        if d["count"]:
            for key in ("p10", "median", "p90"):
                lo, hi = d[f"{key}_ci95"]
                assert lo <= d[key] <= hi, (d["name"], key)
            assert d["p10"] <= d["median"] <= d["p90"]


def test_error_rows_are_counted_not_shared(blockade_run, tmp_path):
    broken = with_errors(blockade_run, tmp_path / "broken")
    s = summarize(pq.read_table(broken / "outcomes.parquet"), resamples=200)
    assert (s["runs"], s["ok"], s["errors"]) == (300, 297, 3)
    assert sum(o["count"] for o in s["outcomes"]) == 297
    result = invoke("summarize", broken)
    assert result.exit_code == 0
    assert "WARNING: 3 replications failed" in result.stdout


def test_a_run_read_a_column_at_a_time_summarises_as_the_whole_table(blockade_run, tmp_path):
    """``ColumnFile`` (what a batch summarises, so a million rows need not be in memory at
    once) gives the very numbers the whole table gives, error rows included."""
    from sim.batch.execute import summary_table
    from sim.results.table import ok_rows
    broken = with_errors(blockade_run, tmp_path / "broken")
    whole = pq.read_table(broken / "outcomes.parquet")
    with summary_table(broken / "outcomes.parquet") as cols:
        assert cols.num_rows == 300 and len(cols.column_names) < len(whole.column_names)
        assert summarize(cols, resamples=200) == summarize(whole, resamples=200)
        ok = ok_rows(cols)  # a view through the mask: the 297 rows that finished
        assert ok.num_rows == 297
        assert ok.column("end_day").equals(ok_rows(whole).column("end_day"))
        again = ok.filter(pc.equal(ok.column("outcome"), "blockade_broken"))  # a view of a view
        expect = ok_rows(whole).filter(pc.equal(ok_rows(whole).column("outcome"),
                                                "blockade_broken"))
        assert 0 < again.num_rows < 297
        assert again.column("end_day").equals(expect.column("end_day"))


def test_summarize_prints_a_table_json_and_csv(blockade_run, tmp_path):
    table = invoke("summarize", blockade_run)
    assert table.exit_code == 0, table.output
    assert "blockade (Quarantine escalating to blockade): 300 replications" in table.stdout
    assert "U.S. highest posture" in table.stdout and "median [95% CI]" in table.stdout
    js = invoke("summarize", blockade_run, "--format", "json")
    data = json.loads(js.stdout)
    assert data["scenario"] == "blockade" and data["root_seed"] == 20250115
    assert data["intervals"]["shares"] == "95% Wilson score"
    rows = list(csv.DictReader(io.StringIO(invoke("summarize", blockade_run, "-f", "csv").stdout)))
    assert {r["section"] for r in rows} >= {"outcomes", "japan_level", "us_posture",
                                             "days_median"}
    assert all(float(r["ci95_low"]) <= float(r["estimate"]) <= float(r["ci95_high"])
               for r in rows)
    # a file, format from its suffix; the same numbers as the terminal's JSON
    out = tmp_path / "s.json"
    written = invoke("summarize", blockade_run, "-o", out)
    assert written.stdout == f"wrote {out}\n"
    assert json.loads(out.read_text()) == data


def test_summarize_matches_the_manifest_summary(blockade_run):
    """The run command and summarize use the same default bootstrap seed."""
    manifest = json.loads((blockade_run / "manifest.json").read_text())
    data = json.loads(invoke("summarize", blockade_run, "-f", "json").stdout)
    median = {d["name"]: d.get("median_ci95") for d in data["days"]}
    for d in manifest["summary"]["days"]:
        if d.get("median_ci95") is not None:
            assert list(d["median_ci95"]) == median[d["name"]]


def test_summarize_fails_cleanly_on_bad_folders(tmp_path, blockade_run):
    assert_clean_failure(invoke("summarize", tmp_path / "nope"), "nope: no such run folder")
    assert_clean_failure(invoke("summarize", tmp_path), "not a run folder (no outcomes.parquet)")
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "manifest.json").write_text((blockade_run / "manifest.json").read_text())
    (corrupt / "outcomes.parquet").write_text("not parquet")
    assert_clean_failure(invoke("summarize", corrupt), "corrupt/outcomes.parquet: cannot read "
                                                       "Parquet")
    badjson = tmp_path / "badjson"
    badjson.mkdir()
    (badjson / "manifest.json").write_text("{oops")
    (badjson / "outcomes.parquet").write_bytes((blockade_run / "outcomes.parquet").read_bytes())
    assert_clean_failure(invoke("summarize", badjson), "badjson/manifest.json: cannot read")
    out = tmp_path / "s.json"
    assert_clean_failure(invoke("summarize", corrupt, "-o", out))
    assert not out.exists()


# --- figures and trace --plot -----------------------------------------------------------------


def test_figures_are_written_as_png_and_svg(blockade_run, tmp_path):
    result = invoke("figures", blockade_run, "-o", tmp_path / "figs")
    assert result.exit_code == 0, result.output
    # the blockade strikes bases, so air_basing's loss columns bring loss_distributions
    for stem in ("outcome_shares", "decision_days", "decision_ecdfs", "japan_ladder",
                 "loss_distributions"):
        png = (tmp_path / "figs" / f"{stem}.png").read_bytes()
        svg = (tmp_path / "figs" / f"{stem}.svg").read_text()
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, stem
        assert "<svg" in svg and len(svg) > 10_000, stem
    assert not [p for p in (tmp_path / "figs").iterdir() if p.name.startswith(".")]
    only = invoke("figures", blockade_run, "-o", tmp_path / "png", "--format", "png")
    assert sorted(p.suffix for p in (tmp_path / "png").iterdir()) == [".png"] * (
        5 + len(fan_charts())), only.output
    assert_clean_failure(invoke("figures", blockade_run, "--format", "pdf"), "--format pdf")


def test_svg_figures_redraw_identically(blockade_run, tmp_path):
    from sim.plots.figures import japan_ladder
    from sim.results.rundir import load_run
    table = load_run(blockade_run).ok()
    for d in ("a.svg", "b.svg"):
        japan_ladder(table, "blockade", tmp_path / d)
    assert (tmp_path / "a.svg").read_text() == (tmp_path / "b.svg").read_text()


def test_figures_read_a_column_at_a_time_draw_as_from_the_whole_table(blockade_run, tmp_path):
    from sim.batch.execute import summary_table
    from sim.plots.figures import write_run_figures
    whole = pq.read_table(blockade_run / "outcomes.parquet")
    s = summarize(whole, resamples=200)
    a = write_run_figures(whole, s, "blockade", tmp_path / "a", formats=("svg",))
    with summary_table(blockade_run / "outcomes.parquet") as cols:
        b = write_run_figures(cols, s, "blockade", tmp_path / "b", formats=("svg",))
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 5
    for x, y in zip(a, b):
        assert x.read_text() == y.read_text(), x.name


def test_a_histogram_kept_as_counts_draws_the_bars_of_the_values():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots.figures import Histogram
    vals = np.random.default_rng(3).gamma(2.0, 5.0, 5_000)
    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax1.hist(vals, bins=40)
    h = Histogram.of(vals)
    h.draw(ax2, "C0")
    bars = [[(r.get_x(), r.get_height(), r.get_width()) for r in ax.patches] for ax in (ax1, ax2)]
    plt.close(fig)
    assert bars[0] == bars[1] and len(bars[0]) == 40
    assert (h.size, h.p10, h.p90) == (5_000, *np.quantile(vals, [0.1, 0.9]))
    assert Histogram.of(np.empty(0)).size == 0


def test_trace_plot_draws_the_timeline(tmp_path):
    out = tmp_path / "timeline.svg"
    result = invoke("trace", "blockade", "--replication", "3", "--plot", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(f"wrote {out}")
    svg = out.read_text()
    for text in ("Washington", "Tokyo", "Taipei", "Beijing", "replication 3"):
        assert text in svg, text
    assert_clean_failure(invoke("trace", "blockade", "--plot", tmp_path / "t.pdf"),
                         "--plot", ".png or .svg")


def _trace(path, replication=3):
    from sim.config.loader import load
    from sim.model.compiled import compile_scenario
    from sim.model.replication import run_replication
    return run_replication(compile_scenario(load(path).scenario), 20250115, replication,
                           trace=True)[1]


def test_timeline_reads_every_message_and_decision_of_a_trace():
    """The chart is drawn from the trace's text; if that text changes shape, this fails."""
    from _support import SCENARIOS
    from sim.plots.timeline import parse_trace
    records = _trace(SCENARIOS / "blockade.yaml")
    messages, marks = parse_trace(records)
    assert len(messages) == sum(1 for r in records if r[2] == "sends") > 0
    assert sum(m.kind == "decides" for m in marks) == sum(1 for r in records
                                                          if r[2] == "decides")
    assert [m.kind for m in marks].count("ends") == 1
    for m in messages:
        assert m.sent_hours <= m.arrives_hours
        if m.relay_hours is not None:
            assert m.sent_hours <= m.relay_hours <= m.arrives_hours
    tokyo_taipei = [m for m in messages if {m.src, m.dst} == {"japan", "taiwan"}]
    assert tokyo_taipei and all(m.relay_hours is not None for m in tokyo_taipei)
    # with a direct channel nothing between Tokyo and Taipei goes through Washington
    direct, _ = parse_trace(_trace(SCENARIOS / "variants" / "blockade_direct_channel.yaml"))
    direct_tt = [m for m in direct if {m.src, m.dst} == {"japan", "taiwan"}]
    assert direct_tt and all(m.relay_hours is None for m in direct_tt)
