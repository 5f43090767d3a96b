"""calibration/fit.py: the objective counts only fitted checks, by how far they fall outside
their bands; a fit stays within its bounds and reruns to the same values."""

from __future__ import annotations

import importlib.util
import json

import pytest

from _support import ROOT

spec_ = importlib.util.spec_from_file_location("fit", ROOT / "calibration" / "fit.py")
fit = importlib.util.module_from_spec(spec_)
spec_.loader.exec_module(fit)


def test_band_distance_in_band_widths():
    assert fit.band_distance(30, 20, 40) == 0
    assert fit.band_distance(14, 20, 40) == pytest.approx(6 / 20)   # 6 below a 20-wide band
    assert fit.band_distance(7, 3, 5) == pytest.approx(2 / 2)
    assert fit.band_distance(0.5, 0.667, None) == pytest.approx(0.167 / 0.667)
    assert fit.band_distance(0.08, None, 0.05) == pytest.approx(0.03 / 0.05)
    assert fit.band_distance(float("nan"), 3, 5) == 1.0


def test_objective_ignores_checked_checks():
    scores = [{"estimate": 7, "band_min": 3, "band_max": 5, "role": "fitted"},
              {"estimate": 500, "band_min": 100, "band_max": 180, "role": "checked"}]
    assert fit.objective(scores) == pytest.approx(1.0)
    scores[0]["estimate"] = 4
    assert fit.objective(scores) == 0


def test_a_spec_fits_at_most_five_values(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("case: x.yaml\nfit: []\n")
    with pytest.raises(SystemExit, match="give 1 to 5"):
        fit.load_spec(path)
    path.write_text("case: x.yaml\nfit: [{path: a, low: 2, high: 1, why_open: test}]\n")
    with pytest.raises(SystemExit, match="low must be below high"):
        fit.load_spec(path)
    path.write_text("case: x.yaml\nfit: [{path: a, low: 1, high: 2}]\n")
    with pytest.raises(SystemExit, match="lacks \\['why_open'\\]"):
        fit.load_spec(path)


def test_a_tiny_fit_stays_in_bounds_and_reruns_the_same(tmp_path):
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(
        f"case: {ROOT / 'cases' / 'invasion_2023_base.yaml'}\nruns: 40\n"
        "fit:\n  - {path: adjudication.invasion.campaign.frontage_ratio, low: 0.5, high: 2.0,\n"
        "     why_open: test}\noptimiser: {seed: 1, maxiter: 1, popsize: 2}\n")
    spec = fit.load_spec(spec_path)
    a = fit.fit(spec, spec_path)
    assert 0.5 <= a["values"][0] <= 2.0 and a["evaluations"] > 1
    assert a["objective"] == pytest.approx(fit.objective(a["scores"]))
    assert json.dumps(a)  # the result is plain JSON
    b = fit.fit(spec, spec_path)
    assert b["values"] == a["values"] and b["objective"] == a["objective"]


def test_the_printed_yaml_reads_back():
    import yaml
    spec = {"fit": [{"path": "a.b", "why_open": "CSIS's text gives none"}]}
    text = fit.as_yaml({"case": "c", "values": [7.321]}, spec)
    assert yaml.safe_load(text) == {"value": 7.321,
                                    "assumption": "calibrated to the c case (CSIS's text gives "
                                                  "none)"}
