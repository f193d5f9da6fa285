"""The bundle's fast paths give the same result as the slow ones: PNG pages copied from the
file's IDAT chunks decode to the PNG's pixels; the streaming PNG check agrees with Pillow's
verify(); overlays written as content streams extract and render like reportlab's text."""

from __future__ import annotations

import io
import struct
import zlib

import pdf_case
import pikepdf
import pytest
from pdftools import pdftotext, qpdf_check, render, squash
from PIL import Image, ImageCms

from evidence_app.exporters.pdf import build_bundle
from evidence_app.exporters.pdf.blobcheck import PngChunks
from evidence_app.exporters.pdf.pngpages import PngPageWriter, direct_png


def _png(mode: str, size=(61, 37), **save) -> bytes:
    im = Image.open(io.BytesIO(pdf_case.screenshot_png(size=size))).convert("RGB")
    if mode == "P":
        im = im.convert("P", palette=Image.Palette.ADAPTIVE, colors=13)
    elif mode == "I;16":
        im = im.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
    else:
        im = im.convert(mode)
    buf = io.BytesIO()
    im.save(buf, format="PNG", **save)
    return buf.getvalue()


def _rechunk(data: bytes, size: int) -> bytes:
    """The same PNG with its image data split into IDAT chunks of ``size`` bytes."""
    out, idat, i = [data[:8]], b"", 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        if kind == b"IDAT":
            idat += data[i + 8 : i + 8 + n]
        else:
            if kind == b"IEND":
                for k in range(0, len(idat), size):
                    piece = idat[k : k + size]
                    crc = zlib.crc32(piece, zlib.crc32(b"IDAT"))
                    out.append(struct.pack(">I", len(piece)) + b"IDAT" + piece)
                    out.append(struct.pack(">I", crc))
            out.append(data[i : i + 12 + n])
        i += 12 + n
    return b"".join(out)


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


DIRECT = {
    "rgb": lambda: _png("RGB"),
    "grey": lambda: _png("L"),
    "bilevel": lambda: _png("1"),
    "palette": lambda: _png("P"),
    "palette-4bit": lambda: _png("P", bits=4),
    "grey-16bit": lambda: _png("I;16"),
    "rgb-icc": lambda: _png("RGB", icc_profile=_srgb_icc()),
    "rgb-tiny-chunks": lambda: _rechunk(_png("RGB"), 100),
}


def _interlaced() -> bytes:
    """A 1x1 PNG marked interlaced (Adam7 with one pixel stores it like a plain row)."""
    data = bytearray(_png("RGB", size=(1, 1)))
    data[28] = 1  # IHDR interlace method
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(pdf_case.screenshot_png(size=(40, 30)))).convert("RGB").save(
        buf, format="JPEG"
    )
    return buf.getvalue()


NOT_DIRECT = {
    "rgba": lambda: _png("RGBA"),
    "grey-alpha": lambda: _png("LA"),
    "interlaced": _interlaced,
    "transparency": lambda: _png("RGB", transparency=(255, 255, 255)),
    "jpeg": _jpeg,
}


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_png_pages_decode_to_the_png_pixels(tmp_path, name):
    data = DIRECT[name]()
    path = tmp_path / "a.png"
    path.write_bytes(data)
    info = direct_png(path)
    assert info is not None
    writer = PngPageWriter(tmp_path / "pages.pdf")
    assert writer.add(path, info) == 0
    assert writer.add(path, info) == 1
    writer.close()
    check = qpdf_check(tmp_path / "pages.pdf")
    assert check.returncode == 0, check.stdout + check.stderr
    with Image.open(path) as im:
        want = im.convert("RGB" if im.mode in ("RGB", "P") else "L")
        want.load()
    with pikepdf.open(tmp_path / "pages.pdf") as pdf:
        assert len(pdf.pages) == 2
        image = pdf.pages[1].Resources.XObject.Im0
        assert image.Filter == "/FlateDecode"  # the PNG's own data, not re-encoded
        got = pikepdf.PdfImage(image).as_pil_image()
        if name == "grey-16bit":
            assert image.BitsPerComponent == 16
            got, want = got.convert("I"), Image.open(path).convert("I")
            assert want.getextrema()[1] > 255  # really 16 bits
        if name == "rgb-icc":
            assert image.ColorSpace[0] == "/ICCBased"
            assert image.ColorSpace[1].read_bytes() == _srgb_icc()
        got = got.convert(want.mode)
        assert got.size == want.size
        assert got.tobytes() == want.tobytes()


def test_pngs_that_need_decoding_are_left_to_img2pdf(tmp_path):
    for name, make in NOT_DIRECT.items():
        path = tmp_path / f"{name}.bin"
        path.write_bytes(make())
        with Image.open(path) as im:
            im.load()  # a valid image, just not one to copy as it is
        assert direct_png(path) is None, name


