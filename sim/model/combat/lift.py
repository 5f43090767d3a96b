"""The PLA's lift across the strait: battalions that can cross each turn, by ship class, less
what the battalions already ashore need, plus what captured ports add.

What CSIS gives (csis-fb-lift-model): lift is a tonnage that can cross in a 3.5-day turn;
units already ashore are supplied from the same lift, so fewer new units cross; lift falls
as major ships are sunk; captured ports and airfields let merchant ships and cargo aircraft in.
Its 2026 fleet is 28 LST, 18 LHD/LPD, 20 LSM and 30 large civilian RO-RO ships, served by 305
landing craft (csis-fb-lift-fleet-2026); the fleet puts about 8,000 troops ashore on D-day
and 16,000 more each 3.5-day turn after that (csis-invasion-timeline); a battalion is about
1,000 people with its support (csis-fb-battalion-size). Worse offloading (Falklands rates) cuts
lift by 30%; a cyber attack on ports by 20% for one turn (csis-fb-lift-excursions).

What CSIS does not give in its text, so these are our assumptions (to become YAML, each with
its reason), in "battalion-lifts": the lift it takes to move one battalion across once.
- ``CLASS_WEIGHT``: relative lift per ship by class (LHD/LPD 1.5, LST 1, RO-RO 1, LSM 0.5).
  A dock or helicopter ship carries more than a tank landing ship, a medium landing ship less,
  a RO-RO ferry about as much as an LST but only through landing craft. The weights only share
  out the published total; the full 2026 fleet always lifts 16 battalions a turn.
- the lift is the smaller of the ships' share left and the landing craft's share left
  (the craft carry the loads from ships anchored offshore to the beach).
- ``SUSTAINMENT_PER_BATTALION`` = 0.2: each battalion ashore needs a fifth of a battalion-lift
  of supplies per 3.5-day turn.
- ``PORT_LIFT`` = 4 per working captured port or airfield per turn: four such facilities move
  as much as the whole amphibious fleet, which is why CSIS scores more than three of them as
  a stalemate trending toward China (csis-fb-lodgment-scoring).
- ``AIR_AND_SMALL_CRAFT_LIFT`` = 1 per turn: airdrop, helicopters and small boats that still
  feed a lodgment once the amphibious fleet is gone (csis-fb-lodgment-scoring: small forces fed
  by airdrop and small boats).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from sim.errors import ModelError
from sim.model.combat import _checks as chk

# csis-fb-lift-fleet-2026
FLEET_2026 = {"lst": 28.0, "lhd_lpd": 18.0, "lsm": 20.0, "roro": 30.0}
LANDING_CRAFT_2026 = 305.0
# csis-invasion-timeline; csis-fb-battalion-size
TROOPS_D_DAY = 8_000.0
TROOPS_PER_TURN = 16_000.0
TROOPS_PER_BATTALION = 1_000.0
RULE_TURN_DAYS = 3.5
# csis-fb-lift-excursions: multipliers on lift
FALKLANDS_OFFLOAD_FACTOR = 0.70
CYBER_PORT_FACTOR = 0.80
# Assumptions (see the module docstring for the reasons).
CLASS_WEIGHT = {"lst": 1.0, "lhd_lpd": 1.5, "lsm": 0.5, "roro": 1.0}
SUSTAINMENT_PER_BATTALION = 0.2
PORT_LIFT = 4.0
AIR_AND_SMALL_CRAFT_LIFT = 1.0
# Assumption: the salvos and submarines of a turn strike through it, not at its start, so a ship
# sunk during a turn is sunk on average half-way through: it has delivered half a turn's load and
# loses the other half with it (fleet_during_turn; the casualties at sea count the same half).
SUNK_MIDWAY = 0.5


class LiftTurn(NamedTuple):
    """One turn of lift, in battalion-lifts (and battalions)."""
    capacity: float           # sea lift + ports + air and small craft
    sustainment_need: float   # what the battalions ashore need this turn
    supplied_share: float     # share of that need met, in [0, 1]
    new_battalions: float     # battalions that cross this turn


def troops_to_battalions(troops: float) -> float:
    """Troops as battalions of ~1,000 people (csis-fb-battalion-size): 16,000 -> 16."""
    return chk.count("troops", troops) / TROOPS_PER_BATTALION


def weighted_fleet(fleet: Mapping[str, float],
                   weights: Mapping[str, float] = CLASS_WEIGHT) -> float:
    """Sum of ships x class weight (assumption ``CLASS_WEIGHT``): 2026's fleet gives
    28 x 1 + 18 x 1.5 + 20 x 0.5 + 30 x 1 = 28 + 27 + 10 + 30 = 95. A class with no weight
    is an error, not a silent zero."""
    total = 0.0
    for cls, n in fleet.items():
        if cls not in weights:
            raise ModelError(f"no lift weight for ship class {cls!r} "
                                 f"(known: {sorted(weights)})")
        total += chk.count_of("fleet", cls, n) * chk.count_of("weights", cls, weights[cls])
    return total


_FULL_2026 = weighted_fleet(FLEET_2026, CLASS_WEIGHT)  # 95: lift_fraction's default start


def lift_fraction(fleet: Mapping[str, float], landing_craft: float | None = None, *,
                  start: Mapping[str, float] = FLEET_2026,
                  start_landing_craft: float = LANDING_CRAFT_2026,
                  weights: Mapping[str, float] = CLASS_WEIGHT) -> float:
    """Share of the starting lift left, in [0, 1]: the weighted ships left over the weighted
    ships at the start (csis-fb-lift-model: lift falls as major ships are sunk), or the
    landing craft left over those at the start if smaller (assumption). Losing all 18 LHD/LPD
    leaves (95 - 27) / 95 = 0.716."""
    # The 2026 fleet's weight is a constant (computed once below); others are summed here.
    full = (_FULL_2026 if start is FLEET_2026 and weights is CLASS_WEIGHT
            else weighted_fleet(start, weights))
    ships = min(1.0, weighted_fleet(fleet, weights) / full) if full > 0.0 else 0.0
    if landing_craft is None:
        return ships
    craft = chk.count("landing_craft", landing_craft)
    base = chk.positive("start_landing_craft", start_landing_craft)
    return min(ships, craft / base, 1.0)


def sea_lift(turn: int, fraction: float, *, offload_factor: float = 1.0,
             turn_days: float = RULE_TURN_DAYS) -> float:
    """Battalions the amphibious fleet can move in campaign turn ``turn`` (1 = the turn of the
    landing): 8 in turn 1 (D-day's 8,000 troops), then 16 per 3.5 days (csis-invasion-timeline),
    times the share of lift left and an offload factor (0.7 at Falklands rates, 0.8 in a turn
    of cyber attack on ports; csis-fb-lift-excursions). Turn 3 with 60% of lift: 16 x 0.6 = 9.6."""
    t = chk.whole("turn", turn)
    if t == 0:
        raise ModelError("turn (0) must be 1 or more: turn 1 is the turn of the landing")
    frac = chk.probability("fraction", fraction)
    factor = chk.count("offload_factor", offload_factor)
    if t == 1:
        full = troops_to_battalions(TROOPS_D_DAY)
    else:
        full = troops_to_battalions(TROOPS_PER_TURN) * chk.positive("turn_days", turn_days) \
            / RULE_TURN_DAYS
    return full * frac * factor


def port_lift(working_ports: float, *, per_port: float = PORT_LIFT,
              turn_days: float = RULE_TURN_DAYS) -> float:
    """Battalion-lifts a turn through captured ports and airfields that work (assumption
    ``PORT_LIFT``, 4 each per 3.5 days; csis-fb-lift-model says they add throughput, not how
    much). Damaged or denied facilities count as not working. Two ports: 2 x 4 = 8."""
    return (chk.count("working_ports", working_ports) * chk.count("per_port", per_port)
            * chk.positive("turn_days", turn_days) / RULE_TURN_DAYS)


def sustainment_need(battalions_ashore: float, *,
                     per_battalion: float = SUSTAINMENT_PER_BATTALION,
                     turn_days: float = RULE_TURN_DAYS) -> float:
    """Battalion-lifts of supply the battalions ashore need this turn (assumption: 0.2 each
    per 3.5 days; csis-fb-lift-model: they are fed from the same lift). 30 ashore: 6."""
    return (chk.count("battalions_ashore", battalions_ashore)
            * chk.count("per_battalion", per_battalion)
            * chk.positive("turn_days", turn_days) / RULE_TURN_DAYS)


def fleet_during_turn(start: Mapping[str, float], end: Mapping[str, float], *,
                      delivered_share: float = SUNK_MIDWAY) -> dict[str, float]:
    """The fleet that carries a turn's lift, by class: the ships afloat at its end plus
    ``delivered_share`` of those sunk during it (assumption ``SUNK_MIDWAY``: sunk on average
    half-way through the turn, a ship delivers half a load; the other half is lost with it).
    Why: the salvos and submarines are resolved before the lift step, and without this a ship
    sunk in a turn would carry nothing that turn. 10 LST at the start, 6 at the end:
    6 + 0.5 x 4 = 8 carry; none sunk: the fleet unchanged."""
    share = chk.probability("delivered_share", delivered_share)
    out = {}
    for cls, n0 in start.items():
        n1 = chk.count_of("end", cls, end.get(cls, 0.0))
        sunk = chk.count_of("start", cls, n0) - n1
        if sunk < -1e-9:
            raise ModelError(f"fleet_during_turn: {cls} has more ships at the end ({n1}) than "
                             f"at the start ({n0})")
        out[cls] = n1 + share * max(0.0, sunk)
    return out


def lift_turn(turn: int, fleet: Mapping[str, float], battalions_ashore: float, *,
              landing_craft: float | None = None, working_ports: float = 0.0,
              offload_factor: float = 1.0, other_lift: float = AIR_AND_SMALL_CRAFT_LIFT,
              battalions_waiting: float = math.inf,
              per_battalion: float = SUSTAINMENT_PER_BATTALION, per_port: float = PORT_LIFT,
              turn_days: float = RULE_TURN_DAYS) -> LiftTurn:
    """One turn of lift: capacity = sea lift + ports + air and small craft; the battalions
    ashore are fed first (csis-fb-lift-model), what is left carries new battalions (at most
    ``battalions_waiting``). ``per_battalion`` and ``per_port`` as in sustainment_need and
    port_lift (the campaign passes its scenario's values).

    Worked example, turn 3, 60% of the fleet's lift left, 20 ashore, no port:
    capacity = 16 x 0.6 + 0 + 1 = 10.6; need = 20 x 0.2 = 4; new = 10.6 - 4 = 6.6.
    With no ships left and 30 ashore: capacity 1, need 6, supplied 1/6, nothing crosses."""
    capacity = (sea_lift(turn, lift_fraction(fleet, landing_craft), offload_factor=offload_factor,
                         turn_days=turn_days)
                + port_lift(working_ports, per_port=per_port, turn_days=turn_days)
                + chk.count("other_lift", other_lift) * turn_days / RULE_TURN_DAYS)
    need = sustainment_need(battalions_ashore, per_battalion=per_battalion, turn_days=turn_days)
    supplied = 1.0 if need <= capacity else capacity / need
    waiting = float(battalions_waiting)
    if not waiting >= 0.0:
        raise ModelError(f"battalions_waiting ({battalions_waiting!r}) must be >= 0")
    new = min(waiting, max(0.0, capacity - need))
    return LiftTurn(capacity, need, supplied, new)
