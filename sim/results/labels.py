"""Human labels and one-line meanings for every outcome, indicator, ladder step and column.

One table of words, so the summary, the report, the figures and ``straitsim outcomes`` say
"de-escalated" and "Japan: important influence" the same way everywhere. The model's names come
from :mod:`sim.model.vocab` and :mod:`sim.model.outcome`; a name this module does not know (a
column a newer model adds) falls back to the raw name, so results never fail over a label.
"""

from __future__ import annotations

# outcome -> (label, meaning). Meanings follow the scenario reference, section 11.
OUTCOMES: dict[str, tuple[str, str]] = {
    "taiwan_fell": ("Taiwan fell", "The invasion campaign's battalions ashore outnumbered "
                                   "Taiwan's with ports held: Taiwan lost."),
    "stalemate": ("stalemate", "The invasion campaign ended undecided: a lodgement held, the "
                               "amphibious fleet still sailing, few ports taken."),
    "repelled": ("invasion repelled", "The invasion campaign sank the amphibious fleet and the "
                                      "lodgment could not be supplied."),
    "capitulation": ("capitulation", "Taiwan's government gave in (the capitulate "
                                           "action): Taiwan lost."),
    "blockade_broken": ("blockade broken", "Energy ships kept arriving at break_share of "
                                           "normal for break_weeks weeks in a row, with no "
                                           "invasion and no U.S. withdrawal."),
    "blockade_lifted": ("blockade lifted", "The PRC lifted the blockade before any invasion."),
    "fait_accompli": ("fait accompli", "A seized island fell and stayed taken: Taiwan accepted "
                                       "the loss, or the PRC still held it at the horizon."),
    "island_returned": ("island returned", "A seized island fell and came back: retaken, or "
                                           "the PRC withdrew."),
    "island_held": ("island held", "The garrison held: the PRC lifted the siege, or the island "
                                   "still stood at the horizon."),
    "island_traded": ("island traded in talks", "A seized island fell and the PRC settled it "
                                                "in talks."),
    "de_escalated": ("de-escalated", "The PRC stood down before any escalation (no quarantine, "
                                     "blockade, seizure, invasion, strike or attack)."),
    "coercion_persists": ("coercion persists", "Still going at the horizon: gray-zone coercion "
                                               "had begun and never escalated."),
    "ongoing": ("still going at the horizon", "Nothing was decided by horizon_days."),
    "stalemate_against_prc": ("stalemate, trending against the PRC", "The invasion campaign "
                              "ended undecided with the amphibious fleet gone and fewer ports "
                              "held than a stalemate toward the PRC needs."),
    "stalemate_toward_prc": ("stalemate, trending toward the PRC", "The invasion campaign "
                             "ended undecided with the PLA holding ports_toward_prc ports or "
                             "airfields or more."),
}
# Outcomes recorded when the horizon came with nothing decided: their end_day is the horizon,
# not a day on which anything happened.
UNDECIDED = ("ongoing", "coercion_persists")

# boolean indicator column -> (label, meaning)
INDICATORS: dict[str, tuple[str, str]] = {
    "taiwan_held": ("Taiwan held", "Taiwan neither fell nor capitulated (true for a crisis "
                                   "still going at the horizon)."),
    "us_intervened": ("U.S. entered combat", "U.S. forces engaged in combat."),
    "bases_used": ("U.S. combat from bases in Japan", "U.S. combat operations flew from bases "
                                                      "in Japan."),
    "japan_struck": ("Japan struck", "Japanese territory or U.S. bases in Japan were struck."),
    "japan_threatened": ("PRC threat reached Tokyo", "The PRC's threat over base use reached "
                                                     "Tokyo."),
    "taiwan_capitulated": ("Taiwan capitulated", "Taiwan capitulated."),
    "escalated_to_war": ("Escalated to war", "Outside the invasion family: strikes, an "
                                             "invasion, attacks on U.S. forces or on Japan, or "
                                             "U.S. combat happened."),
    "island_assaulted": ("island assaulted", "The PRC landed troops on the besieged island."),
    "escalated_to_invasion": ("Blockade became an invasion", "The blockade became an "
                                                             "invasion: a landing on Taiwan."),
    "japan_diet_rejected": ("Diet refused approval", "The Diet refused prior approval of a "
                                                     "survival-threatening situation."),
}

