"""Shared helpers for the model tests: run a bundled scenario (with overrides) to a DataFrame."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

from sim.batch.runner import run_batch
from sim.config.loader import load
from sim.results.table import to_table

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BUNDLED = ("full_invasion", "outer_islands", "blockade", "gray_zone")
BLOCKADE = SCENARIOS / "blockade.yaml"
INVASION = SCENARIOS / "full_invasion.yaml"
STRAITSIM = Path(sys.executable).parent / "straitsim"  # the console script of this environment


def scenario_path(name: str) -> Path:
    return SCENARIOS / f"{name}.yaml"


def fan_charts(scenario: Path = BLOCKADE) -> list[str]:
    """The fan-chart stems (``weekly_<column>``) a run of ``scenario`` draws: one per weekly
    share column of the processes it uses (none while none has a weekly series)."""
    from sim.model.compiled import compile_scenario
    from sim.model.outcome import weekly_columns
    cols = weekly_columns(compile_scenario(load(scenario).scenario))[2:]
    return [f"weekly_{n}" for n, _, _ in cols if n.endswith("_share")]


def weekly_outputs(scenario: Path = BLOCKADE, formats=()) -> list[str]:
    """The weekly files a run of ``scenario`` (at most 100,000 replications) writes:
    ``weekly.parquet`` when a process it uses has a weekly series, and its fan charts in each of
    ``formats`` (none: a run with --no-plots)."""
    from sim.batch.execute import has_weekly_columns
    if not has_weekly_columns(load(scenario)):
        return []
    return ["weekly.parquet"] + [f"{stem}.{f}" for stem in fan_charts(scenario) for f in formats]


@lru_cache(maxsize=64)
def _frame(name: str, overrides: tuple, runs: int, seed: int) -> pd.DataFrame:
    loaded = load(scenario_path(name), list(overrides))
    return to_table(run_batch(loaded.data, runs, seed)).to_pandas()


def frame(name: str, *overrides: str, runs: int = 400, seed: int = 7) -> pd.DataFrame:
    """Outcome table of ``runs`` replications (cached: treat it as read-only)."""
    return _frame(name, tuple(overrides), runs, seed)


def assert_trace_changes_nothing(compiled, seed: int, replications: int = 30) -> None:
    """A traced replication gives the row an untraced one gives: logging draws nothing."""
    from sim.model.replication import run_replication
    for i in range(replications):
        plain, _ = run_replication(compiled, seed, i)
        traced, _ = run_replication(compiled, seed, i, trace=True)
        assert list(plain) == list(traced), f"replication {i}"


# Fixed, distinct delays for tiny hand-made scenarios (tests read exact hours off them): every
# channel in hours, Washington's relay delay and each actor's detection delay.
TINY_COMMUNICATION = """communication:
  broker_delay_hours: 5
  channels:
    washington-tokyo: {latency_hours: 1}
    washington-taipei: {latency_hours: 2}
    tokyo-taipei: {latency_hours: 0.5}
    beijing-washington: {latency_hours: 3}
    beijing-tokyo: {latency_hours: 4}
    beijing-taipei: {latency_hours: 6}
  detection_delay_hours: {us: 10, japan: 20, taiwan: 1, prc: 2}"""


def main_columns(out: Path, loaded, seed: int):
    """A run folder's ``outcomes.parquet`` without its ``draw.*`` columns, after checking that
    those (when present) are exactly the draws of its replications (``sim.model.draws``)."""
    import numpy as np
    import pyarrow.parquet as pq

    from sim.model.compiled import compile_scenario
    from sim.model.draws import PREFIX, chunk_draws

    table = pq.read_table(Path(out) / "outcomes.parquet")
    drawn = [n for n in table.column_names if n.startswith(PREFIX)]
    if drawn:
        want = chunk_draws(compile_scenario(loaded.scenario), seed, 0, table.num_rows)
        assert drawn == list(want)
        for n in drawn:
            assert np.array_equal(table.column(n).to_numpy(), want[n]), n
    return table.drop(drawn)
