"""The air_basing process: the arithmetic of a strike on U.S. air bases, checked by hand, and
what a strike does in a run (aircraft lost, sorties cut, a U.S. that arrives with less)."""

from __future__ import annotations

import pytest

from _support import SCENARIOS, frame
from sim.batch.runner import run_batch
from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.processes.air_basing import (aircraft_destroyed, missiles_surviving,
                                            open_kill_share, strike_losses)
from sim.model.replication import run_replication
from sim.results.table import to_table

OPENING = "actors.prc.rules.opening_strike_on_us_bases.probability"
IN_USE = "actors.prc.rules.strike_bases_in_use.probability"
# The bundled values (common/alliance.yaml) as the process reads them.
BUNDLED = dict(on_ground_share=0.667, shots_per_missile=2.0, interceptor_pk=0.7,
               launch_failure=0.15, area_per_missile_m2=20000.0)
TOTAL_AIRCRAFT = 240 + 120 + 96  # Japan, Guam, carriers


# --- the arithmetic, worked by hand -----------------------------------------------------------

def test_missiles_surviving_by_hand():
    # 100 fired, 15 fail: 85 arrive; 20 interceptors at 2 a missile engage 10, each killed with
    # 1 - 0.3^2 = 0.91: 9.1 killed, 75.9 get through
    assert missiles_surviving(100, 0.15, 20, 2, 0.7) == pytest.approx(75.9)
    # no interceptors: only launch failures
    assert missiles_surviving(100, 0.15, 0, 2, 0.7) == pytest.approx(85.0)
    # interceptors to spare: every missile engaged, 10 x 0.09 = 0.9 get through
    assert missiles_surviving(10, 0.0, 100, 2, 0.7) == pytest.approx(0.9)
    # one shot of Pk 0.5 at each of 4 arriving missiles: 2 get through
    assert missiles_surviving(4, 0.0, 4, 1, 0.5) == pytest.approx(2.0)


def test_open_kill_share_is_the_density_rule():
    # 10 missiles x 2 ha over 100 ha of parking: a fifth of the parked aircraft
    assert open_kill_share(10, 20000, 1_000_000) == pytest.approx(0.2)
    # more area covered than there is parking: all of them, not more
    assert open_kill_share(100, 20000, 1_000_000) == 1.0
    # twice the parking area (dispersal) halves the share
    assert open_kill_share(10, 20000, 2_000_000) == pytest.approx(0.1)
    assert open_kill_share(0, 20000, 1_000_000) == 0.0


def test_aircraft_destroyed_fills_shelters_first():
    # 90 aircraft, 2/3 on the ground = 60; 20 in shelters, 40 in the open. Half the open ones
    # die (20); 10 unitary warheads over 20 shelters hit each with chance 1/2 (10 die)
    assert aircraft_destroyed(90, 2 / 3, 20, 0.5, 10) == pytest.approx((20.0, 10.0))
    # no shelters (Andersen): unitary warheads kill nothing, all on the ground are in the open
    assert aircraft_destroyed(90, 2 / 3, 0, 0.5, 10) == pytest.approx((30.0, 0.0))
    # more shelters than aircraft on the ground: none in the open
    assert aircraft_destroyed(30, 1.0, 50, 1.0, 25) == pytest.approx((0.0, 15.0))


def test_bundled_strike_on_japan_by_hand():
    # 180 + 40 = 220 fired; 187 arrive; 64 interceptors engage 32, killing 29.12: 157.88 get
    # through, 0.717636 of those fired. Open share: 180 x 0.717636 x 2 ha / 300 ha = 0.861164.
    # On the ground 240 x 0.667 = 160.08: 48 sheltered, 112.08 in the open -> 96.519 lost;
    # 40 x 0.717636 = 28.706 unitary over 48 shelters -> 28.706 lost. In all 125.225.
    lost = strike_losses(240, 48, 3_000_000, 64, 180, 40, **BUNDLED)
    assert lost == pytest.approx(125.225, abs=1e-3)


def test_bundled_strike_on_guam_by_hand():
    # 90 fired, 76.5 arrive; 48 interceptors engage 24, killing 21.84: 54.66 get through.
    # Open share 54.66 x 2 ha / 120 ha = 0.911; 120 x 0.667 = 80.04 on the ground, all in the
    # open (no shelters): 72.916 lost.
    lost = strike_losses(120, 0, 1_200_000, 48, 90, 0, **BUNDLED)
    assert lost == pytest.approx(72.916, abs=1e-3)


def test_no_missiles_or_no_aircraft_lose_nothing():
    assert strike_losses(240, 48, 3_000_000, 64, 0, 0, **BUNDLED) == 0.0
    assert strike_losses(0, 48, 3_000_000, 64, 180, 40, **BUNDLED) == 0.0


