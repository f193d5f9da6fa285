"""Redaction reaches every unencrypted output: the upload folder carries the redacted
derivative (never the original), its index lists both hashes with the redaction's custody
entry, and unredacted personal-data exhibits are flagged."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from PIL import Image

from evidence_app.app.demo import write_demo_case
from evidence_app.exporters.upload_folder import export_upload_folder
from evidence_app.model import EvidenceKind, Redaction
from evidence_app.store import CaseStore

BOX = Redaction(page=0, x=0.1, y=0.3, w=0.6, h=0.2)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dark_share(path, box):
    with Image.open(path) as im:
        w, h = im.size
        region = im.convert("L").crop(
            (
                int(box.x * w) + 2,
                int(box.y * h) + 2,
                int((box.x + box.w) * w) - 2,
                int((box.y + box.h) * h) - 2,
            )
        )
        data = region.tobytes()
    return sum(1 for v in data if v < 40) / len(data)


@pytest.fixture
def redacted_demo(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        case = store.load()
        licence = next(e for e in case.evidence if e.kind == EvidenceKind.BUSINESS_LICENCE)
        licence.redactions = [BOX]
        store.update_evidence(licence)
        entry = store.custody_log()[-1]
    return path, licence, entry


def test_upload_folder_carries_the_derivative_never_the_original(redacted_demo, tmp_path):
    path, licence, entry = redacted_demo
    out = tmp_path / "folder"
    with CaseStore.open(path) as store:
        export_upload_folder(store, out, allow_gaps=True)
    every = [p for p in out.rglob("*") if p.is_file()]
    assert licence.sha256 not in {sha(p) for p in every}  # the original left nowhere
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    (row,) = [e for e in manifest["case"]["exhibits"] if e["id"] == licence.id]
    assert row["sha256"] == licence.sha256  # the index lists both hashes
    derivative = out / row["redacted"]["path"]
    assert row["path"] == row["redacted"]["path"] and row["original_included"] is False
    assert sha(derivative) == row["redacted"]["sha256"] != licence.sha256
    assert row["redacted"]["custody"] == {"seq": entry.seq, "hash": entry.hash}
    assert dark_share(derivative, BOX) > 0.99
    uploads = [p for p in (out / "upload").iterdir() if p.name.startswith(licence.label)]
    assert uploads
    for upload in uploads:
        assert dark_share(upload, BOX) > 0.95  # a fitted copy is made from the derivative
    listing = (out / "UPLOAD.txt").read_text("utf-8")
    assert "已遮盖" in listing
    # The complaint PDF in the folder shows the derivative's hash too.
    text = subprocess.run(
        ["pdftotext", str(out / "complaint.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert row["redacted"]["sha256"] in text.replace("\n", "")


def test_unredacted_id_document_is_flagged_before_an_unencrypted_export(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        case = store.load()
        item = next(e for e in case.evidence if e.is_image)
        item.kind = EvidenceKind.ID_DOCUMENT
        store.update_evidence(item)
        result = export_upload_folder(store, tmp_path / "f", allow_gaps=True)
        assert result.unredacted_personal == [item.id]
        listing = (tmp_path / "f" / "UPLOAD.txt").read_text("utf-8")
        assert "未作任何遮盖" in listing and item.title in listing
        item.redactions = [BOX]
        store.update_evidence(item)
        result = export_upload_folder(store, tmp_path / "g", allow_gaps=True)
        assert result.unredacted_personal == []
