"""The invasion played as a campaign in turns, from the landing until it is decided or its last
turn (issue 12): how every scenario in which an invasion can happen decides it
(``adjudication.invasion.campaign``).

One SimPy timeout per turn (``turn_days``, 3.5 by default: csis-invasion-timeline). A turn is
resolved at its end, with what happened during it, in this order (the arithmetic is the combat
package's; docs/campaign-arithmetic.md works each step by hand):

0. The air (air.py): the allies' share of the aircraft flying at the turn's start (U.S. land-based
   survivors and the wings of carriers in range while the U.S. fights, Japan's as its
   air_defence role allows) against the PLA's. It scales the U.S. standoff launches
   (``standoff_air_floor``), the PLA's anti-ship salvo and both sides' losses per sortie.

1. Salvos (salvo.py) at the amphibious fleet and its escorts: Taiwan's shore-based anti-ship
   missiles every turn while they last (csis-fb-taiwan-harpoons); U.S. bombers' LRASM while the
   stock lasts (csis-fb-lrasm-stock), for the share of the turn U.S. forces were in combat
   (``us_combat``, until ``us_forces_withdrawn``) times the surviving U.S. air share
   (air_basing's ``air_basing.us_air_share``; 1 without a strike on the bases) times the
   standoff launch share of step 0; U.S. bombers'
   JASSM-ER the same way (csis-fb-jassm-er-stock, csis-fb-bomber-strike-load), hitting at
   ``jassm_er_ship_effectiveness`` of the LRASM's rate ("limited anti-ship capability"). Hits
   are drawn Binomial(missiles, hit_rate) from this process's stream
   (csis-fb-asm-base-hit-rates) and land at random on the group (expected ships out of action
   by class).
2. Submarines (submarines.py): the U.S. boats in the strait (csis-fb-ssn-start) sink at CSIS's
   rate (csis-fb-ssn-sinkings) for the share of the turn the U.S. fights, and lose boats
   (drawn); Japan's boats and aircraft add ``japan_ssn_equivalents`` boats' worth times the
   share of its anti-submarine force its law lets it use (japan_legal's
   ``japan_legal.anti_submarine_warfare``; 0 until then). Amphibious ships sunk are spread
   over the classes in proportion (counts.py). U.S. boats come back from reloading at
   ``ssn_arrivals_per_turn`` while the U.S. fights (csis-fb-ssn-cycle).
3. Lift (lift.py): the fleet's lift feeds the battalions ashore first
   (``sustainment_per_battalion`` each), then carries new ones (csis-fb-lift-model); captured
   ports that work add ``port_lift`` each, airdrop and small craft ``air_and_small_craft_lift``.
   Ships sunk in steps 1-2 were sunk on average half-way through the turn, so they carry half a
   load (lift.fleet_during_turn) and lose the other half at sea.
4. Ground (lodgment.py, ground.py): the battalions ashore fight the Taiwanese battalions that
   can reach the lodgment (the sector's, plus half of the rest), of which at most
   ``frontage_ratio`` per PLA battalion and ``defenders_per_hex`` per ground hex held (its
   front) engage; unsupplied battalions fight at half value. Taiwan's reserves count if it
   mobilised (``taiwan_mobilized``) before the landing. The side with ``attack_ratio`` attacks:
   the lodgment (``beachhead_hexes`` at first) gains or loses ``advance_hexes`` 30 km hexes
   (csis-fb-ground-hex) and the full exchange is fought; otherwise it is contained, its ground
   unchanged, at ``contained_intensity`` of the exchange. Pushed off its last ground it is
   destroyed. Why: with Taiwan engaging one for one whatever happened, the lodgment bled 10% a
   turn for as long as the war lasted and could never take ground (docs/campaign-arithmetic.md
   section 7).
5. Ports: a turn in which the lodgment advances with ``port_capture_ratio`` over the engaged
   Taiwanese takes a port or airfield (assumption), a turn pushed back gives one back; U.S.
   strikes keep ``port_denial`` of those held unusable while U.S. forces fight
   (csis-fb-port-denial).

6. Losses on the allied side, while U.S. forces fight: the PLA fires ``pla_asm_per_turn``
   anti-ship missiles (times the share of the turn the U.S. fights and air.parity_factor of its
   share of the air, from the finite ``pla_asm_stock``) at the U.S. carriers, the other major
   U.S. surface ships and the JMSDF ships its law lets escort them (japan_legal's
   ``japan_legal.escort``; none until then) that have not withdrawn: a group that has lost more
   than ``allied_withdraw_share`` of its ships (carriers: or of their air wing) leaves the
   PLA's range at the end of the turn (assumption). Each missile hits with salvo.py's
   ``defended_fat_tail_rate`` for ``pla_asm_interceptor_shots`` interceptors per missile
   (csis-fb-asm-interceptors, csis-fb-asm-fat-tails); hits are drawn Binomial, then ships out
   of action are drawn by class (salvo.sampled_ships_out_of_action; a carrier needs
   ``carrier_hits_to_disable`` hits). A carrier lost takes its air wing
   (csis-carrier-air-losses; ``air.carrier_aircraft`` of air_basing). Aircraft in the fight
   are lost in the air at a rate per sortie (losses.py, csis-fb-air-loss-per-sortie; moved by
   the other side's share of the air, air.contested_loss_rate): U.S.
   aircraft still flying (air_basing's survivors by region, the carriers' wings) while the U.S.
   fights, Japan's as its ``air_defence`` role allows, the PLA's every turn. Aircraft lost on
   the ground are air_basing's (read from its capacities, not recomputed). Casualties are
   labelled assumptions per unit lost. The PLA's losses (major ships, aircraft, battalions)
   are offered to prc_costs as ``invasion_campaign.prc_cost`` (points). Casualties ashore are
   battalion-equivalents lost in combat times a cited rate per battalion (1,000 PLA, 500
   Taiwanese: csis-fb-base-casualties); at sea, each amphibious ship sunk with the half of a
   turn's load it had not delivered (lift.SUNK_MIDWAY, assumption; CSIS's ~15,000 at sea is a
   check on it).

Decision rule, checked at the end of every turn (csis-fb-lodgment-scoring,
csis-fb-victory-scoring):
- ``taiwan_fell``: PLA battalions ashore reach ``fall_ratio`` x Taiwan's remaining
  battalion-equivalents and it holds ``ports_toward_prc`` ports or airfields;
- ``repelled``: the amphibious fleet is gone (at most ``fleet_gone_share`` of its ships left,
  csis-fb-base-outcomes) and the lodgment is destroyed (no ground, or under one battalion) or
  cannot be supplied by what is left (ports that work, airdrop and small craft);
- otherwise, after ``max_turns`` turns (or at the scenario's horizon): ``taiwan_fell`` as above,
  else ``repelled`` if no lodgment is left (no ground or under one battalion, the fleet gone or
  not), else ``stalemate_toward_prc`` with ``ports_toward_prc`` ports held, else
  ``stalemate_against_prc`` if the fleet is gone, else ``stalemate``.

Milestones (columns ``turn_*``): the first port taken, half the fleet sunk, the fleet gone, the
lodgment destroyed, each the turn it first happened.

Aggregate counts and plain floats throughout; no per-unit objects.
"""

