"""Verify without extraction (members hashed as they stream past, nothing spooled): a changed
byte, or a CRC that disagrees with the data, is still named (the tamper tests extract)."""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO

from packet_helpers import decrypt_zip, reencrypt, rezip, zip_entries

from evidence_app.packet import verify_packet

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
