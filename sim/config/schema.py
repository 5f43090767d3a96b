"""The scenario format, as pydantic models.

Every field has a description: they document the format here and in the scenario reference.
Models forbid unknown keys so a typo is an error, not a silent default.
Numbers that carry uncertainty are *quantities*: a plain number, ``{value: x}``, or a
distribution ``{dist: ..., ...}``, each optionally citing ``source`` (claim ids in
``seeds/claims.yaml``) or giving an ``assumption`` (the reason no source fixes the value).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      field_validator, model_validator)

Z90 = 1.2815515655446004  # standard normal 90th percentile
Z_MAX = 9.0  # beyond any normal draw a run meets (P(|z| > 9) is about 2e-19)
LOG_FLOAT_MAX = math.log(1.7976931348623157e308)

_SLUG = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}", re.ASCII)

Families = Literal["invasion", "outer_islands", "blockade", "gray_zone"]
# Scenario format versions this code reads. 1: rules decide once and finish a deliberation begun
# (files without ``format:``). 2: rules may ``repeat``, use ``hazard_per_day``, and a
# deliberation is ``interruptible`` unless a rule says otherwise.
FORMATS = (1, 2)
CURRENT_FORMAT = 2
Supports = Literal["mechanism", "value", "direction"]
Targets = Literal["kinmen", "matsu", "penghu", "pratas"]


class Strict(BaseModel):
    # strict: a quoted '2' is text, not a number (YAML already reads unquoted numbers as such)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


class Cited(Strict):
    source: Union[str, list[str], None] = Field(
        None, description="Claim id(s) from seeds/claims.yaml that this value rests on.")
    assumption: str | None = Field(
        None, description="Why this value is assumed when no source fixes it.")
    supports: Supports | None = Field(
        None, description="What the cited claim supports: 'mechanism' (that the effect exists; "
        "its number may be a labelled assumption), 'value' (the number itself) or 'direction' "
        "(the sign of the effect). Required on new citations.")
    note: str | None = Field(None, description="Free text for readers.")
    unit: str | None = Field(None, description="Unit of the value, if not in the field name.")

    @model_validator(mode="after")
    def _supports_needs_source(self):
        if self.supports is not None and self.source is None:
            raise ValueError(f"supports: {self.supports!r} says what a cited claim supports; "
                             f"add the claim id as 'source'")
        return self

    def sources(self) -> list[str]:
        if self.source is None:
            return []
        return [self.source] if isinstance(self.source, str) else list(self.source)


# --- quantities -------------------------------------------------------------------------------

class Fixed(Cited):
    dist: Literal["fixed"] = Field(
        "fixed", description="Distribution: a fixed value (may be left out).")
    value: float = Field(description="The fixed value.")


class Uniform(Cited):
    dist: Literal["uniform"] = Field(description="Distribution: uniform.")
    low: float = Field(description="Lowest value.")
    high: float = Field(description="Highest value.")

    @model_validator(mode="after")
    def _order(self):
        if self.high < self.low:
            raise ValueError(f"high ({self.high:g}) must not be below low ({self.low:g})")
        return self


class Triangular(Cited):
    dist: Literal["triangular"] = Field(description="Distribution: triangular.")
    low: float = Field(description="Lowest value.")
    mode: float = Field(description="Most likely value.")
    high: float = Field(description="Highest value.")

    @model_validator(mode="after")
    def _order(self):
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low:g}, {self.mode:g}, "
                             f"{self.high:g}")
        return self


class Lognormal(Cited):
    dist: Literal["lognormal"] = Field(description="Distribution: lognormal.")
    median: float = Field(gt=0, description="Median (half of draws fall below it).")
    p90: float = Field(gt=0, description="90th percentile; sets the spread.")
    max: float | None = Field(None, gt=0, description="Optional cap on draws.")

    @model_validator(mode="after")
    def _order(self):
        if self.p90 <= self.median:
            raise ValueError(f"p90 ({self.p90:g}) must be above the median ({self.median:g})")
        # The sampler computes exp(log(median) + sigma * z); without a cap, a draw at the
        # largest z it can meet must stay a finite float.
        sigma = math.log(self.p90 / self.median) / Z90
        if self.max is None and math.log(self.median) + sigma * Z_MAX > LOG_FLOAT_MAX:
            raise ValueError(f"p90 ({self.p90:g}) is so far above the median ({self.median:g}) "
                             f"that draws would overflow; lower p90 or set max")
        return self


class Normal(Cited):
    dist: Literal["normal"] = Field(description="Distribution: normal.")
    mean: float = Field(description="Mean.")
    sd: float = Field(ge=0, description="Standard deviation.")
    low: float | None = Field(None, description="Draws below this are raised to it.")
    high: float | None = Field(None, description="Draws above this are lowered to it.")


class Exponential(Cited):
    dist: Literal["exponential"] = Field(description="Distribution: exponential.")
    mean: float = Field(gt=0, description="Mean.")


class Bernoulli(Cited):
    dist: Literal["bernoulli"] = Field(description="Distribution: bernoulli.")
    p: float = Field(ge=0, le=1, description="Probability of drawing 1 (else 0).")


_DISTS = ("fixed", "uniform", "triangular", "lognormal", "normal", "exponential", "bernoulli")


def _coerce_quantity(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("expected a number or a distribution, not true/false")
    if isinstance(v, list) or v is None:
        raise ValueError(f"expected a number or a distribution (got "
                         f"{'a list' if v is not None else 'nothing: the value is empty'})")
    if isinstance(v, str):  # the loader reads 1e-3 as a number: text here was quoted
        hint = "; write numbers without quotes" if _is_number_text(v) else ""
        raise ValueError(f"expected a number or a distribution, not text "
                         f"(got {_cut(v)}){hint}")
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            raise ValueError(f"expected a finite number (got {v!r})")
        return {"dist": "fixed", "value": v}
    if isinstance(v, dict) and "dist" not in v:
        return {"dist": "fixed", **v}
    if isinstance(v, dict) and "dist" in v and v["dist"] not in _DISTS:
        import difflib
        close = difflib.get_close_matches(str(v["dist"]), _DISTS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown distribution {v['dist']!r}{hint}; one of {', '.join(_DISTS)}")
    return v


def _is_number_text(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _cut(v: Any, limit: int = 40) -> str:
    text = repr(v)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


Quantity = Annotated[
    Union[Fixed, Uniform, Triangular, Lognormal, Normal, Exponential, Bernoulli],
    Field(discriminator="dist"),
    BeforeValidator(_coerce_quantity),
]


def lowest(q) -> float:
    """Lowest value a quantity can take (for checks such as 'delays are not negative')."""
    d = q.dist
    if d == "fixed":
        return q.value
    if d in ("uniform", "triangular"):
        return q.low
    if d in ("lognormal", "exponential", "bernoulli"):
        return 0.0
    if d == "normal":
        return -float("inf") if q.low is None else q.low
    raise AssertionError(d)


def highest(q) -> float:
    d = q.dist
    if d == "fixed":
        return q.value
    if d in ("uniform", "triangular"):
        return q.high
    if d == "bernoulli":
        return 1.0
    if d == "normal":
        return float("inf") if q.high is None else q.high
    return float("inf") if getattr(q, "max", None) is None else q.max


def _non_negative(q):
    if lowest(q) < 0:  # the loader puts the field's name in place of "value"
        raise ValueError(f"value must not be negative (lowest possible {lowest(q):g})")
    return q


def _range(q) -> str:
    lo, hi = lowest(q), highest(q)
    return f"{lo:g}" if lo == hi else f"range {lo:g} to {hi:g}"


def _probability(q):
    if lowest(q) < 0 or highest(q) > 1:
        raise ValueError(f"a probability must lie in [0, 1] (got {_range(q)})")
    return q


def _unit_interval(q):
    if lowest(q) < 0 or highest(q) > 1:  # the loader puts the field's name in place of "value"
        raise ValueError(f"value must lie in [0, 1] (got {_range(q)})")
    return q


def _positive(q):
    if lowest(q) <= 0:
        raise ValueError(f"value must be positive (lowest possible {lowest(q):g})")
    return q


NonNegative = Annotated[Quantity, AfterValidator(_non_negative)]
"""A quantity that can never be negative: delays, stocks, weights."""
Probability = Annotated[Quantity, AfterValidator(_probability)]
"""A probability: always in [0, 1]."""
Share = Annotated[Quantity, AfterValidator(_unit_interval)]
"""A share or a 0-1 scale (resolve, resistance): always in [0, 1]."""
Positive = Annotated[Quantity, AfterValidator(_positive)]
"""A quantity that is always above zero (a length of time something is judged over)."""


# --- rules ------------------------------------------------------------------------------------

class Repeat(Strict):
    """How a rule may decide again (format 2)."""

    limit: int = Field(ge=1, le=1000, description="How many more times the rule may decide "
                                                  "after its first decision.")
    every_days: float | None = Field(
        None, gt=0, allow_inf_nan=False,
        description="Decide again on this cadence in days (a weekly review: 7) while the "
        "condition holds; without it, decide again when a fact the rule reads changes (a "
        "message received again counts).")
    after_acting: bool = Field(
        False, description="Also decide again after taking the action, not only after declining "
        "or taking 'otherwise' (a request that may be asked again).")


class Retry(Strict):
    """How a sender tries again when a channel refuses its message."""

    attempts: int = Field(ge=1, le=100, description="How many more times to send after a "
                                                    "refusal.")
    after_hours: NonNegative = Field(description="Hours from a refusal to the next attempt.")


class Rule(Cited):
    """A decision rule: when the condition holds, deliberate, then act with a probability (or
    at a hazard rate).

    Without ``repeat`` a rule decides once: a "no" from its probability uses it up. A refusal by
    the law (e.g. a survival-threatening declaration below the threshold) leaves it waiting."""

    when: str = Field(description="Condition over what the actor knows (restricted expression).")
    action: str = Field(description="What the actor does (see the action list for each actor).")
    delay_hours: NonNegative = Field(
        0.0, validate_default=True,
        description="Deliberation time in hours from the condition holding to the decision.")
    probability: Union[float, str, Quantity] = Field(
        1.0, description="Chance the actor acts when it decides: a number in [0, 1], a "
        "distribution drawn once per replication, or an expression over what it knows then "
        "(clipped to [0, 1]).")
    otherwise: str | None = Field(
        None, description="Action taken instead when the draw says no (e.g. deny_base_use).")
    message: str | None = Field(
        None, description="With 'send' (as action or otherwise): the message name.")
    to: Union[str, list[str], None] = Field(
        None, description="With 'send' (as action or otherwise): the recipient actor(s).")
    retry: Retry | None = Field(
        None, description="With 'send': try again when a channel refuses the message.")
    enabled: bool = Field(True, description="Set false in a variant to switch the rule off.")
    description: str | None = Field(None, description="What the rule stands for.")
    hazard_per_day: Union[float, str, None] = Field(
        None, description="Instead of 'delay_hours' and 'probability' (format 2): the action "
        "comes at this rate per day while the condition holds, a number or an expression over "
        "what the actor knows, re-read whenever a fact it reads changes.")
    repeat: Repeat | None = Field(
        None, description="Format 2: the rule may decide again, on a change of what it reads or "
        "on a cadence, up to a limit.")
    interruptible: bool | None = Field(
        None, description="Abandon a deliberation when the condition stops holding, and start "
        "again when it holds again. Default: true in format 2, false in format 1.")

    @field_validator("hazard_per_day", mode="before")
    @classmethod
    def _hazard(cls, v):
        if isinstance(v, bool):
            raise ValueError("hazard_per_day must be a number or an expression, not true/false")
        if isinstance(v, (int, float)):
            if not (v >= 0 and math.isfinite(v)):
                raise ValueError(f"a hazard rate must be a finite number >= 0 per day (got {v})")
            return float(v)
        return v

    @model_validator(mode="after")
    def _hazard_alone(self):
        if self.hazard_per_day is not None:
            clash = [f for f in ("probability", "delay_hours", "otherwise")
                     if f in self.model_fields_set]
            if clash:
                raise ValueError(f"hazard_per_day replaces delay_hours and probability; remove "
                                 f"{', '.join(repr(f) for f in clash)}")
        return self


    @field_validator("probability", mode="before")
    @classmethod
    def _prob_before(cls, v):
        if isinstance(v, bool):
            raise ValueError("probability must be a number or an expression, not true/false")
        if isinstance(v, (int, float)):
            if not 0 <= v <= 1:
                raise ValueError(f"a probability must lie in [0, 1] (got {v:g})")
            return float(v)
        if isinstance(v, str) and _is_number_text(v.strip()):
            raise ValueError(f"a probability is a number, not text (got {_cut(v)}); write it "
                             f"without quotes")
        return v

    @field_validator("probability")
    @classmethod
    def _prob(cls, v):
        if isinstance(v, (float, str)):
            return v
        return _probability(v)


# --- actors -----------------------------------------------------------------------------------

class Actor(Strict):
    variables: dict[str, Quantity] = Field(
        default_factory=dict,
        description="Extra per-replication draws this actor knows by name (usable in its rules).")
    rules: dict[str, Rule] = Field(default_factory=dict, description="Decision rules, by id.")


class BaseStrike(Strict):
    """The PRC's missiles against one base region (air_basing process)."""

    submunition_missiles: NonNegative = Field(
        description="Missiles with submunition warheads fired at the region's open parking "
                    "areas (count).")
    unitary_missiles: NonNegative = Field(
        description="Missiles with unitary warheads fired at the region's hardened aircraft "
                    "shelters, one shelter each (count).")


