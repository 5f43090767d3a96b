"""Counts by class: spreading a loss over the classes of a group, in proportion to their size."""

from __future__ import annotations

from collections.abc import Mapping

from sim.model.combat import _checks as chk


def spread_losses(total: float, counts: Mapping[str, float]) -> dict[str, float]:
    """Split ``total`` losses over ``counts`` (class -> ships or units) in proportion to each
    class's share, as if every unit were equally likely to be the one lost. The total is capped
    at the group's size, so no class loses more than it has. Units: same as ``counts``.

    Example: 8 sunk from {lst: 28, lhd_lpd: 18, lsm: 20, roro: 30} (96 ships) removes
    8 x 28/96 = 2.333 LST, 1.5 LHD/LPD, 1.667 LSM and 2.5 RO-RO."""
    lost = chk.count("total", total)
    size = sum(chk.count_of("counts", c, n) for c, n in counts.items())
    if size == 0.0:
        return {c: 0.0 for c in counts}
    share = min(lost, size) / size
    return {c: float(n) * share for c, n in counts.items()}


def subtract(counts: Mapping[str, float], losses: Mapping[str, float]) -> dict[str, float]:
    """``counts`` less ``losses`` class by class, never below zero."""
    return {c: max(0.0, float(n) - float(losses.get(c, 0.0))) for c, n in counts.items()}
