"""Verify without extraction hashes members in parallel straight from the spool: a changed
byte, or a CRC that disagrees with the data, is still named (the tamper tests extract)."""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO

from packet_helpers import decrypt_zip, reencrypt, rezip, zip_entries

from evidence_app.jobs import NEVER_CANCELLED
from evidence_app.packet import verify_packet
from evidence_app.packet.range_hash import hash_range

EVIDENCE = "evidence/E002-账号主页.png"


def test_unchanged_packet_verifies_without_extraction(exported, age_identity):
    report = verify_packet(exported.packet_path, identities=[age_identity])
    assert report.ok, report.error
    assert {f.status for f in report.files} == {"ok"}


def test_flipped_byte_is_named_without_extraction(exported, age_identity, tmp_path):
    entries = zip_entries(decrypt_zip(exported.packet_path, age_identity))
    changed = [(n, bytes([d[0] ^ 1]) + d[1:] if n == EVIDENCE else d) for n, d in entries]
    forged = reencrypt(rezip(changed), age_identity, tmp_path / "forged.evpkt")
    report = verify_packet(forged, identities=[age_identity])
    assert not report.ok and report.error.key == "packet.hash_mismatch"
    assert report.error.params["path"] == EVIDENCE
    assert [f.path for f in report.files if f.status == "mismatch"] == [EVIDENCE]


def test_stale_crc_is_a_mismatch(exported, age_identity, tmp_path):
    """Original data, but the CRC in the central directory and descriptor is wrong."""
    entries = zip_entries(decrypt_zip(exported.packet_path, age_identity))
    data = bytearray(rezip(entries))
    with zipfile.ZipFile(BytesIO(bytes(data))) as zf:
        info = zf.getinfo(EVIDENCE)
    bad_crc = struct.pack("<I", info.CRC ^ 1)
    good_crc = struct.pack("<I", info.CRC)
    assert data.count(good_crc) == 2  # local header (no descriptor: rezip seeks) + directory
    data = bytearray(bytes(data).replace(good_crc, bad_crc))
    forged = reencrypt(bytes(data), age_identity, tmp_path / "crc.evpkt")
    report = verify_packet(forged, identities=[age_identity])
    assert not report.ok and report.error.key == "packet.hash_mismatch"
    assert [f.path for f in report.files if f.status == "mismatch"] == [EVIDENCE]


def test_hash_range_reads_exactly_the_range(tmp_path):
    path = tmp_path / "spool"
    path.write_bytes(b"head" + b"x" * 3_000_000 + b"tail")
    import hashlib
    import zlib

    body = b"x" * 3_000_000
    got = hash_range(path, 4, len(body), NEVER_CANCELLED)
    assert got.sha256 == hashlib.sha256(body).hexdigest()
    assert (got.crc, got.size) == (zlib.crc32(body), len(body))
    short = hash_range(path, 4, 10_000_000, NEVER_CANCELLED)
    assert short.size == 3_000_004  # the spool ends early: fewer bytes, reported
