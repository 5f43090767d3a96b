"""straitsim: a Taiwan-contingency scenario simulator.

Public API (imported lazily, so ``import sim`` stays cheap)::

    from sim import load, compile_scenario, run_replication, run_batch, to_table, summarize

    loaded = load("scenarios/blockade.yaml", overrides=["actors.us.resolve=0.9"])
    rows = run_batch(loaded.data, runs=1000, seed=1)
    table = to_table(rows)          # a pyarrow Table, one row per replication

    # Large batches: streamed to a run folder, resumable, on any executor
    with open_executor("local", workers=2) as ex:       # or "dask", address="tcp://host:8786"
        result = run_to_folder(loaded, 1_000_000, seed=1, out="runs/big", executor=ex)

    run = load_run("runs/blockade")  # a run folder: run.table, run.manifest
    summary = summarize(run.table)   # every share and day quantile with its 95% interval

Experiments: ``run_sweep`` (a grid of values, one run folder per point), ``run_sensitivity``
(SALib Sobol' or Morris indices), ``explain`` (every parameter with its source) and
``scenario_schema`` (the JSON Schema of the format).
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "load": "sim.config.loader", "Loaded": "sim.config.loader",
    "compile_scenario": "sim.model.compiled",
    "run_replication": "sim.model.replication",
    "run_batch": "sim.batch.runner",
    "run_to_folder": "sim.batch.execute", "RunInterrupted": "sim.batch.execute",
    "open_executor": "sim.batch.executors",
    "COLUMNS": "sim.model.outcome", "COLUMN_NAMES": "sim.model.outcome",
    "column_names": "sim.model.outcome",
    "to_table": "sim.results.table", "summarize": "sim.results.summary",
    "load_run": "sim.results.rundir", "compare_runs": "sim.results.compare",
    "build_report": "sim.report.html",
    "scenario_schema": "sim.config.jsonschema", "explain": "sim.config.explain",
    "run_sweep": "sim.experiments.sweep", "run_sensitivity": "sim.experiments.sensitivity",
    "SimError": "sim.errors", "ScenarioError": "sim.errors", "OutputError": "sim.errors",
    "ModelError": "sim.errors",
}
__all__ = sorted(_API) + ["__version__"]


def __getattr__(name):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
