"""``straitsim report``: a self-contained page (figures embedded, nothing fetched), the errors
banner, the representative replication, and a render in a real headless browser.

The browser test needs Chromium (``apt-get install chromium``; ``.ci/run`` installs it). Without
it the test is skipped, unless ``STRAITSIM_REQUIRE_BROWSER=1`` makes its absence a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from _results_support import ROOT, assert_clean_failure, invoke, make_run, with_errors
from _support import BLOCKADE, fan_charts
from sim.config.loader import load
from sim.results.labels import label
from sim.results.representative import choose_representative

ARTIFACTS = ROOT / "tests" / "artifacts"
# five run figures (the blockade strikes bases: losses), its fan charts, the timeline and the
# discovery figure
FIGURES_IN_REPORT = 7 + len(fan_charts())
# summary tables, glossary, assumptions, discovery's boxes and tree leaves; a week table per fan
# chart; a split per key assumption
TABLES_IN_REPORT = 11 + len(fan_charts()) + len(load(BLOCKADE).scenario.key_assumptions)


@pytest.fixture(scope="module")
def report(blockade_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = invoke("report", blockade_run, "-o", out)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"wrote {re.escape(str(out))} \(\d+ KiB\)\n", result.stdout)
    return out


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    images = re.findall(r'<img class="figure" src="([^"]+)"', page)
    assert len(images) == FIGURES_IN_REPORT
    assert all(src.startswith("data:image/png;base64,") and len(src) > 20_000 for src in images)
    # nothing the browser would fetch: no remote (or any non-data) src/href, no CSS url()
    assert not re.findall(r'(?:src|href)\s*=\s*"(?!data:|#)', page)
    assert not re.search(r"url\(\s*['\"]?(?!data:)", page)
    assert "http://" not in page and "https://" not in page


def test_report_has_the_tables_assumptions_and_timeline(report, blockade_run):
    page = report.read_text(encoding="utf-8")
    assert 'class="banner ok">All 300 replications finished.' in page
    # 4 shares, days, losses (the blockade strikes bases), trace, glossary, assumptions
    assert len(re.findall(r"<table[ >]", page)) == TABLES_IN_REPORT
    for heading in ("Summary", "Figures", "A representative replication", "Glossary",
                    "Key assumptions and their sources"):
        assert f"<h2>{heading}</h2>" in page
    assert "95% CI (Wilson)" in page and "median (day)" in page
    # an assumption with its claim's text, looked up in the register by id
    claims = {c["id"]: c["claim"] for c in
              yaml.safe_load((ROOT / "seeds" / "claims.yaml").read_text())["claims"]}
    manifest = json.loads((blockade_run / "manifest.json").read_text())
    source = manifest["resolved_scenario"]["horizon_days"]["source"]
    source = source if isinstance(source, str) else source[0]
    assert "<code>horizon_days</code>" in page
    assert claims[source].strip().replace("'", "&#x27;")[:60] in page
    rep = choose_representative(pq.read_table(blockade_run / "outcomes.parquet"))
    assert (f"Replication {rep.replication}: the most common outcome, "
            f"{label(rep.outcome, 'outcomes')}") in page


def test_errors_and_a_changed_model_are_flagged_at_the_top(blockade_run, tmp_path):
    """Failed replications get a banner; so does a timeline whose re-run replication no longer
    gives the stored row (here: the manifest's scenario was edited after the run)."""
    broken = with_errors(blockade_run, tmp_path / "broken")
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["resolved_scenario"]["horizon_days"]["value"] = 2
    (broken / "manifest.json").write_text(json.dumps(manifest))
    result = invoke("report", broken)
    assert result.exit_code == 0, result.output
    assert "3 failed replications flagged at the top" in result.stdout
    page = (broken / "report.html").read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<div class="banner error" role="alert">')
    top = body.split("<h1>")[0]
    assert "3 of 300 replications failed" in top
    assert "RuntimeError: boom in replication 0" in top
    assert "of the 297 that finished" in top
    assert "did not give the stored row" in top
    assert 'class="banner ok"' not in page


def test_representative_is_the_modal_outcome_nearest_its_median():
    t = pa.table({"replication": [0, 1, 2, 3, 4, 5, 6],
                  "outcome": ["ongoing", "capitulation", "capitulation", "capitulation",
                              "ongoing", "capitulation", "taiwan_fell"],
                  "end_day": [180.0, 40.0, 90.0, 60.0, 180.0, 61.0, 10.0],
                  "status": ["ok"] * 7})
    rep = choose_representative(t)
    # capitulation days 40, 60, 61, 90 -> median 60.5; 60 and 61 tie, the lower index wins
    assert (rep.replication, rep.outcome, rep.end_day) == (3, "capitulation", 60.0)
    assert "capitulation (57% of replications)" in rep.reason
    failed = t.set_column(3, "status", pa.array(["ok", "error", "error", "error", "ok", "ok",
                                                 "ok"]))
    assert choose_representative(failed).outcome == "ongoing"


def test_report_fails_cleanly(tmp_path, blockade_run):
    assert_clean_failure(invoke("report", tmp_path / "nope"), "no such run folder")
    assert_clean_failure(invoke("report", blockade_run, "-o", tmp_path / "r.pdf"), "r.pdf",
                         ".html")
    assert_clean_failure(invoke("report", blockade_run, "-r", 300), "--replication 300",
                         "0 to 299")
    assert not list(tmp_path.iterdir())


# --- in a real browser ------------------------------------------------------------------------

def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("STRAITSIM_REQUIRE_BROWSER") == "1":
        pytest.fail("STRAITSIM_REQUIRE_BROWSER=1 but no chromium on PATH "
                    "(apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); "
                "set STRAITSIM_REQUIRE_BROWSER=1 to make this a failure")


def _headless(chromium, profile, *args, timeout=90):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def test_report_renders_in_a_headless_browser(report, tmp_path):
    chromium = _chromium()
    url = report.resolve().as_uri()
    dom = _headless(chromium, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom",
                    url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dom.stdout)
    assert body, dom.stdout[:500]
    loaded = re.search(r'data-figures-loaded="(\d+)"', body.group(1))
    total = re.search(r'data-figures-total="(\d+)"', body.group(1))
    assert loaded and total, f"the page's script did not run: {body.group(0)}"
    assert int(total.group(1)) == FIGURES_IN_REPORT
    assert int(loaded.group(1)) == FIGURES_IN_REPORT, "some figures did not decode"
    tables = len(re.findall(r"<table[ >]", report.read_text(encoding="utf-8")))
    assert tables == TABLES_IN_REPORT  # as the static page test counts
    assert len(re.findall(r"<table[ >]", dom.stdout)) == tables
    assert "Key assumptions and their sources" in dom.stdout

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    taken = _headless(chromium, tmp_path / "profile", "--hide-scrollbars",
                      f"--screenshot={shot}", "--window-size=1280,2400",
                      "--virtual-time-budget=5000", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000


def test_a_run_in_which_every_replication_failed(blockade_run, tmp_path):
    dead = with_errors(blockade_run, tmp_path / "dead", failed=range(300))
    result = invoke("report", dead)
    assert result.exit_code == 0, result.output
    page = (dead / "report.html").read_text(encoding="utf-8")
    assert "300 of 300 replications failed" in page.split("<h1>")[0]
    assert "nothing to draw" in page and "no timeline" in page
    assert_clean_failure(invoke("figures", dead), "no replication finished (all 300 failed)")


# --- issue 9, items 16 and 19: the glossary, plain wording, a trace command that runs --------


def _prose(page: str) -> list[str]:
    """The report's sentences: paragraphs, banners and captions, without tags or images."""
    import html
    page = re.sub(r"<(script|style|table)\b.*?</\1>", " ", page, flags=re.S)
    blocks = re.findall(r"<(p|figcaption|div)\b[^>]*>(.*?)</\1>", page, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", b)).split()) for _, b in blocks]


def test_report_has_no_doubled_words(report):
    doubled = [(m.group(0), text) for text in _prose(report.read_text(encoding="utf-8"))
               for m in re.finditer(r"\b([A-Za-z]{2,})\s+\1s?\b", text, flags=re.I)]
    assert doubled == []


def test_report_glossary_and_labels(report):
    from sim.model import vocab
    from sim.results.labels import label
    page = report.read_text(encoding="utf-8")
    glossary = page.split('<table id="glossary">', 1)[1].split("</table>", 1)[0]
    for o in vocab.OUTCOMES:
        assert f"<code>{o}</code>" in glossary and label(o, "outcomes") in glossary
    assert "Japan: important influence" in glossary
    summary = page.split("<h2>Summary</h2>", 1)[1].split("<h2>Figures</h2>", 1)[0]
    assert "still going at the horizon" in summary and ">ongoing<" not in summary


def test_report_prints_the_trace_command_with_the_scenario(report):
    page = report.read_text(encoding="utf-8")
    m = re.search(r"<code>(straitsim trace [^<]+)</code>", page)
    assert m and m.group(1).startswith("straitsim trace blockade --seed 20250115 --replication ")
    rep = int(m.group(1).rsplit(" ", 1)[1])
    result = invoke(*m.group(1).split()[1:])
    assert result.exit_code == 0 and f"replication {rep}" in result.stdout


@pytest.mark.parametrize("name", ["full_invasion", "outer_islands", "blockade", "gray_zone"])
def test_every_bundled_scenario_runs_and_reports(name, tmp_path):
    """What `make demo` does, small: run each bundled scenario and write its report."""
    run = make_run(tmp_path / name, name, 200)
    result = invoke("report", run)
    assert result.exit_code == 0, result.output
    page = (run / "report.html").read_text(encoding="utf-8")
    assert "Key assumptions and their sources" in page and "Traceback" not in page
