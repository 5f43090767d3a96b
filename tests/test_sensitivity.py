"""Global sensitivity analysis: first trusted on the Ishigami function, whose indices are known,
through the same sampling, executor and analysis code the simulator uses; then the simulator
path with tiny counts, the parameters file's errors, warnings and resume."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from _support import scenario_path
from sim.batch.executors import open_executor
from sim.batch.runner import run_batch
from sim.cli import app
from sim.config.loader import load
from sim.errors import ScenarioError, SimError
from sim.experiments import sensitivity as SA
from sim.results.table import to_table

runner = CliRunner()
PI = math.pi
ISHIGAMI = [SA.Factor(f"x{i}", -PI, PI) for i in (1, 2, 3)]


@pytest.fixture(scope="module")
def ishigami_sobol(tmp_path_factory):
    out = tmp_path_factory.mktemp("ish") / "sobol"
    return SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 1024, 3, out)


def test_ishigami_sobol_indices_match_the_analytic_values(ishigami_sobol):
    exact = SA.Ishigami().analytic()
    assert exact["S1"][0] == pytest.approx(0.3139, abs=1e-4)
    assert exact["ST"][2] == pytest.approx(0.2437, abs=1e-4)
    for k, row in enumerate(ishigami_sobol.table):
        for key in ("S1", "ST"):
            est, conf, true = row[key], row[f"{key}_conf"], exact[key][k]
            assert abs(est - true) < 0.05, (row["param"], key, est, true)
            assert est - conf - 0.01 <= true <= est + conf + 0.01  # the interval covers it
    # the interaction of x1 and x3 shows as ST > S1 for both; x2 acts alone
    s = {r["param"]: r for r in ishigami_sobol.table}
    assert s["x3"]["ST"] - s["x3"]["S1"] > 0.15 and s["x1"]["ST"] - s["x1"]["S1"] > 0.15
    assert abs(s["x2"]["ST"] - s["x2"]["S1"]) < 0.05


def test_ishigami_warns_that_x3_first_order_is_not_told_from_zero(ishigami_sobol):
    assert any(n.startswith("ishigami: S1 of x3") and "below zero" in n
               for n in ishigami_sobol.notes)
    assert not any("ST of x" in n for n in ishigami_sobol.notes)


def test_ishigami_files_and_manifest(ishigami_sobol):
    out = ishigami_sobol.out
    samples = pd.read_parquet(out / "samples.parquet")
    assert list(samples.columns) == ["x1", "x2", "x3", "ishigami"]
    assert len(samples) == 1024 * 5 == ishigami_sobol.points
    x = samples[["x1", "x2", "x3"]].to_numpy()
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    np.testing.assert_allclose(samples["ishigami"], y)
    indices = pd.read_csv(out / "indices.csv")
    assert list(indices.columns) == ["output", "param", "S1", "S1_conf", "ST", "ST_conf"]
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "sensitivity" and m["seed"] == 3 and m["points"] == 5120
    assert (out / "indices.png").stat().st_size > 1000
    assert not (out / "parts").exists()


def test_same_seed_same_indices_on_serial_and_local_executors(tmp_path, ishigami_sobol):
    with open_executor("local", 2) as ex:
        par = SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 1024, 3, tmp_path / "p",
                                 executor=ex, plots=False)
    assert par.table == ishigami_sobol.table


def test_ishigami_morris_sees_x3_act_through_interaction(tmp_path):
    res = SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "morris", 60, 5, tmp_path / "m",
                             plots=False)
    m = {r["param"]: r for r in res.table}
    assert all(r["mu_star"] > 1 for r in res.table)
    # x3 only acts together with x1 (b x3^4 sin x1): its effects change sign, so sigma is
    # large and the signed mean small against mu*
    assert m["x3"]["sigma"] > m["x3"]["mu_star"]
    assert abs(m["x3"]["mu"]) < 0.5 * m["x3"]["mu_star"]


def test_interrupted_analysis_resumes_to_the_same_indices(tmp_path, ishigami_sobol):
    calls = []

    def stop(n):
        calls.append(n)
        raise KeyboardInterrupt

    out = tmp_path / "cut"
    with pytest.raises(SimError, match="interrupted.*--resume"):
        SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 1024, 3, out, on_block=stop,
                           plots=False)
    assert calls and not (out / "manifest.json").exists()
    with pytest.raises(SimError, match="holds a sensitivity analysis"):
        SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 1024, 3, out, plots=False)
    with pytest.raises(SimError, match="other settings"):
        SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 512, 3, out, resume=True)
    res = SA.run_sensitivity(SA.Ishigami(), ISHIGAMI, "sobol", 1024, 3, out, resume=True,
                             plots=False)
    assert res.reused_points == calls[0] > 0
    assert res.table == ishigami_sobol.table


def test_sobol_needs_a_power_of_two():
    with pytest.raises(SimError, match="power of 2"):
        SA.sample("sobol", ISHIGAMI, 100, 1)


def test_an_output_that_never_varies_is_reported_not_analysed():
    X = SA.sample("sobol", ISHIGAMI, 8, 1)
    Y = np.ones((len(X), 1))
    table, notes = SA.analyse("sobol", ISHIGAMI, X, Y, ["flat"], 1)
    assert table == [] and notes == ["flat: the same value (1) at every sample point; no "
                                     "parameter moves it, indices undefined"]


# --- the simulator path, with tiny counts ------------------------------------------------------

BLOCKADE = scenario_path("blockade")
FACTORS = [SA.Factor("actors.japan.survival_threshold", 0.8, 2.2),
           # no invasion in a blockade, so no campaign turn
           SA.Factor("adjudication.invasion.campaign.turn_days", 1.75, 7)]


@pytest.fixture(scope="module")
def simulator_run(tmp_path_factory):
    base = load(BLOCKADE)
    model = SA.SimulatorModel(base.data, FACTORS, ["survival_threatening", "capitulation",
                                                   "outcome:blockade_lifted"], 40, 9)
    out = tmp_path_factory.mktemp("sim") / "s"
    return model, SA.run_sensitivity(model, FACTORS, "sobol", 8, 9, out, plots=False)


def test_simulator_point_is_a_run_with_those_values(simulator_run):
    model, res = simulator_run
    samples = pd.read_parquet(res.out / "samples.parquet")
    assert len(samples) == 8 * 4
    row = samples.iloc[5]
    sets = [f"{f.path}={float(row[f.path])!r}" for f in FACTORS]
    t = to_table(run_batch(load(BLOCKADE, sets).data, 40, 9)).to_pandas()
    assert row["survival_threatening"] == pytest.approx(t.japan_survival_threatening_day
                                                        .notna().mean())
    assert row["capitulation"] == pytest.approx((t.outcome == "capitulation").mean())
    assert row["outcome:blockade_lifted"] == pytest.approx((t.outcome == "blockade_lifted")
                                                           .mean())


def test_a_parameter_no_rule_reads_gets_exactly_zero_indices(simulator_run):
    """Common random numbers: every sample point runs the same replications, so a parameter
    that cannot matter moves no output at all and its indices are exactly zero."""
    _, res = simulator_run
    window = [r for r in res.table if r["param"] == "adjudication.invasion.campaign.turn_days"]
    assert window and all(r["S1"] == 0 and r["ST"] == 0 for r in window)
    threshold = [r for r in res.table if r["param"] == "actors.japan.survival_threshold"
                 and r["output"] == "survival_threatening"]
    assert threshold[0]["ST"] > 0


def _params_file(tmp_path, text):
    p = tmp_path / "params.yaml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("text, message", [
    ("params: []\n", "params: 'params' must be a non-empty list of {path, low, high}"),
    ("params:\n  - {path: actors.us.resolve, low: 0}\n", "params.0: missing 'high'"),
    ("params:\n  - {path: actors.us.resolve, low: 1, high: 0}\n",
     "params.0.high: high (0) must be above low (1)"),
    ("params:\n  - {path: actors.us.resolve, low: x, high: 1}\n",
     "params.0.low: low must be a finite number (got 'x')"),
    ("params:\n  - {path: actors.us.resolve, low: 0, hi: 1}\n",
     "params.0.hi: unknown key 'hi'; expected path, low, high, note"),
    ("params:\n  - {path: actors.us.resolve, low: 0, high: 1}\noutputs: [nope]\n",
     "outputs.0: unknown output 'nope'"),
    ("parms: []\n", "parms: unknown key 'parms'; expected params, outputs"),
])
def test_params_file_errors_point_at_the_line(tmp_path, text, message):
    p = _params_file(tmp_path, text)
    with pytest.raises(ScenarioError) as exc:
        SA.read_params_file(p)
    assert str(exc.value).startswith(f"{p}:")
    assert message in str(exc.value)


@pytest.mark.parametrize("text, message", [
    ("params:\n  - {path: actors.us.resolve, low: 0, high: 1}\n"
     "  - {path: actors.us.resolv, low: 0, high: 1}\n",
     ":3:6: params.1: actors.us.resolv: unknown key 'resolv' (did you mean 'resolve'?) "
     "(with low = 0)"),
    ("params:\n  - path: actors.us.resolve\n    low: 0\n    high: 1.5\n",
     ":4:5: params.0: actors.us.resolve: resolve must lie in [0, 1] (got 1.5) "
     "(with high = 1.5)"),
])
def test_cli_scenario_refusing_a_value_blames_the_params_file(tmp_path, text, message):
    p = _params_file(tmp_path, text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["sensitivity", "blockade", "--params", str(p), "--out",
                                 str(out), "--executor", "serial"])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {p}{message}"
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--method", "fast"], "error: --method fast: one of sobol, morris"),
    (["--samples", "6"], "error: --samples 6: Sobol' sampling needs a power of 2 (e.g. 256, "
                         "512, 1024)"),
    (["--output", "nope"], "error: unknown output 'nope'"),
])
def test_cli_bad_options_are_one_line(tmp_path, args, message):
    p = _params_file(tmp_path, "params:\n  - {path: actors.us.resolve, low: 0, high: 1}\n")
    result = runner.invoke(app, ["sensitivity", "blockade", "--params", str(p), "--out",
                                 str(tmp_path / "o"), "--executor", "serial", *args])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(message)
    assert not (tmp_path / "o").exists()


def test_cli_sensitivity_on_the_simulator(tmp_path):
    p = _params_file(tmp_path, "params:\n  - {path: actors.us.resolve, low: 0, high: 1}\n"
                               "  - {path: actors.taiwan.will_to_resist, low: 0.4, high: 1}\n"
                               "outputs: [capitulation, us_intervened]\n")
    out = tmp_path / "cli"
    result = runner.invoke(app, ["sensitivity", "blockade", "--params", str(p), "--samples", "4",
                                 "--runs", "30", "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 0, result.output
    assert "blockade: sobol, 2 parameters, 16 sample points x 30 replications" in result.output
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices.output) == {"capitulation", "us_intervened"}
    m = json.loads((out / "manifest.json").read_text())
    assert m["scenario"] == "blockade" and m["runs_per_point"] == 30
    assert m["scenario_hash"] == load(BLOCKADE).hash
    assert (out / "indices.png").exists()


def test_the_example_params_file_fits_the_blockade():
    from _support import ROOT
    path = ROOT / "examples" / "sensitivity-blockade.yaml"
    factors, outputs, marks = SA.read_params_file(path)
    assert len(factors) == 5 and outputs == list(SA.DEFAULT_OUTPUTS)
    SA.check_factors(BLOCKADE, [], factors, path, marks)


def test_cli_ctrl_c_keeps_finished_points_and_exits_130(tmp_path, monkeypatch):
    p = _params_file(tmp_path, "params:\n  - {path: actors.us.resolve, low: 0, high: 1}\n")
    out = tmp_path / "stop"
    real = SA.evaluate_block
    seen = []

    def stop_after_one(block):
        if seen:
            raise KeyboardInterrupt
        seen.append(1)
        return real(block)

    monkeypatch.setattr(SA, "evaluate_block", stop_after_one)
    args = ["sensitivity", "blockade", "--params", str(p), "--samples", "8", "--runs", "20",
            "--out", str(out), "--executor", "serial", "--no-plots"]
    monkeypatch.setattr(SA, "block_size_for", lambda n, w, c: 4)
    result = runner.invoke(app, args)
    assert result.exit_code == 130, result.output
    assert "--resume" in result.output and not (out / "manifest.json").exists()
    assert len(list((out / "parts").glob("block-*.npy"))) == 1
    monkeypatch.setattr(SA, "evaluate_block", real)
    done = runner.invoke(app, args + ["--resume"])
    assert done.exit_code == 0, done.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["resumed_points"] == 4 and m["points"] == 24
