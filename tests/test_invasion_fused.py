"""The campaign's per-turn steps (sim/model/processes/invasion/) write the combat package's
arithmetic out inline for speed. Here each step is checked, on random states and parameters,
to give exactly (==, not approximately) what the pure functions in sim/model/combat give when
called the way the campaign used to call them: the pure functions stay the reference."""

from __future__ import annotations

import math
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support import scenario_path
from sim.config.loader import load
from sim.model import streams
from sim.model.combat import air as airsup
from sim.model.combat import ground, lift, lodgment, losses, salvo, submarines
from sim.model.compiled import compile_scenario
from sim.model.processes.invasion.allies import Allies
from sim.model.processes.invasion.ashore import Lodgment
from sim.model.processes.invasion.fleet import Fleet
from sim.model.processes.invasion.params import CLASSES, CampaignParams

_BASE = dict(compile_scenario(load(scenario_path("full_invasion")).scenario).fixed_params)
C = "campaign."
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
share = st.floats(0.0, 1.0)
count = st.floats(0.0, 200.0)


def _params(**values) -> tuple[dict, CampaignParams]:
    p = dict(_BASE)
    p.update({C + k if not k.startswith("air.") else k: v for k, v in values.items()})
    return p, CampaignParams(p)


def _uniform(rkey: int, name: str, k: int) -> float:
    return streams.uniform(rkey, streams.name_key(f"invasion_campaign/{name}", k))


# --- steps 1 and 2: the fleet under fire ----------------------------------------------------

def _fleet_reference(p, s, k, us, launch, asw, rkey):
    """Steps 1-2 and the lift's fleet as the campaign computed them with the pure functions."""
    days = p[C + "turn_days"]
    fleet = dict(s.fleet)
    rate = p[C + "hit_rate"]
    tw_fired = int(min(s.taiwan_asm, p[C + "taiwan_asm_per_turn"] * days / 3.5))
    s.taiwan_asm -= tw_fired
    us_fired = int(round(min(s.lrasm, p[C + "lrasm_per_turn"] * launch)))
    s.lrasm -= us_fired
    jassm_fired = int(min(s.jassm_er, p[C + "jassm_er_per_turn"] * launch))
    s.jassm_er -= jassm_fired
    hits = 0
    if tw_fired:
        hits += salvo.sampled_hits(tw_fired, rate, _uniform(rkey, "taiwan_asm", k))
    if us_fired:
        hits += salvo.sampled_hits(us_fired, rate, _uniform(rkey, "lrasm", k))
    if jassm_fired:
        hits += salvo.sampled_hits(jassm_fired, rate * p[C + "jassm_er_ship_effectiveness"],
                                   _uniform(rkey, "jassm_er", k))
    at_start = dict(fleet)
    if hits:
        out = salvo.out_of_action_probability(hits, sum(fleet.values()) + s.escorts)
        s.escorts = max(0.0, s.escorts - s.escorts * out)
        for c, n in fleet.items():
            fleet[c] = max(0.0, n - n * out)
    boats = s.ssns * us + p[C + "japan_ssn_equivalents"] * asw
    if boats > 0.0:
        amphibious = sum(fleet.values())
        amph, esc = submarines.ssn_sinkings(boats, amphibious, s.escorts, turn_days=days)
        if amphibious > 0.0:  # counts.spread_losses, in place
            share = min(amph, amphibious) / amphibious
            for c, n in fleet.items():
                fleet[c] = max(0.0, n - n * share)
        s.escorts = max(0.0, s.escorts - esc)
    if s.ssns and us > 0.0:
        s.ssns -= submarines.sampled_ssn_losses(s.ssns, _uniform(rkey, "ssn_losses", k),
                                                turn_days=days * us)
    rate_back = p[C + "ssn_arrivals_per_turn"]
    if us > 0.0 and rate_back > 0.0:
        arrived, s.ssn_due = submarines.arrivals(s.ssn_due, rate_back * us)
        s.ssns += arrived
    weight = lift.weighted_fleet(lift.fleet_during_turn(at_start, fleet))
    return fleet, weight, (tw_fired, us_fired, jassm_fired)


