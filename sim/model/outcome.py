"""The outcome row of one replication: flat values, days since the scenario start, None when a
thing never happened. The column list is the table's schema."""

from __future__ import annotations

from sim.model.vocab import ACTORS, JAPAN_LEVELS, TAIWAN_LOST, US_POSTURES

_US, _JAPAN = ACTORS.index("us"), ACTORS.index("japan")

# (name, type, meaning). Types: int, float, bool, str. Days are since hour 0 of the scenario.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("replication", "int", "Replication index i (seeded by SeedSequence(root, spawn_key=(i,)))."),
    ("outcome", "str", "How the crisis ended (see the scenario reference)."),
    ("end_day", "float", "Day the outcome was decided (the horizon if ongoing)."),
    ("taiwan_held", "bool", "Taiwan neither fell nor capitulated."),
    ("escalated_to_war", "bool", "Outside the invasion family: strikes on Taiwan, an invasion, "
                                 "attacks on U.S. forces, on Japanese territory or on U.S. bases "
                                 "in Japan, or U.S. combat happened."),
    ("blockade_start_day", "float", "Day a quarantine or blockade began to be enforced."),
    ("us_diplomatic_response_day", "float", "Day of the U.S. diplomatic response."),
    ("us_posture", "str", "Highest U.S. posture: monitor, signal, escort or combat."),
    ("us_intervened", "bool", "U.S. forces engaged in combat."),
    ("us_intervention_day", "float", "Day U.S. forces engaged in combat."),
    ("us_combat_decision_day", "float", "Day the U.S. decided on combat."),
    ("us_escort_day", "float", "Day the U.S. began escorting convoys."),
    ("us_withdrawal_day", "float", "Day U.S. forces withdrew under the War Powers clock."),
    ("us_resolve", "float", "This replication's draw of presidential resolve."),
    ("japan_level", "str", "Highest legal situation Japan recognised (an armed-attack "
                           "recognition already under way may complete after end_day)."),
    ("japan_important_influence_day", "float", "Day Japan recognised an important-influence "
                                               "situation."),
    ("japan_anticipated_armed_attack_day", "float", "Day Japan recognised an anticipated armed "
                                                    "attack."),
    ("japan_survival_threatening_day", "float", "Day a survival-threatening situation took "
                                                "effect (after Diet approval)."),
    ("japan_armed_attack_day", "float", "Day Japan recognised an armed attack (may follow "
                                        "end_day: the process had started)."),
    ("japan_survival_score", "float", "Japan's survival-threat score at the end."),
    ("japan_survival_score_at_declaration", "float", "Score when the Cabinet sought the "
                                                     "survival-threatening declaration, if the "
                                                     "Diet approved it."),
    ("japan_survival_threshold", "float", "This replication's threshold."),
    ("japan_diet_rejected", "bool", "The Diet refused prior approval."),
    ("japan_threatened", "bool", "The PRC's threat over base use reached Tokyo."),
    ("japan_base_use", "str", "granted, denied, or not_asked (also: asked but no answer by the "
                              "end)."),
    ("japan_base_use_day", "float", "Day Japan granted base use."),
    ("bases_used", "bool", "U.S. combat operations flew from bases in Japan."),
    ("japan_struck", "bool", "Japanese territory or U.S. bases in Japan were struck."),
    ("taiwan_capitulated", "bool", "Taiwan capitulated."),
    ("taiwan_capitulation_day", "float", "Day Taiwan capitulated."),
    ("lng_exhausted_day", "float", "Day Taiwan's LNG ran out."),
    ("coal_exhausted_day", "float", "Day Taiwan's coal ran out."),
    ("oil_below_legal_minimum_day", "float", "Day crude stocks reached the legal minimum."),
    ("oil_exhausted_day", "float", "Day crude oil ran out."),
    ("lng_days_left", "float", "LNG stock at the end, days of normal use."),
    ("coal_days_left", "float", "Coal stock at the end, days of normal use."),
    ("oil_days_left", "float", "Crude stock at the end, days of normal use."),
    ("tokyo_taipei_first_contact_hours", "float", "Hours from the start until the first "
                                                  "Tokyo-Taipei message arrived."),
    ("tokyo_taipei_message_hours", "float", "Transit hours of that first message."),
    ("invasion_score", "float", "Adjudication score of an invasion, if one landed."),
    ("status", "str", "ok, or error when the model raised in this replication (every other "
                      "column but replication is then empty)."),
    ("error", "str", "The error, as 'ExceptionType: message', when status is error."),
)
COLUMN_NAMES = tuple(c[0] for c in COLUMNS)


def _day(hours):
    return None if hours is None else hours / 24.0


def make_row(rep, replication: int) -> tuple:
    """Read a finished ``Replication`` into a tuple in ``COLUMN_NAMES`` order."""
    h = rep.happened
    know_us, know_jp = rep.know[_US], rep.know[_JAPAN]
    level = int(know_jp["level"])
    end = rep.end_hours
    stocks = rep.stocks_at(end)
    outcome = rep.outcome
    war = any(e in h and h[e] <= end for e in ("invasion", "strikes_on_taiwan",
                                                "us_bases_japan_struck", "japan_territory_attacked",
                                                "us_forces_attacked", "us_combat"))
    return (
        replication,
        outcome,
        end / 24.0,
        outcome not in TAIWAN_LOST,
        war and rep.c.family != "invasion",
        _day(min((h[e] for e in ("quarantine_enforced", "military_blockade") if e in h),
                 default=None)),
        _day(h.get("us_diplomatic_response")),
        US_POSTURES[int(know_us["posture"])],
        "us_combat" in h,
        _day(h.get("us_combat")),
        _day(h.get("us_combat_decided")),
        _day(h.get("us_escort")),
        _day(h.get("us_forces_withdrawn")),
        know_us["resolve"],
        JAPAN_LEVELS[level],
        _day(rep.japan_level_hours.get(1)),
        _day(rep.japan_level_hours.get(2)),
        _day(rep.japan_level_hours.get(3)),
        _day(rep.japan_level_hours.get(4)),
        know_jp["survival_score"],
        rep.japan_score_at_st,
        know_jp["survival_threshold"],
        "japan_diet_rejected" in h,
        know_jp.get("prc_threat_to_japan", 0.0) > 0,
        rep.base_use,
        _day(h.get("japan_base_use_granted")),
        "us_combat_from_japan" in h,
        "us_bases_japan_struck" in h or "japan_territory_attacked" in h,
        "taiwan_capitulated" in h,
        _day(h.get("taiwan_capitulated")),
        _day(h.get("lng_exhausted")),
        _day(h.get("coal_exhausted")),
        _day(h.get("oil_below_legal_minimum")),
        _day(h.get("oil_exhausted")),
        stocks[0],
        stocks[1],
        stocks[2],
        rep.tt_first,
        rep.tt_latency,
        rep.invasion_score,
        "ok",
        None,
    )


def error_row(replication: int, exc: BaseException) -> tuple:
    """The row of a replication whose model raised: kept in the table so a batch survives it and
    the failure is counted, not hidden."""
    text = f"{type(exc).__name__}: {exc}".strip()
    return (replication,) + (None,) * (len(COLUMNS) - 3) + ("error", text[:500])
