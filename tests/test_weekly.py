"""The weekly table (``weekly.parquet``): rows gathered from the processes that declare a weekly
series, written through parts, resume and merge like the main table, the same whatever the
workers, on by default up to a size; summaries, fan charts and the report read it, and a run
folder without one reads as before.

These tests register a small test-only process, ``WeeklyProbe``, for their duration, and read
its columns: they hold whatever weekly series the model's own processes add beside it.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import sim.batch.execute as execute
import sim.batch.runner as runner_mod
import sim.model.processes as processes
from _support import BLOCKADE, INVASION
from sim.batch.execute import RunInterrupted, run_to_folder, weekly_on
from sim.cli import app
from sim.config.loader import load
from sim.errors import SimError
from sim.model.compiled import compile_scenario
from sim.model.outcome import WEEKLY_KEYS, weekly_columns, weekly_rows
from sim.model.processes.base import Process
from sim.model.replication import run_replication, run_replication_weekly
from sim.results.stats import order_statistic_quantiles
from sim.results.weekly import (QUANTILES, WEEKLY_BOOTSTRAP_MAX_N, WeeklyBuffer, schema,
                                weekly_summary)

cli = CliRunner()
RUNS, CHUNK, SEED = 600, 200, 11


class WeeklyProbe(Process):
    """Test-only: a made-up share per week the replication lasted, from its own named stream
    (so it moves no other draw), and a count that is twice the week."""

    name = "weekly_probe"
    weekly_columns = (("probe_share", "float", "A made-up share of something (0-1)."),
                      ("probe_count", "int", "Twice the week (a count)."))

    @staticmethod
    def used(c) -> bool:
        return "quarantine_enforced" in c.caused  # the blockade family, not the invasion

    def weekly_rows(self) -> list[tuple]:
        weeks = int(self.eng.end_hours // 168)
        return [(w, self.uniform("share", w), 2 * w) for w in range(1, weeks + 1)]


@contextlib.contextmanager
def probing():
    """``WeeklyProbe`` appended to the model's processes (local workers are forked, so they see
    it too), with the compiled-scenario cache emptied before and after so no scenario compiled
    without it (or with it) leaks into another test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(processes, "PROCESSES", processes.PROCESSES + (WeeklyProbe,))
        runner_mod._COMPILED.clear()
        try:
            yield WeeklyProbe
        finally:
            runner_mod._COMPILED.clear()


@pytest.fixture
def probe():
    with probing() as p:
        yield p


@pytest.fixture
def no_series(monkeypatch):
    """Every process without a weekly series: a scenario whose processes have none."""
    for P in processes.PROCESSES:
        monkeypatch.setattr(P, "weekly_columns", ())
    runner_mod._COMPILED.clear()
    yield
    runner_mod._COMPILED.clear()


@pytest.fixture(scope="module")
def blockade():
    return load(BLOCKADE)


@pytest.fixture(scope="module")
def reference(blockade, tmp_path_factory) -> Path:
    """An uninterrupted run in this process: what every other way of running must give."""
    out = tmp_path_factory.mktemp("weekly") / "reference"
    with probing():
        run_to_folder(blockade, RUNS, SEED, out, chunk_size=CHUNK, plots=False)
    return out


def tables(out: Path) -> tuple[pa.Table, pa.Table]:
    return pq.read_table(out / "outcomes.parquet"), pq.read_table(out / "weekly.parquet")


def probe_rows(weekly: pa.Table) -> pa.Table:
    """The probe's rows of a weekly table (other processes may play weeks it did not)."""
    return weekly.filter(pa.compute.is_valid(weekly.column("probe_share")))


# --- the model side: joining each process's weeks ----------------------------------------------

class _Rows:
    def __init__(self, name, rows):
        self.name, self._rows = name, rows

    def weekly_rows(self):
        return self._rows


def _eng(*procs):
    classes = tuple(SimpleNamespace(weekly_columns=cols, name=p.name) for cols, p in procs)
    return SimpleNamespace(c=SimpleNamespace(processes=classes), processes=[p for _, p in procs])


