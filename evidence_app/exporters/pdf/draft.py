"""A bundle made while required items are missing is a draft, and must look like one.

Every page gets a visible 草稿 — 材料不全 mark (a banner at the top and a large diagonal mark,
drawn over the page's content upright whatever its rotation), and a last page lists what is
missing, in the words of the readiness check. A draft printed, scanned or forwarded cannot pass
as the final complaint.

Applied to the written bundle (before it is signed): the bundle's own layout and page numbers
are untouched; the list page is an appendix (附页) after the numbered pages.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from evidence_app.durable import atomic_output
from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.layout import binary_streams, flow_pages, make_styles, spacer
from evidence_app.exporters.pdf.stamping import page_rotation, place_overlay, visible_box
from evidence_app.exporters.pdf.words import Words
from evidence_app.store.blobs import sha256_file

MARK_RED = colors.Color(0.8, 0.1, 0.1)


def gap_lines(check: Any, lang: str) -> list[str]:
    """What is missing, one line per gap, as the readiness check words it."""
    from evidence_app.rules.describe import describe

    lines = []
    for gap in check.gaps():
        where = f"［{gap.target_id}］" if getattr(gap, "target_id", None) else ""
        clause = f"（{gap.clause}）" if getattr(gap, "clause", "") else ""
        lines.append(f"{where}{describe(gap, lang)}{clause}")
    return lines


def _mark_pdf(words: Words, lines: list[str]) -> bytes:
    """Page 1: the mark (transparent A4); pages 2…: the list of what is missing."""
    font = register_fonts()
    styles = make_styles()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font)
    label = words.tr("pdf.draft.mark")
    width, height = A4
    canvas.saveState()
    canvas.setFillColor(MARK_RED)
    # Top left: the exhibit stamp sits top right, the page number and captions at the foot.
    canvas.setFont(font, 11)
    canvas.drawString(20, height - 20, words.tr("pdf.draft.banner"))
    canvas.setFillAlpha(0.18)
    canvas.setFont(font, 64)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -20, label)
    canvas.restoreState()
    canvas.showPage()
    story: list[Flowable] = [
        Paragraph(words.markup(words.tr("pdf.draft.title")), styles.title),
        Paragraph(words.markup(words.tr("pdf.draft.intro", count=len(lines))), styles.body),
        spacer(6),
    ]
    story += [
        Paragraph(words.markup(f"{n}. {words.plain(line, 'gap')}"), styles.body)
        for n, line in enumerate(lines, start=1)
    ]
    flow_pages(canvas, story, _appendix_footer(words))
    with binary_streams():
        canvas.save()
    return buf.getvalue()


def _appendix_footer(words: Words) -> Any:
    def footer(canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), 8)
        canvas.drawCentredString(A4[0] / 2, 16, words.tr("pdf.draft.appendix"))
        canvas.restoreState()

    return footer


def _fitted(pdf: pikepdf.Pdf, mark: pikepdf.Object, size: tuple[float, float]) -> pikepdf.Stream:
    """A form of the page's displayed ``size`` drawing the A4 ``mark`` scaled to fit it."""
    scale = min(size[0] / A4[0], size[1] / A4[1])
    dx, dy = (size[0] - A4[0] * scale) / 2, (size[1] - A4[1] * scale) / 2
    content = f"q {scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm /EvDraft Do Q".encode()
    form = pikepdf.Stream(pdf, content)
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = pikepdf.Array([0, 0, size[0], size[1]])
    form.Resources = Dictionary(XObject=Dictionary(EvDraft=mark))
    return form


def mark_draft(path: Path, lines: list[str], words: Words) -> str:
    """Mark every page of the bundle at ``path`` as a draft and append the list of what is
    missing; rewrite it in place (atomically). Returns the new file's SHA-256."""
    with pikepdf.open(io.BytesIO(_mark_pdf(words, lines))) as source, pikepdf.open(path) as pdf:
        mark = pdf.copy_foreign(source.pages[0].as_form_xobject())
        appendix = [pdf.copy_foreign(p.obj) for p in list(source.pages)[1:]]
        for page in pdf.pages:
            x0, y0, x1, y1 = visible_box(page)
            w, h = x1 - x0, y1 - y0
            size = (h, w) if page_rotation(page) in (90, 270) else (w, h)
            place_overlay(pdf, page, _fitted(pdf, mark, size))
        for obj in appendix:
            pdf.pages.append(pikepdf.Page(obj))
        for page in list(pdf.pages)[-len(appendix) :]:
            place_overlay(pdf, page, _fitted(pdf, mark, A4))
        with atomic_output(Path(path)) as temp:
            pdf.save(temp, static_id=True, fix_metadata_version=False)
    return sha256_file(Path(path))
