"""The invasion played as a campaign in turns, from the landing until it is decided or its last
turn (issue 12): how every scenario in which an invasion can happen decides it
(``adjudication.invasion.campaign``).

One SimPy timeout per turn (``turn_days``, 3.5 by default: csis-invasion-timeline). A turn is
resolved at its end, with what happened during it, in this order (the arithmetic is the combat
package's; docs/campaign-arithmetic.md works each step by hand):

1. Salvos (salvo.py) at the amphibious fleet and its escorts: Taiwan's shore-based anti-ship
   missiles every turn while they last (csis-fb-taiwan-harpoons); U.S. bombers' LRASM while the
   stock lasts (csis-fb-lrasm-stock), for the share of the turn U.S. forces were in combat
   (``us_combat``, until ``us_forces_withdrawn``) times the surviving U.S. air share
   (air_basing's ``air_basing.us_air_share``; 1 without a strike on the bases). Hits are drawn
   Binomial(missiles, hit_rate) from this process's stream (csis-fb-asm-base-hit-rates) and
   land at random on the group (expected ships out of action by class).
2. Submarines (submarines.py): the U.S. boats in the strait (csis-fb-ssn-start) sink at CSIS's
   rate (csis-fb-ssn-sinkings) for the share of the turn the U.S. fights, and lose boats
   (drawn); Japan's boats and aircraft add ``japan_ssn_equivalents`` boats' worth times the
   share of its anti-submarine force its law lets it use (japan_legal's
   ``japan_legal.anti_submarine_warfare``; 0 until then). Amphibious ships sunk are spread
   over the classes in proportion (counts.py).
3. Lift (lift.py): the surviving fleet's lift feeds the battalions ashore first, then carries
   new ones (csis-fb-lift-model); captured ports that work add lift.
4. Ground (ground.py): the battalions ashore fight the Taiwanese battalions that can reach the
   lodgment (the sector's, plus half of the rest), of which at most ``frontage_ratio`` per PLA
   battalion engage at once (assumption); unsupplied battalions fight at half value. Taiwan's
   reserves count if it mobilised (``taiwan_mobilized``) before the landing.
5. Ports: a turn in which the PLA's effective battalions outnumber the engaged Taiwanese by
   ``port_capture_ratio`` takes a port or airfield (assumption); U.S. strikes keep
   ``port_denial`` of those held unusable while U.S. forces fight (csis-fb-port-denial).

6. Losses on the allied side, while U.S. forces fight: the PLA fires ``pla_asm_per_turn``
   anti-ship missiles (times the share of the turn the U.S. fights) at the U.S. carriers, the
   other major U.S. surface ships and the JMSDF ships its law lets escort them (japan_legal's
   ``japan_legal.escort``; none until then). Each missile hits with salvo.py's
   ``defended_fat_tail_rate`` for ``pla_asm_interceptor_shots`` interceptors per missile
   (csis-fb-asm-interceptors, csis-fb-asm-fat-tails); hits are drawn Binomial, then ships out
   of action are drawn by class (salvo.sampled_ships_out_of_action; a carrier needs
   ``carrier_hits_to_disable`` hits). A carrier lost takes its air wing
   (csis-carrier-air-losses; ``air.carrier_aircraft`` of air_basing). Aircraft in the fight
   are lost in the air at a rate per sortie (losses.py, csis-fb-air-loss-per-sortie): U.S.
   aircraft still flying (air_basing's survivors by region, the carriers' wings) while the U.S.
   fights, Japan's as its ``air_defence`` role allows, the PLA's every turn. Aircraft lost on
   the ground are air_basing's (read from its capacities, not recomputed). Casualties are
   labelled assumptions per unit lost. The PLA's losses (major ships, aircraft, battalions)
   are offered to prc_costs as ``invasion_campaign.prc_cost`` (points).

Decision rule, checked at the end of every turn (csis-fb-lodgment-scoring,
csis-fb-victory-scoring):
- ``taiwan_fell``: PLA battalions ashore reach ``fall_ratio`` x Taiwan's remaining
  battalion-equivalents and it holds ``ports_toward_prc`` ports or airfields;
- ``repelled``: the amphibious fleet is gone (at most ``fleet_gone_share`` of its ships left,
  csis-fb-base-outcomes) and the lodgment is destroyed or cannot be supplied by what is left
  (ports that work, airdrop and small craft);
- otherwise, after ``max_turns`` turns (or at the scenario's horizon): ``taiwan_fell`` as above,
  else ``stalemate_toward_prc`` with ``ports_toward_prc`` ports held, else
  ``stalemate_against_prc`` if the fleet is gone, else ``stalemate``.

Aggregate counts and plain floats throughout; no per-unit objects.
"""

from __future__ import annotations

import math

