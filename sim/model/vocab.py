"""The model's fixed vocabulary: actors, their actions, the events those actions cause.

Scenario files choose *when* and *how likely* actors act; this module fixes *what* an action
does, so every scenario speaks the same language and a typo is caught at load time.
"""

from __future__ import annotations

ACTORS = ("prc", "us", "japan", "taiwan")
CAPITAL = {"us": "washington", "japan": "tokyo", "taiwan": "taipei", "prc": "beijing"}
CAPITALS = tuple(CAPITAL.values())
BROKER = "washington"  # aspi-no-trilateral-channel: the U.S. brokers Tokyo-Taipei contact

# The Taiwan Relations Act's definition (22 USC 3314(2)) takes in the main island and Penghu (the
# Pescadores); Kinmen, Matsu and Pratas fall outside it. (tra-definition, aspi-tra-coverage)
# The letter of the law, used when a scenario gives no ``actors.us.tra_coverage`` (the degree
# to which the U.S. answer treats each island as covered).
TRA_COVERED = {"penghu": 1.0, "kinmen": 0.0, "matsu": 0.0, "pratas": 0.0}

# action -> world events it causes at the moment of the decision. Events happen once per
# replication; a second cause of the same event changes nothing.
ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "prc": {
        "gray_zone_pressure": ("gray_zone_pressure",),
        # Gray-zone coercion below the armed-conflict line (aspi-gray-zone-likely,
        # aspi-gray-zone-definition): drills that rehearse a blockade (aspi-blockade-likely),
        # coast-guard boardings (csis-blockade-escalation-levels), cyber attacks on
        # infrastructure, economic measures (jp-takaichi-blockade); and standing down.
        "large_exercise": ("prc_exercise",),
        "coast_guard_pressure": ("coast_guard_boardings",),
        "cyber_attack": ("cyber_attack_infrastructure",),
        # Undersea cables to Taiwan cut (a channel may list the event in 'cut_by').
        "cut_cables": ("undersea_cables_cut",),
        "economic_coercion": ("economic_coercion",),
        "stand_down": ("prc_stood_down",),
        "prepare_invasion": ("invasion_preparations",),
        # Strikes on Taiwan and a landing put the many Japanese nationals there at risk, one of
        # Japan's survival indicators (jp-three-conditions).
        "strike_taiwan": ("strikes_on_taiwan", "japanese_nationals_at_risk"),
        # An invasion closes Taiwan's ports and the surrounding sea lanes (jp-takaichi-blockade).
        "invade": ("invasion", "sea_lanes_disrupted", "japanese_nationals_at_risk"),
        # An outer island cut off by the coast guard (a quarantine of the island); an assault
        # lands troops on it; the PRC may lift the siege or settle the island in talks
        # (island_garrison).
        "seize_island": ("island_seized",),
        "assault_island": ("island_assaulted",),
        "withdraw_from_island": ("island_siege_lifted",),
        "negotiate_island": ("island_talks",),
        "declare_quarantine": ("quarantine_declared",),
        "enforce_quarantine": ("quarantine_enforced",),
        # A military blockade disrupts the sea lanes Japan's trade uses (jp-takaichi-blockade).
        "military_blockade": ("military_blockade", "sea_lanes_disrupted"),
        "lift_blockade": ("blockade_lifted",),
        "sakishima_operations": ("sakishima_operations",),
        "strike_us_bases_japan": ("us_bases_japan_struck",),
        # Andersen, Guam: U.S. territory, not Japan's (destroys aircraft: air_basing).
        "strike_us_bases_guam": ("us_bases_guam_struck",),
        "strike_japan": ("japan_territory_attacked",),
        "attack_japanese_ships": ("japanese_ships_attacked",),
        "disrupt_sea_lanes": ("sea_lanes_disrupted",),
        "attack_us_forces": ("us_forces_attacked",),
        "threaten_japan": (),  # a message to Tokyo, see BUILTIN_MESSAGES
        "send": (),
    },
    "us": {
        "diplomatic_response": ("us_diplomatic_response",),
        "signal": ("us_signal",),
        "escort": ("us_escort",),
        "combat": ("us_combat_decided",),
        # Answers below the armed-conflict line (tra-no-mandate: coercion is a grave concern,
        # not a mandate to fight).
        "transit": ("us_transit",),
        "sanctions": ("us_sanctions",),
        # Support for a besieged island short of combat: ISR, airlift, ships present
        # (island_garrison).
        "support_island": ("us_island_support",),
        "send": (),
    },
    "japan": {
        "declare_important_influence": ("japan_important_influence",),
        "declare_anticipated_armed_attack": ("japan_anticipated_armed_attack",),
        "declare_survival_threatening": (),  # takes effect after the Diet approves
        "declare_armed_attack": ("japan_armed_attack",),
        # An armed attack judged clearly imminent is an armed-attack situation
        # (jp-situation-ladder): forces deploy to defend Japan; force waits for the attack.
        "declare_imminent_armed_attack": ("japan_armed_attack_imminent",),
        "grant_base_use": ("japan_base_use_granted",),
        "deny_base_use": ("japan_base_use_denied",),
        "heighten_surveillance": ("japan_surveillance",),  # aspi-tokyo-avoid-escalation
        "send": (),
    },
    "taiwan": {
        "mobilize": ("taiwan_mobilized",),
        "capitulate": ("taiwan_capitulated",),
        "raise_alert": ("taiwan_alert",),  # aspi-asymmetric-capabilities, aspi-taiwan-resilience
        # Taiwan's own answer to a seized island (island_garrison): reinforce it, escort its
        # supply ships, counterattack once it has fallen, or accept its loss.
        "reinforce_island": ("island_reinforced",),
        "resupply_island": ("island_resupply_escorted",),
        "retake_island": ("island_counterattack",),
        "accept_island_loss": ("island_loss_accepted",),
        "send": (),
    },
}

