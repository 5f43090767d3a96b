"""What reaches the lodgment and what it does there: steps 3 to 5 of the campaign's turn
(docs/campaign-arithmetic.md sections 4 and 7).

3. Lift (lift.py): the fleet's lift (8 battalions on the turn of the landing, 16 per 3.5 days
   after, times the share of the 2026 fleet's weight that carried the turn; csis-fb-lift-model,
   csis-invasion-timeline) plus ``port_lift`` per working port and ``air_and_small_craft_lift``
   feeds the battalions ashore first (``sustainment_per_battalion`` each), then carries new ones.
4. Ground (lodgment.py, ground.py): the battalions ashore fight the Taiwanese that can reach the
   lodgment (the sector's, plus half of the rest), of which at most ``frontage_ratio`` per PLA
   battalion and ``defenders_per_hex`` per hex held engage; unsupplied battalions fight at half
   value. The side with ``attack_ratio`` attacks and moves the front ``advance_hexes`` 30 km
   hexes (csis-fb-ground-hex) with the full exchange; otherwise the front is contained at
   ``contained_intensity`` of it. Pushed off its last ground, the lodgment is destroyed.
5. Ports: a turn the lodgment advances with ``port_capture_ratio`` over the defenders left takes
   a port or airfield (assumption), a turn pushed back gives one back; U.S. strikes keep
   ``port_denial`` of those held unusable while U.S. forces fight (csis-fb-port-denial).

Why a module of its own: the lodgment has its own state (battalions landed and ashore, ground,
ports, losses ashore) and its own mechanism (supply, then the fight for ground). The arithmetic
is that of ``sim.model.combat`` (lift, ground, lodgment), written out inline because this is the
hot loop; tests/test_invasion_fused.py checks it equals the pure functions on random inputs.
"""

from __future__ import annotations

import math

from sim.model.combat import ground, lodgment
from sim.model.combat.lift import RULE_TURN_DAYS as LIFT_TURN_DAYS
from sim.model.combat.lodgment import ADVANCE, CONTAINED, HEX_KM2, PUSHED_BACK, TAIWAN_KM2

_UNSUPPLIED = ground.UNSUPPLIED_FACTOR
_OUTSIDE = ground.OUTSIDE_COMMITTED


class Lodgment:
    """The PLA's battalions on Taiwan (battalion-equivalents), the ground they hold (km²), the
    ports they hold, and the losses ashore on both sides."""

    __slots__ = ("landed", "ashore", "area", "strength", "taiwan_lost", "pla_lost_ashore",
                 "ports_held", "working_ports")

    def __init__(self):
        self.landed = self.ashore = 0.0
        self.area = 0.0
        self.strength = 0.0      # Taiwan's battalion-equivalents at the landing
        self.taiwan_lost = 0.0
        self.pla_lost_ashore = 0.0  # battalion-equivalents lost in combat (not those captured)
        self.ports_held = 0
        self.working_ports = 0.0

    def landing(self, q, mobilised: bool) -> None:
        """The landing: Taiwan's strength (its reserves count in full if it mobilised before,
        ground.taiwan_battalion_equivalents) and the beachhead (``beachhead_hexes``)."""
        share = 1.0 if mobilised else q.unmobilised_reserve_share
        self.strength = ground.taiwan_battalion_equivalents(mobilised_share=share)
        self.area = q.beachhead_km2

    def turn(self, q, k: int, weight: float, us: float, air: float) -> int:
        """Steps 3 to 5 of turn ``k``: lift by a fleet of lift ``weight``
        (Fleet.carrying_weight), the fight ashore, the ports. ``us``: share of the turn the
        U.S. fought; ``air``: its surviving air share. Returns who attacked (lodgment.ADVANCE,
        CONTAINED or PUSHED_BACK)."""
        days = q.turn_days
        ashore = self.ashore

        # 3. Lift (lift.lift_turn): capacity = sea lift + ports + air and small craft; the
        # battalions ashore are fed first, what is left carries new ones.
        frac = weight / q.full_weight
        sea = (q.first_turn_lift if k == 1 else q.later_turn_lift) * (frac if frac < 1.0
                                                                       else 1.0)
        capacity = (sea + self.working_ports * q.per_port * days / LIFT_TURN_DAYS
                    + q.other_lift_turn)
        need = ashore * q.per_battalion * days / LIFT_TURN_DAYS
        supplied = 1.0 if need <= capacity else capacity / need
        new = capacity - need
        if new > 0.0:
            ashore += new
            self.landed += new
        else:
            new = 0.0

        # 4. Ground (ground.defenders_available, lodgment.engaged_defenders, ground.combat_factor,
        # lodgment.posture and exchange_intensity, ground.ground_exchange, lodgment.area_after).
        area = self.area
        if area == 0.0 and new > 0.0:
            area = q.beachhead_km2  # a new landing on a destroyed lodgment's coast
        left = self.strength - self.taiwan_lost
        engaged = left * q.sector_share + left * q.outside_share * _OUTSIDE
        x = q.frontage_ratio * ashore
        if x < engaged:
            engaged = x
        x = q.defenders_per_hex * area / HEX_KM2
        if x < engaged:
            engaged = x
        factor = supplied + (1.0 - supplied) * _UNSUPPLIED
        effective = ashore * factor
        r = q.attack_ratio
        if effective == 0.0:
            side = PUSHED_BACK
        elif effective >= r * engaged:
            side = ADVANCE
        elif engaged >= r * effective:
            side = PUSHED_BACK
        else:
            side = CONTAINED
        kill = q.kill_contained if side == CONTAINED else q.kill_attack
        x = kill * engaged
        pla_lost = x if x < ashore else ashore
        x = kill * ashore * factor
        taiwan_lost = x if x < engaged else engaged
        ashore -= pla_lost
        defenders_left = engaged - taiwan_lost
        self.pla_lost_ashore += pla_lost
        self.taiwan_lost += taiwan_lost
        x = area + side * q.advance_km2
        x = x if x > 0.0 else 0.0
        area = x if x < TAIWAN_KM2 else TAIWAN_KM2
        if area == 0.0:
            ashore = 0.0  # pushed into the sea: the rest are lost
        self.area = area
        self.ashore = ashore

        # 5. Ports (ground.force_ratio against the defenders left); none without ground.
        if side == ADVANCE and ashore > 0.0:
            x = ashore * factor
            if x != 0.0:
                x = math.inf if defenders_left == 0.0 else x / defenders_left
            if x >= q.port_capture_ratio:
                self.ports_held += 1
        elif side == PUSHED_BACK and self.ports_held:
            self.ports_held -= 1
        if area == 0.0:
            self.ports_held = 0
        self.working_ports = self.ports_held * (1.0 - q.port_denial * us * air)
        return side

    def casualties(self, q) -> tuple[float, float]:
        """(Taiwan's, the PLA's) killed and wounded ashore: battalion-equivalents lost times a
        labelled rate per battalion (csis-fb-base-casualties)."""
        return (lodgment.casualties(self.taiwan_lost,
                                    per_battalion=q.taiwan_casualties_per_battalion),
                lodgment.casualties(self.pla_lost_ashore,
                                    per_battalion=q.pla_casualties_per_battalion))
