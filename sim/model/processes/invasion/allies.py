"""The air and the allied side of the campaign: who holds the air each turn (step 0) and the
losses of step 6 (docs/campaign-arithmetic.md sections 6 and 8).

0. The air (combat/air.py): the allies' share of the aircraft flying at a turn's start: U.S.
   land-based survivors (air_basing's ``air_basing.<region>_share``, less those lost in the air)
   and the wings of carriers in range for the share of the turn the U.S. fights, Japan's as its
   ``japan_legal.air_defence`` role allows, against the PLA's (csis-fb-pla-parity).
6. Losses while U.S. forces fight: the PLA fires ``pla_asm_per_turn`` anti-ship missiles (times
   the share of the turn and air.parity_factor of its share of the air, from the finite
   ``pla_asm_stock``) at the U.S. carriers, other major surface ships and the JMSDF ships its
   law lets escort them (``japan_legal.escort``) that have not withdrawn; each missile hits at
   salvo.defended_fat_tail_rate (csis-fb-asm-interceptors, csis-fb-asm-fat-tails); hits are
   drawn Binomial, then ships out of action by class (salvo.sampled_ships_out_of_action; a
   carrier needs ``carrier_hits_to_disable``); a carrier lost takes its air wing
   (csis-carrier-air-losses). Aircraft are lost in the air per sortie (losses.air_attrition,
   csis-fb-air-loss-per-sortie), each side's rate moved by the other's share of the air
   (air.contested_loss_rate): U.S. aircraft while the U.S. fights, Japan's as its role allows,
   the PLA's every turn. A group that has lost more than ``allied_withdraw_share`` of its ships
   (carriers: or of their air wing) leaves the PLA's range for good (assumption).

Why a module of its own: the allied groups and the aircraft on both sides are their own state
and their losses their own mechanism, read by the rest of the turn only through the air share.
The per-turn arithmetic of ``air``, ``salvo`` and ``losses`` is written out inline (the hot loop);
tests/test_invasion_fused.py checks it equals the pure functions on random inputs.
"""

from __future__ import annotations

from sim.model import streams
from sim.model.combat import losses
from sim.model.combat._checks import binomial_quantile, poisson_at_least
from sim.model.combat.air import GROUND_DEFENCE_SHARE, PARITY

_key = streams.name_key
PLA_ASM = "invasion_campaign/pla_asm"
_OUT_STREAM = {c: f"invasion_campaign/allied_out_{c}" for c in ("carriers", "surface", "japan")}
# air.contested_loss_rate: rate x (ground share + AIR_SCALE x opponent's share)
_AIR_SCALE = (1.0 - GROUND_DEFENCE_SHARE) * 2.0