class BaseStrikes(Strict):
    """How a PRC strike on U.S. air bases is made up (air_basing process)."""

    japan: BaseStrike = Field(description="The strike on U.S. bases in Japan "
                                          "(strike_us_bases_japan).")
    guam: BaseStrike = Field(description="The strike on Andersen, Guam (strike_us_bases_guam).")
    launch_failure: Probability = Field(
        description="Share of missiles lost to launch failure or malfunction.")
    area_per_submunition_missile_m2: NonNegative = Field(
        description="Parking area one surviving submunition missile covers, square metres.")
class PrcCosts(Strict):
    """How the PRC's costs of the crisis add up (process ``prc_costs``), in cost points: one
    point is what a month of blockade costs Beijing."""

    blockade_per_month: NonNegative = Field(
        description="Points per 30 days while a quarantine or blockade is enforced (until lifted).")
    war_per_month: NonNegative = Field(
        description="Points per 30 days, on top, while a war is under way: strikes on Taiwan, "
                    "an invasion, or U.S. forces in combat.")
    convoys_per_month: NonNegative = Field(
        description="Points per 30 days, on top, while escorted convoys get through the "
                    "blockade (its costs are paid for less effect).")
    japan_enters: NonNegative = Field(
        description="Points once, when Japan enters the war (a survival-threatening situation "
                    "or an armed attack recognised).")


