"""The case format: a published result the model is held against.

A case names a scenario variant (the published game's assumptions, as a scenario file), how many
replications to run, and checks: a statistic of the run's table (a share of outcomes, a median or
a quantile of a column), the published figure with its unit, the band the model should land in
and why, and the claim the figure comes from. Each check says whether it was ``fitted`` (a
calibration script tuned open values towards it) or is only ``checked`` (a test of the model it
was never tuned to), so a reader can tell agreement that was bought from agreement that was
earned. ``cases/*.yaml`` holds them; ``sim.results.cases`` scores a run against one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Union

import pydantic
from pydantic import Field, model_validator

from sim.config.schema import _SLUG, Strict
from sim.config.yamlio import read_yaml
from sim.errors import ScenarioError


class Band(Strict):
    min: float | None = Field(None, description="Lowest value inside the band (inclusive).")
    max: float | None = Field(None, description="Highest value inside the band (inclusive).")

    @model_validator(mode="after")
    def _some_bound(self):
        if self.min is None and self.max is None:
            raise ValueError("a band needs 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"band min {self.min:g} is above max {self.max:g}")
        return self

    def holds(self, x: float) -> bool:
        return (self.min is None or x >= self.min) and (self.max is None or x <= self.max)

    def text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min:g} to {self.max:g}"
        return f"at least {self.min:g}" if self.min is not None else f"at most {self.max:g}"


class Published(Strict):
    value: float | None = Field(None, description="The published figure, if it is one number.")
    unit: str = Field(description="Its unit (share, battalions, km2, ships, ...).")
    note: str | None = Field(None, description="How the source states it (e.g. '2 of 3 "
                                               "iterations', 'average of three').")


class Check(Strict):
    statistic: Literal["share", "median", "mean", "quantile"] = Field(
        description="share: the fraction of replications whose outcome is in 'outcomes' (or "
        "whose boolean 'column' is true); median, mean, quantile: of the numeric 'column'.")
    outcomes: list[str] | None = Field(None, description="Outcomes counted by a share.")
    column: str | None = Field(None, description="The table column the statistic reads.")
    q: float | None = Field(None, ge=0, le=1, description="The quantile (0-1) for 'quantile'.")
    week: int | None = Field(
        None, ge=1, description="Read 'column' from the run's weekly table (weekly.parquet) at "
        "this week of the series (1 = the first week played), one value per replication; "
        "'where' still filters replications by the main table.")
    where: dict[str, list[Union[str, bool, int, float]]] = Field(
        default_factory=dict,
        description="Only replications whose column holds one of the listed values (e.g. "
        "{outcome: [repelled]}: the median among repelled runs).")
    band: Band = Field(description="Where the model's estimate must lie to agree.")
    published: Published = Field(description="The published figure.")
    why: str = Field(description="Why the band is this wide (iterations behind the figure, "
                                 "how the source states it).")
    source: Union[str, list[str]] = Field(description="Claim id(s) the figure comes from.")
    role: Literal["fitted", "checked"] = Field(
        description="fitted: calibration tuned open values towards it; checked: never tuned to.")

    @model_validator(mode="after")
    def _reads_something(self):
        if self.statistic == "share":
            if (self.outcomes is None) == (self.column is None):
                raise ValueError("a share counts either 'outcomes' or a boolean 'column' "
                                 "(give one)")
        elif self.column is None:
            raise ValueError(f"a {self.statistic} needs a numeric 'column'")
        if (self.statistic == "quantile") != (self.q is not None):
            raise ValueError("'q' goes with statistic: quantile, and only with it")
        if self.week is not None and self.statistic == "share":
            raise ValueError("'week' reads a numeric weekly column: use median, mean or "
                             "quantile, not share")
        return self


class Case(Strict):
    name: str = Field(description="Short name (letters, digits, _ - .).")
    title: str = Field(description="One line a reader recognises.")
    description: str | None = Field(None, description="What the published game assumed.")
    scenario: str = Field(description="The scenario variant that states the game's "
                                      "assumptions, relative to this file.")
    runs: int = Field(2000, ge=1, description="Replications to run.")
    seed: int = Field(20250115, ge=0, description="Root seed of the run.")
    source: Union[str, list[str]] = Field(description="Claim id(s) describing the published "
                                                      "game.")
    checks: dict[str, Check] = Field(min_length=1, description="The checks, by name.")

    @model_validator(mode="after")
    def _slug(self):
        if not _SLUG.fullmatch(self.name):
            raise ValueError(f"name {self.name!r} must be letters, digits, '_', '-' or '.' "
                             f"(not first), at most 100 characters")
        return self


class LoadedCase:
    """A validated case and where its scenario file is."""

    def __init__(self, case: Case, path: Path):
        self.case, self.path = case, path
        self.scenario_path = (path.parent / case.scenario).resolve()


def load_case(path: str | Path) -> LoadedCase:
    """Read and validate a case file; ``ScenarioError`` (file:line:col: field: problem)."""
    from sim.config.loader import _pydantic_error
    path = Path(path)
    data, marks = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError("a case file is a mapping (key: value lines)", file=str(path),
                            line=1, col=1)
    try:
        case = Case.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _pydantic_error(exc, marks, Case) from None
    loaded = LoadedCase(case, path)
    if not loaded.scenario_path.is_file():
        f, line, col = marks.where(("scenario",))
        raise ScenarioError(f"no scenario file {case.scenario!r} next to the case",
                            file=f, line=line, col=col, path="scenario")
    return loaded
