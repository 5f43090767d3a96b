"""One replication of a scenario: the public entry point of the model.

``run_replication`` builds an ``Engine`` (``sim.model.engine``) with the processes the scenario
uses (``sim.model.processes``), runs it and reads it into one row (``sim.model.outcome``).
"""

from __future__ import annotations

from sim.model.compiled import Compiled
from sim.model.engine import Engine
from sim.model.outcome import make_row, weekly_rows
from sim.model.streams import replication_key, slot_draws


def run_replication(c: Compiled, root_seed: int, replication: int, trace: bool = False):
    """Run replication ``replication`` of ``c``; return ``(row, trace_records or None)``.

    Its random numbers are keyed by (``root_seed``, ``replication``, each stream's name), so a
    replication is the same whatever batch, worker or order it runs in."""
    rkey = replication_key(root_seed, replication)
    u, z = slot_draws(c.slot_keys, rkey)
    eng = Engine(c, u, z, [] if trace else None, rkey)
    eng.run()
    return make_row(eng, replication), eng.trace


def run_replication_weekly(c: Compiled, root_seed: int, replication: int):
    """Run replication ``replication`` of ``c``; return ``(row, weekly rows)``: the same row as
    :func:`run_replication`, and each week the used processes played as
    ``(replication, week, *values)`` (``sim.model.outcome.weekly_rows``). Kept apart so a batch
    without a weekly table pays nothing for it."""
    rkey = replication_key(root_seed, replication)
    u, z = slot_draws(c.slot_keys, rkey)
    eng = Engine(c, u, z, None, rkey)
    eng.run()
    return make_row(eng, replication), weekly_rows(eng, replication)


def drawn_values(c: Compiled, root_seed: int, replication: int) -> dict[str, float]:
    """The scenario's uncertain parameters as replication ``replication`` draws them (resolve,
    thresholds, will, ...), for a trace to show what a run started from. A parameter whose value
    does not depend on its draw (a fixed number) is left out."""
    u, z = slot_draws(c.slot_keys, replication_key(root_seed, replication))
    return {name: f(u[s], z[s]) for name, f, s in c.scalars
            if f(0.1, -1.0) != f(0.9, 1.0)}