@SETTINGS
@given(ships=st.lists(st.floats(0.0, 40.0), min_size=4, max_size=4),
       escorts=st.floats(0.0, 80.0), harpoons=count, lrasm=st.floats(0.0, 600.0),
       jassm=count, ssns=st.integers(0, 8), due=st.floats(0.0, 0.99),
       us=st.one_of(st.just(0.0), st.just(1.0), share), launch=st.floats(0.0, 1.0),
       asw=st.one_of(st.just(0.0), share), k=st.integers(1, 30),
       rkey=st.integers(0, 2**64 - 1), days=st.floats(1.0, 7.0),
       per_turn=st.tuples(st.floats(0.0, 120.0), st.floats(0.0, 250.0), st.floats(0.0, 100.0)),
       hit_rate=st.floats(0.0, 0.3), eff=share, japan=st.floats(0.0, 6.0),
       back=st.floats(0.0, 2.0))
def test_fleet_under_fire_equals_the_pure_functions(ships, escorts, harpoons, lrasm, jassm, ssns,
                                                    due, us, launch, asw, k, rkey, days,
                                                    per_turn, hit_rate, eff, japan, back):
    p, q = _params(turn_days=days, taiwan_asm_per_turn=per_turn[0], lrasm_per_turn=per_turn[1],
                   jassm_er_per_turn=per_turn[2], hit_rate=hit_rate,
                   jassm_er_ship_effectiveness=eff, japan_ssn_equivalents=japan,
                   ssn_arrivals_per_turn=back)
    fleet = Fleet(q)
    fleet.ships, fleet.escorts, fleet.ssns, fleet.ssn_due = list(ships), escorts, ssns, due
    fleet.taiwan_asm, fleet.lrasm, fleet.jassm_er = harpoons, lrasm, jassm
    ref = SimpleNamespace(fleet=dict(zip(CLASSES, ships)), escorts=escorts, ssns=ssns,
                          ssn_due=due, taiwan_asm=harpoons, lrasm=lrasm, jassm_er=jassm)
    expected, weight, fired = _fleet_reference(p, ref, k, us, launch, asw, rkey)
    fleet.under_fire(q, k, us, launch, asw, rkey)
    assert fleet.by_class() == expected
    assert (fleet.escorts, fleet.ssns, fleet.ssn_due) == (ref.escorts, ref.ssns, ref.ssn_due)
    assert (fleet.taiwan_asm, fleet.lrasm, fleet.jassm_er) == (ref.taiwan_asm, ref.lrasm,
                                                               ref.jassm_er)
    assert (fleet.taiwan_asm_fired, fleet.lrasm_fired, fleet.jassm_er_fired) == fired
    assert fleet.carrying_weight() == weight


# --- steps 3 to 5: the lodgment ---------------------------------------------------------------

