"""One replication of a scenario: the public entry point of the model.

``run_replication`` builds an ``Engine`` (``sim.model.engine``) with the processes the scenario
uses (``sim.model.processes``), runs it and reads it into one row (``sim.model.outcome``).
"""

from __future__ import annotations

import numpy as np

from sim.model.compiled import Compiled
from sim.model.engine import Engine
from sim.model.outcome import make_row


def replication_rng(root_seed: int, replication: int) -> np.random.Generator:
    """The generator of replication ``i``: ``SeedSequence(root, spawn_key=(i,))``."""
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(replication,)))


def slot_draws(rng: np.random.Generator, n: int) -> tuple[list, list]:
    """A uniform and a standard normal for each of ``n`` slots.

    Slot ``k`` reads only the generator's draws ``3k .. 3k+2`` (its uniform, then a Box-Muller
    normal from the other two), so adding slots at the end never changes earlier slots' values.
    """
    w = rng.random((n, 3))
    z = np.sqrt(-2.0 * np.log1p(-w[:, 1])) * np.cos(2.0 * np.pi * w[:, 2])
    return w[:, 0].tolist(), z.tolist()


def run_replication(c: Compiled, root_seed: int, replication: int, trace: bool = False):
    """Run replication ``replication`` of ``c``; return ``(row, trace_records or None)``."""
    u, z = slot_draws(replication_rng(root_seed, replication), c.n_slots)
    eng = Engine(c, u, z, [] if trace else None)
    eng.run()
    return make_row(eng, replication), eng.trace
