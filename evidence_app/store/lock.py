"""OS advisory locks: the case lock held by writers, and one lock per job's leftovers.

Why an OS lock and not a PID file or an age: the kernel drops the lock when its process dies,
however it dies (SIGKILL, power loss), so "the lock can be taken" proves the owner is gone —
the only safe test before deleting another process's staging file, export work folder or
``.part`` file. A PID can be reused; a file can be old and still in use.

One small platform seam: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` (first byte) on Windows.
The lock files hold no data (Windows locks are mandatory for the locked byte); what a lock
holder is doing is written beside it in ``<lock>.info`` for the refusal message.

- :class:`CaseLock` — ``case.lock`` in the case folder, taken by every writer (import, edit,
  export, the desktop app). A second writer is refused with :class:`CaseBusy`, naming the
  holder's action and since when. Readers (check, show, audit) never take it.
- :func:`owned` / :func:`owner_gone` / :func:`reap` — a job creates ``X.lock`` (locked) before
  it creates ``X`` (a file or folder) and removes it after; a cleaner removes ``X`` only when
  it can take ``X.lock`` itself. The owner creates the lock first and removes it last, so
  ``X`` without ``X.lock`` has no owner either (or was left by an older version).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from evidence_app.errors import StoreError

LOCK_SUFFIX = ".lock"
CASE_LOCK = "case.lock"


class CaseBusy(StoreError):
    """Another process holds the case lock (a writer is at work)."""

    def message(self) -> str:
        from evidence_app.i18n import tr

        action = str(self.params.get("action", "?"))
        label = tr(f"store.lock_action.{action}")
        params = {**self.params, "action": action if label.startswith("store.") else label}
        return tr(self.key, **params)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        with contextlib.suppress(OSError):
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _open_lock_file(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "r+b", buffering=0)


class FileLock:
    """An exclusive, non-blocking lock on ``path`` (created 0600 if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh: IO[bytes] | None = None

    def acquire(self) -> bool:
        fh = _open_lock_file(self.path)
        if not _try_lock(fh):
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self, *, remove: bool = False) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        if remove:  # while still holding it: no other process can be inside the lock
            with contextlib.suppress(OSError):
                self.path.unlink()
        _unlock(fh)
        fh.close()

    @property
    def held(self) -> bool:
        return self._fh is not None


# --- the case lock ----------------------------------------------------------------------------


class CaseLock:
    """Held by a writer for as long as it has the case open for writing."""

    def __init__(self, root: Path, action: str) -> None:
        self.root = Path(root)
        self.action = action
        self._lock = FileLock(self.root / CASE_LOCK)

    @property
    def info_path(self) -> Path:
        return self.root / (CASE_LOCK + ".info")

    def acquire(self) -> CaseLock:
        if not self._lock.acquire():
            raise CaseBusy("store.case_busy", **holder_info(self.root))
        info = {
            "action": self.action,
            "pid": os.getpid(),
            "since": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):  # the message is a courtesy, the lock is the rule
            tmp = self.info_path.with_name(f".{self.info_path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(info), encoding="utf-8")
            os.replace(tmp, self.info_path)
        return self

    def release(self) -> None:
        if self._lock.held:
            with contextlib.suppress(OSError):
                self.info_path.unlink()
        self._lock.release()

    def __enter__(self) -> CaseLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder_info(root: Path) -> dict[str, Any]:
    """What the current holder said it is doing: ``action`` and ``since`` (local HH:MM)."""
    action, since, pid = "?", "?", "?"
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        raw = json.loads((Path(root) / (CASE_LOCK + ".info")).read_text(encoding="utf-8"))
        action = str(raw.get("action", "?"))[:40]
        pid = str(raw.get("pid", "?"))[:12]
        since = _dt.datetime.fromisoformat(str(raw["since"])).strftime("%H:%M")
    return {"action": action, "since": since, "pid": pid}


def case_locked_elsewhere(root: Path) -> bool:
    """True when some process holds the case lock (a reader's question; takes nothing)."""
    probe = FileLock(Path(root) / CASE_LOCK)
    try:
        if probe.acquire():
            probe.release()
            return False
    except OSError:  # read-only case folder: nobody can be writing
        return False
    return True


# --- leftovers of jobs ------------------------------------------------------------------------


def lock_path(item: Path) -> Path:
    return item.with_name(item.name + LOCK_SUFFIX)


@contextlib.contextmanager
def owned(item: Path) -> Iterator[FileLock]:
    """Mark ``item`` (about to be created) as owned by this process until the block ends.
    The lock is taken before ``item`` exists and dropped after the caller removed it."""
    lock = FileLock(lock_path(item))
    if not lock.acquire():  # a fresh random name: only a cleaner can hold it, briefly
        raise FileExistsError(str(lock.path))
    try:
        yield lock
    finally:
        lock.release(remove=True)


def hold(item: Path) -> FileLock:
    """Like :func:`owned`, for a job whose leftovers outlive a ``with`` block: the caller
    calls ``release(remove=True)`` after removing or renaming ``item``."""
    lock = FileLock(lock_path(item))
    if not lock.acquire():
        raise FileExistsError(str(lock.path))
    return lock


def reap(folder: Path, pattern: str, *, require_lock: bool = False) -> list[Path]:
    """Delete every ``pattern`` match in ``folder`` whose owner is provably gone (its lock
    can be taken, or it has none). Returns what was removed; never touches live work.
    ``require_lock`` spares matches that have no lock file (in a user's folder a name alike
    may be someone else's file: only what this app marked as its own is removed)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for item in sorted(folder.glob(pattern)):
        if item.name.endswith(LOCK_SUFFIX):
            continue
        if require_lock and not lock_path(item).exists():
            continue
        lock = FileLock(lock_path(item))
        try:
            if not lock.acquire():
                continue  # alive
        except OSError:
            continue  # cannot tell (read-only folder): leave it
        try:
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
            removed.append(item)
        finally:
            lock.release(remove=True)
    # Lock files whose item is gone (the owner died between removing the item and the lock).
    for stale in folder.glob(pattern + LOCK_SUFFIX):
        item = stale.with_name(stale.name[: -len(LOCK_SUFFIX)])
        if item.exists():
            continue
        lock = FileLock(stale)
        with contextlib.suppress(OSError):
            if lock.acquire():
                lock.release(remove=True)
    return removed


def _fresh_name(prefix: str, suffix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}{suffix}"


def job_file(folder: Path, prefix: str, suffix: str) -> tuple[Path, FileLock, int]:
    """Create a private (0600) file ``folder/<prefix><random><suffix>`` owned by this process:
    returns its path, its held lock (release with ``remove=True`` after the file is gone or
    renamed) and an open descriptor for writing."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder / _fresh_name(prefix, suffix)
        try:
            lock = hold(path)
        except FileExistsError:
            continue
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            lock.release(remove=True)
            continue
        except BaseException:
            lock.release(remove=True)
            raise
        return path, lock, fd


def job_dir(folder: Path, prefix: str, suffix: str = "") -> tuple[Path, FileLock]:
    """Create a private (0700) folder owned by this process (see :func:`job_file`)."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder / _fresh_name(prefix, suffix)
        try:
            lock = hold(path)
        except FileExistsError:
            continue
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            lock.release(remove=True)
            continue
        except BaseException:
            lock.release(remove=True)
            raise
        return path, lock