class PRC(Actor):
    """The People's Republic of China: a plan of escalation steps and reactive rules."""

    base_strikes: BaseStrikes = Field(
        description="The missiles of a strike on U.S. air bases in Japan or on Guam.")
    costs: PrcCosts | None = Field(
        None, description="Weights of the PRC's own costs, which it learns week by week as "
                          "`costs` (needed when a PRC rule reads `costs`).")


class ForceArrival(Strict):
    with_japan_bases: NonNegative = Field(
        description="Hours from a U.S. combat decision to forces engaging, flying from Japan.")
    without_japan_bases: NonNegative = Field(
        description="Hours from a U.S. combat decision to forces engaging without Japan's bases.")


class TraCoverage(Strict):
    """How far the Taiwan Relations Act's answer covers each outer island, 0-1."""

    penghu: Share = Field(description="Degree to which the TRA covers Penghu (the Pescadores).")
    kinmen: Share = Field(description="Degree to which the TRA covers Kinmen.")
    matsu: Share = Field(description="Degree to which the TRA covers Matsu.")
    pratas: Share = Field(description="Degree to which the TRA covers Pratas.")
class AirBase(Strict):
    """U.S. combat aircraft in one base region and what protects them (air_basing process)."""

    aircraft: NonNegative = Field(description="U.S. combat aircraft based in the region (count).")
    shelters: NonNegative = Field(
        description="Hardened aircraft shelters, one aircraft each (count).")
    parking_area_m2: Positive = Field(
        description="Open parking area over which aircraft outside shelters are spread, square "
                    "metres.")
    interceptors: NonNegative = Field(
        description="Missile-defence interceptors ready at the region's bases (count).")


class AirBasing(Strict):
    """Where U.S. combat aircraft are based in theatre (air_basing process)."""

    japan: AirBase = Field(description="U.S. bases in Japan (Kadena, Iwakuni, Misawa, Yokota).")
    guam: AirBase = Field(description="Andersen Air Force Base, Guam.")
    carrier_aircraft: NonNegative = Field(
        description="Combat aircraft aboard carriers in theatre (count); base strikes do not "
                    "reach them.")
    on_ground_share: Share = Field(
        description="Share of a base's aircraft on the ground at any moment.")
    interceptor_shots_per_missile: NonNegative = Field(
        description="Interceptors fired at each incoming missile while interceptors last.")
    interceptor_pk: Probability = Field(
        description="Chance that one interceptor destroys the missile it is fired at.")


class UnitedStates(Actor):
    resolve: Share = Field(description="Presidential resolve, 0-1, drawn per replication "
                                          "(strategic ambiguity: the U.S. itself does not know).")
    resolve_shifts: dict[str, Quantity] = Field(
        default_factory=dict,
        description="Event -> change in resolve (plus or minus) when the U.S. learns of it; "
        "resolve stays within 0-1.")
    congress_support: Probability = Field(
        description="1 if Congress would authorize combat when it votes (War Powers), drawn per "
        "replication; the U.S. learns it only from the vote.")
    congress_expected: Probability = Field(
        description="The chance of authorization the President expects before Congress votes "
        "(read by U.S. rules as congress_expected until the vote).")
    congress_vote_days: NonNegative = Field(
        description="Days from the War Powers report to Congress's vote on authorization.")
    tra_coverage: TraCoverage | None = Field(
        None, description="Degree (0-1) to which the Taiwan Relations Act covers each outer "
        "island, carried by island_seized as tra_covered_attack; without it, the TRA's "
        "definition (Penghu 1, the others 0).")
    force_arrival_hours: ForceArrival = Field(
        description="How long U.S. forces take to engage after a combat decision, depending on "
                    "whether the U.S. knew then that it could fly from Japan.")
    war_powers_report_hours: NonNegative = Field(
        description="Hours from U.S. forces entering hostilities to the President's report to "
                    "Congress (the law allows at most 48).")
    war_powers_clock_days: NonNegative = Field(
        description="Days from the report after which forces must begin to withdraw unless "
                    "Congress has authorized (60 in the law).")
    war_powers_withdrawal_days: NonNegative = Field(
        description="Days allowed to withdraw after the clock runs out (up to 30 in the law).")

    air_basing: AirBasing = Field(
        description="U.S. combat aircraft by base region, their shelters, parking areas and "
                    "missile defences: what a PRC strike on the bases can destroy.")

    @field_validator("war_powers_report_hours")
    @classmethod
    def _report_within_48(cls, v):
        if highest(v) > 48:  # wpr-clock: the report is due within 48 hours
            raise ValueError(f"the War Powers report is due within 48 hours (got "
                             f"{_range(v)})")
        return v


def _role_name(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"a role name must be an identifier (got {_cut(name)})")
    return name