def test_bundle_embeds_a_screenshot_as_its_idat_data(tmp_path):
    data = _rechunk(pdf_case.screenshot_png(size=(640, 360)), 4096)
    idat = b"".join(
        data[i + 8 : i + 8 + n] for i, n in _chunks(data) if data[i + 4 : i + 8] == b"IDAT"
    )
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_bytes(store, data, "s.png", title="截图")
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[result.exhibits[0].first_page - 1]
        images = [v for v in page.Resources.XObject.values() if v.get("/Subtype") == "/Image"]
        assert len(images) == 1
        assert images[0].read_raw_bytes() == idat
    assert qpdf_check(out).returncode == 0
    store.close()


def _chunks(data: bytes):
    i = 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        yield i, n
        i += 12 + n


def _verdict(data: bytes, piece: int) -> str | None:
    check = PngChunks()
    for k in range(0, len(data), piece):
        check.feed(data[k : k + piece])
    check.finish()
    assert check.is_png
    return check.problem


def _pillow_verdict(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
    except Exception:
        return False
    return True


def test_png_chunk_check_agrees_with_pillow(corpus):
    good = _rechunk(_png("RGB", size=(200, 120)), 1000)
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01  # inside an IDAT chunk: its CRC no longer matches
    cases = {
        "good": good,
        "flipped": bytes(flipped),
        "truncated": good[: len(good) - 30],
        "no-iend": good[:-12],
        "trailing-garbage": good + b"\0garbage",
    }
    for path in sorted((corpus / "images").glob("*/*.png")):
        cases[path.name] = path.read_bytes()
    for name, data in cases.items():
        expected_ok = _pillow_verdict(data)
        for piece in (1, 7, 4096, len(data)):
            assert (_verdict(data, piece) is None) == expected_ok, (name, piece)


def test_not_a_png_is_not_looked_at():
    check = PngChunks()
    check.feed(b"\xff\xd8\xff\xe0 a JPEG")
    check.finish()
    assert not check.is_png and check.problem is None


def test_overlay_text_of_image_and_pdf_pages(tmp_path):
    store = pdf_case.new_case(tmp_path)
    title = "很长的标题" * 40 + " with words\nand a new line"
    pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(800, 600)), "a.png", title=title)
    pdf_case.add_bytes(store, pdf_case.text_pdf([["Page one"], ["Page two"]]), "b.pdf")
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    image, document = result.exhibits
    text = squash(pdftotext(out, image.first_page, image.first_page))
    assert "证据1第1/1页" in text
    assert squash(title) in text  # wrapped over several lines, nothing lost
    assert f"第{image.first_page}页/共{result.page_count}页" in text
    for k in range(2):
        page = document.first_page + k
        text = squash(pdftotext(out, page, page))
        assert f"证据2第{k + 1}/2页" in text and f"第{page}页/共{result.page_count}页" in text
    # The caption sits above the page number and below the image, inside the page.
    shown = render(out, image.first_page)
    assert shown.getbbox() is not None
    store.close()


def test_many_screenshots_give_identical_bytes_and_the_right_pages(tmp_path):
    """Screenshots become pages on two reading threads, in whatever order they finish; the
    bundle is still the same bytes every time, each page showing its own screenshot."""
    store = pdf_case.new_case(tmp_path)
    colours = [(200, 30 * n % 256, 90) for n in range(12)]
    for n, colour in enumerate(colours):
        im = Image.new("RGB", (400 + n, 300), colour)
        buf = io.BytesIO()
        im.save(buf, format="PNG")
        pdf_case.add_bytes(store, buf.getvalue(), f"{n}.png", title=f"截图{n}")
    case = store.load()
    a = build_bundle(case, store.blobs, tmp_path / "a.pdf", clock=pdf_case.CLOCK)
    b = build_bundle(case, store.blobs, tmp_path / "b.pdf", clock=pdf_case.CLOCK)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        for exhibit, colour in zip(a.exhibits, colours, strict=True):
            page = pdf.pages[exhibit.first_page - 1]
            (image,) = [v for v in page.Resources.XObject.values() if v.Subtype == "/Image"]
            shown = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
            assert shown.width == 400 + exhibit.number - 1
            assert shown.getpixel((5, 5)) == colour
    assert b.sha256 == a.sha256
    store.close()


def test_pngs_not_copied_as_they_are_still_become_pages(tmp_path):
    """Pillow would embed these as they are, the PNG copier cannot (interlaced, palette with
    an ICC profile): they go to img2pdf after preflight, in their place among the others."""
    store = pdf_case.new_case(tmp_path)
    palette_icc = _png("P", icc_profile=_srgb_icc())
    for name, data in (
        ("plain.png", _png("RGB")),
        ("interlaced.png", _interlaced()),
        ("palette-icc.png", palette_icc),
        ("grey.png", _png("L")),
    ):
        pdf_case.add_bytes(store, data, name, title=name)
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    assert qpdf_check(out).returncode == 0
    with pikepdf.open(out) as pdf:
        sizes = []
        for exhibit in result.exhibits:
            page = pdf.pages[exhibit.first_page - 1]
            (image,) = [v for v in page.Resources.XObject.values() if v.Subtype == "/Image"]
            sizes.append((int(image.Width), int(image.Height)))
    assert sizes == [(61, 37), (1, 1), (61, 37), (61, 37)]
    text = squash(pdftotext(out))
    for name in ("plain.png", "interlaced.png", "palette-icc.png", "grey.png"):
        assert name in text
    store.close()
