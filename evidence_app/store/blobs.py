"""Content-addressed storage of original files.

A blob is stored under ``blobs/ab/cdef...`` (its SHA-256 in hex), written to a temporary name
in the same folder, fsynced, then renamed, and made read-only. A blob is never modified; a
second import of the same bytes finds it already there. A crash leaves at most a ``*.tmp``
file, which the next write cleans up; it is never mistaken for a blob.

Beside the SHA-256 every original also gets its SM3 digest (GB/T 32905, the 国密 hash some
receivers work with), computed in the same read pass through the ``cryptography`` library's
OpenSSL: the file is never read twice to get both.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import hashes

from evidence_app.durable import fsync_dir
from evidence_app.jobs import NEVER_CANCELLED, CancelToken
from evidence_app.store.lock import FileLock, job_file, reap

CHUNK = 1024 * 1024


class Digests:
    """SHA-256 and SM3 of one stream, fed in one pass."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sm3 = hashes.Hash(hashes.SM3())
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._sha256.update(chunk)
        self._sm3.update(chunk)
        self.size += len(chunk)

    def hexdigests(self) -> tuple[str, str]:
        """(SHA-256, SM3) in lower-case hex; call once, at the end."""
        return self._sha256.hexdigest(), self._sm3.finalize().hex()


def digests_file(path: Path, cancel: CancelToken = NEVER_CANCELLED) -> tuple[str, str]:
    """(SHA-256, SM3) of a file, read once."""
    digests = Digests()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digests.update(chunk)
            cancel.raise_if_cancelled()
    return digests.hexdigests()


def sm3_bytes(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


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
        sm3: str = "",
    ) -> None:
        self.temp_path = temp_path
        self.sha256 = sha256
        self.sm3 = sm3
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
        digests = Digests()
        head = b""
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK):
                    if not head:
                        head = chunk[:4096]
                    if max_size is not None and digests.size + len(chunk) > max_size:
                        raise OverflowError(digests.size + len(chunk))
                    digests.update(chunk)
                    _into_store(out.write, chunk, self.root)
                    cancel.raise_if_cancelled()
                _into_store(lambda _: out.flush(), b"", self.root)
                _into_store(os.fsync, out.fileno(), self.root)
        except BaseException:
            temp_path.unlink(missing_ok=True)
            owner.release(remove=True)
            raise
        sha256, sm3 = digests.hexdigests()
        return StagedBlob(temp_path, sha256, digests.size, head, owner, sm3)

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

    def verify(self, sha256: str, cancel: CancelToken = NEVER_CANCELLED, sm3: str = "") -> bool:
        """The blob is there and hashes to ``sha256`` (and to ``sm3`` when one is given:
        exhibits imported before SM3 was recorded have none)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return False
        if not sm3:
            return sha256_file(path, cancel) == sha256
        return digests_file(path, cancel) == (sha256, sm3)

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