JapanLevel = Literal["important_influence", "anticipated_armed_attack", "survival_threatening",
                    "armed_attack"]


class JapanRole(Cited):
    """A role Japan's law lets the SDF take once Japan reaches a level of its ladder
    (jp-situation-ladder), offered to other processes as a capacity."""

    level: JapanLevel = Field(
        description="The lowest situation on Japan's ladder that allows the role; every higher "
        "situation allows it too.")
    offers: NonNegative | None = Field(
        None, description="What the role offers once allowed (a count or a 0-1 share; say which "
        "in 'unit'), drawn per replication: the capacity 'japan_legal.<role>'. Leave it out while "
        "no process draws on the role: the capacity is then 1 (allowed) and the role is listed "
        "in japan_roles.")
    force: bool = Field(
        False, description="The role uses force: it is performed only once force is lawful "
        "(a survival-threatening situation approved by the Diet, or an armed attack recognised); "
        "before that (under an armed attack declared clearly imminent, or at a level that allows "
        "no force) it is only deployed.")
    description: str | None = Field(None, description="What the role stands for.")


class Japan(Actor):
    survival_threshold: NonNegative = Field(
        description="Survival-threat score at which the Cabinet can judge Japan's survival "
                    "threatened; drawn per replication.")
    survival_indicators: dict[str, NonNegative] = Field(
        description="Facts that add to the survival-threat score, with their weights.")
    armed_attack_recognition_hours: NonNegative = Field(
        description="Hours from Japan learning of an attack on its territory or on U.S. bases in "
                    "Japan to the Cabinet recognising an armed-attack situation.")
    diet_prior_approval_hours: NonNegative = Field(
        description="Hours the Diet takes to approve a survival-threatening situation "
                    "(prior approval is required).")
    diet_approval_probability: Probability = Field(
        description="Chance the Diet approves a survival-threatening situation.")
    roles: dict[Annotated[str, AfterValidator(_role_name)], JapanRole] = Field(
        default_factory=dict,
        description="Roles the SDF may take at each level of the ladder, by name (rear-area "
        "support, collective self-defence, defence of Japan): capacities other processes read.")


class Stocks(Strict):
    lng: NonNegative = Field(description="LNG stocks in days of normal use.")
    coal: NonNegative = Field(description="Coal stocks in days of normal use.")
    oil: NonNegative = Field(description="Crude oil stocks in days of normal use.")
    oil_legal_minimum: NonNegative = Field(description="Legal minimum crude stock, days.")


class PowerMix(Strict):
    """Shares of Taiwan's normal electricity generation by source (they should sum to 1)."""
    lng: Share = Field(description="Share of normal generation from gas (LNG), 0-1.")
    coal: Share = Field(description="Share from coal, 0-1.")
    oil: Share = Field(description="Share from oil, 0-1.")
    other: Share = Field(description="Share from sources not imported by sea (nuclear, "
                                     "renewables), 0-1.")


class FuelShares(Strict):
    """One share per imported fuel."""
    lng: Share = Field(description="For LNG (gas), 0-1.")
    coal: Share = Field(description="For coal, 0-1.")
    oil: Share = Field(description="For crude oil and products, 0-1.")


class EnergyRules(Strict):
    """Taiwan's fuels and grid under a blockade (taiwan_energy process; issue 13)."""
    power_mix: PowerMix = Field(description="Shares of normal generation by source.")
    nonpower_share: FuelShares = Field(
        description="Share of each fuel's normal use outside power generation (industry, "
                    "homes, transport).")
    nonpower_kept: FuelShares = Field(
        description="Share of that non-power use kept once rationing starts (the rest is cut "
                    "or shifted to power).")
    voluntary_cut: Share = Field(description="Demand cut asked for from the first week of a "
                                             "cut (share of normal demand).")
    mandatory_cut: Share = Field(description="Further demand cut once a fuel runs out (share "
                                             "of normal demand).")
    generators: Share = Field(
        description="Share of normal electricity private generators add, burning oil, from the "
                    "week after a fuel runs out while oil lasts.")
    storage_extra_days: NonNegative = Field(
        description="Days of normal use a fuel's stock may rise above its starting level "
                    "(storage).")


class Taiwan(Actor):
    will_to_resist: Share = Field(description="Public and leadership will to resist, 0-1.")
    stocks_days: Stocks = Field(description="Energy stocks at the start, in days of normal use.")
    energy: EnergyRules = Field(description="Taiwan's power mix, fuel uses and rationing under "
                                            "a blockade (taiwan_energy).")


class Actors(Strict):
    prc: PRC = Field(description="The PRC: its plan of escalation and reactive rules.")
    us: UnitedStates = Field(description="The United States.")
    japan: Japan = Field(description="Japan.")
    taiwan: Taiwan = Field(description="Taiwan.")


# --- communication ----------------------------------------------------------------------------

class Channel(Cited):
    latency_hours: NonNegative = Field(description="Hours for a message to cross this channel.")
    availability: Probability = Field(
        1.0, validate_default=True,
        description="Chance the channel answers when a message is sent (one draw per message, "
        "recipient and hop); when it does not, the sender knows the message was refused and "
        "may retry.")
    loss_probability: Probability = Field(
        0.0, validate_default=True,
        description="Chance a message sent over the channel is lost on the way; the sender "
        "does not know.")
    cut_by: list[str] = Field(
        default_factory=list,
        description="Events that cut the channel from the moment they happen (e.g. cables cut "
        "in the gray zone): every message sent over it afterwards is refused.")


class MessageKind(Cited):
    """What a message says: fields the recipient's rules read as '<message>.<field>'."""

    fields: dict[str, str] = Field(
        description="Field name -> expression over what the sender knows, worked out when the "
        "message is sent (true/false read as 1/0). A late message carries stale values.")


class Detection(Strict):
    us: NonNegative = Field(description="Hours for the U.S. to observe an event.")
    japan: NonNegative = Field(description="Hours for Japan to observe an event.")
    taiwan: NonNegative = Field(description="Hours for Taiwan to observe an event.")
    prc: NonNegative = Field(description="Hours for the PRC to observe an event.")


