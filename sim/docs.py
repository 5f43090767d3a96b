"""The reference tables of docs/scenario-reference.md, rendered from the live code.

The vocabulary (``sim.model.vocab``), the schema (``sim.config.schema``) and the output columns
(``sim.model.outcome``) are the truth. This module turns them into markdown tables and writes each
one between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->`` in the
reference. The hand-written notes below say what the model does with each name. Rendering fails
when the code has a name with no note or a note names something the code no longer has, so a
change to the vocabulary or the schema cannot leave the reference silently behind;
``tests/test_docs.py`` compares the file with a fresh rendering.

    python -m sim.docs [path/to/scenario-reference.md] [--check]
"""

from __future__ import annotations

import functools
import re
import sys
import typing
from pathlib import Path

from pydantic import AfterValidator, BaseModel

from sim.config import schema as S
from sim.errors import SimError
from sim.model import vocab as V
from sim.model.outcome import COLUMNS, OWNER

REFERENCE = Path("docs/scenario-reference.md")


class DocsError(SimError):
    """The notes and the code disagree, or the reference's markers are broken."""


def _check(keys, notes: dict, what: str) -> None:
    keys = list(keys)
    missing = [k for k in keys if k not in notes]
    stale = [k for k in notes if k not in set(keys)]
    if missing or stale:
        raise DocsError(f"{what}: no note for {missing}; notes for names the code does not "
                        f"have: {stale}")


