"""Losses and other counted quantities as distributions: a process marks its columns
(``Process.quantities``), and ``summarize``, the run's figures and the report show the 10th, 50th
and 90th percentile of each with 95% bootstrap intervals, only when the run has such columns."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from _results_support import ROOT, invoke
from sim.model import outcome
from sim.model.processes import PROCESSES
from sim.results import labels as L
from sim.results.summary import QUANTILES, quantity_columns, summarize

BASE = ROOT / "scenarios" / "variants" / "invasion_2023_base.yaml"
CAMPAIGN = ("battalions_landed", "battalions_ashore", "amphibious_sunk", "escorts_sunk",
            "pla_major_ships_sunk", "lrasm_fired", "taiwan_battalions_lost", "pla_asm_fired",
            "us_carriers_lost", "us_surface_ships_lost", "us_aircraft_lost_ground",
            "us_aircraft_lost_carriers", "us_aircraft_lost_air", "us_aircraft_lost",
            "japan_ships_lost", "japan_aircraft_lost", "pla_aircraft_lost", "us_casualties",
            "japan_casualties", "jassm_er_fired", "taiwan_asm_fired", "area_held_km2",
            "taiwan_casualties", "pla_casualties_ashore",
            "pla_casualties_at_sea", "amphibious_sunk_lst", "amphibious_sunk_lhd_lpd",
            "amphibious_sunk_lsm", "amphibious_sunk_roro")
AIR = ("aircraft_lost_japan", "aircraft_lost_guam")
# An invasion cuts Taiwan's shipping too: the shipping process's ships by type come first.
SHIPS = tuple(f"ships_{k}_{t}" for t in ("lng", "coal", "oil", "container")
              for k in ("sailed", "arrived", "sunk", "seized")) + (
    "gdp_loss_pct",)  # and Taiwan's energy its GDP lost
# Every bundled scenario can strike U.S. bases (air_basing's loss columns); without that rule
# an island seizure without a landing has no loss or quantity column at all.
NO_LOSSES = ("--set", "actors.prc.rules.strike_bases_in_use.enabled=false")


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    """300 replications of the 2023 base case, figures and all, as ``straitsim run`` writes."""
    out = tmp_path_factory.mktemp("losses") / "base"
    result = invoke("run", BASE, "--runs", 300, "--seed", 11, "--out", out, "--quiet",
                    "--workers", 1)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def quiet_run(tmp_path_factory):
    """A crisis with no process that counts losses: outer_islands with the seizure itself
    switched off (an island's garrison counts its losses, issue 14), and no base strikes, landing
    or quarantine (a blockade or an invasion always counts ships by type, issue 13)."""
    out = tmp_path_factory.mktemp("losses") / "quiet"
    off = [a for r in ("seize", "land", "quarantine_taiwan", "enforce", "lift")
           for a in ("--set", f"actors.prc.rules.{r}.enabled=false")]
    result = invoke("run", "outer_islands", "--runs", 60, "--out", out, "--quiet", "--workers",
                    1, *NO_LOSSES, *off)
    assert result.exit_code == 0, result.output
    return out


def test_marked_quantities_are_numeric_columns_of_the_model():
    for P in PROCESSES:
        own = {n: kind for n, kind, _ in P.columns}
        for q in P.quantities:
            assert own.get(q) in ("int", "float"), (P.name, q)
    kinds = {n: kind for n, kind, _ in outcome.COLUMNS}
    for q in L.QUANTITIES:
        assert kinds.get(q) in ("int", "float"), q
    assert set(outcome.QUANTITIES) <= set(L.QUANTITIES)  # all labelled


def test_base_case_has_the_section_with_numpy_percentiles(base_run):
    table = pq.read_table(base_run / "outcomes.parquet")
    s = summarize(table, resamples=400)
    # the model's column order
    assert [q["name"] for q in s["quantities"]] == [*SHIPS, *CAMPAIGN, *AIR]
    for q in s["quantities"]:
        vals = table.column(q["name"]).to_numpy(zero_copy_only=False).astype(float)
        vals = vals[~np.isnan(vals)]
        assert q["count"] == vals.size == 300
        assert q["label"] == L.QUANTITIES[q["name"]]
        for key, p in QUANTILES:
            assert q[key] == pytest.approx(np.quantile(vals, p), abs=1e-9), (q["name"], key)
            lo, hi = q[f"{key}_ci95"]
            assert lo <= q[key] + 1e-9 and q[key] <= hi + 1e-9
    landed = next(q for q in s["quantities"] if q["name"] == "battalions_landed")
    assert landed["p10"] < landed["median"] < landed["p90"]  # a spread, not a constant
    lo, hi = landed["median_ci95"]
    assert lo < hi


def test_count_is_the_replications_with_a_value(base_run):
    table = pq.read_table(base_run / "outcomes.parquet")
    i = table.column_names.index("battalions_landed")
    vals = table.column(i).to_numpy().astype(float)
    holed = np.where(np.arange(vals.size) % 4 == 0, np.nan, vals)  # a quarter never invaded
    table = table.set_column(i, table.schema.field(i), pa.array(holed, mask=np.isnan(holed)))
    q = next(q for q in summarize(table, resamples=200)["quantities"]
             if q["name"] == "battalions_landed")
    assert q["count"] == 225
    assert q["median"] == pytest.approx(np.median(holed[~np.isnan(holed)]))


def test_a_column_is_shown_because_its_process_marks_it(base_run, monkeypatch):
    table = pq.read_table(base_run / "outcomes.parquet")
    assert set(AIR) <= set(quantity_columns(table.column_names))
    assert "us_air_share" not in quantity_columns(table.column_names)  # a share, not a count
    monkeypatch.setattr(outcome, "QUANTITIES", ("us_air_share",))  # air_basing marks another
    names = [q["name"] for q in summarize(table, resamples=100)["quantities"]]
    assert "us_air_share" in names and not set(AIR) & set(names)
    assert names == ["us_air_share"]  # the marks come from the processes, nothing else


def test_summarize_formats_carry_the_section(base_run):
    text = invoke("summarize", base_run, "--resamples", 200)
    assert text.exit_code == 0, text.output
    assert "losses and quantities" in text.output
    line = next(x for x in text.output.splitlines()
                if x.strip().startswith(L.QUANTITIES["amphibious_sunk"]))
    s = summarize(pq.read_table(base_run / "outcomes.parquet"), resamples=200)
    amph = next(q for q in s["quantities"] if q["name"] == "amphibious_sunk")
    assert f"{amph['median']:.1f}" in line and " 300 " in line

    js = json.loads(invoke("summarize", base_run, "-f", "json", "--resamples", 200).output)
    assert [q["name"] for q in js["quantities"]] == [*SHIPS, *CAMPAIGN, *AIR]
    assert js["quantities"][0]["median"] == pytest.approx(s["quantities"][0]["median"])
    assert len(js["quantities"][0]["median_ci95"]) == 2

    rows = list(csv.DictReader(io.StringIO(
        invoke("summarize", base_run, "-f", "csv", "--resamples", 200).output)))
    mine = [r for r in rows if r["section"].startswith("quantities_")]
    assert {r["section"] for r in mine} == {f"quantities_{k}" for k, _ in QUANTILES}
    assert len(mine) == 3 * len(SHIPS + CAMPAIGN + AIR)
    med = next(r for r in mine if r["section"] == "quantities_median"
               and r["name"] == "amphibious_sunk")
    assert float(med["estimate"]) == pytest.approx(amph["median"])
    assert med["count"] == "300" and med["interval"] == "bootstrap"


def test_run_and_figures_draw_the_loss_distributions(base_run, tmp_path):
    png = (base_run / "loss_distributions.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    manifest = json.loads((base_run / "manifest.json").read_text())
    assert "loss_distributions.png" in manifest["files_written"]
    assert [q["name"] for q in manifest["summary"]["quantities"]] == [*SHIPS, *CAMPAIGN, *AIR]
    result = invoke("figures", base_run, "-o", tmp_path / "figs")
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "figs" / "loss_distributions.svg").read_text()
    assert L.QUANTITIES["pla_major_ships_sunk"] in svg and "10th-90th" in svg


def test_report_has_the_table_and_the_figure(base_run, tmp_path):
    out = tmp_path / "r.html"
    result = invoke("report", base_run, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<table id="quantities">' in page and "Losses and quantities" in page
    table = page.split('<table id="quantities">')[1].split("</table>")[0]
    s = summarize(pq.read_table(base_run / "outcomes.parquet"))
    for q in s["quantities"]:
        assert f"<td>{q['label']}</td><td class=num>{q['count']}</td>" \
               f"<td class=num>{q['p10']:.1f}</td>" in table.replace("&#x27;", "'")
    assert 'alt="Losses and quantities"' in page


def test_no_section_and_no_figure_without_such_columns(quiet_run, tmp_path):
    table = pq.read_table(quiet_run / "outcomes.parquet")
    assert quantity_columns(table.column_names) == ()
    assert summarize(table, resamples=100)["quantities"] == []
    assert not (quiet_run / "loss_distributions.png").exists()
    assert "losses and quantities" not in invoke("summarize", quiet_run).output
    rows = invoke("summarize", quiet_run, "-f", "csv").output
    assert "quantities_" not in rows
    result = invoke("figures", quiet_run, "-o", tmp_path / "figs")
    assert result.exit_code == 0 and "loss_distributions" not in result.output
    assert not list((tmp_path / "figs").glob("loss_distributions.*"))
    invoke("report", quiet_run, "-o", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="quantities"' not in page and 'alt="Losses and quantities"' not in page

