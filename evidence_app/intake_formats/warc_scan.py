"""A bounded structural pass over a WARC file before any parser trusts it.

warcio (the reader the rest of the app uses) reads header lines without a length limit and
decompresses whatever a gzip member expands to. A hostile archive could therefore exhaust
memory with one endless header line, or time and disk with a gzip bomb. This pass reads the
file once, in fixed-size pieces, and refuses it with a reason when:

- the whole file expands beyond ``max_expanded`` (a multiple of its compressed size, capped);
- a record does not start with ``WARC/``, or its header block has a line over 64 KiB, more
  than 1 MiB or more than 1000 lines (``huge headers``);
- a record has no valid ``Content-Length``, or ends before it (``truncated``);
- an HTTP request/response record's own header block does not end within 256 KiB;
- there are more than ``max_records`` records.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO

from evidence_app.errors import IntakeRefused

MAX_LINE = 64 * 1024
MAX_HEADER_BLOCK = 1024 * 1024
MAX_HEADER_LINES = 1000
MAX_HTTP_HEADER = 256 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_records: int = 200_000
    expansion_ratio: int = 100  # decompressed / compressed
    min_expanded: int = 256 * 1024 * 1024  # small files may expand this far regardless
    max_expanded: int = 16 * 1024**3
    max_screenshot: int = 64 * 1024 * 1024
    max_title_read: int = 2 * 1024 * 1024


def refuse(reason: str, **params: object) -> IntakeRefused:
    return IntakeRefused(f"intake.archive_{reason}", **params)


class _Counting:
    """A reader that refuses once more than ``limit`` bytes came out of it."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self._raw = raw
        self._limit = limit
        self.count = 0

    def _note(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self._limit:
            raise refuse("bomb", limit=self._limit)
        return data

    def read(self, n: int = -1) -> bytes:
        return self._note(self._raw.read(n))

    def readline(self, limit: int = -1) -> bytes:
        return self._note(self._raw.readline(limit))


def is_gzip(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b"


def expansion_limit(compressed_size: int, limits: ArchiveLimits) -> int:
    return min(
        limits.max_expanded, max(limits.min_expanded, compressed_size * limits.expansion_ratio)
    )


def scan_warc(
    opener: Callable[[], AbstractContextManager[BinaryIO]],
    compressed_size: int,
    limits: ArchiveLimits,
) -> int:
    """Check the structure of a WARC (plain or gzip) that ``opener`` opens (twice: once to
    look at its first bytes); return its number of records or raise ``IntakeRefused``."""
    with opener() as raw:
        gzipped = is_gzip(raw.read(2))
    with opener() as raw:
        stream: BinaryIO = gzip.GzipFile(fileobj=raw) if gzipped else raw  # type: ignore[assignment]
        counted = _Counting(stream, expansion_limit(compressed_size, limits))
        try:
            return _scan(counted, limits)
        except (OSError, EOFError, zlib.error) as exc:  # broken gzip data, a cut-off member
            raise refuse("truncated", detail=str(exc)[:160]) from exc


def _scan(fh: _Counting, limits: ArchiveLimits) -> int:
    records = 0
    while True:
        line = fh.readline(MAX_LINE + 1)
        if not line:
            break
        if line in (b"\r\n", b"\n"):
            continue  # blank lines between records are tolerated
        if not line.startswith(b"WARC/"):
            raise refuse("not_warc", record=records + 1)
        headers = _header_block(fh, records + 1, len(line))
        try:
            length = int(headers.get(b"content-length", b"-1"))
        except ValueError:
            length = -1
        if length < 0:
            raise refuse("bad_length", record=records + 1)
        http = headers.get(b"content-type", b"").startswith(b"application/http")
        remaining = length
        first = True
        while remaining:
            chunk = fh.read(min(CHUNK, remaining))
            if not chunk:
                raise refuse("truncated", detail=f"record {records + 1}")
            if first and http and length > MAX_HTTP_HEADER:
                # warcio reads the HTTP header lines unbounded too: they must end early.
                window = chunk[:MAX_HTTP_HEADER]
                if b"\r\n\r\n" not in window and b"\n\n" not in window:
                    raise refuse("huge_header", record=records + 1)
            first = False
            remaining -= len(chunk)
        records += 1
        if records > limits.max_records:
            raise refuse("too_many_records", limit=limits.max_records)
    if records == 0:
        raise refuse("not_warc", record=1)
    return records


def _header_block(fh: _Counting, record: int, size: int) -> dict[bytes, bytes]:
    headers: dict[bytes, bytes] = {}
    lines = 0
    while True:
        line = fh.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise refuse("huge_header", record=record)
        if not line.endswith(b"\n"):  # the file ended inside the header block
            raise refuse("truncated", detail=f"record {record} header")
        size += len(line)
        lines += 1
        if size > MAX_HEADER_BLOCK or lines > MAX_HEADER_LINES:
            raise refuse("huge_header", record=record)
        if line.strip() == b"":
            return headers
        name, _sep, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
