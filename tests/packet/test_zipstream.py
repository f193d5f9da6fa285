"""The streaming ZIP reader on its own: every split of the stream into blocks, data that
contains descriptor signatures, ZIP64 entries, and every way the shape can be wrong."""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import zipfile

import pytest
from packet_helpers import rezip

from evidence_app.errors import VerificationFailed
from evidence_app.packet import layout
from evidence_app.packet.zipstream import DESCRIPTOR, Entry, StreamReader


class _Sink:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, int, bool]] = {}
        self.order: list[str] = []

    def begin(self, name: str) -> None:
        self.order.append(name)
        self._digest = hashlib.sha256()

    def data(self, view: memoryview) -> None:
        self._digest.update(view)

    def end(self, entry: Entry) -> None:
        self.files[entry.name] = (self._digest.hexdigest(), entry.size, entry.crc_ok)


class _Unseekable(io.RawIOBase):
    def __init__(self) -> None:
        self.buf = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        return self.buf.write(data)

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        raise OSError("unseekable")


def streamed_zip(members: list[tuple[str, bytes]], zip64: bool = False) -> bytes:
    """A ZIP as the packet writer makes it: flag bit 3, data descriptors after the data."""
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w") as zf:
        for name, data in members:
            with zf.open(
                zipfile.ZipInfo(name, (2026, 11, 29, 8, 30, 0)), "w", force_zip64=zip64
            ) as f:
                f.write(data)
    return sink.buf.getvalue()


def _split(data: bytes, rng: random.Random, pieces: int) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, pieces)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def _read(blocks, limits=layout.DEFAULT_LIMITS) -> _Sink:
    sink = _Sink()
    StreamReader(blocks, sink, limits).run()
    return sink


def _members(rng: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for i in range(rng.randint(1, 5)):
        data = bytearray(os.urandom(rng.choice([0, 1, 3, 30, 1000, 70_000])))
        for _ in range(rng.randint(0, 3)):  # descriptor signatures inside the data
            if len(data) > 30:
                at = rng.randrange(len(data) - 20)
                data[at : at + 4] = DESCRIPTOR
        out.append((f"evidence/E{i:03d}.bin", bytes(data)))
    return out


@pytest.mark.parametrize("maker", [streamed_zip, rezip], ids=["descriptors", "sizes-first"])
def test_any_split_reads_every_member_exactly(maker):
    rng = random.Random(5)
    for _ in range(150):
        members = _members(rng)
        data = maker(members)
        sink = _read(_split(data, rng, rng.randint(0, 30)))
        expected = {n: (hashlib.sha256(d).hexdigest(), len(d), True) for n, d in members}
        assert sink.files == expected
        assert sink.order == [n for n, _ in members]


def test_embedded_zip_with_its_own_descriptors():
    """Evidence that is itself a streamed ZIP (a .docx, say) holds real descriptors."""
    inner = streamed_zip([("a.xml", b"<a/>" * 500), ("b.xml", os.urandom(5000))])
    members = [("evidence/E001-doc.bin", inner), ("evidence/E002-x.bin", inner * 3)]
    sink = _read([streamed_zip(members)])
    assert sink.files["evidence/E001-doc.bin"][1] == len(inner)
    assert sink.files["evidence/E002-x.bin"][0] == hashlib.sha256(inner * 3).hexdigest()


def test_zip64_entries():
    members = [("evidence/E001-a.bin", os.urandom(100_000)), ("forms/fields.txt", b"x")]
    data = streamed_zip(members, zip64=True)
    rng = random.Random(1)
    for _ in range(20):
        assert len(_read(_split(data, rng, 10)).files) == 2


def _fails(data: bytes, key: str = "packet.zip_invalid", **limits: int) -> VerificationFailed:
    with pytest.raises(VerificationFailed) as info:
        _read([data], layout.Limits(**limits))
    assert info.value.key == key, info.value
    return info.value


GOOD = [("evidence/E001-a.bin", b"a" * 5000), ("evidence/E002-b.bin", b"b" * 300)]


def test_shape_errors():
    data = streamed_zip(GOOD)
    _fails(b"JUNK" + data)
    _fails(data + b"x")
    _fails(data[:-1])
    _fails(data[:100])  # inside the first entry's data: no descriptor
    with zipfile.ZipFile(io.BytesIO(), "w") as zf:  # compressed
        zf.writestr("evidence/E001-a.bin", b"a" * 5000, compress_type=zipfile.ZIP_DEFLATED)
        compressed = zf.fp.getvalue()  # type: ignore[union-attr]
    _fails(compressed)


def test_central_directory_must_agree():
    data = bytearray(streamed_zip(GOOD))
    cd = data.index(b"PK\x01\x02")
    for field_offset in (16, 20, 24, 42):  # CRC, sizes, local header offset
        damaged = bytearray(data)
        damaged[cd + field_offset] ^= 1
        _fails(bytes(damaged))
    comment = bytearray(data)
    comment[-2:] = struct.pack("<H", 1)
    _fails(bytes(comment) + b"c")


def test_descriptor_without_signature_is_refused():
    data = streamed_zip([("evidence/E001-a.bin", b"abc")])
    stripped = data.replace(DESCRIPTOR, b"", 1)
    _fails(stripped)


def test_names_duplicates_and_limits():
    _fails(rezip([("../evil", b"x")]), "packet.bad_member_name")
    _fails(rezip([("evidence/a.bin", b"x"), ("evidence/a.bin", b"y")]), "packet.duplicate_member")
    _fails(streamed_zip(GOOD), "packet.member_too_large", max_member_size=1000)
    _fails(rezip(GOOD), "packet.member_too_large", max_member_size=1000)
    _fails(streamed_zip(GOOD), "packet.too_many_members", max_members=1)
    _fails(streamed_zip(GOOD), "packet.too_large", max_total_size=5200)


def test_stale_crc_is_reported_not_refused():
    data = bytearray(rezip(GOOD))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        crc = struct.pack("<I", zf.getinfo("evidence/E002-b.bin").CRC)
    stale = bytes(data).replace(crc, struct.pack("<I", int.from_bytes(crc, "little") ^ 1))
    sink = _read([stale])
    assert sink.files["evidence/E002-b.bin"][2] is False
    assert sink.files["evidence/E001-a.bin"][2] is True