from __future__ import annotations

import math

from sim.model.combat import air as airsup
from sim.model.combat import ground, lift, lodgment, losses, salvo, submarines
from sim.model.processes.base import Process

CLASSES = ("lst", "lhd_lpd", "lsm", "roro")
REGIONS = ("japan", "guam")  # air_basing's regions (its capacities air_basing.<region>_share)
_OUT_KEY = {c: f"allied_out_{c}" for c in ("carriers", "surface", "japan")}  # stream names
# Troops aboard an amphibious ship sunk, per unit of lift weight: a turn's 16,000 troops over the
# 2026 fleet's weight of 95 (csis-invasion-timeline, lift.CLASS_WEIGHT), times the share of the
# load not yet delivered when it is sunk (assumption lift.SUNK_MIDWAY: half; the lift step credits
# the delivered half), checked against csis-fb-base-casualties' ~15,000 at sea.
TROOPS_PER_SHIP_WEIGHT = (lift.TROOPS_PER_TURN / lift.weighted_fleet(lift.FLEET_2026)
                          * (1.0 - lift.SUNK_MIDWAY))


def _overlap(a: float, b: float, lo: float, hi: float) -> float:
    """Hours of [a, b] inside [lo, hi]."""
    return max(0.0, min(b, hi) - max(a, lo))


