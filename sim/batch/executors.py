"""Executors: one interface for running independent tasks in this process, in local worker
processes, or on a Dask cluster.

Each executor is a context manager with ``map_unordered(fn, tasks)``, which yields
``(task_index, result)`` as tasks finish, in whatever order they finish. Callers put results back
in order themselves (the batch writes each chunk to its own Parquet part named by its replication
range), so results never depend on the executor, the number of workers or completion order.
At most a few tasks per worker are in flight at once, so memory is bounded by the chunk size,
not by the number of tasks.

Nothing here runs at import time: no start method is forced, no cluster is started and Dask is
imported only when a Dask executor is opened.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterator, Sequence

from sim.errors import SimError

KINDS = ("local", "dask", "serial")
IN_FLIGHT_PER_WORKER = 2  # enough to keep a worker busy while its last result travels back
# Dask settings for a LocalCluster we start. Its scheduler and nannies share this process, and
# on a small machine their housekeeping takes cores from the model: no statistical profiler
# (it samples each worker's stack 100 times a second), no work stealing (the tasks are equal and
# few per worker), and slower health checks and memory polls. Raised the local rate from about
# 0.78x to 0.84-0.90x the local-process rate on 2 cores.
CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


class ExecutorError(SimError):
    """The executor could not run the tasks (a worker died, a scheduler is unreachable)."""


def cpu_count() -> int:
    """Cores this process may use (respects CPU affinity and container limits where visible)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class SerialExecutor:
    """Runs tasks one after another in this process: the reference the others must match."""

    kind = "serial"

    def __init__(self) -> None:
        self.workers = 1

    def __enter__(self) -> "SerialExecutor":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def describe(self) -> dict:
        return {"kind": self.kind, "workers": 1}

    def map_unordered(self, fn: Callable, tasks: Sequence) -> Iterator[tuple[int, Any]]:
        for i, task in enumerate(tasks):
            yield i, fn(task)


PARENT_POLL_SECONDS = 0.5


def _worker_init() -> None:
    """Set up a local worker process.

    Ctrl-C is the parent's to handle: it stops handing out work and keeps finished chunks.
    Workers that also caught it would die mid-task and print tracebacks. And a worker must not
    outlive its parent: killed with ``kill -9`` or by the OOM killer, the parent closes no pool,
    so each worker watches its parent and exits when it is gone (it is re-parented).
    """
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)  # no cleanup to do: the parent that wanted the results is gone

    threading.Thread(target=watch, name="straitsim-parent-watch", daemon=True).start()


class ProcessExecutor:
    """Local worker processes (``concurrent.futures``), started when entered.

    The platform's default start method is used; none is forced (forcing one at import time is a
    global side effect other programs importing us would inherit).
    """

    kind = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or cpu_count())
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "ProcessExecutor":
        self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is not None:
            # On an error or Ctrl-C, drop queued tasks; running ones finish (they are short).
            self._pool.shutdown(wait=True, cancel_futures=exc_type is not None)
            self._pool = None

    def describe(self) -> dict:
        return {"kind": self.kind, "workers": self.workers}

    def map_unordered(self, fn: Callable, tasks: Sequence) -> Iterator[tuple[int, Any]]:
        from concurrent.futures.process import BrokenProcessPool

        assert self._pool is not None, "use the executor as a context manager"
        pending: dict = {}
        todo = iter(enumerate(tasks))
        window = self.workers * IN_FLIGHT_PER_WORKER
        try:
            while True:
                for i, task in todo:
                    pending[self._pool.submit(fn, task)] = i
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield pending.pop(fut), fut.result()
        except BrokenProcessPool as exc:
            raise ExecutorError("a worker process died (killed, or out of memory); finished "
                                "chunks are kept") from exc
        finally:
            for fut in pending:
                fut.cancel()


