"""Sweeps: grid parsing, one run folder per point with common random numbers, the combined table
and summary, resume after an interruption, and one-line errors with nothing written."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from _support import scenario_path
from sim.batch.executors import open_executor
from sim.batch.runner import run_batch
from sim.cli import app
from sim.config.loader import load
from sim.errors import SimError
from sim.experiments.sweep import parse_param, run_sweep
from sim.results.table import to_table

runner = CliRunner()
GZ = scenario_path("gray_zone")
Q = "actors.prc.rules.coast_guard.probability"  # boardings open the way to escalation


@pytest.mark.parametrize("text, path, values", [
    ("actors.us.resolve=0.2,0.5,0.8", "actors.us.resolve", (0.2, 0.5, 0.8)),
    ("actors.us.resolve=0:1:5", "actors.us.resolve", (0.0, 0.25, 0.5, 0.75, 1.0)),
    ("target=kinmen,penghu", "target", ("kinmen", "penghu")),
    ("communication.direct_trilateral_channel=true,false",
     "communication.direct_trilateral_channel", (True, False)),
    ("actors.us.resolve={dist: uniform, low: 0, high: 1},0.5", "actors.us.resolve",
     ({"dist": "uniform", "low": 0, "high": 1}, 0.5)),
    ("actors.us.resolve=0.1:0.3:3", "actors.us.resolve", (0.1, 0.2, 0.3)),
])
def test_parse_param(text, path, values):
    p = parse_param(text)
    assert p.path == path and p.values == values


@pytest.mark.parametrize("text, message", [
    ("actors.us.resolve", "expected path=v1,v2,... or path=lo:hi:steps"),
    ("actors.us.resolve=", "no values"),
    ("actors.us.resolve=0:1:1", "steps must be a whole number of at least 2"),
    ("actors.us.resolve=0:1:2.5", "steps must be a whole number of at least 2"),
    ("actors.us.resolve=1:0:3", "hi (0) must be above lo (1)"),
    ("actors.us.resolve=0:1", "a range is lo:hi:steps"),
    ("actors.us.resolve=0.1,0.1", "a value is listed twice"),
    ("actors..resolve=1", "empty part"),
    ("actors.us.resolve=0.1,,0.2", "an empty value"),
])
def test_parse_param_errors(text, message):
    with pytest.raises(SimError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace(".", r"\.")):
        parse_param(text)


def _sweep(tmp_path, name="sw", **kw):
    params = [parse_param(f"{Q}=0,0.6"), parse_param("target=kinmen,penghu")]
    return run_sweep(GZ, params, 80, 11, tmp_path / name, plots=kw.pop("plots", False), **kw)


def test_sweep_writes_points_table_summary_and_manifest(tmp_path):
    res = _sweep(tmp_path, plots=True)
    out = res.out
    assert res.points == 4 and res.reused_points == 0
    assert sorted(p.name for p in out.glob("point-*")) == [f"point-00{i}" for i in range(4)]
    df = pd.read_parquet(out / "sweep.parquet")
    assert len(df) == 4 * 80
    assert list(df.columns[:3]) == ["point", Q, "target"]
    assert df[Q].dtype == float and df["target"].dtype != float
    # every point is the run a plain batch with the same seed and overrides gives
    for point, (q, target) in enumerate([(0.0, "kinmen"), (0.0, "penghu"), (0.6, "kinmen"),
                                         (0.6, "penghu")]):
        rows = df[df.point == point]
        assert (rows[Q] == q).all() and (rows.target == target).all()
        data = load(GZ, [f"{Q}={q}", f"target={target}"]).data
        direct = to_table(run_batch(data, 80, 11)).to_pandas()
        got = rows.drop(columns=["point", Q, "target"]).reset_index(drop=True)
        # the sweep table has every column any scenario can have (sim.results.table.SCHEMA);
        # those this scenario's processes do not fill (e.g. the invasion campaign's) are empty
        extra = [c for c in got.columns if c not in direct.columns]
        assert got[extra].isna().all().all(), extra
        pd.testing.assert_frame_equal(got[list(direct.columns)], direct, check_dtype=False)
    # common random numbers: the draws no swept value touches are the same at every point
    resolve = df.pivot(index="replication", columns="point", values="us_resolve")
    assert (resolve.nunique(axis=1) == 1).all()
    summary = pd.read_csv(out / "sweep_summary.csv")
    for point in range(4):
        rows = df[df.point == point]
        for name, share in rows.outcome.value_counts(normalize=True).items():
            got = summary[(summary.point == point) & (summary.name == name)]
            assert got.share.iloc[0] == pytest.approx(share)
            assert got.ci95_low.iloc[0] <= share <= got.ci95_high.iloc[0]
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "sweep" and m["points"] == 4 and m["root_seed"] == 11
    assert m["grid"][3]["overrides"] == [f"{Q}=0.6", "target=penghu"]
    assert (out / f"sweep_{Q.replace('.', '_')}.png").stat().st_size > 1000
    assert (out / "sweep_target.png").exists()


def test_escalation_rises_along_the_sweep(tmp_path):
    res = run_sweep(GZ, [parse_param(f"{Q}=0:0.6:3")], 300, 5, tmp_path / "s", plots=False)
    df = pd.read_parquet(res.out / "sweep.parquet")
    calm = df.outcome.isin(["de_escalated", "coercion_persists"])
    escalated = (~calm).groupby(df[Q]).mean()
    assert escalated.is_monotonic_increasing and escalated.iloc[-1] > escalated.iloc[0] + 0.1


def test_interrupted_sweep_resumes_to_the_same_result(tmp_path):
    full = _sweep(tmp_path, "full")

    def stop(i, info):
        if i == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _sweep(tmp_path, "cut", on_point=stop)
    assert not (tmp_path / "cut" / "manifest.json").exists()
    with pytest.raises(SimError, match="holds a sweep"):
        _sweep(tmp_path, "cut")
    res = _sweep(tmp_path, "cut", resume=True)
    assert res.reused_points == 2
    pd.testing.assert_frame_equal(pd.read_parquet(full.out / "sweep.parquet"),
                                  pd.read_parquet(res.out / "sweep.parquet"))
    with pytest.raises(SimError, match="other params"):
        run_sweep(GZ, [parse_param(f"{Q}=0,0.5")], 80, 11, res.out, resume=True, plots=False)


def test_sweep_on_local_processes_matches_serial(tmp_path):
    serial = _sweep(tmp_path, "serial")
    with open_executor("local", 2) as ex:
        par = run_sweep(GZ, [parse_param(f"{Q}=0,0.6"), parse_param("target=kinmen,penghu")],
                        80, 11, tmp_path / "par", executor=ex, plots=False)
    pd.testing.assert_frame_equal(pd.read_parquet(serial.out / "sweep.parquet"),
                                  pd.read_parquet(par.out / "sweep.parquet"))
    assert par.manifest["executor"] == {"kind": "local", "workers": 2}


def test_cli_sweep_prints_the_table(tmp_path):
    out = tmp_path / "cli"
    result = runner.invoke(app, ["sweep", "gray_zone", "--param", f"{Q}=0,0.5", "--runs", "50",
                                 "--no-plots", "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 0, result.output
    assert "gray_zone: 2 points x 50 replications" in result.output
    assert (out / "manifest.json").exists()


@pytest.mark.parametrize("args, message", [
    (["--param", f"{Q}=0,1.5"],
     f"error: --set {Q}=1.5: {Q}: a probability must lie in [0, 1] (got 1.5)"),
    (["--param", "actors.us.resolv=0,1"],
     "error: --set actors.us.resolv=0: actors.us.resolv: unknown key 'resolv' "
     "(did you mean 'resolve'?)"),
    (["--param", f"{Q}=0:1"], f"error: --param {Q}=0:1: a range is lo:hi:steps (three "
                              "numbers)"),
    (["--param", f"{Q}=0,1", "--param", f"{Q}=0.5,1"], f"error: --param {Q}: swept twice"),
])
def test_cli_bad_sweep_is_one_line_exit_2_nothing_written(tmp_path, args, message):
    out = tmp_path / "bad"
    result = runner.invoke(app, ["sweep", "gray_zone", *args, "--runs", "20", "--out", str(out),
                                 "--executor", "serial"])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == message
    assert not out.exists()


# --- issue 9, items 18 and 19: labels, Japan's level, columns, figures ------------------------

B = "actors.japan.rules.base_use.probability"


@pytest.mark.parametrize("paths, want", [
    ([Q, B], ["coast_guard.probability", "base_use.probability"]),
    ([Q], ["probability"]),
    ([Q, "target"], ["probability", "target"]),
    (["a.x.p", "b.x.p", "c.y.p"], ["a.x.p", "b.x.p", "y.p"]),
])
def test_parameter_labels_are_the_shortest_unambiguous_suffix(paths, want):
    from sim.results.labels import short_labels
    assert list(short_labels(paths).values()) == want


def test_cli_sweep_shows_japans_level_and_columns(tmp_path):
    col = "tokyo_taipei_first_contact_hours"
    out = tmp_path / "cols"
    result = runner.invoke(app, ["sweep", "gray_zone", "--param", f"{Q}=0,0.6", "--param",
                                 f"{B}=0.2,0.8", "--runs", "60", "--no-plots", "--out", str(out),
                                 "--executor", "serial", "--column", col])
    assert result.exit_code == 0, result.output
    text = result.stdout
    header = next(line for line in text.splitlines() if "coast_guard.probability" in line)
    assert "base_use.probability" in header and "de-escalated" in header
    assert "Japan's highest legal situation (share)" in text
    assert "Japan: important influence" in text and "Tokyo-Taipei first contact (hours)" in text
    df = pd.read_parquet(out / "sweep.parquet")
    assert df.japan_level.cat.ordered
    summary = pd.read_csv(out / "sweep_summary.csv")
    assert set(summary.kind) == {"outcome", "indicator", "japan_level", "column"}
    for point, rows in df.groupby("point"):
        got = summary[(summary.point == point) & (summary.kind == "column")]
        assert got["median"].iloc[0] == pytest.approx(rows[col].median())
        level = summary[(summary.point == point) & (summary.kind == "japan_level")
                        & (summary.name == "none")]
        assert level.share.iloc[0] == pytest.approx((rows.japan_level == "none").mean())
    assert json.loads((out / "manifest.json").read_text())["columns"] == [col]
    # and the sweep folder has a report of its own
    rep = runner.invoke(app, ["report", str(out)])
    assert rep.exit_code == 0, rep.output
    page = (out / "report.html").read_text()
    assert "<h1>Sweep:" in page and "highest legal situation by point" in page
    assert "<th>coast_guard.probability</th><th>base_use.probability</th>" in page
    assert page.count('<img class="figure"') == 2


def test_cli_sweep_bad_column_is_one_line(tmp_path):
    out = tmp_path / "bad"
    result = runner.invoke(app, ["sweep", "gray_zone", "--param", f"{Q}=0,0.5", "--runs", "20",
                                 "--out", str(out), "--executor", "serial", "-c", "outcome"])
    assert result.exit_code == 2
    assert result.output.startswith("error: --column outcome: not a numeric column")
    assert not out.exists()


@pytest.mark.parametrize("swept", [[Q], [Q, B]])
def test_sweep_figure_clips_nothing_and_uses_labels(tmp_path, monkeypatch, swept):
    from _figure_checks import capture, outside
    from sim.experiments.sweep import summary_rows
    from sim.plots import sweep as sweep_plots
    params = [parse_param(f"{Q}=0,0.3,0.6")] + ([parse_param(f"{B}=0.2,0.8")] if len(swept) > 1
                                               else [])
    res = run_sweep(GZ, params, 40, 3, tmp_path / "f", plots=False)
    rows = res.rows
    assert rows == summary_rows(params, [dict(point=g["point"], values=g["values"],
                                              summary=json.loads((res.out / g["folder"] /
                                                                  "manifest.json").read_text()
                                                                 )["summary"])
                                         for g in res.manifest["grid"]])
    with capture(monkeypatch, sweep_plots, "_save_atomic") as figs:
        sweep_plots.sweep_figure(rows, params, params[0], "gray_zone", tmp_path / "x.png")
    fig = figs[0]
    assert outside(fig) == []
    legend_texts = [t.get_text() for ax in fig.axes if ax.get_legend()
                    for t in ax.get_legend().get_texts()]
    assert "de-escalated" in legend_texts and "Japan: no situation" in legend_texts
    titles = " ".join(ax.get_title() for ax in fig.axes)
    if len(swept) > 1:
        assert "base_use.probability=0.2" in titles
        assert "probability=0.2" not in titles.replace("base_use.probability=0.2", "")


@pytest.mark.parametrize("outputs", [1, 3])
def test_indices_figure_clips_nothing(monkeypatch, outputs):
    from _figure_checks import capture, outside
    from sim.plots import sweep as sweep_plots
    rows = [{"output": o, "param": p, "S1": 0.2, "ST": 0.3, "S1_conf": 0.05, "ST_conf": 0.05}
            for o in ["survival_threatening", "capitulation", "us_combat_median_day"][:outputs]
            for p in ["actors.us.resolve", "actors.prc.rules.militarize.probability"]]
    with capture(monkeypatch, sweep_plots, "_save_atomic") as figs:
        sweep_plots.indices_figure(rows, "sobol", "blockade", "x.png")
    assert outside(figs[0]) == []