class Allies:
    """U.S. and Japanese ships (whole ships: sampled out of action) and aircraft (expected
    counts), the PLA's aircraft and anti-ship missiles, and who holds the air."""

    __slots__ = ("carriers_start", "surface_start", "carriers", "surface", "japan_ships_lost",
                 "japan_committed", "carriers_gone", "surface_gone", "japan_gone",
                 "carrier_wing", "wing_start", "land_flying", "land_air_lost", "us_air_lost",
                 "us_aboard_lost", "japan_air_lost", "pla_air_lost", "pla_asm_left",
                 "pla_asm_fired", "air_share")

    def __init__(self, q):
        self.carriers = self.carriers_start = q.us_carriers
        self.surface = self.surface_start = q.us_surface_ships
        self.japan_ships_lost = 0
        self.japan_committed = 0  # the most JMSDF ships its law has put in the fight
        self.carriers_gone = self.surface_gone = self.japan_gone = False  # withdrawn
        self.carrier_wing = self.wing_start = q.carrier_aircraft  # afloat
        self.land_flying = 0.0  # land-based U.S. aircraft flying this turn
        self.land_air_lost = 0.0  # land-based U.S. aircraft lost in the air
        self.us_air_lost = self.us_aboard_lost = self.japan_air_lost = self.pla_air_lost = 0.0
        self.pla_asm_left = q.pla_asm_stock
        self.pla_asm_fired = 0
        self.air_share = PARITY

    @property
    def withdrawn(self) -> dict[str, bool]:
        """Which groups have left the PLA's range, by name."""
        return {"carriers": self.carriers_gone, "surface": self.surface_gone,
                "japan": self.japan_gone}

    def share_of_air(self, q, us: float, cap: dict) -> float:
        """Step 0 (air.allied_share): the allies' share of the aircraft flying at the turn's
        start; also keeps the land-based U.S. aircraft flying for step 6."""
        land = 0.0
        for key, n in q.land_keys:
            land += n * cap.get(key, 1.0)
        land -= self.land_air_lost
        self.land_flying = land = land if land > 0.0 else 0.0
        allied = (land + (0.0 if self.carriers_gone else self.carrier_wing)) * us
        role = cap.get("japan_legal.air_defence", 0.0)
        if role > 0.0:
            x = q.japan_aircraft * role - self.japan_air_lost
            allied += x if x > 0.0 else 0.0
        pla = q.pla_aircraft - self.pla_air_lost
        pla = pla if pla > 0.0 else 0.0
        self.air_share = share = PARITY if allied + pla == 0.0 else allied / (allied + pla)
        return share

    def _japan_ships_in_fight(self, q, cap: dict) -> int:
        """JMSDF ships escorting U.S. groups now: the escort role's share of ``japan_ships``
        (0 until Japan's law allows it), less those already lost."""
        share = cap.get("japan_legal.escort", 0.0)
        if share <= 0.0 or self.japan_gone:
            return 0
        committed = int(round(q.japan_ships * share))
        self.japan_committed = max(self.japan_committed, committed)
        return max(0, committed - self.japan_ships_lost)

    def pla_salvo(self, q, k: int, us: float, cap: dict, rkey: int) -> None:
        """The PLA's anti-ship missiles at the allied groups in range in turn ``k``, the salvo
        scaled by the PLA's share of the air (its bombers must get through: combat/air.py)."""
        japan = self._japan_ships_in_fight(q, cap)
        carriers = 0 if self.carriers_gone else self.carriers
        surface = 0 if self.surface_gone else self.surface
        if carriers + surface + japan == 0:
            return
        x = 2.0 * (1.0 - self.air_share)  # air.parity_factor of the PLA's share
        planned = q.pla_asm_per_turn * us * (x if x < 1.0 else 1.0)
        fired = int(round(planned if planned < self.pla_asm_left else self.pla_asm_left))
        if fired == 0:
            return
        self.pla_asm_left -= fired
        self.pla_asm_fired += fired
        hits = binomial_quantile(fired, q.pla_hit_rate,
                                 streams.uniform(rkey, _key(PLA_ASM, k)))
        if not hits:
            return
        # salvo.sampled_ships_out_of_action: the hits land at random on the group, each ship
        # out with P(Poisson(hits / ships) >= hits it needs), drawn Binomial per class. Only
        # classes with ships afloat: an empty class loses none and needs no draw (draws are
        # keyed by name, so skipping one moves no other).
        mean = hits / (carriers + surface + japan)
        need = q.hits_to_disable
        if carriers:
            lost = binomial_quantile(carriers, poisson_at_least(mean, need.get("carriers", 1)),
                                     streams.uniform(rkey, _key(_OUT_STREAM["carriers"], k)))
            if lost:
                # csis-carrier-air-losses: the carrier's air wing goes with it.
                aboard = losses.aircraft_lost_aboard(self.carrier_wing, lost, self.carriers)
                self.us_aboard_lost += aboard
                self.carrier_wing -= aboard
                self.carriers -= lost
        if surface:
            self.surface -= binomial_quantile(
                surface, poisson_at_least(mean, need.get("surface", 1)),
                streams.uniform(rkey, _key(_OUT_STREAM["surface"], k)))
        if japan:
            self.japan_ships_lost += binomial_quantile(
                japan, poisson_at_least(mean, need.get("japan", 1)),
                streams.uniform(rkey, _key(_OUT_STREAM["japan"], k)))

    def air_losses(self, q, us: float, cap: dict) -> None:
        """Aircraft lost in the air this turn (losses.air_attrition at air.contested_loss_rate):
        U.S. aircraft for the share of the turn the U.S. fights, Japan's as its air_defence role
        allows, the PLA's every turn (Taiwan's defences contest the whole campaign)."""
        share = self.air_share
        x = q.air_loss_per_sortie * (GROUND_DEFENCE_SHARE + _AIR_SCALE * (1.0 - share))
        rate = x if x < 1.0 else 1.0
        days = q.turn_days
        if us > 0.0:
            wing = 0.0 if self.carriers_gone else self.carrier_wing
            flying = self.land_flying + wing
            lost = flying * (1.0 - (1.0 - rate) ** (q.sorties_per_aircraft_day * (days * us)))
            if lost > 0.0:  # shared between land bases and carriers by their numbers flying
                from_carriers = lost * wing / flying
                self.carrier_wing -= from_carriers
                self.land_air_lost += lost - from_carriers
                self.us_air_lost += lost
        role = cap.get("japan_legal.air_defence", 0.0)
        if role > 0.0:
            flying = q.japan_aircraft * role - self.japan_air_lost
            flying = flying if flying > 0.0 else 0.0
            self.japan_air_lost += flying * (1.0 - (1.0 - rate) ** q.sorties_per_turn)
        flying = q.pla_aircraft - self.pla_air_lost
        flying = flying if flying > 0.0 else 0.0
        x = q.pla_air_loss_per_sortie * (GROUND_DEFENCE_SHARE + _AIR_SCALE * share)
        rate = x if x < 1.0 else 1.0
        self.pla_air_lost += flying * (1.0 - (1.0 - rate) ** q.sorties_per_turn)

    def withdraw(self, q) -> None:
        """A group that has lost more than ``allied_withdraw_share`` of its ships (carriers: or
        of their air wing) pulls its survivors out of the PLA's range for good (assumption):
        it is no longer a target and its aircraft stop flying."""
        w = q.allied_withdraw_share
        if not self.carriers_gone and self.carriers_start:
            wing_lost = self.wing_start - self.carrier_wing
            self.carriers_gone = (self.carriers_start - self.carriers > w * self.carriers_start
                                  or wing_lost > w * self.wing_start > 0.0)
        if not self.surface_gone and self.surface_start:
            self.surface_gone = self.surface_start - self.surface > w * self.surface_start
        if not self.japan_gone and self.japan_committed:
            self.japan_gone = self.japan_ships_lost > w * self.japan_committed

    def lost_on_ground(self, q, cap: dict) -> float:
        """air_basing's U.S. aircraft lost on the ground, read from its capacities (not
        recomputed); an aircraft already lost in the air is not counted again if a later strike
        finds its place empty (air_basing does not know of losses in the air)."""
        ground_lost = sum(n * (1.0 - cap.get(key, 1.0)) for key, n in q.land_keys)
        return min(ground_lost, max(0.0, sum(q.land_aircraft) - self.land_air_lost))
