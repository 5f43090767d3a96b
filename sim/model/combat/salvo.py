"""Anti-ship missile salvos: how many missiles of a salvo hit, and how many ships that puts out
of action.

A missile is a chain of independent chances (csis-fb-asm-launch-failure,
csis-fb-asm-interceptors, csis-fb-asm-terminal):

    hit = (1 - launch failure) x (1 - Pk)^shots x (1 - terminal defence) x (1 - guidance failure)

With CSIS's values, 0.85 x 0.3^2 x 0.30 x 0.90 = 0.85 x 0.09 x 0.30 x 0.90 = 0.0206550 per
missile. CSIS adds fat tails (csis-fb-asm-fat-tails: 5% attacker and 5% defender catastrophic
error) and reports base-case averages of 5.6% of subsonic and 7.4% of supersonic missiles
fired hitting (csis-fb-asm-base-hit-rates); it does not show how the tails enter those
averages. ``fat_tail_hit_probability`` gives one reading, labelled as ours: an attacker error
wastes the salvo, a defender error lets it meet no defences at all. With CSIS's values that
reading gives 5.68%, near the subsonic 5.6%. Callers that want the published averages use
``BASE_HIT_RATE_SUBSONIC`` / ``BASE_HIT_RATE_SUPERSONIC`` directly.

Hits land on the ships of a group at random (csis-fb-asm-salvo-example). We spread them as
independent Poisson hits per ship (our assumption; it works for expected, non-whole hits): a
ship needing ``k`` hits is out of action with probability P(Poisson(hits / ships) >= k).

Everything is plain-float, deterministic expected values; the ``sampled_*`` forms take the
caller's uniform draws (one per count) so randomness stays with the caller's stream.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.errors import ModelError
from sim.model.combat import _checks as chk

# csis-fb-asm-launch-failure: 15% of missiles fail at launch or malfunction (Desert Storm basis).
LAUNCH_FAILURE = 0.15
# csis-fb-asm-interceptors: two interceptors per incoming missile, single-shot Pk 0.70.
INTERCEPTORS_PER_MISSILE = 2
INTERCEPTOR_PK = 0.70
# csis-fb-asm-terminal: terminal defences and EW stop 70% of leakers; 10% of the rest miss.
TERMINAL_DEFENCE = 0.70
GUIDANCE_FAILURE = 0.10
# csis-fb-asm-fat-tails: a 5% chance of a catastrophic error on each side.
ATTACKER_ERROR = 0.05
DEFENDER_ERROR = 0.05
# csis-fb-asm-base-hit-rates: base-case share of missiles fired that hit, and the
# "ship defenses poor" excursion's share (applied to both sides).
BASE_HIT_RATE_SUBSONIC = 0.056
BASE_HIT_RATE_SUPERSONIC = 0.074
POOR_DEFENCES_HIT_RATE = 0.25
# csis-fb-asm-salvo-example: CSIS resolves supersonic missiles in salvos of 25.
SALVO_SIZE = 25


def area_leak(interceptor_pk: float = INTERCEPTOR_PK,
              shots: int = INTERCEPTORS_PER_MISSILE) -> float:
    """Share of missiles that survive the area interceptors: (1 - Pk)^shots, each shot
    independent. Two shots at Pk 0.7 leave 0.3^2 = 0.09, Lights Out's 9%
    (csis-lo-asm-two-interceptors; csis-fb-asm-interceptors: P(at least one of two hits) =
    0.91). Unitless."""
    pk = chk.probability("interceptor_pk", interceptor_pk)
    return (1.0 - pk) ** chk.whole("shots", shots)


def hit_probability(*, launch_failure: float = LAUNCH_FAILURE,
                    interceptor_pk: float = INTERCEPTOR_PK,
                    shots: int = INTERCEPTORS_PER_MISSILE,
                    terminal_defence: float = TERMINAL_DEFENCE,
                    guidance_failure: float = GUIDANCE_FAILURE) -> float:
    """Probability that one missile fired hits a defended ship, through the chain launch ->
    area interceptors -> terminal defence -> terminal guidance (csis-fb-asm-launch-failure,
    csis-fb-asm-interceptors, csis-fb-asm-terminal). CSIS's values give 0.85 x 0.09 x 0.30 x
    0.90 = 0.020655. A merchant in convoy has the escorts' interceptors but no terminal defence
    (csis-lo-asm-two-interceptors): pass ``terminal_defence=0``. Unitless, per missile."""
    launched = 1.0 - chk.probability("launch_failure", launch_failure)
    terminal = 1.0 - chk.probability("terminal_defence", terminal_defence)
    guided = 1.0 - chk.probability("guidance_failure", guidance_failure)
    return launched * area_leak(interceptor_pk, shots) * terminal * guided


def fat_tail_hit_probability(normal: float, undefended: float, *,
                             attacker_error: float = ATTACKER_ERROR,
                             defender_error: float = DEFENDER_ERROR) -> float:
    """Per-missile hit probability once CSIS's fat tails (csis-fb-asm-fat-tails) are mixed in.

    Our reading (CSIS does not show the combination): with probability ``attacker_error`` the
    salvo is wasted (no hits); with ``defender_error`` it meets no defences and hits with
    ``undefended`` (e.g. launch and guidance only: 0.85 x 0.90 = 0.765); otherwise ``normal``.
    (1 - 0.05 - 0.05) x 0.020655 + 0.05 x 0.765 = 0.0185895 + 0.03825 = 0.0568395."""
    a = chk.probability("attacker_error", attacker_error)
    d = chk.probability("defender_error", defender_error)
    if a + d > 1.0:
        raise ModelError(f"attacker_error + defender_error ({a} + {d}) must be at most 1")
    return ((1.0 - a - d) * chk.probability("normal", normal)
            + d * chk.probability("undefended", undefended))


def expected_hits(missiles: float, hit_rate: float) -> float:
    """Expected hits from ``missiles`` fired (a count, possibly fractional) at ``hit_rate`` per
    missile fired: missiles x rate. A 25-missile supersonic salvo at CSIS's base 7.4% gives
    25 x 0.074 = 1.85 expected hits (csis-fb-asm-base-hit-rates). Units: missiles -> hits."""
    return chk.count("missiles", missiles) * chk.probability("hit_rate", hit_rate)


def sampled_hits(missiles: int, hit_rate: float, u: float) -> int:
    """One sampled number of hits: Binomial(missiles, hit_rate) drawn by inverse CDF from the
    caller's uniform ``u`` in [0, 1). Each missile hits or not independently; the mean is
    ``expected_hits``. A larger ``u`` never gives fewer hits."""
    return chk.binomial_quantile(chk.whole("missiles", missiles),
                                 chk.probability("hit_rate", hit_rate), chk.uniform("u", u))


def out_of_action_probability(hits: float, ships: float, hits_to_disable: int = 1) -> float:
    """Probability that one ship of a group of ``ships`` is out of action after ``hits`` land
    at random on the group: each ship gets Poisson(hits / ships) hits (our assumption for
    CSIS's random assignment, csis-fb-asm-salvo-example) and is out with ``hits_to_disable``
    or more. CSIS's example needs one hit per destroyer or cruiser. Unitless."""
    h = chk.count("hits", hits)
    n = chk.count("ships", ships)
    k = chk.whole("hits_to_disable", hits_to_disable)
    if n == 0.0:
        return 0.0
    return chk.poisson_at_least(h / n, k)


def ships_out_of_action(hits: float, group: Mapping[str, float],
                        hits_to_disable: Mapping[str, int] | None = None) -> dict[str, float]:
    """Expected ships put out of action, by class, when ``hits`` land at random on ``group``
    (class -> ship count). ``hits_to_disable`` gives the hits each class needs (default 1, as
    in csis-fb-asm-salvo-example; more for large ships is an assumption the caller labels).
    Every ship is equally likely to be hit, whatever its class.

    Worked example: 3 hits on a SAG of 2 DDG + 1 CG, one hit each: mean hits per ship = 1,
    P(out) = 1 - e^-1 = 0.632, so 2 x 0.632 = 1.264 DDG and 0.632 CG, 1.896 ships in all.
    (CSIS's example had each of the 3 hits on a different ship, all three out.)"""
    need = hits_to_disable or {}
    total = sum(chk.count_of("group", c, n) for c, n in group.items())
    out = {}
    for cls, n in group.items():
        out[cls] = float(n) * out_of_action_probability(hits, total, need.get(cls, 1))
    return out


def sampled_ships_out_of_action(hits: float, group: Mapping[str, int],
                                uniforms: Mapping[str, float],
                                hits_to_disable: Mapping[str, int] | None = None
                                ) -> dict[str, int]:
    """One sampled outcome of ``ships_out_of_action``: per class, Binomial(ships,
    P(out)) drawn from that class's uniform in ``uniforms``. Classes are drawn independently
    (a simplification: in truth hits on one class are hits not on another)."""
    need = hits_to_disable or {}
    total = sum(chk.whole(f"group[{c!r}]", n) for c, n in group.items())
    out = {}
    for cls, n in group.items():
        if cls not in uniforms:
            raise ModelError(f"uniforms has no draw for ship class {cls!r}")
        p = out_of_action_probability(hits, total, need.get(cls, 1))
        out[cls] = chk.binomial_quantile(n, p, chk.uniform(f"uniforms[{cls!r}]", uniforms[cls]))
    return out


def defended_fat_tail_rate(shots: int = INTERCEPTORS_PER_MISSILE,
                           interceptor_pk: float = INTERCEPTOR_PK) -> float:
    """Per-missile hit probability against a warship group firing ``shots`` interceptors at
    each incoming missile, with CSIS's fat tails in our reading (``fat_tail_hit_probability``):
    the normal chain (``hit_probability``) 90% of the time, undefended (launch and guidance
    only: 0.85 x 0.90 = 0.765) 5% of the time, wasted 5% of the time. Unitless, per missile.

    Two shots at Pk 0.7: 0.9 x 0.020655 + 0.05 x 0.765 = 0.0568395 (near CSIS's subsonic 5.6%).
    Three shots: 0.85 x 0.027 x 0.30 x 0.90 = 0.0061965; 0.9 x 0.0061965 + 0.03825 =
    0.04382685. More interceptors never raise it."""
    undefended = (1.0 - LAUNCH_FAILURE) * (1.0 - GUIDANCE_FAILURE)
    return fat_tail_hit_probability(hit_probability(interceptor_pk=interceptor_pk, shots=shots),
                                    undefended)