def test_rows_of_processes_are_joined_on_the_week():
    a = ((("a_share", "float", ""),), _Rows("a", [(1, 0.5), (2, 0.25)]))
    none = ((), _Rows("none", []))
    b = ((("b_count", "int", ""), ("b_days", "float", "")), _Rows("b", [(2, 3, 9.0), (3, 4, 8.0)]))
    assert weekly_rows(_eng(a, none, b), 7) == [(7, 1, 0.5, None, None), (7, 2, 0.25, 3, 9.0),
                                               (7, 3, None, 4, 8.0)]
    assert weekly_rows(_eng(none), 7) == []


@pytest.mark.parametrize("rows, needle", [
    ([(1, 0.5, 9)], "has 3 values, expected week and 1"),
    ([(0, 0.5)], "week 0 is not a whole number >= 1"),
    ([(1.5, 0.5)], "week 1.5 is not"),
    ([(True, 0.5)], "week True is not"),
    ([(1, 0.5), (1, 0.6)], "week 1 reported twice"),
])
def test_a_bad_weekly_row_names_its_process(rows, needle):
    with pytest.raises(ValueError, match="^a: .*" + needle.replace(".", r"\.")):
        weekly_rows(_eng(((("a_share", "float", ""),), _Rows("a", rows))), 0)


def test_numpy_integer_weeks_are_weeks():
    rows = weekly_rows(_eng(((("a_share", "float", ""),), _Rows("a", [(np.int64(2), 0.5)]))), 0)
    assert rows == [(0, 2, 0.5)] and type(rows[0][1]) is int


def test_every_process_declares_weekly_columns_the_table_can_hold():
    """Names unique across processes and apart from the keys; types the buffer stores."""
    names = [n for n, _, _ in WEEKLY_KEYS]
    for P in processes.PROCESSES:
        for name, kind, meaning in P.weekly_columns:
            assert kind in ("int", "float", "bool", "str") and meaning, (P.name, name)
            names.append(name)
    assert len(names) == len(set(names))


def test_a_column_declared_twice_is_refused(probe):
    class Twin(WeeklyProbe):
        name = "twin"
    c = SimpleNamespace(processes=(WeeklyProbe, Twin))
    with pytest.raises(ValueError, match="probe_count, probe_share declared twice"):
        weekly_columns(c)


