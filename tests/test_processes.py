"""The engine and its processes: a table has the columns of the processes its scenario uses,
rows carry their column names through pickling, and results code tolerates absent columns."""

from __future__ import annotations

import pickle

import pytest

from _support import scenario_path
from sim.batch.runner import run_batch
from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.outcome import COLUMN_NAMES, CORE_COLUMNS, OWNER, column_names, error_row
from sim.model.processes import PROCESSES
from sim.model.replication import run_replication
from sim.results.summary import summarize
from sim.results.table import to_table

JAPAN_RULES = ("important_influence", "anticipated_armed_attack", "survival_threatening",
               "imminent_armed_attack", "base_use", "contact_taipei", "answer_on_bases")


def _compiled(name, *sets):
    return compile_scenario(load(scenario_path(name), list(sets)).scenario)


def _process_names(c):
    return [P.name for P in c.processes]


def test_invasion_campaign_only_where_an_invasion_can_happen():
    for name in ("full_invasion", "outer_islands", "gray_zone"):
        assert "invasion_campaign" in _process_names(_compiled(name)), name
    # the bundled blockade can turn into an invasion (its rule 'land'); without that rule none
    blockade = _compiled("blockade", "actors.prc.rules.land.enabled=false")
    assert "invasion_campaign" not in _process_names(blockade)
    assert "battalions_landed" not in column_names(blockade)
    assert not [n for n in blockade.slot_names if n.startswith("param/campaign.")]
    assert "invasion_campaign" in _process_names(_compiled("blockade"))
    # A rule that can invade brings the process, its parameters and its columns in.
    more = _compiled("blockade", "actors.prc.rules.land.enabled=false",
                     "actors.prc.rules.invade_too.when=military_blockade",
                     "actors.prc.rules.invade_too.action=invade")
    assert "battalions_landed" in column_names(more)
    assert "param/campaign.turn_days" in more.slot_names


def test_a_scenario_without_japan_has_no_japan_columns(tmp_path):
    off = [f"actors.japan.rules.{r}.enabled=false" for r in JAPAN_RULES] + [
        "actors.prc.rules.strike_bases_in_use.enabled=false"]
    c = _compiled("blockade", *off)
    names = column_names(c)
    assert "japan_legal" not in _process_names(c)
    assert not [n for n in names if OWNER[n] == "japan_legal"]
    loaded = load(scenario_path("blockade"), off)
    table = to_table(run_batch(loaded.data, 60, 3))
    assert table.column_names == list(names)
    s = summarize(table, resamples=50)  # summaries skip what a scenario lacks
    assert s["ok"] == 60 and s["japan_level"] == []
    assert "japan_struck" in {o["name"] for o in s["indicators"]}  # a core column stays


@pytest.mark.parametrize("name", ("full_invasion", "outer_islands", "blockade", "gray_zone"))
def test_row_layout_is_core_then_processes_then_status(name):
    c = _compiled(name)
    row, _ = run_replication(c, 5, 0)
    assert row.columns == column_names(c) and len(row) == len(row.columns)
    core = [n for n, _, _ in CORE_COLUMNS]
    assert list(row.columns[:len(core)]) == core and row.columns[-2:] == ("status", "error")
    expected = core + [col for P in c.processes for col, _, _ in P.columns] + ["status", "error"]
    assert list(row.columns) == expected
    assert set(row.columns) <= set(COLUMN_NAMES)


def test_rows_keep_their_columns_through_pickling():
    c = _compiled("blockade")
    rows = [run_replication(c, 5, i)[0] for i in range(3)] + [
        error_row(3, RuntimeError("x"), column_names(c))]
    back = pickle.loads(pickle.dumps(rows))
    assert back == rows and all(r.columns == column_names(c) for r in back)
    assert to_table(back).column_names == list(column_names(c))


def test_every_process_documents_itself_and_its_columns():
    names = [P.name for P in PROCESSES]
    assert len(set(names)) == len(names)
    for P in PROCESSES:
        assert P.__module__.rsplit(".", 1)[1] == P.name  # found from the file names alone
        assert len((P.__doc__ or "") + (__import__(P.__module__, fromlist=["x"]).__doc__
                                        or "")) > 80
        for col, kind, doc in P.columns:
            assert kind in ("int", "float", "bool", "str") and doc and OWNER[col] == P.name


def test_war_powers_clock_lives_in_the_us_legal_process():
    # Congress never supports: forces engage, the President reports, and they withdraw after
    # the clock and the withdrawal period, counted from the report.
    c = _compiled("full_invasion", "actors.us.congress_support=0",
                  "actors.us.war_powers_clock_days=1.5", "actors.us.war_powers_withdrawal_days=0.5")
    rows = [dict(zip(r.columns, r)) for r in (run_replication(c, 1, i)[0] for i in range(40))]
    engaged = [r for r in rows if r["us_intervened"]]
    assert engaged
    for r in engaged:
        if r["us_withdrawal_day"] is not None:
            assert r["us_withdrawal_day"] == pytest.approx(r["us_war_powers_report_day"] + 2)
            assert r["us_congress_authorized"] in (None, 0.0)
    assert any(r["us_withdrawal_day"] is not None for r in engaged)


def test_a_shared_table_is_made_once_unless_it_reads_a_draw():
    """``Process.shared``: a table read from scalars that are the same in every replication is
    made once per scenario; one that reads a scalar drawn per replication, in every one."""
    from types import SimpleNamespace

    from sim.model.processes.base import Process

    c = _compiled("blockade")
    fixed, drawn = next(iter(c.fixed_params)), next(iter(c.drawn_names))
    made = []

    class Probe(Process):
        name = "probe"

    for _ in range(3):  # three replications
        p = Probe(SimpleNamespace(c=c))
        assert p.shared("fixed", lambda: made.append("fixed") or "f", (fixed,)) == "f"
        assert p.shared("drawn", lambda: made.append("drawn") or "d", (fixed, drawn)) == "d"
    assert made == ["fixed", "drawn", "drawn", "drawn"]


def test_the_engines_environment_is_simpys_but_for_early_binding():
    """``engine._Environment`` sets SimPy's state itself (skipping the per-instance binding of
    event classes): it must set all of it, whatever SimPy version is installed."""
    import simpy
    from simpy.core import BoundClass

    from sim.model.engine import _Environment

    bound = {n for n, v in vars(simpy.Environment).items() if type(v) is BoundClass}
    plain, ours = simpy.Environment(), _Environment()
    assert set(vars(plain)) - bound == set(vars(ours))
    assert (ours.now, ours._queue, next(ours._eid)) == (plain.now, plain._queue, next(plain._eid))
