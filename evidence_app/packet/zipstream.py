"""Read a packet's stored ZIP as a stream, strictly, in one pass, with no seeking.

The decrypted packet flows through here once, straight from the age decryptor, so no
plaintext is spooled to disk. A packet is a ZIP we wrote ourselves, and the reader demands
exactly that shape (zipfile itself is lenient: data before the first entry, gaps, trailing
bytes, comments): entries back to back from offset 0, each a stored (uncompressed,
unencrypted) file with a legal unique name; then the central directory, whose every record
must agree with the entry it points to (name, flags, method, offset, CRC and sizes as the
local header or data descriptor declared them); then the end records (ZIP64 ones if present),
with no comment, ending the stream. Nothing can hide between the bytes the signature covers.

Entries written to a non-seekable sink (ours) have flag bit 3: sizes and CRC follow the data
in a data descriptor, which must carry its signature ``PK\\x07\\x08``. The reader finds it by
scanning the data for that signature followed by both sizes equal to the bytes seen since the
data began (an embedded ZIP's own descriptors cannot match: their data starts after a local
header). The central directory then confirms every boundary.

The CRC-32 of each entry is computed here (the caller hashes with SHA-256 in another thread):
an entry whose data disagrees with its declared CRC is reported, not refused, so the verifier
can name it as a mismatch.
"""

from __future__ import annotations

import encodings.cp437  # noqa: F401 - loaded here, not lazily in the decrypt thread
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from evidence_app.errors import VerificationFailed
from evidence_app.packet import layout

LOCAL = b"PK\x03\x04"
DESCRIPTOR = b"PK\x07\x08"
CENTRAL = b"PK\x01\x02"
EOCD = b"PK\x05\x06"
Z64_EOCD = b"PK\x06\x06"
Z64_LOCATOR = b"PK\x06\x07"
_MAX_DESCRIPTOR = 24  # signature, CRC, two 8-byte sizes
_MIN_BLOCK = 64  # smaller blocks are joined with the next, so a descriptor always fits a bridge
_FLAG_ENCRYPTED = 0x1
_FLAG_DESCRIPTOR = 0x8
_FLAG_UTF8 = 0x800
_U32 = 0xFFFFFFFF


class EntrySink(Protocol):
    """Receives each entry as it streams past. ``data`` gets views into the plaintext
    blocks, which are never reused, so a sink may keep them (e.g. queue them for another
    thread)."""

    def begin(self, name: str) -> None: ...

    def data(self, view: memoryview) -> None: ...

    def end(self, entry: Entry) -> None: ...


@dataclass
class Entry:
    name: str
    offset: int  # of the local header
    size: int
    crc: int  # of the data as read
    declared_crc: int  # from the data descriptor, or the local header without one
    raw_name: bytes = b""
    flags: int = 0

    @property
    def crc_ok(self) -> bool:
        return self.crc == self.declared_crc


def _fail(why: str) -> VerificationFailed:
    return VerificationFailed("packet.zip_invalid", why=why)


class _Input:
    """The plaintext as a byte stream over blocks, without copying the big ones."""

    def __init__(self, blocks: Iterable[bytes | bytearray]) -> None:
        self._blocks: Iterator[bytes | bytearray] = iter(blocks)
        self.block: bytes | bytearray = b""
        self.off = 0
        self.pos = 0  # absolute offset of block[off]

    def advance(self) -> bool:
        """Drop the current block (fully consumed) and load the next; False at the end."""
        parts: list[bytes | bytearray] = []
        size = 0
        for block in self._blocks:
            if block:
                parts.append(block)
                size += len(block)
                if size >= _MIN_BLOCK:
                    break
        self.block = parts[0] if len(parts) == 1 else b"".join(parts)
        self.off = 0
        return bool(self.block)

    def exact(self, n: int, what: str) -> bytes:
        out = bytearray()
        while len(out) < n:
            if self.off >= len(self.block) and not self.advance():
                raise _fail(f"truncated ({what})")
            take = min(n - len(out), len(self.block) - self.off)
            out += self.block[self.off : self.off + take]
            self.off += take
            self.pos += take
        return bytes(out)

    def peek(self, n: int) -> bytes:
        """Up to ``n`` bytes ahead without consuming them (fewer only at the end)."""
        if len(self.block) - self.off < n:
            rest = self.block[self.off :]
            self.block = bytes(rest)
            self.off = 0
            while len(self.block) < n:
                previous = self.block
                if not self.advance():
                    self.block = previous
                    break
                self.block = previous + self.block
        return bytes(self.block[self.off : self.off + n])

    def at_end(self) -> bool:
        return self.off >= len(self.block) and not self.advance()

    def take(self, n: int) -> Iterator[memoryview]:
        """Exactly ``n`` bytes as views into the blocks."""
        while n:
            if self.off >= len(self.block) and not self.advance():
                raise _fail("truncated (entry data)")
            step = min(n, len(self.block) - self.off)
            yield memoryview(self.block)[self.off : self.off + step]
            self.off += step
            self.pos += step
            n -= step