def _table(header: tuple[str, ...], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["|" + "|".join(f" {c} " if c else " " for c in cells) + "|" for cells in rows]
    return "\n".join(lines)


def _code(names) -> str:
    return ", ".join(f"`{n}`" for n in names)


# --- actions and events -----------------------------------------------------------------------

ACTION_NOTES = {
    ("prc", "gray_zone_pressure"): "Coercion below the armed-conflict line (section 11, "
                                   "Gray zone).",
    ("prc", "large_exercise"): "Gray-zone coercion (section 11).",
    ("prc", "coast_guard_pressure"): "Gray-zone coercion (section 11).",
    ("prc", "cyber_attack"): "Gray-zone coercion (section 11).",
    ("prc", "economic_coercion"): "Gray-zone coercion (section 11).",
    ("prc", "cut_cables"): "Cuts every channel whose `cut_by` lists `undersea_cables_cut`; "
                           "nothing else.",
    ("prc", "stand_down"): "Ends the crisis as `de_escalated` if it never left the gray zone "
                           "(no event of `vocab.ESCALATION_EVENTS`); otherwise nothing happens.",
    ("prc", "prepare_invasion"): "",
    ("prc", "strike_taiwan"): "",
    ("prc", "invade"): "Starts the invasion campaign (section 11). Shipping to Taiwan runs the "
                       "threats of a military blockade (section 10).",
    ("prc", "seize_island"): "Cuts the target island off (a coast-guard quarantine of it). The "
                             "event carries `tra_covered_attack` (section 5). Starts the "
                             "island's garrison turns (section 11, Outer islands).",
    ("prc", "assault_island"): "Lands `assault_troops` on the besieged island; fighting counts "
                               "from the next garrison turn. Nothing once it has fallen.",
    ("prc", "withdraw_from_island"): "Lifts the siege: `island_held` if the island still holds, "
                                     "`island_returned` after a fall (unless the crisis has "
                                     "grown into a blockade or an invasion).",
    ("prc", "negotiate_island"): "Settles the island in talks: `island_traded` after a fall, "
                                 "`island_held` before (unless the crisis has grown into a "
                                 "blockade or an invasion).",
    ("prc", "declare_quarantine"): "",
    ("prc", "enforce_quarantine"): "Starts the shipping and energy weeks (section 10): the "
                                   "coast guard boards and seizes unescorted ships.",
    ("prc", "military_blockade"): "Adds submarines and mines to every transit (section 10).",
    ("prc", "lift_blockade"): "Ends the crisis as `blockade_lifted`, unless an invasion has begun.",
    ("prc", "sakishima_operations"): "",
    ("prc", "strike_us_bases_japan"): "An attack on Japan: starts Japan's armed-attack "
                                      "recognition (section 8). Destroys U.S. aircraft on the "
                                      "ground in Japan (section 9).",
    ("prc", "strike_us_bases_guam"): "Destroys U.S. aircraft on the ground on Guam (section 9). "
                                     "Not an attack on Japan.",
    ("prc", "strike_japan"): "An attack on Japan: starts Japan's armed-attack recognition "
                             "(section 8).",
    ("prc", "attack_japanese_ships"): "",
    ("prc", "disrupt_sea_lanes"): "",
    ("prc", "attack_us_forces"): "",
    ("prc", "threaten_japan"): "Sends the built-in message `prc_threat_to_japan` to Japan, "
                               "whether taken as `action` or as `otherwise`. Such a rule may "
                               "not set `message` or `to`.",
    ("prc", "send"): "Sends the rule's `message` to each actor in `to`.",
    ("us", "diplomatic_response"): "Leaves `posture` unchanged.",
    ("us", "signal"): "Raises `posture` to 1.",
    ("us", "escort"): "Raises `posture` to 2. The first convoy arrives "
                      "`ship.convoy_assembly_hours` later. Only the first escort decision "
                      "counts.",
    ("us", "combat"): "Raises `posture` to 3. Forces engage (`us_combat`) after "
                      "`force_arrival_hours` (section 9). Only the first combat decision counts.",
    ("us", "transit"): "A show of presence below the armed-conflict line. Leaves `posture` "
                       "unchanged.",
    ("us", "sanctions"): "Economic countermeasures. Leaves `posture` unchanged.",
    ("us", "support_island"): "ISR for the garrison, airlift and ships present (fewer "
                              "boardings), short of combat (section 11, Outer islands). Leaves "
                              "`posture` unchanged.",
    ("us", "send"): "Sends the rule's `message` to each actor in `to`.",
    ("japan", "declare_important_influence"): "Level 1, if Japan is below it; otherwise nothing "
                                              "happens.",
    ("japan", "declare_anticipated_armed_attack"): "Level 2, if Japan is below it; otherwise "
                                                   "nothing happens.",
    ("japan", "declare_survival_threatening"): "No event at once: the Cabinet asks the Diet "
                                               "(section 8). Refused while `survival_score` is "
                                               "below `survival_threshold`; the rule then goes "
                                               "back to waiting.",
    ("japan", "declare_armed_attack"): "Level 4 at once, if Japan knows of an attack on Japan. "
                                       "Otherwise refused, and the rule goes back to waiting.",
    ("japan", "declare_imminent_armed_attack"): "An armed attack clearly imminent: sets "
                                                "`attack_imminent`, deploys every role "
                                                "(section 8), offers those needing no force; "
                                                "`level` is unchanged and force waits for an "
                                                "attack. Once only; nothing after level 4.",
    ("japan", "grant_base_use"): "",
    ("japan", "deny_base_use"): "Does not undo a grant: base use already granted stays granted.",
    ("japan", "heighten_surveillance"): "Warning and surveillance, short of any legal "
                                        "situation; `level` is unchanged.",
    ("japan", "send"): "Sends the rule's `message` to each actor in `to`.",
    ("taiwan", "mobilize"): "Brings Taiwan's reserve battalions into the invasion campaign if "
                            "it happens no later than the landing.",
    ("taiwan", "capitulate"): "Ends the crisis as `capitulation`.",
    ("taiwan", "raise_alert"): "Coast-guard, cyber and civil-defence alert short of "
                               "mobilization; not counted as `taiwan_mobilized`.",
    ("taiwan", "send"): "Sends the rule's `message` to each actor in `to`.",
    ("taiwan", "reinforce_island"): "Sends `reinforcement_troops` by sea (never boarded; fired "
                                    "on under an assault); they land at the next garrison turn.",
    ("taiwan", "resupply_island"): "Escorts the island's supply ships from the next turn: "
                                   "never boarded, losses to fire cut by the escorts.",
    ("taiwan", "retake_island"): "Counterattacks a fallen island with `retake_troops` "
                                 "(section 11, Outer islands).",
    ("taiwan", "accept_island_loss"): "Ends the crisis as `fait_accompli` if the island has "
                                      "fallen (unless it has grown into a blockade or an "
                                      "invasion).",
}

MODEL_EVENT_NOTES = {
    "start": "Known to every actor at hour 0. Use `when: start` for a first move.",
    "us_combat": "U.S. forces engage, the arrival time after `us_combat_decided`. Caused by the "
                 "U.S.",
    "us_combat_from_japan": "Both `us_combat` and `japan_base_use_granted` have happened, in "
                            "either order. Caused by the U.S.",
    "convoys_arriving": "The first escorted convoy reaches Taiwan, "
                        "`convoy_assembly_hours` after `us_escort`; from then merchants sail in "
                        "convoys (section 10). Caused by the U.S.",
    "us_forces_withdrawn": "The War Powers withdrawal is complete: "
                           "`war_powers_withdrawal_days` after `us_forces_withdrawing`, unless "
                           "Congress authorized meanwhile (section 9). Caused by the U.S.",
    "war_powers_report": "The President reports to Congress, `war_powers_report_hours` (at most "
                         "48) after `us_combat` (section 9). Caused by the U.S.",
    "congress_authorized": "Congress votes to authorize the war, `congress_vote_days` after "
                           "`war_powers_report`, when the `congress_support` draw is 0.5 or "
                           "more: the War Powers clock stops. Caused by the U.S.",
    "congress_refused": "Congress votes and does not authorize (`congress_support` below 0.5). "
                        "Caused by the U.S.",
    "us_forces_withdrawing": "The War Powers clock ran out: `war_powers_clock_days` after "
                             "`war_powers_report` with no authorization. Caused by the U.S.",
    "japan_survival_threatening": "The Diet approved a survival-threatening situation "
                                  "(level 3). Caused by Japan.",
    "japan_diet_rejected": "The Diet refused prior approval. Caused by Japan.",
    "lng_exhausted": "Taiwan's LNG stock reached zero. Caused by Taiwan.",
    "coal_exhausted": "Taiwan's coal stock reached zero. Caused by Taiwan.",
    "oil_below_legal_minimum": "Taiwan's crude stock fell to `oil_legal_minimum`. Caused by "
                               "Taiwan.",
    "oil_exhausted": "Taiwan's crude stock reached zero. Caused by Taiwan.",
    "island_fell": "The besieged island's garrison gave up (a vital stock ran out) or was "
                   "overrun (below `garrison_break_share`). Caused by the PRC.",
    "island_assault_repulsed": "The attackers fell below `assault_break_share`; the siege goes "
                               "on. Caused by the PRC.",
    "island_retaken": "The occupiers of a fallen island fell below `assault_break_share` "
                      "(Taiwan's counterattack, U.S. combat). Caused by Taiwan.",
}

BUILTIN_NOTES = {
    ("prc", "us_posture_seen"): "Highest U.S. step the PRC has observed: 1 after `us_signal`, "
                                "2 after `us_escort`, 3 after `us_combat_decided` or "
                                "`us_combat` (0 before).",
    ("prc", "japan_level_seen"): "Highest Japanese legal level the PRC has observed, from "
                                 "Japan's situation events (1 `japan_important_influence` to "
                                 "4 `japan_armed_attack`).",
    ("prc", "threatened_japan"): "1 once the PRC has sent its threat over base use to Tokyo "
                                 "(`threaten_japan`).",
    ("prc", "costs"): "The PRC's cost of the crisis at its last weekly review, in points "
                      "(`actors.prc.costs`; process `prc_costs`).",
    ("prc", "days"): "Days since the start at the PRC's last weekly review (0, 7, 14, ...).",
    ("us", "resolve"): "Starts at this replication's draw of `actors.us.resolve`; moves by "
                       "`actors.us.resolve_shifts` as the U.S. learns of events, within 0-1.",
    ("us", "congress_expected"): "What the President expects of Congress: "
                                 "`actors.us.congress_expected` until Congress votes, then 1 "
                                 "(authorized) or 0 (refused).",
    ("us", "posture"): "Highest U.S. step so far: 0 monitor, 1 signal, 2 escort, 3 combat.",
    ("japan", "survival_score"): "Sum of the weights of the survival indicators Japan knows of.",
    ("japan", "survival_threshold"): "This replication's draw of "
                                     "`actors.japan.survival_threshold`.",
    ("japan", "level"): "Japan's legal level: 0 none, 1 important influence, 2 anticipated "
                        "armed attack, 3 survival-threatening, 4 armed attack.",
    ("japan", "attack_imminent"): "1 once Japan has declared an armed attack clearly "
                                  "imminent (`declare_imminent_armed_attack`), else 0.",
    ("taiwan", "will_to_resist"): "This replication's draw of `actors.taiwan.will_to_resist`.",
    ("taiwan", "help_expected"): "Highest U.S. step Taiwan has observed, divided by 3: 1/3 "
                                 "after `us_signal`, 2/3 after `us_escort`, 1 after "
                                 "`us_combat_decided` or `us_combat`.",
    ("taiwan", "power_shortfall"): "1 - the week's electricity share (supplied over normal "
                                   "demand), to the nearest 0.05; learned weekly from the first "
                                   "cut (section 10).",
    ("taiwan", "shortfall_months"): "Whole months (4 weeks) in a row the grid could not meet "
                                    "even the cut demand (section 10).",
    ("taiwan", "island_stocks_days"): "What the besieged island's garrison reports each turn: "
                                      "days until its first vital stock (water, food) runs out "
                                      "at the turn's rates, at most 999 (section 11).",
    ("taiwan", "island_garrison_share"): "The garrison's strength over its troops at the start "
                                         "(reinforcements included), reported each turn; 0 "
                                         "once fallen, 1 before a seizure.",
}

OUTCOME_NOTES = {
    "taiwan_fell": "Invasion campaign: PLA battalions ashore reach `fall_ratio` x Taiwan's "
                   "remaining battalions with `ports_toward_prc` ports held (checked every turn "
                   "and at the last).",
    "stalemate": "Invasion campaign undecided at its last turn: fleet not gone, fewer than "
                 "`ports_toward_prc` ports held.",
    "repelled": "Invasion campaign: the amphibious fleet is gone and the lodgment is destroyed "
                "or cannot be supplied.",
    "capitulation": "Taiwan took the `capitulate` action.",
    "blockade_broken": "Energy ships arrived at `break_share` of normal or more for "
                       "`break_weeks` weeks in a row, with no invasion and no U.S. withdrawal.",
    "blockade_lifted": "The PRC took `lift_blockade` and no invasion had begun.",
    "fait_accompli": "The island fell and Taiwan accepted it (`accept_island_loss`), or it was "
                     "still held by the PRC at the horizon (section 11, Outer islands).",
    "island_returned": "The island fell and was retaken (`island_retaken`), or the PRC "
                       "withdrew from it (`withdraw_from_island`).",
    "island_held": "The garrison still held at the horizon, or the PRC lifted the siege before "
                   "it fell.",
    "island_traded": "The island fell and the PRC settled it in talks (`negotiate_island`).",
    "de_escalated": "The PRC took `stand_down` before any escalation event (a quarantine, a "
                    "blockade, a seizure, invasion preparations, strikes or attacks).",
    "coercion_persists": "Nothing was decided by `horizon_days`; gray-zone coercion had begun "
                         "and never escalated.",
    "ongoing": "Nothing was decided by `horizon_days` (and it was not gray-zone coercion "
               "alone).",
    "stalemate_against_prc": "Invasion campaign undecided at its last turn: amphibious fleet "
                             "gone, fewer than `ports_toward_prc` ports held.",
    "stalemate_toward_prc": "Invasion campaign undecided at its last turn: at least "
                            "`ports_toward_prc` ports or airfields held.",
}


def actions() -> str:
    """Every actor's actions, the events each causes and what else it does."""
    keys = [(a, x) for a in V.ACTIONS for x in V.ACTIONS[a]]
    _check(keys, ACTION_NOTES, "actions")
    rows = []
    for actor, act in keys:
        events = _code(V.ACTIONS[actor][act]) or "none"
        rows.append((actor, f"`{act}`", events, ACTION_NOTES[(actor, act)]))
    return _table(("Actor", "Action", "Events it causes", "Notes"), rows)


def model_events() -> str:
    """The events the model itself causes."""
    _check(V.MODEL_EVENTS, MODEL_EVENT_NOTES, "model events")
    return _table(("Event", "When it happens"),
                  [(f"`{e}`", MODEL_EVENT_NOTES[e]) for e in V.MODEL_EVENTS])


def event_kinds() -> str:
    """Each kind of event, for detection delays by kind, and its events."""
    return _table(("Kind", "Events"), [(f"`{k}`", _code([e for e in V.EVENTS
                                                          if V.EVENT_KIND[e] == k]))
                                       for k in V.DETECTION_KINDS])


def event_names() -> str:
    """All event names, in vocabulary order."""
    return _code(V.EVENTS)


def builtin_names() -> str:
    """The built-in values each actor knows about itself."""
    _check([(a, n) for a in V.DERIVED for n in V.DERIVED[a]], BUILTIN_NOTES, "built-in names")
    rows = []
    for actor, names in V.DERIVED.items():
        if not names:
            rows.append((actor, "(none)", "Only events, messages and the actor's own "
                                          "variables."))
        rows += [(actor, f"`{n}`", BUILTIN_NOTES[(actor, n)]) for n in names]
    return _table(("Actor", "Name", "Meaning"), rows)


def outcomes() -> str:
    """The outcomes, in the order the summary lists them."""
    _check(V.OUTCOMES, OUTCOME_NOTES, "outcomes")
    rows = []
    for o in V.OUTCOMES:
        lost = " Counts as Taiwan lost." if o in V.TAIWAN_LOST else ""
        rows.append((f"`{o}`", OUTCOME_NOTES[o] + lost))
    return _table(("Outcome", "How it is reached"), rows)


_ARROW_TYPE = {"int": "int64", "float": "float64", "bool": "bool", "str": "string"}


def columns() -> str:
    """The columns of outcomes.parquet, with the descriptions stored in its schema and the
    process that fills each (a run's table has only those of the processes its scenario uses)."""
    rows = [(str(i), f"`{name}`", _ARROW_TYPE[kind], f"`{OWNER[name]}`", doc)
            for i, (name, kind, doc) in enumerate(COLUMNS, 1)]
    return _table(("#", "Column", "Type", "Process", "Description"), rows)


def weekly_columns() -> str:
    """The columns of weekly.parquet: the keys, then each process's weekly series."""
    from sim.model.outcome import WEEKLY_KEYS
    from sim.model.processes import PROCESSES
    from sim.results.weekly import arrow_type
    cols = [(n, k, "key", d) for n, k, d in WEEKLY_KEYS] + [
        (n, k, f"`{P.name}`", d) for P in PROCESSES for n, k, d in P.weekly_columns]
    rows = [(str(i), f"`{n}`", arrow_type(n, k), owner, d)
            for i, (n, k, owner, d) in enumerate(cols, 1)]
    if len(cols) == len(WEEKLY_KEYS):
        rows.append(("", "", "", "", "No process declares a weekly series yet."))
    return _table(("#", "Column", "Type", "Process", "Description"), rows)


# --- quantities and citations -----------------------------------------------------------------

DISTRIBUTIONS = (S.Fixed, S.Uniform, S.Triangular, S.Lognormal, S.Normal, S.Exponential,
                 S.Bernoulli)

DISTRIBUTION_NOTES = {
    "fixed": "Always `value`. A plain number, or `{value: x}` without `dist`, means the same.",
    "uniform": "`high` must not be below `low`. Any value from `low` to `high`, all equally "
               "likely.",
    "triangular": "Needs `low` ≤ `mode` ≤ `high`. Most likely near `mode`, never outside "
                  "`low`..`high`.",
    "lognormal": "`p90` must be above `median`. Half the draws fall below `median`, 90% below "
                 "`p90`; a long right tail, cut at `max` if given. Suits delays.",
    "normal": "A bell curve. Draws below `low` are raised to `low`, draws above `high` lowered "
              "to `high`.",
    "exponential": "A memoryless waiting time with this mean.",
    "bernoulli": "1 with probability `p`, else 0. Suits yes/no facts such as "
                 "`congress_support`.",
}

_BOUND = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


def _bounds(field) -> str:
    parts = [f"{_BOUND[k]} {getattr(m, k):g}" for m in field.metadata for k in _BOUND
             if getattr(m, k, None) is not None]
    return " " + ", ".join(parts) if parts else ""


def distributions() -> str:
    """The distributions a quantity may take, their parameters and constraints."""
    names = [typing.get_args(m.model_fields["dist"].annotation)[0] for m in DISTRIBUTIONS]
    _check(names, DISTRIBUTION_NOTES, "distributions")
    rows = []
    for name, model in zip(names, DISTRIBUTIONS):
        params = []
        for p, f in model.model_fields.items():
            if p == "dist" or p in S.Cited.model_fields:
                continue
            optional = "" if f.is_required() else ", optional"
            params.append(f"`{p}`{_bounds(f)}{optional}: {f.description}")
        rows.append((f"`{name}`", "<br>".join(params), DISTRIBUTION_NOTES[name]))
    return _table(("`dist`", "Parameters (schema)", "Meaning of a draw"), rows)


def citation_keys() -> str:
    """The keys any quantity, rule or channel may carry for readers and the citation tests."""
    return _table(("Key", "Meaning (schema)"),
                  [(f"`{n}`", f.description) for n, f in S.Cited.model_fields.items()])


# --- schema fields ----------------------------------------------------------------------------

# (block name, model, where it sits in a scenario). A model's table lists the fields it adds to
# its base class; the citation keys of a ``Cited`` model get one row.
SECTIONS: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("fields:top-level", S.Scenario, ""),
    ("fields:communication", S.Communication, "communication"),
    ("fields:channels", S.Channel, "communication.channels.*"),
    ("fields:detection", S.Detection, "communication.detection_delay_hours"),
    ("fields:messages", S.MessageKind, "communication.messages.*"),
    ("fields:perception", S.Perception, "perception"),
    ("fields:perceiver", S.Perceiver, "perception.*"),
    ("fields:delays-by-kind", S.DelaysByKind, "perception.*.delay_hours"),
    ("fields:reading", S.Reading, "perception.*.misread.*"),
    ("fields:actors", S.Actors, "actors"),
    ("fields:every-actor", S.Actor, "actors.*"),
    ("fields:rules", S.Rule, "actors.*.rules.*"),
    ("fields:repeat", S.Repeat, "actors.*.rules.*.repeat"),
    ("fields:retry", S.Retry, "actors.*.rules.*.retry"),
    ("fields:prc", S.PRC, "actors.prc"),
    ("fields:base-strikes", S.BaseStrikes, "actors.prc.base_strikes"),
    ("fields:base-strike", S.BaseStrike, "actors.prc.base_strikes.*"),
    ("fields:prc-costs", S.PrcCosts, "actors.prc.costs"),
    ("fields:us", S.UnitedStates, "actors.us"),
    ("fields:force-arrival", S.ForceArrival, "actors.us.force_arrival_hours"),
    ("fields:us-island-coverage", S.TraCoverage, "actors.us.tra_coverage"),
    ("fields:air-basing", S.AirBasing, "actors.us.air_basing"),
    ("fields:air-base", S.AirBase, "actors.us.air_basing.*"),
    ("fields:japan", S.Japan, "actors.japan"),
    ("fields:japan-roles", S.JapanRole, "actors.japan.roles.*"),
    ("fields:taiwan", S.Taiwan, "actors.taiwan"),
    ("fields:stocks", S.Stocks, "actors.taiwan.stocks_days"),
    ("fields:energy", S.EnergyRules, "actors.taiwan.energy"),
    ("fields:power-mix", S.PowerMix, "actors.taiwan.energy.power_mix"),
    ("fields:fuel-shares", S.FuelShares, "actors.taiwan.energy.nonpower_*"),
    ("fields:adjudication", S.Adjudication, "adjudication"),
    ("fields:invasion", S.InvasionRules, "adjudication.invasion"),
    ("fields:campaign", S.CampaignRules, "adjudication.invasion.campaign"),
    ("fields:outer-islands", S.IslandRules, "adjudication.outer_islands"),
    ("fields:island-garrisons", S.IslandGarrisons, "adjudication.outer_islands.islands"),
    ("fields:island-garrison", S.IslandGarrison, "adjudication.outer_islands.islands.*"),
    ("fields:island-stocks", S.IslandStocks, "adjudication.outer_islands.islands.*.stocks_days"),
    ("fields:blockade", S.BlockadeRules, "adjudication.blockade"),
    ("fields:shipping", S.ShippingRules, "adjudication.blockade.shipping"),
    ("fields:ship-types", S.ShipTypes, "adjudication.blockade.shipping.types"),
    ("fields:ship-type", S.ShipType, "adjudication.blockade.shipping.types.*"),
    ("fields:grid", S.GridRules, "adjudication.blockade.grid"),
    ("fields:economy", S.EconomyRules, "adjudication.blockade.economy"),
)