class Communication(Strict):
    direct_trilateral_channel: bool = Field(
        False, description="If true, Tokyo and Taipei talk directly; if false (the default, as "
                           "today), their messages are relayed by Washington.")
    direct_channel_source: Union[str, list[str], None] = Field(
        None, description="Claim id(s) for the choice of direct_trilateral_channel.")
    broker_delay_hours: NonNegative = Field(
        description="Extra hours Washington adds when it relays a message between two capitals "
                    "with no channel of their own (by default, Tokyo and Taipei).")
    channels: dict[str, Channel] = Field(
        description="Channels by name 'a-b' over washington, tokyo, taipei, beijing.")
    detection_delay_hours: Detection = Field(
        description="Hours each actor takes to observe an event it did not cause.")
    messages: dict[str, MessageKind] = Field(
        default_factory=dict,
        description="Message kinds with content, by message name: the fields each carries.")
    latency_factor: NonNegative = Field(
        1.0, validate_default=True,
        description="Multiplies every channel's latency and the broker's relay delay (1 as "
        "given; 3 for a crisis in which every line is three times slower); drawn per "
        "replication if given as a distribution, so a sweep or a sensitivity run can vary it.")



# --- perception -------------------------------------------------------------------------------

class DelaysByKind(Strict):
    """Detection delays by kind of event (kinds not given use ``detection_delay_hours``)."""

    public: NonNegative | None = Field(
        None, description="Hours to observe a public event: a declaration, a statement, a "
        "shortage.")
    movement: NonNegative | None = Field(
        None, description="Hours to observe forces moving: exercises, boardings, a blockade, a "
        "landing, escorts.")
    covert: NonNegative | None = Field(
        None, description="Hours to observe covert preparation: invasion preparations, cyber "
        "attacks.")
    strike: NonNegative | None = Field(
        None, description="Hours to observe a strike or an attack on forces or territory.")


class Reading(Cited):
    """One event an observer may take for another, until a later indicator sets it right."""

    read_as: str = Field(description="The event the observer believes it saw instead.")
    probability: Probability = Field(
        description="Chance the observer reads the event this way (one draw per replication, "
        "from the stream 'perceive/<event>/<observer>').")
    until: list[str] = Field(
        default_factory=list,
        description="Facts (events or messages) whose learning sets the reading right: the "
        "observer then knows the true event, and forgets the one it imagined unless that too "
        "has happened.")
    clears_after_hours: NonNegative | None = Field(
        None, description="If given, the reading is also set right this many hours after the "
        "observation (stream 'perceive/<event>/<observer>/clears').")


class Perceiver(Strict):
    """How one actor perceives events it did not cause."""

    delay_hours: DelaysByKind = Field(
        default_factory=DelaysByKind, description="Detection delays by kind of event.")
    misread: dict[str, Reading] = Field(
        default_factory=dict,
        description="By event: a threat the observer may take for something benign (invasion "
        "preparations read as an exercise).")
    false_alarm: dict[str, Reading] = Field(
        default_factory=dict,
        description="By event: something benign the observer may take for a threat (an exercise "
        "read as invasion preparations).")


class Perception(Strict):
    us: Perceiver = Field(default_factory=Perceiver, description="The U.S.")
    japan: Perceiver = Field(default_factory=Perceiver, description="Japan.")
    taiwan: Perceiver = Field(default_factory=Perceiver, description="Taiwan.")
    prc: Perceiver = Field(default_factory=Perceiver, description="The PRC.")


# --- adjudication -----------------------------------------------------------------------------

