"""SHA-256 and CRC-32 of byte ranges of the verify spool, a few members at a time.

hashlib and zlib release the GIL on large buffers, so members hashed in parallel threads
use several cores; each thread reads the spool through its own file handle.
"""

from __future__ import annotations

import hashlib
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from evidence_app.jobs import CancelToken

CHUNK = 1024 * 1024
WORKERS = 2


@dataclass(frozen=True)
class RangeDigest:
    sha256: str
    crc: int
    size: int  # bytes actually read (less than asked when the spool is short)


def hash_range(path: Path, offset: int, size: int, cancel: CancelToken) -> RangeDigest:
    digest = hashlib.sha256()
    crc = 0
    read = 0
    with open(path, "rb", buffering=0) as fh:
        fh.seek(offset)
        while read < size:
            chunk = fh.read(min(CHUNK, size - read))
            if not chunk:
                break
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            read += len(chunk)
            cancel.raise_if_cancelled()
    return RangeDigest(digest.hexdigest(), crc, read)


class RangeHasher:
    """Context manager: ``submit`` ranges, collect ``Future[RangeDigest]`` in any order."""

    def __init__(self, path: Path, cancel: CancelToken, workers: int = WORKERS) -> None:
        self._path = path
        self._cancel = cancel
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="packet-hash")

    def submit(self, offset: int, size: int) -> Future[RangeDigest]:
        return self._pool.submit(hash_range, self._path, offset, size, self._cancel)

    def __enter__(self) -> RangeHasher:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
