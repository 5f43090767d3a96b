"""The outcome row of one replication: flat values, days since the scenario start, None when a
thing never happened.

A row has the core columns every family shares, then the columns of each process the scenario
uses (in ``PROCESSES`` order), then ``status`` and ``error``. ``column_names(compiled)`` gives a
scenario's columns; ``COLUMNS`` lists every column any scenario can have (the documented set).
"""

from __future__ import annotations

from sim.model.processes import PROCESSES
from sim.model.vocab import ACTORS, TAIWAN_LOST, US_POSTURES

_US = ACTORS.index("us")

# (name, type, meaning). Types: int, float, bool, str. Days are since hour 0 of the scenario.
CORE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("replication", "int", "Replication index i (its random streams are keyed by the root seed, "
                           "i and each stream's name)."),
    ("outcome", "str", "How the crisis ended (see the scenario reference)."),
    ("end_day", "float", "Day the outcome was decided (the horizon if ongoing)."),
    ("taiwan_held", "bool", "Taiwan neither fell nor capitulated."),
    ("escalated_to_war", "bool", "Outside the invasion family: strikes on Taiwan, an invasion, "
                                 "attacks on U.S. forces, on Japanese territory or on U.S. bases "
                                 "in Japan or Guam, or U.S. combat happened."),
    ("blockade_start_day", "float", "Day a quarantine or blockade began to be enforced."),
    ("us_diplomatic_response_day", "float", "Day of the U.S. diplomatic response."),
    ("us_posture", "str", "Highest U.S. posture: monitor, signal, escort or combat."),
    ("us_intervened", "bool", "U.S. forces engaged in combat."),
    ("us_intervention_day", "float", "Day U.S. forces engaged in combat."),
    ("us_combat_decision_day", "float", "Day the U.S. decided on combat."),
    ("us_escort_day", "float", "Day the U.S. began escorting convoys."),
    ("us_resolve", "float", "This replication's draw of presidential resolve (0-1)."),
    ("japan_struck", "bool", "Japanese territory or U.S. bases in Japan were struck."),
    ("taiwan_capitulated", "bool", "Taiwan capitulated."),
    ("taiwan_capitulation_day", "float", "Day Taiwan capitulated."),
    ("tokyo_taipei_first_contact_hours", "float", "Hours from the start until the first "
                                                  "Tokyo-Taipei message arrived."),
    ("tokyo_taipei_message_hours", "float", "Transit hours of that first message."),
)
STATUS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("status", "str", "ok, or error when the model raised in this replication (every other "
                      "column but replication is then empty)."),
    ("error", "str", "The error, as 'ExceptionType: message', when status is error."),
)
# column name -> the process that fills it ("core" for the shared ones)
OWNER = {**{n: "core" for n, _, _ in CORE_COLUMNS + STATUS_COLUMNS},
         **{n: P.name for P in PROCESSES for n, _, _ in P.columns}}
COLUMNS = CORE_COLUMNS + tuple(col for P in PROCESSES for col in P.columns) + STATUS_COLUMNS
COLUMN_NAMES = tuple(c[0] for c in COLUMNS)
# Columns the processes mark as losses or counted quantities (``Process.quantities``), in table
# order: the results layer shows them as distributions.
QUANTITIES = tuple(n for P in PROCESSES for n in P.quantities)


def column_names(c) -> tuple[str, ...]:
    """The column names of a compiled scenario's table."""
    return c.column_names


class Row(tuple):
    """A row's values that also carry its column names (one shared tuple per scenario, as a
    class attribute), so a table can be built from rows alone whatever processes the scenario
    uses. ``row_of(values, names)`` builds one."""

    __slots__ = ()
    columns: tuple[str, ...] = COLUMN_NAMES

    def __reduce__(self):
        return (row_of, (tuple(self), self.columns))


_ROW_CLASSES: dict[tuple[str, ...], type] = {}


def row_of(values, names: tuple[str, ...]) -> Row:
    """``values`` as a ``Row`` whose ``columns`` are ``names``."""
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        cls = _ROW_CLASSES[names] = type("Row", (Row,), {"__slots__": (), "columns": names})
    return tuple.__new__(cls, values)


def _day(hours):
    return None if hours is None else hours / 24.0


# Events that count as war outside the invasion family (column escalated_to_war).
_WAR_EVENTS = ("invasion", "strikes_on_taiwan", "us_bases_japan_struck", "japan_territory_attacked",
               "us_forces_attacked", "us_combat", "us_bases_guam_struck")