class CampaignRules(Strict):
    """The invasion campaign played in turns (invasion_campaign process; issue 12): how every
    scenario's invasion is decided; the arithmetic is in sim/model/combat/."""
    turn_days: Positive = Field(description="Length of a campaign turn, days.")
    max_turns: Positive = Field(
        description="Turns played before an undecided campaign is scored where it stands.")
    fleet_lst: NonNegative = Field(description="PLA tank landing ships (LST) at the landing.")
    fleet_lhd_lpd: NonNegative = Field(description="PLA dock and helicopter landing ships.")
    fleet_lsm: NonNegative = Field(description="PLA medium landing ships (LSM).")
    fleet_roro: NonNegative = Field(description="Large civilian roll-on/roll-off ships.")
    escorts: NonNegative = Field(
        description="PLA major surface combatants screening the amphibious fleet.")
    us_ssns: NonNegative = Field(
        description="U.S. attack submarines in the strait when the U.S. enters combat (boats).")
    lrasm_stock: NonNegative = Field(description="LRASM the U.S. can fire (missiles).")
    lrasm_per_turn: NonNegative = Field(
        description="LRASM fired per turn with the whole U.S. air force in theatre (missiles); "
                    "scaled by the surviving U.S. air share.")
    taiwan_asm_stock: NonNegative = Field(
        description="Taiwan's shore-based anti-ship missiles (missiles).")
    taiwan_asm_per_turn: NonNegative = Field(
        description="Taiwan's shore-based anti-ship missiles fired per turn (missiles).")
    hit_rate: Probability = Field(
        description="Share of anti-ship missiles fired that hit (subsonic, defended ships).")
    japan_ssn_equivalents: NonNegative = Field(
        description="U.S.-submarine equivalents (boats) of Japan's whole anti-submarine force "
                    "against the fleet, times the share its law lets it use.")
    sector_share: Probability = Field(
        description="Share of Taiwan's battalions in the landing's sector.")
    frontage_ratio: Positive = Field(
        description="Taiwanese battalions that can engage per PLA battalion ashore (frontage).")
    unmobilised_reserve_share: Probability = Field(
        description="Share of reserve battalions that fight if Taiwan had not mobilised "
                    "before the landing.")
    port_capture_ratio: Positive = Field(
        description="PLA-to-engaged-Taiwanese ratio at which the lodgment takes a port or "
                    "airfield in a turn.")
    port_denial: Probability = Field(
        description="Share of captured ports U.S. strikes keep unusable (with the whole U.S. "
                    "air force in combat).")
    fleet_gone_share: Probability = Field(
        description="Share of the amphibious fleet left at or below which it counts as gone.")
    fall_ratio: Positive = Field(
        description="PLA battalions ashore over Taiwan's remaining battalion-equivalents at "
                    "which Taiwan falls (with ports_toward_prc ports held).")
    ports_toward_prc: NonNegative = Field(
        description="Ports or airfields held from which a stalemate trends toward the PRC.")
    # Allied and PLA losses (PLA salvos at U.S. and Japanese groups, aircraft, casualties).
    us_carriers: NonNegative = Field(
        description="U.S. aircraft carriers in theatre when the U.S. enters combat (ships).")
    us_surface_ships: NonNegative = Field(
        description="Other major U.S. surface combatants (cruisers, destroyers) in theatre "
                    "(ships).")
    japan_ships: NonNegative = Field(
        description="JMSDF major surface combatants that could escort U.S. groups (ships); "
                    "the share in the fight is japan_legal's escort role (0 until its law "
                    "allows).")
    japan_aircraft: NonNegative = Field(
        description="Japanese combat aircraft that could fly alongside U.S. forces (aircraft); "
                    "the share flying is japan_legal's air_defence role.")
    pla_asm_per_turn: NonNegative = Field(
        description="PLA anti-ship missiles fired at U.S. and allied groups per turn while "
                    "U.S. forces fight (missiles).")
    pla_asm_interceptor_shots: NonNegative = Field(
        description="Interceptors the allied groups fire at each incoming PLA missile.")
    carrier_hits_to_disable: Positive = Field(
        description="Hits that put a carrier out of action (a destroyer or cruiser needs one).")
    air_loss_per_sortie: Probability = Field(
        description="U.S. and Japanese aircraft lost per sortie flown in combat (0-1).")
    pla_air_loss_per_sortie: Probability = Field(
        description="PLA aircraft lost per sortie flown (0-1).")
    sorties_per_aircraft_day: NonNegative = Field(
        description="Sorties an aircraft in the fight flies per day.")
    pla_aircraft: NonNegative = Field(
        description="PLA combat aircraft committed to the campaign (aircraft).")
    casualties_per_carrier: NonNegative = Field(
        description="Casualties (killed and wounded) per carrier lost (people).")
    casualties_per_surface_ship: NonNegative = Field(
        description="Casualties per major surface combatant lost, U.S. or Japanese (people).")
    casualties_per_aircraft_air: NonNegative = Field(
        description="Casualties per aircraft lost in the air (aircrew; people).")
    prc_cost_per_ship: NonNegative = Field(
        description="The PRC's cost per PLA major ship sunk (prc_costs points).")
    prc_cost_per_aircraft: NonNegative = Field(
        description="The PRC's cost per PLA aircraft lost (prc_costs points).")
    prc_cost_per_battalion: NonNegative = Field(
        description="The PRC's cost per PLA battalion lost ashore (prc_costs points).")
    # The lodgment's ground and the people lost ashore and at sea (sim/model/combat/lodgment.py).
    beachhead_hexes: NonNegative = Field(
        description="Ground a landing takes on its first turn (ground hexes, about 780 km2 "
                    "each).")
    defenders_per_hex: NonNegative = Field(
        description="Taiwanese battalions that can engage a lodgment per ground hex it holds "
                    "(its front).")
    attack_ratio: Positive = Field(
        description="Effective-battalion ratio with which a side attacks and moves the front; "
                    "below it on both sides the lodgment is contained.")
    advance_hexes: NonNegative = Field(
        description="Ground hexes (about 780 km2 each) an attack moves the front per 3.5 days.")
    contained_intensity: Probability = Field(
        description="Share of the full ground exchange fought on a contained front (0-1).")
    taiwan_casualties_per_battalion: NonNegative = Field(
        description="Taiwanese army casualties per battalion-equivalent lost (people).")
    pla_casualties_per_battalion: NonNegative = Field(
        description="PLA casualties per battalion-equivalent lost in combat ashore (people).")
    sustainment_per_battalion: NonNegative = Field(
        description="Supply a battalion ashore needs per 3.5 days (battalion-lifts).")
    port_lift: NonNegative = Field(
        description="Lift a working captured port or airfield adds per 3.5 days "
                    "(battalion-lifts).")
    air_and_small_craft_lift: NonNegative = Field(
        description="Lift by airdrop, helicopters and small craft per 3.5 days, fleet or no "
                    "fleet (battalion-lifts).")
    # U.S. bombers' JASSM-ER, the PLA's missile stock, allied withdrawal, air superiority and
    # submarine reinforcement (the campaign's tempo and the allied losses).
    jassm_er_stock: NonNegative = Field(
        description="JASSM-ER the U.S. can fire at the fleet (missiles).")
    jassm_er_per_turn: NonNegative = Field(
        description="JASSM-ER the U.S. bombers can launch per turn with the whole U.S. air "
                    "force in theatre (missiles); scaled like LRASM.")
    jassm_er_ship_effectiveness: Probability = Field(
        description="A JASSM-ER's chance of hitting a ship relative to an LRASM's (0-1).")
    pla_asm_stock: NonNegative = Field(
        description="PLA anti-ship missiles it can fire at U.S. and allied groups (missiles).")
    allied_withdraw_share: Probability = Field(
        description="Share of a group's ships (carriers: or of their air wing) lost beyond "
                    "which the rest withdraw out of the PLA's range (0-1).")
    standoff_air_floor: Probability = Field(
        description="Share of the U.S. standoff launches that get off with no share of the air "
                    "at all (launched beyond the PLA's fighter cover; 0-1).")
    ssn_arrivals_per_turn: NonNegative = Field(
        description="U.S. attack submarines arriving in the strait per turn while U.S. forces "
                    "fight, back from reloading (boats; fractions accumulate).")


class InvasionRules(Strict):
    campaign: CampaignRules = Field(
        description="The invasion played as a campaign in turns from the landing until it is "
        "decided or its last turn (invasion_campaign).")


class IslandStocks(Strict):
    """A garrison's stocks, in days of its use at the siege ration (island_garrison)."""
    water: NonNegative = Field(description="Water held, days of the garrison's use.")
    food: NonNegative = Field(description="Food held, days of the garrison's use.")
    fuel: NonNegative = Field(description="Fuel held, days of the garrison's use.")
    ammunition: NonNegative = Field(
        description="Ammunition held, days of fighting (used at `ammunition_idle_share` of that "
                    "rate while no assault is under way).")


class IslandGarrison(Strict):
    """One outer island's garrison, its stocks and its lines of supply (island_garrison)."""
    garrison_troops: NonNegative = Field(description="Troops defending the island (count).")
    stocks_days: IslandStocks = Field(description="Stocks on the island when it is cut off.")
    resupply_ships_per_week: NonNegative = Field(
        description="Supply ships Taiwan sends to the island a week once it is cut off (ships).")
    days_per_ship: NonNegative = Field(
        description="Days of every stock one ship's load brings the garrison (days).")
    airlift_days_per_week: NonNegative = Field(
        description="Days of every stock Taiwan's transport aircraft can fly in a week when "
                    "every flight gets through (days a week).")
    boardings_per_week: NonNegative = Field(
        description="Supply ships the PRC coast guard and militia can board and turn back a "
                    "week around the island (ships a week).")
    assault_troops: NonNegative = Field(
        description="PLA troops landed if the PRC assaults the island (count).")
    fortification: Share = Field(
        description="Share of the attackers' fire the garrison's fortifications absorb.")
    reinforcement_troops: NonNegative = Field(
        description="Troops Taiwan sends if it reinforces the island, before losses at sea "
                    "(count).")