# Japan's legal ladder (jp-situation-ladder), in rising order.
JAPAN_LEVELS: dict[str, tuple[str, str]] = {
    "none": ("Japan: no situation", "Japan recognised no legal situation."),
    "important_influence": ("Japan: important influence", "A situation with an important "
                            "influence on Japan's peace and security: rear-area support only."),
    "anticipated_armed_attack": ("Japan: anticipated armed attack", "An armed attack on Japan "
                                 "is anticipated: forces may deploy, not fight."),
    "survival_threatening": ("Japan: survival-threatening", "A survival-threatening situation "
                             "(collective self-defence), after the Diet's approval."),
    "armed_attack": ("Japan: armed attack", "Japan was attacked: individual self-defence."),
}
US_POSTURES: dict[str, tuple[str, str]] = {
    "monitor": ("U.S.: monitor", "The United States watched and spoke, nothing more."),
    "signal": ("U.S.: signal", "The United States signalled (deployments, statements)."),
    "escort": ("U.S.: escort", "U.S. forces escorted convoys to Taiwan."),
    "combat": ("U.S.: combat", "The United States decided on combat."),
}
# day columns the summaries read -> label (their meanings are the column descriptions)
DAYS: dict[str, str] = {
    "us_intervention_day": "U.S. combat",
    "japan_important_influence_day": "Japan: important influence",
    "japan_anticipated_armed_attack_day": "Japan: anticipated armed attack",
    "japan_survival_threatening_day": "Japan: survival-threatening",
    "japan_armed_attack_day": "Japan: armed attack",
    "taiwan_capitulation_day": "Taiwan capitulation",
    "end_day": "Outcome decided",
}
DAY_MEANINGS = {"end_day": "Day the outcome was decided; only replications that ended before "
                           "the horizon count (those still going are shown apart)."}
# other numeric columns a user may ask to compare or sweep (``--column``)
COLUMNS: dict[str, str] = {
    "tokyo_taipei_first_contact_hours": "Tokyo-Taipei first contact (hours)",
    "tokyo_taipei_message_hours": "Tokyo-Taipei message transit (hours)",
    "us_resolve": "U.S. resolve (draw)",
    "us_resolve_end": "U.S. resolve (end)",
    "japan_survival_score": "Japan's survival-threat score",
    "japan_survival_threshold": "Japan's survival threshold (draw)",
    "lng_days_left": "LNG left (days of use)",
    "coal_days_left": "coal left (days of use)",
    "oil_days_left": "crude oil left (days of use)",
    "lowest_electricity_share": "lowest weekly electricity (share of normal)",
    "weeks_below_half_power": "weeks with electricity below half of normal",
    "weeks_energy_through": "longest run of weeks with energy getting through",
    "lowest_grid_share": "lowest weekly grid capacity in service (share)",
    "weeks_grid_damaged": "weeks with part of the grid out of service",
    "invasion_preparations_day": "day invasion preparations began",
    "us_air_share": "U.S. air power left (share)",
    "us_air_share_at_engagement": "U.S. air power left at engagement (share)",
    "turn_first_port": "turn of the first port taken",
    "turn_fleet_half_sunk": "turn half the amphibious fleet was sunk",
    "turn_fleet_gone": "turn the amphibious fleet was gone",
    "turn_lodgment_destroyed": "turn the lodgment was destroyed",
}
# Losses and other counted quantities -> label (with units). ``summarize``, the figures and the
# report show each as a distribution (10th, 50th, 90th percentile with intervals). Which columns
# are such quantities is said by their process, in ``Process.quantities``
# (sim/model/processes/base.py); a marked column without a label here shows its raw name.
QUANTITIES: dict[str, str] = {
    "garrison_losses": "island garrison's troops lost (count)",
    "pla_losses_island": "PLA troops lost at the island (count)",
    "island_supply_days": "supply delivered to the island (days of use)",
    "battalions_landed": "PLA battalions landed (count)",
    "gdp_loss_pct": "Taiwan's GDP lost (% of a year's GDP)",
    "battalions_ashore": "PLA battalions ashore at the end (count)",
    "amphibious_sunk": "PLA amphibious ships sunk (count)",
    "escorts_sunk": "PLA escorts sunk (count)",
    "pla_major_ships_sunk": "PLA major ships sunk (count)",
    "lrasm_fired": "LRASM fired (missiles)",
    "taiwan_battalions_lost": "Taiwanese battalions lost (count)",
    "aircraft_lost_japan": "U.S. aircraft lost on the ground in Japan (count)",
    "aircraft_lost_guam": "U.S. aircraft lost on the ground on Guam (count)",
    "pla_asm_fired": "PLA anti-ship missiles fired (missiles)",
    "us_carriers_lost": "U.S. carriers lost (count)",
    "us_surface_ships_lost": "Other major U.S. surface ships lost (count)",
    "us_aircraft_lost_ground": "U.S. aircraft lost on the ground (count)",
    "us_aircraft_lost_carriers": "U.S. aircraft lost aboard carriers (count)",
    "us_aircraft_lost_air": "U.S. aircraft lost in the air (count)",
    "us_aircraft_lost": "U.S. aircraft lost in all (count)",
    "japan_ships_lost": "Japanese ships lost (count)",
    "japan_aircraft_lost": "Japanese aircraft lost (count)",
    "pla_aircraft_lost": "PLA aircraft lost (count)",
    "us_casualties": "U.S. casualties (people)",
    "japan_casualties": "Japanese casualties (people)",
    "area_held_km2": "Area the PLA holds on Taiwan (km²)",
    "taiwan_casualties": "Taiwanese army casualties (people)",
    "pla_casualties_ashore": "PLA casualties ashore (people)",
    "pla_casualties_at_sea": "PLA troops lost at sea (people)",
    "amphibious_sunk_lst": "PLA LST sunk (count)",
    "amphibious_sunk_lhd_lpd": "PLA LHD/LPD sunk (count)",
    "amphibious_sunk_lsm": "PLA LSM sunk (count)",
    "amphibious_sunk_roro": "PLA RO-RO ships sunk (count)",
    "jassm_er_fired": "JASSM-ER fired at ships (missiles)",
    "taiwan_asm_fired": "Taiwanese anti-ship missiles fired (missiles)",
}
# The shipping process's ships by type (issue 13): sailed, arrived, sunk, seized.
QUANTITIES.update({f"ships_{k}_{t}": f"{name} {k} (ships)" for t, name in (
    ("lng", "LNG carriers"), ("coal", "coal carriers"), ("oil", "tankers"),
    ("container", "container ships")) for k in ("sailed", "arrived", "sunk", "seized")})

