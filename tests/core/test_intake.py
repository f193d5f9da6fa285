import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from evidence_app.file_inspection import IntakeLimits, safe_display_name, sniff_media_type
from evidence_app.i18n import words
from evidence_app.intake import import_bytes, import_files
from evidence_app.model import EvidenceKind
from evidence_app.store import CaseStore

REFUSAL_KEYS = {
    "intake.decompression_bomb",
    "intake.image_unreadable",
    "intake.image_corrupt",
    "intake.pdf_encrypted",
    "intake.pdf_unreadable",
    "intake.pdf_no_pages",
}


def corpus_files():
    from testenv import CORPUS

    return sorted(p for sub in ("images", "pdf") for p in (CORPUS / sub).rglob("*") if p.is_file())


@pytest.fixture
def store(tmp_path, frozen_clock):
    with CaseStore.create(tmp_path / "case", "t", clock=frozen_clock) as s:
        yield s


def png_bytes(color="red", size=(64, 48)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    "path", corpus_files(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
)
def test_every_corpus_file_imports_or_is_refused_cleanly(store, path):
    before_log = len(store.custody_log())
    before_blobs = list(store.blobs.all_digests())
    [outcome] = import_files(store, [path])
    if outcome.status == "refused":
        assert outcome.error.key in REFUSAL_KEYS
        message = words(outcome.as_message())
        assert path.name in message and outcome.error.message() in message
        assert "Traceback" not in message and ".stage-" not in message
        # a refused file changes nothing in the case
        assert len(store.custody_log()) == before_log
        assert list(store.blobs.all_digests()) == before_blobs
        assert not list(store.blobs.root.glob(".stage-*"))
    else:
        assert outcome.status == "imported"
        data = path.read_bytes()
        assert outcome.item.sha256 == hashlib.sha256(data).hexdigest()
        assert store.blobs.path_for(outcome.item.sha256).read_bytes() == data
    assert store.audit().ok


def test_corpus_expectations(store, corpus):
    """The specific verdicts a legal user relies on."""
    outcomes = {o.display_name: o for o in import_files(store, corpus_files())}
    refused = {n: o.error.key for n, o in outcomes.items() if o.status == "refused"}
    for name in (
        "r2-user-password.pdf",
        "r4-aes-user-password.pdf",
        "crazyones-encrypted-256.pdf",
        "libreoffice-writer-password.pdf",
        "encrypted-file.pdf",
    ):
        assert refused[name] == "intake.pdf_encrypted"
    assert refused["decompression_bomb.gif"] == "intake.decompression_bomb"
    assert refused["decompression_bomb.ico"] == "intake.decompression_bomb"
    assert refused["truncated_image.png"] == "intake.image_corrupt"
    assert refused["truncated_jpeg.jpg"] == "intake.image_corrupt"
    # odd but valid files all import, with their metadata
    odd = [p.name for p in (corpus / "images" / "odd").iterdir()] + [
        p.name for p in (corpus / "pdf" / "odd").iterdir()
    ]
    for name in odd:
        assert outcomes[name].status == "imported", name
    assert outcomes["hopper_orientation_6.jpg"].item.metadata["orientation"] == 6
    assert outcomes["hopper_orientation_8.jpg"].item.metadata["orientation"] == 8
    assert outcomes["r6-empty-password.pdf"].item.metadata["encrypted_empty_password"] is True
    assert outcomes["indirect-rotation.pdf"].item.metadata["pages"] == 5
    assert outcomes["hopper.webp"].item.media_type == "image/webp"


def test_exif_time_prefills_capture_time(store, corpus):
    [o] = import_files(store, [corpus / "images" / "odd" / "exif_gps.jpg"])
    assert o.item.metadata.get("has_gps") is True
    if "exif_datetime" in o.item.metadata:
        assert o.item.fields["captured_at"] == o.item.metadata["exif_datetime"]


def test_type_from_content_not_name(store, tmp_path):
    fake = tmp_path / "report.png"
    fake.write_bytes(b"%PDF-1.4 not really a pdf")
    [o] = import_files(store, [fake])
    assert o.status == "refused" and o.error.key == "intake.pdf_unreadable"
    pdf_named_txt = tmp_path / "image.txt"
    pdf_named_txt.write_bytes(png_bytes())
    [o] = import_files(store, [pdf_named_txt])
    assert o.status == "imported" and o.item.media_type == "image/png"
    assert o.item.kind == EvidenceKind.CAPTURE


def test_duplicates_stored_once(store, tmp_path):
    a = tmp_path / "a.png"
    b = tmp_path / "copy of a.png"
    a.write_bytes(png_bytes())
    b.write_bytes(png_bytes())
    first, second = import_files(store, [a, b])
    assert first.status == "imported" and second.status == "duplicate"
    assert second.item.number == first.item.number
    assert len(list(store.blobs.all_digests())) == 1
    assert len(store.load().evidence) == 1
    assert "证据 1" in words(second.as_message())


def test_zero_byte_and_size_limit_and_missing(store, tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5000))
    results = import_files(
        store, [empty, big, tmp_path / "gone.pdf"], limits=IntakeLimits(max_file_size=4096)
    )
    assert [o.error.key for o in results] == [
        "intake.empty",
        "intake.too_large",
        "intake.not_found",
    ]
    assert store.load().evidence == []


