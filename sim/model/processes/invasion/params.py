"""The campaign's parameters, read once: from the scenario's ``campaign.*`` and ``air.*``
scalars into plain attributes, with the per-turn constants derived from them worked out here.

Why: the turn is the campaign's hot loop, and reading ~60 parameters out of the engine's dict
(and recomputing the same products) every turn cost more than the turn's arithmetic. Most
scenarios fix every one of them, so they are read once per scenario and shared by its
replications (``params_for``); a scenario that draws any of them per replication gets its own
copy each replication. Derived constants are computed with the same operations, in the same
order, as the pure functions in ``sim.model.combat`` (so results are bit-for-bit those of
calling them), and the pure functions are called once here on the values to check them.
"""

from __future__ import annotations

from sim.model.combat import air as airsup
from sim.model.combat import ground, lift, lodgment, salvo, submarines

CLASSES = ("lst", "lhd_lpd", "lsm", "roro")
"""The amphibious fleet's classes (lift.CLASS_WEIGHT), in the order of every per-class list."""
REGIONS = ("japan", "guam")
"""air_basing's regions (its capacities ``air_basing.<region>_share``)."""
CLASS_WEIGHTS = tuple(lift.CLASS_WEIGHT[c] for c in CLASSES)


class CampaignParams:
    """Everything the campaign reads from its scenario, as attributes (names as in the YAML
    unless said), plus derived per-turn constants. Immutable by convention: shared between
    replications of a scenario."""

    def __init__(self, p):
        g = p.__getitem__
        days = self.turn_days = g("campaign.turn_days")
        self.turn_hours = days * 24.0
        self.max_turns = int(round(g("campaign.max_turns")))
        # the fleet (counts by class, CLASSES order), its escorts and the fires at it
        self.fleet = tuple(g(f"campaign.fleet_{c}") for c in CLASSES)
        self.escorts = g("campaign.escorts")
        self.us_ssns = int(round(g("campaign.us_ssns")))
        self.ssn_arrivals_per_turn = g("campaign.ssn_arrivals_per_turn")
        self.lrasm_stock = g("campaign.lrasm_stock")
        self.taiwan_asm_stock = g("campaign.taiwan_asm_stock")
        self.jassm_er_stock = g("campaign.jassm_er_stock")
        self.hit_rate = g("campaign.hit_rate")
        self.jassm_hit_rate = self.hit_rate * g("campaign.jassm_er_ship_effectiveness")
        self.taiwan_asm_per_turn = g("campaign.taiwan_asm_per_turn") * days / 3.5
        self.lrasm_per_turn = g("campaign.lrasm_per_turn")
        self.jassm_er_per_turn = g("campaign.jassm_er_per_turn")
        self.japan_ssn_equivalents = g("campaign.japan_ssn_equivalents")
        self.standoff_floor = f = g("campaign.standoff_air_floor")
        self.standoff_rest = 1.0 - f  # air.standoff_launch_share: floor + rest x parity factor
        # submarines.ssn_sinkings (per boat-turn) and ssn_losses' survival in a full turn
        self.ssn_sinks_amphibious = submarines.AMPHIBIOUS_PER_SSN_TURN
        self.ssn_sinks_escorts = submarines.ESCORTS_PER_SSN_TURN
        self.ssn_keep_full_turn = (1.0 - submarines.SSN_LOSS_PER_TURN) ** (
            days / submarines.RULE_TURN_DAYS)
        # lift (lift.lift_turn's terms that do not change from turn to turn)
        self.per_battalion = g("campaign.sustainment_per_battalion")
        self.per_port = g("campaign.port_lift")
        self.other_lift = g("campaign.air_and_small_craft_lift")
        self.other_lift_turn = self.other_lift * days / lift.RULE_TURN_DAYS
        self.first_turn_lift = lift.troops_to_battalions(lift.TROOPS_D_DAY)
        self.later_turn_lift = (lift.troops_to_battalions(lift.TROOPS_PER_TURN) * days
                                / lift.RULE_TURN_DAYS)
        self.full_weight = lift.weighted_fleet(lift.FLEET_2026)  # lift_fraction's start: 95
        # the lodgment and the ground (lodgment.py, ground.py)
        self.unmobilised_reserve_share = g("campaign.unmobilised_reserve_share")
        self.sector_share = g("campaign.sector_share")
        self.outside_share = 1.0 - self.sector_share  # ground.defenders_available
        self.frontage_ratio = g("campaign.frontage_ratio")
        self.defenders_per_hex = g("campaign.defenders_per_hex")
        self.attack_ratio = g("campaign.attack_ratio")
        self.advance_hexes = g("campaign.advance_hexes")
        self.contained_intensity = g("campaign.contained_intensity")
        self.beachhead_hexes = g("campaign.beachhead_hexes")
        self.beachhead_km2 = lodgment.area_after(0.0, lodgment.ADVANCE,
                                                 advance_hexes=self.beachhead_hexes)
        # lodgment.area_after's step and ground.ground_exchange's kill rate per turn
        self.advance_km2 = (self.advance_hexes * lodgment.HEX_KM2 * days
                            / lodgment.RULE_TURN_DAYS)
        self.kill_attack = ground.KILL_RATE * 1.0 * days / ground.RULE_TURN_DAYS
        self.kill_contained = (ground.KILL_RATE * self.contained_intensity * days
                               / ground.RULE_TURN_DAYS)
        self.port_capture_ratio = g("campaign.port_capture_ratio")
        self.port_denial = g("campaign.port_denial")
        # scoring
        self.fleet_gone_share = g("campaign.fleet_gone_share")
        self.fall_ratio = g("campaign.fall_ratio")
        self.ports_toward_prc = g("campaign.ports_toward_prc")
        # allied groups and aircraft, the PLA's salvo at them and the air war
        self.us_carriers = int(round(g("campaign.us_carriers")))
        self.us_surface_ships = int(round(g("campaign.us_surface_ships")))
        self.japan_ships = g("campaign.japan_ships")
        self.allied_withdraw_share = g("campaign.allied_withdraw_share")
        self.hits_to_disable = {"carriers": int(round(g("campaign.carrier_hits_to_disable")))}
        self.pla_asm_stock = g("campaign.pla_asm_stock")
        self.pla_asm_per_turn = g("campaign.pla_asm_per_turn")
        self.pla_hit_rate = salvo.defended_fat_tail_rate(
            int(round(g("campaign.pla_asm_interceptor_shots"))))
        self.land_aircraft = tuple(p.get(f"air.{r}.aircraft", 0.0) for r in REGIONS)
        # (capacity key, aircraft) for air_basing's regions
        self.land_keys = tuple((f"air_basing.{r}_share", n)
                               for r, n in zip(REGIONS, self.land_aircraft))
        self.carrier_aircraft = p.get("air.carrier_aircraft", 0.0)
        self.air_loss_per_sortie = g("campaign.air_loss_per_sortie")
        self.pla_air_loss_per_sortie = g("campaign.pla_air_loss_per_sortie")
        self.sorties_per_aircraft_day = s = g("campaign.sorties_per_aircraft_day")
        self.sorties_per_turn = s * days  # losses.air_attrition's sorties for a whole turn
        self.japan_aircraft = g("campaign.japan_aircraft")
        self.pla_aircraft = g("campaign.pla_aircraft")
        # the PRC's costs and the casualties (labelled assumptions per unit lost)
        self.prc_cost_per_ship = g("campaign.prc_cost_per_ship")
        self.prc_cost_per_aircraft = g("campaign.prc_cost_per_aircraft")
        self.prc_cost_per_battalion = g("campaign.prc_cost_per_battalion")
        self.casualties_per_carrier = g("campaign.casualties_per_carrier")
        self.casualties_per_surface_ship = g("campaign.casualties_per_surface_ship")
        self.casualties_per_aircraft_air = g("campaign.casualties_per_aircraft_air")
        self.taiwan_casualties_per_battalion = g("campaign.taiwan_casualties_per_battalion")
        self.pla_casualties_per_battalion = g("campaign.pla_casualties_per_battalion")
        self._check()

    def _check(self) -> None:
        """Run the values once through the pure functions the turn mirrors, so a bad value
        (a rate above 1, a negative count) fails here with the function's message rather than
        turning into a silent wrong number in the fused arithmetic."""
        days = self.turn_days
        submarines.ssn_sinkings(float(self.us_ssns), sum(self.fleet), self.escorts,
                                turn_days=days)
        lift.lift_turn(2, dict(zip(CLASSES, self.fleet)), 0.0, working_ports=0.0,
                       turn_days=days, per_battalion=self.per_battalion,
                       per_port=self.per_port, other_lift=self.other_lift)
        ground.defenders_available(1.0, self.sector_share, 1)
        lodgment.engaged_defenders(1.0, 1.0, self.beachhead_km2,
                                   frontage_ratio=self.frontage_ratio,
                                   per_hex=self.defenders_per_hex)
        lodgment.posture(1.0, 1.0, attack_ratio=self.attack_ratio)
        lodgment.exchange_intensity(lodgment.CONTAINED,
                                    contained_intensity=self.contained_intensity)
        lodgment.area_after(0.0, lodgment.ADVANCE, advance_hexes=self.advance_hexes,
                            turn_days=days)
        airsup.standoff_launch_share(airsup.PARITY, self.standoff_floor)
        airsup.contested_loss_rate(self.air_loss_per_sortie, airsup.PARITY)
        airsup.contested_loss_rate(self.pla_air_loss_per_sortie, airsup.PARITY)
        salvo.expected_hits(self.taiwan_asm_per_turn, self.hit_rate)
        salvo.expected_hits(self.jassm_er_per_turn, self.jassm_hit_rate)


_NAMES = ("campaign.", "air.")
_CACHE: dict[int, tuple] = {}  # id(compiled scenario) -> (scenario, its CampaignParams)


def params_for(eng) -> CampaignParams:
    """The campaign's parameters for this replication: one shared object per scenario when
    none of them is drawn per replication (the usual case), else read from this replication's
    draws."""
    c = eng.c
    hit = _CACHE.get(id(c))
    if hit is not None and hit[0] is c:
        return hit[1]
    if any(name.startswith(_NAMES) for name, _f, _s in c.drawn_scalars):
        return CampaignParams(eng.p)
    params = CampaignParams(eng.p)
    if len(_CACHE) >= 8:  # a worker runs one scenario at a time; keep the cache small
        _CACHE.clear()
    _CACHE[id(c)] = (c, params)
    return params
