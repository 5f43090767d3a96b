"""Each replication's drawn values as ``draw.<YAML path>`` columns (``sim.model.draws``): they
are the values the run used, they leave every other column as it was, they follow the weekly
table's on/off rule and survive a resume."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from _support import BLOCKADE, INVASION, SCENARIOS
from sim.batch.execute import DRAWS_DEFAULT_MAX_RUNS, RunInterrupted, draws_on, run_to_folder
from sim.cli import app
from sim.config.loader import load
from sim.model.compiled import HOP_SLOTS, compile_scenario
from sim.model.draws import PREFIX, chunk_draws, draw_columns, replication_draws
from sim.model.engine import Engine
from sim.model.streams import replication_key, slot_draws
from sim.model.vocab import ACTORS

SEED = 5


@pytest.fixture(scope="module")
def invasion():
    return compile_scenario(load(INVASION).scenario)


def _engine(c, i):
    rkey = replication_key(SEED, i)
    u, z = slot_draws(c.slot_keys, rkey)
    return Engine(c, u, z, None, rkey), u, z


def test_columns_are_named_by_yaml_path_and_unique(invasion):
    names = [col.name for col in draw_columns(invasion)]
    assert len(names) == len(set(names))
    assert all(n.startswith(PREFIX) for n in names)
    for n in ("draw.actors.us.resolve", "draw.actors.taiwan.will_to_resist",
              "draw.actors.us.force_arrival_hours.with_japan_bases",
              "draw.actors.japan.survival_threshold",
              "draw.actors.us.rules.combat_against_invasion.decide_u",
              "draw.actors.prc.rules.land.delay_hours",
              "draw.actors.prc.rules.threaten_japan.message_hours.japan",
              "draw.communication.detection_delay_hours.us.invasion"):
        assert n in names, n
    # fixed numbers and rules sure to act have no column
    assert "draw.actors.us.war_powers_clock_days" not in names
    assert "draw.actors.prc.rules.land.decide_u" not in names


def test_every_bundled_scenario_has_unique_draw_columns():
    for name in ("full_invasion", "blockade", "gray_zone", "outer_islands"):
        c = compile_scenario(load(SCENARIOS / f"{name}.yaml").scenario)
        names = [col.name for col in draw_columns(c)]
        assert len(names) == len(set(names)) > 50, name


def test_draws_are_the_values_the_engine_used(invasion):
    c = invasion
    d = chunk_draws(c, SEED, 0, 40)
    rule = {f"{PREFIX}actors.{ACTORS[r.actor]}.rules.{r.rid}": r for r in c.rules}
    for i in (0, 1, 39):
        eng, u, z = _engine(c, i)
        for name, _f, _s in c.drawn_scalars:
            col = PREFIX + c.scalar_paths[name]
            if col in d:
                assert d[col][i] == eng.p[name], col
        for col, values in d.items():
            base, _, what = col.rpartition(".")
            if what == "delay_hours" and base in rule:
                r = rule[base]
                assert values[i] == r.delay(u[r.delay_slot], z[r.delay_slot])
            elif what == "decide_u":
                assert values[i] == u[rule[base].prob_slot]
        # a message relayed through Washington: both hops and the broker, times the factor
        r = rule[f"{PREFIX}actors.us.rules.assure_taipei"]
        j = r.to.index(ACTORS.index("taiwan"))
        chans, relayed = c.routes[r.actor][ACTORS.index("taiwan")]
        s = r.msg_slot + HOP_SLOTS * j
        hours = c.channels[chans[0]](u[s], z[s])
        if relayed:
            hours += c.channels[chans[1]](u[s + 1], z[s + 1]) + c.broker(u[s + 2], z[s + 2])
        col = f"{PREFIX}actors.us.rules.assure_taipei.message_hours.taiwan"
        assert d[col][i] == pytest.approx(hours * eng.p["comm.latency_factor"], rel=1e-12)
        ev = "invasion"
        o = ACTORS.index("us")
        slot = c.detection_slot[ev][o]
        assert d[f"{PREFIX}communication.detection_delay_hours.us.{ev}"][i] == \
            c.detection[ev][o](u[slot], z[slot])


def test_draws_do_not_depend_on_how_replications_are_split(invasion):
    whole = chunk_draws(invasion, SEED, 0, 2100)  # crosses the 1,024-replication blocks
    parts = [chunk_draws(invasion, SEED, a, b) for a, b in ((0, 700), (700, 1500),
                                                            (1500, 2100))]
    for name, values in whole.items():
        assert np.array_equal(values, np.concatenate([p[name] for p in parts])), name
    one = replication_draws(invasion, SEED, 1234)
    assert one == {k: v[1234] for k, v in whole.items()}


def test_a_distribution_given_with_set_becomes_a_column():
    over = "actors.us.war_powers_clock_days={dist: uniform, low: 30, high: 90}"
    c = compile_scenario(load(INVASION, [over]).scenario)
    d = chunk_draws(c, SEED, 0, 200)
    col = d["draw.actors.us.war_powers_clock_days"]
    assert 30 <= col.min() < 40 and 80 < col.max() <= 90


def test_draws_are_on_by_default_up_to_the_limit():
    assert draws_on(1, None) and draws_on(DRAWS_DEFAULT_MAX_RUNS, None)
    assert not draws_on(DRAWS_DEFAULT_MAX_RUNS + 1, None)
    assert draws_on(10 ** 6, True) and not draws_on(5, False)


def _main_hash(table) -> str:
    main = table.select([n for n in table.column_names if not n.startswith(PREFIX)])
    return hashlib.sha256(repr(main.to_pylist()).encode()).hexdigest()


def test_draw_columns_leave_the_results_as_they_were(tmp_path, invasion):
    loaded = load(INVASION)
    on = run_to_folder(loaded, 300, SEED, tmp_path / "on", chunk_size=120, plots=False)
    off = run_to_folder(loaded, 300, SEED, tmp_path / "off", chunk_size=300, plots=False,
                        draws=False)
    t_on = pq.read_table(tmp_path / "on" / "outcomes.parquet")
    t_off = pq.read_table(tmp_path / "off" / "outcomes.parquet")
    assert not any(n.startswith(PREFIX) for n in t_off.column_names)
    assert _main_hash(t_on) == _main_hash(t_off)
    names = [col.name for col in draw_columns(invasion)]
    assert t_on.column_names[-len(names):] == names
    assert t_on.column("draw.actors.us.resolve").to_pylist() == \
        t_on.column("us_resolve").to_pylist()
    assert on.manifest["draws"] is True and on.manifest["draw_columns"] == len(names)
    assert off.manifest["draws"] is False and off.manifest["draw_columns"] == 0
    desc = t_on.schema.field("draw.actors.us.resolve").metadata[b"description"]
    assert b"actors.us.resolve" in desc


def test_an_interrupted_run_resumes_to_the_same_table(tmp_path):
    loaded = load(BLOCKADE)
    ref = run_to_folder(loaded, 400, SEED, tmp_path / "ref", chunk_size=100, plots=False)
    seen = []

    def stop(n):
        seen.append(n)
        if len(seen) == 2:
            raise KeyboardInterrupt

    out = tmp_path / "run"
    with pytest.raises(RunInterrupted):
        run_to_folder(loaded, 400, SEED, out, chunk_size=100, plots=False, on_chunk=stop)
    parts = sorted(p.name for p in (out / "parts").iterdir() if p.name.startswith("draws-"))
    assert len(parts) == 4  # two chunks: a part and its sidecar each
    (out / "parts" / parts[0]).unlink()  # a chunk whose draws were lost is run again
    result = run_to_folder(loaded, 400, SEED, out, resume=True, plots=False)
    assert result.reused == 100 and result.manifest["draws"] is True
    assert pq.read_table(out / "outcomes.parquet").equals(
        pq.read_table(tmp_path / "ref" / "outcomes.parquet"))
    assert ref.manifest["draw_columns"] > 0


def test_cli_no_draws_writes_none(tmp_path):
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["run", str(BLOCKADE), "-n", "60", "-o", str(out), "-q",
                                 "--no-plots", "--no-draws"])
    assert r.exit_code == 0, r.output
    assert not any(n.startswith(PREFIX) for n in pq.read_schema(out / "outcomes.parquet").names)
    assert json.loads((out / "manifest.json").read_text())["draws"] is False


def test_a_rare_bernoulli_is_a_column_and_a_degenerate_range_is_not():
    sets = ["actors.us.war_powers_clock_days={dist: bernoulli, p: 0.01}",
            "actors.us.congress_vote_days={dist: uniform, low: 7, high: 7}"]
    c = compile_scenario(load(INVASION, sets).scenario)
    names = [col.name for col in draw_columns(c)]
    assert "draw.actors.us.war_powers_clock_days" in names
    assert "draw.actors.us.congress_vote_days" not in names
