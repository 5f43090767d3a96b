"""The outer islands as garrisons (issue 14): the supply and fire arithmetic against hand-worked
examples (docs/islands-arithmetic.md), the garrison's endurance without resupply, Taiwan's
answer changing with what it knows, the TRA's degree changing U.S. support (paired runs), and
the bundled scenario's outcomes split by the mechanisms, not a fiat."""

from __future__ import annotations

import math

import pytest

from sim.errors import ModelError
from sim.model.islands import garrison as g
from tests._support import frame

# --- arithmetic, hand-worked --------------------------------------------------------------------


def test_endurance_is_the_first_stock_to_run_out():
    assert g.endurance_days((30, 45, 20, 10), (1, 1, 1, 0.25)) == 20.0
    assert g.endurance_days((30, 45), (0, 0)) == math.inf


def test_use_per_day_fights_on_ammunition_only_under_assault():
    assert g.use_per_day(False, 0.2) == (1.0, 1.0, 1.0, 0.2)
    assert g.use_per_day(True, 0.2) == (1.0, 1.0, 1.0, 1.0)


def test_run_out_day_with_inflow():
    assert g.run_out_day(20, 0.5, 1) == 40.0
    assert g.run_out_day(20, 1.0, 1) == math.inf  # supply keeps up
    assert g.run_out_day(0, 0.0, 1) == 0.0


def test_sea_resupply_reuses_the_blockade_passage():
    # 4 ships, 2 boardings: half seized, the rest arrive
    assert g.sea_resupply(4, False, 2, 0.0, 0.0) == (4.0, 2.0, 0.0, 2.0)
    # escorted: never boarded; 0.1 of them sunk
    sailed, arrived, sunk, seized = g.sea_resupply(4, True, 2, 0.0, 0.1)
    assert (sailed, seized) == (4.0, 0.0)
    assert arrived == pytest.approx(3.6) and sunk == pytest.approx(0.4)
    # more boardings than ships: all seized (share capped at 1)
    assert g.sea_resupply(4, False, 10, 0.0, 0.0)[1] == 0.0


def test_fire_loss_is_the_transit_loss_under_assault_only():
    assert g.fire_loss(0.3, 4, 0.15, True) == pytest.approx(0.3 * 0.85 ** 4)  # 0.1566
    assert g.fire_loss(0.3, 4, 0.15, False) == 0.0


def test_air_delivered():
    assert g.air_delivered(3.5, 3.5, 0.6) == pytest.approx(1.05)


def test_step_stocks():
    out = g.step_stocks((10, 10, 10, 10), 2.0, (1, 1, 1, 0.2), 3.5)
    assert out == pytest.approx([8.5, 8.5, 8.5, 11.3])
    assert g.step_stocks((1,), 0.0, (1,), 3.5) == [0.0]  # never below zero


def test_lanchester_turn_worked_example():
    assert g.lanchester_turn(3000, 9000, 0.02, 0.01, 0.5, 2) == pytest.approx((90.0, 120.0))
    # losses never exceed what a side has
    assert g.lanchester_turn(10, 9000, 0.02, 0.5, 0.0, 7) == pytest.approx((10.0, 1.4))


def test_garrison_fire_with_ammunition_and_isr():
    assert g.garrison_fire(0.02, 5, 0.25, 1.0, 0.5) == pytest.approx(0.03)
    assert g.garrison_fire(0.02, 0, 0.25, 0.0, 0.5) == pytest.approx(0.005)
    assert g.garrison_fire(0.02, 0, 0.25, 1.0, 0.5) == pytest.approx(0.0075)
    # out of fuel too (0.6): 0.02 x 0.25 x 0.6 = 0.003; fuel alone: 0.02 x 0.6 = 0.012
    assert g.garrison_fire(0.02, 0, 0.25, 0.0, 0.5, 0, 0.6) == pytest.approx(0.003)
    assert g.garrison_fire(0.02, 5, 0.25, 0.0, 0.5, 0, 0.6) == pytest.approx(0.012)


def test_isr_reaches_the_garrison_only_through_the_us():
    assert g.isr_share(True, 0.6, True, 0.3) == pytest.approx(0.9)
    assert g.isr_share(False, 0.6, True, 0.3) == 0.0
    assert g.isr_share(True, 0.8, True, 0.3) == 1.0


def test_bad_arguments_name_themselves():
    with pytest.raises(ModelError, match="turn_days"):
        g.air_delivered(1, 0, 1)
    with pytest.raises(ModelError, match="fortification"):
        g.lanchester_turn(1, 1, 0.1, 0.1, 1.5, 1)


# --- the process in the bundled scenario -------------------------------------------------------

QUIET = ("actors.prc.rules.assault.enabled=false", "actors.prc.rules.withdraw.enabled=false",
         "actors.us.rules.support_island.enabled=false",
         "actors.taiwan.rules.escort_island_supply.enabled=false")
NO_SUPPLY = ("adjudication.outer_islands.islands.kinmen.resupply_ships_per_week=0",
             "adjudication.outer_islands.islands.kinmen.airlift_days_per_week=0")