class IslandGarrisons(Strict):
    kinmen: IslandGarrison = Field(description="Kinmen (Quemoy), off Xiamen.")
    matsu: IslandGarrison = Field(description="Matsu, off Fuzhou.")
    penghu: IslandGarrison = Field(description="Penghu (the Pescadores), in the strait.")
    pratas: IslandGarrison = Field(description="Pratas (Dongsha), in the South China Sea.")


class IslandRules(Strict):
    """An outer island under quarantine or assault, turn by turn (island_garrison process;
    issue 14); the arithmetic is in sim/model/islands/ and docs/islands-arithmetic.md."""
    turn_days: Positive = Field(description="Length of a garrison turn, days.")
    islands: IslandGarrisons = Field(description="Each target island's garrison and supply.")
    ammunition_idle_share: Share = Field(
        description="Ammunition used a day with no assault under way, as a share of a "
                    "fighting day's.")
    garrison_kill_per_day: NonNegative = Field(
        description="Attackers put out of action a day per defender (Lanchester square law).")
    attacker_kill_per_day: NonNegative = Field(
        description="Defenders put out of action a day per attacker, before fortification.")
    no_ammo_fire_share: Share = Field(
        description="The garrison's fire, as a share, once its ammunition is gone.")
    no_fuel_fire_share: Share = Field(
        description="The garrison's fire, as a share, once its fuel is gone (generators, "
                    "radars and vehicles stop; on top of any ammunition cut).")
    garrison_break_share: Share = Field(
        description="The garrison gives up the island when its strength falls below this "
                    "share of its troops at the start (reinforcements included).")
    assault_break_share: Share = Field(
        description="The assault fails when the attackers fall below this share of those "
                    "landed.")
    sea_fire_loss: Probability = Field(
        description="Chance a supply ship is sunk on the way while an assault is under way "
                    "(unescorted).")
    escorts_per_resupply: NonNegative = Field(
        description="Taiwan's navy escorts with the supply ships once it escorts them.")
    escort_protection: Probability = Field(
        description="Share of the fire on the approaches each escort ship foils.")
    air_access_quarantine: Share = Field(
        description="Share of supply flights that get through under a quarantine alone.")
    air_access_assault: Share = Field(
        description="Share of supply flights that get through while an assault is under way.")
    us_isr: Share = Field(description="ISR the U.S. gives the garrison once it supports the "
                                      "island (0-1).")
    japan_isr: Share = Field(description="ISR Japan adds, through the U.S., once it watches "
                                         "(0-1).")
    isr_fire_bonus: NonNegative = Field(
        description="Rise in the garrison's fire with full ISR (0.5: half as much again).")
    us_presence_boarding_cut: Share = Field(
        description="Share of boardings the coast guard forgoes with U.S. ships present.")
    us_airlift_days_per_week: NonNegative = Field(
        description="Days of every stock U.S. airlift adds a week once it supports the island "
                    "(days a week, before air access).")
    us_combat_kill_share_per_day: Share = Field(
        description="Share of the attackers U.S. forces in combat put out of action a day.")
    retake_troops: NonNegative = Field(
        description="Troops Taiwan commits to retake a fallen island (count).")
    occupier_share: Share = Field(
        description="Share of the surviving attackers that stay to hold a taken island.")
    prc_cost_per_thousand_troops: NonNegative = Field(
        description="The PRC's cost per thousand PLA troops lost at the island (prc_costs "
                    "points).")
    pressure_per_month: NonNegative = Field(
        description="The PRC's cost of international pressure per month the island is "
                    "besieged or held (prc_costs points a month).")
    pressure_us_support_per_month: NonNegative = Field(
        description="Added per month once the U.S. openly supports the island (points a "
                    "month).")


class ShipType(Strict):
    """One ship type's trade with Taiwan (shipping process)."""
    normal_per_week: Positive = Field(
        description="Ships of this type arriving a week in normal trade, carrying the whole of "
                    "normal use (ships a week).")
    state_fleet: NonNegative = Field(
        description="Ships requisitioned for the blockade-running shuttle at the first cut "
                    "(ships).")
    purchases_per_week: NonNegative = Field(
        description="Ships bought and added to the shuttle each week from the first cut "
                    "(ships a week).")


class ShipTypes(Strict):
    lng: ShipType = Field(description="LNG carriers (each brings LNG).")
    coal: ShipType = Field(description="Bulk carriers with coal.")
    oil: ShipType = Field(description="Crude tankers.")
    container: ShipType = Field(description="Container ships (general cargo, food included).")


class ShippingRules(Strict):
    """Merchant shipping to Taiwan under a quarantine or blockade (shipping process; issue
    13). Parameters of the three Lights Out modules; the arithmetic is in sim/model/blockade/."""
    types: ShipTypes = Field(description="The four ship types' normal trade and shuttle fleets.")
    owners_willing_share: Share = Field(
        description="Share of normal commercial sailings that still sail under a declared "
                    "blockade when owners have seen no losses.")
    uninsurable_loss: Positive = Field(
        description="Loss rate per transit (sunk or seized) at which war-risk cover fails and "
                    "no commercial owner sails.")
    crewed_share: Share = Field(description="Share of the shuttle's ships that find crews.")
    transit_days: Positive = Field(
        description="Days from the transshipment port in Japan to Taiwan (doubled when "
                    "Japan's ports are closed).")
    port_days: NonNegative = Field(description="Days in port per shuttle round trip.")
    us_reserve_ships: NonNegative = Field(
        description="U.S. reserve-fleet ships (mostly RO-RO) that could join once the U.S. "
                    "escorts (ships).")
    us_reserve_ready: Share = Field(description="Share of them ready on time.")
    us_reserve_days: NonNegative = Field(
        description="Days from the U.S. escort decision to the ready reserve ships sailing.")
    convoy_size: NonNegative = Field(description="Merchants a convoy can hold at most.")
    convoys_per_week: NonNegative = Field(description="Convoys a week at most.")
    convoy_assembly_hours: NonNegative = Field(
        description="Hours from the U.S. escort decision to the first escorted convoy "
                    "arriving.")
    boardings_per_week: NonNegative = Field(
        description="Ships the coast guard and militia can board and seize a week in workable "
                    "weather.")
    weather_worst: Share = Field(
        description="Share of a week workable for boarding in the worst weather; each week's "
                    "share is drawn between it and 1.")
    coast_guard_resists: Share = Field(
        description="Share of boardings Taiwan's coast guard foils by escorting and resisting "
                    "(0: it stays in territorial waters).")
    transit_loss: Probability = Field(
        description="Chance an unescorted transit is lost to submarines and mines under a "
                    "military blockade.")
    escort_protection: Probability = Field(
        description="Share of that chance each escort ship with a convoy foils.")
    us_escorts_per_convoy: NonNegative = Field(description="U.S. escort ships per convoy.")
    japan_escorts_per_convoy: NonNegative = Field(
        description="JMSDF escort ships per convoy when Japan's escort role is wholly allowed "
                    "(times japan_legal.escort).")
    missiles_per_convoy: NonNegative = Field(
        description="PRC anti-ship missiles fired at each convoy once it fires on the escorts.")
    interceptor_shots: NonNegative = Field(
        description="Area interceptors the escorts fire at each missile (merchants have no "
                    "terminal defence).")
    loss_per_hit: Probability = Field(
        description="Chance a missile hit sinks a merchant or writes it off.")
    prc_cost_per_ship_sunk: NonNegative = Field(
        description="The PRC's cost per merchant sunk (prc_costs points).")