class DaskExecutor:
    """Tasks on a Dask cluster: an existing scheduler (``address``, or a ``client`` built by the
    caller, e.g. on a dask-jobqueue ``SLURMCluster``), or a ``LocalCluster`` started here with
    one single-threaded worker process per core (the model is pure Python: threads would share
    one interpreter lock)."""

    kind = "dask"

    def __init__(self, workers: int | None = None, address: str | None = None,
                 client: Any = None, scheduler_file: str | None = None) -> None:
        self.address = address
        self.scheduler_file = scheduler_file
        self.requested = workers
        self.workers = workers or cpu_count()
        self._client = client
        self._own_client = client is None
        self._cluster = None

    def __enter__(self) -> "DaskExecutor":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise SimError("the Dask executor needs Dask: pip install 'straitsim[dask]'") from None
        if self._client is None:
            if self.address or self.scheduler_file:
                where = (f"--address {self.address}" if self.address
                         else f"--scheduler-file {self.scheduler_file}")
                try:
                    self._client = (Client(self.address, timeout="10s") if self.address else
                                    Client(scheduler_file=self.scheduler_file, timeout="10s"))
                except (OSError, TimeoutError, ValueError) as exc:
                    raise SimError(f"{where}: no Dask scheduler answered ({exc})") from None
            else:
                import logging
                import threading

                # Worker processes inherit an ignored SIGINT, so Ctrl-C reaches only this
                # process, which stops handing out work and keeps finished chunks.
                import dask

                main = threading.current_thread() is threading.main_thread()
                old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
                try:
                    with dask.config.set(CLUSTER_CONFIG):
                        # The scheduler serves HTTP whatever dashboard_address says (None
                        # means port 8787, with a warning on stderr when another cluster
                        # holds it): a free port on loopback clashes with nothing.
                        self._cluster = LocalCluster(
                            n_workers=self.workers, threads_per_worker=1, processes=True,
                            dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
                finally:
                    if main:
                        signal.signal(signal.SIGINT, old)
                self._client = Client(self._cluster)
        if self.address or self.scheduler_file or not self._own_client:
            threads = sum(w.get("nthreads", 1)
                          for w in self._client.scheduler_info()["workers"].values())
            self.workers = max(1, threads)
        return self

    def __exit__(self, *exc) -> None:
        import logging

        # Closing while tasks run (after Ctrl-C) makes Dask log lost heartbeats and closed
        # connections with tracebacks; they say nothing the user needs, so keep them quiet.
        quiet = logging.getLogger("distributed")
        level = quiet.level
        if exc[0] is not None:
            quiet.setLevel(logging.CRITICAL)
        try:
            if self._own_client and self._client is not None:
                self._client.close()
            if self._cluster is not None:
                self._cluster.close()
        finally:
            quiet.setLevel(level)
            self._client = self._cluster = None

    def describe(self) -> dict:
        d = {"kind": self.kind, "workers": self.workers}
        if self.address:
            d["address"] = self.address
        return d

    def map_unordered(self, fn: Callable, tasks: Sequence) -> Iterator[tuple[int, Any]]:
        from dask.distributed import as_completed

        client = self._client
        assert client is not None, "use the executor as a context manager"
        todo = iter(enumerate(tasks))
        outstanding: dict = {}  # future key -> (task index, future)
        run_id = f"straitsim-{os.getpid()}-{id(outstanding):x}"

        def submit(i, task):
            # pure=False: equal tasks are still separate tasks; the key names the task in logs.
            fut = client.submit(fn, task, pure=False, key=f"{run_id}-{i}")
            outstanding[fut.key] = (i, fut)
            return fut

        window = self.workers * IN_FLIGHT_PER_WORKER
        first = [submit(i, t) for _, (i, t) in zip(range(window), todo)]
        if not first:
            return
        stream = as_completed(first)
        try:
            for fut in stream:
                i, _ = outstanding.pop(fut.key)
                result = fut.result()
                fut.release()
                nxt = next(todo, None)
                if nxt is not None:
                    stream.add(submit(*nxt))
                yield i, result
        finally:
            for _, fut in outstanding.values():
                fut.cancel()


def open_executor(kind: str = "local", workers: int | None = None,
                  address: str | None = None, scheduler_file: str | None = None):
    """An executor of ``kind`` ("local", "dask" or "serial"); use it in a ``with`` block.

    ``local`` with one worker runs in this process (no point starting a pool for one worker).
    For Dask, ``address`` (``tcp://host:8786``) or ``scheduler_file`` (the JSON file a scheduler
    started with ``--scheduler-file`` writes, common on SLURM) joins a running scheduler;
    without either a ``LocalCluster`` of ``workers`` processes is started.
    """
    if kind not in KINDS:
        raise SimError(f"--executor {kind}: choose one of {', '.join(KINDS)}")
    if address and kind != "dask":
        raise SimError("--address needs --executor dask")
    if scheduler_file and kind != "dask":
        raise SimError("--scheduler-file needs --executor dask")
    if address and scheduler_file:
        raise SimError("--address and --scheduler-file: give one")
    if kind == "serial" or (kind == "local" and workers == 1):
        return SerialExecutor()
    if kind == "local":
        return ProcessExecutor(workers)
    return DaskExecutor(workers, address, scheduler_file=scheduler_file)
