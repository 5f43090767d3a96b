"""Module 1: the ships that sail for Taiwan in a week (csis-lo-ship-supply).

- Commercial owners: a share of normal sailings still sails with no losses seen
  (``owners_willing_share``, an assumption: major lines comply with the PRC's notice,
  csis-lo-commerce-complies), falling linearly to none at the attrition at which war-risk cover
  breaks down (csis-lo-insurance: about 1% loss of traffic means a 3-4% premium, and insurance
  fails at high single-digit attrition).
- The shuttle: requisitioned ships (Taiwan-flagged in the base case) with the crews that stay,
  plus purchases and the U.S. reserve fleet's ready ships, each making a round trip Japan-Taiwan
  as often as transit and port time allow (csis-convoy-limits; Japan Out doubles the transit,
  csis-lo-japan-ports-transshipment).
- Escorted convoys carry at most ``convoy_size x convoys_per_week`` merchants a week
  (csis-convoy-limits), energy first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sim.model.blockade import SHIP_TYPES
from sim.model.combat import _checks as chk

WEEK_DAYS = 7.0
# csis-lo-insurance: war-zone premiums run several times the losses; ~1% loss -> 3-4% premium.
PREMIUM_PER_LOSS = 3.5


def war_risk_premium(loss_rate: float, multiple: float = PREMIUM_PER_LOSS) -> float:
    """Hull war-risk premium as a share of the ship's value for a transit with ``loss_rate``
    share of ships lost: multiple x loss, at most 1 (csis-lo-insurance). A 1% loss rate gives
    0.035 (3.5%, inside the published 3-4%). Unitless."""
    return min(1.0, chk.count("multiple", multiple) * chk.probability("loss_rate", loss_rate))


def owners_willing(loss_rate: float, base_share: float, uninsurable_loss: float) -> float:
    """Share of normal commercial sailings that still sail when owners see ``loss_rate`` of
    ships lost (sunk or seized) per transit: ``base_share`` with no losses, falling linearly to
    zero at ``uninsurable_loss``, where cover cannot be bought (csis-lo-insurance: high single
    digits). Base 0.3, uninsurable 0.08: at 2% loss 0.3 x (1 - 0.25) = 0.225; at 8% or more,
    0. Never rises with the loss rate. Unitless."""
    loss = chk.probability("loss_rate", loss_rate)
    cap = chk.positive("uninsurable_loss", uninsurable_loss)
    return chk.probability("base_share", base_share) * max(0.0, 1.0 - loss / cap)


def transit_days(base_days: float, japan_ports_share: float) -> float:
    """Days from the transshipment port to Taiwan: ``base_days`` through Japan's ports (Osaka
    3-4 days, csis-convoy-limits), doubled when Japan's ports are closed ('Japan Out',
    csis-lo-japan-ports-transshipment), in proportion between: base x (2 - share). 3.5 days
    with the ports open; 7 with them closed; 5.25 with half. Days."""
    return chk.positive("base_days", base_days) * (
        2.0 - chk.probability("japan_ports_share", japan_ports_share))


def shuttle_sailings(ships: float, crewed_share: float, transit: float,
                     port_days: float) -> float:
    """Sailings for Taiwan in a week by a shuttle of ``ships`` with ``crewed_share`` of them
    crewed, each on a round trip of 2 x transit + port days: ships x crewed x 7 / round trip.
    20 ships, half crewed, 3.5 days each way and 2 in port (9-day round trip): 20 x 0.5 x 7 / 9
    = 7.78 a week; with the transit doubled (16-day trip), 4.375. Ships a week."""
    trip = 2.0 * chk.positive("transit", transit) + chk.count("port_days", port_days)
    return chk.count("ships", ships) * chk.probability("crewed_share", crewed_share) * \
        WEEK_DAYS / trip


def convoy_capacity(convoy_size: float, convoys_per_week: float) -> float:
    """Merchants escorted a week: at most 100 a convoy and 2 convoys a week gives 200
    (csis-convoy-limits). Ships a week."""
    return chk.count("convoy_size", convoy_size) * chk.count("convoys_per_week", convoys_per_week)


def allocate(wanted: Mapping[str, float], capacity: float,
             order: tuple[str, ...] = SHIP_TYPES) -> dict[str, float]:
    """Split ``capacity`` places (convoy berths) among ship types in priority ``order`` (energy
    first: LNG, coal, oil, then container ships), each taking what it wants while places last.
    Wanted {lng: 5, coal: 10, oil: 4, container: 60} into 30 places: 5, 10, 4, 11. Ships."""
    return dict(zip(order, allocate_in_order([wanted.get(t, 0.0) for t in order], capacity)))


def allocate_in_order(wanted: Sequence[float], capacity: float) -> list[float]:
    """``allocate`` for the places wanted listed in priority order (the shipping process's
    week, in ``SHIP_TYPES`` order: no dict built a week). [5, 10, 4, 60] into 30 places:
    [5, 10, 4, 11]. Ships."""
    left = chk.count("capacity", capacity)
    out = []
    for i, w in enumerate(wanted):
        w = chk.count_of("wanted", i, w)
        take = w if w < left else left  # min(left, w)
        out.append(take)
        left -= take
    return out


def sailings(normal: Sequence[float], shuttle_ships: Sequence[float], per_ship: float,
             commercial: float) -> tuple[list[float], list[float]]:
    """Every type at once (the shipping process's week): sailings wanted, min(normal, normal x
    commercial + ships x per_ship), and the share of them from the shuttle. ``commercial`` is
    the owners' willing share times the route factor; ``per_ship`` a shuttle ship's sailings a
    week (``shuttle_sailings(1, ...)``). Normal 10, willing 0.2, 5 shuttle ships at 0.5 a week:
    2 + 2.5 = 4.5 sailings, 2.5 / 4.5 = 0.556 of them the shuttle's. Ships a week."""
    wanted, shuttle_share = [], []
    for n, ships in zip(normal, shuttle_ships):
        trade, shuttle = n * commercial, ships * per_ship
        total = trade + shuttle
        wanted.append(n if total > n else total)
        shuttle_share.append(shuttle / total if shuttle > 0.0 else 0.0)
    return wanted, shuttle_share
