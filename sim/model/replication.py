"""One replication of a scenario: the public entry point of the model.

``run_replication`` builds an ``Engine`` (``sim.model.engine``) with the processes the scenario
uses (``sim.model.processes``), runs it and reads it into one row (``sim.model.outcome``).
``run_replications`` runs many in a row, as a batch does: the same rows, a little faster.
"""

from __future__ import annotations

from itertools import islice

from sim.model.compiled import Compiled
from sim.model.engine import Engine
from sim.model.outcome import error_row, make_row, weekly_rows
from sim.model.streams import replication_key, slot_draws, slot_draws_many

# Replications whose first draws are computed in one NumPy pass (``run_replications``): enough
# to pay NumPy's per-call overhead once for many, few enough that the arrays stay in cache
# (measured with 340-410 slots: 24 us a replication one by one, 10-12 us from 16 to 24, 15-18
# us at 32 and more).
_BLOCK = 16


def run_replication(c: Compiled, root_seed: int, replication: int, trace: bool = False):
    """Run replication ``replication`` of ``c``; return ``(row, trace_records or None)``.

    Its random numbers are keyed by (``root_seed``, ``replication``, each stream's name), so a
    replication is the same whatever batch, worker or order it runs in."""
    rkey = replication_key(root_seed, replication)
    u, z = slot_draws(c.slot_keys, rkey)
    return _play(c, rkey, u, z, [] if trace else None,
                 lambda eng: (make_row(eng, replication), eng.trace))


def run_replication_weekly(c: Compiled, root_seed: int, replication: int):
    """Run replication ``replication`` of ``c``; return ``(row, weekly rows)``: the same row as
    :func:`run_replication`, and each week the used processes played as
    ``(replication, week, *values)`` (``sim.model.outcome.weekly_rows``). Kept apart so a batch
    without a weekly table pays nothing for it."""
    rkey = replication_key(root_seed, replication)
    u, z = slot_draws(c.slot_keys, rkey)
    return _play(c, rkey, u, z, None,
                 lambda eng: (make_row(eng, replication), weekly_rows(eng, replication)))


def run_replications(c: Compiled, root_seed: int, replications, errors: bool = False):
    """Yield the row of each replication in ``replications`` (an iterable of indices), in
    order: the same rows as ``run_replication(c, root_seed, i)[0]`` one by one, with the first
    draws of every slot computed for a block of replications at once.

    ``errors``: a replication whose model raises yields its ``error_row`` (as a batch records
    it) instead of raising."""
    return _play_many(c, root_seed, replications, errors, make_row, lambda row: row)


def run_replications_weekly(c: Compiled, root_seed: int, replications, errors: bool = False):
    """Yield ``(row, weekly rows)`` of each replication in ``replications``, in order: as
    :func:`run_replication_weekly` one by one (see :func:`run_replications`). ``errors``: a
    replication whose model raises yields ``(its error_row, None)`` instead of raising."""
    return _play_many(c, root_seed, replications, errors,
                      lambda eng, i: (make_row(eng, i), weekly_rows(eng, i)),
                      lambda row: (row, None))


def _play(c: Compiled, rkey: int, u, z, trace, read):
    """Build and run one replication's engine; return ``read(engine)``, then free the engine."""
    eng = Engine(c, u, z, trace, rkey)
    eng.run()
    out = read(eng)
    _free(eng)
    return out


def _play_many(c: Compiled, root_seed: int, replications, errors: bool, read, failed):
    """``read(engine, i)`` of each replication in order (first draws in blocks); with
    ``errors``, a replication whose model raises yields ``failed(its error_row)``."""
    for i, rkey, u, z in _first_draws(c, root_seed, replications):
        try:
            out = _play(c, rkey, u, z, None, lambda eng: read(eng, i))  # noqa: B023 - called now
        except Exception as exc:  # noqa: BLE001 - recorded in the row when asked to
            if not errors:
                raise
            out = failed(error_row(i, exc, c.column_names))
        yield out


def _free(eng: Engine) -> None:
    """Let go of a finished replication's engine at once. The engine, its processes, their hooks
    and its weekly clock refer to one another, so reference counting alone cannot free them;
    left to Python's cyclic garbage collector they cost 25-45 us a replication (measured: the
    collections they set off also walk whatever else is young). Emptying the engine's
    attributes breaks every cycle through it; ``eng`` is not to be used afterwards."""
    eng.__dict__.clear()


def _first_draws(c: Compiled, root_seed: int, replications):
    """``(replication, its key, u, z)`` for each of ``replications`` in order, ``u`` and ``z``
    computed ``_BLOCK`` replications at a time (``streams.slot_draws_many``)."""
    it = iter(replications)
    while block := list(islice(it, _BLOCK)):
        rkeys = [replication_key(root_seed, i) for i in block]
        for i, rkey, (u, z) in zip(block, rkeys, slot_draws_many(c.slot_keys, rkeys)):
            yield i, rkey, u, z


def drawn_values(c: Compiled, root_seed: int, replication: int) -> dict[str, float]:
    """The scenario's uncertain parameters as replication ``replication`` draws them (resolve,
    thresholds, will, ...), for a trace to show what a run started from. A parameter whose value
    does not depend on its draw (a fixed number) is left out."""
    u, z = slot_draws(c.slot_keys, replication_key(root_seed, replication))
    return {name: f(u[s], z[s]) for name, f, s in c.scalars
            if f(0.1, -1.0) != f(0.9, 1.0)}
