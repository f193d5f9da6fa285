"""PDF pages for previews and thumbnails: upright, sized to fit, and safe from several
threads at once (PDFium is not thread-safe: without the module's lock this segfaults)."""

from __future__ import annotations

import threading

import pikepdf
from PySide6.QtCore import QSize
from testenv import CORPUS

from evidence_app.ui.pdf_render import render_page


def test_rotated_page_renders_as_displayed(qapp, tmp_path):
    source = CORPUS / "pdf" / "odd" / "indirect-rotation.pdf"
    rotated = tmp_path / "rotated.pdf"
    with pikepdf.open(source) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(rotated)
    upright, pages = render_page(source, 0, QSize(600, 600))
    turned, _ = render_page(rotated, 0, QSize(600, 600))
    assert pages == 5 and upright.height() == 600 and upright.width() < 600
    assert (turned.width(), turned.height()) == (upright.height(), upright.width())
    assert render_page(source, 9, QSize(100, 100))[0].isNull()  # out of range: no crash
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7 not really")
    assert render_page(garbage, 0, QSize(100, 100))[0].isNull()


def test_concurrent_renders_do_not_crash(qapp):
    files = sorted((CORPUS / "pdf" / "odd").glob("*.pdf"))
    sizes: list[int] = []

    def work():
        for _ in range(3):
            for path in files:
                image, _pages = render_page(path, 0, QSize(120, 120))
                sizes.append(image.width())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sizes) == 9 * len(files) and max(sizes) <= 120
