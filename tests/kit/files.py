"""Image and PDF makers for tests, benchmarks and scripts (no Qt needed)."""

from __future__ import annotations

from pathlib import Path


def make_png(path: Path, colour: str = "#3366cc", size: tuple[int, int] = (320, 200)) -> Path:
    from PIL import Image

    Image.new("RGB", size, colour).save(path, "PNG")
    return path


def make_pdf(path: Path, pages: int = 2, text: str = "page") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"{text} {i + 1}")
        c.showPage()
    c.save()
    return path