def test_odd_names(store, tmp_path):
    names = [
        "bad\x1b[31mname\x07.png",  # control characters (terminal escape)
        "x" * 240 + ".png",  # very long
        "rtl\u202egnp.exe.png",  # bidi override, display spoofing
    ]
    paths = []
    for i, name in enumerate(names):
        p = tmp_path / name
        p.write_bytes(png_bytes(size=(10 + i, 10)))
        paths.append(p)
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.png"  # not UTF-8
    with open(raw, "wb") as fh:
        fh.write(png_bytes(size=(20, 20)))
    paths.append(Path(os.fsdecode(raw)))
    outcomes = import_files(store, paths)
    assert [o.status for o in outcomes] == ["imported"] * 4
    shown = [o.item.original_name for o in outcomes]
    assert shown[0] == "bad [31mname .png"
    assert len(shown[1]) <= 120 and shown[1].endswith(".png")
    assert "\u202e" not in shown[2]
    assert shown[3] == "caf\ufffd-\ufffd.png"
    for name in shown:
        assert all(ord(c) >= 32 for c in name)
    assert store.audit().ok


def test_folder_import_recursive_sorted(store, tmp_path):
    root = tmp_path / "folder"
    (root / "sub").mkdir(parents=True)
    (root / "b.png").write_bytes(png_bytes("blue"))
    (root / "a.png").write_bytes(png_bytes("green"))
    (root / "sub" / "c.png").write_bytes(png_bytes("white"))
    outcomes = import_files(store, [root])
    assert [o.display_name for o in outcomes] == ["a.png", "b.png", "c.png"]
    assert [o.item.number for o in outcomes] == [1, 2, 3]


def test_import_bytes_and_thumbnail(store):
    o = import_bytes(store, png_bytes(size=(1000, 500)), "剪贴板.png", fields={"screen": "1"})
    assert o.status == "imported" and o.item.title == "剪贴板"
    thumb = store.thumbnail_path(o.item.sha256)
    with Image.open(thumb) as im:
        assert max(im.size) == 256
    assert import_bytes(store, b"", "x.png").error.key == "intake.empty"


def test_exif_rotated_thumbnail_is_upright(store, corpus):
    [o] = import_files(store, [corpus / "images" / "odd" / "hopper_orientation_6.jpg"])
    with Image.open(corpus / "images" / "odd" / "hopper_orientation_6.jpg") as im:
        w, h = im.size
    with Image.open(store.thumbnail_path(o.item.sha256)) as thumb:
        tw, th = thumb.size
    assert (w > h) == (th > tw)  # orientation 6 = rotated 90°: the thumbnail swaps the sides


def test_source_file_is_never_modified(store, tmp_path):
    src = tmp_path / "orig.png"
    src.write_bytes(png_bytes())
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    import_files(store, [src])
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before


def test_sniff():
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image/png"
    assert sniff_media_type(b"junk" * 10 + b"%PDF-1.7") == "application/pdf"
    assert sniff_media_type("纯文本".encode()) == "text/plain"
    assert safe_display_name(b"\xff") == "\ufffd"
