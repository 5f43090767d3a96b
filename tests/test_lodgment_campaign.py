"""The invasion campaign's lodgment, run whole: conservation (by ship class, stocks, area),
paired monotone properties with common random numbers, the milestones and casualty columns, and
the Taiwan-alone variant whose war ends on turns that vary between replications."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support import frame, scenario_path
from sim.config.loader import load
from sim.model.combat import lodgment
from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.model.processes.invasion_campaign import CLASSES, InvasionCampaign
from sim.model.streams import replication_key, slot_draws

BASE = "variants/invasion_2023_base"
ALONE = "variants/invasion_taiwan_alone"
CAMPAIGN = "adjudication.invasion.campaign."
SEED = 3


def _campaigns(overrides=(), runs=300, seed=SEED):
    """The campaign process of each replication after its run (its state, not only its row)."""
    c = compile_scenario(load(scenario_path(BASE), list(overrides)).scenario)
    for i in range(runs):
        rkey = replication_key(seed, i)
        u, z = slot_draws(c.slot_keys, rkey)
        eng = Engine(c, u, z, None, rkey)
        eng.run()
        camp = next(p for p in eng.processes if isinstance(p, InvasionCampaign))
        if camp.t0 is not None:
            yield camp


def _assert_conserved(camp: InvasionCampaign) -> None:
    p = camp.eng.p
    fleet, ashore = camp.fleet, camp.lodgment
    for cls, afloat in fleet.by_class().items():  # ships sunk never exceed ships sailed
        sailed = p[f"campaign.fleet_{cls}"]
        assert 0.0 <= afloat <= sailed + 1e-9, cls
    assert list(fleet.by_class()) == list(CLASSES)
    assert 0.0 <= fleet.escorts <= p["campaign.escorts"] + 1e-9
    assert 0.0 <= ashore.ashore <= ashore.landed + 1e-9
    assert ashore.pla_lost_ashore <= ashore.landed + 1e-9
    # munitions and boats never negative, never more fired than held
    assert fleet.lrasm >= 0.0 and fleet.taiwan_asm >= 0.0 and fleet.ssns >= 0
    assert fleet.lrasm + fleet.lrasm_fired == pytest.approx(p["campaign.lrasm_stock"])
    assert 0.0 <= ashore.area <= lodgment.TAIWAN_KM2
    assert 0.0 <= ashore.taiwan_lost <= ashore.strength + 1e-9
    assert ashore.ports_held >= 0
    m = camp.milestones
    if "fleet_gone" in m:
        assert m["fleet_half_sunk"] <= m["fleet_gone"] <= camp.turn


def test_conservation_by_class_over_replications():
    """300 replications of the base case: every class, stock and the area stay in bounds."""
    n = 0
    for camp in _campaigns():
        _assert_conserved(camp)
        n += 1
    assert n > 270


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lrasm=st.integers(0, 2000), harpoons=st.integers(0, 1000),
       per_hex=st.floats(0.0, 30.0), ratio=st.floats(1.0, 3.0), intensity=st.floats(0.0, 1.0),
       delay=st.sampled_from((6, 84, 336)))
def test_conservation_whatever_the_values(lrasm, harpoons, per_hex, ratio, intensity, delay):
    """The same bounds for drawn stocks, ground rates and U.S. entry delays (a few replications
    each)."""
    overrides = (CAMPAIGN + f"lrasm_stock={lrasm}", CAMPAIGN + f"taiwan_asm_stock={harpoons}",
                 CAMPAIGN + f"defenders_per_hex={per_hex}", CAMPAIGN + f"attack_ratio={ratio}",
                 CAMPAIGN + f"contained_intensity={intensity}",
                 f"actors.us.rules.combat_against_invasion.delay_hours={delay}")
    for camp in _campaigns(overrides, runs=8):
        _assert_conserved(camp)


def test_columns_read_the_lodgment():
    """The area, casualties and milestones in the rows agree with each other: casualties follow
    the labelled rates (500 a Taiwanese battalion, 1,000 a PLA one), at sea never more than the
    whole fleet's load (16,000), milestones in order and empty when not reached."""
    df = frame(BASE, runs=300, seed=SEED)
    d = df[df["battalions_landed"].notna()]
    assert d["area_held_km2"].between(0, lodgment.TAIWAN_KM2).all()
    assert (d["taiwan_casualties"] - 500 * d["taiwan_battalions_lost"]).abs().max() < 1e-6
    assert (d["pla_casualties_ashore"] <= 1000 * d["battalions_landed"] + 1e-6).all()
    assert d["pla_casualties_at_sea"].between(0, 16_000 + 1e-6).all()
    assert (d["pla_casualties_at_sea"] > 0).mean() > 0.95
    gone = d[d["turn_fleet_gone"].notna()]
    assert len(gone) > 100
    assert (gone["turn_fleet_half_sunk"] <= gone["turn_fleet_gone"]).all()
    assert (gone["turn_fleet_gone"] <= gone["campaign_turns"]).all()
    # repelled by the rule: the fleet was gone on or before the deciding turn
    rep = d[d["outcome"] == "repelled"]
    assert (rep["turn_fleet_gone"] <= rep["campaign_decided_turn"]).all()
    # a run whose fleet is never gone leaves that milestone empty: Taiwan alone, whose
    # lodgment wins before its Harpoons can sink 90% of the fleet
    alone = frame(ALONE, runs=50, seed=SEED)
    alone = alone[alone["battalions_landed"].notna()]
    assert alone["turn_fleet_gone"].isna().any()
    assert d["turn_first_port"].dropna().ge(1).all()
    # ships sunk by class: within what sailed (28 LST, 18 LHD/LPD, 20 LSM, 30 RO-RO), adding up
    # to the amphibious total
    by_class = {"lst": 28, "lhd_lpd": 18, "lsm": 20, "roro": 30}
    for cls, sailed in by_class.items():
        assert d[f"amphibious_sunk_{cls}"].between(0, sailed + 1e-9).all(), cls
    total = sum(d[f"amphibious_sunk_{cls}"] for cls in by_class)
    assert (total - d["amphibious_sunk"]).abs().max() < 1e-9