def make_row(eng, replication: int) -> tuple:
    """Read a finished ``Engine`` into a row in ``column_names(eng.c)`` order."""
    h = eng.happened
    end = eng.end_hours
    outcome = eng.outcome
    # escalated_to_war: outside the invasion family, a war event by the end (isdisjoint
    # first: most replications have none of these events, and it is one C call)
    war = eng.c.family != "invasion" and not h.keys().isdisjoint(_WAR_EVENTS) and any(
        e in h and h[e] <= end for e in _WAR_EVENTS)
    quarantine, blockade = h.get("quarantine_enforced"), h.get("military_blockade")
    values = [
        replication,
        outcome,
        end / 24.0,
        outcome not in TAIWAN_LOST,
        war,
        _day(blockade if quarantine is None else  # the first of the two that happened
             quarantine if blockade is None else min(quarantine, blockade)),
        _day(h.get("us_diplomatic_response")),
        US_POSTURES[int(eng.know[_US]["posture"])],
        "us_combat" in h,
        _day(h.get("us_combat")),
        _day(h.get("us_combat_decided")),
        _day(h.get("us_escort")),
        eng.p["us.resolve"],  # the draw; resolve as it moved: us_politics's columns
        "us_bases_japan_struck" in h or "japan_territory_attacked" in h,
        "taiwan_capitulated" in h,
        _day(h.get("taiwan_capitulated")),
        eng.tt_first,
        eng.tt_latency,
    ]
    for proc in eng.processes:
        values += proc.row(end)  # extends the list in place (a tuple would be copied each time)
    values += ("ok", None)
    return row_of(values, eng.c.column_names)


def error_row(replication: int, exc: BaseException, names: tuple[str, ...] = COLUMN_NAMES):
    """The row of a replication whose model raised: kept in the table so a batch survives it and
    the failure is counted, not hidden. ``names``: the scenario's ``column_names``."""
    text = f"{type(exc).__name__}: {exc}".strip()
    return row_of((replication,) + (None,) * (len(names) - 3) + ("error", text[:500]), names)


# The weekly table's first two columns; the used processes' ``weekly_columns`` follow.
WEEKLY_KEYS: tuple[tuple[str, str, str], ...] = (
    ("replication", "int", "Replication index i (as in outcomes.parquet)."),
    ("week", "int", "Week of the series, from 1 (each process's first week played)."),
)


def weekly_columns(c) -> tuple[tuple[str, str, str], ...]:
    """The weekly table's columns for a compiled scenario: the keys, then each used process's
    ``weekly_columns`` in process order; only the keys when no used process has a series."""
    cols = WEEKLY_KEYS + tuple(col for P in c.processes for col in P.weekly_columns)
    names = [n for n, _, _ in cols]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"weekly column(s) {', '.join(twice)} declared twice "
                         f"(processes {', '.join(P.name for P in c.processes)})")
    return cols


def weekly_rows(eng, replication: int) -> list[tuple]:
    """Each used process's weekly rows joined on the week: ``(replication, week, *values)``,
    with None where a process played no such week. Empty when no process has a series."""
    parts = [(P.weekly_columns, p) for P, p in zip(eng.c.processes, eng.processes)
             if P.weekly_columns]
    if not parts:
        return []
    by_week: dict[int, list] = {}
    width = sum(len(cols) for cols, _ in parts)
    at = 0
    for cols, proc in parts:
        seen = set()
        for r in proc.weekly_rows():
            if len(r) != len(cols) + 1:
                raise ValueError(f"{proc.name}: a weekly row has {len(r)} values, expected week "
                                 f"and {len(cols)} ({', '.join(n for n, _, _ in cols)})")
            week = _week(proc.name, r[0])
            if week in seen:
                raise ValueError(f"{proc.name}: week {week} reported twice")
            seen.add(week)
            row = by_week.setdefault(week, [None] * width)
            row[at:at + len(cols)] = r[1:]
        at += len(cols)
    return [(replication, w, *by_week[w]) for w in sorted(by_week)]


def _week(process: str, week) -> int:
    """A week number as an int (numpy integers included), or a ValueError naming the process."""
    import operator
    try:
        w = operator.index(week)
    except TypeError:
        w = None
    if w is None or isinstance(week, bool) or w < 1:
        raise ValueError(f"{process}: week {week!r} is not a whole number >= 1")
    return w
