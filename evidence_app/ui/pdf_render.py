"""Render a PDF page to a QImage for previews and thumbnails, with PDFium (pypdfium2).

Why not QtPdf: its render call holds the interpreter lock for the whole page (tens to
hundreds of milliseconds for a scanned page), freezing the window while a worker renders.
pypdfium2 calls PDFium through ctypes, which releases the lock during the call. The page is
rendered as displayed (its /Rotate applied), which is also how redaction boxes are placed.

PDFium is not thread-safe, not even across different documents: every call goes through
one lock (thumbnail and preview jobs run on two pool threads at once). Waiting on the lock
releases the interpreter lock too.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

_PDFIUM = threading.Lock()


def render_page(path: Path, page: int, bound: QSize, max_scale: float = 2.0) -> tuple[QImage, int]:
    """Page ``page`` scaled to fit ``bound`` (at most ``max_scale`` × 72 dpi), and the page
    count. An unreadable file or a page out of range gives a null image."""
    with _PDFIUM:
        return _render(path, page, bound, max_scale)


def _render(path: Path, page: int, bound: QSize, max_scale: float) -> tuple[QImage, int]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return QImage(), 0
    try:
        pages = len(pdf)
        if not 0 <= page < pages:
            return QImage(), pages
        pdf_page = pdf[page]
        try:
            width, height = pdf_page.get_size()  # points, as displayed (rotation applied)
            if width <= 0 or height <= 0:
                return QImage(), pages
            scale = min(bound.width() / width, bound.height() / height, max_scale)
            # prefer_bgrx: 4 bytes a pixel (BGRx), the layout Format_RGB32 reads.
            bitmap = pdf_page.render(scale=scale, may_draw_forms=True, prefer_bgrx=True)
            if bitmap.n_channels != 4:
                bitmap.close()
                return QImage(), pages
            try:
                # BGRA/BGRx bytes are Qt's native 32-bit RGB layout on little-endian machines.
                image = QImage(
                    bitmap.buffer,
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGB32,
                ).copy()  # own the pixels before PDFium frees its buffer
            finally:
                bitmap.close()
        finally:
            pdf_page.close()
        return image, pages
    finally:
        pdf.close()