def _ashore_reference(p, s, k, carrying, us, air):
    """Lift, ground and ports as the campaign computed them with the pure functions."""
    days = p[C + "turn_days"]
    lt = lift.lift_turn(k, carrying, s.ashore, working_ports=s.working_ports, turn_days=days,
                        per_battalion=p[C + "sustainment_per_battalion"],
                        per_port=p[C + "port_lift"], other_lift=p[C + "air_and_small_craft_lift"])
    s.ashore += lt.new_battalions
    s.landed += lt.new_battalions
    if s.area == 0.0 and lt.new_battalions > 0.0:
        s.area = lodgment.area_after(0.0, lodgment.ADVANCE,
                                     advance_hexes=p[C + "beachhead_hexes"])
    left = s.strength - s.taiwan_lost
    available = ground.defenders_available(left, p[C + "sector_share"], k)
    engaged = lodgment.engaged_defenders(available, s.ashore, s.area,
                                         frontage_ratio=p[C + "frontage_ratio"],
                                         per_hex=p[C + "defenders_per_hex"])
    factor = ground.combat_factor(supplied_share=lt.supplied_share)
    side = lodgment.posture(s.ashore * factor, engaged, attack_ratio=p[C + "attack_ratio"])
    intensity = lodgment.exchange_intensity(side,
                                            contained_intensity=p[C + "contained_intensity"])
    g = ground.ground_exchange(s.ashore, engaged, pla_factor=factor,
                               kill_rate=ground.KILL_RATE * intensity, turn_days=days)
    s.ashore = g.pla_end
    s.pla_lost_ashore += g.pla_lost
    s.taiwan_lost += g.taiwan_lost
    s.area = lodgment.area_after(s.area, side, advance_hexes=p[C + "advance_hexes"],
                                 turn_days=days)
    if s.area == 0.0 and s.ashore > 0.0:
        s.ashore = 0.0
    if side == lodgment.ADVANCE and s.ashore > 0.0 and \
            ground.force_ratio(s.ashore * factor, g.taiwan_end) >= p[C + "port_capture_ratio"]:
        s.ports_held += 1
    elif side == lodgment.PUSHED_BACK and s.ports_held:
        s.ports_held -= 1
    if s.area == 0.0:
        s.ports_held = 0
    s.working_ports = s.ports_held * (1.0 - p[C + "port_denial"] * us * air)
    return side


@SETTINGS
@given(carrying=st.lists(st.floats(0.0, 40.0), min_size=4, max_size=4),
       ashore=st.floats(0.0, 80.0), extra=st.floats(0.0, 20.0),
       area=st.one_of(st.just(0.0), st.floats(0.0, 36_000.0)),
       strength=st.floats(0.0, 150.0), lost=share, ports=st.integers(0, 6),
       working=st.floats(0.0, 6.0), k=st.integers(1, 30), us=share, air=share,
       days=st.floats(1.0, 7.0), per_hex=st.floats(0.0, 30.0), ratio=st.floats(1.0, 3.0),
       intensity=share, frontage=st.floats(0.1, 3.0), sector=share,
       capture=st.floats(0.0, 3.0), denial=share, advance=st.floats(0.0, 3.0),
       beachhead=st.floats(0.0, 3.0), sustain=st.floats(0.0, 1.0),
       port_lift=st.floats(0.0, 8.0), other=st.floats(0.0, 5.0))
def test_lodgment_turn_equals_the_pure_functions(carrying, ashore, extra, area, strength, lost,
                                                 ports, working, k, us, air, days, per_hex,
                                                 ratio, intensity, frontage, sector, capture,
                                                 denial, advance, beachhead, sustain,
                                                 port_lift, other):
    p, q = _params(turn_days=days, defenders_per_hex=per_hex, attack_ratio=ratio,
                   contained_intensity=intensity, frontage_ratio=frontage, sector_share=sector,
                   port_capture_ratio=capture, port_denial=denial, advance_hexes=advance,
                   beachhead_hexes=beachhead, sustainment_per_battalion=sustain,
                   port_lift=port_lift, air_and_small_craft_lift=other)
    state = dict(landed=ashore + extra, ashore=ashore, area=area, strength=strength,
                 taiwan_lost=strength * lost, pla_lost_ashore=extra, ports_held=ports,
                 working_ports=working)
    lodg = Lodgment()
    for name, value in state.items():
        setattr(lodg, name, value)
    ref = SimpleNamespace(**state)
    fleet = dict(zip(CLASSES, carrying))
    side = lodg.turn(q, k, lift.weighted_fleet(fleet), us, air)
    assert side == _ashore_reference(p, ref, k, fleet, us, air)
    assert {n: getattr(lodg, n) for n in state} == vars(ref)


# --- steps 0 and 6: the air and the allies --------------------------------------------------