# Actions that send a fixed message: action -> (message, recipient). The PRC's threat over base
# use reaches Tokyo through the Beijing-Tokyo channel (aspi-prc-threat-over-bases).
BUILTIN_MESSAGES = {("prc", "threaten_japan"): ("prc_threat_to_japan", "japan")}

# Events the model itself causes (not chosen by a rule).
MODEL_EVENTS = (
    "start",                       # known to all at hour 0
    "us_combat",                   # U.S. forces engage (after arrival)
    "us_combat_from_japan",        # ... flying from bases in Japan
    "convoys_arriving",            # first escorted convoy reaches Taiwan
    "us_forces_withdrawn",         # War Powers clock ran out without authorization
    "japan_survival_threatening",  # after prior Diet approval
    "japan_diet_rejected",
    "lng_exhausted", "coal_exhausted", "oil_below_legal_minimum", "oil_exhausted",
    # War Powers (wpr-clock): the President's report, Congress's vote, the clock running out
    "war_powers_report",           # within 48 h of U.S. forces entering hostilities
    "congress_authorized",         # Congress votes to authorize: the clock stops
    "congress_refused",            # Congress votes and does not authorize
    "us_forces_withdrawing",       # the 60-day clock ran out unauthorized: withdrawal begins
    # An outer island's garrison (island_garrison): the island falls (the garrison gives up or
    # is overrun), an assault fails, a counterattack takes the island back.
    "island_fell", "island_assault_repulsed", "island_retaken",
)
# Events added with the gray-zone family (kept for reference: random streams are keyed by name,
# so adding events never moved other draws; see sim.model.streams).
LATE_EVENTS = ("prc_exercise", "coast_guard_boardings", "cyber_attack_infrastructure",
               "economic_coercion", "prc_stood_down", "us_transit", "us_sanctions",
               "japan_surveillance", "taiwan_alert")
# Coercion below the armed-conflict line, and the steps that leave it for another family
# (a quarantine or blockade, an island seizure, an invasion, attacks on forces or on Japan).
GRAY_ZONE_EVENTS = ("gray_zone_pressure", "prc_exercise", "coast_guard_boardings",
                    "cyber_attack_infrastructure", "economic_coercion", "undersea_cables_cut")
ESCALATION_EVENTS = ("quarantine_declared", "quarantine_enforced", "military_blockade",
                     "island_seized", "invasion_preparations", "strikes_on_taiwan", "invasion",
                     "us_bases_japan_struck", "japan_territory_attacked",
                     "japanese_ships_attacked", "us_forces_attacked", "us_bases_guam_struck")

# Facts that carry a value rather than "it happened", and the event that brings each.
EVENT_VALUES = {"island_seized": ("tra_covered_attack",)}
VALUE_FACTS = tuple(v for vs in EVENT_VALUES.values() for v in vs)

EVENTS: tuple[str, ...] = tuple(dict.fromkeys(
    [e for acts in ACTIONS.values() for evs in acts.values() for e in evs]
    + list(MODEL_EVENTS)))

