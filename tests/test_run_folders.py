"""Run folders are safe with the user's files: a run writes only into a folder that is empty or
its own, replaces a finished run only with ``--force`` (removing only what that run wrote),
locks the folder for its life, checks every part's content on resume, cleans what a crash
leaves, keeps its parts when the disk refuses a write, and leaves no worker behind when killed.
The readers refuse damaged run folders in one line.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from _support import (BLOCKADE, INVASION, ROOT, STRAITSIM, fan_charts, main_columns,
                      weekly_outputs)
from sim.batch.execute import PARTS, RunInterrupted, run_to_folder
from sim.batch.runner import run_batch
from sim.cli import app
from sim.config.loader import load
from sim.errors import SimError
from sim.results.table import to_table

runner = CliRunner()


@pytest.fixture(scope="module")
def blockade():
    return load(BLOCKADE)


@pytest.fixture(scope="module")
def reference(blockade):
    """900 replications in this process: what every resumed run must reproduce."""
    return to_table(run_batch(blockade.data, 900, 11, workers=1, chunk_size=900))


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_error_line(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def listing(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def stop_after(n_chunks: int):
    calls = []

    def on_chunk(saved):
        calls.append(saved)
        if len(calls) == n_chunks:
            raise KeyboardInterrupt

    return on_chunk


def interrupted(blockade, out: Path, chunks: int = 2) -> Path:
    """900 replications in chunks of 300, stopped after ``chunks`` were saved."""
    with pytest.raises(RunInterrupted):
        run_to_folder(blockade, 900, 11, out, chunk_size=300, plots=False,
                      on_chunk=stop_after(chunks))
    return out


# --- item 2: --out is the user's unless it is ours ----------------------------------------------

@pytest.mark.parametrize("force", [False, True])
def test_a_folder_that_is_not_a_run_folder_is_refused_and_left_untouched(tmp_path, force):
    out = tmp_path / "thesis"
    (out / "parts").mkdir(parents=True)
    (out / "chapter1.md").write_text("my work")
    (out / "parts" / "figure.png").write_bytes(b"not ours")
    before = listing(out)
    line = one_error_line(invoke("run", "blockade", "-n", 10, "-o", out, "-q",
                                 *(["--force"] if force else [])))
    assert line == (f"error: {out}: the folder is not empty and is not a straitsim run folder "
                    f"(no run manifest.json or parts/run.json); choose another --out")
    assert listing(out) == before  # not even a lock file


def test_a_folder_holding_another_tools_manifest_is_not_a_run_folder(tmp_path):
    out = tmp_path / "web"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "my app", "icons": []}')
    before = listing(out)
    line = one_error_line(invoke("run", "blockade", "-n", 10, "-o", out, "-q", "--force"))
    assert "is not a straitsim run folder" in line
    assert listing(out) == before


def test_a_finished_run_is_replaced_only_with_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default folder, runs/<name>
    assert invoke("run", "blockade", "-n", 20, "--no-plots", "-q").exit_code == 0
    out = Path("runs") / "blockade"
    first = (out / "outcomes.parquet").read_bytes()
    line = one_error_line(invoke("run", "blockade", "-n", 30, "-s", 4, "--no-plots", "-q"))
    assert line == (f"error: {out} holds a finished run; to replace it: straitsim run blockade "
                    f"--runs 30 --seed 4 --out {out} --force")
    assert (out / "outcomes.parquet").read_bytes() == first
    assert invoke("run", "blockade", "-n", 30, "-s", 4, "--no-plots", "-q",
                  "--force").exit_code == 0
    m = json.loads((out / "manifest.json").read_text())
    assert (m["runs"], m["root_seed"]) == (30, 4)
    assert pq.read_metadata(out / "outcomes.parquet").num_rows == 30
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", "outcomes.parquet",
                                                            *weekly_outputs(BLOCKADE)])


def test_replacing_removes_what_the_old_run_wrote_and_nothing_else(tmp_path):
    out = tmp_path / "r"
    assert invoke("run", "blockade", "-n", 40, "-o", out, "-q").exit_code == 0  # PNG figures
    assert invoke("figures", out, "--format", "svg").exit_code == 0
    assert invoke("report", out).exit_code == 0
    recorded = json.loads((out / "manifest.json").read_text())["files_written"]
    assert {"outcomes.parquet", "manifest.json", "japan_ladder.png", "japan_ladder.svg",
            "report.html"} <= set(recorded)
    (out / "notes.txt").write_text("mine")
    (out / "mine").mkdir()
    assert invoke("run", "blockade", "-n", 40, "-o", out, "-q", "--no-plots",
                  "--force").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "manifest.json", "mine", "notes.txt", "outcomes.parquet", *weekly_outputs(BLOCKADE)])


def test_force_on_an_unfinished_run_removes_only_our_parts(blockade, tmp_path):
    out = interrupted(blockade, tmp_path / "r")
    (out / PARTS / "keep.txt").write_text("not ours")
    line = one_error_line(invoke("run", BLOCKADE, "-n", 900, "-s", 11, "-o", out, "--force"))
    assert "keep.txt" in line and "straitsim did not write" in line
    assert (out / PARTS / "keep.txt").read_text() == "not ours"
    (out / PARTS / "keep.txt").unlink()
    assert invoke("run", BLOCKADE, "-n", 50, "-o", out, "--force", "-q",
                  "--no-plots").exit_code == 0
    assert not (out / PARTS).exists()
    assert pq.read_metadata(out / "outcomes.parquet").num_rows == 50


def test_make_demo_replaces_its_own_runs():
    demo = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "straitsim run" in demo and "--force" in demo


# --- item 3: one run per folder at a time -------------------------------------------------------

def _race(calls):
    """Start ``calls`` together; the one that wins the folder waits in its first chunk until
    every other has returned, so they truly overlap. Returns (results, errors)."""
    barrier = threading.Barrier(len(calls))
    others_done = threading.Event()
    results, errors = [], []

    def hold(_saved):
        others_done.wait(30)

    def go(call):
        barrier.wait()
        try:
            results.append(call(hold))
        except SimError as exc:
            errors.append(exc)
            if len(errors) == len(calls) - 1:
                others_done.set()

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results, errors


def test_two_runs_into_one_folder_cannot_interleave(blockade, reference, tmp_path):
    out = tmp_path / "r"

    def call(hold):
        return run_to_folder(blockade, 900, 11, out, chunk_size=300, plots=False, on_chunk=hold)

    results, errors = _race([call, call])
    assert len(results) == 1 and len(errors) == 1
    assert str(errors[0]) == (f"{out}: another straitsim run is using this folder (it holds "
                              f"{out}/.straitsim.lock); wait for it to end, or choose another "
                              f"--out")
    assert main_columns(out, blockade, 11).equals(reference)
    assert not (out / ".straitsim.lock").exists()  # the folder keeps no trace of the lock


def test_two_resumes_of_one_folder_cannot_interleave(blockade, reference, tmp_path):
    out = interrupted(blockade, tmp_path / "r", chunks=1)

    def call(hold):
        return run_to_folder(blockade, 900, 11, out, resume=True, plots=False, on_chunk=hold)

    results, errors = _race([call, call])
    assert len(results) == 1 and len(errors) == 1
    assert "another straitsim run is using this folder" in str(errors[0])
    assert results[0].reused == 300
    assert main_columns(out, blockade, 11).equals(reference)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent has not reaped it


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_kill_9_leaves_no_workers_and_does_not_block_the_resume(tmp_path):
    """Items 3 and 5: the real command with two local workers, its main process killed with
    SIGKILL: the workers exit within seconds, and ``--resume`` is not blocked by the lock."""
    out = tmp_path / "killed"
    common = [str(INVASION), "-n", "3000", "-s", "5", "--chunk-size", "300", "-w", "2",
              "--no-plots"]
    proc = subprocess.Popen([STRAITSIM, "run", *common, "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    t0 = time.monotonic()
    while not list((out / PARTS).glob("part-*.parquet")):
        assert proc.poll() is None, "the run ended early"
        assert time.monotonic() - t0 < 120, "no part appeared"
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "no worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    t0 = time.monotonic()
    while any(_alive(w) for w in workers) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them running if the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived their parent"
    resumed = subprocess.run([STRAITSIM, "run", *common, "--resume", str(out), "-q"],
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert m["runs"] == 3000 and m["resumed_replications"] > 0


# --- item 4: every part is checked on resume ----------------------------------------------------

def _flip_in_a_data_page(part: Path) -> None:
    """Flip 16 bytes in the middle of the largest column chunk's data pages (a chunk's
    dictionary page, if any, comes first and counts in its size, so the data pages run from
    ``data_page_offset`` to the end of the chunk)."""
    md = pq.read_metadata(part)
    rg = md.row_group(0)

    def data_pages(c):
        end = (c.dictionary_page_offset or c.data_page_offset) + c.total_compressed_size
        return c.data_page_offset, end

    start, end = max((data_pages(rg.column(j)) for j in range(rg.num_columns)),
                     key=lambda se: se[1] - se[0])
    at = (start + end) // 2 - 8
    data = bytearray(part.read_bytes())
    assert at + 16 < len(data) - 8 - md.serialized_size  # inside the data, not the footer
    data[at:at + 16] = bytes(b ^ 0xFF for b in data[at:at + 16])
    part.write_bytes(bytes(data))


def test_flipped_bytes_in_a_data_page_are_caught_and_redone(blockade, reference, tmp_path):
    out = interrupted(blockade, tmp_path / "r")
    parts = sorted((out / PARTS).glob("part-*.parquet"))
    assert len(parts) == 2
    _flip_in_a_data_page(parts[0])
    pq.read_metadata(parts[0])  # the footer is intact: only the content check can tell
    result = run_to_folder(blockade, 900, 11, out, resume=True, plots=False)
    assert result.reused == 300  # the damaged part was redone, the other reused
    assert main_columns(out, blockade, 11).equals(reference)


def test_parts_record_their_hash_version_and_model(blockade, tmp_path):
    from sim import __version__
    from sim.batch.execute import model_fingerprint

    out = interrupted(blockade, tmp_path / "r", chunks=1)
    side = json.loads((out / PARTS / "part-000000000-000000300.sha256").read_text())
    assert side["straitsim"] == __version__ and side["model"] == model_fingerprint()
    assert len(side["sha256"]) == 64 and side["rows"] == 300
    state = json.loads((out / PARTS / "run.json").read_text())
    assert state["model"] == model_fingerprint() and state["straitsim"] == __version__
    meta = pq.read_schema(out / PARTS / "part-000000000-000000300.parquet").metadata
    assert json.loads(meta[b"straitsim.part"])["model"] == model_fingerprint()


def test_the_model_fingerprint_follows_the_model_source(tmp_path, monkeypatch):
    import sim.model
    from sim.batch import execute

    copy = tmp_path / "model"
    shutil.copytree(Path(sim.model.__file__).parent, copy)
    monkeypatch.setattr(sim.model, "__file__", str(copy / "__init__.py"))
    execute.model_fingerprint.cache_clear()
    try:
        same = execute.model_fingerprint()
        (copy / "replication.py").write_text((copy / "replication.py").read_text() + "\n# x\n")
        execute.model_fingerprint.cache_clear()
        changed = execute.model_fingerprint()
    finally:
        monkeypatch.undo()
        execute.model_fingerprint.cache_clear()
    assert same == execute.model_fingerprint() and changed != same


@pytest.mark.parametrize("what", ["model", "straitsim"])
def test_parts_from_another_model_version_are_refused(blockade, tmp_path, monkeypatch, what):
    from sim.batch import execute

    out = interrupted(blockade, tmp_path / "r")
    if what == "model":
        monkeypatch.setattr(execute, "model_fingerprint", lambda: "f" * 64)
    else:
        monkeypatch.setattr(execute, "_version", lambda: "99.0")
    before = listing(out)
    line = one_error_line(invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--resume", out))
    assert line.startswith(f"error: --resume {out}: written by straitsim ")
    assert "its replications would not match, so start over with --force" in line
    assert listing(out) == before


@pytest.mark.parametrize("text", ["{", "[]", "\xff\xfe", '{"scenario_hash": 3'])
def test_a_malformed_run_json_is_one_line_and_force_starts_over(blockade, tmp_path, text):
    out = interrupted(blockade, tmp_path / "r")
    (out / PARTS / "run.json").write_bytes(text.encode("latin-1"))
    line = one_error_line(invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--resume", out))
    assert line.startswith(f"error: {out / PARTS / 'run.json'}: unreadable (")
    assert line.endswith("start over with --force")
    r = invoke("run", BLOCKADE, "-n", 900, "-s", 11, "-o", out, "--force", "-q", "--no-plots")
    assert r.exit_code == 0, r.output
    assert pq.read_metadata(out / "outcomes.parquet").num_rows == 900


def test_a_folder_in_a_parts_place_is_one_line(blockade, tmp_path):
    out = interrupted(blockade, tmp_path / "r", chunks=1)
    (out / PARTS / "part-000000300-000000600.parquet").mkdir()
    line = one_error_line(invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--resume", out))
    assert line == (f"error: {out / PARTS / 'part-000000300-000000600.parquet'}: a folder (or "
                    f"other non-file) where a part file should be; move it away and resume "
                    f"again")
    assert (out / PARTS / "part-000000300-000000600.parquet").is_dir()


def test_a_part_without_its_hash_is_redone(blockade, reference, tmp_path):
    out = interrupted(blockade, tmp_path / "r")
    (out / PARTS / "part-000000000-000000300.sha256").unlink()
    result = run_to_folder(blockade, 900, 11, out, resume=True, plots=False)
    assert result.reused == 300
    assert main_columns(out, blockade, 11).equals(reference)


# --- item 6: what a crash leaves is cleaned -----------------------------------------------------

def test_a_merge_folder_left_by_a_crash_is_cleaned_on_resume(blockade, tmp_path):
    out = interrupted(blockade, tmp_path / "r")
    inside = out / ".merge.tmp-abc123"
    beside = tmp_path / ".r.tmp-xyz789"         # where earlier versions merged
    kept = tmp_path / ".r.tmp-notmine"          # same pattern, but holds a file we never write
    for d in (inside, beside, kept):
        d.mkdir()
        (d / "outcomes.parquet").write_bytes(b"half")
        (d / "manifest.json").write_text("{")
    (kept / "diary.txt").write_text("mine")
    assert invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--resume", out, "-q",
                  "--no-plots").exit_code == 0
    assert not inside.exists() and not beside.exists()
    assert (kept / "diary.txt").read_text() == "mine"


def test_a_merge_folder_is_cleaned_by_the_next_run_too(tmp_path):
    out = tmp_path / "r"
    (out / ".merge.tmp-abc").mkdir(parents=True)
    (out / ".merge.tmp-abc" / "outcomes.parquet").write_bytes(b"half")
    assert invoke("run", "blockade", "-n", 20, "-o", out, "-q", "--no-plots").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", "outcomes.parquet",
                                                            *weekly_outputs(BLOCKADE)])


# --- item 7: a full disk or an unwritable folder ------------------------------------------------

def _fail_after(monkeypatch, target, attr, n_ok: int, err: int):
    real = getattr(target, attr)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) > n_ok:
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, attr, flaky)


@pytest.mark.parametrize("err, words", [(errno.ENOSPC, "no space left on device"),
                                        (errno.EACCES, "permission denied")])
def test_a_full_disk_mid_run_keeps_the_parts_and_prints_the_resume(tmp_path, monkeypatch, err,
                                                                   words, blockade, reference):
    out = tmp_path / "r"
    weekly = bool(weekly_outputs(BLOCKADE))  # a chunk's weekly part is written before its part
    # ...and its draws part before both (draw columns are on at this size)
    _fail_after(monkeypatch, pq, "write_table", 2 * (2 + weekly), err)
    r = invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--chunk-size", 300, "-w", 1, "-o", out,
               "--no-plots")
    assert r.exit_code == 1 and "Traceback" not in r.output
    lines = r.stderr.splitlines()
    first = "draws"
    assert lines == [f"error: cannot write {out}/parts/{first}-000000600-000000900.parquet: "
                     f"{words}; "
                     f"600 of 900 replications are saved in {out}; when there is room, resume "
                     f"with:",
                     f"  straitsim run {BLOCKADE} --runs 900 --seed 11 --resume {out}"]
    assert len(list((out / PARTS).glob("part-*.parquet"))) == 2
    assert not list((out / PARTS).glob(".*"))  # nothing half-written
    monkeypatch.undo()
    r = invoke(*lines[1].split()[1:], "-q", "--no-plots")
    assert r.exit_code == 0, r.output
    assert main_columns(out, blockade, 11).equals(reference)


def test_an_unwritable_out_is_one_line(tmp_path, monkeypatch):
    out = tmp_path / "ro" / "r"

    def refuse(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    r = invoke("run", "blockade", "-n", 10, "-o", out)
    assert r.exit_code == 1, r.output
    assert r.stderr == f"error: cannot write {out}: permission denied\n"


def test_a_read_only_folder_at_the_merge_keeps_the_parts(blockade, reference, tmp_path,
                                                         monkeypatch):
    import tempfile

    out = tmp_path / "r"
    _fail_after(monkeypatch, tempfile, "mkdtemp", 0, errno.EROFS)
    r = invoke("run", BLOCKADE, "-n", 900, "-s", 11, "--chunk-size", 300, "-w", 1, "-o", out)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == (f"error: cannot write {out}: read-only file system; 900 of 900 "
                        f"replications are saved in {out}; when there is room, resume with:")
    assert len(lines) == 2 and lines[1].endswith(f"--resume {out}")
    assert len(list((out / PARTS).glob("part-*.parquet"))) == 3
    monkeypatch.undo()
    assert invoke(*lines[1].split()[1:], "-q", "--no-plots").exit_code == 0
    assert main_columns(out, blockade, 11).equals(reference)


@pytest.mark.parametrize("where", ["sim.batch.execute._merge", "sim.results.summary.summarize",
                                   "sim.plots.figures.write_run_figures"])
def test_ctrl_c_while_merging_summarising_or_plotting_prints_the_resume(tmp_path, monkeypatch,
                                                                       where):
    import importlib

    module, name = where.rsplit(".", 1)

    def ctrl_c(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module(module), name, ctrl_c)
    out = tmp_path / "r"
    r = invoke("run", "blockade", "-n", 40, "-s", 2, "-o", out)
    assert r.exit_code == 130
    assert r.stderr.splitlines() == [
        f"interrupted: 40 of 40 replications are saved in {out}; resume with:",
        f"  straitsim run blockade --runs 40 --seed 2 --resume {out}"]
    assert not (out / "manifest.json").exists() and not list(out.glob(".merge.tmp-*"))
    monkeypatch.undo()
    r = invoke("run", "blockade", "-n", 40, "-s", 2, "--resume", out, "-q")
    assert r.exit_code == 0, r.output
    assert json.loads((out / "manifest.json").read_text())["resumed_replications"] == 40


# --- item 12: damaged run folders ---------------------------------------------------------------

@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "run"
    assert invoke("run", "blockade", "-n", 60, "-o", out, "-q", "--no-plots").exit_code == 0
    return out


def _damage_table(table: pa.Table, what: str) -> pa.Table:
    import pyarrow.compute as pc

    if what == "missing column":
        return table.drop_columns(["us_intervention_day"])
    if what == "wrong type":
        i = table.column_names.index("outcome")
        return table.set_column(i, "outcome", pa.array(range(table.num_rows), pa.int64()))
    if what == "wrong type bool":
        i = table.column_names.index("taiwan_held")
        return table.set_column(i, "taiwan_held", pc.cast(table.column("taiwan_held"),
                                                          pa.string()))
    col = "end_day" if what == "infinite day" else "us_intervention_day"
    i = table.column_names.index(col)
    values = table.column(col).to_pylist()
    values[3] = float("inf") if what == "infinite day" else float("-inf")
    return table.set_column(i, col, pa.array(values, pa.float64()))


FINITE = "a day is a finite number, or empty when it never happened"
DAMAGE = {
    "missing column": "missing column(s) us_intervention_day",
    "wrong type": "column outcome holds int64, expected text",
    "wrong type bool": "column taiwan_held holds string, expected bool",
    "infinite day": "column end_day holds 1 infinite day(s); " + FINITE,
    "minus infinite day": "column us_intervention_day holds 1 infinite day(s); " + FINITE,
    "seed text": 'root_seed "abc" is not a whole number >= 0',
    "seed negative": "root_seed -1 is not a whole number >= 0",
    "seed float": "root_seed 1.5 is not a whole number >= 0",
    "seed bool": "root_seed true is not a whole number >= 0",
    "seed missing": "root_seed null is not a whole number >= 0",
}


@pytest.mark.parametrize("command", ["summarize", "figures", "report", "compare"])
@pytest.mark.parametrize("what", list(DAMAGE))
def test_a_damaged_run_folder_is_one_line_for_every_reader(good_run, tmp_path, what, command):
    bad = tmp_path / "bad"
    shutil.copytree(good_run, bad)
    if what.startswith("seed"):
        m = json.loads((bad / "manifest.json").read_text())
        value = {"seed text": "abc", "seed negative": -1, "seed float": 1.5,
                 "seed bool": True}.get(what)
        if what == "seed missing":
            del m["root_seed"]
        else:
            m["root_seed"] = value
        (bad / "manifest.json").write_text(json.dumps(m))
        where = bad / "manifest.json"
    else:
        pq.write_table(_damage_table(pq.read_table(bad / "outcomes.parquet"), what),
                       bad / "outcomes.parquet")
        where = bad / "outcomes.parquet"
    before = listing(bad)
    args = {"summarize": ["summarize", bad], "figures": ["figures", bad],
            "report": ["report", bad],
            "compare": ["compare", bad, good_run, "-o", tmp_path / "cmp"]}[command]
    line = one_error_line(invoke(*args))
    assert line == f"error: {where}: {DAMAGE[what]}"
    assert listing(bad) == before  # no figure, no report written


def test_figures_are_all_written_or_none(good_run, tmp_path, monkeypatch):
    import sim.plots.figures as figures

    out = tmp_path / "figs"
    out.mkdir()

    def disk_full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(figures, "loss_distributions", disk_full)  # the last figure drawn
    r = invoke("figures", good_run, "-o", out)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert list(out.iterdir()) == []
    monkeypatch.undo()
    r = invoke("figures", good_run, "-o", out)
    # 5 figures (the blockade's base strikes bring loss_distributions) and its fan charts, PNG
    # and SVG
    assert r.exit_code == 0 and len(list(out.iterdir())) == 2 * (5 + len(fan_charts()))


# --- compare and sweep claim their run folders the same way -------------------------------------

def test_compare_reuses_its_same_run_and_replaces_another_only_with_force(tmp_path):
    out = tmp_path / "cmp"
    args = ["compare", "blockade", "outer_islands", "-o", out, "-n", 30]
    assert invoke(*args).exit_code == 0
    table = (out / "blockade" / "outcomes.parquet").stat().st_mtime_ns
    assert invoke(*args).exit_code == 0                      # the same runs: reused as they are
    assert (out / "blockade" / "outcomes.parquet").stat().st_mtime_ns == table
    line = one_error_line(invoke(*args[:-1], 40))
    assert line.startswith(f"error: {out / 'blockade'} holds a finished run; replace it with "
                           f"--force")
    assert invoke(*args[:-1], 40, "--force").exit_code == 0
    assert pq.read_metadata(out / "blockade" / "outcomes.parquet").num_rows == 40


def test_a_sweep_point_folder_that_is_not_ours_is_refused(tmp_path):
    out = tmp_path / "sw"
    args = ["sweep", "blockade", "--param", "actors.us.resolve=0.2,0.8", "-n", 20, "-o", out,
            "-q", "--no-plots"]
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    (out / "manifest.json").unlink()
    for f in (out / "point-001").iterdir():
        f.unlink()
    (out / "point-001" / "mine.txt").write_text("mine")
    line = one_error_line(invoke(*args, "--resume"))
    assert line == (f"error: {out / 'point-001'}: the folder is not empty and is not a straitsim "
                    f"run folder (no run manifest.json or parts/run.json); choose another --out")
    assert (out / "point-001" / "mine.txt").read_text() == "mine"


def test_resume_and_force_together_are_refused(tmp_path):
    line = one_error_line(invoke("run", "blockade", "--resume", tmp_path, "--force"))
    assert line == ("error: --resume and --force: give one (--resume finishes the run in the "
                    "folder, --force starts it over)")
