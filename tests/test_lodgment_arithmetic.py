"""The lodgment's arithmetic (sim.model.combat.lodgment) against worked examples computed by hand,
its edge cases, and invariants checked with hypothesis. docs/campaign-arithmetic.md section 7
walks through the same examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ModelError
from sim.model.combat import lift, lodgment

approx = pytest.approx
amount = st.floats(min_value=0.0, max_value=1e4, allow_nan=False)
area = st.floats(min_value=0.0, max_value=36_000.0, allow_nan=False)
side = st.sampled_from((lodgment.ADVANCE, lodgment.CONTAINED, lodgment.PUSHED_BACK))


def test_a_ground_hex_is_about_780_km2():
    # regular hexagon 30 km across the flats: 30^2 x sqrt(3) / 2 = 900 x 0.8660 = 779.42
    assert lodgment.HEX_KM2 == approx(779.42, abs=0.01)
    assert lodgment.TAIWAN_KM2 == 36_000.0


def test_front_defenders_per_hex():
    # two hexes at 9 a hex: 18; half a hex: 4.5; no ground: none
    assert lodgment.front_defenders(2 * lodgment.HEX_KM2, per_hex=9) == approx(18.0)
    assert lodgment.front_defenders(lodgment.HEX_KM2 / 2, per_hex=9) == approx(4.5)
    assert lodgment.front_defenders(0.0, per_hex=9) == 0.0


def test_engaged_defenders_are_the_fewest_of_three_bounds():
    two_hexes = 2 * lodgment.HEX_KM2
    # 106.2 can reach, 30 ashore at frontage 1 allow 30, the front 18: 18
    assert lodgment.engaged_defenders(106.2, 30, two_hexes, frontage_ratio=1,
                                      per_hex=9) == approx(18.0)
    # 10 ashore: frontage allows only 10
    assert lodgment.engaged_defenders(106.2, 10, two_hexes, frontage_ratio=1,
                                      per_hex=9) == approx(10.0)
    # only 5 can reach it
    assert lodgment.engaged_defenders(5, 30, two_hexes, frontage_ratio=1,
                                      per_hex=9) == approx(5.0)


def test_posture_worked_examples():
    r = 1.5
    assert lodgment.posture(27, 18, attack_ratio=r) == lodgment.ADVANCE       # 27/18 = 1.5
    assert lodgment.posture(26.9, 18, attack_ratio=r) == lodgment.CONTAINED   # 1.494
    assert lodgment.posture(15, 27, attack_ratio=r) == lodgment.PUSHED_BACK   # 27/15 = 1.8
    assert lodgment.posture(20, 27, attack_ratio=r) == lodgment.CONTAINED     # 1.35
    assert lodgment.posture(9, 9, attack_ratio=r) == lodgment.CONTAINED
    assert lodgment.posture(0, 0, attack_ratio=r) == lodgment.PUSHED_BACK     # nobody ashore
    assert lodgment.posture(3, 0, attack_ratio=r) == lodgment.ADVANCE         # nobody against
    with pytest.raises(ModelError, match="attack_ratio"):
        lodgment.posture(1, 1, attack_ratio=0)


def test_exchange_intensity():
    assert lodgment.exchange_intensity(lodgment.ADVANCE, contained_intensity=0.5) == 1.0
    assert lodgment.exchange_intensity(lodgment.PUSHED_BACK, contained_intensity=0.5) == 1.0
    assert lodgment.exchange_intensity(lodgment.CONTAINED, contained_intensity=0.5) == 0.5
    with pytest.raises(ModelError, match="contained_intensity"):
        lodgment.exchange_intensity(lodgment.CONTAINED, contained_intensity=1.5)


def test_area_after_worked_examples():
    h = lodgment.HEX_KM2
    # 1,558.8 km² advancing one hex: 2,338.3
    assert lodgment.area_after(2 * h, lodgment.ADVANCE, advance_hexes=1) == approx(3 * h)
    assert 3 * h == approx(2338.3, abs=0.1)
    # contained: unchanged
    assert lodgment.area_after(2 * h, lodgment.CONTAINED, advance_hexes=1) == approx(2 * h)
    # pushed back from one hex by one hex: nothing left (destroyed)
    assert lodgment.area_after(h, lodgment.PUSHED_BACK, advance_hexes=1) == 0.0
    # a 7-day turn moves the front twice as far: 780 + 2 x 779.42 = 2,338.84
    assert lodgment.area_after(780, lodgment.ADVANCE, advance_hexes=1,
                               turn_days=7) == approx(780 + 2 * h)
    # Taiwan caps it: 35,500 + 779.42 -> 36,000
    assert lodgment.area_after(35_500, lodgment.ADVANCE, advance_hexes=1) == 36_000.0


@settings(max_examples=200, deadline=None)
@given(area, side, st.floats(0.0, 5.0), st.floats(0.5, 14.0))
def test_area_stays_on_the_island(a, s, hexes, days):
    out = lodgment.area_after(a, s, advance_hexes=hexes, turn_days=days)
    assert 0.0 <= out <= lodgment.TAIWAN_KM2
    if s == lodgment.ADVANCE:
        assert out >= a
    elif s == lodgment.PUSHED_BACK:
        assert out <= a
    else:
        assert out == a


@settings(max_examples=200, deadline=None)
@given(amount, amount, amount, st.floats(0.1, 3.0), st.floats(0.0, 20.0))
def test_engaged_never_exceed_those_available(avail, pla, a, ratio, per_hex):
    e = lodgment.engaged_defenders(avail, pla, a, frontage_ratio=ratio, per_hex=per_hex)
    assert 0.0 <= e <= avail + 1e-9 and e <= ratio * pla + 1e-9


@settings(max_examples=200, deadline=None)
@given(amount, amount, st.floats(1.0, 4.0))
def test_more_pla_never_worse_posture(pla, tw, r):
    # adding battalions ashore never turns an advance into a retreat
    assert lodgment.posture(pla + 1.0, tw, attack_ratio=r) >= lodgment.posture(pla, tw,
                                                                               attack_ratio=r)


def test_troops_aboard_ships_sunk():
    per = lift.TROOPS_PER_TURN / lift.weighted_fleet(lift.FLEET_2026)  # 16,000 / 95 = 168.42
    assert per == approx(168.42, abs=0.01)
    # 2 LST (weight 1) and 2 LHD/LPD (1.5): (2 + 3) x 168.42 = 842.1
    assert lodgment.troops_aboard({"lst": 2, "lhd_lpd": 2}, lift.CLASS_WEIGHT,
                                  troops_per_weight=per) == approx(842.1, abs=0.1)
    # 86 of the 96 spread like the fleet: 95 x 86/96 = 85.104 weight x 168.42 = 14,333
    sunk = {c: n * 86 / 96 for c, n in lift.FLEET_2026.items()}
    assert lodgment.troops_aboard(sunk, lift.CLASS_WEIGHT,
                                  troops_per_weight=per) == approx(14_333, abs=1)
    # the whole fleet sunk: one full turn's 16,000
    assert lodgment.troops_aboard(dict(lift.FLEET_2026), lift.CLASS_WEIGHT,
                                  troops_per_weight=per) == approx(16_000)


def test_casualties_per_battalion():
    assert lodgment.casualties(7.0) == approx(7_000.0)           # PLA, csis-fb-base-casualties
    assert lodgment.casualties(7.0, per_battalion=500) == approx(3_500.0)   # Taiwan
    with pytest.raises(ModelError, match="battalions_lost"):
        lodgment.casualties(-1.0)
    assert math.isfinite(lodgment.casualties(0.0))
