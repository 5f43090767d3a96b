"""U.S. attack submarines in the strait: PLA ships sunk per turn and the submarines lost.

CSIS's rule of thumb (csis-fb-ssn-sinkings): each U.S. SSN in the strait sinks 2 large
amphibious ships and as many escorts or decoys per 3.5-day turn; a squadron of 4 boats sinks
8 + 8 and loses about 20% of its boats a turn. CSIS does not track torpedoes, and its boats
cycle back to Guam, Yokosuka or Wake to reload; here a boat on station simply keeps sinking at
the rate. One squadron is in the strait when the war starts (csis-fb-ssn-start).

Assumptions (ours, to become YAML): boats sink with the strength they start the turn with and
are lost during it; a turn longer or shorter than 3.5 days scales the sinkings in proportion
and the boats' survival as 0.8^(days / 3.5); sinkings stop at the ships there are (a boat with
no amphibious target left does not sink extra escorts instead).
"""

from __future__ import annotations

from typing import NamedTuple

from sim.model.combat import _checks as chk

# csis-fb-ssn-sinkings: per SSN per 3.5-day turn, and the squadron's loss share per turn.
AMPHIBIOUS_PER_SSN_TURN = 2.0
ESCORTS_PER_SSN_TURN = 2.0
SSN_LOSS_PER_TURN = 0.20
RULE_TURN_DAYS = 3.5
# csis-fb-ssn-start: boats per squadron; one squadron in the strait at the start.
BOATS_PER_SQUADRON = 4


class SubmarineTurn(NamedTuple):
    """One turn of the submarine campaign (counts of boats and ships; floats)."""
    ssns_start: float
    amphibious_sunk: float
    escorts_sunk: float
    ssns_lost: float
    ssns_end: float
    amphibious_left: float
    escorts_left: float


def ssn_sinkings(ssns: float, amphibious: float, escorts: float, *,
                 amphibious_per_ssn: float = AMPHIBIOUS_PER_SSN_TURN,
                 escorts_per_ssn: float = ESCORTS_PER_SSN_TURN,
                 turn_days: float = RULE_TURN_DAYS) -> tuple[float, float]:
    """(amphibious ships sunk, escorts sunk) in one turn by ``ssns`` boats on station:
    ssns x rate x turn_days / 3.5, capped at the ships present (csis-fb-ssn-sinkings).
    A 4-boat squadron in a 3.5-day turn: 4 x 2 = 8 amphibious and 8 escorts. Units: ships."""
    scale = chk.count("ssns", ssns) * chk.positive("turn_days", turn_days) / RULE_TURN_DAYS
    amph = min(chk.count("amphibious", amphibious),
               scale * chk.count("amphibious_per_ssn", amphibious_per_ssn))
    esc = min(chk.count("escorts", escorts), scale * chk.count("escorts_per_ssn", escorts_per_ssn))
    return amph, esc


def ssn_losses(ssns: float, *, loss_per_turn: float = SSN_LOSS_PER_TURN,
               turn_days: float = RULE_TURN_DAYS) -> float:
    """Boats lost in one turn: ssns x (1 - (1 - loss)^(turn_days / 3.5)); in a 3.5-day turn
    just ssns x 0.20 (csis-fb-ssn-sinkings). Units: boats."""
    survive = (1.0 - chk.probability("loss_per_turn", loss_per_turn)) ** (
        chk.positive("turn_days", turn_days) / RULE_TURN_DAYS)
    return chk.count("ssns", ssns) * (1.0 - survive)


def submarine_turn(ssns: float, amphibious: float, escorts: float, *,
                   turn_days: float = RULE_TURN_DAYS,
                   loss_per_turn: float = SSN_LOSS_PER_TURN) -> SubmarineTurn:
    """One turn: sinkings by the boats at the start of the turn, then the boats' losses.
    From 4 boats, 96 amphibious and 52 escorts: 8 and 8 sunk, 0.8 boats lost, leaving
    3.2 boats, 88 amphibious and 44 escorts."""
    amph, esc = ssn_sinkings(ssns, amphibious, escorts, turn_days=turn_days)
    lost = ssn_losses(ssns, loss_per_turn=loss_per_turn, turn_days=turn_days)
    return SubmarineTurn(float(ssns), amph, esc, lost, float(ssns) - lost,
                         float(amphibious) - amph, float(escorts) - esc)


def submarine_campaign(ssns: float, amphibious: float, escorts: float, turns: int, *,
                       turn_days: float = RULE_TURN_DAYS,
                       loss_per_turn: float = SSN_LOSS_PER_TURN) -> list[SubmarineTurn]:
    """``turns`` turns of ``submarine_turn`` with no reinforcement, each starting from the last.
    Without caps, a squadron's sinkings form a geometric series: after T turns
    8 x (1 - 0.8^T) / 0.2 = 40 x (1 - 0.8^T) amphibious ships, never more than 40."""
    out = []
    for _ in range(chk.whole("turns", turns)):
        t = submarine_turn(ssns, amphibious, escorts, turn_days=turn_days,
                           loss_per_turn=loss_per_turn)
        out.append(t)
        ssns, amphibious, escorts = t.ssns_end, t.amphibious_left, t.escorts_left
    return out


def sampled_ssn_losses(ssns: int, u: float, *, loss_per_turn: float = SSN_LOSS_PER_TURN,
                       turn_days: float = RULE_TURN_DAYS) -> int:
    """Boats lost in one turn as a whole number: Binomial(ssns, per-boat loss) drawn from the
    caller's uniform ``u``; its mean is ``ssn_losses``."""
    p = ssn_losses(1.0, loss_per_turn=loss_per_turn, turn_days=turn_days)
    return chk.binomial_quantile(chk.whole("ssns", ssns), min(1.0, p), chk.uniform("u", u))


def arrivals(due: float, rate: float) -> tuple[int, float]:
    """Boats arriving in the strait this turn, back from reloading (csis-fb-ssn-cycle), and
    the fraction still due: ``due + rate`` accumulates and whole boats arrive. At one boat a
    turn from nothing due: (1, 0.0); at 0.4 a turn: 0, 0, 1 over three turns (0.4, 0.8, then
    1.2 -> one boat and 0.2 due). Units: boats."""
    total = chk.count("due", due) + chk.count("rate", rate)
    whole = int(total)
    return whole, total - whole
