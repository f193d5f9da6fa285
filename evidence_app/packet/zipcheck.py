"""Strict structural checks of a packet's ZIP before any member is trusted.

zipfile is lenient on purpose (it accepts data before the first entry, gaps, trailing bytes,
comments). A packet is a ZIP we wrote ourselves, so the reader demands exactly that shape:
entries back to back from offset 0, each a stored (uncompressed, unencrypted) file with a
legal unique name, its data descriptor agreeing with the central directory, the central
directory right after the last entry, and the end records closing the file with no comment.
Nothing can hide between the bytes the signature covers.
"""

from __future__ import annotations

import os
import struct
import zipfile
from typing import BinaryIO

from evidence_app.errors import VerificationFailed
from evidence_app.packet import layout

_LOCAL = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"
_EOCD = b"PK\x05\x06"
_Z64_LOCATOR = b"PK\x06\x07"
_Z64_EOCD = b"PK\x06\x06"


def _fail(why: str) -> VerificationFailed:
    return VerificationFailed("packet.zip_invalid", why=why)


def _read_at(fh: BinaryIO, offset: int, size: int) -> bytes:
    fh.seek(offset)
    data = fh.read(size)
    if len(data) != size:
        raise _fail("truncated")
    return data


def _end_records(fh: BinaryIO, file_size: int) -> tuple[int, int, int]:
    """(entry count, central directory offset, central directory end) from the end records."""
    if file_size < 22:
        raise _fail("too short")
    eocd = _read_at(fh, file_size - 22, 22)
    sig, disk, cd_disk, n_here, n_total, cd_size, cd_offset, comment = struct.unpack(
        "<4sHHHHIIH", eocd
    )
    if sig != _EOCD or comment != 0 or disk != 0 or cd_disk != 0 or n_here != n_total:
        raise _fail("bad end of central directory (comment, spanning or trailing data)")
    end_of_cd = file_size - 22
    if 0xFFFF in (n_total,) or 0xFFFFFFFF in (cd_size, cd_offset):
        if file_size < 22 + 20 + 56:
            raise _fail("truncated zip64 end records")
        loc = _read_at(fh, file_size - 22 - 20, 20)
        lsig, _disk, z64_offset, disks = struct.unpack("<4sIQI", loc)
        if lsig != _Z64_LOCATOR or disks != 1 or z64_offset != file_size - 22 - 20 - 56:
            raise _fail("bad zip64 locator")
        rec = _read_at(fh, z64_offset, 56)
        (zsig, rec_size, _v1, _v2, zdisk, zcd_disk, zn_here, zn_total, cd_size, cd_offset) = (
            struct.unpack("<4sQHHIIQQQQ", rec)
        )
        if zsig != _Z64_EOCD or rec_size != 44 or zdisk or zcd_disk or zn_here != zn_total:
            raise _fail("bad zip64 end record")
        n_total = zn_total
        end_of_cd = z64_offset
    if cd_offset + cd_size != end_of_cd:
        raise _fail("data between the central directory and the end records")
    return n_total, cd_offset, end_of_cd


def check_zip(
    fh: BinaryIO, zf: zipfile.ZipFile, limits: layout.Limits = layout.DEFAULT_LIMITS
) -> list[zipfile.ZipInfo]:
    """Check the archive's shape and names; returns its entries in file order."""
    file_size = fh.seek(0, os.SEEK_END)
    count, cd_offset, _ = _end_records(fh, file_size)
    infos = zf.infolist()
    if len(infos) != count:
        raise _fail("entry count differs from the end record")
    if len(infos) > limits.max_members:
        raise VerificationFailed(
            "packet.too_many_members", count=len(infos), limit=limits.max_members
        )
    seen: set[str] = set()
    total = 0
    position = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        name = info.filename
        layout.check_member_name(name, limits)
        if info.orig_filename != name or name in seen:
            raise VerificationFailed("packet.duplicate_member", name=name)
        seen.add(name)
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise _fail(f"{name}: compressed or encrypted entry")
        if info.compress_size != info.file_size:
            raise _fail(f"{name}: sizes disagree")
        if info.file_size > limits.max_member_size:
            raise VerificationFailed(
                "packet.member_too_large", name=name, limit=limits.max_member_size
            )
        total += info.file_size
        if total > limits.max_total_size:
            raise VerificationFailed("packet.too_large", limit=limits.max_total_size)
        if info.header_offset != position:
            raise _fail(f"{name}: unexpected bytes before the entry")
        position = _entry_end(fh, info)
    if position != cd_offset:
        raise _fail("unexpected bytes before the central directory")
    return sorted(infos, key=lambda i: i.header_offset)


def data_offset(fh: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Where the member's data starts (after its local header, name and extra field)."""
    name_len, extra_len = struct.unpack("<HH", _read_at(fh, info.header_offset + 26, 4))
    return int(info.header_offset) + 30 + name_len + extra_len


def _entry_end(fh: BinaryIO, info: zipfile.ZipInfo) -> int:
    header = _read_at(fh, info.header_offset, 30)
    (sig, _ver, flags, method, _t, _d, _crc, _csize, _usize, name_len, extra_len) = struct.unpack(
        "<4sHHHHHIIIHH", header
    )
    if sig != _LOCAL or method != zipfile.ZIP_STORED or flags != info.flag_bits:
        raise _fail(f"{info.filename}: local header disagrees with the central directory")
    name = _read_at(fh, info.header_offset + 30, name_len)
    extra = _read_at(fh, info.header_offset + 30 + name_len, extra_len)
    if name.decode("utf-8", "replace") != info.filename and name.decode("cp437") != info.filename:
        raise _fail(f"{info.filename}: local name differs")
    end = info.header_offset + 30 + name_len + extra_len + info.compress_size
    if flags & 0x08:
        zip64 = _has_zip64_extra(extra)
        size_fmt, size_len = ("<QQ", 16) if zip64 else ("<II", 8)
        head = _read_at(fh, end, 4)
        if head == _DESCRIPTOR:
            end += 4
        crc = struct.unpack("<I", _read_at(fh, end, 4))[0]
        csize, usize = struct.unpack(size_fmt, _read_at(fh, end + 4, size_len))
        if (crc, csize, usize) != (info.CRC, info.compress_size, info.file_size):
            raise _fail(f"{info.filename}: data descriptor disagrees with the central directory")
        end += 4 + size_len
    return end


def _has_zip64_extra(extra: bytes) -> bool:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[pos : pos + 4])
        if tag == 0x0001:
            return True
        pos += 4 + size
    return False