def _allies_reference(p, s, k, us, cap, rkey):
    """Steps 0 and 6 as the campaign computed them with the pure functions."""
    days = p[C + "turn_days"]
    keys = [(f"air_basing.{r}_share", p.get(f"air.{r}.aircraft", 0.0)) for r in
            ("japan", "guam")]

    def land_flying():
        return max(0.0, sum(n * cap.get(key, 1.0) for key, n in keys) - s.land_air_lost)

    def wing_flying():
        return 0.0 if s.carriers_gone else s.carrier_wing

    allied = (land_flying() + wing_flying()) * us
    role = cap.get("japan_legal.air_defence", 0.0)
    if role > 0.0:
        allied += max(0.0, p[C + "japan_aircraft"] * role - s.japan_air_lost)
    share = airsup.allied_share(allied, max(0.0, p[C + "pla_aircraft"] - s.pla_air_lost))
    standoff = airsup.standoff_launch_share(share, p[C + "standoff_air_floor"])
    if us > 0.0:  # the PLA's salvo
        escort = cap.get("japan_legal.escort", 0.0)
        japan = 0
        if escort > 0.0 and not s.japan_gone:
            committed = int(round(p[C + "japan_ships"] * escort))
            s.japan_committed = max(s.japan_committed, committed)
            japan = max(0, committed - s.japan_ships_lost)
        carriers = 0 if s.carriers_gone else s.carriers
        surface = 0 if s.surface_gone else s.surface
        planned = p[C + "pla_asm_per_turn"] * us * airsup.parity_factor(1.0 - share)
        fired = int(round(min(s.pla_asm_left, planned)))
        if carriers + surface + japan and fired:
            s.pla_asm_left -= fired
            s.pla_asm_fired += fired
            rate = salvo.defended_fat_tail_rate(int(round(p[C + "pla_asm_interceptor_shots"])))
            hits = salvo.sampled_hits(fired, rate, _uniform(rkey, "pla_asm", k))
            group = {c: n for c, n in (("carriers", carriers), ("surface", surface),
                                       ("japan", japan)) if n}
            if hits:
                u = {c: _uniform(rkey, f"allied_out_{c}", k) for c in group}
                out = salvo.sampled_ships_out_of_action(
                    hits, group, u, {"carriers": int(round(p[C + "carrier_hits_to_disable"]))})
                if out.get("carriers"):
                    aboard = losses.aircraft_lost_aboard(s.carrier_wing, out["carriers"],
                                                         s.carriers)
                    s.us_aboard_lost += aboard
                    s.carrier_wing -= aboard
                    s.carriers -= out["carriers"]
                s.surface -= out.get("surface", 0)
                s.japan_ships_lost += out.get("japan", 0)
    rate = airsup.contested_loss_rate(p[C + "air_loss_per_sortie"], 1.0 - share)
    sorties = p[C + "sorties_per_aircraft_day"]
    if us > 0.0:
        land, wing = land_flying(), wing_flying()
        flying = land + wing
        lost = losses.air_attrition(flying, rate, sorties, days * us)
        if lost > 0.0:
            from_carriers = lost * wing / flying
            s.carrier_wing -= from_carriers
            s.land_air_lost += lost - from_carriers
            s.us_air_lost += lost
    if role > 0.0:
        flying = max(0.0, p[C + "japan_aircraft"] * role - s.japan_air_lost)
        s.japan_air_lost += losses.air_attrition(flying, rate, sorties, days)
    flying = max(0.0, p[C + "pla_aircraft"] - s.pla_air_lost)
    s.pla_air_lost += losses.air_attrition(
        flying, airsup.contested_loss_rate(p[C + "pla_air_loss_per_sortie"], share), sorties,
        days)
    return share, standoff


