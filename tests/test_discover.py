"""Scenario discovery (``straitsim discover``, ``sim.results.discover``): PRIM finds a planted
box, the tree names it, the command prints and draws it, and without the analysis extra it
says which extra to install."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import sim.results.discover as disc
from _support import INVASION
from sim.batch.execute import run_to_folder
from sim.cli import app
from sim.config.loader import load
from sim.errors import SimError
from sim.results.discover import discover, format_discovery

# The planted box: 0.2 <= draw.a <= 0.5 and draw.b >= 6 (b in [0, 10]); inside it the outcome
# happens 95% of the time, outside 3%. Two more inputs carry nothing.
BOX = {"draw.a": (0.2, 0.5), "draw.b": (6.0, None)}


def planted(n: int = 3000, seed: int = 3) -> pa.Table:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0, 1, n), rng.uniform(0, 10, n)
    c, d = rng.normal(size=n), rng.uniform(size=n)
    inside = (a >= 0.2) & (a <= 0.5) & (b >= 6)
    fell = np.where(inside, rng.uniform(size=n) < 0.95, rng.uniform(size=n) < 0.03)
    return pa.table({"replication": np.arange(n),
                     "outcome": np.where(fell, "taiwan_fell", "repelled"),
                     "us_intervened": ~fell, "draw.a": a, "draw.b": b, "draw.c": c,
                     "draw.d": d, "status": ["ok"] * n})


def test_prim_recovers_the_planted_box():
    d = discover(planted(), "taiwan_fell", boxes=1)
    box = d["boxes"][0]
    got = {r["column"]: r for r in box["ranges"]}
    assert set(got) == {"draw.a", "draw.b"}  # the inputs that carry nothing are not restricted
    assert got["draw.a"]["low"] == pytest.approx(0.2, abs=0.03)
    assert got["draw.a"]["high"] == pytest.approx(0.5, abs=0.03)
    assert got["draw.b"]["low"] == pytest.approx(6.0, abs=0.3)
    assert not got["draw.b"]["high_restricted"]
    assert box["density"] > 0.85 and box["coverage"] > 0.7
    # the tree's densest leaf is the same region
    top = d["tree"][0]
    assert top["share"] > 0.85
    cond = {c["column"]: (c["low"], c["high"]) for c in top["conditions"]}
    assert cond["draw.a"][0] == pytest.approx(0.2, abs=0.03)
    assert cond["draw.a"][1] == pytest.approx(0.5, abs=0.03)
    assert cond["draw.b"][0] == pytest.approx(6.0, abs=0.3)


def test_a_yes_no_column_is_an_outcome_too():
    d = discover(planted(), "us_intervened", boxes=1)
    assert d["outcome_replications"] == int(np.sum(~(planted().column("outcome").to_numpy(
        zero_copy_only=False) == "taiwan_fell")))


def test_no_signal_gives_no_tight_box():
    t = planted()
    rng = np.random.default_rng(9)
    noise = pa.array(np.where(rng.uniform(size=t.num_rows) < 0.3, "taiwan_fell", "repelled"))
    d = discover(t.set_column(1, "outcome", noise), "taiwan_fell", boxes=1)
    box = d["boxes"][0]
    assert box["density"] < 0.5  # no region is dense with an outcome drawn by a coin


def test_bad_outcome_and_columns_are_one_line_errors():
    with pytest.raises(SimError, match="not an outcome of this run"):
        discover(planted(), "nonsense")
    with pytest.raises(SimError, match="no such column"):
        discover(planted(), "taiwan_fell", ["draw.zzz*"])
    with pytest.raises(SimError, match="no draw"):
        discover(planted().drop(["draw.a", "draw.b", "draw.c", "draw.d"]), "taiwan_fell")


def test_format_lists_boxes_and_rules():
    text = format_discovery(discover(planted(), "taiwan_fell", boxes=1), "planted")
    assert "box 1: coverage" in text and "<= draw.a <=" in text and "draw.b >= " in text
    assert "Decision tree" in text


@pytest.fixture(scope="module")
def invasion_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("disc") / "run"
    run_to_folder(load(INVASION), 1500, 7, out, plots=False)
    return out


def test_discover_command_on_a_run(invasion_run):
    r = CliRunner().invoke(app, ["discover", str(invasion_run), "--outcome", "taiwan_fell",
                                 "--boxes", "1"])
    assert r.exit_code == 0, r.output
    assert "box 1: coverage" in r.output
    # the U.S. never fighting is the prior that drives the fall (the 27%): resolve or
    # the combat rule's decision must bound the first box
    assert "draw.actors.us." in r.output.split("box 1", 1)[1].split("Decision tree")[0]
    assert (invasion_run / "discover_taiwan_fell.png").is_file()
    manifest = json.loads((invasion_run / "manifest.json").read_text())
    assert "discover_taiwan_fell.png" in manifest["files_written"]
    r = CliRunner().invoke(app, ["discover", str(invasion_run), "--outcome", "taiwan_fell",
                                 "--boxes", "1", "-f", "json", "--no-figure",
                                 "--columns", "draw.actors.us.*"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["scenario"] == "full_invasion" and d["boxes"][0]["coverage"] > 0
    assert all(c.startswith("draw.actors.us.") for c in d["columns"])
    r = CliRunner().invoke(app, ["discover", str(invasion_run), "--outcome", "taiwan_fell",
                                 "--boxes", "1", "-f", "csv", "--no-figure"])
    assert r.exit_code == 0 and r.output.startswith("kind,index,coverage")


def test_discover_bad_outcome_exits_2(invasion_run):
    r = CliRunner().invoke(app, ["discover", str(invasion_run), "--outcome", "won"])
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and "--outcome won: not an outcome" in r.output


def test_without_the_extra_discover_exits_2_naming_it(invasion_run, monkeypatch):
    monkeypatch.setattr(disc, "analysis_available", lambda: False)
    r = CliRunner().invoke(app, ["discover", str(invasion_run), "--outcome", "taiwan_fell"])
    assert r.exit_code == 2
    assert r.output.count("\n") == 1
    assert "straitsim[analysis]" in r.output


def _section(run_dir):
    from sim.report.discovery import discovery_section
    from sim.report.html import _figure, _png
    from sim.results.rundir import load_run
    from sim.results.summary import summarize
    run = load_run(run_dir)
    return discovery_section(run, summarize(run.table), _png, _figure)


def test_the_report_shows_the_boxes(invasion_run):
    page = _section(invasion_run)
    assert "Where the outcome concentrates" in page and "<b>taiwan_fell</b>" in page
    assert "<th>coverage</th><th>density</th>" in page and "draw.actors.us." in page
    assert 'class="figure" src="data:image/png;base64,' in page


def test_the_report_works_without_the_extra(invasion_run, monkeypatch):
    monkeypatch.setattr(disc, "analysis_available", lambda: False)
    page = _section(invasion_run)
    assert "pip install &#x27;straitsim[analysis]&#x27;" in page
    assert "<table>" not in page


def test_the_report_of_a_run_without_draws_says_so(tmp_path):
    out = tmp_path / "nodraws"
    run_to_folder(load(INVASION), 200, 7, out, plots=False, draws=False)
    assert "no <code>draw.*</code> columns" in _section(out)
