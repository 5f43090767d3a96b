"""The blockade arithmetic (sim.model.blockade) against worked examples computed by hand, and its
invariants (mass balance, stocks never negative, monotone responses) checked with hypothesis.

Each worked example writes its arithmetic in a comment; docs/blockade-arithmetic.md walks
through the same examples.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ModelError
from sim.model.blockade import power, supply, transit

approx = pytest.approx
prob = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
amount = st.floats(min_value=0.0, max_value=500.0, allow_nan=False)
LO_MIX = (0.27, 0.55, 0.01, 0.17)      # the blockade_total variant's mix (LNG, coal, oil, other)
NONPOWER = (0.17, 0.23, 0.99)          # csis-lo-fuels
RATIONED = (0.0, 0.0, 1.0)             # gas and coal shifted to power, oil's uses kept
ALL_KEPT = (1.0, 1.0, 1.0)


# --- supply ---------------------------------------------------------------------------------------

def test_premium_is_three_and_a_half_times_the_loss():
    # csis-lo-insurance: 1% loss -> 3-4% premium; 3.5 x 0.01 = 0.035
    assert supply.war_risk_premium(0.01) == approx(0.035)
    assert supply.war_risk_premium(0.5) == 1.0  # at most the ship's value


def test_owners_willing_falls_linearly_to_the_uninsurable_loss():
    # 0.3 x (1 - 0.02 / 0.08) = 0.3 x 0.75 = 0.225
    assert supply.owners_willing(0.02, 0.3, 0.08) == approx(0.225)
    assert supply.owners_willing(0.0, 0.3, 0.08) == approx(0.3)
    assert supply.owners_willing(0.08, 0.3, 0.08) == 0.0
    assert supply.owners_willing(0.5, 0.3, 0.08) == 0.0


@given(a=prob, b=prob, base=prob)
def test_higher_loss_rate_never_more_willing_owners(a, b, base):
    lo, hi = sorted((a, b))
    assert supply.owners_willing(hi, base, 0.08) <= supply.owners_willing(lo, base, 0.08)


def test_japan_out_doubles_the_transit():
    # csis-lo-japan-ports-transshipment: 3.5 x (2 - 1) = 3.5; x (2 - 0) = 7; x 1.5 = 5.25
    assert supply.transit_days(3.5, 1.0) == 3.5
    assert supply.transit_days(3.5, 0.0) == 7.0
    assert supply.transit_days(3.5, 0.5) == 5.25


def test_shuttle_sailings_per_round_trip():
    # 20 x 0.5 x 7 / (2 x 3.5 + 2) = 70 / 9 = 7.78; with the transit doubled 70 / 16 = 4.375
    assert supply.shuttle_sailings(20, 0.5, 3.5, 2) == approx(70 / 9)
    assert supply.shuttle_sailings(20, 0.5, 7.0, 2) == approx(4.375)


def test_convoy_places_go_to_energy_first():
    assert supply.convoy_capacity(100, 2) == 200  # csis-convoy-limits
    got = supply.allocate({"lng": 5, "coal": 10, "oil": 4, "container": 60}, 30)
    assert got == {"lng": 5, "coal": 10, "oil": 4, "container": 11}
    assert supply.allocate({"lng": 5}, 300)["lng"] == 5  # never more than wanted
    # the same in priority order, as a list (the shipping process's week)
    assert supply.allocate_in_order([5, 10, 4, 60], 30) == [5, 10, 4, 11]
    assert supply.allocate_in_order([5, 10], 300) == [5, 10]


# --- transit --------------------------------------------------------------------------------------

def test_seizure_share_spreads_the_boardings():
    # 20 boardings x 0.75 workable / 60 sailings = 0.25; halved when the coast guard resists half
    assert transit.seizure_share(60, 20, 0.75) == approx(0.25)
    assert transit.seizure_share(60, 20, 0.75, 0.5) == approx(0.125)
    assert transit.seizure_share(10, 20) == 1.0
    assert transit.seizure_share(0, 20) == 0.0


def test_escorts_cut_the_transit_loss():
    # 0.15 x 0.85^8 = 0.15 x 0.2724905 = 0.0408736
    assert transit.transit_loss(0.15, 8, 0.15) == approx(0.15 * 0.85 ** 8)
    assert transit.transit_loss(0.15, 8, 0.15) == approx(0.0408736, abs=1e-7)
    assert transit.transit_loss(0.15, 0, 0.15) == 0.15


@given(base=prob, a=st.floats(0, 40), b=st.floats(0, 40), protection=prob)
def test_more_escorts_never_raise_the_loss(base, a, b, protection):
    lo, hi = sorted((a, b))
    assert transit.transit_loss(base, hi, protection) <= transit.transit_loss(base, lo, protection)


def test_convoy_missile_losses_worked_example():
    # per missile 0.85 x 0.3^2 x (1 - 0) x 0.90 = 0.06885 (no terminal defence);
    # 200 x 0.06885 = 13.77 hits, x 0.361 = 4.97097 losing hits; 100 x (1 - e^-0.0497097) = 4.8494
    lost = transit.convoy_missile_losses(100, 200, 2)
    assert lost == approx(100 * (1 - math.exp(-200 * 0.06885 * 0.361 / 100)))
    assert lost == approx(4.8494, abs=1e-4)
    assert transit.convoy_missile_losses(0, 200) == 0.0
    # a third interceptor shot cuts the leakers to 0.3^3: fewer losses
    assert transit.convoy_missile_losses(100, 200, 3) < lost


def test_passage_worked_example():
    # 10 sailed: 2.5 seized, 0.1 x 7.5 = 0.75 sunk, 6.75 arrived
    assert transit.passage(10, 0.25, 0.1) == approx((10, 6.75, 0.75, 2.5))


@given(n=amount, seized=prob, loss=prob)
def test_passage_mass_balance(n, seized, loss):
    sailed, arrived, sunk, got = transit.passage(n, seized, loss)
    assert min(arrived, sunk, got) >= -1e-9
    assert arrived + sunk + got == approx(sailed, abs=1e-9)


# --- power ----------------------------------------------------------------------------------------

def test_burn_rates():
    # coal flat out with industry's share shifted to power: 0.77; kept and scaled 0.95: 0.9615
    assert power.burn_rate(0.23, 0.0) == approx(0.77)
    assert power.burn_rate(0.23, 1.0, 0.95) == approx(0.9615)
    # generators at 6% with oil 1% of the mix, 99% of oil outside power: 0.06 x 0.01 / 0.01
    assert power.generator_burn(0.06, 0.01, 0.99) == approx(0.06)
    assert power.generator_burn(0.06, 0.0, 0.99) == 0.0


def test_no_lng_runs_the_rest_flat_out():
    # fuels can give 0.55 + 0.01 = 0.56 < 0.91 - 0.17 = 0.74: short; 0.17 + 0.56 + 0.06 = 0.79
    w = power.power_week((0, 100, 100), (0, 0, 0), LO_MIX, NONPOWER, RATIONED, 0.91, 0.06)
    assert w.short and w.electricity_share == approx(0.79)
    assert w.lasted == approx((0.0, 1.0, 1.0))
    # coal 7 x 0.77 = 5.39 days; oil 7 x (0.01 + 0.99 + 0.06) = 7.42 days
    assert w.used == approx((0.0, 5.39, 7.42))
    assert w.stocks == approx((0.0, 94.61, 92.58))


def test_full_stocks_meet_the_cut_demand_and_burn_less():
    # wanted 0.96 - 0.17 = 0.79 of 0.83 the fuels can give: scale 0.79 / 0.83 = 0.95181;
    # LNG burns 0.83 x 0.95181 + 0.17 = 0.96 a day: 6.72 days in the week
    w = power.power_week((100, 100, 100), (0, 0, 0), LO_MIX, NONPOWER, ALL_KEPT, 0.96)
    assert not w.short and w.electricity_share == approx(0.96)
    assert w.used[0] == approx(6.72)


def test_a_fuel_running_out_mid_week():
    # LNG flat out burns 1 day a day: 3 / 7 = 0.428571 of the week;
    # supply 0.17 + 0.27 x 3/7 + 0.55 + 0.01 = 0.845714 < 0.96: short, no generators yet
    w = power.power_week((3, 100, 100), (0, 0, 0), LO_MIX, NONPOWER, ALL_KEPT, 0.96)
    assert w.short
    assert w.lasted[0] == approx(3 / 7)
    assert w.electricity_share == approx(0.17 + 0.27 * 3 / 7 + 0.56)
    assert w.stocks[0] == 0.0


def test_inflow_supports_output_after_the_stock_is_gone():
    # no LNG stock but 3.5 days of LNG arriving: half the week at full burn
    w = power.power_week((0, 100, 100), (3.5, 0, 0), LO_MIX, NONPOWER, ALL_KEPT, 0.96)
    assert w.lasted[0] == approx(0.5)


def test_storage_caps_the_refill():
    w = power.power_week((20, 20, 20), (50, 50, 50), LO_MIX, NONPOWER, ALL_KEPT, 0.96,
                         cap_days=(26, 59, 160))
    assert w.stocks[0] == 26.0 and w.stocks[1] == 59.0


def test_bad_power_inputs_are_refused():
    with pytest.raises(ModelError, match="demand"):
        power.power_week((1, 1, 1), (0, 0, 0), LO_MIX, NONPOWER, ALL_KEPT, 1.5)


@settings(max_examples=200, deadline=None)
@given(s=st.tuples(amount, amount, amount), i=st.tuples(amount, amount, amount),
       demand=prob, gens=st.floats(0, 0.2), kept=st.tuples(prob, prob, prob))
def test_stocks_never_negative_and_share_never_above_demand(s, i, demand, gens, kept):
    w = power.power_week(s, i, LO_MIX, NONPOWER, kept, demand, gens)
    assert all(x >= 0.0 for x in w.stocks)
    assert 0.0 <= w.electricity_share <= demand + 1e-12
    for k in range(3):  # used never exceeds what there was
        assert w.used[k] <= s[k] + i[k] + 1e-9
        assert w.stocks[k] == approx(s[k] + i[k] - w.used[k], abs=1e-9)


def test_all_types_at_once_match_one_by_one():
    # normal 10, willing 0.2, 5 shuttle ships at 0.5 a week: 2 + 2.5 = 4.5; shuttle 2.5 / 4.5
    wanted, share = supply.sailings([10, 5], [5, 100], 0.5, 0.2)
    assert wanted == approx([4.5, 5.0]) and share == approx([2.5 / 4.5, 50 / 51])
    # (30, 6.75 + 19, 0.75 + 1, 2.5): 10 alone (0.25 seized, 0.1 lost) + 20 escorted (0.05)
    got = transit.passages([10, 0], [20, 0], 0.25, 0.1, 0.05)
    assert got[0] == approx((30, 25.75, 1.75, 2.5)) and got[1] == approx((0, 0, 0, 0))
    a, b = transit.passage(10, 0.25, 0.1), transit.passage(20, 0.0, 0.05)
    assert got[0] == approx(tuple(x + y for x, y in zip(a, b)))
    # no convoys (escorted None): exactly the sums with no ship escorted
    alone = [10.0, 3.3, 0.0, 7.1]
    assert transit.passages(alone, None, 0.25, 0.1, 0.0) == \
        transit.passages(alone, [0.0] * 4, 0.25, 0.1, 0.0)