from sim.model.combat import counts, ground, lift, losses, salvo, submarines
from sim.model.processes.base import Process

CLASSES = ("lst", "lhd_lpd", "lsm", "roro")
REGIONS = ("japan", "guam")  # air_basing's regions (its capacities air_basing.<region>_share)
_OUT_KEY = {c: f"allied_out_{c}" for c in ("carriers", "surface", "japan")}  # stream names


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
    )
    # shown as distributions by summarize, the figures and the report
    quantities = ("battalions_landed", "battalions_ashore", "amphibious_sunk", "escorts_sunk",
                  "pla_major_ships_sunk", "lrasm_fired", "taiwan_battalions_lost",
                  "pla_asm_fired", "us_carriers_lost", "us_surface_ships_lost",
                  "us_aircraft_lost_ground", "us_aircraft_lost_carriers",
                  "us_aircraft_lost_air", "us_aircraft_lost", "japan_ships_lost",
                  "japan_aircraft_lost", "pla_aircraft_lost", "us_casualties",
                  "japan_casualties")

    @staticmethod
    def used(c) -> bool:
        return "invasion" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        p = eng.p
        self.turn_hours = p["campaign.turn_days"] * 24.0
        self.fleet = {c: p[f"campaign.fleet_{c}"] for c in CLASSES}
        self.fleet_start = sum(self.fleet.values())
        self.escorts = self.escorts_start = p["campaign.escorts"]
        self.ssns = int(round(p["campaign.us_ssns"]))
        self.lrasm = p["campaign.lrasm_stock"]
        self.taiwan_asm = p["campaign.taiwan_asm_stock"]
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
        self.carrier_wing = p.get("air.carrier_aircraft", 0.0)  # aboard carriers afloat
        self.pla_asm_fired = 0
        self.us_air_lost = self.us_aboard_lost = self.japan_air_lost = self.pla_air_lost = 0.0
        self.land_air_lost = 0.0  # land-based U.S. aircraft lost in the air
        eng.on_event(("invasion",), self._landed)

    # --- the turns -----------------------------------------------------------------------------

    def _landed(self, _event) -> None:
        eng, p = self.eng, self.eng.p
        self.t0 = eng.env.now
        mobilised = eng.happened.get("taiwan_mobilized", math.inf) <= self.t0
        share = 1.0 if mobilised else p["campaign.unmobilised_reserve_share"]
        self.strength = ground.taiwan_battalion_equivalents(mobilised_share=share)
        eng.capacity["invasion_campaign.prc_cost"] = 0.0
        eng.horizon = self._at_horizon
        eng.after(self.turn_hours, self._turn)

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
        rate = p["campaign.hit_rate"]

        # 1. Salvos at the fleet (csis-fb-asm-base-hit-rates; hits at random on the group).
        tw_fired = int(min(self.taiwan_asm, p["campaign.taiwan_asm_per_turn"] * days / 3.5))
        self.taiwan_asm -= tw_fired
        us_fired = int(round(min(self.lrasm, p["campaign.lrasm_per_turn"] * us * air)))
        self.lrasm -= us_fired
        self.lrasm_fired += us_fired
        hits = 0
        if tw_fired:
            hits += salvo.sampled_hits(tw_fired, rate, self.uniform("taiwan_asm", k))
        if us_fired:
            hits += salvo.sampled_hits(us_fired, rate, self.uniform("lrasm", k))
        if hits:
            group = {**self.fleet, "escorts": self.escorts}
            out = salvo.ships_out_of_action(hits, group)
            self.escorts = max(0.0, self.escorts - out.pop("escorts"))
            self.fleet = counts.subtract(self.fleet, out)

        # 2. Submarines: U.S. boats while the U.S. fights, Japan's as its law allows.
        boats = self.ssns * us + (p["campaign.japan_ssn_equivalents"]
                                  * cap.get("japan_legal.anti_submarine_warfare", 0.0))
        if boats > 0.0:
            amph, esc = submarines.ssn_sinkings(boats, sum(self.fleet.values()), self.escorts,
                                                turn_days=days)
            self.fleet = counts.subtract(self.fleet, counts.spread_losses(amph, self.fleet))
            self.escorts = max(0.0, self.escorts - esc)
        if self.ssns and us > 0.0:
            self.ssns -= submarines.sampled_ssn_losses(self.ssns, self.uniform("ssn_losses", k),
                                                       turn_days=days * us)

        # 3. Lift: the lodgment is fed first, then new battalions cross.
        lt = lift.lift_turn(k, self.fleet, self.ashore, working_ports=self.working_ports,
                            turn_days=days)
        self.ashore += lt.new_battalions
        self.landed += lt.new_battalions

        # 4. Ground combat at the lodgment.
        left = self.strength - self.taiwan_lost
        available = ground.defenders_available(left, p["campaign.sector_share"], k)
        engaged = min(available, p["campaign.frontage_ratio"] * self.ashore)
        factor = ground.combat_factor(supplied_share=lt.supplied_share)
        g = ground.ground_exchange(self.ashore, engaged, pla_factor=factor, turn_days=days)
        self.ashore = g.pla_end
        self.taiwan_lost += g.taiwan_lost

        # 5. Ports: taken when the lodgment outnumbers its engaged defenders; U.S. strikes deny
        # them while U.S. forces fight (csis-fb-port-denial).
        if self.ashore > 0.0 and ground.force_ratio(self.ashore * factor, g.taiwan_end) >= \
                p["campaign.port_capture_ratio"]:
            self.ports_held += 1
        self.working_ports = self.ports_held * (1.0 - p["campaign.port_denial"] * us * air)

        # 6. Allied losses to PLA salvos and in the air; the PLA's losses in the air.
        if us > 0.0:
            self._allied_salvo(k, us)
        self._air_losses(days, us)
        cap["invasion_campaign.prc_cost"] = self._prc_cost()

        if eng.trace is not None:
            eng.log(None, "fights", "turn %d: %.1f ashore (%.1f landed), %.0f of %.0f "
                    "amphibious ships left, %d ports, Taiwan lost %.1f", k, self.ashore,
                    self.landed, sum(self.fleet.values()), self.fleet_start, self.ports_held,
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
        if share <= 0.0:
            return 0
        committed = int(round(self.eng.p["campaign.japan_ships"] * share))
        return max(0, committed - self.japan_ships_lost)

    def _allied_salvo(self, k: int, us: float) -> None:
        """PLA anti-ship missiles at the U.S. groups and the Japanese ships escorting them
        (csis-fb-asm-interceptors, csis-fb-asm-fat-tails, csis-fb-asm-salvo-example)."""
        japan = self._japan_ships_in_fight()
        if self.carriers + self.surface + japan == 0:
            return
        fired = int(round(self.eng.p["campaign.pla_asm_per_turn"] * us))
        if fired == 0:
            return
        self.pla_asm_fired += fired
        hits = salvo.sampled_hits(fired, self.pla_hit_rate, self.uniform("pla_asm", k))
        if not hits:
            return
        # Only classes with ships afloat: an empty class loses none and needs no draw (draws
        # are keyed by name, so skipping one moves no other).
        group = {c: n for c, n in (("carriers", self.carriers), ("surface", self.surface),
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

    def _land_aircraft_flying(self) -> float:
        """Land-based U.S. aircraft that can still fly: air_basing's survivors by region,
        less those already lost in the air."""
        cap = self.eng.capacity
        land = sum(n * cap.get(key, 1.0) for key, n in self.land_keys)
        return max(0.0, land - self.land_air_lost)

    def _air_losses(self, days: float, us: float) -> None:
        """Aircraft lost in the air this turn (csis-fb-air-loss-per-sortie): U.S. aircraft
        for the share of the turn the U.S. fights, Japan's as its air_defence role allows, the
        PLA's every turn (Taiwan's defences contest the whole campaign)."""
        rate, sorties = self.air_rate, self.sorties
        if us > 0.0:
            land = self._land_aircraft_flying()
            flying = land + self.carrier_wing
            lost = losses.air_attrition(flying, rate, sorties, days * us)
            if lost > 0.0:  # shared between land bases and carriers by their numbers flying
                from_carriers = lost * self.carrier_wing / flying
                self.carrier_wing -= from_carriers
                self.land_air_lost += lost - from_carriers
                self.us_air_lost += lost
        share = self.eng.capacity.get("japan_legal.air_defence", 0.0)
        if share > 0.0:
            flying = max(0.0, self.japan_aircraft * share - self.japan_air_lost)
            self.japan_air_lost += losses.air_attrition(flying, rate, sorties, days)
        flying = max(0.0, self.pla_aircraft - self.pla_air_lost)
        self.pla_air_lost += losses.air_attrition(flying, self.pla_air_rate, sorties, days)

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
            days = self.eng.p["campaign.turn_days"]
            feed = (lift.port_lift(self.working_ports, turn_days=days)
                    + lift.AIR_AND_SMALL_CRAFT_LIFT * days / lift.RULE_TURN_DAYS)
            if self.ashore < 1.0 or lift.sustainment_need(self.ashore, turn_days=days) > feed:
                return "repelled"
        return None

    def _at_horizon(self) -> str:
        """Score an undecided campaign where it stands (csis-fb-lodgment-scoring)."""
        if self._fallen():
            return "taiwan_fell"
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
                *self._loss_row())

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
                us_casualties, japan_casualties)