# --- in a run -------------------------------------------------------------------------------

TINY = f"""
extends: {SCENARIOS / 'common' / 'alliance.yaml'}
name: tiny_strike
title: a strike on U.S. bases and nothing else
family: blockade
actors:
  prc:
    rules:
      hit: {{when: start, action: ACTION, delay_hours: 4}}
"""


def _compiled(tmp_path, action: str, *overrides: str):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.replace("ACTION", action))
    return load(path, list(overrides))


def _row(tmp_path, action: str, *overrides: str) -> dict:
    c = compile_scenario(_compiled(tmp_path, action, *overrides).scenario)
    row, _ = run_replication(c, 1, 0)
    return dict(zip(row.columns, row))


def test_a_strike_on_japan_destroys_aircraft_there(tmp_path):
    row = _row(tmp_path, "strike_us_bases_japan")
    assert row["aircraft_lost_japan"] == pytest.approx(125.225, abs=1e-3)
    assert row["aircraft_lost_guam"] == 0.0
    assert row["us_air_share"] == pytest.approx(1 - 125.225 / TOTAL_AIRCRAFT, abs=1e-5)
    assert row["japan_struck"]  # it still brings Japan in


def test_a_strike_on_guam_destroys_aircraft_there_and_is_no_attack_on_japan(tmp_path):
    row = _row(tmp_path, "strike_us_bases_guam")
    assert row["aircraft_lost_guam"] == pytest.approx(72.916, abs=1e-3)
    assert row["aircraft_lost_japan"] == 0.0
    assert row["us_air_share"] == pytest.approx(1 - 72.916 / TOTAL_AIRCRAFT, abs=1e-5)
    assert row["japan_level"] == "none"
    assert not row["japan_struck"]


def test_more_shelters_save_aircraft(tmp_path):
    base = _row(tmp_path, "strike_us_bases_japan")
    sheltered = _row(tmp_path, "strike_us_bases_japan", "actors.us.air_basing.japan.shelters=160")
    assert sheltered["aircraft_lost_japan"] < base["aircraft_lost_japan"]


def test_combat_when_attacked_is_a_decision_not_a_certainty(tmp_path):
    """After a strike on its bases the U.S. usually fights, but not in every replication."""
    for action in ("strike_us_bases_japan", "strike_us_bases_guam"):
        df = to_table(run_batch(_compiled(tmp_path, action).data, 600, 11)).to_pandas()
        fought = df["us_combat_decision_day"].notna().mean()
        assert 0.8 <= fought < 0.97, (action, fought)  # 0.8 + 0.2 * resolve: about 0.9


def test_the_us_arrives_after_a_strike_with_a_smaller_share():
    struck = frame("full_invasion", f"{OPENING}=1", runs=300)
    engaged = struck[struck["us_intervention_day"].notna()]
    assert len(engaged) > 200
    expected = 1 - (125.225 + 72.916) / TOTAL_AIRCRAFT
    assert engaged["us_air_share_at_engagement"].to_numpy() == pytest.approx(expected, abs=1e-4)
    spared = frame("full_invasion", f"{OPENING}=0", f"{IN_USE}=0", runs=300)
    spared_engaged = spared[spared["us_intervention_day"].notna()]
    assert (spared_engaged["us_air_share_at_engagement"] == 1.0).all()


def test_no_strike_no_losses():
    df = frame("full_invasion", f"{OPENING}=0", f"{IN_USE}=0", runs=300)
    assert (df["aircraft_lost_japan"] == 0).all() and (df["aircraft_lost_guam"] == 0).all()
    assert (df["us_air_share"] == 1.0).all()


def test_a_strike_that_destroys_aircraft_costs_taiwan():
    """Paired: the same opening strike, once with its missiles and once with none. The U.S. is
    drawn in either way; with the aircraft lost, its bombers fire their LRASM more slowly (the
    campaign scales them by the surviving air share), so more PLA battalions land (before the
    air_basing process both runs were the same)."""
    hit = frame("full_invasion", f"{OPENING}=1", runs=200)
    empty = frame("full_invasion", f"{OPENING}=1",
                  *(f"actors.prc.base_strikes.{r}.{k}=0" for r in ("japan", "guam")
                    for k in ("submunition_missiles", "unitary_missiles")), runs=200)
    assert (empty["us_air_share"] == 1.0).all() and (hit["us_air_share"] < 0.6).all()
    assert (empty["us_aircraft_lost_ground"] == 0).all()
    assert (hit["us_aircraft_lost_ground"] > 150).all()
    landed = hit["battalions_landed"].mean(), empty["battalions_landed"].mean()
    assert landed[0] > landed[1] + 0.5, landed