_CAMPAIGN = "adjudication.invasion.campaign"
_ISLANDS = "adjudication.outer_islands"
FIELD_NOTES = {
    "format": "1 or 2; a file without it is format 1, a variant inherits its base's. Format 1 "
              "files keep their meaning: rules decide once and finish every deliberation, and "
              "`repeat`, `hazard_per_day` and `interruptible` are refused with a pointer to the "
              "migration note (section 4).",
    "name": "Names the default output folder, `runs/<name>`, so it is a safe file name: "
            "letters, digits, `_`, `-` and `.` (not first), at most 100 characters.",
    "title": "Printed above the summary.",
    "description": "Not read by the model.",
    "family": "Does not choose the judgement: events do (section 11). `escalated_to_war` is "
              "always false for `invasion`; `outer_islands` needs a `target`.",
    "family_source": "Citation only.",
    "target": "Sets `tra_covered_attack`, carried by `island_seized`: the target's degree in "
              "`actors.us.tra_coverage` (without it, 1 for `penghu` and 0 for the others); 1 "
              "when no target is set.",
    "horizon_days": "Must be a fixed positive number. At this day the outcome is `ongoing` if "
                    "nothing else has decided it.",
    "communication": "",
    "actors": "",
    "perception": "Optional: detection delays by kind of event, misreadings and false alarms "
                  "per observer.",
    "adjudication": "",
    "inert": "Not read by the model. Merged through `extends` like any mapping; the liveness "
             "test switches each parameter (to 0 and x4) and each rule (its action off) in "
             "paired runs and fails on one that changes nothing unless it is named here, and "
             "on an entry here that has come alive.",
    "key_assumptions": "Not read by the model. Each entry is a `--by` spec (`straitsim "
                       "summarize --by`), checked when the scenario loads: a name no process "
                       "fills is an error; a column this scenario's processes do not fill (a "
                       "variant without Japan) is noted in the report. The report shows the "
                       "headline split by each (\"What drives the headline\").",

    "communication.direct_trilateral_channel": "When false, a `tokyo-taipei` entry in "
                                               "`channels` is ignored. When true, that entry "
                                               "must exist.",
    "communication.direct_channel_source": "Citation only.",
    "communication.broker_delay_hours": "Added to each relayed message, between its two hops.",
    "communication.latency_factor": "Multiplies every channel latency and the broker delay; "
                                    "`straitsim compare --set communication.latency_factor=3` "
                                    "pairs a slower crisis with the baseline.",
    "communication.channels": "Keys are `a-b`: two different capitals among `washington`, "
                              "`tokyo`, `taipei`, `beijing`, each pair at most once. Every pair "
                              "some rule sends over must be linked directly or through "
                              "Washington, or the scenario is rejected; a pair no message uses "
                              "needs no channel (the bundled files define none from Beijing "
                              "to Washington or Taipei).",
    "communication.detection_delay_hours": "One draw per event and observer.",
    "communication.channels.*.latency_hours": "One draw per message, recipient and hop.",
    "communication.channels.*.availability": "Drawn per message, recipient and hop from the "
                                             "sending rule's streams "
                                             "'<rule>/to/<recipient>/up/<channel>'; a refusal "
                                             "is logged `refused (channel down)` and retried "
                                             "if the rule has `retry`.",
    "communication.channels.*.loss_probability": "Drawn like `availability`; a lost message is "
                                                 "logged `lost on the way`. A message lost on "
                                                 "the second hop of a relay has been read by "
                                                 "Washington. No retry: the sender does not "
                                                 "know (a `repeat` with `after_acting` resends).",
    "communication.channels.*.cut_by": "Event names; the channel is cut when the event "
                                       "happens in the world, whether or not anyone has seen "
                                       "it.",
    "communication.messages": "Keys are names of messages that some rule sends.",
    "communication.messages.*.fields": "Recipients (and Washington, relaying) learn "
                                       "`<message>.<field>` before the message itself. The "
                                       "expression may also read the sender's state at "
                                       "sending: Taiwan's `stocks_days` (coal left, days of "
                                       "normal use).",
    "communication.detection_delay_hours.us": "",
    "communication.detection_delay_hours.japan": "",
    "communication.detection_delay_hours.taiwan": "",
    "communication.detection_delay_hours.prc": "",

    "perception.us": "",
    "perception.japan": "",
    "perception.taiwan": "",
    "perception.prc": "",
    "perception.*.delay_hours": "Replaces `communication.detection_delay_hours` for the kinds "
                                "it gives (the kind of each event is in the table below).",
    "perception.*.misread": "Keys are event names. Same fields as `false_alarm`; an event is "
                            "read at most one way by one observer.",
    "perception.*.false_alarm": "Keys are event names. The observer believes `read_as` "
                                "happened although only the key event did.",
    "perception.*.delay_hours.public": "",
    "perception.*.delay_hours.movement": "",
    "perception.*.delay_hours.covert": "",
    "perception.*.delay_hours.strike": "",
    "perception.*.misread.*.read_as": "An event name other than the key.",
    "perception.*.misread.*.probability": "Drawn when the observation arrives; a "
                                          "distribution is drawn from "
                                          "'perceive/<event>/<observer>/p'.",
    "perception.*.misread.*.until": "If one of them is already known when the observation "
                                    "arrives, the event is read right. A fact learned by "
                                    "observation or by message counts.",
    "perception.*.misread.*.clears_after_hours": "From the observation. Without it and "
                                                 "without `until`, the reading lasts to the "
                                                 "end.",

    "actors.prc": "Its plan is in its rules; `costs` weighs what the crisis costs it "
                  "(section 11, What the PRC sees and weighs); `base_strikes` says what a "
                  "strike on U.S. air bases is made of.",
    "actors.prc.costs": "Scalars `prc_costs.<field>`, drawn once per replication. Required "
                        "when a PRC rule reads `costs`.",
    "actors.prc.costs.blockade_per_month": "From the first of `quarantine_enforced`, "
                                           "`military_blockade` to `blockade_lifted`.",
    "actors.prc.costs.war_per_month": "From the first of `strikes_on_taiwan`, `invasion`, "
                                      "`us_combat`.",
    "actors.prc.costs.convoys_per_month": "From `convoys_arriving`.",
    "actors.prc.costs.japan_enters": "Once `japan_survival_threatening` or "
                                     "`japan_armed_attack` has happened.",
    "actors.us": "",
    "actors.japan": "",
    "actors.taiwan": "",
    "actors.*.variables": "Drawn once per replication. A name must not clash with an event, a "
                          "message name or the actor's built-in values (section 6).",
    "actors.*.rules": "Section 4.",
    "actors.*.rules.*.when": "Checked at hour 0 and whenever the actor learns a new value of a "
                             "name in it (section 4).",
    "actors.*.rules.*.action": "One of the actor's actions (section 6).",
    "actors.*.rules.*.delay_hours": "Drawn once per deliberation, from the rule's own stream.",
    "actors.*.rules.*.probability": "A number in [0, 1]; an expression, worked out at decision "
                                    "time and clipped to [0, 1]; or a distribution within "
                                    "[0, 1], drawn once per replication.",
    "actors.*.rules.*.otherwise": "One of the actor's actions. `action` and `otherwise` may not "
                                  "both send a message (`send`, or the PRC's `threaten_japan`).",
    "actors.*.rules.*.message": "Also for `otherwise: send`. An identifier that is not an event "
                                "name or `tra_covered_attack`; it becomes a fact the recipients "
                                "can read.",
    "actors.*.rules.*.to": "Also for `otherwise: send`. One actor or a list, not the sender.",
    "actors.*.rules.*.enabled": "A disabled rule never runs and keeps its random numbers. Its "
                                "actions and what it sends are checked; its conditions are not, "
                                "and its message name stays usable in other rules.",
    "actors.*.rules.*.description": "Not read by the model.",
    "actors.*.rules.*.retry": "Only for rules that send. Each attempt draws afresh; the "
                              "message's fields are worked out again at each attempt.",
    "actors.*.rules.*.retry.attempts": "",
    "actors.*.rules.*.retry.after_hours": "Drawn from '<rule>/retry', one draw per attempt.",
    "actors.*.rules.*.hazard_per_day": "Format 2. The rate is zero while `when` does not hold "
                                       "and is re-read whenever a name in it or in `when` "
                                       "changes; one Exp(1) draw per firing is compared with the "
                                       "cumulative hazard. Not with `probability`, "
                                       "`delay_hours` or `otherwise`.",
    "actors.*.rules.*.repeat": "Format 2. `limit` more decisions; on a change of a name the "
                               "rule reads (or a message received again), or every "
                               "`every_days`; after acting only with `after_acting: true`.",
    "actors.*.rules.*.interruptible": "Format 2 default true: a deliberation whose `when` stops "
                                      "holding is abandoned (trace: `abandons`) and starts again, "
                                      "with a fresh delay, when it holds again.",

    "actors.*.rules.*.repeat.limit": "Counts decisions after the first; a decision the law "
                                     "refused does not count.",
    "actors.*.rules.*.repeat.every_days": "The review comes this many days after the decision; "
                                          "if `when` does not hold then, the rule waits for it.",
    "actors.*.rules.*.repeat.after_acting": "A rule whose action is an event gains nothing: an "
                                            "event happens once. Useful with `send`.",

    "actors.us.resolve": "Where U.S. rules' `resolve` starts; also the `us_resolve` column.",
    "actors.us.resolve_shifts": "Keys are event or message names. Each shifts `resolve` once, "
                                "when the U.S. learns it; rules that read `resolve` look again "
                                "(section 9).",
    "actors.us.congress_support": "How Congress votes (0.5 or more: it authorizes). No U.S. "
                                  "rule can read it: the U.S. learns it from the vote "
                                  "(section 9).",
    "actors.us.congress_expected": "Read by U.S. rules as `congress_expected` until the vote, "
                                   "which sets it to 1 or 0.",
    "actors.us.congress_vote_days": "From `war_powers_report` to `congress_authorized` or "
                                    "`congress_refused`; no vote once forces have withdrawn.",
    "actors.us.tra_coverage": "Optional; only the target's degree is drawn. Without it the "
                              "definition decides: Penghu 1, the others 0.",
    "actors.us.tra_coverage.penghu": "",
    "actors.us.tra_coverage.kinmen": "",
    "actors.us.tra_coverage.matsu": "",
    "actors.us.tra_coverage.pratas": "",
    "actors.us.force_arrival_hours": "",
    "actors.us.war_powers_report_hours": "From `us_combat` to `war_powers_report`. Its highest "
                                         "possible value must not exceed 48.",
    "actors.us.war_powers_clock_days": "From `war_powers_report` to `us_forces_withdrawing`, "
                                       "unless Congress has authorized by then.",
    "actors.us.war_powers_withdrawal_days": "From `us_forces_withdrawing` to "
                                            "`us_forces_withdrawn`; an authorization "
                                            "meanwhile stops it.",
    "actors.us.force_arrival_hours.with_japan_bases": "Used if the U.S. knows, when it decides "
                                                      "on combat, that Japan has granted base "
                                                      "use.",
    "actors.us.force_arrival_hours.without_japan_bases": "Used otherwise.",
    "actors.us.air_basing": "Section 9 (air bases). Drawn only if a rule can strike the bases.",
    "actors.us.air_basing.japan": "Struck by `us_bases_japan_struck`.",
    "actors.us.air_basing.guam": "Struck by `us_bases_guam_struck`.",
    "actors.us.air_basing.carrier_aircraft": "Counts in `us_air_share`; never struck by a base "
                                             "strike.",
    "actors.us.air_basing.on_ground_share": "Only this share of a region's aircraft can be "
                                            "destroyed by a strike.",
    "actors.us.air_basing.interceptor_shots_per_missile": "Interceptors engage "
                                                          "`interceptors / shots` missiles.",
    "actors.us.air_basing.interceptor_pk": "An engaged missile dies with "
                                           "`1 - (1 - pk)^shots`.",
    "actors.us.air_basing.*.aircraft": "The region's aircraft before any strike.",
    "actors.us.air_basing.*.shelters": "Aircraft on the ground fill shelters first; the rest "
                                       "park in the open.",
    "actors.us.air_basing.*.parking_area_m2": "Open-parking kill share = area covered by "
                                              "surviving submunition missiles ÷ this, at most 1.",
    "actors.us.air_basing.*.interceptors": "Spent on this region's strike only.",
    "actors.prc.base_strikes": "Section 9 (air bases). Drawn only if a rule can strike the "
                               "bases.",
    "actors.prc.base_strikes.japan": "Fired by `strike_us_bases_japan`.",
    "actors.prc.base_strikes.guam": "Fired by `strike_us_bases_guam`.",
    "actors.prc.base_strikes.launch_failure": "Applies to both kinds of missile.",
    "actors.prc.base_strikes.area_per_submunition_missile_m2": "Used in the density rule with "
                                                               "`parking_area_m2`.",
    "actors.prc.base_strikes.*.submunition_missiles": "Aimed at open parking.",
    "actors.prc.base_strikes.*.unitary_missiles": "Aimed at shelters, spread over all of them; "
                                                  "wasted where there are none.",

    "actors.japan.survival_threshold": "Read by Japan's rules as `survival_threshold`. The "
                                       "Cabinet refuses `declare_survival_threatening` while "
                                       "`survival_score` is below it.",
    "actors.japan.survival_indicators": "Keys are event or message names. Each fact adds its "
                                        "weight to `survival_score` once, when Japan learns it.",
    "actors.japan.armed_attack_recognition_hours": "From Japan learning of "
                                                   "`us_bases_japan_struck` or "
                                                   "`japan_territory_attacked` to level 4.",
    "actors.japan.diet_prior_approval_hours": "From the Cabinet's request to the Diet's vote.",
    "actors.japan.diet_approval_probability": "Each vote draws afresh from the process's "
                                              "stream `japan_legal/diet_vote`, so a second "
                                              "request gets a vote of its own.",
    "actors.japan.roles": "Keys are role names (identifiers): each becomes the capacities "
                          "`japan_legal.<role>` and `japan_legal.<role>.deployed` (section 8).",
    "actors.japan.roles.*.level": "Higher levels allow the role too. Under "
                                  "`declare_imminent_armed_attack` every role is deployed.",
    "actors.japan.roles.*.offers": "Drawn once per replication (scalar "
                                   "`japan.role.<role>`); written as the role's capacity when "
                                   "it becomes available.",
    "actors.japan.roles.*.force": "A force role is performed only from level 3 (after the "
                                  "Diet) or 4, and not before its own level; until then it is "
                                  "at most deployed (`japan_roles_deployed`).",
    "actors.japan.roles.*.description": "Not read by the model.",

    "actors.taiwan.will_to_resist": "Read by Taiwan's rules as `will_to_resist`.",
    "actors.taiwan.stocks_days": "Section 10.",
    "actors.taiwan.energy": "Section 10.",
    "actors.taiwan.stocks_days.lng": "Starting stock.",
    "actors.taiwan.stocks_days.coal": "Starting stock.",
    "actors.taiwan.stocks_days.oil": "Starting stock.",
    "actors.taiwan.stocks_days.oil_legal_minimum": "`oil_below_legal_minimum` happens when "
                                                   "crude falls to this level.",
    "actors.taiwan.energy.power_mix": "Section 10.",
    "actors.taiwan.energy.nonpower_share": "Section 10.",
    "actors.taiwan.energy.nonpower_kept": "Applies from the week after a fuel first runs out "
                                          "(before it, every use goes on).",
    "actors.taiwan.energy.voluntary_cut": "From the first week of a cut.",
    "actors.taiwan.energy.mandatory_cut": "From the week after a fuel first runs out.",
    "actors.taiwan.energy.generators": "Added when the grid is short, from the second week of "
                                       "rationing, while oil lasts; burns oil at oil plants' "
                                       "rate.",
    "actors.taiwan.energy.storage_extra_days": "Arrivals refill a stock up to its start plus "
                                               "this.",
    "actors.taiwan.energy.power_mix.lng": "Generation lost while LNG is out.",
    "actors.taiwan.energy.power_mix.coal": "Generation lost while coal is out.",
    "actors.taiwan.energy.power_mix.oil": "Generation lost while oil is out.",
    "actors.taiwan.energy.power_mix.other": "Always available (not imported by sea).",
    "actors.taiwan.energy.nonpower_*.lng": "Section 10.",
    "actors.taiwan.energy.nonpower_*.coal": "Section 10.",
    "actors.taiwan.energy.nonpower_*.oil": "Section 10.",

    "adjudication.invasion": "Section 11.",
    "adjudication.outer_islands": "Section 11.",
    "adjudication.blockade": "Section 11.",
    _CAMPAIGN: "Section 11, *The invasion as a campaign*. Its parameters are drawn only where "
               "an invasion can happen.",
    _CAMPAIGN + ".turn_days": "One SimPy timeout per turn, resolved at its end.",
    _CAMPAIGN + ".max_turns": "Rounded to a whole number; then the campaign is scored where it "
                              "stands.",
    _CAMPAIGN + ".fleet_lst": "Lift weight 1 per ship (`lift.CLASS_WEIGHT`).",
    _CAMPAIGN + ".fleet_lhd_lpd": "Lift weight 1.5 per ship.",
    _CAMPAIGN + ".fleet_lsm": "Lift weight 0.5 per ship.",
    _CAMPAIGN + ".fleet_roro": "Lift weight 1 per ship.",
    _CAMPAIGN + ".escorts": "Share the salvos' hits with the amphibious ships; sunk by "
                            "submarines as many as amphibious ships.",
    _CAMPAIGN + ".us_ssns": "Rounded to whole boats; sink 2 amphibious ships and 2 escorts each "
                            "per 3.5 days of U.S. combat and lose 20% a turn (drawn).",
    _CAMPAIGN + ".lrasm_stock": "Never overdrawn; `lrasm_fired` counts what was fired.",
    _CAMPAIGN + ".lrasm_per_turn": "Times the share of the turn U.S. forces were in combat and "
                                   "`air_basing.us_air_share`.",
    _CAMPAIGN + ".taiwan_asm_stock": "Never overdrawn.",
    _CAMPAIGN + ".taiwan_asm_per_turn": "Fired every turn from the landing while the stock lasts.",
    _CAMPAIGN + ".hit_rate": "Hits drawn Binomial(missiles fired, hit_rate) per turn and source.",
    _CAMPAIGN + ".japan_ssn_equivalents": "Times `japan_legal.anti_submarine_warfare` (0 until "
                                          "the law allows the role).",
    _CAMPAIGN + ".sector_share": "`ground.defenders_available`: the sector's battalions plus "
                                 "half of the rest.",
    _CAMPAIGN + ".frontage_ratio": "Engaged Taiwanese = min(available, frontage_ratio × PLA "
                                   "ashore, `defenders_per_hex` × hexes held).",
    _CAMPAIGN + ".unmobilised_reserve_share": "Used when `taiwan_mobilized` did not happen "
                                              "before `invasion` (else all 63 reserve "
                                              "battalions, at half value).",
    _CAMPAIGN + ".port_capture_ratio": "One port or airfield taken per turn at or above it.",
    _CAMPAIGN + ".port_denial": "Working ports = held × (1 − port_denial × U.S. combat share × "
                                "U.S. air share); each adds 4 battalion-lifts a turn.",
    _CAMPAIGN + ".fleet_gone_share": "At or below it (ships left over ships sailed) the fleet is "
                                     "gone.",
    _CAMPAIGN + ".fall_ratio": "`taiwan_fell` when ashore ≥ fall_ratio × Taiwan's remaining "
                               "battalion-equivalents with `ports_toward_prc` ports held.",
    _CAMPAIGN + ".ports_toward_prc": "Also the ports `taiwan_fell` needs.",
    _CAMPAIGN + ".us_carriers": "Whole ships; a target of the PLA's salvos while the U.S. "
                                "fights; one lost takes its share of `air.carrier_aircraft`.",
    _CAMPAIGN + ".us_surface_ships": "Whole ships; a target of the PLA's salvos while the U.S. "
                                     "fights.",
    _CAMPAIGN + ".japan_ships": "Times `japan_legal.escort` (0 until the law allows the role), "
                                "rounded; they join the U.S. groups as targets.",
    _CAMPAIGN + ".japan_aircraft": "Times `japan_legal.air_defence`; lost in the air at "
                                   "`air_loss_per_sortie`.",
    _CAMPAIGN + ".pla_asm_per_turn": "Times the share of the turn U.S. forces fight; hits drawn "
                                     "Binomial(fired, `salvo.defended_fat_tail_rate`).",
    _CAMPAIGN + ".pla_asm_interceptor_shots": "Rounded; 2 gives 5.68% a missile (fat tails "
                                              "included), 3 gives 4.38%.",
    _CAMPAIGN + ".carrier_hits_to_disable": "Rounded; a carrier is out with this many hits "
                                            "(Poisson spread), other ships with one.",
    _CAMPAIGN + ".air_loss_per_sortie": "Aircraft lost = flying × (1 − (1 − rate)^sorties) a "
                                        "turn (`losses.air_attrition`).",
    _CAMPAIGN + ".pla_air_loss_per_sortie": "The same rule for the PLA, every turn.",
    _CAMPAIGN + ".sorties_per_aircraft_day": "Sorties = this × days of the turn in combat.",
    _CAMPAIGN + ".pla_aircraft": "The pool the PLA's air losses come from.",
    _CAMPAIGN + ".casualties_per_carrier": "`us_casualties` per carrier lost.",
    _CAMPAIGN + ".casualties_per_surface_ship": "`us_casualties` / `japan_casualties` per ship "
                                                "lost.",
    _CAMPAIGN + ".casualties_per_aircraft_air": "Per aircraft lost in the air.",
    _CAMPAIGN + ".prc_cost_per_ship": "Into `invasion_campaign.prc_cost` (read by prc_costs) "
                                      "per PLA major ship sunk.",
    _CAMPAIGN + ".prc_cost_per_aircraft": "The same, per PLA aircraft lost.",
    _CAMPAIGN + ".prc_cost_per_battalion": "The same, per battalion landed and not ashore at "
                                           "the end.",
    _CAMPAIGN + ".beachhead_hexes": "The lodgment's area on its first turn, × 779.4 km² (again "
                                    "after a destroyed lodgment if new battalions land); capped "
                                    "at 36,000 km².",
    _CAMPAIGN + ".defenders_per_hex": "Engaged Taiwanese ≤ this × hexes held (`lodgment."
                                      "engaged_defenders`; a hex is 779.4 km²).",
    _CAMPAIGN + ".attack_ratio": "`lodgment.posture`: the PLA advances at PLA × supply factor ≥ "
                                 "this × engaged, is pushed back at engaged ≥ this × PLA, else "
                                 "is contained.",
    _CAMPAIGN + ".advance_hexes": "Hexes gained (advance) or lost (pushed back) per 3.5 days; "
                                  "area 0 destroys the lodgment.",
    _CAMPAIGN + ".contained_intensity": "Multiplies the ground exchange's kill rate on a "
                                        "contained turn (1 when either side attacks).",
    _CAMPAIGN + ".taiwan_casualties_per_battalion": "`taiwan_casualties` = this × "
                                                    "`taiwan_battalions_lost`.",
    _CAMPAIGN + ".pla_casualties_per_battalion": "`pla_casualties_ashore` = this × PLA "
                                                 "battalion-equivalents lost in combat (not "
                                                 "those lost with a destroyed lodgment).",
    _CAMPAIGN + ".sustainment_per_battalion": "`lift.lift_turn`: the battalions ashore are fed "
                                              "first; short of it they fight at half value.",
    _CAMPAIGN + ".port_lift": "Per working port (held × (1 − denial)); scaled by turn_days "
                              "÷ 3.5.",
    _CAMPAIGN + ".air_and_small_craft_lift": "All that feeds the lodgment, with working ports, "
                                             "once the fleet is gone (the repelled rule).",
    _CAMPAIGN + ".jassm_er_stock": "Never overdrawn (`jassm_er_fired`).",
    _CAMPAIGN + ".jassm_er_per_turn": "Times the share of the turn U.S. forces were in combat and "
                                      "`air_basing.us_air_share`, like LRASM.",
    _CAMPAIGN + ".jassm_er_ship_effectiveness": "Hits drawn Binomial(fired, hit_rate × this); 0 is "
                                                "CSIS's land-targets-only excursion.",
    _CAMPAIGN + ".pla_asm_stock": "Never overdrawn (`pla_asm_fired`); the salvo is "
                                  "`pla_asm_per_turn` × U.S. combat share × `air.parity_factor` "
                                  "(the PLA's share of the air).",
    _CAMPAIGN + ".allied_withdraw_share": "Checked at the end of each turn per group (U.S. "
                                          "carriers, U.S. surface ships, Japan's escorts); a "
                                          "withdrawn group is no longer a target and its aircraft "
                                          "stop flying.",
    _CAMPAIGN + ".standoff_air_floor": "LRASM and JASSM-ER launched × "
                                       "`air.standoff_launch_share` (allied share of the air, "
                                       "this floor).",
    _CAMPAIGN + ".ssn_arrivals_per_turn": "Accumulated each turn × U.S. combat share; whole boats "
                                          "join those on station.",
    _ISLANDS + ".turn_days": "While an assault or a counterattack is under way; a quiet turn is a "
                      "week. A stock that runs out within a turn does so on its own day.",
    _ISLANDS + ".islands": "The target's entry is used (`target`).",
    _ISLANDS + ".ammunition_idle_share": "",
    _ISLANDS + ".garrison_kill_per_day": "Times the ammunition and ISR factors "
                                  "(`garrison.garrison_fire`).",
    _ISLANDS + ".attacker_kill_per_day": "Times (1 - `fortification`).",
    _ISLANDS + ".no_ammo_fire_share": "",
    _ISLANDS + ".no_fuel_fire_share": "Times the ammunition factor when both are gone.",
    _ISLANDS + ".garrison_break_share": "Also ends a counterattack that falls below it.",
    _ISLANDS + ".assault_break_share": "Also: occupiers below it give the island back (retaken).",
    _ISLANDS + ".sea_fire_loss": "`transit.transit_loss` with the escorts.",
    _ISLANDS + ".escorts_per_resupply": "",
    _ISLANDS + ".escort_protection": "",
    _ISLANDS + ".air_access_quarantine": "",
    _ISLANDS + ".air_access_assault": "",
    _ISLANDS + ".us_isr": "From `us_island_support`.",
    _ISLANDS + ".japan_isr": "From `japan_surveillance`, only with U.S. support (no Tokyo-Taipei "
                      "channel).",
    _ISLANDS + ".isr_fire_bonus": "",
    _ISLANDS + ".us_presence_boarding_cut": "",
    _ISLANDS + ".us_airlift_days_per_week": "",
    _ISLANDS + ".us_combat_kill_share_per_day": "While `us_combat` and not withdrawn; U.S. combat "
                                         "also ends the boardings.",
    _ISLANDS + ".retake_troops": "",
    _ISLANDS + ".occupier_share": "Of the attackers left, or of `assault_troops` after a surrender "
                           "for want of supplies.",
    _ISLANDS + ".prc_cost_per_thousand_troops": "In `island_garrison.prc_cost`, read by prc_costs.",
    _ISLANDS + ".pressure_per_month": "From the seizure, whatever the island's fate, while "
                                      "the crisis lasts.",
    _ISLANDS + ".pressure_us_support_per_month": "From `us_island_support`.",
    _ISLANDS + ".islands.kinmen": "",
    _ISLANDS + ".islands.matsu": "",
    _ISLANDS + ".islands.penghu": "",
    _ISLANDS + ".islands.pratas": "",
    _ISLANDS + ".islands.*.garrison_troops": "",
    _ISLANDS + ".islands.*.stocks_days": "Water and food are vital: the garrison gives up when one "
                                  "runs out.",
    _ISLANDS + ".islands.*.resupply_ships_per_week": "Boarded up to `boardings_per_week` unless "
                                              "escorted.",
    _ISLANDS + ".islands.*.days_per_ship": "",
    _ISLANDS + ".islands.*.airlift_days_per_week": "Times the air access share.",
    _ISLANDS + ".islands.*.boardings_per_week": "`transit.seizure_share`; none once U.S. "
                                                "forces fight.",
    _ISLANDS + ".islands.*.assault_troops": "",
    _ISLANDS + ".islands.*.fortification": "The occupiers hold it too against a counterattack.",
    _ISLANDS + ".islands.*.reinforcement_troops": "",
    _ISLANDS + ".islands.*.stocks_days.water": "",
    _ISLANDS + ".islands.*.stocks_days.food": "",
    _ISLANDS + ".islands.*.stocks_days.fuel": "Not vital: once gone, the garrison's fire "
                                         "falls to `no_fuel_fire_share`.",
    _ISLANDS + ".islands.*.stocks_days.ammunition": "Once gone, the garrison's fire falls to "
                                             "`no_ammo_fire_share`.",
    "adjudication.blockade.shipping": "Section 10.",
    "adjudication.blockade.grid": "Section 10 (the grid under strikes).",
    "adjudication.blockade.economy": "Section 10 (Taiwan's GDP).",
    "adjudication.blockade.grid.capacity_mw": "Damage share = tons x `mw_per_ton` / it.",
    "adjudication.blockade.grid.mw_per_ton": "Damage share = tons x it / `capacity_mw`.",
    "adjudication.blockade.grid.repair_per_week": "Added to the share in service after each "
                                                  "week, up to 1.",
    "adjudication.blockade.grid.load_share": "The grid carries in service / it of normal "
                                             "demand (at most all); the week's demand is capped "
                                             "there.",
    "adjudication.blockade.grid.opening_tons": "In the first energy week at or after "
                                               "`strikes_on_taiwan`.",
    "adjudication.blockade.grid.tons_per_week": "Every later week until `blockade_lifted`.",
    "adjudication.blockade.economy.power_elasticity": "Week's loss = max(it x (1 - electricity "
                                                      "share), trade term).",
    "adjudication.blockade.economy.trade_elasticity": "Week's loss = max(power term, it x (1 - "
                                                      "`shipping.trade_share`)).",
    "adjudication.blockade.break_share": "Read weekly from `shipping.energy_share` (LNG, coal "
                                         "and oil ships arrived over normal).",
    "adjudication.blockade.break_weeks": "Consecutive weeks; the count restarts after a week "
                                         "below `break_share`.",
    "adjudication.blockade.shipping.types": "Section 10.",
    "adjudication.blockade.shipping.types.lng": "Section 10.",
    "adjudication.blockade.shipping.types.coal": "Section 10.",
    "adjudication.blockade.shipping.types.oil": "Section 10.",
    "adjudication.blockade.shipping.types.container": "Section 10.",
    "adjudication.blockade.shipping.types.*.normal_per_week": "Sailings never exceed it; each "
                                                              "arrival brings 7 / it days of "
                                                              "the fuel.",
    "adjudication.blockade.shipping.types.*.state_fleet": "Shrinks by its share of the ships "
                                                          "sunk or seized.",
    "adjudication.blockade.shipping.types.*.purchases_per_week": "Added from the second week.",
    "adjudication.blockade.shipping.owners_willing_share": "Times 1 - (loss seen / "
                                                           "`uninsurable_loss`), at least 0.",
    "adjudication.blockade.shipping.uninsurable_loss": "Loss seen: last week's sunk and seized "
                                                       "over sailed, all types.",
    "adjudication.blockade.shipping.crewed_share": "Times the shuttle's ships.",
    "adjudication.blockade.shipping.transit_days": "Times 2 - `japan_legal.transshipment_ports` "
                                                   "(0 once `japan_base_use_denied`); fuel "
                                                   "lands a week later when over 7 days.",
    "adjudication.blockade.shipping.port_days": "Round trip = 2 x transit + port days.",
    "adjudication.blockade.shipping.us_reserve_ships": "Join the container shuttle after "
                                                       "`us_escort`.",
    "adjudication.blockade.shipping.us_reserve_ready": "Times `us_reserve_ships`.",
    "adjudication.blockade.shipping.us_reserve_days": "Counted from `us_escort`.",
    "adjudication.blockade.shipping.convoy_size": "Convoy berths a week = size x convoys.",
    "adjudication.blockade.shipping.convoys_per_week": "Convoy berths a week = size x convoys; "
                                                       "energy ships first.",
    "adjudication.blockade.shipping.convoy_assembly_hours": "From `us_escort` to "
                                                            "`convoys_arriving`.",
    "adjudication.blockade.shipping.boardings_per_week": "Spread over the unescorted sailings.",
    "adjudication.blockade.shipping.weather_worst": "Each week's workable share is drawn "
                                                    "uniformly between it and 1 (stream "
                                                    "`shipping/weather`).",
    "adjudication.blockade.shipping.coast_guard_resists": "Boarding capacity times 1 - it.",
    "adjudication.blockade.shipping.transit_loss": "From `military_blockade` or `invasion`.",
    "adjudication.blockade.shipping.escort_protection": "Convoy loss = transit_loss x (1 - "
                                                        "it)^escorts.",
    "adjudication.blockade.shipping.us_escorts_per_convoy": "Escorts per convoy.",
    "adjudication.blockade.shipping.japan_escorts_per_convoy": "Times `japan_legal.escort`.",
    "adjudication.blockade.shipping.missiles_per_convoy": "Fired at each convoy once "
                                                          "`us_forces_attacked`.",
    "adjudication.blockade.shipping.interceptor_shots": "Rounded; area interceptors only "
                                                        "(merchants have no terminal defence).",
    "adjudication.blockade.shipping.loss_per_hit": "Hits spread at random (Poisson) over the "
                                                   "convoy.",
    "adjudication.blockade.shipping.prc_cost_per_ship_sunk": "Into `shipping.prc_cost` (read "
                                                             "by prc_costs).",
}