def test_weekly_replication_is_the_plain_replication(probe, blockade):
    """The weekly path gives the same row as the hot path, and rows for exactly the weeks the
    replication lasted."""
    c = compile_scenario(blockade.scenario)
    assert WeeklyProbe in c.processes
    for i in range(5):
        row, weeks = run_replication_weekly(c, SEED, i)
        assert row == run_replication(c, SEED, i)[0]
        end = dict(zip(row.columns, row))["end_day"]
        at = weekly_columns(c).index(WeeklyProbe.weekly_columns[0])
        assert [w[:2] for w in weeks if w[at] is not None] == [
            (i, k) for k in range(1, int(end // 7) + 1)]


def test_only_the_keys_without_weekly_series(no_series):
    c = compile_scenario(load(INVASION).scenario)
    assert weekly_columns(c) == WEEKLY_KEYS
    assert not execute.has_weekly_columns(load(INVASION))


def _f32(v):
    """``v`` as weekly.parquet stores a float series (float32), read back as a Python float."""
    return None if v is None else float(np.float32(v))


# --- the buffer ----------------------------------------------------------------------------------

def test_buffer_keeps_types_and_nulls():
    cols = (*WEEKLY_KEYS, ("x_share", "float", "x"), ("n", "int", "n"), ("on", "bool", "b"),
            ("tag", "str", "t"))
    buf = WeeklyBuffer(cols)
    rows = [(0, 1, 0.5, 3, True, "a"), (0, 2, None, None, None, None),
            (1, 1, 0.25, 2 ** 40, False, "b")]
    buf.add(rows[:1])
    buf.add(rows[1:])
    buf.add([])
    t = buf.table()
    assert t.schema == schema(cols)
    assert [tuple(r.values()) for r in t.to_pylist()] == rows
    assert t.schema.field("x_share").metadata == {b"description": b"x"}


def test_buffer_adds_all_of_a_replication_or_none():
    buf = WeeklyBuffer((*WEEKLY_KEYS, ("x_share", "float", "x")))
    with pytest.raises(TypeError):
        buf.add([(0, 1, 0.5), (0, 2, "oops")])
    with pytest.raises(ValueError, match="expected 3"):
        buf.add([(0, 1)])
    buf.add([(1, 1, 0.75)])
    assert buf.table().to_pylist() == [{"replication": 1, "week": 1, "x_share": 0.75}]


# --- the run folder -------------------------------------------------------------------------------

def test_table_has_a_row_per_replication_and_week_played(reference, probe, blockade):
    main, weekly = tables(reference)
    c = compile_scenario(blockade.scenario)
    assert weekly.column_names == [n for n, _, _ in weekly_columns(c)]
    assert weekly.column_names[:2] == ["replication", "week"]
    assert weekly.column_names[-2:] == ["probe_share", "probe_count"]  # the last process
    assert weekly.schema.field("probe_share").metadata[b"description"] == \
        b"A made-up share of something (0-1)."
    keys = list(zip(weekly.column("replication").to_pylist(), weekly.column("week").to_pylist()))
    assert keys == sorted(set(keys))  # replication order, a week once
    ends = dict(zip(main.column("replication").to_pylist(), main.column("end_day").to_pylist()))
    expected = [(i, w) for i in range(RUNS) for w in range(1, int(ends[i] // 7) + 1)]
    mine = probe_rows(weekly)
    assert list(zip(mine.column("replication").to_pylist(),
                    mine.column("week").to_pylist())) == expected
    assert mine.column("probe_count").to_pylist() == [2 * w for _, w in expected]
    kinds = [k for _, k, _ in weekly_columns(c)]
    assert weekly.slice(0, 40).to_pylist() == [  # float series stored as float32
        dict(zip(weekly.column_names, (_f32(v) if k == "float" else v
                                       for v, k in zip(r, kinds))))
        for i in range(3) for r in run_replication_weekly(c, SEED, i)[1]][:40]
    m = json.loads((reference / "manifest.json").read_text())
    assert m["weekly"] is True and m["weekly_rows"] == weekly.num_rows
    assert "weekly.parquet" in m["files_written"]
    assert "probe_share" in [c["name"] for c in m["summary"]["weekly"]["columns"]]
    assert not (reference / "parts").exists()


def test_workers_do_not_change_the_weekly_table(reference, probe, blockade, tmp_path):
    from sim.batch.executors import open_executor
    with open_executor("local", 2) as ex:
        run_to_folder(blockade, RUNS, SEED, tmp_path / "two", executor=ex, chunk_size=150,
                      plots=False)
    for a, b in zip(tables(reference), tables(tmp_path / "two")):
        assert a.equals(b)


def _stop_after(n):
    calls = []

    def on_chunk(saved):
        calls.append(saved)
        if len(calls) == n:
            raise KeyboardInterrupt
    return on_chunk


def _interrupted(blockade, out: Path, chunks: int = 2) -> Path:
    with pytest.raises(RunInterrupted):
        run_to_folder(blockade, RUNS, SEED, out, chunk_size=CHUNK, plots=False,
                      on_chunk=_stop_after(chunks))
    return out


def test_resume_gives_the_uninterrupted_tables(reference, probe, blockade, tmp_path):
    out = _interrupted(blockade, tmp_path / "run")
    names = sorted(p.name for p in (out / "parts").iterdir())
    assert names == ["draws-000000000-000000200.parquet", "draws-000000000-000000200.sha256",
                     "draws-000000200-000000400.parquet", "draws-000000200-000000400.sha256",
                     "part-000000000-000000200.parquet", "part-000000000-000000200.sha256",
                     "part-000000200-000000400.parquet", "part-000000200-000000400.sha256",
                     "run.json",
                     "weekly-000000000-000000200.parquet", "weekly-000000000-000000200.sha256",
                     "weekly-000000200-000000400.parquet", "weekly-000000200-000000400.sha256"]
    assert json.loads((out / "parts" / "run.json").read_text())["weekly"] is True
    result = run_to_folder(blockade, RUNS, SEED, out, resume=True, plots=False)
    assert result.reused == 2 * CHUNK
    for a, b in zip(tables(reference), tables(out)):
        assert a.equals(b)


def test_a_chunk_missing_its_weekly_part_is_run_again(reference, probe, blockade, tmp_path):
    out = _interrupted(blockade, tmp_path / "run")
    (out / "parts" / "weekly-000000200-000000400.parquet").unlink()
    result = run_to_folder(blockade, RUNS, SEED, out, resume=True, plots=False)
    assert result.reused == CHUNK
    for a, b in zip(tables(reference), tables(out)):
        assert a.equals(b)


def test_a_damaged_weekly_part_is_run_again(reference, probe, blockade, tmp_path):
    out = _interrupted(blockade, tmp_path / "run")
    part = out / "parts" / "weekly-000000000-000000200.parquet"
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    result = run_to_folder(blockade, RUNS, SEED, out, resume=True, plots=False)
    assert result.reused == CHUNK
    for a, b in zip(tables(reference), tables(out)):
        assert a.equals(b)


def test_a_weekly_part_another_model_wrote_is_refused(probe, blockade, tmp_path):
    out = _interrupted(blockade, tmp_path / "run")
    side = out / "parts" / "weekly-000000000-000000200.sha256"
    data = json.loads(side.read_text())
    side.write_text(json.dumps({**data, "model": "0" * 64}))
    with pytest.raises(SimError, match="weekly-000000000-000000200.parquet: written by "
                                       "straitsim .* with model 000000000000"):
        run_to_folder(blockade, RUNS, SEED, out, resume=True, plots=False)


def test_resume_without_weekly_drops_the_weekly_parts(reference, probe, blockade, tmp_path):
    """Asked on resume, --no-weekly finishes the run without the weekly table."""
    out = _interrupted(blockade, tmp_path / "run")
    result = run_to_folder(blockade, RUNS, SEED, out, resume=True, plots=False, weekly=False)
    assert result.reused == 2 * CHUNK and not (out / "weekly.parquet").exists()
    assert pq.read_table(out / "outcomes.parquet").equals(tables(reference)[0])
    assert result.manifest["weekly"] is False and "weekly" not in result.summary


def test_weekly_default_by_size():
    top = execute.WEEKLY_DEFAULT_MAX_RUNS
    assert top == 100_000
    assert weekly_on(1, None) and weekly_on(top, None) and not weekly_on(top + 1, None)
    assert weekly_on(top + 1, True) and weekly_on(10 ** 6, True)
    assert not weekly_on(1, False)


def test_above_the_default_size_only_when_asked(probe, blockade, tmp_path, monkeypatch):
    """The threshold is read at run time, so a small one stands in for 100,000."""
    monkeypatch.setattr(execute, "WEEKLY_DEFAULT_MAX_RUNS", 100)
    off = run_to_folder(blockade, 150, SEED, tmp_path / "off", plots=False)
    assert not (tmp_path / "off" / "weekly.parquet").exists() and off.manifest["weekly"] is False
    on = run_to_folder(blockade, 150, SEED, tmp_path / "on", plots=False, weekly=True)
    assert pq.read_table(tmp_path / "on" / "weekly.parquet").num_rows == on.manifest[
        "weekly_rows"] > 0
    assert pq.read_table(tmp_path / "on" / "outcomes.parquet").equals(
        pq.read_table(tmp_path / "off" / "outcomes.parquet"))


def test_no_weekly_table_without_weekly_columns(no_series, tmp_path):
    result = run_to_folder(load(INVASION), 20, SEED, tmp_path / "inv", plots=False, weekly=True)
    assert not (tmp_path / "inv" / "weekly.parquet").exists()
    assert result.manifest["weekly"] is False and "weekly" not in result.summary


def test_cli_weekly_flags(probe, tmp_path, monkeypatch):
    monkeypatch.setattr(execute, "WEEKLY_DEFAULT_MAX_RUNS", 10)
    for flag, written in (([], False), (["--weekly"], True)):
        out = tmp_path / f"run{len(flag)}"
        r = cli.invoke(app, ["run", str(BLOCKADE), "-n", "20", "-o", str(out), "--no-plots",
                             "-w", "1", *flag])
        assert r.exit_code == 0, r.output
        assert (out / "weekly.parquet").exists() is written
        assert ("weekly.parquet, manifest.json" in r.stdout) is written
    out = tmp_path / "below"
    r = cli.invoke(app, ["run", str(BLOCKADE), "-n", "5", "-o", str(out), "--no-plots",
                         "--no-weekly", "-q"])
    assert r.exit_code == 0 and not (out / "weekly.parquet").exists()


# --- summaries, figures, report --------------------------------------------------------------

def _known(path: Path, per_week: dict[int, np.ndarray]) -> Path:
    reps, weeks, vals = [], [], []
    for w, v in per_week.items():
        reps += list(range(len(v)))
        weeks += [w] * len(v)
        vals += list(v)
    cols = (*WEEKLY_KEYS, ("x_share", "float", "A share."), ("stock_days", "float", "Days."))
    buf = WeeklyBuffer(cols)
    buf.add([(r, w, v, 1.0) for r, w, v in zip(reps, weeks, vals)])
    pq.write_table(buf.table(), path)
    return path


def test_weekly_quantiles_are_numpys(tmp_path):
    rng = np.random.default_rng(3)
    f32 = np.float32  # the table stores float series as float32: values it holds exactly
    small = np.linspace(0, 1, 11).astype(f32).astype(float)          # bootstrap intervals
    big = rng.random(WEEKLY_BOOTSTRAP_MAX_N + 1).astype(f32).astype(float)  # order-statistic
    with_gap = np.array([0.2, np.nan, 0.4, 0.9]).astype(f32).astype(float)  # nan: no value
    path = _known(tmp_path / "weekly.parquet", {1: small, 3: big, 4: with_gap})
    s = weekly_summary(path, seed=5, resamples=200)
    (col,) = s["columns"]  # share columns only: stock_days is not summarised by week
    assert col["name"] == "x_share" and col["description"] == "A share."
    assert col["label"] == "x share"  # a column the labels do not know, in words
    assert s["columns_in_table"] == ["x_share", "stock_days"]
    rows = {r["week"]: r for r in col["weeks"]}
    assert sorted(rows) == [1, 3, 4] and s["rows"] == 11 + len(big) + 4
    for week, vals in ((1, small), (3, big), (4, with_gap[~np.isnan(with_gap)])):
        r = rows[week]
        assert r["count"] == len(vals)
        for key, q in QUANTILES:
            assert r[key] == pytest.approx(np.quantile(vals, q), abs=1e-12)
            lo, hi = r[f"{key}_ci95"]
            assert lo <= r[key] <= hi
    assert rows[1]["interval"] == "bootstrap" and rows[3]["interval"] == "order-statistic"
    exact = order_statistic_quantiles(big, [q for _, q in QUANTILES])
    assert [tuple(rows[3][f"{k}_ci95"]) for k, _ in QUANTILES] == [e["ci95"] for e in exact]
    # a budget of a few values reads the file week by week and gives the same numbers
    assert weekly_summary(path, seed=5, resamples=200, budget=3) == s


def test_a_missing_weekly_table_reads_as_none(tmp_path):
    assert weekly_summary(tmp_path / "weekly.parquet") is None


def test_a_damaged_weekly_table_is_one_line(tmp_path):
    from sim.errors import OutputError
    (tmp_path / "weekly.parquet").write_bytes(b"not parquet")
    with pytest.raises(OutputError, match=r"weekly\.parquet: cannot read Parquet"):
        weekly_summary(tmp_path / "weekly.parquet")


def test_summarize_json_and_csv_carry_the_weeks(reference):
    r = cli.invoke(app, ["summarize", str(reference), "-f", "json"])
    assert r.exit_code == 0, r.output
    w = json.loads(r.stdout)["weekly"]
    (col,) = [c for c in w["columns"] if c["name"] == "probe_share"]
    weekly = probe_rows(tables(reference)[1])
    week1 = weekly.filter(pa.compute.equal(weekly.column("week"), 1))
    r1 = col["weeks"][0]
    assert r1["week"] == 1 and r1["count"] == week1.num_rows
    assert r1["median"] == pytest.approx(np.median(week1.column("probe_share").to_numpy()))
    r = cli.invoke(app, ["summarize", str(reference), "-f", "csv"])
    lines = [x for x in r.stdout.splitlines() if x.startswith("weekly_median,probe_share@week1,")]
    assert len(lines) == 1
    r = cli.invoke(app, ["summarize", str(reference)])
    assert "week by week: probe share" in r.stdout


def test_a_run_without_a_weekly_table_summarises_as_before(blockade_run, tmp_path):
    """A run folder written before the weekly table existed (or above the default size without
    --weekly) summarises, draws and reports as before."""
    import shutil
    old = tmp_path / "old"
    shutil.copytree(blockade_run, old)
    (old / "weekly.parquet").unlink(missing_ok=True)
    r = cli.invoke(app, ["summarize", str(old), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert "weekly" not in json.loads(r.stdout)
    assert "week by week" not in cli.invoke(app, ["summarize", str(old)]).stdout
    r = cli.invoke(app, ["figures", str(old), "-o", str(tmp_path / "f"), "-f", "png"])
    assert r.exit_code == 0 and not list((tmp_path / "f").glob("weekly_*"))
    r = cli.invoke(app, ["report", str(old), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 0 and "Week by week" not in (tmp_path / "r.html").read_text()


def test_fan_chart_is_drawn_and_fits(reference, monkeypatch, tmp_path):
    import sim.plots.figures as figures
    from _figure_checks import capture, integer_locator, outside
    summary = json.loads((reference / "manifest.json").read_text())["summary"]
    (col,) = [c for c in summary["weekly"]["columns"] if c["name"] == "probe_share"]
    with capture(monkeypatch, figures) as figs:
        figures.weekly_fan(col, "blockade", tmp_path / "x.png")
    (fig,) = figs
    ax, below = fig.axes
    assert not outside(fig)
    assert integer_locator(below.yaxis) and integer_locator(below.xaxis)
    line = ax.get_lines()[0]
    weeks = [r for r in col["weeks"] if r["count"]]  # a week only other processes played: none
    assert list(line.get_xdata()) == [r["week"] for r in weeks]
    assert list(line.get_ydata()) == pytest.approx([100 * r["median"] for r in weeks])
    assert len(ax.collections) == 2  # the two bands


def test_figures_and_report_show_the_weeks(reference, tmp_path):
    r = cli.invoke(app, ["figures", str(reference), "-o", str(tmp_path / "f"), "-f", "png"])
    assert r.exit_code == 0, r.output
    png = tmp_path / "f" / "weekly_probe_share.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli.invoke(app, ["report", str(reference), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "r.html").read_text()
    assert "<h2>Week by week</h2>" in page and "probe share by week" in page


def test_run_writes_the_fan_chart(probe, blockade, tmp_path):
    result = run_to_folder(blockade, 60, SEED, tmp_path / "p")
    assert (tmp_path / "p" / "weekly_probe_share.png").is_file()
    assert "weekly_probe_share.png" in result.manifest["files_written"]


def test_passes_hold_at_most_the_budget():
    from sim.results.weekly import _passes
    # weeks 0..4 with 0, 3, 2, 5, 1 rows, at most 5 rows a pass: weeks 0-2 (5), 3 (5), 4 (1)
    assert _passes(np.array([0, 3, 2, 5, 1]), 5) == [(0, 3), (3, 4), (4, 5)]
    # a week above the budget gets a pass of its own
    assert _passes(np.array([0, 9, 1]), 5) == [(0, 2), (2, 3)]
    assert _passes(np.array([0, 0]), 5) == []


def test_workers_gather_weekly_rows_without_arrow():
    """A worker sends its WeeklyBuffer back pickled, and never loads Arrow (tens of MB per
    worker) to fill it."""
    import pickle
    import subprocess
    import sys
    code = ("import sys, sim.batch.runner, sim.results.weekly as w, sim.model.replication\n"
            "b = w.WeeklyBuffer((('replication', 'int', ''), ('week', 'int', ''), "
            "('x_share', 'float', '')))\n"
            "b.add([(0, 1, 0.5)])\n"
            "print('pyarrow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
    buf = WeeklyBuffer((*WEEKLY_KEYS, ("x_share", "float", "x")))
    buf.add([(3, 1, 0.5), (3, 2, None)])
    assert pickle.loads(pickle.dumps(buf)).table().equals(buf.table())