class GridRules(Strict):
    """Taiwan's grid under strikes (taiwan_energy; sim/model/blockade/grid.py)."""
    capacity_mw: Positive = Field(description="Installed generating capacity (MW).")
    mw_per_ton: NonNegative = Field(
        description="Capacity taken out of service per ton of bombs or warheads on the grid "
                    "(MW).")
    repair_per_week: Share = Field(
        description="Share of installed capacity repair crews bring back a week.")
    load_share: Share = Field(
        description="Normal demand as a share of the capacity in service (the rest is the "
                    "reserve margin damage eats first).")
    opening_tons: NonNegative = Field(
        description="Tons on the grid in the week strikes on Taiwan begin (strikes_on_taiwan).")
    tons_per_week: NonNegative = Field(
        description="Tons on the grid each later week while strikes go on (until the blockade "
                    "is lifted).")


class EconomyRules(Strict):
    """Taiwan's GDP lost week by week (taiwan_energy; sim/model/blockade/economy.py)."""
    power_elasticity: Share = Field(
        description="Share of a week's GDP lost per unit of electricity lost (share of normal "
                    "demand).")
    trade_elasticity: Share = Field(
        description="Share of a week's GDP lost per unit of general cargo (container ships) "
                    "not arriving.")


class BlockadeRules(Strict):
    shipping: ShippingRules = Field(description="Merchant shipping under a blockade.")
    grid: GridRules | None = Field(None, description="Taiwan's grid under strikes, and its "
                                                     "repair (none: strikes spare the grid).")
    economy: EconomyRules | None = Field(None, description="Taiwan's GDP lost to the power "
                                                           "shortfall and to trade cut off.")
    break_share: Share = Field(
        description="Energy ships arriving, as a share of normal, at or above which a week "
                    "counts towards breaking the blockade.")
    break_weeks: Positive = Field(
        description="Consecutive such weeks after which the blockade counts as broken (no "
                    "invasion, U.S. forces not withdrawn).")


class Adjudication(Strict):
    invasion: InvasionRules = Field(description="How a landing on Taiwan is judged.")
    outer_islands: IslandRules = Field(description="How an island seizure is judged.")
    blockade: BlockadeRules = Field(description="Shipping under a blockade and when it is "
                                               "broken.")


class Scenario(Strict):
    """A whole scenario after ``extends`` and overrides have been applied."""

    format: Literal[1, 2] = Field(
        1, description="Scenario format version: 1 (rules decide once; the default for files "
        "without it) or 2 (repeat, hazard_per_day, interruptible deliberations). A variant "
        "inherits the format of the file it extends unless it states one.")
    name: str = Field(description="Short identifier.")
    title: str = Field(description="One-line title.")
    description: str = Field("", description="What the scenario represents.")
    family: Families = Field(description="Kind of crisis.")
    family_source: Union[str, list[str], None] = Field(
        None, description="Claim id(s) supporting this family of scenario.")
    target: Targets | None = Field(
        None, description="For outer-island seizures: which island group the PRC takes.")
    horizon_days: Quantity = Field(description="Days simulated before an undecided crisis is "
                                               "recorded as ongoing.")
    communication: Communication = Field(description="Channels, relays and detection delays.")
    perception: Perception = Field(
        default_factory=Perception,
        description="Detection delays by kind of event, misreadings and false alarms, per "
        "observer (defaults: one delay per observer, never wrong).")
    actors: Actors = Field(description="The four actors' parameters and decision rules.")
    adjudication: Adjudication = Field(description="Rules that decide how a crisis ends.")
    key_assumptions: list[str] = Field(
        default_factory=list,
        description="Columns of outcomes.parquet that drive the headline (e.g. us_intervened, "
        "bases_used): the report shows the outcome shares split by each, beside the headline, "
        "as `straitsim summarize --by` does. COLUMN splits by its values; COLUMN:K bins a "
        "numeric column at K quantiles; COLUMN:E1,E2,... between edges.")

    inert: dict[str, str] = Field(
        default_factory=dict,
        description="Parameters and rules this scenario carries although no run of it changes "
        "anything through them (YAML path -> why they stay, e.g. a survival weight no bundled "
        "rule triggers but a user's scenario may); the liveness test (tests/test_liveness.py) "
        "fails on any other parameter or rule that changes nothing, and on an entry here that "
        "has come alive.")

    @field_validator("inert")
    @classmethod
    def _inert_reasons(cls, v):
        for path, why in v.items():
            if not str(why).strip():
                raise ValueError(f"inert entry {path!r} needs a reason")
        return v

    @field_validator("key_assumptions")
    @classmethod
    def _by_specs(cls, v):
        from sim.config.groups import parse_by
        for spec in v:
            parse_by(spec)  # a ValueError names the spec and what is wrong
        return v

    @field_validator("name")
    @classmethod
    def _slug(cls, v):
        # The name becomes a folder (runs/<name>, and inside compare and sweep folders): it
        # must not be able to name '..', an absolute path or anything a file system refuses.
        if not _SLUG.fullmatch(v):
            raise ValueError(f"name must be 1 to 100 letters, digits, '_', '-' or '.', not "
                             f"starting with '.' (got {_cut(v)})")
        return v

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, v):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"format must be a whole number, {' or '.join(map(str, FORMATS))} "
                             f"(got {v!r})")
        if v > CURRENT_FORMAT:
            raise ValueError(f"format {v} is newer than this straitsim reads (formats "
                             f"{FORMATS[0]}-{CURRENT_FORMAT}); update straitsim")
        if v not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(str, FORMATS))} (got {v})")
        return v

    @field_validator("horizon_days")
    @classmethod
    def _h(cls, v):
        if v.dist != "fixed" or v.value <= 0:
            raise ValueError("horizon_days must be a fixed positive number")
        return v
