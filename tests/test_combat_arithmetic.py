"""The campaign arithmetic (sim.model.combat) against worked examples computed by hand, its edge
cases, and invariants checked with hypothesis.

Each worked example writes its arithmetic in a comment, so a reader can check the numbers with
a pencil; docs/campaign-arithmetic.md walks through the same examples.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ModelError, SimError
from sim.model.combat import _checks, counts, ground, lift, losses, salvo, submarines

approx = pytest.approx
prob = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
unit = st.floats(min_value=0.0, max_value=1.0, exclude_max=True, allow_nan=False)
amount = st.floats(min_value=0.0, max_value=1e4, allow_nan=False)


# --- salvo: the per-missile chain ---------------------------------------------------------------

def test_two_interceptors_at_pk_07_leave_nine_percent():
    # (1 - 0.7)^2 = 0.3 x 0.3 = 0.09: Lights Out's 9%; at least one of two kills = 1 - 0.09 = 0.91
    assert salvo.area_leak() == approx(0.09)
    assert 1.0 - salvo.area_leak(0.7, 2) == approx(0.91)
    assert salvo.area_leak(0.7, 1) == approx(0.3)
    assert salvo.area_leak(0.7, 0) == 1.0  # no shot, no kill


def test_chain_product_with_csis_values():
    # 0.85 (launched) x 0.09 (past two interceptors) x 0.30 (past terminal defence)
    #   x 0.90 (guidance works) = 0.0765 x 0.30 x 0.90 = 0.02295 x 0.90 = 0.020655
    assert salvo.hit_probability() == approx(0.020655)


def test_convoy_merchant_has_no_terminal_defence():
    # Lights Out: escorts' interceptors but no terminal defence:
    # 0.85 x 0.09 x 1.0 x 0.90 = 0.06885, i.e. 1/0.30 times the warship's 0.020655
    p = salvo.hit_probability(terminal_defence=0.0)
    assert p == approx(0.06885)
    assert p == approx(salvo.hit_probability() / 0.30)


def test_fat_tails_read_as_wasted_or_undefended_salvos():
    # undefended: launch and guidance only, 0.85 x 0.90 = 0.765
    # (1 - 0.05 - 0.05) x 0.020655 + 0.05 x 0 + 0.05 x 0.765
    #   = 0.0185895 + 0.03825 = 0.0568395, close to CSIS's 5.6% subsonic average
    undefended = salvo.hit_probability(interceptor_pk=0.0, terminal_defence=0.0)
    assert undefended == approx(0.765)
    p = salvo.fat_tail_hit_probability(salvo.hit_probability(), undefended)
    assert p == approx(0.0568395)
    assert abs(p - salvo.BASE_HIT_RATE_SUBSONIC) < 0.001
    # without the tails the chain alone is far below either published average
    assert salvo.hit_probability() < salvo.BASE_HIT_RATE_SUBSONIC / 2


def test_fat_tail_errors_cannot_exceed_certainty():
    with pytest.raises(ModelError, match=r"attacker_error \+ defender_error \(0.6 \+ 0.5\)"):
        salvo.fat_tail_hit_probability(0.02, 0.7, attacker_error=0.6, defender_error=0.5)


def test_expected_hits_of_a_supersonic_salvo_and_of_the_worked_example():
    # one salvo of 25 at 7.4%: 25 x 0.074 = 1.85 hits
    assert salvo.expected_hits(salvo.SALVO_SIZE, salvo.BASE_HIT_RATE_SUPERSONIC) == approx(1.85)
    # CSIS's example, 96 YJ-12: 96 x 0.074 = 7.104 expected; its dice gave 3
    assert salvo.expected_hits(96, salvo.BASE_HIT_RATE_SUPERSONIC) == approx(7.104)
    # "ship defenses poor": 96 x 0.25 = 24
    assert salvo.expected_hits(96, salvo.POOR_DEFENCES_HIT_RATE) == approx(24.0)


def test_salvo_edge_cases():
    assert salvo.expected_hits(0, 0.074) == 0.0  # zero missiles
    assert salvo.hit_probability(interceptor_pk=1.0) == 0.0  # Pk 1: nothing leaks
    assert salvo.hit_probability(launch_failure=1.0) == 0.0
    # no defenders at all: only launch failure and guidance failure remain, 0.85 x 0.9
    assert salvo.hit_probability(interceptor_pk=0.0, terminal_defence=0.0) == approx(0.765)
    assert salvo.sampled_hits(0, 0.5, 0.99) == 0
    assert salvo.sampled_hits(40, 1.0, 0.0) == 40
    assert salvo.sampled_hits(40, 0.0, 0.999) == 0


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.7", True])
def test_a_bad_probability_names_the_argument_and_value(bad):
    with pytest.raises(ModelError, match=r"interceptor_pk \(.*\) must be a probability"):
        salvo.area_leak(bad, 2)


def test_bad_counts_and_draws_are_model_errors():
    assert issubclass(ModelError, SimError)
    with pytest.raises(ModelError, match=r"missiles \(-1\) must be a finite count"):
        salvo.expected_hits(-1, 0.1)
    with pytest.raises(ModelError, match=r"missiles \(2.5\) must be a whole number"):
        salvo.sampled_hits(2.5, 0.1, 0.5)
    with pytest.raises(ModelError, match=r"u \(1.0\) must be a uniform draw"):
        salvo.sampled_hits(10, 0.1, 1.0)


# --- salvo: hits spread over a group ------------------------------------------------------------

def test_three_hits_on_a_three_ship_sag():
    # 3 hits on 2 DDG + 1 CG, one hit each to disable: Poisson mean 3/3 = 1 hit per ship,
    # P(out) = 1 - e^-1 = 0.6321; DDG 2 x 0.6321 = 1.2642, CG 0.6321, together 1.8964
    out = salvo.ships_out_of_action(3, {"ddg": 2, "cg": 1})
    assert out["ddg"] == approx(2 * (1 - math.exp(-1)))
    assert out["cg"] == approx(1 - math.exp(-1))
    assert sum(out.values()) == approx(1.8964, abs=1e-4)


def test_a_class_needing_two_hits_is_harder_to_stop():
    # 4 hits on 3 DDG + 1 CV, CV needs 2: mean 4/4 = 1 per ship.
    # DDG: 3 x (1 - e^-1) = 3 x 0.63212 = 1.89636
    # CV: P(>= 2) = 1 - e^-1 (1 + 1) = 1 - 0.73576 = 0.26424
    out = salvo.ships_out_of_action(4, {"ddg": 3, "cv": 1}, {"cv": 2})
    assert out["ddg"] == approx(1.89636, abs=1e-5)
    assert out["cv"] == approx(0.26424, abs=1e-5)
    assert out["cv"] < out["ddg"] / 3


def test_no_hits_or_no_ships_puts_nothing_out():
    assert salvo.ships_out_of_action(0, {"ddg": 2}) == {"ddg": 0.0}
    assert salvo.ships_out_of_action(5, {"ddg": 0}) == {"ddg": 0.0}
    assert salvo.ships_out_of_action(5, {}) == {}
    assert salvo.out_of_action_probability(5, 2, hits_to_disable=0) == 1.0


def test_sampled_ships_out_need_a_draw_per_class():
    with pytest.raises(ModelError, match="no draw for ship class 'cg'"):
        salvo.sampled_ships_out_of_action(3, {"ddg": 2, "cg": 1}, {"ddg": 0.5})
    got = salvo.sampled_ships_out_of_action(3, {"ddg": 2, "cg": 1}, {"ddg": 0.0, "cg": 0.9999})
    assert got == {"ddg": 0, "cg": 1}


# --- the binomial sampler --------------------------------------------------------------------

def test_binomial_quantile_against_its_cdf_by_hand():
    # Binomial(3, 0.5): P(0) = 1/8, P(<=1) = 4/8, P(<=2) = 7/8, P(<=3) = 1
    q = [_checks.binomial_quantile(3, 0.5, u) for u in (0.0, 0.1, 0.124, 0.2, 0.49, 0.6, 0.9)]
    assert q == [0, 0, 0, 1, 1, 2, 3]



def _summed_afresh(n: int, p: float, u: float) -> int:
    """binomial_quantile without its cache: the CDF summed from k = 0 on every call."""
    if p > 0.5:
        return n - _summed_afresh(n, 1.0 - p, 1.0 - u) if u > 0.0 else 0
    pmf = cdf = math.exp(n * math.log1p(-p))
    k, ratio = 0, p / (1.0 - p)
    while cdf < u and k < n:
        pmf *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += pmf
    return k


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300), st.sampled_from([0.056, 0.2, 0.5, 0.8]) | st.floats(1e-6, 0.999),
       st.lists(unit, min_size=1, max_size=6))
def test_binomial_quantile_cache_gives_what_summing_afresh_gives(n, p, us):
    # the kept CDFs are extended call by call; in any order of u the answer is the same
    for u in us:
        assert _checks.binomial_quantile(n, p, u) == _summed_afresh(n, p, u)

def test_sampled_hits_average_to_the_expected_hits():
    # the mean over an even grid of uniforms is the binomial mean, 96 x 0.074 = 7.104
    n = 4000
    mean = sum(salvo.sampled_hits(96, 0.074, (i + 0.5) / n) for i in range(n)) / n
    assert mean == approx(7.104, abs=0.01)


def test_large_counts_use_the_normal_approximation_sensibly():
    # 10,000 at 0.3: (0.7)^10000 underflows; the median is the mean, 3,000
    assert _checks.binomial_quantile(10_000, 0.3, 0.5) == approx(3000, abs=1)
    lo, hi = (_checks.binomial_quantile(10_000, 0.3, u) for u in (0.05, 0.95))
    # sd = sqrt(10000 x 0.3 x 0.7) = 45.8; the 5% and 95% points are 3000 -/+ 1.645 x 45.8 = 75
    assert lo == approx(2925, abs=2) and hi == approx(3075, abs=2)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), prob, unit, unit)
def test_sampled_hits_stay_in_range_and_grow_with_u(n, p, u1, u2):
    a, b = sorted((u1, u2))
    ha, hb = salvo.sampled_hits(n, p, a), salvo.sampled_hits(n, p, b)
    assert 0 <= ha <= hb <= n


# --- salvo invariants ---------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(prob, prob, st.integers(0, 4), prob, prob, prob)
def test_hit_probability_is_a_probability_and_falls_with_defence(lf, pk, shots, td, gf, more):
    p = salvo.hit_probability(launch_failure=lf, interceptor_pk=pk, shots=shots,
                              terminal_defence=td, guidance_failure=gf)
    assert 0.0 <= p <= 1.0
    # a better interceptor, one more shot or a stronger terminal defence never lets more through
    better_pk = pk + (1.0 - pk) * more
    assert salvo.hit_probability(launch_failure=lf, interceptor_pk=better_pk, shots=shots,
                                 terminal_defence=td, guidance_failure=gf) <= p + 1e-15
    assert salvo.hit_probability(launch_failure=lf, interceptor_pk=pk, shots=shots + 1,
                                 terminal_defence=td, guidance_failure=gf) <= p + 1e-15
    assert salvo.hit_probability(launch_failure=lf, interceptor_pk=pk, shots=shots,
                                 terminal_defence=td + (1.0 - td) * more,
                                 guidance_failure=gf) <= p + 1e-15


@settings(max_examples=200, deadline=None)
@given(amount, amount, st.dictionaries(st.sampled_from(["ddg", "cg", "cv", "lst"]),
                                       st.integers(0, 30), max_size=4),
       st.integers(1, 4))
def test_ships_out_never_negative_never_more_than_the_group_and_grow_with_hits(h1, h2, group,
                                                                              need):
    lo, hi = sorted((h1, h2))
    need_map = {c: need for c in group}
    out_lo = salvo.ships_out_of_action(lo, group, need_map)
    out_hi = salvo.ships_out_of_action(hi, group, need_map)
    for cls, n in group.items():
        assert 0.0 <= out_lo[cls] <= out_hi[cls] + 1e-9
        assert out_hi[cls] <= n + 1e-9
    # a group can lose no more ships than it has hits (each needs at least one)
    assert sum(out_hi.values()) <= hi + 1e-9


# --- submarines ---------------------------------------------------------------------------------

def test_a_squadron_in_one_turn():
    # 4 boats x 2 = 8 amphibious and 8 escorts; 4 x 0.20 = 0.8 boats lost, 3.2 left
    t = submarines.submarine_turn(4, 96, 52)
    assert (t.amphibious_sunk, t.escorts_sunk) == (8.0, 8.0)
    assert t.ssns_lost == approx(0.8) and t.ssns_end == approx(3.2)
    assert (t.amphibious_left, t.escorts_left) == (88.0, 44.0)


def test_three_turns_of_one_squadron():
    # boats 4 -> 3.2 -> 2.56 -> 2.048; amphibious sunk 8 + 6.4 + 5.12 = 19.52
    # = 40 x (1 - 0.8^3) = 40 x 0.488 = 19.52
    turns = submarines.submarine_campaign(4, 96, 52, 3)
    assert [t.ssns_start for t in turns] == approx([4.0, 3.2, 2.56])
    assert turns[-1].ssns_end == approx(2.048)
    assert sum(t.amphibious_sunk for t in turns) == approx(19.52)
    assert sum(t.amphibious_sunk for t in turns) == approx(40 * (1 - 0.8 ** 3))


def test_an_unreinforced_squadron_sinks_at_most_forty():
    # the geometric series 8 + 6.4 + 5.12 + ... tends to 8 / 0.2 = 40
    turns = submarines.submarine_campaign(4, 1000, 1000, 60)
    assert sum(t.amphibious_sunk for t in turns) == approx(40.0, abs=1e-3)
    assert sum(t.amphibious_sunk for t in turns) < 40.0


def test_sinkings_stop_at_the_ships_present():
    # 4 boats could sink 8 of each; only 5 amphibious and 3 escorts are left
    assert submarines.ssn_sinkings(4, 5, 3) == (5.0, 3.0)
    assert submarines.ssn_sinkings(0, 96, 52) == (0.0, 0.0)
    assert submarines.submarine_campaign(4, 96, 52, 0) == []


def test_a_turn_of_other_length_scales_sinkings_and_compounds_losses():
    # 7 days = two rule turns: 4 x 2 x 2 = 16 sunk; survival 0.8^2 = 0.64, lost 4 x 0.36 = 1.44
    assert submarines.ssn_sinkings(4, 96, 52, turn_days=7.0) == (16.0, 16.0)
    assert submarines.ssn_losses(4, turn_days=7.0) == approx(1.44)


def test_sampled_boat_losses():
    assert submarines.sampled_ssn_losses(4, 0.0) == 0
    # Binomial(4, 0.2): P(0) = 0.8^4 = 0.4096, P(<=1) = 0.4096 + 4 x 0.2 x 0.8^3 = 0.8192
    assert submarines.sampled_ssn_losses(4, 0.40) == 0
    assert submarines.sampled_ssn_losses(4, 0.41) == 1
    assert submarines.sampled_ssn_losses(4, 0.82) == 2


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 40), amount, amount, st.integers(0, 12), prob)
def test_submarine_campaign_conserves_ships_and_boats(ssns, amph, esc, turns, loss):
    out = submarines.submarine_campaign(ssns, amph, esc, turns, loss_per_turn=loss)
    assert sum(t.amphibious_sunk for t in out) <= amph + 1e-6
    assert sum(t.escorts_sunk for t in out) <= esc + 1e-6
    for t in out:
        assert min(t) >= 0.0
        assert t.ssns_end <= t.ssns_start
    # more boats never sink fewer ships
    more = submarines.submarine_campaign(ssns + 4, amph, esc, turns, loss_per_turn=loss)
    assert sum(t.amphibious_sunk for t in more) >= sum(t.amphibious_sunk for t in out) - 1e-6


# --- counts by class ----------------------------------------------------------------------------

def test_spread_losses_by_class_share():
    # 8 of 96: LST 8 x 28/96 = 2.3333, LHD/LPD 8 x 18/96 = 1.5, LSM 8 x 20/96 = 1.6667,
    # RO-RO 8 x 30/96 = 2.5
    got = counts.spread_losses(8, lift.FLEET_2026)
    assert got == approx({"lst": 7 / 3, "lhd_lpd": 1.5, "lsm": 5 / 3, "roro": 2.5})
    # more than the group has: the whole group, no more
    assert counts.spread_losses(500, {"a": 2, "b": 1}) == {"a": 2.0, "b": 1.0}
    assert counts.spread_losses(3, {"a": 0}) == {"a": 0.0}
    assert counts.subtract({"a": 2, "b": 1}, {"a": 3}) == {"a": 0.0, "b": 1.0}


@settings(max_examples=200, deadline=None)
@given(amount, st.dictionaries(st.text(min_size=1, max_size=3), amount, max_size=5))
def test_spread_losses_never_exceed_a_class_and_sum_to_the_capped_total(total, group):
    got = counts.spread_losses(total, group)
    for c, n in group.items():
        assert 0.0 <= got[c] <= n * (1 + 1e-12)
    assert sum(got.values()) == approx(min(total, sum(group.values())), rel=1e-9, abs=1e-9)


# --- lift ---------------------------------------------------------------------------------------

def test_fleet_weights_and_the_published_rates():
    # 28 x 1 + 18 x 1.5 + 20 x 0.5 + 30 x 1 = 28 + 27 + 10 + 30 = 95
    assert lift.weighted_fleet(lift.FLEET_2026) == 95.0
    assert sum(lift.FLEET_2026.values()) == 96  # CSIS's 96 ships
    # full fleet: 8,000 troops on D-day = 8 battalions, then 16,000 = 16 a turn
    assert lift.sea_lift(1, 1.0) == 8.0
    assert lift.sea_lift(2, 1.0) == 16.0
    # three turns at full lift, no sustainment: 8 + 16 + 16 = 40, near CSIS's 37 landed
    assert sum(lift.sea_lift(t, 1.0) for t in (1, 2, 3)) == 40.0


def test_losing_the_dock_ships_and_the_excursions():
    # all 18 LHD/LPD sunk: (95 - 27) / 95 = 68 / 95 = 0.7158; turn 2 lifts 16 x 0.7158 = 11.45
    fleet = dict(lift.FLEET_2026, lhd_lpd=0.0)
    assert lift.lift_fraction(fleet) == approx(68 / 95)
    assert lift.sea_lift(2, lift.lift_fraction(fleet)) == approx(16 * 68 / 95)
    # Falklands offload rates: 16 x 0.7 = 11.2; a cyber turn: 16 x 0.8 = 12.8
    assert lift.sea_lift(2, 1.0, offload_factor=lift.FALKLANDS_OFFLOAD_FACTOR) == approx(11.2)
    assert lift.sea_lift(2, 1.0, offload_factor=lift.CYBER_PORT_FACTOR) == approx(12.8)


def test_landing_craft_are_a_bottleneck():
    # all ships but half the 305 craft: min(1.0, 152.5 / 305) = 0.5
    assert lift.lift_fraction(lift.FLEET_2026, 152.5) == 0.5
    assert lift.lift_fraction(lift.FLEET_2026, 305) == 1.0


def test_a_lift_turn_feeds_the_lodgment_first():
    # turn 3, 60% of lift, 20 ashore, no port: capacity 16 x 0.6 + 1 = 10.6; need 20 x 0.2 = 4;
    # new battalions 10.6 - 4 = 6.6
    fleet = {c: n * 0.6 for c, n in lift.FLEET_2026.items()}
    t = lift.lift_turn(3, fleet, 20)
    assert t.capacity == approx(10.6) and t.sustainment_need == approx(4.0)
    assert t.supplied_share == 1.0 and t.new_battalions == approx(6.6)


def test_a_lodgment_without_a_fleet_is_short_of_supply_unless_it_holds_ports():
    # no ships, 30 ashore: capacity 1 (air and small craft), need 30 x 0.2 = 6, supplied 1/6
    gone = {c: 0.0 for c in lift.FLEET_2026}
    t = lift.lift_turn(4, gone, 30)
    assert t.capacity == 1.0 and t.supplied_share == approx(1 / 6) and t.new_battalions == 0.0
    # two working ports add 2 x 4 = 8: capacity 9, need 6, 3 new battalions cross
    t = lift.lift_turn(4, gone, 30, working_ports=2)
    assert t.capacity == 9.0 and t.supplied_share == 1.0 and t.new_battalions == approx(3.0)


def test_ships_sunk_during_a_turn_carry_half_a_load():
    # 10 LST and 4 LHD/LPD at the start, 6 and 4 at the end: 6 + 0.5 x 4 = 8 LST carry, the
    # LHD/LPD (none sunk) unchanged
    start, end = {"lst": 10.0, "lhd_lpd": 4.0}, {"lst": 6.0, "lhd_lpd": 4.0}
    assert lift.fleet_during_turn(start, end) == {"lst": 8.0, "lhd_lpd": 4.0}
    # a whole class sunk carries half; delivered_share 0 is the old rule (only survivors carry)
    assert lift.fleet_during_turn({"lsm": 20.0}, {"lsm": 0.0}) == {"lsm": 10.0}
    assert lift.fleet_during_turn(start, end, delivered_share=0.0) == end
    # turn 2, the 2026 fleet halved during the turn: 16 x 0.75 = 12 battalion-lifts, not 8
    half = {c: n / 2 for c, n in lift.FLEET_2026.items()}
    assert lift.sea_lift(2, lift.lift_fraction(
        lift.fleet_during_turn(lift.FLEET_2026, half))) == approx(12.0)
    # what is delivered and what is lost at sea add up to one load: the campaign's troops lost
    # per unit of weight sunk are half a turn's (16,000 / 95 x 0.5 = 84.2)
    from sim.model.processes.invasion.columns import TROOPS_PER_SHIP_WEIGHT
    assert TROOPS_PER_SHIP_WEIGHT == approx(84.21, abs=0.01)
    assert lift.SUNK_MIDWAY + TROOPS_PER_SHIP_WEIGHT / (
        lift.TROOPS_PER_TURN / lift.weighted_fleet(lift.FLEET_2026)) == approx(1.0)
    with pytest.raises(ModelError, match="more ships at the end"):
        lift.fleet_during_turn({"lst": 1.0}, {"lst": 2.0})


def test_lift_edge_cases():
    with pytest.raises(ModelError, match="turn \\(0\\) must be 1 or more"):
        lift.sea_lift(0, 1.0)
    with pytest.raises(ModelError, match="no lift weight for ship class 'sampan'"):
        lift.weighted_fleet({"sampan": 3})
    assert lift.lift_turn(2, lift.FLEET_2026, 0, battalions_waiting=5).new_battalions == 5.0
    assert lift.troops_to_battalions(16_000) == 16.0


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10), st.floats(0, 1), st.floats(0, 1), st.floats(0, 200),
       st.floats(0, 6), st.floats(0, 200))
def test_lift_is_never_negative_and_falls_with_losses(turn, keep_a, keep_b, ashore, ports,
                                                      more_ashore):
    lo_keep, hi_keep = sorted((keep_a, keep_b))
    few = lift.lift_turn(turn, {c: n * lo_keep for c, n in lift.FLEET_2026.items()}, ashore,
                         working_ports=ports)
    many = lift.lift_turn(turn, {c: n * hi_keep for c, n in lift.FLEET_2026.items()}, ashore,
                          working_ports=ports)
    for t in (few, many):
        assert t.capacity >= 0 and t.sustainment_need >= 0 and t.new_battalions >= 0
        assert 0.0 <= t.supplied_share <= 1.0
        assert t.new_battalions <= t.capacity + 1e-9
    assert few.new_battalions <= many.new_battalions + 1e-9
    assert few.supplied_share <= many.supplied_share + 1e-12
    # more battalions to feed never lets more new ones cross
    heavier = lift.lift_turn(turn, {c: n * hi_keep for c, n in lift.FLEET_2026.items()},
                             ashore + more_ashore, working_ports=ports)
    assert heavier.new_battalions <= many.new_battalions + 1e-9


# --- ground -------------------------------------------------------------------------------------

def test_taiwan_in_battalion_equivalents():
    # base: 114 x 1 + 63 x 0.5 = 114 + 31.5 = 145.5
    assert ground.taiwan_battalion_equivalents() == 145.5
    # understrength: 114 x 0.75 + 63 x 0.375 = 85.5 + 23.625 = 109.125
    assert ground.taiwan_battalion_equivalents(
        active_factor=ground.UNDERSTRENGTH_ACTIVE_FACTOR,
        reserve_factor=ground.UNDERSTRENGTH_RESERVE_FACTOR) == approx(109.125)
    # reserves not yet mobilised: 114 only
    assert ground.taiwan_battalion_equivalents(mobilised_share=0.0) == 114.0


def test_defenders_of_a_northern_landing():
    # sector 0.46 x 145.5 = 66.93; from elsewhere 0.5 x 0.54 x 145.5 = 39.285; total 106.215
    assert ground.defenders_available(145.5, ground.NORTH_SHARE, 1) == approx(106.215)
    # delayed reaction: only the sector's 66.93 in the frozen first turn, all 106.215 after
    assert ground.defenders_available(145.5, 0.46, 1, frozen_turns=1) == approx(66.93)
    assert ground.defenders_available(145.5, 0.46, 2, frozen_turns=1) == approx(106.215)


def test_one_turn_of_exchange_and_three_even_turns():
    # 20 PLA vs 30 Taiwan: PLA loses 0.1 x 30 = 3, Taiwan 0.1 x 20 = 2 -> 17 and 28
    t = ground.ground_exchange(20, 30)
    assert (t.pla_lost, t.taiwan_lost, t.pla_end, t.taiwan_end) == approx((3, 2, 17, 28))
    # 20 a side for three turns: each keeps 0.9 a turn, 20 x 0.9^3 = 14.58, losing 5.42 each,
    # the order of the ~7 a side in CSIS's base case
    pla = tw = 20.0
    for _ in range(3):
        t = ground.ground_exchange(pla, tw)
        pla, tw = t.pla_end, t.taiwan_end
    assert pla == approx(14.58) and tw == approx(14.58)


def test_supply_and_air_support_change_the_exchange():
    # half supplied: 0.5 + 0.5 x 0.5 = 0.75; Taiwan then loses 0.1 x 20 x 0.75 = 1.5
    assert ground.combat_factor(supplied_share=0.5) == 0.75
    t = ground.ground_exchange(20, 30, pla_factor=ground.combat_factor(supplied_share=0.5))
    assert t.taiwan_lost == approx(1.5)
    assert ground.combat_factor(air_factor=1.2) == approx(1.2)


def test_ground_edge_cases():
    assert ground.ground_exchange(0, 30) == (0.0, 0.0, 0.0, 30.0)  # nobody ashore
    assert ground.ground_exchange(20, 0) == (0.0, 0.0, 20.0, 0.0)  # no defenders
    # a crushing defender cannot kill more than there is: 0.1 x 1000 = 100 > 5
    assert ground.ground_exchange(5, 1000).pla_end == 0.0
    assert ground.force_ratio(30, 20) == 1.5
    assert ground.force_ratio(30, 0) == math.inf and ground.force_ratio(0, 0) == 0.0


@settings(max_examples=200, deadline=None)
@given(amount, amount, st.floats(0, 3), st.floats(0, 3), st.floats(0, 1), st.floats(0, 100))
def test_exchange_conserves_and_more_defenders_cost_the_attacker_more(pla, tw, fp, ft, k,
                                                                      extra):
    t = ground.ground_exchange(pla, tw, pla_factor=fp, taiwan_factor=ft, kill_rate=k)
    assert 0.0 <= t.pla_lost <= pla and 0.0 <= t.taiwan_lost <= tw
    assert t.pla_end == approx(pla - t.pla_lost) and t.taiwan_end == approx(tw - t.taiwan_lost)
    more = ground.ground_exchange(pla, tw + extra, pla_factor=fp, taiwan_factor=ft, kill_rate=k)
    assert more.pla_lost >= t.pla_lost - 1e-9
    assert more.pla_end <= t.pla_end + 1e-9


# --- losses.py and the defended rate against allied ships (worked by hand) ------------------

def test_defended_fat_tail_rate_by_hand():
    """Two shots at Pk 0.7: 0.9 x 0.020655 + 0.05 x 0.765 = 0.0568395; three shots:
    0.9 x (0.85 x 0.027 x 0.30 x 0.90) + 0.03825 = 0.04382685; with no interceptors the
    chain is 0.85 x 1 x 0.30 x 0.90 = 0.2295, and 0.9 x 0.2295 + 0.03825 = 0.24480."""
    assert salvo.defended_fat_tail_rate(2) == pytest.approx(0.0568395)
    assert salvo.defended_fat_tail_rate(3) == pytest.approx(0.04382685)
    assert salvo.defended_fat_tail_rate(0) == pytest.approx(0.24480)
    assert salvo.defended_fat_tail_rate(3) < salvo.defended_fat_tail_rate(2)


def test_air_attrition_by_hand():
    """0.995^3.5 = 0.98260910; 300 aircraft lose 300 x 0.01739090 = 5.217269."""
    assert losses.survival_share(0.005, 3.5) == pytest.approx(0.995 ** 3.5)
    assert losses.survival_share(0.005, 3.5) == pytest.approx(0.98260910, abs=1e-8)
    assert losses.air_attrition(300, 0.005, 1.0, 3.5) == pytest.approx(5.217269, abs=1e-6)
    assert losses.air_attrition(300, 0.005, 2.0, 3.5) == pytest.approx(300 * (1 - 0.995 ** 7))
    assert losses.air_attrition(0, 0.5, 1, 3.5) == 0.0
    assert losses.air_attrition(300, 0.005, 1.0, 0.0) == 0.0


def test_aircraft_lost_aboard_by_hand():
    """96 aircraft on 2 carriers: one lost takes 48, both take 96, never more."""
    assert losses.aircraft_lost_aboard(96, 1, 2) == pytest.approx(48.0)
    assert losses.aircraft_lost_aboard(96, 2, 2) == pytest.approx(96.0)
    assert losses.aircraft_lost_aboard(96, 3, 2) == pytest.approx(96.0)
    assert losses.aircraft_lost_aboard(96, 0, 2) == 0.0
    assert losses.aircraft_lost_aboard(96, 1, 0) == 0.0


def test_casualties_by_hand():
    """1 carrier at 1,700 and 3 ships at 100: 2,000; a class without a rate counts none."""
    assert losses.casualties({"carriers": 1, "surface": 3},
                             {"carriers": 1700, "surface": 100}) == pytest.approx(2000.0)
    assert losses.casualties({"air": 5.5}, {}) == 0.0
    with pytest.raises(ModelError, match="per_unit"):
        losses.casualties({"air": 1.0}, {"air": -1.0})
    with pytest.raises(ModelError, match="loss_per_sortie"):
        losses.survival_share(1.5, 1.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1000), st.floats(0, 0.2), st.floats(0, 3), st.floats(0, 10))
def test_air_attrition_never_exceeds_the_aircraft(n, r, s, d):
    lost = losses.air_attrition(n, r, s, d)
    assert 0.0 <= lost <= n + 1e-9
