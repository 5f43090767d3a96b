"""Claiming a run folder: what a run may write into ``--out``, and what it may remove there.

A folder is ours when it holds a straitsim run manifest (a finished run) or ``parts/run.json``
(an unfinished one); a missing or empty folder may become ours. Anything else belongs to the
user and is refused untouched, ``--force`` or not. Replacing a finished run (``--force``)
removes only the files its manifest records, and ``parts/`` loses only the part files straitsim
writes, so a run never deletes a file it did not write.

A run holds an ``flock`` on ``DIR/.straitsim.lock`` for its whole life, so a second run or
resume into the same folder is refused instead of interleaving with the first. The kernel drops
the lock when the process dies, so a ``--resume`` after ``kill -9`` is never blocked by it.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sim.errors import SimError

LOCK = ".straitsim.lock"
MERGE_PREFIX = ".merge.tmp-"  # where a run writes its results before moving them in
PARTS = "parts"
STATE = "run.json"
# Files a run and the commands that read it back write into a run folder by default: what a
# manifest written before ``files_written`` existed is taken to record.
DEFAULT_FILES = ("outcomes.parquet", "manifest.json", "report.html",
                 *(f"{s}.{x}" for s in ("outcome_shares", "decision_days", "decision_ecdfs",
                                        "japan_ladder") for x in ("png", "svg")))
OUR_PART_FILE = re.compile(r"^(\.?(part|weekly|draws)-\d{9}-\d{9}\.(parquet|sha256)(\.tmp)?|"
                           r"run\.json|\.run\..*\.json)$")
_OUTPUT_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(parquet|json|png|svg|html)$")


class FolderRefused(SimError):
    """``--out`` cannot be used as asked; ``force_helps`` says whether ``--force`` would do."""

    def __init__(self, message: str, force_helps: bool = False):
        self.force_helps = force_helps
        super().__init__(message)


class WriteFailed(SimError):
    """The disk refused a write (full, read-only, no permission): one line naming the file."""

    def __init__(self, path, exc: OSError):
        self.path, self.errno = Path(path), exc.errno
        super().__init__(f"cannot write {path}: {why(exc)}")


def why(exc: OSError) -> str:
    """``no space left on device``: the OS's words for an error, without Python's wrapping."""
    text = os.strerror(exc.errno) if exc.errno else (str(exc).splitlines() or [""])[0]
    text = text or type(exc).__name__
    return text[0].lower() + text[1:]


def _read_manifest(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def kind_of(out: Path) -> str:
    """``missing``, ``empty``, ``unfinished``, ``finished`` or ``foreign`` (not ours)."""
    if not out.exists():
        return "missing"
    if (out / PARTS / STATE).is_file():
        return "unfinished"
    manifest = out / "manifest.json"
    if manifest.is_file():
        m = _read_manifest(manifest)
        if m is not None and m.get("kind", "run") == "run" and "scenario_hash" in m \
                and "runs" in m:
            return "finished"
        return "foreign"
    for p in out.iterdir():
        if p.name == LOCK or p.name.startswith(MERGE_PREFIX):
            continue
        if p.name == PARTS and p.is_dir() and not p.is_symlink() and not _others(p):
            continue  # what is left of a run that was replaced or started over
        return "foreign"
    return "empty"


def _others(parts: Path) -> list[str]:
    """Names in ``parts/`` that straitsim does not write."""
    return [f.name for f in parts.iterdir()
            if not (OUR_PART_FILE.match(f.name) and (f.is_file() or f.is_symlink()))]


def _busy(out: Path) -> SimError:
    return SimError(f"{out}: another straitsim run is using this folder (it holds {out / LOCK}); "
                    f"wait for it to end, or choose another --out")


def _lock(out: Path) -> int:
    """Open and flock ``out/.straitsim.lock`` without waiting. A holder removes the file before
    it lets go, so a lock won on a file that is no longer the one at that path is void: try
    again on the new one."""
    import fcntl

    path = out / LOCK
    for _ in range(5):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise WriteFailed(exc.filename or path, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise _busy(out) from None
            raise WriteFailed(path, exc) from None
        try:
            st = os.stat(path)
            here = (st.st_dev, st.st_ino) == (os.fstat(fd).st_dev, os.fstat(fd).st_ino)
        except FileNotFoundError:
            here = False
        if here:
            return fd
        os.close(fd)
    raise _busy(out)


def _refuse(kind: str, out: Path, resume: bool, force: bool) -> None:
    if kind == "foreign":
        raise FolderRefused(f"{out}: the folder is not empty and is not a straitsim run folder "
                            f"(no run manifest.json or {PARTS}/{STATE}); choose another --out")
    if resume:
        if kind in ("missing", "empty"):
            raise SimError(f"--resume {out}: not a straitsim run folder (no {PARTS}/{STATE})")
        return  # finished or unfinished: the caller compares what was recorded
    if kind == "finished" and not force:
        raise FolderRefused(f"{out} holds a finished run; replace it with --force, or choose "
                            f"another --out", force_helps=True)
    if kind == "unfinished" and not force:
        raise FolderRefused(f"{out} holds an unfinished run: finish it with --resume {out}, "
                            f"start over with --force, or choose another --out")


_HELD: set[int] = set()  # lock descriptors this process holds
_AT_FORK = False


def _close_in_child() -> None:
    """A forked worker must not keep the run's lock alive after the run's process died."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


