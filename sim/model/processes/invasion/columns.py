"""The campaign's output: its columns (name, type, meaning with units), those shown as
distributions, and the row read from the campaign's state at the end of a replication.

Why a module of its own: the column list is long and changes whenever a result is added; kept
apart, the process module reads as the mechanism and this one as the table's contract (the
order here is the order of the columns in a run's table).
"""

from __future__ import annotations

from sim.model.combat import lift, lodgment, losses
from sim.model.processes.invasion.params import CLASSES

# Troops aboard an amphibious ship sunk, per unit of lift weight: a turn's 16,000 troops over the
# 2026 fleet's weight of 95 (csis-invasion-timeline, lift.CLASS_WEIGHT), times the share of the
# load not yet delivered when it is sunk (assumption lift.SUNK_MIDWAY: half; the lift step credits
# the delivered half), checked against csis-fb-base-casualties' ~15,000 at sea.
TROOPS_PER_SHIP_WEIGHT = (lift.TROOPS_PER_TURN / lift.weighted_fleet(lift.FLEET_2026)
                          * (1.0 - lift.SUNK_MIDWAY))
MILESTONES = ("first_port", "fleet_half_sunk", "fleet_gone", "lodgment_destroyed")

COLUMNS = (
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
QUANTITIES = ("battalions_landed", "battalions_ashore", "amphibious_sunk", "escorts_sunk",
              "pla_major_ships_sunk", "lrasm_fired", "taiwan_battalions_lost",
              "pla_asm_fired", "us_carriers_lost", "us_surface_ships_lost",
              "us_aircraft_lost_ground", "us_aircraft_lost_carriers",
              "us_aircraft_lost_air", "us_aircraft_lost", "japan_ships_lost",
              "japan_aircraft_lost", "pla_aircraft_lost", "us_casualties",
              "japan_casualties", "jassm_er_fired", "taiwan_asm_fired", "area_held_km2",
              "taiwan_casualties", "pla_casualties_ashore", "pla_casualties_at_sea",
              *(f"amphibious_sunk_{c}" for c in CLASSES))


def row(camp) -> tuple:
    """Values of COLUMNS for an InvasionCampaign at the end of its replication (all empty if
    no landing happened)."""
    if camp.t0 is None:
        return (None,) * len(COLUMNS)
    fleet, allies, ashore, q = camp.fleet, camp.allies, camp.lodgment, camp.q
    sunk = fleet.start_total - fleet.left()
    escorts_sunk = fleet.escorts_start - fleet.escorts
    return (ashore.landed, ashore.ashore, sunk,
            sunk / fleet.start_total if fleet.start_total > 0.0 else 0.0,
            escorts_sunk, sunk + fleet.escorts_start - fleet.escorts, fleet.lrasm_fired,
            ashore.taiwan_lost, float(camp.turn),
            float(camp.decided_turn) if camp.decided_turn is not None else None,
            *_loss_row(camp, q, fleet, allies), *_lodgment_row(camp, q, fleet, ashore))


def _loss_row(camp, q, fleet, allies) -> tuple:
    """Allied and PLA losses: ships, aircraft (on the ground, aboard, in the air), casualties
    (labelled per-unit rates), missiles fired, the last air share, submarines back."""
    carriers = float(allies.carriers_start - allies.carriers)
    surface = float(allies.surface_start - allies.surface)
    ground_lost = allies.lost_on_ground(q, camp.eng.capacity)
    per_ship, per_aircraft = q.casualties_per_surface_ship, q.casualties_per_aircraft_air
    us_casualties = losses.casualties(
        {"carriers": carriers, "surface": surface, "air": allies.us_air_lost},
        {"carriers": q.casualties_per_carrier, "surface": per_ship, "air": per_aircraft})
    japan_casualties = losses.casualties(
        {"ships": float(allies.japan_ships_lost), "air": allies.japan_air_lost},
        {"ships": per_ship, "air": per_aircraft})
    return (float(allies.pla_asm_fired), carriers, surface, ground_lost, allies.us_aboard_lost,
            allies.us_air_lost, ground_lost + allies.us_aboard_lost + allies.us_air_lost,
            float(allies.japan_ships_lost), allies.japan_air_lost, allies.pla_air_lost,
            us_casualties, japan_casualties, fleet.jassm_er_fired, fleet.taiwan_asm_fired,
            allies.air_share, float(fleet.ssns_arrived))


def _lodgment_row(camp, q, fleet, ashore) -> tuple:
    """Area held, casualties ashore and at sea (labelled per-unit rates), milestones, ships
    sunk by class."""
    sunk = {c: n0 - n for c, n0, n in zip(CLASSES, fleet.start, fleet.ships)}
    at_sea = lodgment.troops_aboard(sunk, lift.CLASS_WEIGHT,
                                    troops_per_weight=TROOPS_PER_SHIP_WEIGHT)
    m = camp.milestones
    return (ashore.area, *ashore.casualties(q), at_sea,
            *(float(m[n]) if n in m else None for n in MILESTONES),
            *sunk.values())