def test_endurance_without_resupply_is_the_first_vital_stock():
    """Cut off with no ship or aircraft getting through, no assault and nobody giving way, the
    garrison gives up on the day its water (30 days, the first vital stock) runs out."""
    df = frame("outer_islands", *QUIET, *NO_SUPPLY, runs=40)
    fell = df.dropna(subset=["island_fell_day"])
    assert len(fell) == len(df)
    assert (fell.island_fell_by == "supplies").all()
    assert (fell.island_supply_days == 0).all()
    # the seizure comes 1-4 days in (its delay); the fall exactly 30 days later
    seized = fell.island_fell_day - 30.0
    assert seized.between(1.0, 4.0).all()
    more = frame("outer_islands", *QUIET, *NO_SUPPLY,
                 "adjudication.outer_islands.islands.kinmen.stocks_days.water=50", runs=40)
    # then food (60 days) is not first: water at 50 is; 20 days later in every run
    assert (more.island_fell_day - df.island_fell_day).round(9).eq(20.0).all()


def test_supply_by_sea_lengthens_endurance_and_escorts_beat_the_boardings():
    """Paired: the same runs with the escort rule on and off; escorted ships are not boarded."""
    base = ("actors.prc.rules.assault.enabled=false", "actors.prc.rules.withdraw.enabled=false",
            "actors.us.rules.support_island.enabled=false",
            "adjudication.outer_islands.islands.kinmen.stocks_days.water=25",
            "actors.taiwan.will_to_resist=1.0")
    off = frame("outer_islands", *base, "actors.taiwan.rules.escort_island_supply.enabled=false",
                runs=60)
    on = frame("outer_islands", *base, runs=60)
    assert on.island_ships_arrived.sum() > off.island_ships_arrived.sum()
    assert (on.island_fell_day.fillna(999) >= off.island_fell_day.fillna(999)).all()
    assert on.island_fell_day.fillna(999).mean() > off.island_fell_day.fillna(999).mean()


def _escorted(df):
    return (df.island_ships_arrived > 0) & (df.island_ships_seized == 0)


def test_taiwan_escorts_when_its_garrison_reports_low_stocks():
    """Paired: the same replications, Kinmen holding water for 25 days (below the escort rule's
    month) or 300; only what the garrison reports differs, and Taiwan escorts only when told
    its stocks are low."""
    common = ("actors.prc.rules.assault.enabled=false",
              "actors.us.rules.support_island.enabled=false")
    low = frame("outer_islands", *common,
                "adjudication.outer_islands.islands.kinmen.stocks_days.water=25", runs=80)
    high = frame("outer_islands", *common,
                 "adjudication.outer_islands.islands.kinmen.stocks_days.water=300",
                 "adjudication.outer_islands.islands.kinmen.stocks_days.food=300", runs=80)
    assert high.island_escort_day.isna().all()
    assert low.island_escort_day.notna().mean() > 0.3
    # unescorted, every ship is boarded (unless U.S. forces fight, which ends the boardings)
    assert (high.island_ships_arrived[~high.us_intervened] == 0).all()


def test_taiwan_escorts_more_often_when_it_has_heard_of_us_support():
    """Paired: U.S. support heard of makes Taiwan likelier to escort (and to hold)."""
    common = ("actors.prc.rules.assault.enabled=false",
              "actors.us.rules.support_island.delay_hours=1")
    without = frame("outer_islands", *common, "actors.us.rules.support_island.enabled=false",
                    runs=200)
    with_us = frame("outer_islands", *common, "actors.us.rules.support_island.probability=1",
                    runs=200)
    assert with_us.island_escort_day.notna().mean() > without.island_escort_day.notna().mean()


def test_tra_degree_changes_us_support_paired():
    """Paired: Kinmen treated as covered (1.0) rather than at its default degree (0.2). The
    support rule's chance rises with the degree and every draw is the same, so each
    replication supported at 0.2 is supported at 1.0 too (unless its island fell earlier), more
    are supported in all, and the garrison, with ISR, airlift and fewer boardings, holds more
    often."""
    low = frame("outer_islands", "actors.us.tra_coverage.kinmen=0.2", runs=300)
    high = frame("outer_islands", "actors.us.tra_coverage.kinmen=1.0", runs=300)
    lo, hi = low.island_us_support_day.notna(), high.island_us_support_day.notna()
    assert hi.mean() > lo.mean() + 0.2
    assert (hi | ~lo).mean() > 0.95
    assert high.island_supply_days.mean() > low.island_supply_days.mean()
    assert (high.island_fate == "held").mean() > (low.island_fate == "held").mean()


@pytest.mark.parametrize("target", ("kinmen", "penghu"))
def test_no_outcome_above_ninety_percent(target):
    df = frame("outer_islands", f"target={target}", runs=400)
    shares = df.outcome.value_counts(normalize=True)
    assert shares.max() < 0.9, shares.to_dict()
    assert df.island_fate.nunique() >= 3