class InvasionCampaign(Process):
    name = "invasion_campaign"
    columns = (
        ("battalions_landed", "float", "PLA battalions put ashore over the campaign (count; "
                                       "campaign runs only)."),
        ("battalions_ashore", "float", "PLA battalion-equivalents ashore at the end (count)."),
        ("amphibious_sunk", "float", "PLA amphibious ships sunk (LST, LHD/LPD, LSM, RO-RO; "
                                     "expected count)."),
        ("amphibious_sunk_share", "float", "Share of the PLA amphibious fleet sunk (0-1)."),
        ("escorts_sunk", "float", "PLA escorts (major surface combatants) sunk (expected "
                                  "count)."),
        ("pla_major_ships_sunk", "float", "PLA amphibious ships and escorts sunk (expected "
                                          "count)."),
        ("lrasm_fired", "float", "LRASM the U.S. fired (missiles)."),
        ("taiwan_battalions_lost", "float", "Taiwanese battalion-equivalents lost ashore."),
        ("campaign_turns", "float", "Campaign turns played."),
        ("campaign_decided_turn", "float", "Turn the decision rule ended the campaign (empty "
                                           "if it was scored at its last turn or the horizon)."),
        ("pla_asm_fired", "float", "PLA anti-ship missiles fired at U.S. and allied groups."),
        ("us_carriers_lost", "float", "U.S. carriers put out of action (count)."),
        ("us_surface_ships_lost", "float", "Other major U.S. surface combatants put out of "
                                           "action (count)."),
        ("us_aircraft_lost_ground", "float", "U.S. aircraft destroyed on the ground at bases "
                                             "(air_basing's losses, Japan and Guam)."),
        ("us_aircraft_lost_carriers", "float", "U.S. aircraft lost aboard carriers put out of "
                                               "action."),
        ("us_aircraft_lost_air", "float", "U.S. aircraft lost in the air (expected count)."),
        ("us_aircraft_lost", "float", "U.S. aircraft lost: on the ground, aboard carriers and "
                                      "in the air."),
        ("japan_ships_lost", "float", "JMSDF major surface combatants put out of action."),
        ("japan_aircraft_lost", "float", "Japanese aircraft lost in the air (expected count)."),
        ("pla_aircraft_lost", "float", "PLA aircraft lost in the air (expected count)."),
        ("us_casualties", "float", "U.S. killed and wounded from ships and aircraft lost "
                                   "(labelled assumptions per unit lost; people)."),
        ("japan_casualties", "float", "Japanese killed and wounded from ships and aircraft "
                                      "lost (people)."),
        ("jassm_er_fired", "float", "JASSM-ER the U.S. bombers fired at the fleet (missiles)."),
        ("taiwan_asm_fired", "float", "Taiwan's shore-based anti-ship missiles fired "
                                      "(missiles)."),
        ("allied_air_share", "float", "The allies' share of the aircraft flying over the strait "
                                      "in the last turn (0-1; combat/air.py)."),
        ("us_ssns_arrived", "float", "U.S. attack submarines that came back to the strait after "
                                     "the first squadron (boats)."),
        # The lodgment: its ground, the people lost on both sides, and the campaign's milestones.
        ("area_held_km2", "float", "Ground the lodgment holds at the end (km2; 0 if destroyed)."),
        ("taiwan_casualties", "float", "Taiwanese army killed and wounded ashore (people; per "
                                       "battalion-equivalent lost)."),
        ("pla_casualties_ashore", "float", "PLA killed and wounded ashore (people; per "
                                           "battalion-equivalent lost in combat)."),
        ("pla_casualties_at_sea", "float", "PLA troops lost aboard amphibious ships sunk "
                                           "(people)."),
        ("turn_first_port", "float", "Turn the lodgment took its first port or airfield (empty "
                                     "if never)."),
        ("turn_fleet_half_sunk", "float", "Turn half the amphibious fleet had been sunk (empty "
                                          "if never)."),
        ("turn_fleet_gone", "float", "Turn the amphibious fleet counted as gone (empty if "
                                     "never)."),
        ("turn_lodgment_destroyed", "float", "Turn the lodgment was pushed off its last ground "
                                             "(empty if never)."),
        *((f"amphibious_sunk_{c}", "float", f"PLA {label} sunk (expected count).")
          for c, label in (("lst", "tank landing ships (LST)"),
                           ("lhd_lpd", "dock and helicopter landing ships (LHD/LPD)"),
                           ("lsm", "medium landing ships (LSM)"),
                           ("roro", "civilian RO-RO ships"))),
    )
    # shown as distributions by summarize, the figures and the report
    quantities = ("battalions_landed", "battalions_ashore", "amphibious_sunk", "escorts_sunk",
                  "pla_major_ships_sunk", "lrasm_fired", "taiwan_battalions_lost",
                  "pla_asm_fired", "us_carriers_lost", "us_surface_ships_lost",
                  "us_aircraft_lost_ground", "us_aircraft_lost_carriers",
                  "us_aircraft_lost_air", "us_aircraft_lost", "japan_ships_lost",
                  "japan_aircraft_lost", "pla_aircraft_lost", "us_casualties",
                  "japan_casualties", "jassm_er_fired", "taiwan_asm_fired", "area_held_km2",
                  "taiwan_casualties", "pla_casualties_ashore", "pla_casualties_at_sea",
                  *(f"amphibious_sunk_{c}" for c in CLASSES))

    @staticmethod
    def used(c) -> bool:
        return "invasion" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.turn_hours = p["campaign.turn_days"] * 24.0
        self.fleet = {c: p[f"campaign.fleet_{c}"] for c in CLASSES}
        self.fleet_start = sum(self.fleet.values())
        self.fleet_start_by_class = dict(self.fleet)
        self.escorts = self.escorts_start = p["campaign.escorts"]
        self.ssns = int(round(p["campaign.us_ssns"]))
        self.lrasm = p["campaign.lrasm_stock"]
        self.taiwan_asm = p["campaign.taiwan_asm_stock"]
        self.jassm_er = p["campaign.jassm_er_stock"]
        self.jassm_er_fired = self.taiwan_asm_fired = 0.0
        self.pla_asm_left = p["campaign.pla_asm_stock"]
        self.standoff_floor = p["campaign.standoff_air_floor"]
        self.ssn_rate, self.ssn_due, self.ssns_arrived = p["campaign.ssn_arrivals_per_turn"], 0.0, 0
        self.withdraw_share = p["campaign.allied_withdraw_share"]
        self.withdrawn = {"carriers": False, "surface": False, "japan": False}
        self.japan_committed = 0  # the most JMSDF ships its law has put in the fight
        self.air_share = airsup.PARITY
        # Per-run constants of steps 1, 2 and 6, read once (the turn is the hot loop).
        days = p["campaign.turn_days"]
        self.hit_rate = p["campaign.hit_rate"]
        self.jassm_hit_rate = self.hit_rate * p["campaign.jassm_er_ship_effectiveness"]
        self.taiwan_asm_per_turn = p["campaign.taiwan_asm_per_turn"] * days / 3.5
        self.lrasm_per_turn = p["campaign.lrasm_per_turn"]
        self.jassm_er_per_turn = p["campaign.jassm_er_per_turn"]
        self.pla_asm_per_turn = p["campaign.pla_asm_per_turn"]
        self.japan_ssn_equivalents = p["campaign.japan_ssn_equivalents"]
        self.landed = self.ashore = self.taiwan_lost = self.lrasm_fired = 0.0
        self.ports_held = 0
        self.working_ports = 0.0
        self.turn = 0
        self.decided_turn: int | None = None
        self.strength = 0.0  # Taiwan's battalion-equivalents at the landing
        self.t0: float | None = None
        # Allied groups (whole ships: sampled out of action) and aircraft (expected counts).
        self.carriers_start = int(round(p["campaign.us_carriers"]))
        self.surface_start = int(round(p["campaign.us_surface_ships"]))
        self.carriers, self.surface = self.carriers_start, self.surface_start
        self.japan_ships_lost = 0
        self.hits_to_disable = {"carriers": int(round(p["campaign.carrier_hits_to_disable"]))}
        self.pla_hit_rate = salvo.defended_fat_tail_rate(
            int(round(p["campaign.pla_asm_interceptor_shots"])))
        self.land_aircraft = {r: p.get(f"air.{r}.aircraft", 0.0) for r in REGIONS}
        # (capacity key, aircraft) for air_basing's regions; constants read once (hot loop).
        self.land_keys = tuple((f"air_basing.{r}_share", n) for r, n in self.land_aircraft.items())
        self.air_rate, self.pla_air_rate = (p["campaign.air_loss_per_sortie"],
                                            p["campaign.pla_air_loss_per_sortie"])
        self.sorties = p["campaign.sorties_per_aircraft_day"]
        self.japan_aircraft, self.pla_aircraft = (p["campaign.japan_aircraft"],
                                                  p["campaign.pla_aircraft"])
        self.prc_cost_rates = (p["campaign.prc_cost_per_ship"], p["campaign.prc_cost_per_aircraft"],
                               p["campaign.prc_cost_per_battalion"])
        self.carrier_wing = self.wing_start = p.get("air.carrier_aircraft", 0.0)  # afloat
        self.pla_asm_fired = 0
        self.us_air_lost = self.us_aboard_lost = self.japan_air_lost = self.pla_air_lost = 0.0
        self.land_air_lost = 0.0  # land-based U.S. aircraft lost in the air
        # The lodgment (lodgment.py): ground held, losses ashore, milestones (turn numbers).
        self.area = 0.0
        self.pla_lost_ashore = 0.0  # battalion-equivalents lost in combat (not those captured)
        self.milestones: dict[str, int] = {}
        self.ground_rates = (p["campaign.defenders_per_hex"], p["campaign.attack_ratio"],
                             p["campaign.advance_hexes"], p["campaign.contained_intensity"])
        # Supply (lift.py): battalion-lifts a battalion ashore needs, a working port adds, and
        # airdrop and small craft bring, per 3.5 days.
        self.supply = {"per_battalion": p["campaign.sustainment_per_battalion"],
                       "per_port": p["campaign.port_lift"],
                       "other_lift": p["campaign.air_and_small_craft_lift"]}
        eng.on_event(("invasion",), self._landed)

    # --- the turns -----------------------------------------------------------------------------

    def _landed(self, _event) -> None:
        eng, p = self.eng, self.eng.p
        self.t0 = eng.env.now
        mobilised = eng.happened.get("taiwan_mobilized", math.inf) <= self.t0
        share = 1.0 if mobilised else p["campaign.unmobilised_reserve_share"]
        self.strength = ground.taiwan_battalion_equivalents(mobilised_share=share)
        self.area = self._beachhead()
        eng.capacity["invasion_campaign.prc_cost"] = 0.0
        eng.horizon = self._at_horizon
        eng.after(self.turn_hours, self._turn)

    def _beachhead(self) -> float:
        """The ground a landing takes on its first turn (km²), ``beachhead_hexes`` 30 km hexes."""
        return lodgment.area_after(0.0, lodgment.ADVANCE,
                                   advance_hexes=self.eng.p["campaign.beachhead_hexes"])

    def _us_share(self, a: float, b: float) -> float:
        """Share of [a, b] (hours) during which U.S. forces were in combat and not withdrawn."""
        h = self.eng.happened
        engaged = h.get("us_combat")
        if engaged is None:
            return 0.0
        return _overlap(a, b, engaged, h.get("us_forces_withdrawn", math.inf)) / (b - a)

    def _turn(self, _e) -> None:
        eng = self.eng
        if eng.closed:
            return
        p, cap = eng.p, eng.capacity
        self.turn = k = self.turn + 1
        days, hours = p["campaign.turn_days"], self.turn_hours
        b = eng.env.now
        us = self._us_share(b - hours, b)
        air = cap.get("air_basing.us_air_share", 1.0)
        rate = self.hit_rate
        # Who holds the air this turn (combat/air.py): the aircraft flying at its start.
        self.air_share = s = self._allied_air_share(us)
        standoff = airsup.standoff_launch_share(s, self.standoff_floor)

        # 1. Salvos at the fleet (csis-fb-asm-base-hit-rates; hits at random on the group).
        tw_fired = int(min(self.taiwan_asm, self.taiwan_asm_per_turn))
        self.taiwan_asm -= tw_fired
        self.taiwan_asm_fired += tw_fired
        launch = us * air * standoff
        us_fired = int(round(min(self.lrasm, self.lrasm_per_turn * launch)))
        self.lrasm -= us_fired
        self.lrasm_fired += us_fired
        # U.S. bombers' JASSM-ER (csis-fb-jassm-er-stock, csis-fb-bomber-strike-load): flown like
        # LRASM, with a limited anti-ship effect (a share of LRASM's hit rate).
        jassm_fired = int(min(self.jassm_er, self.jassm_er_per_turn * launch))
        self.jassm_er -= jassm_fired
        self.jassm_er_fired += jassm_fired
        hits = 0
        if tw_fired:
            hits += salvo.sampled_hits(tw_fired, rate, self.uniform("taiwan_asm", k))
        if us_fired:
            hits += salvo.sampled_hits(us_fired, rate, self.uniform("lrasm", k))
        if jassm_fired:
            hits += salvo.sampled_hits(jassm_fired, self.jassm_hit_rate,
                                       self.uniform("jassm_er", k))
        fleet = self.fleet
        fleet_at_start = dict(fleet)  # step 3 credits ships sunk in steps 1-2 with half a load
        if hits:
            # Every ship equally likely to be hit, one hit out (salvo.ships_out_of_action); the
            # share of each class out is the same, so the fleet is scaled in place.
            out = salvo.out_of_action_probability(hits, sum(fleet.values()) + self.escorts)
            self.escorts = max(0.0, self.escorts - self.escorts * out)
            for c, n in fleet.items():
                fleet[c] = max(0.0, n - n * out)

        # 2. Submarines: U.S. boats while the U.S. fights, Japan's as its law allows.
        boats = self.ssns * us + (self.japan_ssn_equivalents
                                  * cap.get("japan_legal.anti_submarine_warfare", 0.0))
        if boats > 0.0:
            amphibious = sum(fleet.values())
            amph, esc = submarines.ssn_sinkings(boats, amphibious, self.escorts, turn_days=days)
            if amphibious > 0.0:  # spread over the classes in proportion (counts.spread_losses)
                share = min(amph, amphibious) / amphibious
                for c, n in fleet.items():
                    fleet[c] = max(0.0, n - n * share)
            self.escorts = max(0.0, self.escorts - esc)
        if self.ssns and us > 0.0:
            self.ssns -= submarines.sampled_ssn_losses(self.ssns, self.uniform("ssn_losses", k),
                                                       turn_days=days * us)
        if us > 0.0 and self.ssn_rate > 0.0:
            # csis-fb-ssn-cycle: boats back from reloading join those on station next turn.
            arrived, self.ssn_due = submarines.arrivals(self.ssn_due, self.ssn_rate * us)
            self.ssns += arrived
            self.ssns_arrived += arrived

        # 3. Lift: the lodgment is fed first, then new battalions cross.
        # Ships sunk this turn are sunk on average half-way through it: they deliver half a load
        # (lift.fleet_during_turn; the casualties at sea count the other half).
        carrying = lift.fleet_during_turn(fleet_at_start, fleet)
        lt = lift.lift_turn(k, carrying, self.ashore, working_ports=self.working_ports,
                            turn_days=days, **self.supply)
        self.ashore += lt.new_battalions
        self.landed += lt.new_battalions

        # 4. Ground combat at the lodgment (lodgment.py): the defenders its front has room for
        # engage it; the side with a clear superiority attacks and moves the front, otherwise it
        # is contained; a lodgment pushed off its last ground is destroyed.
        per_hex, attack_ratio, advance, contained = self.ground_rates
        if self.area == 0.0 and lt.new_battalions > 0.0:
            self.area = self._beachhead()  # a new landing on a destroyed lodgment's coast
        left = self.strength - self.taiwan_lost
        available = ground.defenders_available(left, p["campaign.sector_share"], k)
        engaged = lodgment.engaged_defenders(available, self.ashore, self.area,
                                             frontage_ratio=p["campaign.frontage_ratio"],
                                             per_hex=per_hex)
        factor = ground.combat_factor(supplied_share=lt.supplied_share)
        side = lodgment.posture(self.ashore * factor, engaged, attack_ratio=attack_ratio)
        intensity = lodgment.exchange_intensity(side, contained_intensity=contained)
        g = ground.ground_exchange(self.ashore, engaged, pla_factor=factor,
                                   kill_rate=ground.KILL_RATE * intensity, turn_days=days)
        self.ashore = g.pla_end
        self.pla_lost_ashore += g.pla_lost
        self.taiwan_lost += g.taiwan_lost
        self.area = lodgment.area_after(self.area, side, advance_hexes=advance, turn_days=days)
        if self.area == 0.0 and self.ashore > 0.0:  # pushed into the sea: the rest are lost
            self.ashore = 0.0
        if self.area == 0.0:
            self.milestones.setdefault("lodgment_destroyed", k)

        # 5. Ports: taken in a turn the lodgment advances and still outnumbers its engaged
        # defenders; U.S. strikes deny them while U.S. forces fight (csis-fb-port-denial).
        # Ground lost gives a port back; a destroyed lodgment holds none.
        if side == lodgment.ADVANCE and self.ashore > 0.0 and \
                ground.force_ratio(self.ashore * factor, g.taiwan_end) >= \
                p["campaign.port_capture_ratio"]:
            self.ports_held += 1
        elif side == lodgment.PUSHED_BACK and self.ports_held:
            self.ports_held -= 1
        if self.area == 0.0:
            self.ports_held = 0
        self.working_ports = self.ports_held * (1.0 - p["campaign.port_denial"] * us * air)
        if self.ports_held:
            self.milestones.setdefault("first_port", k)
        sunk_share = 1.0 - sum(self.fleet.values()) / self.fleet_start if self.fleet_start else 0.0
        if sunk_share >= 0.5:
            self.milestones.setdefault("fleet_half_sunk", k)
        if self._fleet_gone():
            self.milestones.setdefault("fleet_gone", k)

        # 6. Allied losses to PLA salvos and in the air; the PLA's losses in the air.
        if us > 0.0:
            self._allied_salvo(k, us, s)
        self._air_losses(days, us, s)
        self._withdraw()
        cap["invasion_campaign.prc_cost"] = self._prc_cost()

        if eng.trace is not None:
            eng.log(None, "fights", "turn %d: %.1f ashore (%.1f landed), %.0f km2 (%s), "
                    "%.0f of %.0f amphibious ships left, %d ports, Taiwan lost %.1f", k,
                    self.ashore, self.landed, self.area,
                    ("pushed back", "contained", "advancing")[side + 1],
                    sum(self.fleet.values()), self.fleet_start, self.ports_held,
                    self.taiwan_lost)
        outcome = self._decided()
        if outcome is not None:
            self.decided_turn = k
            eng.finish(outcome)
        elif k >= int(round(p["campaign.max_turns"])):
            eng.finish(self._at_horizon())
        else:
            eng.after(hours, self._turn)

    # --- losses --------------------------------------------------------------------------------

    def _japan_ships_in_fight(self) -> int:
        """JMSDF ships escorting U.S. groups now: the escort role's share of ``japan_ships``
        (0 until Japan's law allows it), less those already lost."""
        share = self.eng.capacity.get("japan_legal.escort", 0.0)
        if share <= 0.0 or self.withdrawn["japan"]:
            return 0
        committed = int(round(self.eng.p["campaign.japan_ships"] * share))
        self.japan_committed = max(self.japan_committed, committed)
        return max(0, committed - self.japan_ships_lost)

    def _allied_salvo(self, k: int, us: float, share: float) -> None:
        """PLA anti-ship missiles at the U.S. groups and the Japanese ships escorting them
        (csis-fb-asm-interceptors, csis-fb-asm-fat-tails, csis-fb-asm-salvo-example), from a
        finite stock, the salvo scaled by the PLA's share of the air (its bombers must get
        through: combat/air.py); groups that withdrew are out of range."""
        japan = self._japan_ships_in_fight()
        gone = self.withdrawn
        carriers = 0 if gone["carriers"] else self.carriers
        surface = 0 if gone["surface"] else self.surface
        if carriers + surface + japan == 0:
            return
        planned = self.pla_asm_per_turn * us * airsup.parity_factor(1.0 - share)
        fired = int(round(min(self.pla_asm_left, planned)))
        if fired == 0:
            return
        self.pla_asm_left -= fired
        self.pla_asm_fired += fired
        hits = salvo.sampled_hits(fired, self.pla_hit_rate, self.uniform("pla_asm", k))
        if not hits:
            return
        # Only classes with ships afloat: an empty class loses none and needs no draw (draws
        # are keyed by name, so skipping one moves no other).
        group = {c: n for c, n in (("carriers", carriers), ("surface", surface),
                                   ("japan", japan)) if n}
        u = {c: self.uniform(_OUT_KEY[c], k) for c in group}
        out = salvo.sampled_ships_out_of_action(hits, group, u, self.hits_to_disable)
        if out.get("carriers"):
            # csis-carrier-air-losses: the carrier's air wing goes with it.
            aboard = losses.aircraft_lost_aboard(self.carrier_wing, out["carriers"],
                                                 self.carriers)
            self.us_aboard_lost += aboard
            self.carrier_wing -= aboard
            self.carriers -= out["carriers"]
        self.surface -= out.get("surface", 0)
        self.japan_ships_lost += out.get("japan", 0)

    def _withdraw(self) -> None:
        """A group that has lost more than ``allied_withdraw_share`` of its ships (carriers: or
        of their air wing) pulls its survivors out of the PLA's range for good (assumption):
        it is no longer a target and its aircraft stop flying."""
        w, gone = self.withdraw_share, self.withdrawn
        if not gone["carriers"] and self.carriers_start:
            wing_lost = self.wing_start - self.carrier_wing
            gone["carriers"] = (self.carriers_start - self.carriers > w * self.carriers_start
                                or wing_lost > w * self.wing_start > 0.0)
        if not gone["surface"] and self.surface_start:
            gone["surface"] = self.surface_start - self.surface > w * self.surface_start
        if not gone["japan"] and self.japan_committed:
            gone["japan"] = self.japan_ships_lost > w * self.japan_committed

    def _carrier_wing_flying(self) -> float:
        return 0.0 if self.withdrawn["carriers"] else self.carrier_wing

    def _allied_air_share(self, us: float) -> float:
        """The allies' share of the air at the start of a turn (combat/air.py): U.S. aircraft
        still flying (land-based survivors, the wings of carriers in range) for the share of
        the turn the U.S. fights, Japan's as its air_defence role allows, against the PLA's."""
        allied = (self._land_aircraft_flying() + self._carrier_wing_flying()) * us
        japan = self.eng.capacity.get("japan_legal.air_defence", 0.0)
        if japan > 0.0:
            allied += max(0.0, self.japan_aircraft * japan - self.japan_air_lost)
        return airsup.allied_share(allied, max(0.0, self.pla_aircraft - self.pla_air_lost))

    def _land_aircraft_flying(self) -> float:
        """Land-based U.S. aircraft that can still fly: air_basing's survivors by region,
        less those already lost in the air."""
        cap = self.eng.capacity
        land = sum(n * cap.get(key, 1.0) for key, n in self.land_keys)
        return max(0.0, land - self.land_air_lost)

    def _air_losses(self, days: float, us: float, share: float) -> None:
        """Aircraft lost in the air this turn (csis-fb-air-loss-per-sortie): U.S. aircraft
        for the share of the turn the U.S. fights, Japan's as its air_defence role allows, the
        PLA's every turn (Taiwan's defences contest the whole campaign); each side's rate per
        sortie moves with the other's share of the air (air.contested_loss_rate)."""
        rate = airsup.contested_loss_rate(self.air_rate, 1.0 - share)
        sorties = self.sorties
        if us > 0.0:
            land = self._land_aircraft_flying()
            wing = self._carrier_wing_flying()
            flying = land + wing
            lost = losses.air_attrition(flying, rate, sorties, days * us)
            if lost > 0.0:  # shared between land bases and carriers by their numbers flying
                from_carriers = lost * wing / flying
                self.carrier_wing -= from_carriers
                self.land_air_lost += lost - from_carriers
                self.us_air_lost += lost
        role = self.eng.capacity.get("japan_legal.air_defence", 0.0)
        if role > 0.0:
            flying = max(0.0, self.japan_aircraft * role - self.japan_air_lost)
            self.japan_air_lost += losses.air_attrition(flying, rate, sorties, days)
        flying = max(0.0, self.pla_aircraft - self.pla_air_lost)
        self.pla_air_lost += losses.air_attrition(
            flying, airsup.contested_loss_rate(self.pla_air_rate, share), sorties, days)

    def _prc_cost(self) -> float:
        """The PLA's losses in prc_costs points (labelled assumptions per unit lost)."""
        per_ship, per_aircraft, per_battalion = self.prc_cost_rates
        ships = (self.fleet_start - sum(self.fleet.values())
                 + self.escorts_start - self.escorts)
        return (per_ship * ships + per_aircraft * self.pla_air_lost
                + per_battalion * max(0.0, self.landed - self.ashore))

    def _us_aircraft_lost_ground(self) -> float:
        """air_basing's losses on the ground, read from its capacities (not recomputed); an
        aircraft already lost in the air is not counted again if a later strike finds its
        place empty (air_basing does not know of losses in the air)."""
        cap = self.eng.capacity
        ground_lost = sum(n * (1.0 - cap.get(key, 1.0)) for key, n in self.land_keys)
        return min(ground_lost, max(0.0, sum(self.land_aircraft.values()) - self.land_air_lost))

    # --- scoring -------------------------------------------------------------------------------

    def _fleet_gone(self) -> bool:
        p = self.eng.p
        left = sum(self.fleet.values())
        return left <= p["campaign.fleet_gone_share"] * self.fleet_start

    def _fallen(self) -> bool:
        p = self.eng.p
        left = self.strength - self.taiwan_lost
        return (self.ports_held >= p["campaign.ports_toward_prc"]
                and self.ashore >= p["campaign.fall_ratio"] * left)

    def _decided(self) -> str | None:
        """The rule checked every turn: Taiwan falls, or the PLA is repelled."""
        if self._fallen():
            return "taiwan_fell"
        if self._fleet_gone():
            # What is left once the fleet is gone: ports that work, airdrop and small craft (the
            # last ships no longer count: csis-fb-base-outcomes, fed only by airdrop and
            # helicopter once at least 90% of the fleet was destroyed).
            days = self.eng.p["campaign.turn_days"]
            s = self.supply
            feed = (lift.port_lift(self.working_ports, per_port=s["per_port"], turn_days=days)
                    + s["other_lift"] * days / lift.RULE_TURN_DAYS)
            need = lift.sustainment_need(self.ashore, per_battalion=s["per_battalion"],
                                         turn_days=days)
            if self.area == 0.0 or self.ashore < 1.0 or need > feed:
                return "repelled"
        return None

    def _at_horizon(self) -> str:
        """Score an undecided campaign where it stands (csis-fb-lodgment-scoring)."""
        if self._fallen():
            return "taiwan_fell"
        if self.area == 0.0 or self.ashore < 1.0:  # no lodgment at all: the landing failed
            return "repelled"
        if self.ports_held >= self.eng.p["campaign.ports_toward_prc"]:
            return "stalemate_toward_prc"
        if self._fleet_gone():
            return "stalemate_against_prc"
        return "stalemate"

    def row(self, end_hours: float) -> tuple:
        if self.t0 is None:
            return (None,) * len(self.columns)
        sunk = self.fleet_start - sum(self.fleet.values())
        return (self.landed, self.ashore, sunk,
                sunk / self.fleet_start if self.fleet_start > 0.0 else 0.0,
                self.escorts_start - self.escorts,
                sunk + self.escorts_start - self.escorts, self.lrasm_fired, self.taiwan_lost,
                float(self.turn),
                float(self.decided_turn) if self.decided_turn is not None else None,
                *self._loss_row(), *self._lodgment_row())

    def _lodgment_row(self) -> tuple:
        """Area held, casualties ashore and at sea (labelled per-unit rates), milestones."""
        p = self.eng.p
        sunk = {c: self.fleet_start_by_class[c] - n for c, n in self.fleet.items()}
        at_sea = lodgment.troops_aboard(sunk, lift.CLASS_WEIGHT,
                                        troops_per_weight=TROOPS_PER_SHIP_WEIGHT)
        m = self.milestones
        return (self.area,
                lodgment.casualties(self.taiwan_lost,
                                    per_battalion=p["campaign.taiwan_casualties_per_battalion"]),
                lodgment.casualties(self.pla_lost_ashore,
                                    per_battalion=p["campaign.pla_casualties_per_battalion"]),
                at_sea,
                *(float(m[n]) if n in m else None
                  for n in ("first_port", "fleet_half_sunk", "fleet_gone", "lodgment_destroyed")),
                *(sunk[c] for c in CLASSES))

    def _loss_row(self) -> tuple:
        p = self.eng.p
        carriers = float(self.carriers_start - self.carriers)
        surface = float(self.surface_start - self.surface)
        ground_lost = self._us_aircraft_lost_ground()
        per_ship = p["campaign.casualties_per_surface_ship"]
        per_aircraft = p["campaign.casualties_per_aircraft_air"]
        us_casualties = losses.casualties(
            {"carriers": carriers, "surface": surface, "air": self.us_air_lost},
            {"carriers": p["campaign.casualties_per_carrier"], "surface": per_ship,
             "air": per_aircraft})
        japan_casualties = losses.casualties(
            {"ships": float(self.japan_ships_lost), "air": self.japan_air_lost},
            {"ships": per_ship, "air": per_aircraft})
        return (float(self.pla_asm_fired), carriers, surface, ground_lost, self.us_aboard_lost,
                self.us_air_lost, ground_lost + self.us_aboard_lost + self.us_air_lost,
                float(self.japan_ships_lost), self.japan_air_lost, self.pla_air_lost,
                us_casualties, japan_casualties, self.jassm_er_fired, self.taiwan_asm_fired,
                self.air_share, float(self.ssns_arrived))