@dataclass
class Claim:
    """A run folder held by this process (``release`` or process death frees it)."""

    out: Path
    kind: str  # what the folder was when claimed (see :func:`kind_of`)
    fd: int | None
    pid: int = -1  # the process that holds it (a forked worker's copy holds nothing)

    def release(self) -> None:
        """Remove the lock file while still holding it, then let go: a run folder keeps no
        trace of the lock (see :func:`_lock` for why that is safe)."""
        if self.fd is not None and self.pid == os.getpid():
            _HELD.discard(self.fd)
            try:
                (self.out / LOCK).unlink(missing_ok=True)
            except OSError:
                pass  # a read-only folder: the file stays, the lock still goes
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = None

    def __del__(self):  # a claim dropped on an unexpected error still frees the folder
        try:
            self.release()
        except Exception:  # noqa: BLE001 - at interpreter exit; the kernel frees the lock
            pass


def claim(out: Path, *, resume: bool = False, force: bool = False) -> Claim:
    """Check ``out`` may be used, create it, lock it, and clear what a crash or ``--force``
    leaves to clear. Raises :class:`FolderRefused`, :class:`WriteFailed` or ``SimError``."""
    global _AT_FORK
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SimError(f"{out}: output path exists and is not a folder")
    if resume and not out.is_dir():
        raise SimError(f"--resume {out}: no such run folder")
    if not (out / LOCK).exists():  # a run holds it (or crashed): the check under the lock says
        _refuse(kind_of(out), out, resume, force)  # refuse before writing anything into it
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(exc.filename or out, exc) from None
    fd = _lock(out)
    if not _AT_FORK:
        os.register_at_fork(after_in_child=_close_in_child)
        _AT_FORK = True
    _HELD.add(fd)
    held = Claim(out, "missing", fd, os.getpid())
    try:
        kind = kind_of(out)  # again, now that no other run can change it
        _refuse(kind, out, resume, force)
        held.kind = kind
        remove_stale_temps(out)
        if force and not resume:
            if kind == "finished":
                remove_recorded(out)
            if kind == "unfinished":
                remove_parts(out / PARTS, strict=True)
    except BaseException:
        held.release()
        raise
    return held


def _remove_temp_folder(d: Path) -> None:
    """Remove a results folder a crash left: our output files, then the folder if now empty."""
    for f in d.iterdir():
        if _OUTPUT_FILE.match(f.name) and (f.is_file() or f.is_symlink()):
            f.unlink(missing_ok=True)
    try:
        d.rmdir()
    except OSError:
        pass  # something we did not write is in it: leave it


def remove_stale_temps(out: Path) -> None:
    """Results folders a crash left: ``DIR/.merge.tmp-*`` from a run's merge,
    ``DIR/.figures.tmp-*`` from ``straitsim figures``, and ``.NAME.tmp-*`` beside ``DIR``,
    where earlier versions merged."""
    candidates = [*out.glob(f"{MERGE_PREFIX}*"), *out.glob(".figures.tmp-*")]
    if out.name:
        candidates += list(out.parent.glob(f".{glob.escape(out.name)}.tmp-*"))
    for d in candidates:
        if d.is_dir() and not d.is_symlink():
            _remove_temp_folder(d)


def remove_recorded(out: Path) -> None:
    """Remove the files a finished run's manifest records (the manifest last, so an interrupted
    replacement still reads as a finished run and can be forced again)."""
    m = _read_manifest(out / "manifest.json") or {}
    names = m.get("files_written")
    if not isinstance(names, list):
        names = list(DEFAULT_FILES)
    names = [n for n in names if isinstance(n, str) and _OUTPUT_FILE.match(n)
             and n != "manifest.json"]
    for name in [*names, "manifest.json"]:
        f = out / name
        if f.is_symlink() or f.is_file():
            f.unlink()
    if (out / PARTS).is_dir():
        remove_parts(out / PARTS)


def remove_parts(parts: Path, strict: bool = False) -> None:
    """Remove the files straitsim writes in ``parts/``, then the folder if that empties it.
    ``strict``: refuse (one line) when something else is in there, since a new run would
    share the folder with it."""
    if not parts.is_dir():
        return
    others = _others(parts)
    if others and strict:
        raise SimError(f"{parts}: holds {sorted(others)[0]!r}, which straitsim did not write; "
                       f"move it away first")
    for f in parts.iterdir():
        if f.name not in others:
            f.unlink(missing_ok=True)
    if not others:
        try:
            parts.rmdir()
        except OSError:
            pass