@SETTINGS
@given(carriers=st.integers(0, 4), surface=st.integers(0, 30), japan_lost=st.integers(0, 5),
       gone=st.tuples(st.booleans(), st.booleans(), st.booleans()),
       wing=st.floats(0.0, 200.0), land_lost=st.floats(0.0, 100.0),
       japan_air_lost=st.floats(0.0, 100.0), pla_lost=st.floats(0.0, 500.0),
       pla_asm=st.floats(0.0, 1000.0), us=st.one_of(st.just(0.0), st.just(1.0), share),
       shares=st.tuples(share, share, share, share, share), k=st.integers(1, 30),
       rkey=st.integers(0, 2**64 - 1), days=st.floats(1.0, 7.0),
       rates=st.tuples(st.floats(0.0, 0.05), st.floats(0.0, 0.05)),
       aircraft=st.tuples(st.floats(0.0, 400.0), st.floats(0.0, 400.0), st.floats(0.0, 200.0),
                          st.floats(0.0, 2000.0)),
       salvo_size=st.floats(0.0, 200.0), floor=share, hits_to_disable=st.integers(1, 4))
def test_air_and_allies_equal_the_pure_functions(carriers, surface, japan_lost, gone, wing,
                                                 land_lost, japan_air_lost, pla_lost, pla_asm,
                                                 us, shares, k, rkey, days, rates, aircraft,
                                                 salvo_size, floor, hits_to_disable):
    p, q = _params(turn_days=days, air_loss_per_sortie=rates[0],
                   pla_air_loss_per_sortie=rates[1], japan_aircraft=aircraft[2],
                   pla_aircraft=aircraft[3], pla_asm_per_turn=salvo_size,
                   standoff_air_floor=floor, carrier_hits_to_disable=hits_to_disable,
                   **{"air.japan.aircraft": aircraft[0], "air.guam.aircraft": aircraft[1]})
    cap = {"air_basing.japan_share": shares[0], "air_basing.guam_share": shares[1],
           "japan_legal.air_defence": shares[2], "japan_legal.escort": shares[3]}
    state = dict(carriers=carriers, surface=surface, japan_ships_lost=japan_lost,
                 japan_committed=0, carriers_gone=gone[0], surface_gone=gone[1],
                 japan_gone=gone[2], carrier_wing=wing, land_air_lost=land_lost,
                 us_air_lost=0.0, us_aboard_lost=0.0, japan_air_lost=japan_air_lost,
                 pla_air_lost=pla_lost, pla_asm_left=pla_asm, pla_asm_fired=0)
    allies = Allies(q)
    for name, value in state.items():
        setattr(allies, name, value)
    ref = SimpleNamespace(**state)
    expected_share, expected_standoff = _allies_reference(p, ref, k, us, cap, rkey)
    assert allies.share_of_air(q, us, cap) == expected_share
    x = 2.0 * expected_share  # the campaign's turn: air.standoff_launch_share, inline
    assert q.standoff_floor + q.standoff_rest * (x if x < 1.0 else 1.0) == expected_standoff
    if us > 0.0:
        allies.pla_salvo(q, k, us, cap, rkey)
    allies.air_losses(q, us, cap)
    assert {n: getattr(allies, n) for n in state} == vars(ref)


def test_the_per_turn_constants_are_the_pure_functions():
    """Constants read once (params.CampaignParams) against the functions they stand for."""
    p, q = _params(turn_days=2.5, advance_hexes=1.3, contained_intensity=0.4,
                   beachhead_hexes=2.0, pla_asm_interceptor_shots=3.0)
    assert q.beachhead_km2 == lodgment.area_after(0.0, lodgment.ADVANCE, advance_hexes=2.0)
    assert q.advance_km2 + 100.0 == lodgment.area_after(100.0, lodgment.ADVANCE,
                                                        advance_hexes=1.3, turn_days=2.5)
    assert q.pla_hit_rate == salvo.defended_fat_tail_rate(3)
    assert 1.0 - q.ssn_keep_full_turn == submarines.ssn_losses(1.0, turn_days=2.5)
    assert q.later_turn_lift == lift.sea_lift(2, 1.0, turn_days=2.5)
    assert q.first_turn_lift == lift.sea_lift(1, 1.0, turn_days=2.5)
    assert math.isclose(q.turn_hours, 60.0)
