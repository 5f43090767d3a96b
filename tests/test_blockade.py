"""The blockade as shipping and power (issue 13), on the bundled scenarios and the total-blockade
variant: mass balance per type and week, stocks never negative, paired monotone responses on the
same seeds (more escorts, a higher loss rate, Japan's ports closed), the published total-blockade
path, and an outcome split in the bundled blockade.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from _support import ROOT, frame, scenario_path
from sim.model.blockade import SHIP_TYPES

_spec = importlib.util.spec_from_file_location("blockade_total",
                                               ROOT / "calibration" / "blockade_total.py")
blockade_total = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(blockade_total)

# Nothing sails and nothing ends the crisis early: stocks drain at their own rates.
NOTHING_SAILS = ("adjudication.blockade.shipping.owners_willing_share=0",
                 *(f"adjudication.blockade.shipping.types.{t}.state_fleet=0" for t in SHIP_TYPES),
                 "adjudication.blockade.shipping.types.lng.purchases_per_week=0",
                 "actors.us.rules.escort_through_blockade.enabled=false",
                 "actors.us.rules.escort_through_quarantine.enabled=false",
                 "actors.prc.rules.lift.enabled=false",
                 "actors.prc.rules.prepare_invasion.enabled=false",
                 "actors.taiwan.rules.capitulate_when_power_fails.enabled=false")
# A military blockade at once, escorted by the U.S. for sure, never lifted, never broken, no
# capitulation: the weeks of shipping can be compared one by one between paired runs.
ESCORTED_WAR = ("actors.prc.rules.militarize.hazard_per_day=5",
                "actors.us.resolve=1",
                "actors.us.rules.escort_through_blockade.probability=1",
                "actors.prc.rules.attack_escorts.enabled=false",
                "actors.prc.rules.lift.enabled=false",
                "actors.prc.rules.prepare_invasion.enabled=false",
                "actors.prc.rules.widen_war.enabled=false",
                "actors.taiwan.rules.capitulate_when_power_fails.enabled=false",
                "adjudication.blockade.break_weeks=1000")


def weekly(name: str, *sets: str, runs: int = 40, seed: int = 7):
    """(main table, weekly table) as pandas frames."""
    table, wk = blockade_total.run_with_weekly(scenario_path(name), runs, seed, sets)
    return table.to_pandas(), wk.to_pandas()


def totals(wk, kind: str):
    return wk[[f"{kind}_{t}" for t in SHIP_TYPES]].sum(axis=1)


@pytest.mark.parametrize("name", ["blockade", "gray_zone"])
def test_mass_balance_per_type_and_week_and_stocks_never_negative(name):
    _, wk = weekly(name, runs=60 if name == "blockade" else 300)
    assert len(wk) > 100  # weeks were played
    for t in SHIP_TYPES:
        parts = wk[f"arrived_{t}"] + wk[f"sunk_{t}"] + wk[f"seized_{t}"]
        assert np.allclose(parts, wk[f"sailed_{t}"], atol=1e-9)
        assert (wk[[f"{k}_{t}" for k in ("sailed", "arrived", "sunk", "seized")]] >= -1e-12
                ).all().all()
    stocks = wk[["stock_lng_days", "stock_coal_days", "stock_oil_days"]]
    assert (stocks >= 0).all().all()
    assert wk.electricity_share.between(0, 1).all()


def test_columns_sum_the_weeks():
    table, wk = weekly("blockade", runs=30)
    for t in SHIP_TYPES:
        by_rep = wk.groupby("replication")[f"arrived_{t}"].sum()
        assert np.allclose(table.set_index("replication").loc[by_rep.index,
                                                              f"ships_arrived_{t}"], by_rep)


def test_nothing_arriving_drains_each_fuel_at_its_own_rate():
    df = frame("blockade", *NOTHING_SAILS, runs=100)
    gone = {f: df[f"{f}_exhausted_day"] - df.blockade_start_day for f in ("lng", "coal", "oil")}
    # LNG: 11 days (tw-energy-stocks) burned a little slower in week 1 (demand cut 4%, the grid
    # not yet short): 6.74 days used, then 4.26 at full burn -> day 11.26
    assert np.allclose(gone["lng"], 7 + (11 - 7 * 0.9623) / 1.0, atol=0.05)
    # coal lasts longer than its 39 days once industry's coal is shifted to power
    assert (gone["coal"] > 39).all() and (gone["coal"] < 60).all()
    # LNG, then coal, then oil
    assert (gone["lng"] < gone["coal"]).all() and (gone["coal"] < gone["oil"]).all()
    assert (df.outcome == "ongoing").all()
    assert (df.lowest_electricity_share < 0.2).all() and (df.weeks_below_half_power > 10).all()


def test_a_quarantine_is_not_a_fixed_share_boarding_capacity_decides():
    few = frame("blockade", "adjudication.blockade.shipping.boardings_per_week=5",
                "actors.prc.rules.militarize.enabled=false", runs=200)
    many = frame("blockade", "adjudication.blockade.shipping.boardings_per_week=60",
                 "actors.prc.rules.militarize.enabled=false", runs=200)
    seized = lambda d: d[[f"ships_seized_{t}" for t in SHIP_TYPES]].sum(axis=1)  # noqa: E731
    arrived = lambda d: d[[f"ships_arrived_{t}" for t in SHIP_TYPES]].sum(axis=1)  # noqa: E731
    assert seized(many).mean() > seized(few).mean()
    assert (arrived(few) / (arrived(few) + seized(few))).mean() > \
        (arrived(many) / (arrived(many) + seized(many))).mean()
    assert (many.outcome == "capitulation").mean() > (few.outcome == "capitulation").mean()


def test_more_escorts_more_arrivals_paired():
    base = weekly("blockade", *ESCORTED_WAR, "adjudication.blockade.shipping."
                  "us_escorts_per_convoy=2", runs=40)[1]
    more = weekly("blockade", *ESCORTED_WAR, "adjudication.blockade.shipping."
                  "us_escorts_per_convoy=12", runs=40)[1]
    assert (base[["replication", "week"]].values == more[["replication", "week"]].values).all()
    a, b = totals(base, "arrived").values, totals(more, "arrived").values
    assert (b >= a - 1e-9).all() and b.sum() > a.sum()
    assert totals(more, "sunk").sum() < totals(base, "sunk").sum()


def test_higher_loss_rate_fewer_willing_owners_paired():
    low = weekly("blockade", *ESCORTED_WAR, "actors.us.rules.escort_through_blockade."
                 "enabled=false", "adjudication.blockade.shipping.transit_loss=0.05", runs=40)[1]
    high = weekly("blockade", *ESCORTED_WAR, "actors.us.rules.escort_through_blockade."
                  "enabled=false", "adjudication.blockade.shipping.transit_loss=0.25", runs=40)[1]
    assert (low[["replication", "week"]].values == high[["replication", "week"]].values).all()
    # owners see the higher losses and sail less; the shuttle shrinks faster too
    a, b = totals(low, "sailed").values, totals(high, "sailed").values
    assert (b <= a + 1e-9).all() and b.sum() < a.sum()
    assert totals(high, "arrived").sum() < totals(low, "arrived").sum()


def test_japan_ports_closed_longer_transits_fewer_arrivals_paired():
    open_ = weekly("blockade", *ESCORTED_WAR, runs=40)[1]
    shut = weekly("blockade", *ESCORTED_WAR,
                  "actors.japan.roles.transshipment_ports.offers=0", runs=40)[1]
    assert (open_[["replication", "week"]].values == shut[["replication", "week"]].values).all()
    assert (shut.transit_days >= open_.transit_days).all()
    assert (shut.transit_days == 7.0).all()  # Japan Out: 3.5 days doubled
    assert open_.transit_days.min() == 3.5  # once Japan's law opens its ports
    # Fewer arrive over the run in nearly every replication. Not in every one: a week of open
    # ports sails more ships into the boarders before the convoys run, so a shuttle that lost
    # more then can carry less once Japan later denies its bases and the ports shut anyway.
    a = totals(open_, "arrived").groupby(open_.replication).sum()
    b = totals(shut, "arrived").groupby(shut.replication).sum()
    assert (b <= a + 1e-9).mean() >= 0.9 and b.sum() < 0.9 * a.sum()


def test_total_blockade_follows_the_published_path():
    from sim.config.cases import load_case
    from sim.results.cases import score_case
    loaded = load_case(ROOT / "cases" / "blockade_total.yaml")
    table, wk = blockade_total.run_with_weekly(loaded.scenario_path, 5, loaded.case.seed)
    scores = score_case(loaded.case, table, wk)
    assert [s["verdict"] for s in scores] == ["inside"] * 3, scores
    path = wk.to_pandas().groupby("week").electricity_share.median()
    # stocks carry weeks 1-2; gas gone in week 3; coal by week 9; oil by week 21
    assert path[1] > 0.9 and path[2] > 0.9
    assert path[3] == pytest.approx(0.73, abs=0.05)
    assert path[9] == pytest.approx(0.24, abs=0.05)
    assert path[21] == pytest.approx(0.17, abs=0.05)
    assert path.is_monotonic_decreasing is False  # generators lift week 4 above week 3
    assert path[4] > path[3]


def test_bundled_blockade_splits_its_outcomes():
    df = frame("blockade", runs=400)
    shares = df.outcome.value_counts(normalize=True)
    assert shares.max() <= 0.9, shares
    assert {"capitulation", "blockade_lifted", "blockade_broken"} <= set(shares.index)
    # the PRC's escalation: some blockades become invasions, which the campaign decides
    assert df.escalated_to_invasion.any() and "repelled" in set(shares.index)