class StreamReader:
    """Parse a stored ZIP from ``blocks``, feeding entries to ``sink``; ``run`` returns the
    entries in file order once the central directory and end records have checked out."""

    def __init__(
        self,
        blocks: Iterable[bytes | bytearray],
        sink: EntrySink,
        limits: layout.Limits = layout.DEFAULT_LIMITS,
    ) -> None:
        self._in = _Input(blocks)
        self._sink = sink
        self._limits = limits
        self._entries: list[Entry] = []
        self._names: set[str] = set()
        self._total = 0
        self._crc = 0
        self._size = 0
        self._max_size = limits.max_member_size

    def run(self) -> list[Entry]:
        while True:
            sig = self._in.peek(4)
            if sig != LOCAL:
                break
            self._entry()
        self._central_directory()
        return self._entries

    # --- entries -----------------------------------------------------------------------------

    def _data(self, view: memoryview) -> None:
        if not view:
            return
        self._size += len(view)
        if self._size > self._max_size:
            raise VerificationFailed(
                "packet.member_too_large", name=self._name, limit=self._max_size
            )
        self._total += len(view)
        if self._total > self._limits.max_total_size:
            raise VerificationFailed("packet.too_large", limit=self._limits.max_total_size)
        self._crc = zlib.crc32(view, self._crc)
        self._sink.data(view)

    def _entry(self) -> None:
        offset = self._in.pos
        header = self._in.exact(30, "local header")
        (_sig, _ver, flags, method, _t, _d, crc, csize, usize, name_len, extra_len) = struct.unpack(
            "<4sHHHHHIIIHH", header
        )
        raw_name = self._in.exact(name_len, "name")
        extra = self._in.exact(extra_len, "extra field")
        try:
            name = raw_name.decode("utf-8" if flags & _FLAG_UTF8 else "cp437")
        except UnicodeDecodeError:
            raise _fail("entry name is not valid UTF-8") from None
        if len(self._entries) + 1 > self._limits.max_members:
            raise VerificationFailed(
                "packet.too_many_members",
                count=len(self._entries) + 1,
                limit=self._limits.max_members,
            )
        layout.check_member_name(name, self._limits)
        if name in self._names:
            raise VerificationFailed("packet.duplicate_member", name=name)
        self._names.add(name)
        if method != 0 or flags & _FLAG_ENCRYPTED:
            raise _fail(f"{name}: compressed or encrypted entry")
        zip64 = _zip64_extra(extra)
        self._name, self._crc, self._size = name, 0, 0
        self._sink.begin(name)
        if flags & _FLAG_DESCRIPTOR:
            declared = self._scan_descriptor(24 if zip64 is not None else 16)
        else:
            if zip64 is not None and _U32 in (usize, csize):
                usize, csize = zip64[0], zip64[1] if len(zip64) > 1 else zip64[0]
            if csize != usize:
                raise _fail(f"{name}: sizes disagree")
            if usize > self._max_size:
                raise VerificationFailed("packet.member_too_large", name=name, limit=self._max_size)
            for view in self._in.take(usize):
                self._data(view)
            declared = crc
        entry = Entry(name, offset, self._size, self._crc, declared, raw_name, flags)
        self._entries.append(entry)
        self._sink.end(entry)

    def _descriptor_at(self, desc: bytes | bytearray | memoryview, length: int) -> int | None:
        """The declared CRC if ``desc`` is the descriptor ending the data seen so far."""
        if len(desc) < length or bytes(desc[:4]) != DESCRIPTOR:
            return None
        fmt = "<IQQ" if length == 24 else "<III"
        crc, csize, usize = struct.unpack(fmt, bytes(desc[4:length]))
        return crc if csize == usize == self._size else None

    def _scan_descriptor(self, length: int) -> int:
        """Stream the data up to its descriptor; returns the declared CRC."""
        src = self._in
        while True:
            block, off = src.block, src.off
            last_start = len(block) - length  # the last start whose descriptor fits here
            found = block.find(DESCRIPTOR, off, last_start + 4) if last_start >= off else -1
            if found >= 0:
                self._consume(found - off)
                crc = self._descriptor_at(memoryview(block)[found : found + length], length)
                if crc is not None:
                    src.off += length
                    src.pos += length
                    return crc
                self._consume(1)  # a "PK\7\8" inside the data
                continue
            cut = max(off, last_start + 1)
            self._consume(cut - off)
            tail = bytes(block[cut:])  # shorter than a descriptor: may hold one's start
            src.off = len(block)
            if not src.advance():
                raise _fail(f"{self._name}: truncated (no data descriptor)")
            bridge = tail + bytes(src.block[:length])
            emitted = 0
            for i in range(len(tail)):
                if bridge.startswith(DESCRIPTOR, i) and i + length <= len(bridge):
                    self._emit_bytes(tail[emitted:i])
                    emitted = i
                    crc = self._descriptor_at(bridge[i : i + length], length)
                    if crc is not None:
                        skip = i + length - len(tail)
                        src.off = skip
                        src.pos += len(tail) + skip  # data tail[:i], then the descriptor
                        return crc
            self._emit_bytes(tail[emitted:])
            src.pos += len(tail)

    def _consume(self, n: int) -> None:
        """Pass ``n`` bytes of the current block on as data."""
        src = self._in
        if n:
            self._data(memoryview(src.block)[src.off : src.off + n])
            src.off += n
            src.pos += n

    def _emit_bytes(self, data: bytes) -> None:
        """Data from a bridge between blocks (position accounted for by the caller)."""
        if data:
            self._data(memoryview(data))

    # --- central directory and end records ---------------------------------------------------

    def _central_directory(self) -> None:
        src = self._in
        cd_start = src.pos
        by_offset = {e.offset: e for e in self._entries}
        seen: set[int] = set()
        while src.peek(4) == CENTRAL:
            record = src.exact(46, "central directory")
            (_sig, _made, _need, flags, method, _t, _d, crc, csize, usize) = struct.unpack(
                "<4sHHHHHHIII", record[:28]
            )
            name_len, extra_len, comment_len, disk, _iattr, _eattr, offset = struct.unpack(
                "<HHHHHII", record[28:]
            )
            raw_name = src.exact(name_len, "central directory name")
            extra = src.exact(extra_len, "central directory extra")
            src.exact(comment_len, "central directory comment")
            z64 = list(_zip64_extra(extra) or ())
            if usize == _U32 and z64:
                usize = z64.pop(0)
            if csize == _U32 and z64:
                csize = z64.pop(0)
            if offset == _U32 and z64:
                offset = z64.pop(0)
            entry = by_offset.get(offset)
            if entry is None or offset in seen:
                raise _fail("central directory points to no entry, or twice to one")
            seen.add(offset)
            if comment_len or disk:
                raise _fail(f"{entry.name}: comment or spanning in the central directory")
            if raw_name != entry.raw_name or flags != entry.flags or method != 0:
                raise _fail(f"{entry.name}: local header disagrees with the central directory")
            if (crc, csize, usize) != (entry.declared_crc, entry.size, entry.size):
                raise _fail(f"{entry.name}: data descriptor disagrees with the central directory")
        cd_end = src.pos
        if len(seen) != len(self._entries):
            raise _fail("entry count differs from the central directory")
        count, cd_size, cd_offset = self._end_records(cd_end)
        if count != len(self._entries):
            raise _fail("entry count differs from the end record")
        if cd_offset != cd_start or cd_size != cd_end - cd_start:
            raise _fail("unexpected bytes before or in the central directory")
        if not src.at_end():
            raise _fail("bad end of central directory (comment, spanning or trailing data)")

    def _end_records(self, cd_end: int) -> tuple[int, int, int]:
        src = self._in
        z64: tuple[int, int, int] | None = None
        if src.peek(4) == Z64_EOCD:
            record = src.exact(56, "zip64 end record")
            (_s, rec_size, _v1, _v2, disk, cd_disk, n_here, n_total, cd_size, cd_offset) = (
                struct.unpack("<4sQHHIIQQQQ", record)
            )
            if rec_size != 44 or disk or cd_disk or n_here != n_total:
                raise _fail("bad zip64 end record")
            locator = src.exact(20, "zip64 locator")
            lsig, _disk, z64_offset, disks = struct.unpack("<4sIQI", locator)
            if lsig != Z64_LOCATOR or disks != 1 or z64_offset != cd_end:
                raise _fail("bad zip64 locator")
            z64 = (n_total, cd_size, cd_offset)
        if src.peek(4) != EOCD:
            raise _fail("unexpected bytes after the entries")
        eocd = src.exact(22, "end of central directory")
        _sig, disk, cd_disk, n_here, n_total, cd_size, cd_offset, comment = struct.unpack(
            "<4sHHHHIIH", eocd
        )
        if comment != 0 or disk != 0 or cd_disk != 0 or n_here != n_total:
            raise _fail("bad end of central directory (comment, spanning or trailing data)")
        if z64 is None:
            return n_total, cd_size, cd_offset
        for value, marker, real in zip(
            (n_total, cd_size, cd_offset), (0xFFFF, _U32, _U32), z64, strict=True
        ):
            if value not in (marker, real):
                raise _fail("end record disagrees with the zip64 end record")
        return z64


def _zip64_extra(extra: bytes) -> tuple[int, ...] | None:
    """The 8-byte values of the ZIP64 extended information field, if there is one."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[pos : pos + 4])
        body = extra[pos + 4 : pos + 4 + size]
        if tag == 0x0001:
            if len(body) % 8 not in (0, 4):
                raise _fail("bad zip64 extra field")
            return struct.unpack(f"<{len(body) // 8}Q", body[: len(body) // 8 * 8])
        pos += 4 + size
    return None
