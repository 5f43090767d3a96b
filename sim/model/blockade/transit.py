"""Module 2: what happens to the ships that sail (csis-lo-three-modules).

Each sailing ends one of three ways in the week it sails: arrived, sunk (or written off) or
seized, so arrived + sunk + seized = sailed for every type and week (mass balance).

- Boarding (a quarantine, and alongside a military blockade): the coast guard and militia board
  at most ``boardings_per_week`` unescorted ships, fewer when the weather keeps boats in port
  (LO's weather layer; csis-lo-boarding-weather) and when Taiwan's coast guard resists (LO
  Variant 1). Boarding capacity is shared over the unescorted sailings in proportion.
- Submarines and mines (a military blockade): each transit is lost with a probability; escorts
  cut it by a share per escort ship (an assumption of ours; LO's Convoy Battle gives the
  forces, not a rate).
- Missile salvos at convoys (once the PRC fires on the escorts): ``missiles_per_convoy`` (LO:
  up to 200, 8 salvos of 25) meet the escorts' area interceptors but no terminal defence
  (csis-lo-asm-two-interceptors; ``combat.salvo.hit_probability`` with terminal_defence=0);
  each hit loses the ship with the Tanker War's share sunk or written off (csis-lo-tanker-war:
  8.2% + 27.9%), hits spread at random (Poisson) over the convoy's merchants.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from sim.model.combat import _checks as chk
from sim.model.combat import salvo

# csis-lo-tanker-war: of Exocet hits on ships in the Tanker War, 8.2% sank, 27.9% were written off.
LOSS_PER_HIT = 0.082 + 0.279


class Passage(NamedTuple):  # for readers; passage() returns a plain tuple (hot loop)
    """A week's sailings of one type and what became of them (ships; floats)."""
    sailed: float
    arrived: float
    sunk: float
    seized: float


def seizure_share(unescorted: float, boardings: float, workable: float = 1.0,
                  resisted: float = 0.0) -> float:
    """Share of unescorted sailings boarded and seized in a week: boardings x workable x
    (1 - resisted) spread over ``unescorted`` sailings, at most 1. 20 boardings, 3/4 of the week
    workable, none resisted, 60 sailings: 15 / 60 = 0.25. No sailings: 0. Unitless."""
    n = chk.count("unescorted", unescorted)
    if n == 0.0:
        return 0.0
    cap = chk.count("boardings", boardings) * chk.probability("workable", workable) * (
        1.0 - chk.probability("resisted", resisted))
    return min(1.0, cap / n)


def transit_loss(base_loss: float, escorts: float, protection_per_escort: float) -> float:
    """Probability a transit is lost to submarines and mines: ``base_loss`` unescorted, times
    (1 - protection)^escorts for each escort ship with the convoy (independent chances of the
    escort foiling an attack; our assumption). 0.15 unescorted; with 8 escorts at 0.15 each:
    0.15 x 0.85^8 = 0.15 x 0.2725 = 0.0409. More escorts never raise it. Unitless."""
    keep = (1.0 - chk.probability("protection_per_escort", protection_per_escort)) ** \
        chk.count("escorts", escorts)
    return chk.probability("base_loss", base_loss) * keep


def convoy_missile_losses(merchants: float, missiles: float, interceptor_shots: int = 2,
                          interceptor_pk: float = salvo.INTERCEPTOR_PK,
                          loss_per_hit: float = LOSS_PER_HIT) -> float:
    """Expected merchants lost in a convoy of ``merchants`` when ``missiles`` are fired at it:
    hits = missiles x 0.85 x 0.3^shots x 0.90 (no terminal defence, csis-lo-asm-two-interceptors),
    each hit losing its ship with ``loss_per_hit``; hits land at random, so a merchant is lost
    with 1 - exp(-hits x loss_per_hit / merchants). 200 missiles at 100 merchants with two
    interceptors each: 200 x 0.06885 = 13.77 hits, x 0.361 = 4.971 losing hits, 100 x (1 -
    e^-0.04971) = 4.850 merchants. Ships."""
    n = chk.count("merchants", merchants)
    if n == 0.0:
        return 0.0
    per = salvo.hit_probability(interceptor_pk=interceptor_pk, shots=interceptor_shots,
                                terminal_defence=0.0)
    losing = chk.count("missiles", missiles) * per * chk.probability("loss_per_hit",
                                                                     loss_per_hit)
    return n * (1.0 - math.exp(-losing / n))


def passage(sailed: float, seized_share: float, loss: float) -> tuple:
    """One type's week: ``seized_share`` of the sailings is boarded and seized before the dash,
    then ``loss`` of the rest is sunk; the others arrive. 10 sailed, 0.25 seized, 0.1 lost:
    2.5 seized, 0.75 sunk, 6.75 arrived (and 6.75 + 0.75 + 2.5 = 10). Ships, as a plain
    tuple in ``Passage`` order (sailed, arrived, sunk, seized)."""
    n = chk.count("sailed", sailed)
    seized = n * chk.probability("seized_share", seized_share)
    sunk = (n - seized) * chk.probability("loss", loss)
    return (n, n - seized - sunk, sunk, seized)


def passages(alone: Sequence[float], escorted: Sequence[float] | None, seized_share: float,
             loss_alone: float, loss_convoy: float) -> list[tuple]:
    """Every type at once: ``passage`` of the unescorted sailings (seized, then lost with
    ``loss_alone``) plus ``passage`` of the escorted ones (never boarded, lost with
    ``loss_convoy``), summed per type as (sailed, arrived, sunk, seized). 10 alone at 0.25
    seized and 0.1 lost plus 20 escorted at 0.05 lost: (30, 6.75 + 19, 0.75 + 1, 2.5).
    ``escorted`` None: no convoys (most weeks), the unescorted sums alone (adding the escorted
    zeros would leave every sum as it is)."""
    chk.probability("seized_share", seized_share)
    chk.probability("loss_alone", loss_alone)
    chk.probability("loss_convoy", loss_convoy)
    out = []
    if escorted is None:
        for a in alone:
            seized = a * seized_share
            sunk = (a - seized) * loss_alone
            out.append((a, a - seized - sunk, sunk, seized))
        return out
    for a, b in zip(alone, escorted):
        seized = a * seized_share
        sunk_a = (a - seized) * loss_alone
        sunk_b = b * loss_convoy
        out.append((a + b, a - seized - sunk_a + b - sunk_b, sunk_a + sunk_b, seized))
    return out
