"""Air superiority: who holds the air over the strait, and what that changes.

CSIS's game plays air combat mission by mission (CAP, escorted strikes, ground support;
operational-parameters A7) and gives no single number for control of the air. The campaign
needs one, per turn, so these are our assumptions, written to be checked by hand:

- The allies' share of the air is their aircraft flying over the PLA's plus theirs:
  ``allied / (allied + pla)``, aircraft for aircraft (CSIS's base case: same generation, same
  capability, csis-fb-pla-parity). 0.5 is parity.
- A side does its planned work (the salvo its bombers launch, the strikes its bombers fly)
  while it holds at least parity, and in proportion to its share below it:
  ``min(1, 2 x share)``. Standoff missiles are launched from beyond most of the enemy's fighter
  cover, so a ``floor`` of the planned launches gets off even with no share of the air at all.
- An aircraft's loss rate per sortie is the YAML's rate at parity. Half of it
  (``GROUND_DEFENCE_SHARE``) is taken to come from air defences on the ground and ships, which
  do not care who holds the air; the other half, air-to-air, scales with the opponent's share:
  ``rate x (0.5 + 0.5 x 2 x opponent_share)``. Flying against an air force three times one's
  own (opponent share 0.75) costs a quarter more per sortie than at parity; against no
  aircraft at all, half the parity rate.

Plain floats, no randomness, no clock.
"""

from __future__ import annotations

from sim.model.combat import _checks as chk

PARITY = 0.5
# Assumption (no source splits them): half of the per-sortie losses at parity come from air
# defences on the ground and at sea, half from enemy aircraft.
GROUND_DEFENCE_SHARE = 0.5


def allied_share(allied: float, pla: float) -> float:
    """The allies' share of the air: allied / (allied + pla) aircraft flying; parity (0.5)
    when neither side flies. 300 allied against 900 PLA: 300 / 1200 = 0.25. Unitless."""
    a = chk.count("allied", allied)
    p = chk.count("pla", pla)
    if a + p == 0.0:
        return PARITY
    return a / (a + p)


def parity_factor(share: float) -> float:
    """Share of its planned air work a side gets done holding ``share`` of the air: all of it
    at parity or better, in proportion below: min(1, 2 x share). A share of 0.25 gives 0.5;
    0.75 gives 1. Unitless."""
    return min(1.0, 2.0 * chk.probability("share", share))


def standoff_launch_share(share: float, floor: float) -> float:
    """Share of planned standoff launches that get off holding ``share`` of the air: the
    ``floor`` launched from beyond the enemy's fighter cover whatever happens, plus the rest in
    proportion to ``parity_factor``: floor + (1 - floor) x min(1, 2 x share). A share of 0.25
    with a floor of 0.5: 0.5 + 0.5 x 0.5 = 0.75. Unitless."""
    f = chk.probability("floor", floor)
    return f + (1.0 - f) * parity_factor(share)


def contested_loss_rate(rate_at_parity: float, opponent_share: float,
                        ground_share: float = GROUND_DEFENCE_SHARE) -> float:
    """Loss rate per sortie when the opponent holds ``opponent_share`` of the air: the
    ``ground_share`` of the parity rate owed to air defences stays, the rest scales by
    2 x opponent_share; at most 1:
    rate x (ground_share + (1 - ground_share) x 2 x opponent_share).
    The allies at 0.5% a sortie against a PLA holding 0.75 of the air:
    0.005 x (0.5 + 0.5 x 1.5) = 0.005 x 1.25 = 0.00625; the PLA at 1% against allies holding
    0.25: 0.01 x (0.5 + 0.5 x 0.5) = 0.0075. Unitless, per sortie."""
    r = chk.probability("rate_at_parity", rate_at_parity)
    g = chk.probability("ground_share", ground_share)
    o = chk.probability("opponent_share", opponent_share)
    return min(1.0, r * (g + (1.0 - g) * 2.0 * o))