def test_more_lrasm_fewer_battalions_ashore():
    """Paired (same seed): more LRASM, each stock fired within the first week as the variant's
    450 are (lrasm_per_turn = stock / 2, two turns), leave fewer battalions ashore at the end, on
    average, at the median and in (almost) every replication; none at all leaves more.

    Why the stock is doubled with its rate: the battalions cross in the first two or three
    turns, and the war is decided by turn 5, so a bigger stock fired at the same 225 a turn adds
    missiles only once the lift is nearly over (measured, seed 3, 100 runs: 900 at 225 a turn
    fire 552 and move ashore by 0.02). The margins (1 battalion) are more than ten standard
    errors of the paired differences measured after the refit (none - 450: 2.5, s.e. 0.10;
    450 - 900: 1.9, s.e. 0.08). They were 3 before JASSM-ER: it now sinks beside LRASM (about
    1,000 fired at 0.39 of LRASM's rate), so 450 LRASM are a smaller share of the fleet sunk."""
    runs = 100
    none, base, double = (frame(BASE, CAMPAIGN + f"lrasm_stock={n}",
                                CAMPAIGN + f"lrasm_per_turn={max(n // 2, 1)}", runs=runs,
                                seed=SEED) for n in (0, 450, 900))
    for stat in ("mean", "median"):
        a, b, c = (getattr(x["battalions_ashore"], stat)() for x in (none, base, double))
        assert a > b + 1 and b > c + 1, stat
    a, b, c = (x["battalions_ashore"] for x in (none, base, double))
    assert (a >= b - 1e-9).mean() > 0.9 and (b >= c - 1e-9).mean() > 0.9


def test_later_us_entry_more_area_held():
    """Paired: U.S. combat two weeks after its decision instead of hours lets the lodgment
    advance further before the fleet is sunk: more ground held on average, never less in a
    replication, and a whole hex more in a good share of them.

    Area moves by whole 30 km hexes (779 km2), so its median sits on a step: after the refit
    (defenders_per_hex 13.86, a lodgment contained more often) nearly every prompt entry holds 2
    hexes and 52 of 100 late ones do too (measured, seed 3), so the median cannot show the
    one-hex gain the other 48 make. The share strictly ahead, paired, says it without the step
    (its floor, 0.3, is about four standard errors below the 0.48 measured)."""
    runs = 100
    prompt = frame(BASE, runs=runs, seed=SEED)
    late = frame(BASE, "actors.us.rules.combat_against_invasion.delay_hours=336", runs=runs,
                 seed=SEED)
    assert late["area_held_km2"].mean() > prompt["area_held_km2"].mean() + 400
    assert (late["area_held_km2"] >= prompt["area_held_km2"]).mean() > 0.9
    assert (late["area_held_km2"] > prompt["area_held_km2"] + 1.0).mean() > 0.3


