"""Redaction destroys what it hides: pixels burned in, text removed from the content stream,
the original untouched in the store, both hashes in the index."""

from __future__ import annotations

import hashlib

import pdf_case
import pikepdf
from pdftools import pdftotext, pypdf_text, render, squash
from PIL import Image

from evidence_app.exporters.pdf import build_bundle
from evidence_app.model import EvidenceKind, Redaction

SECRET = "Zhang San ID 110105194912310021"


def _dark(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    region = img.crop(box).convert("L")
    data = region.tobytes()
    return sum(1 for v in data if v < 40) / len(data)


def _build(tmp_path, embed: bool):
    store = pdf_case.new_case(tmp_path)
    lines = [f"Name: {SECRET}", "Public text stays here"]
    original = pdf_case.text_pdf([lines, ["Second page untouched"]], embed=embed)
    pdf_item = pdf_case.add_bytes(
        store,
        original,
        "id.pdf",
        kind=EvidenceKind.ID_DOCUMENT,
        title="身份证明",
        redactions=[Redaction(page=0, x=0.0, y=0.0, w=1.0, h=0.08)],
    )
    png_item = pdf_case.add_bytes(
        store,
        pdf_case.screenshot_png(size=(800, 600)),
        "s.png",
        title="截图遮盖",
        redactions=[Redaction(page=0, x=0.5, y=0.5, w=0.5, h=0.5)],
    )
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    return store, out, result, pdf_item, png_item, original


def test_pdf_text_under_the_area_is_gone(tmp_path):
    for embed in (True, False):
        base = tmp_path / str(embed)
        base.mkdir()
        store, out, result, pdf_item, _, original = _build(base, embed)
        for text in (squash(pdftotext(out)), squash(pypdf_text(out))):
            assert squash(SECRET) not in text
            assert "110105194912310021" not in text
            assert "Zhang" not in text
            assert "Publictextstayshere" in text
            assert "Secondpageuntouched" in text
        # The black box is really there (rendered) ...
        exhibit = next(e for e in result.exhibits if e.number == pdf_item.number)
        page = render(out, exhibit.first_page)
        assert _dark(page, (5, 20, page.width - 5, 60)) > 0.95
        # ... the original is untouched, and both hashes are in the index.
        assert store.blobs.path_for(pdf_item.sha256).read_bytes() == original
        front = min(e.first_page for e in result.exhibits) - 1
        index = squash(pdftotext(out, front, front))
        redacted = exhibit.redacted_sha256
        assert redacted and redacted != pdf_item.sha256
        assert pdf_item.sha256 in index and redacted in index
        page_text = squash(pdftotext(out, exhibit.first_page, exhibit.first_page))
        assert "证据1第1/2页（已遮盖）" in page_text
        store.close()


def test_image_pixels_are_burned_in_not_covered(tmp_path):
    store, out, result, _, png_item, _ = _build(tmp_path, True)
    exhibit = result.exhibits[1]
    with pikepdf.open(out) as pdf:
        page = pdf.pages[exhibit.first_page - 1]
        images = [v for v in page.Resources.XObject.values() if v.get("/Subtype") == "/Image"]
        assert len(images) == 1  # the redacted copy only: no original underneath
        pil = pikepdf.PdfImage(images[0]).as_pil_image().convert("RGB")
    w, h = pil.size
    assert (w, h) == (800, 600)
    assert _dark(pil, (w // 2, h // 2, w, h)) == 1.0
    # The red marker in the bottom-right corner of the original is gone; the top-left stays.
    assert _dark(pil, (0, 0, w // 2, 60)) < 0.5
    assert exhibit.redacted_sha256 and exhibit.redacted_sha256 != png_item.sha256
    assert hashlib.sha256(store.blobs.path_for(png_item.sha256).read_bytes()).hexdigest() == (
        png_item.sha256
    )
    text = squash(pdftotext(out, exhibit.first_page, exhibit.first_page))
    assert exhibit.redacted_sha256 in text and "已遮盖" in text
    store.close()


def test_images_inside_a_pdf_are_burned(tmp_path, corpus):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_file(
        store,
        corpus / "pdf" / "odd" / "jpeg.pdf",
        title="扫描件",
        redactions=[Redaction(page=0, x=0.0, y=0.0, w=1.0, h=0.5)],
    )
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[result.exhibits[0].first_page - 1]
        found = []

        def walk(res):
            for v in res.get("/XObject", {}).values():
                if v.get("/Subtype") == "/Image":
                    found.append(pikepdf.PdfImage(v).as_pil_image().convert("L"))
                elif v.get("/Subtype") == "/Form":
                    walk(v.get("/Resources", {}))

        walk(page.Resources)
    assert found
    for pil in found:
        w, h = pil.size
        # The image sits in the top half of the page: its top rows are burned black.
        assert _dark(pil, (0, 0, w, max(1, h // 10))) == 1.0
    store.close()
