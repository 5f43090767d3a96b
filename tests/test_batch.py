"""Batches at scale: every executor gives the same table; interrupted runs resume to the table an
uninterrupted run gives; a replication that raises becomes an error row, not a crash.

The Dask tests start a real ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1; they
are marked ``cluster`` (run by default, in CI too; ``-m "not cluster"`` skips them locally).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from _support import BLOCKADE, INVASION, ROOT, STRAITSIM, main_columns, weekly_outputs
from sim.batch.execute import PARTS, RunInterrupted, run_to_folder
from sim.batch.executors import open_executor
from sim.batch.runner import run_batch
from sim.cli import app
from sim.config.loader import load
from sim.results.table import to_table


runner = CliRunner()


@pytest.fixture(scope="module")
def blockade():
    return load(BLOCKADE)


@pytest.fixture(scope="module")
def reference(blockade):
    """1,200 replications in this process, one chunk: what every other way must reproduce."""
    return to_table(run_batch(blockade.data, 1200, 11, workers=1, chunk_size=1200))


def read(out: Path, scenario: Path = BLOCKADE, seed: int = 11):
    """``outcomes.parquet`` without its draw columns, once they are checked to be the draws
    of ``scenario`` under ``seed`` (``_support.main_columns``)."""
    return main_columns(out, load(scenario), seed)


def rigged(folder: Path) -> Path:
    """A blockade whose escalation rule gives a NaN probability in about 30% of replications:
    ``flaky / 0 * 0`` is ``inf * 0`` when flaky is 1 and ``0 * 0`` when it is 0."""
    path = folder / "rigged.yaml"
    path.write_text(
        f"extends: {BLOCKADE}\n"
        "name: rigged\n"
        "actors:\n"
        "  prc:\n"
        "    variables:\n"
        "      flaky: {dist: bernoulli, p: 0.3, assumption: test rigging}\n"
        "    rules:\n"
        "      enforce:\n"
        "        probability: '1 + flaky / 0 * 0'\n")
    return path


# --- one result whatever runs it ---------------------------------------------------------------

@pytest.mark.parametrize("chunk", [1, 97, 500])
def test_serial_chunking_does_not_change_the_table(blockade, reference, chunk):
    with open_executor("serial") as ex:
        rows = run_batch(blockade.data, 1200, 11, chunk_size=chunk, executor=ex)
    assert to_table(rows).equals(reference)


def _parquet_bytes(table) -> bytes:
    import io
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


@pytest.mark.parametrize("scenario", sorted(ROOT.glob("scenarios/*.yaml")), ids=lambda p: p.stem)
def test_rows_packed_in_a_worker_make_the_table_rows_make(scenario):
    """What a worker sends back (``PackedRows``: typed arrays and null masks) gives the very
    table ``to_table`` gives from the rows, byte for byte once written, error rows included."""
    from sim.batch.runner import Chunk, PackedRows, data_key, run_chunk
    from sim.model.outcome import error_row
    data = load(scenario).data
    rows = run_chunk(Chunk(data_key(data), data, 5, 0, 40))
    rows[3] = error_row(3, RuntimeError("boom"), rows[0].columns)
    packed = PackedRows(rows)
    assert len(packed) == 40
    assert sum(not isinstance(c, list) for c in packed.cols) > len(packed.cols) * 3 // 4
    assert _parquet_bytes(packed.table()) == _parquet_bytes(to_table(rows))


def test_a_column_that_does_not_pack_as_its_kind_travels_as_values():
    """A float in an int column, a number in a bool column: kept as values and converted (or
    refused) by Arrow exactly as ``to_table`` would."""
    from sim.batch.runner import PackedRows
    from sim.model.outcome import COLUMN_NAMES, COLUMNS, row_of
    names = COLUMN_NAMES[:5]
    kinds = {n: k for n, k, _ in COLUMNS}
    assert [kinds[n] for n in names] == ["int", "str", "float", "bool", "bool"], names
    rows = [row_of((i, "x", 1.5 if i else None, True, None if i == 1 else False), names)
            for i in range(3)]
    packed = PackedRows(rows)
    assert [type(c).__name__ for c in packed.cols] == ["tuple", "list", "tuple", "tuple",
                                                        "tuple"]
    assert packed.table().equals(to_table(rows))
    odd = [row_of((i + 0.5, "x", 1.0, 2, False), names) for i in range(2)]
    assert [isinstance(c, list) for c in PackedRows(odd).cols] == [True, True, False, True,
                                                                    False]
    with pytest.raises(Exception) as packed_error:
        PackedRows(odd).table()
    with pytest.raises(Exception) as rows_error:
        to_table(odd)
    assert type(packed_error.value) is type(rows_error.value)


def test_a_worker_never_loads_arrow():
    """Arrow costs each worker tens of MB: chunks travel as packed arrays instead."""
    code = ("import sys\n"
            "from sim.config.loader import load\n"
            "from sim.batch.runner import Chunk, data_key, packed, run_chunk\n"
            f"d = load({str(BLOCKADE)!r}).data\n"
            "packed(run_chunk, Chunk(data_key(d), d, 1, 0, 20))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyarrow'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_two_local_processes_give_the_serial_table(blockade, reference):
    with open_executor("local", 2) as ex:
        assert ex.kind == "local" and ex.workers == 2
        rows = run_batch(blockade.data, 1200, 11, chunk_size=150, executor=ex)
    assert to_table(rows).equals(reference)


def test_folder_run_streams_parts_and_merges_them_in_order(blockade, reference, tmp_path):
    seen = []
    with open_executor("local", 2) as ex:
        result = run_to_folder(blockade, 1200, 11, tmp_path / "r", executor=ex, chunk_size=100,
                               plots=False, on_chunk=seen.append)
    assert read(tmp_path / "r").equals(reference)
    assert not (tmp_path / "r" / PARTS).exists()          # merged, then removed
    assert len(seen) == 12 and seen[-1] == 1200            # one callback per saved chunk
    md = pq.read_metadata(tmp_path / "r" / "outcomes.parquet")
    assert md.num_row_groups == 12                         # one row group per chunk
    m = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert m["runs"] == 1200 and m["errors"] == 0 and m["chunk_size"] == 100
    assert m["executor"] == {"kind": "local", "workers": 2}
    assert result.summary["runs"] == 1200


@pytest.mark.cluster
def test_dask_local_cluster_gives_the_serial_table(blockade, reference):
    pytest.importorskip("dask.distributed")
    with open_executor("dask", 2) as ex:
        rows = run_batch(blockade.data, 1200, 11, chunk_size=300, executor=ex)
    assert to_table(rows).equals(reference)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A real scheduler and two single-threaded workers, as separate processes on loopback."""
    pytest.importorskip("dask.distributed")
    bin_ = Path(sys.executable).parent
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    log = open(tmp_path / "dask.log", "w")
    procs = [subprocess.Popen([bin_ / "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--dashboard-address", ":0", "--no-show"],
                              stdout=log, stderr=subprocess.STDOUT, env=env)]
    for _ in range(2):
        procs.append(subprocess.Popen([bin_ / "dask", "worker", address, "--nthreads", "1",
                                       "--nworkers", "1", "--no-dashboard"],
                                      stdout=log, stderr=subprocess.STDOUT, env=env))
    try:
        from dask.distributed import Client
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()


