"""What every process shares: a name, output columns, and the engine it plugs into.

A process owns one physical or legal mechanism. It reads the world's truth (events as they
happen), acts on the actions the engine hands it, emits events that actors then observe, and
fills its own output columns. It never reads an actor's rules; actors never read its state.
"""

from __future__ import annotations

from typing import ClassVar

from sim.model import streams


_UNSHARED = object()  # Process.shared: reads a drawn scalar, so made in each replication


class Process:
    """Base class. Subclasses set ``name`` and ``columns`` and register their hooks in
    ``__init__`` through the engine (``on_event``, ``on_action``, ``on_learn``)."""

    name: ClassVar[str] = ""
    # (column, type, meaning with units): the columns this process adds to a run's table.
    columns: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    # Names of those columns that are losses or other counted quantities (ships sunk, aircraft
    # lost, missiles fired): summaries, figures and the report show them as distributions.
    quantities: ClassVar[tuple[str, ...]] = ()
    weekly_columns: ClassVar[tuple[tuple[str, str, str], ...]] = ()  # (name, type, meaning+units)

    @staticmethod
    def used(c) -> bool:
        """Whether a compiled scenario needs this process (its columns appear only then)."""
        return True

    def __init__(self, eng):
        self.eng = eng

    def shared(self, key: str, build, params):
        """``build()``, made in the first replication of the scenario and shared by the others
        when every scalar it reads (``params``: an iterable of names in ``eng.p``, read only
        then) is the same in every replication, else made in each. For tables that no
        replication changes (a replication pays a lookup, not the making); kept in
        ``eng.c.per_scenario`` under ``(process name, key)``."""
        cache, name = self.eng.c.per_scenario, (self.name, key)
        value = cache.get(name)
        if value is None:
            value = build()
            cache[name] = value if self.eng.c.drawn_names.isdisjoint(params) else _UNSHARED
        elif value is _UNSHARED:
            value = build()
        return value

    def uniform(self, key: str, j: int = 0) -> float:
        """Draw ``j`` of this process's stream ``<name>/<key>``: keyed by name, so it does not
        move when rules or other processes change, and each repetition (a second vote) gets
        its own draw."""
        return streams.uniform(self.eng.rkey, streams.name_key(f"{self.name}/{key}", j))

    def row(self, end_hours: float) -> tuple:
        """Values of ``columns`` at the end of the replication."""
        return ()

    def weekly_rows(self) -> list[tuple]:   # one tuple (week, *values in weekly_columns order)
        return []                            # per week played, week = 1, 2, ... (int)


def day(hours):
    """Hours since the start as a day number, or None."""
    return None if hours is None else hours / 24.0
