"""Run folders for the result tests (summaries, comparisons, reports), made with the real
``straitsim run`` command and kept small so the tests stay quick."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from sim.cli import app
from sim.model.outcome import error_row
from sim.results.table import to_table

ROOT = Path(__file__).resolve().parent.parent
RUNS = 300

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def make_run(folder: Path, scenario: str = "blockade", runs: int = RUNS, *extra) -> Path:
    result = invoke("run", scenario, "--runs", runs, "--out", folder, "--no-plots", "--quiet",
                    *extra)
    assert result.exit_code == 0, result.output
    return folder


def with_errors(src: Path, dest: Path, failed=(0, 5, 7)) -> Path:
    """A copy of run folder ``src`` in which replications ``failed`` raised."""
    shutil.copytree(src, dest)
    table = pq.read_table(src / "outcomes.parquet")
    rows = [tuple(r.values()) for r in table.to_pylist()]
    main = tuple(n for n in table.column_names if not n.startswith("draw."))  # draws come last
    for i in failed:  # the draws of a replication that raised are still its draws
        rows[i] = tuple(error_row(i, RuntimeError(f"boom in replication {i}"), main)) \
            + rows[i][len(main):]
    pq.write_table(to_table(rows, table.column_names), dest / "outcomes.parquet")
    manifest = json.loads((dest / "manifest.json").read_text())
    manifest["errors"] = len(failed)
    (dest / "manifest.json").write_text(json.dumps(manifest))
    return dest


def assert_clean_failure(result, *needles: str) -> str:
    """Exit code 2, one ``error:`` line on stderr naming what went wrong, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def blockade_run_folder(tmp_path_factory) -> Path:
    """The body of the ``blockade_run`` fixture (see conftest.py)."""
    return make_run(tmp_path_factory.mktemp("runs") / "blockade")
