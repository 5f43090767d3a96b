"""The notebooks in ``notebooks/`` run top to bottom (with a small batch, in a scratch folder),
and are committed without outputs."""

from __future__ import annotations

import json

import nbclient
import nbformat
import pytest

from _support import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUNS = 300


def test_the_two_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["direct_channel.ipynb", "quickstart.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: outputs not stripped"
            assert cell.get("execution_count") is None, f"{path.name}: execution count kept"


def _run(path, cwd, monkeypatch):
    monkeypatch.setenv("STRAITSIM_NOTEBOOK_RUNS", str(RUNS))
    monkeypatch.setenv("STRAITSIM_NOTEBOOK_OUT", str(cwd / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}).execute()
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if o.get("output_type") == "stream")


def test_quickstart_runs(tmp_path, monkeypatch):
    text = _run(ROOT / "notebooks" / "quickstart.ipynb", tmp_path, monkeypatch)
    assert f"blockade (Quarantine escalating to blockade): {RUNS} replications" in text
    assert f"({RUNS}, " in text  # the DataFrame's shape
    for name in ("quickstart_decision_days.png", "quickstart_decision_cdf.png"):
        assert (tmp_path / "out" / name).stat().st_size > 10_000


def test_direct_channel_notebook_runs(tmp_path, monkeypatch):
    text = _run(ROOT / "notebooks" / "direct_channel.ipynb", tmp_path, monkeypatch)
    assert f"paired on {RUNS} replications" in text
    assert f"of {RUNS} replications differ" in text
    assert (tmp_path / "out" / "direct_channel_latency.png").stat().st_size > 10_000
