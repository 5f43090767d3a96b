"""The PLA's amphibious fleet and its escorts under fire, turn by turn: steps 1 and 2 of the
campaign's turn (docs/campaign-arithmetic.md), and the fleet that carries step 3's lift.

1. Salvos: Taiwan's shore-based anti-ship missiles every turn while they last
   (csis-fb-taiwan-harpoons); U.S. bombers' LRASM (csis-fb-lrasm-stock) and JASSM-ER
   (csis-fb-jassm-er-stock, csis-fb-bomber-strike-load, at ``jassm_er_ship_effectiveness`` of
   the LRASM's hit rate) at the launch share the caller works out (the U.S. share of the turn
   in combat x its surviving air share x the standoff launch share). Hits are drawn
   Binomial(missiles, hit_rate) (csis-fb-asm-base-hit-rates) and land at random on the group:
   every ship equally likely to be hit, one hit puts it out, so each class and the escorts lose
   the same share (salvo.out_of_action_probability).
2. Submarines: the U.S. boats in the strait for the share of the turn the U.S. fights, plus
   Japan's ``japan_ssn_equivalents`` times the anti-submarine share its law allows, sink at
   CSIS's rate (csis-fb-ssn-sinkings), spread over the classes in proportion
   (counts.spread_losses); U.S. boats are lost (drawn) and come back from reloading at
   ``ssn_arrivals_per_turn`` while the U.S. fights (csis-fb-ssn-cycle).

Why a module of its own: this is everything that happens to the fleet at sea, with its own
state (ships by class, escorts, missile stocks, boats). The arithmetic is that of
``sim.model.combat`` (salvo, submarines, counts, lift), written out inline because this is the
hot loop; tests/test_invasion_fused.py checks it equals the pure functions on random inputs.
"""

from __future__ import annotations

import math

from sim.model import streams
from sim.model.combat._checks import binomial_quantile
from sim.model.combat.lift import SUNK_MIDWAY
from sim.model.combat.submarines import RULE_TURN_DAYS as SSN_TURN_DAYS
from sim.model.combat.submarines import SSN_LOSS_PER_TURN
from sim.model.processes.invasion.params import CLASS_WEIGHTS, CLASSES

# The campaign's random streams (``invasion_campaign/<name>``, draw k in turn k): keyed by name,
# so a draw never moves when another is added or skipped (sim.model.streams).
_key = streams.name_key
TAIWAN_ASM, LRASM, JASSM_ER, SSN_LOSSES = (f"invasion_campaign/{s}" for s in
                                           ("taiwan_asm", "lrasm", "jassm_er", "ssn_losses"))


