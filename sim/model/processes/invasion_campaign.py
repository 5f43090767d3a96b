"""The invasion played as a campaign in turns, from the landing until it is decided or its last
turn (issue 12): how every scenario in which an invasion can happen decides it
(``adjudication.invasion.campaign``).

One SimPy timeout per turn (``turn_days``, 3.5 by default: csis-invasion-timeline). A turn is
resolved at its end, with what happened during it, in this order; each step lives in the module
of ``sim.model.processes.invasion`` that owns its state (the arithmetic is the combat package's;
docs/campaign-arithmetic.md works each step by hand):

0. The air (``allies.Allies.share_of_air``): the allies' share of the aircraft flying at the
   turn's start. It scales the U.S. standoff launches (``standoff_air_floor``), the PLA's
   anti-ship salvo and both sides' losses per sortie.
1-2. The fleet under fire (``fleet.Fleet.under_fire``): Taiwan's anti-ship missiles, U.S.
   LRASM and JASSM-ER for the share of the turn U.S. forces fought (``us_combat`` until
   ``us_forces_withdrawn``) times their surviving air share (air_basing's
   ``air_basing.us_air_share``) times the standoff launch share; then U.S. and Japanese
   submarines (Japan's as ``japan_legal.anti_submarine_warfare`` allows).
3-5. The lodgment (``ashore.Lodgment.turn``): lift (ships sunk this turn carry half a load),
   ground combat, ports.
6. Allied losses (``allies.Allies``): the PLA's salvo at the allied groups in range, aircraft
   lost in the air on both sides, groups that withdraw. The PLA's losses (major ships,
   aircraft, battalions) are offered to prc_costs as ``invasion_campaign.prc_cost`` (points).

Its parameters are read once (``params``), its columns and row ``columns``.

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

from sim.model.combat import lift
from sim.model.processes.base import Process
from sim.model.processes.invasion import columns as output
from sim.model.processes.invasion.allies import Allies
from sim.model.processes.invasion.ashore import Lodgment
from sim.model.processes.invasion.fleet import Fleet
from sim.model.processes.invasion.params import CLASSES, params_for

__all__ = ["CLASSES", "InvasionCampaign"]


def _overlap(a: float, b: float, lo: float, hi: float) -> float:
    """Hours of [a, b] inside [lo, hi]."""
    return max(0.0, min(b, hi) - max(a, lo))


class InvasionCampaign(Process):
    name = "invasion_campaign"
    columns = output.COLUMNS
    quantities = output.QUANTITIES  # shown as distributions by summarize, figures, report

    @staticmethod
    def used(c) -> bool:
        return "invasion" in c.caused

    def __init__(self, eng):
        super().__init__(eng)
        self.q = params_for(eng)  # read (and checked) once per scenario
        self.turn = 0
        self.decided_turn: int | None = None
        self.t0: float | None = None  # hour of the landing
        self.milestones: dict[str, int] = {}  # name -> turn it first happened
        # The state of each concern, created at the landing (most crises never have one).
        self.fleet: Fleet | None = None
        self.allies: Allies | None = None
        self.lodgment: Lodgment | None = None
        eng.on_event(("invasion",), self._landed)

    # --- the turns -----------------------------------------------------------------------------

    def _landed(self, _event) -> None:
        eng, q = self.eng, self.q
        self.t0 = eng.env.now
        self.fleet, self.allies, self.lodgment = Fleet(q), Allies(q), Lodgment()
        self.lodgment.landing(q, eng.happened.get("taiwan_mobilized", math.inf) <= self.t0)
        eng.capacity["invasion_campaign.prc_cost"] = 0.0
        eng.horizon = self._at_horizon
        eng.after(q.turn_hours, self._turn)

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
        q, cap = self.q, eng.capacity
        fleet, allies, ashore = self.fleet, self.allies, self.lodgment
        self.turn = k = self.turn + 1
        b = eng.env.now
        us = self._us_share(b - q.turn_hours, b)
        air = cap.get("air_basing.us_air_share", 1.0)
        # 0. Who holds the air this turn (combat/air.py): the aircraft flying at its start; it
        # sets the share of the planned standoff launches that get off (air.standoff_launch_share).
        x = 2.0 * allies.share_of_air(q, us, cap)
        standoff = q.standoff_floor + q.standoff_rest * (x if x < 1.0 else 1.0)
        # 1-2. The fleet under fire: salvos, then submarines.
        fleet.under_fire(q, k, us, us * air * standoff,
                         cap.get("japan_legal.anti_submarine_warfare", 0.0), eng.rkey)
        # 3-5. Lift, the fight ashore, ports.
        side = ashore.turn(q, k, fleet.carrying_weight(), us, air)
        m = self.milestones
        if ashore.area == 0.0 and "lodgment_destroyed" not in m:
            m["lodgment_destroyed"] = k
        if ashore.ports_held and "first_port" not in m:
            m["first_port"] = k
        left = fleet.left()
        start = fleet.start_total
        if start and 1.0 - left / start >= 0.5 and "fleet_half_sunk" not in m:
            m["fleet_half_sunk"] = k
        gone = left <= q.fleet_gone_share * start
        if gone and "fleet_gone" not in m:
            m["fleet_gone"] = k
        # 6. Allied losses to PLA salvos and in the air; the PLA's losses in the air.
        if us > 0.0:
            allies.pla_salvo(q, k, us, cap, eng.rkey)
        allies.air_losses(q, us, cap)
        allies.withdraw(q)
        cap["invasion_campaign.prc_cost"] = self._prc_cost(left)

        if eng.trace is not None:
            eng.log(None, "fights", "turn %d: %.1f ashore (%.1f landed), %.0f km2 (%s), "
                    "%.0f of %.0f amphibious ships left, %d ports, Taiwan lost %.1f", k,
                    ashore.ashore, ashore.landed, ashore.area,
                    ("pushed back", "contained", "advancing")[side + 1],
                    left, start, ashore.ports_held, ashore.taiwan_lost)
        outcome = self._decided(gone)
        if outcome is not None:
            self.decided_turn = k
            eng.finish(outcome)
        elif k >= q.max_turns:
            eng.finish(self._at_horizon())
        else:
            eng.after(q.turn_hours, self._turn)

    def _prc_cost(self, left: float) -> float:
        """The PLA's losses in prc_costs points (labelled assumptions per unit lost), with
        ``left`` amphibious ships afloat."""
        q, fleet, ashore = self.q, self.fleet, self.lodgment
        ships = fleet.start_total - left + fleet.escorts_start - fleet.escorts
        x = ashore.landed - ashore.ashore
        return (q.prc_cost_per_ship * ships + q.prc_cost_per_aircraft * self.allies.pla_air_lost
                + q.prc_cost_per_battalion * (x if x > 0.0 else 0.0))

    # --- scoring -------------------------------------------------------------------------------

    def _fleet_gone(self) -> bool:
        return self.fleet.left() <= self.q.fleet_gone_share * self.fleet.start_total

    def _fallen(self) -> bool:
        q, ashore = self.q, self.lodgment
        left = ashore.strength - ashore.taiwan_lost
        return (ashore.ports_held >= q.ports_toward_prc
                and ashore.ashore >= q.fall_ratio * left)

    def _decided(self, fleet_gone: bool) -> str | None:
        """The rule checked every turn: Taiwan falls, or the PLA is repelled."""
        if self._fallen():
            return "taiwan_fell"
        if fleet_gone:
            # What is left once the fleet is gone: ports that work, airdrop and small craft (the
            # last ships no longer count: csis-fb-base-outcomes, fed only by airdrop and
            # helicopter once at least 90% of the fleet was destroyed).
            q, ashore = self.q, self.lodgment
            days = q.turn_days
            feed = (lift.port_lift(ashore.working_ports, per_port=q.per_port, turn_days=days)
                    + q.other_lift_turn)
            need = lift.sustainment_need(ashore.ashore, per_battalion=q.per_battalion,
                                         turn_days=days)
            if ashore.area == 0.0 or ashore.ashore < 1.0 or need > feed:
                return "repelled"
        return None

    def _at_horizon(self) -> str:
        """Score an undecided campaign where it stands (csis-fb-lodgment-scoring)."""
        ashore = self.lodgment
        if self._fallen():
            return "taiwan_fell"
        if ashore.area == 0.0 or ashore.ashore < 1.0:  # no lodgment at all: the landing failed
            return "repelled"
        if ashore.ports_held >= self.q.ports_toward_prc:
            return "stalemate_toward_prc"
        if self._fleet_gone():
            return "stalemate_against_prc"
        return "stalemate"

    def row(self, end_hours: float) -> tuple:
        return output.row(self)
