"""Content-addressed storage of original files.

A blob is stored under ``blobs/ab/cdef...`` (its SHA-256 in hex), written to a temporary name
in the same folder, fsynced, then renamed, and made read-only. A blob is never modified; a
second import of the same bytes finds it already there. A crash leaves at most a ``*.tmp``
file, which the next write cleans up; it is never mistaken for a blob.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from evidence_app.durable import fsync_dir
from evidence_app.jobs import NEVER_CANCELLED, CancelToken
from evidence_app.store.lock import FileLock, job_file, reap

CHUNK = 1024 * 1024


def sha256_file(path: Path, cancel: CancelToken = NEVER_CANCELLED) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            cancel.raise_if_cancelled()
    return digest.hexdigest()


class StoreWriteError(OSError):
    """Writing into the case failed (disk full, read-only, I/O): the case's problem, not the
    source file's — the intake must not word it as "the file cannot be read"."""


def _into_store(write: Any, arg: Any, root: Path) -> None:
    try:
        write(arg)
    except OSError as exc:
        raise StoreWriteError(exc.errno, exc.strerror, str(root.parent)) from exc


class StagedBlob:
    """A file copied into the store's staging area and hashed, not yet committed."""

    def __init__(
        self,
        temp_path: Path,
        sha256: str,
        size: int,
        head: bytes,
        owner: FileLock | None = None,
    ) -> None:
        self.temp_path = temp_path
        self.sha256 = sha256
        self.size = size
        self.head = head  # first bytes, for type sniffing
        # Held until the file is committed or discarded: another process's clean-up sees
        # the file is in use (store.lock) and leaves it alone.
        self._owner = owner

    def discard(self) -> None:
        try:
            self.temp_path.unlink()
        except FileNotFoundError:
            pass
        self.release()

    def release(self) -> None:
        if self._owner is not None:
            self._owner.release(remove=True)
            self._owner = None


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    @contextmanager
    def open(self, sha256: str) -> Iterator[BinaryIO]:
        with open(self.path_for(sha256), "rb") as fh:
            yield fh

    def stage(
        self,
        source: BinaryIO,
        max_size: int | None = None,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> StagedBlob:
        """Copy ``source`` into a temporary file here, hashing as it goes (one pass).

        Raises ``OverflowError`` when more than ``max_size`` bytes arrive (the partial copy is
        deleted), so a file that grows while read or a huge device can't fill the disk.
        """
        temp_path, owner, fd = job_file(self.root, ".stage-", ".tmp")
        digest = hashlib.sha256()
        size = 0
        head = b""
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK):
                    if not head:
                        head = chunk[:4096]
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise OverflowError(size)
                    digest.update(chunk)
                    _into_store(out.write, chunk, self.root)
                    cancel.raise_if_cancelled()
                _into_store(lambda _: out.flush(), b"", self.root)
                _into_store(os.fsync, out.fileno(), self.root)
        except BaseException:
            temp_path.unlink(missing_ok=True)
            owner.release(remove=True)
            raise
        return StagedBlob(temp_path, digest.hexdigest(), size, head, owner)

    def commit(self, staged: StagedBlob) -> Path:
        """Move a staged file to its content address (or drop it if already stored)."""
        final = self.path_for(staged.sha256)
        if final.exists():
            staged.discard()
            return final
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(staged.temp_path, stat.S_IRUSR)  # read-only, owner only
        os.replace(staged.temp_path, final)
        staged.release()
        fsync_dir(final.parent)
        return final

    def verify(self, sha256: str, cancel: CancelToken = NEVER_CANCELLED) -> bool:
        path = self.path_for(sha256)
        return path.is_file() and sha256_file(path, cancel) == sha256

    def clean_staging(self) -> int:
        """Delete staging files whose importer is gone (crashed or killed); another process's
        import in progress holds its file's lock and is left alone. Returns how many."""
        return len(reap(self.root, ".stage-*.tmp"))

    def all_digests(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for blob in sorted(sub.iterdir()):
                    yield sub.name + blob.name
