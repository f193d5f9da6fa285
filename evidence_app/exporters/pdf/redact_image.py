"""Image redaction: the picture decoded, turned upright (EXIF orientation), the rectangles
filled black, written as a new PNG without metadata — the covered pixels are destroyed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.images import normalise_mode
from evidence_app.exporters.pdf.preflight import IMAGE_FORMATS, MAX_IMAGE_PIXELS
from evidence_app.model import EvidenceItem, Redaction


def redact_image(item: EvidenceItem, source: Path, orientation: int, dest: Path) -> Path:
    old = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        with Image.open(source, formats=IMAGE_FORMATS) as im:
            im.seek(0)
            upright = ImageOps.exif_transpose(im) if orientation != 1 else im.copy()
            upright = normalise_mode(upright or im)
            if upright.mode == "1":
                upright = upright.convert("L")
            draw = ImageDraw.Draw(upright)
            w, h = upright.size
            fill: Any = 0 if upright.mode in ("L",) else (0, 0, 0, 255)[: len(upright.mode)]
            if upright.mode == "LA":
                fill = (0, 255)
            for r in item.redactions:
                box = _pixel_box(r, w, h)
                draw.rectangle(box, fill=fill)
            upright.save(dest, format="PNG")  # no EXIF, no text chunks: nothing else leaks
    except Exception as exc:
        raise ExhibitRefused("pdf.redaction.failed", item, detail=short(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old
    return dest


def _pixel_box(r: Redaction, w: int, h: int) -> tuple[int, int, int, int]:
    """Pixels covered by ``r``, rounded outwards (never leave a half-covered pixel row)."""
    import math

    x0, y0 = math.floor(r.x * w), math.floor(r.y * h)
    x1, y1 = math.ceil((r.x + r.w) * w) - 1, math.ceil((r.y + r.h) * h) - 1
    return (max(0, x0), max(0, y0), min(w - 1, x1), min(h - 1, y1))