# The range check each quantity type adds, as the Kind column shows it.
_RANGE = {S._non_negative: "≥ 0", S._probability: "in [0, 1]", S._unit_interval: "in [0, 1]",
          S._positive: "> 0"}


def _is_quantity(ann) -> bool:
    return S.Fixed in typing.get_args(ann)


def _range(metadata) -> str:
    checks = [m.func for m in metadata if isinstance(m, AfterValidator)]
    unknown = [f.__name__ for f in checks if f not in _RANGE]
    if unknown:
        raise DocsError(f"no wording for the quantity check(s) {unknown}")
    return "".join(" " + _RANGE[f] for f in checks)


def _value_kind(ann, metadata=()) -> str:
    if typing.get_origin(ann) is typing.Annotated:
        inner, *meta = typing.get_args(ann)
        return _value_kind(inner, tuple(metadata) + tuple(meta))
    if _is_quantity(ann):
        return "quantity" + _range(metadata)
    if ann is str:
        return "expression"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return {S.Channel: "channel", S.Rule: "rule"}.get(ann, "section")
    raise DocsError(f"no wording for the type {ann!r}")


def _kind(name: str, field) -> str:
    ann = field.annotation
    if typing.get_origin(ann) is typing.Literal:
        return "one of " + _code(typing.get_args(ann))
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if typing.get_origin(ann) is dict:
        return f"mapping: name → {_value_kind(typing.get_args(ann)[1])}"
    if ann is bool:
        return "true/false"
    if typing.get_origin(ann) is list and typing.get_args(ann) == (str,):
        return "list of names"
    if ann is str or args == [str]:
        return "text"
    if len(args) == 1 and typing.get_origin(args[0]) is typing.Literal:
        return "one of " + _code(typing.get_args(args[0]))
    if set(args) == {str, list[str]}:
        return "claim id or list" if name.endswith("source") else "name or list"
    if float in args and str in args:
        return "number or expression" if len(args) == 2 else "number, expression or quantity"
    if ann is int:
        return "whole number"
    if ann is float or args == [float]:
        return "number"
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return "section (optional)"
    if len(args) == 1 and typing.get_origin(args[0]) is typing.Annotated:
        return _value_kind(args[0]) + " (optional)"
    if args == [bool]:
        return "true/false"
    return _value_kind(ann, field.metadata)