# An attack on Japan's territory -- U.S. bases in Japan included -- is an armed attack on Japan
# (aspi-bases-struck-self-defense, csis-japan-base-case, jp-situation-ladder).
ATTACKS_ON_JAPAN = ("us_bases_japan_struck", "japan_territory_attacked")

# Strikes on U.S. air bases, by base region: they destroy aircraft on the ground (air_basing).
BASE_STRIKE_EVENTS = {"us_bases_japan_struck": "japan", "us_bases_guam_struck": "guam"}

# What a sender can put in a message besides what it knows (message field expressions only):
# a process's state at the moment of sending.
SENDER_STATE = {"prc": (), "us": (), "japan": (),
                "taiwan": ("stocks_days",)}  # coal left, in days of normal use (taiwan_energy)

# Names each actor can use in its rules besides events, messages and its own variables.
DERIVED = {
    # What the PRC perceives (engine.learn, prc_costs): the highest U.S. posture and Japanese
    # legal level it has observed, whether it has threatened Tokyo, its own costs and the time.
    "prc": ("us_posture_seen", "japan_level_seen", "threatened_japan", "costs", "days"),
    "us": ("resolve", "congress_expected", "posture"),
    "japan": ("survival_score", "survival_threshold", "level", "attack_imminent"),
    # Taiwan's own grid (taiwan_energy, weekly): 1 - electricity share (to 0.05), and whole
    # months (4 weeks) in a row the grid could not meet even the cut demand.
    # An island's garrison reports to Taipei each turn (island_garrison): the days until its
    # first vital stock runs out at the present rate, and its strength over its troops at the
    # start (1 before any seizure).
    "taiwan": ("will_to_resist", "help_expected", "power_shortfall",
               "shortfall_months", "island_stocks_days", "island_garrison_share"),
}

JAPAN_LEVELS = ("none", "important_influence", "anticipated_armed_attack",
                "survival_threatening", "armed_attack")  # jp-situation-ladder, in rising order
US_POSTURES = ("monitor", "signal", "escort", "combat")
US_POSTURE_OF_EVENT = {"us_signal": 1, "us_escort": 2, "us_combat_decided": 3, "us_combat": 3}
# The Japanese situation events and the level each announces (what the PRC can observe of it).
JAPAN_LEVEL_OF_EVENT = {"japan_" + lv: float(i) for i, lv in enumerate(JAPAN_LEVELS) if i}

# The invasion campaign's five come first, on CSIS's scale from Taiwan's worst to its best
# (csis-fb-victory-scoring, csis-fb-lodgment-scoring), so summaries read in that order.
OUTCOMES = ("taiwan_fell", "stalemate_toward_prc", "stalemate", "stalemate_against_prc",
            "repelled", "capitulation", "blockade_broken", "blockade_lifted", "fait_accompli",
            "island_returned", "island_held", "island_traded", "de_escalated",
            "coercion_persists", "ongoing")
TAIWAN_LOST = ("taiwan_fell", "capitulation")

# How each event is perceived: its kind sets which detection delay an observer draws (the
# scenario's ``perception.<observer>.delay_hours``, else ``detection_delay_hours``).
# public: announced or plain to all (declarations, statements, shortages); movement: forces seen
# moving (exercises, boardings, a blockade, a landing); covert: preparations meant to stay hidden
# (csis-invasion-timeline: invasion preparations are ambiguous before they are unmistakable) and
# cyber attacks; strike: missiles and attacks, seen at once by the one struck.
DETECTION_KINDS = ("public", "movement", "covert", "strike")
_KIND_EVENTS = {
    "movement": ("gray_zone_pressure", "prc_exercise", "coast_guard_boardings", "invasion",
                 "sea_lanes_disrupted", "island_seized", "quarantine_enforced",
                 "military_blockade", "sakishima_operations", "us_escort", "us_transit",
                 "us_combat", "us_combat_from_japan", "convoys_arriving", "japan_surveillance",
                 "taiwan_mobilized", "island_assaulted", "island_reinforced",
                 "island_resupply_escorted", "island_counterattack", "us_island_support",
                 "island_siege_lifted"),
    "covert": ("invasion_preparations", "cyber_attack_infrastructure"),
    "strike": ("strikes_on_taiwan", "us_bases_japan_struck", "japan_territory_attacked",
               "japanese_ships_attacked", "us_forces_attacked", "us_bases_guam_struck"),
}
EVENT_KIND = {e: next((k for k, evs in _KIND_EVENTS.items() if e in evs), "public")
              for e in EVENTS}
