"""Redaction: personal data is destroyed in a derivative copy, never only covered.

Images: decoded, turned upright, the rectangles filled black, written as a new PNG without
metadata. PDFs (no renderer is available on every platform, so pages are not rasterised): the
redacted pages' content streams are rewritten with pikepdf -

- every glyph whose box (from the font's widths, generous ascent/descent) touches an area is
  removed from its string and replaced by the equivalent positioning, so the rest of the line
  does not move; text in fonts whose encoding we cannot decode glyph by glyph (non-Identity CMaps)
  is removed a whole string at a time;
- images touching an area have those pixels blacked out and are re-encoded (JPEG stays JPEG);
  images we cannot decode, stencil masks and inline images touching an area are removed whole;
- form XObjects touching an area are copied and filtered the same way (depth-limited);
- annotations are flattened first (form field values become content) and those touching an area
  are removed; then a black box is drawn over each area.

Vector paths under an area are kept (hidden by the box): they are lines and shapes, not text.
Rectangles are page-relative (0..1, origin top-left of the page as displayed, i.e. after
/Rotate; for images after EXIF orientation).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Name

from evidence_app.exporters.pdf.content_filter import ContentFilter
from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.geometry import (
    IDENTITY,
    Box,
    display_size,
    display_to_user_point,
    norm_box,
    touches,
)
from evidence_app.exporters.pdf.redact_image import redact_image
from evidence_app.exporters.pdf.stamping import own_resources, page_rotation, visible_box
from evidence_app.model import EvidenceItem, Redaction

__all__ = ["redact_image", "redact_pdf", "user_rect"]


# --- PDFs ------------------------------------------------------------------------------------


def redact_pdf(item: EvidenceItem, source: Path, dest: Path) -> Path:
    try:
        with pikepdf.open(source) as pdf:
            if any(Name.Annots in p.obj for p in pdf.pages):
                pdf.flatten_annotations(mode="print")
            by_page: dict[int, list[Redaction]] = {}
            for r in item.redactions:
                by_page.setdefault(r.page, []).append(r)
            for index, redactions in sorted(by_page.items()):
                _redact_page(pdf, pdf.pages[index], redactions)
            pdf.save(dest, deterministic_id=True, fix_metadata_version=False)
    except ExhibitRefused:
        raise
    except Exception as exc:
        raise ExhibitRefused("pdf.redaction.failed", item, detail=short(exc)) from exc
    return dest


def user_rect(box: Box, rotate: int, r: Redaction) -> Box:
    """A page-relative rectangle (as displayed) in the page's user space."""
    dw, dh = display_size(box, rotate)
    u0, u1 = r.x * dw, (r.x + r.w) * dw
    v0, v1 = dh - (r.y + r.h) * dh, dh - r.y * dh
    pts = [display_to_user_point(box, rotate, u, v) for u in (u0, u1) for v in (v0, v1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _redact_page(pdf: pikepdf.Pdf, page: pikepdf.Page, redactions: list[Redaction]) -> None:
    rects = [user_rect(visible_box(page), page_rotation(page), r) for r in redactions]
    resources = own_resources(page)
    ops = pikepdf.parse_content_stream(page)
    filtered = ContentFilter(pdf, resources, rects, 0).run(ops, IDENTITY)
    boxes = b"".join(
        f"{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re\n".encode() for x0, y0, x1, y1 in rects
    )
    content = (
        b"q\n" + pikepdf.unparse_content_stream(filtered) + b"\nQ\nq 0 0 0 rg\n" + boxes + b"f\nQ\n"
    )
    page.obj.Contents = pikepdf.Stream(pdf, content)
    annots = page.obj.get(Name.Annots)
    if isinstance(annots, pikepdf.Array):
        keep = pikepdf.Array()
        for annot in annots:
            rect = annot.get(Name.Rect)
            if rect is not None and touches(norm_box([float(v) for v in rect]), rects):
                continue
            keep.append(annot)
        page.obj.Annots = keep