def _default(field) -> str:
    if field.is_required():
        return "yes"
    d = field.get_default(call_default_factory=True)
    if d is None:
        return "no (default none)"
    if d == "":
        return "no (default empty)"
    if isinstance(d, bool):
        return f"no (default `{str(d).lower()}`)"
    if isinstance(d, float):
        return f"no (default `{d:g}`)"
    if isinstance(d, BaseModel):
        return "no (default: its own defaults)"
    return f"no (default `{d!r}`)"


def _own_fields(model: type[BaseModel]) -> list[str]:
    """Fields ``model`` adds to its base class, citation keys left out (they have one table)."""
    inherited = set(getattr(model.__mro__[1], "model_fields", {})) | set(S.Cited.model_fields)
    return [n for n in model.model_fields if n not in inherited]


def _note_key(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _schema_models() -> set[type[BaseModel]]:
    """Every model a scenario contains (the same walk the JSON Schema uses)."""
    from sim.config.jsonschema import scenario_models
    return set(scenario_models())


def _check_coverage() -> None:
    """Every field of every model in a scenario must appear in some table."""
    shown = {(model, n) for _, model, _ in SECTIONS for n in _own_fields(model)}
    shown |= {(S.Cited, n) for n in S.Cited.model_fields}
    shown |= {(m, n) for m in DISTRIBUTIONS for n in m.model_fields}
    missing = []
    for model in _schema_models():
        for n in model.model_fields:
            owner = next(k for k in reversed(model.__mro__)
                         if n in (getattr(k, "model_fields", None) or {}))
            if (owner, n) not in shown and (model, n) not in shown:
                missing.append(f"{model.__name__}.{n}")
    if missing:
        raise DocsError(f"schema fields in no table: {sorted(missing)} (add a section to "
                        f"sim.docs.SECTIONS)")


def _schema_description(model: type[BaseModel], name: str) -> str:
    """A field's description as the JSON Schema gives it to editors (one text for both)."""
    d = _json_schema()["definitions"].get(model.__name__)
    if d is None:  # a base class (Actor) has no definition of its own; its fields are the same
        return model.model_fields[name].description or ""
    return d["properties"][name].get("description", "")


@functools.lru_cache(maxsize=1)
def _json_schema() -> dict:
    from sim.config.jsonschema import scenario_schema
    return scenario_schema()


# --- the whole format in one outline, from the JSON Schema ------------------------------------

_KEY_NAMES = {"channels": "<a-b>", "rules": "<rule id>", "variables": "<name>",
              "misread": "<event>", "false_alarm": "<event>", "messages": "<message>",
              "fields": "<field>",
              "survival_indicators": "<event or message>"}


def _ref_name(node: dict) -> str | None:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[1]
    for sub in node.get("allOf", ()):
        if "$ref" in sub:
            return sub["$ref"].rsplit("/", 1)[1]
    for sub in node.get("anyOf", ()):  # an optional section (e.g. a rule's repeat)
        if "$ref" in sub and not sub["$ref"].endswith("Quantity"):
            return sub["$ref"].rsplit("/", 1)[1]
    return None


def _json_kind(node: dict, defs: dict) -> str:
    subs = node.get("anyOf", ())
    if len(subs) == 2 and {"type": "null"} in subs:  # an optional quantity
        inner = next(s for s in subs if s != {"type": "null"})
        if inner.get("$ref", "").endswith("Quantity"):
            return _json_kind(inner, defs) + " (optional)"
    ref = _ref_name(node)
    if ref and ref.endswith("Quantity"):
        words = {"Quantity": "quantity", "NonNegativeQuantity": "quantity ≥ 0",
                 "ProbabilityQuantity": "quantity in [0, 1]",
                 "ShareQuantity": "quantity in [0, 1]", "PositiveQuantity": "quantity > 0"}
        return words[ref]
    if ref:
        return "section"
    if "enum" in node:
        return "one of " + _code(node["enum"])
    types = [s.get("type") for s in node.get("anyOf", [node])]
    if node.get("type") == "object" and "additionalProperties" in node:
        return "mapping"
    if types and types[0] == "number" and "string" in types:
        if not any("$ref" in s for s in node.get("anyOf", ())):
            return "number or expression"
        return "number, expression or quantity"
    if "integer" in types:
        return "whole number"
    if "number" in types:
        return "number"
    if "array" in types:
        return "text or list"
    if "boolean" in types:
        return "true/false"
    if "string" in types:
        enums = [s["enum"] for s in node.get("anyOf", []) if "enum" in s]
        return "one of " + _code(enums[0]) if enums else "text"
    raise DocsError(f"no wording for the JSON Schema node {node!r}")


def schema_outline() -> str:
    """Every path of the scenario format, walked from the JSON Schema that editors use."""
    defs = _json_schema()["definitions"]
    rows: list[tuple[str, str, str, str]] = []
    first_seen: dict[str, str] = {}
    citation = set(S.Cited.model_fields)

    def walk(defn: str, prefix: str) -> None:
        d = defs[defn]
        required = set(d.get("required", ()))
        for name, node in d["properties"].items():
            if name in citation or name == "dist":
                continue
            path = f"{prefix}{name}"
            kind = _json_kind(node, defs)
            req = "yes" if name in required else ""
            rows.append((f"`{path}`", kind, req, node.get("description", "")))
            ref = _ref_name(node)
            sub = node.get("additionalProperties")
            if kind == "mapping" and isinstance(sub, dict):
                inner = _ref_name(sub)
                key = _KEY_NAMES.get(name, "<name>")
                if inner and not inner.endswith("Quantity"):
                    descend(inner, f"{path}.{key}.")
            elif ref and kind == "section":
                descend(ref, f"{path}.")

    def descend(defn: str, prefix: str) -> None:
        if defn in first_seen:  # shown once; later places refer back to it
            return
        first_seen[defn] = prefix
        walk(defn, prefix)

    walk("Scenario", "")
    return _table(("Path", "Kind", "Required", "Description (schema)"), rows)


def schema_table(model: type[BaseModel], where: str) -> str:
    """One section of the scenario format: its fields, kinds, defaults and descriptions."""
    rows = []
    for n in _own_fields(model):
        f = model.model_fields[n]
        rows.append((f"`{n}`", _kind(n, f), _default(f), _schema_description(model, n),
                     FIELD_NOTES[_note_key(where, n)]))
    if issubclass(model, S.Cited):
        rows.append((_code(S.Cited.model_fields), "see section 3", "no", "Citation keys.", ""))
    return _table(("Field", "Kind", "Required", "Description (schema)", "What the model does"),
                  rows)


# --- the reference file -----------------------------------------------------------------------

def blocks() -> dict[str, str]:
    """Every generated block of the reference, by marker name."""
    _check([_note_key(where, n) for _, model, where in SECTIONS for n in _own_fields(model)],
           FIELD_NOTES, "schema fields")
    _check_coverage()
    out = {"actions": actions(), "model-events": model_events(), "event-names": event_names(),
           "event-kinds": event_kinds(),
           "builtin-names": builtin_names(), "outcomes": outcomes(), "columns": columns(),
           "weekly-columns": weekly_columns(),
           "distributions": distributions(), "citation-keys": citation_keys(),
           "schema-outline": schema_outline()}
    out.update({name: schema_table(model, where) for name, model, where in SECTIONS})
    return out


_BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[\w:.*-]+) -->\n)(?P<body>.*?)"
                    r"(<!-- END GENERATED: (?P=name) -->)", re.S)


