"""Image exhibits: upright (EXIF orientation applied on the page, the original untouched),
fitted without enlarging, and embedded without re-encoding where possible."""

from __future__ import annotations

import hashlib

import pdf_case
import pikepdf
import pytest
from pdftools import render
from PIL import Image, ImageChops, ImageOps

from evidence_app.exporters.pdf import build_bundle


def _content_box(page: Image.Image, scale: float = 1.0) -> tuple[int, int, int, int]:
    """The image area: non-white pixels between the stamp line and the caption."""
    w, h = page.size
    top, bottom = int(25 * scale), int(90 * scale)
    region = page.crop((0, top, w, h - bottom))
    diff = ImageChops.difference(region, Image.new("RGB", region.size, "white"))
    box = diff.convert("L").point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None
    return (box[0], box[1] + top, box[2], box[3] + top)


def _distance(a: Image.Image, b: Image.Image) -> float:
    a = a.convert("L").resize((48, 48))
    b = b.convert("L").resize((48, 48))
    diff = ImageChops.difference(a, b)
    return sum(diff.tobytes()) / (48 * 48)


@pytest.mark.parametrize("name", ["hopper_orientation_6.jpg", "hopper_orientation_8.jpg"])
def test_exif_rotated_photos_come_out_upright(tmp_path, corpus, name):
    source = corpus / "images" / "odd" / name
    original_bytes = source.read_bytes()
    store = pdf_case.new_case(tmp_path)
    item = pdf_case.add_file(store, source, title="照片")
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    page = render(out, result.exhibits[0].first_page, dpi=144)
    shown = page.crop(_content_box(page, 2.0))
    with Image.open(source) as im:
        upright = ImageOps.exif_transpose(im).convert("RGB")
        stored = im.convert("RGB")
    assert upright.size != stored.size or upright.tobytes() != stored.tobytes()
    good = _distance(shown, upright)
    wrong = min(
        _distance(shown, stored.transpose(t))
        for t in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_TOP_BOTTOM)
    )
    wrong = min(wrong, _distance(shown.transpose(Image.Transpose.ROTATE_90), upright))
    assert good < 25, good
    assert good * 2 < wrong, (good, wrong)
    # The stored original is untouched, and its JPEG bytes are embedded as they are.
    assert store.blobs.path_for(item.sha256).read_bytes() == original_bytes
    with pikepdf.open(out) as pdf:
        images = [
            v
            for v in pdf.pages[result.exhibits[0].first_page - 1].Resources.XObject.values()
            if v.get("/Subtype") == "/Image"
        ]
        assert len(images) == 1
        assert images[0].Filter == "/DCTDecode"
        raw = images[0].read_raw_bytes()
        assert hashlib.sha256(raw).hexdigest() == item.sha256
    store.close()


def test_small_images_are_not_enlarged_and_large_ones_fit(tmp_path):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(200, 100)), "small.png")
    pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(4000, 1000)), "wide.png")
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    small = render(out, result.exhibits[0].first_page)
    x0, y0, x1, y1 = _content_box(small)
    assert abs((x1 - x0) - 150) <= 2 and abs((y1 - y0) - 75) <= 2  # 200 px at 96 dpi
    wide = render(out, result.exhibits[1].first_page)
    assert wide.width > wide.height  # landscape page for a landscape image
    x0, _, x1, _ = _content_box(wide)
    assert x1 - x0 <= wide.width - 60
    store.close()


@pytest.mark.parametrize("mode", ["RGBA", "P", "L"])
def test_png_modes_and_other_formats_embed(tmp_path, corpus, mode):
    store = pdf_case.new_case(tmp_path)
    im = Image.open(__import__("io").BytesIO(pdf_case.screenshot_png(size=(300, 200))))
    buf = __import__("io").BytesIO()
    (im.convert(mode) if mode != "P" else im.convert("P", palette=Image.Palette.ADAPTIVE)).save(
        buf, format="PNG"
    )
    pdf_case.add_bytes(store, buf.getvalue(), f"{mode}.png")
    for name in ("hopper.webp", "hopper.gif", "hopper.tif"):
        pdf_case.add_file(
            store, corpus / "images" / "odd" / name, media_type=f"image/{name.split('.')[1]}"
        )
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    front = min(e.first_page for e in result.exhibits) - 1  # cover, letter, index
    assert result.page_count == front + 4
    for exhibit in result.exhibits:
        page = render(out, exhibit.first_page)
        _content_box(page)  # something was drawn
    store.close()