def test_taiwan_alone_is_decided_on_turns_that_vary():
    """The Taiwan-alone variant: no U.S. missile is fired, and the war ends on days that vary
    between replications: by the rule (on several turns) or by Taiwan's capitulation, seldom at
    the three-month limit. Who wins turns on the fleet: Taiwan's missiles alone cannot sink it,
    and with Japan's anti-submarine force out of the fight (japan_ssn_equivalents 0, paired) the
    lodgment outgrows its defenders and Taiwan falls by the rule, after taking its first port.

    The variant's own outcome is not asserted: it hangs on japan_ssn_equivalents, which the base
    case cannot pin (measured, seed 3, 50 runs: Taiwan fell in 50 at 0 or 1.17 boats' worth, and
    in 8, with 29 repelled, at the fitted 5.3; docs/calibration.md)."""
    df = frame(ALONE, runs=50, seed=SEED)
    assert df["lrasm_fired"].max() == 0 and df["pla_asm_fired"].max() == 0
    turns = df["campaign_decided_turn"].dropna()
    assert len(turns) >= 30 and turns.nunique() >= 3
    ended = df["campaign_decided_turn"].notna() | (df["outcome"] == "capitulation")
    assert ended.mean() >= 0.8
    assert df["end_day"].nunique() > 10
    no_asw = frame(ALONE, CAMPAIGN + "japan_ssn_equivalents=0", runs=50, seed=SEED)
    assert (no_asw["outcome"] == "taiwan_fell").mean() > 0.9
    fell = no_asw[no_asw["outcome"] == "taiwan_fell"]
    assert fell["campaign_decided_turn"].notna().all()
    assert fell["campaign_decided_turn"].nunique() > 1
    assert (fell["turn_first_port"] < fell["campaign_decided_turn"]).all()
    assert (df["amphibious_sunk_share"] > no_asw["amphibious_sunk_share"] - 1e-9).all()


def _one_turn(*overrides):
    from sim.model.replication import run_replication
    loaded = load(scenario_path(BASE), [
        CAMPAIGN + "max_turns=1", CAMPAIGN + "lrasm_stock=0", CAMPAIGN + "taiwan_asm_stock=0",
        CAMPAIGN + "us_ssns=0", CAMPAIGN + "japan_ssn_equivalents=0", CAMPAIGN + "jassm_er_stock=0",
        CAMPAIGN + "frontage_ratio=1", CAMPAIGN + "defenders_per_hex=9",
        *overrides])  # the hand arithmetic's frontage and front (the variant's are calibrated)
    row, _ = run_replication(compile_scenario(loaded.scenario), 1, 0)
    return dict(zip(row.columns, row))


def test_supply_rates_come_from_the_scenario():
    """Turn 1 by hand: 8 by sea + air_and_small_craft_lift cross (nothing ashore to feed yet):
    9 with the variant's 1, 11 with 3; the beachhead (one hex, 9 defenders) then meets
    min(9, 11) = 9, and 11 >= 1.5 x 9 = 13.5 fails: contained either way."""
    assert _one_turn()["battalions_landed"] == pytest.approx(9.0)
    r = _one_turn(CAMPAIGN + "air_and_small_craft_lift=3")
    assert r["battalions_landed"] == pytest.approx(11.0)
    assert r["area_held_km2"] == pytest.approx(lodgment.HEX_KM2)


def test_what_feeding_the_lodgment_costs_and_what_airlift_buys():
    """Paired: a battalion needing twice the supply leaves less lift for new battalions, so fewer
    land (never more in any replication) and less ground is held; with ten times the airdrop and
    small-craft lift the lodgment is fed without a fleet, and far fewer wars end repelled."""
    runs = 100
    base = frame(BASE, runs=runs, seed=SEED)
    hungry = frame(BASE, CAMPAIGN + "sustainment_per_battalion=0.4", runs=runs, seed=SEED)
    airlift = frame(BASE, CAMPAIGN + "air_and_small_craft_lift=10", runs=runs, seed=SEED)
    assert hungry["battalions_landed"].mean() < base["battalions_landed"].mean() - 5
    assert (hungry["battalions_landed"] <= base["battalions_landed"] + 1e-9).all()
    assert hungry["area_held_km2"].mean() < base["area_held_km2"].mean()
    rep = (base["outcome"] == "repelled").mean()
    assert (airlift["outcome"] == "repelled").mean() < rep - 0.5


def test_a_lodgment_pushed_into_the_sea_is_destroyed():
    """With room for 30 defenders a hex and 3 per PLA battalion, every landing meets at least
    1.5 to 1 and is pushed back off its one hex in the turn it lands: destroyed on turn 1, none
    ashore, no ground or port at the end. Each new wave takes a new beachhead and is destroyed
    in turn, so the war is scored at its last turn: repelled, since no lodgment is left (even
    with the fleet afloat, as without U.S. missiles and boats)."""
    strong = (CAMPAIGN + "frontage_ratio=3", CAMPAIGN + "defenders_per_hex=30")
    for extra in ((), (CAMPAIGN + "lrasm_stock=0", CAMPAIGN + "jassm_er_stock=0",
                       CAMPAIGN + "us_ssns=0", CAMPAIGN + "ssn_arrivals_per_turn=0")):
        df = frame(BASE, *strong, *extra, runs=30, seed=SEED)
        assert (df["turn_lodgment_destroyed"] == 1).all()
        assert (df["battalions_ashore"] == 0).all() and (df["area_held_km2"] == 0).all()
        assert (df["battalions_landed"] > 8).all()
        assert (df["turn_first_port"].isna()).all()
        assert (df["outcome"] == "repelled").all()
    assert df["turn_fleet_gone"].isna().all()  # the fleet was never gone: scored at turn 12