def generated_blocks(text: str) -> dict[str, str]:
    """The generated blocks found in ``text``, by name, without their markers."""
    return {m["name"]: m["body"].strip("\n") for m in _BLOCK.finditer(text)}


def update(text: str, rendered: dict[str, str]) -> str:
    """``text`` with each generated block replaced by its fresh rendering."""
    found = [m["name"] for m in _BLOCK.finditer(text)]
    begins = re.findall(r"<!-- BEGIN GENERATED: (\S+) -->", text)
    if found != begins:
        raise DocsError("a BEGIN GENERATED marker has no matching END: "
                        f"{sorted(set(begins) - set(found)) or begins}")
    missing = sorted(set(rendered) - set(found))
    unknown = sorted(set(found) - set(rendered))
    if missing or unknown:
        raise DocsError(f"blocks with no marker in the reference: {missing}; markers with no "
                        f"block: {unknown}")
    # blank lines around each block keep tables apart from the comment lines in any renderer
    return _BLOCK.sub(lambda m: f"{m[1]}\n{rendered[m['name']]}\n\n{m[4]}", text)


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated blocks of the reference in place (``--check``: only compare)."""
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    path = Path(paths[0]) if paths else REFERENCE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"error: {path}: {exc.strerror or exc} (run from the repository root, or pass "
              f"the reference's path)", file=sys.stderr)
        return 2
    try:
        new = update(text, blocks())
    except DocsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if new == text:
        print(f"{path}: up to date")
        return 0
    if check:
        print(f"{path}: generated blocks are out of date (run `make docs`)", file=sys.stderr)
        return 1
    path.write_text(new, encoding="utf-8")
    print(f"{path}: generated blocks rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