SECTIONS = {"outcomes": OUTCOMES, "indicators": INDICATORS, "japan_level": JAPAN_LEVELS,
            "us_posture": US_POSTURES}


def label(name: str, section: str | None = None) -> str:
    """The human label of ``name`` (in ``section`` if given), or the raw name if unknown."""
    tables = [SECTIONS[section]] if section in SECTIONS else list(SECTIONS.values())
    for t in tables:
        if name in t:
            return t[name][0]
    if name in DAYS:
        return DAYS[name]
    if name in QUANTITIES:
        return QUANTITIES[name]
    return COLUMNS.get(name, name)


def meaning(name: str, section: str | None = None) -> str:
    """One-line meaning of ``name``; for plain columns the description stored with the table;
    empty when unknown."""
    tables = [SECTIONS[section]] if section in SECTIONS else list(SECTIONS.values())
    for t in tables:
        if name in t:
            return t[name][1]
    return column_descriptions().get(name, "")


def column_descriptions() -> dict[str, str]:
    """Column name -> description, from the model's column list (empty if it has none)."""
    try:
        from sim.model.outcome import COLUMNS as MODEL_COLUMNS
    except ImportError:  # a model being rewritten may move it; labels must not break
        return {}
    return {c[0]: c[-1] for c in MODEL_COLUMNS if len(c) >= 2}


def glossary() -> list[dict]:
    """Every outcome, indicator, ladder step and posture the model declares today, then the
    day columns, each with its label and meaning; in the order the summary lists them."""
    from sim.model import vocab
    declared = {"outcomes": getattr(vocab, "OUTCOMES", tuple(OUTCOMES)),
                "japan_level": getattr(vocab, "JAPAN_LEVELS", tuple(JAPAN_LEVELS)),
                "us_posture": getattr(vocab, "US_POSTURES", tuple(US_POSTURES))}
    rows = []
    for section, title in (("outcomes", "outcome"), ("indicators", "indicator"),
                           ("japan_level", "Japan's highest legal situation"),
                           ("us_posture", "U.S. highest posture")):
        names = declared.get(section, tuple(SECTIONS[section]))
        for name in names:
            rows.append({"section": section, "kind": title, "name": name,
                         "label": label(name, section), "meaning": meaning(name, section)})
    docs = column_descriptions()
    for name, lab in DAYS.items():
        text = DAY_MEANINGS.get(name) or docs.get(name, "")
        rows.append({"section": "days", "kind": "day of ...", "name": name, "label": lab,
                     "meaning": text})
    return rows


def short_labels(paths) -> dict[str, str]:
    """Each path's shortest dotted suffix that no other path ends with: ``base_use.probability``
    and ``quarantine.probability``, not ``probability`` twice."""
    out = {}
    for path in paths:
        parts = path.split(".")
        others = [o.split(".") for o in paths if o != path]
        for k in range(1, len(parts) + 1):
            tail = parts[-k:]
            if not any(o[-k:] == tail for o in others):
                break
        out[path] = ".".join(parts[-k:])
    return out