class Fleet:
    """The amphibious fleet (ships by class, CLASSES order; expected counts), its escorts, the
    stocks fired at it and the U.S. submarines hunting it."""

    __slots__ = ("ships", "at_turn_start", "start", "start_total", "escorts", "escorts_start",
                 "taiwan_asm", "lrasm", "jassm_er", "taiwan_asm_fired", "lrasm_fired",
                 "jassm_er_fired", "ssns", "ssn_due", "ssns_arrived")

    def __init__(self, q):
        self.start = q.fleet
        self.ships = list(q.fleet)
        self.at_turn_start = q.fleet
        self.start_total = sum(q.fleet)
        self.escorts = self.escorts_start = q.escorts
        self.taiwan_asm = q.taiwan_asm_stock
        self.lrasm = q.lrasm_stock
        self.jassm_er = q.jassm_er_stock
        self.taiwan_asm_fired = self.lrasm_fired = self.jassm_er_fired = 0.0
        self.ssns = q.us_ssns  # whole boats on station
        self.ssn_due = 0.0     # boats on their way back, a fraction of one
        self.ssns_arrived = 0

    def by_class(self) -> dict[str, float]:
        """Ships afloat by class name."""
        return dict(zip(CLASSES, self.ships))

    def left(self) -> float:
        """Amphibious ships afloat, all classes."""
        return sum(self.ships)

    def under_fire(self, q, k: int, us: float, launch: float, asw: float, rkey: int) -> None:
        """Steps 1 and 2 of turn ``k``: the salvos at the fleet, then the submarines. ``us``:
        share of the turn the U.S. fought; ``launch``: share of the planned U.S. standoff
        launches that got off; ``asw``: the share of Japan's anti-submarine force its law lets
        it use; ``rkey``: the replication's stream key."""
        ships = self.ships
        self.at_turn_start = tuple(ships)  # step 3 credits ships sunk now with half a load
        escorts = self.escorts

        # 1. Salvos (salvo.sampled_hits each; whole missiles, as many as the stock allows).
        x = q.taiwan_asm_per_turn
        tw = int(x if x < self.taiwan_asm else self.taiwan_asm)
        x = q.lrasm_per_turn * launch
        lr = int(round(x if x < self.lrasm else self.lrasm))
        x = q.jassm_er_per_turn * launch
        js = int(x if x < self.jassm_er else self.jassm_er)
        hits = 0
        if tw:
            self.taiwan_asm -= tw
            self.taiwan_asm_fired += tw
            hits += binomial_quantile(tw, q.hit_rate,
                                      streams.uniform(rkey, _key(TAIWAN_ASM, k)))
        if lr:
            self.lrasm -= lr
            self.lrasm_fired += lr
            hits += binomial_quantile(lr, q.hit_rate, streams.uniform(rkey, _key(LRASM, k)))
        if js:
            self.jassm_er -= js
            self.jassm_er_fired += js
            hits += binomial_quantile(js, q.jassm_hit_rate,
                                      streams.uniform(rkey, _key(JASSM_ER, k)))
        if hits:
            # salvo.out_of_action_probability with one hit to disable: P(Poisson(mean) >= 1)
            n = sum(ships) + escorts
            out = -math.expm1(-(hits / n)) if n != 0.0 else 0.0
            x = escorts - escorts * out
            escorts = x if x > 0.0 else 0.0
            for i, n in enumerate(ships):
                x = n - n * out
                ships[i] = x if x > 0.0 else 0.0

        # 2. Submarines (submarines.ssn_sinkings, spread over the classes in proportion).
        ssns = self.ssns
        boats = ssns * us + q.japan_ssn_equivalents * asw
        if boats > 0.0:
            amphibious = sum(ships)
            scale = boats * q.turn_days / SSN_TURN_DAYS
            x = scale * q.ssn_sinks_amphibious
            amph = x if x < amphibious else amphibious
            x = scale * q.ssn_sinks_escorts
            esc = x if x < escorts else escorts
            if amphibious > 0.0:
                share = amph / amphibious
                for i, n in enumerate(ships):
                    x = n - n * share
                    ships[i] = x if x > 0.0 else 0.0
            x = escorts - esc
            escorts = x if x > 0.0 else 0.0
        self.escorts = escorts
        if us > 0.0:
            if ssns:  # submarines.sampled_ssn_losses
                keep = (q.ssn_keep_full_turn if us == 1.0 else
                        (1.0 - SSN_LOSS_PER_TURN) ** (q.turn_days * us / SSN_TURN_DAYS))
                p = 1.0 - keep
                self.ssns = ssns - binomial_quantile(
                    ssns, p if p < 1.0 else 1.0, streams.uniform(rkey, _key(SSN_LOSSES, k)))
            if q.ssn_arrivals_per_turn > 0.0:  # submarines.arrivals (csis-fb-ssn-cycle)
                total = self.ssn_due + q.ssn_arrivals_per_turn * us
                arrived = int(total)
                self.ssn_due = total - arrived
                self.ssns += arrived
                self.ssns_arrived += arrived

    def carrying_weight(self) -> float:
        """The lift weight that carried this turn's load (lift.weighted_fleet of
        lift.fleet_during_turn): the ships afloat plus ``SUNK_MIDWAY`` of those sunk during the
        turn, each weighted by its class (lift.CLASS_WEIGHT)."""
        total = 0.0
        for n0, n1, w in zip(self.at_turn_start, self.ships, CLASS_WEIGHTS):
            sunk = n0 - n1
            total += (n1 + SUNK_MIDWAY * (sunk if sunk > 0.0 else 0.0)) * w
        return total