@pytest.mark.cluster
def test_dask_scheduler_and_worker_processes_give_the_serial_table(blockade, reference,
                                                                   dask_cluster, tmp_path):
    address, _ = dask_cluster
    result = runner.invoke(app, ["run", str(BLOCKADE), "-n", "1200", "-s", "11", "--executor",
                                 "dask", "--address", address, "--chunk-size", "200", "-o",
                                 str(tmp_path / "d"), "--no-plots", "-q"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "d").equals(reference)
    m = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert m["executor"] == {"kind": "dask", "workers": 2, "address": address}


def test_unreachable_scheduler_is_one_clean_error(tmp_path):
    pytest.importorskip("dask.distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = runner.invoke(app, ["run", str(BLOCKADE), "-n", "10", "--executor", "dask",
                                 "--address", address, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --address {address}: no Dask scheduler answered")
    assert "Traceback" not in result.output and not (tmp_path / "x").exists()


def test_unknown_executor_and_misplaced_address_are_refused(tmp_path):
    r = runner.invoke(app, ["run", str(BLOCKADE), "--executor", "mpi", "-o", str(tmp_path)])
    assert r.exit_code == 2  # refused by the option's choices, which --help lists
    assert "'mpi' is not one of 'local', 'dask', 'serial'" in r.stderr
    assert "Traceback" not in r.output and not any(tmp_path.iterdir())
    r = runner.invoke(app, ["run", str(BLOCKADE), "--address", "tcp://h:1", "-o", str(tmp_path)])
    assert r.exit_code == 2 and "error: --address needs --executor dask" in r.stderr


# --- interrupt and resume ----------------------------------------------------------------------

def _stop_after(n_chunks: int):
    calls = []

    def on_chunk(saved):
        calls.append(saved)
        if len(calls) == n_chunks:
            raise KeyboardInterrupt

    return on_chunk


@pytest.mark.parametrize("kind", ["serial", "local"])
def test_interrupted_run_resumes_to_the_uninterrupted_table(blockade, reference, tmp_path, kind):
    out = tmp_path / "r"
    with open_executor(kind, 2) as ex, pytest.raises(RunInterrupted) as info:
        run_to_folder(blockade, 1200, 11, out, executor=ex, chunk_size=100, plots=False,
                      on_chunk=_stop_after(4))
    assert info.value.done == 400
    parts = sorted(p.name for p in (out / PARTS).iterdir())
    weekly = 8 if weekly_outputs(BLOCKADE) else 0           # and 4 weekly parts and hashes
    draws = 8                                                # and 4 draws parts and hashes
    assert "run.json" in parts and len(parts) == 9 + weekly + draws  # 4 parts, hashes, state
    assert not any(p.endswith(".tmp") for p in parts)        # nothing half-written
    assert not (out / "outcomes.parquet").exists()

    with open_executor(kind, 2) as ex:  # a different chunk size on resume is fine
        result = run_to_folder(blockade, 1200, 11, out, executor=ex, resume=True,
                               chunk_size=250, plots=False)
    assert result.reused == 400
    assert read(out).equals(reference)
    assert json.loads((out / "manifest.json").read_text())["resumed_replications"] == 400


def test_a_corrupt_part_is_redone_not_trusted(blockade, reference, tmp_path):
    out = tmp_path / "r"
    with pytest.raises(RunInterrupted):
        run_to_folder(blockade, 1200, 11, out, chunk_size=300, plots=False,
                      on_chunk=_stop_after(2))
    part = sorted((out / PARTS).glob("part-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:-100])  # truncated: the footer is gone
    result = run_to_folder(blockade, 1200, 11, out, resume=True, plots=False)
    assert result.reused == 300
    assert read(out).equals(reference)


def test_resume_refuses_another_seed_or_scenario(blockade, tmp_path):
    out = tmp_path / "r"
    with pytest.raises(RunInterrupted):
        run_to_folder(blockade, 1000, 11, out, chunk_size=250, plots=False,
                      on_chunk=_stop_after(1))
    r = runner.invoke(app, ["run", str(BLOCKADE), "-n", "1000", "-s", "12", "--resume", str(out)])
    assert r.exit_code == 2
    assert r.stderr == f"error: --resume {out}: that run used --seed 11, not 12\n"
    r = runner.invoke(app, ["run", str(BLOCKADE), "-n", "1000", "-s", "11", "--resume", str(out),
                            "--set", "actors.us.resolve=0.9"])
    assert r.exit_code == 2 and "that run used another scenario" in r.stderr
    r = runner.invoke(app, ["run", str(BLOCKADE), "-n", "1000", "-s", "11", "-o", str(out)])
    assert r.exit_code == 2
    assert r.stderr == (f"error: {out} holds an unfinished run: finish it with --resume {out}, "
                        f"start over with --force, or choose another --out\n")
    r = runner.invoke(app, ["run", str(BLOCKADE), "--resume", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "no such run folder" in r.stderr


def _wait_for_parts(out: Path, n: int, proc, timeout=60.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if (out / PARTS).exists() and len(list((out / PARTS).glob("part-*.parquet"))) >= n:
            return
        if proc.poll() is not None:
            pytest.fail(f"run ended early: {proc.communicate()}")
        time.sleep(0.05)
    pytest.fail("no parts appeared")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.parametrize("how", ["ctrl-c", "kill-worker",
                                 pytest.param("ctrl-c-dask", marks=pytest.mark.cluster)])
def test_cli_run_stopped_midway_resumes_to_the_same_table(tmp_path, how):
    """The real command in a real process: Ctrl-C (SIGINT to the process group, as a terminal
    sends it) or SIGKILL to one worker; then ``--resume``; the table matches a clean run.

    The batch is large (50 chunks) so that it cannot finish between the test seeing two parts
    and its signal landing, even on a loaded machine. The clean run to compare with covers
    every part the stopped run saved and more (replication i depends only on i, so a clean run
    of the first rows gives the first rows of the full table)."""
    n = 15000
    common = [str(INVASION), "-n", str(n), "-s", "5", "--chunk-size", "300", "-w", "2",
              "--no-plots"]
    if how.endswith("dask"):
        pytest.importorskip("dask.distributed")
        common += ["--executor", "dask"]
    out = tmp_path / "stopped"
    proc = subprocess.Popen([STRAITSIM, "run", *common, "-o", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_parts(out, 2, proc)
    if how.startswith("ctrl-c"):
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(_children(proc.pid)[0], signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == (130 if how.startswith("ctrl-c") else 1), stderr
    assert "Traceback" not in stderr                       # workers too stay quiet
    lines = stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("interrupted:" if how != "kill-worker" else "a worker process died")
    assert lines[-2].endswith("resume with:")
    hint = lines[-1].split()
    assert hint[:2] == ["straitsim", "run"] and hint[-2:] == ["--resume", str(out)]
    assert not (out / "outcomes.parquet").exists()
    assert not list((out / PARTS).glob(".*.tmp"))
    saved = [int(p.stem.split("-")[2]) for p in (out / PARTS).glob("part-*.parquet")]
    assert saved and max(saved) < n

    resumed = subprocess.run([STRAITSIM, *hint[1:], "-q"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert 0 < m["resumed_replications"] < n
    table = read(out, INVASION, 5)
    assert table.column("replication").to_pylist() == list(range(n))
    prefix = max(saved) + 600  # every saved part and at least two chunks computed on resume
    clean_args = [*common, "-o", str(tmp_path / "clean"), "-q"]
    clean_args[clean_args.index("-n") + 1] = str(prefix)
    clean = subprocess.run([STRAITSIM, "run", *clean_args], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    assert table.slice(0, prefix).equals(read(tmp_path / "clean", INVASION, 5))


# --- failures inside the model -----------------------------------------------------------------

def test_replications_that_raise_become_error_rows(tmp_path):
    result = runner.invoke(app, ["run", str(rigged(tmp_path)), "-n", "600", "-s", "3", "-o",
                                 str(tmp_path / "r"), "--no-plots", "-q"])
    assert result.exit_code == 3, result.output
    df = read(tmp_path / "r", rigged(tmp_path), 3).to_pandas()
    bad = df[df.status == "error"]
    assert len(df) == 600 and list(df.replication) == list(range(600))
    assert 0.2 < len(bad) / 600 < 0.4                         # about the rigged 30%
    assert bad.error.str.startswith("ModelError: rule enforce: probability expression gave "
                                    "NaN").all()
    assert bad.outcome.isna().all() and df[df.status == "ok"].error.isna().all()
    m = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert m["errors"] == len(bad) and m["summary"]["errors"] == len(bad)
    assert m["summary"]["ok"] == 600 - len(bad)                # shares over runs that finished
    assert result.stderr.startswith(f"warning: {len(bad)} of 600 replications raised an error")


def test_error_rows_do_not_disturb_the_other_replications(tmp_path):
    """The rigging only adds a draw in an unused slot: finished replications keep their rows."""
    good = to_table(run_batch(load(BLOCKADE).data, 300, 3)).to_pandas()
    df = to_table(run_batch(load(rigged(tmp_path)).data, 300, 3)).to_pandas()
    ok = df.status == "ok"
    same = ["outcome", "end_day", "us_posture", "japan_level", "taiwan_capitulation_day"]
    assert ok.sum() > 150
    assert df.loc[ok, same].equals(good.loc[ok, same])
