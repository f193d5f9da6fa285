"""reportlab drawing: the front matter (cover, statement, 证据目录) and, in the same document,
one transparent overlay page per exhibit page (stamp, caption, page number).

Front matter and overlays share one canvas so that the font is embedded once. The builder
later lays each overlay page over its exhibit page (:mod:`stamping`). Page geometry of image
pages is decided here, because the caption's height decides the image's box.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from evidence_app.exporters.pdf.errors import BundleError
from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.words import Words

MARGIN = 50.0
FOOTER_Y = 16.0
STAMP_INSET = 14.0
CAPTION_MARGIN = 36.0
CAPTION_BOTTOM = 30.0  # above the page number
IMAGE_TOP_GAP = 30.0  # below the stamp
PX_TO_PT = 0.75  # one image pixel at 96 dpi: images are never enlarged beyond this
STAMP_RED = colors.Color(0.75, 0.0, 0.0)


@contextmanager
def binary_streams() -> Iterator[None]:
    """reportlab wraps every stream in ASCII85 by default (a third of the drawing time, and a
    bigger file); the setting is global, so it is changed only while we draw."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


@dataclass
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle


def make_styles() -> Styles:
    font = register_fonts()

    def style(name: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw
        )

    return Styles(
        title=style("title", 20, 28, alignment=1, spaceAfter=18),
        heading=style("heading", 15, 21, spaceBefore=6, spaceAfter=10),
        subheading=style("subheading", 11.5, 16, spaceBefore=8, spaceAfter=4),
        subtitle=style("subtitle", 13, 18, alignment=1, spaceAfter=6),
        body=style("body", 10.5, 16, spaceAfter=4),
        cell=style("cell", 8.5, 11),
        cell_head=style("cell_head", 8.5, 11, alignment=1),
        small=style("small", 7, 9),
        caption=style("caption", 8.5, 11.5),
    )


@dataclass
class Section:
    """A front-matter section: it starts on a new page and gets a bookmark."""

    key: str  # cover | statement | index
    title: str
    story: list[Flowable]


@dataclass
class OverlaySpec:
    """What is drawn over one exhibit page, in its displayed (upright) orientation."""

    size: tuple[float, float]
    stamp: str
    anchor: str | None = None  # named destination of an exhibit's first page
    caption: list[str] = field(default_factory=list)  # plain text lines (image pages)
    placeholder: list[tuple[str, str]] = field(default_factory=list)  # label, value rows
    heading: str = ""  # placeholder pages


@dataclass
class RenderInfo:
    front_pages: int
    section_pages: dict[str, int]  # section key -> 0-based first page


def page_number_text(words: Words, number: int, total: int) -> str:
    return words.tr("pdf.footer.page", page=number, total=total)


def render(
    out: BinaryIO,
    sections: list[Section],
    overlays: list[OverlaySpec],
    total_pages: int,
    words: Words,
    styles: Styles,
    *,
    measure_only: bool = False,
) -> RenderInfo:
    """Draw the front matter, then one page per overlay, onto one canvas."""
    font = register_fonts()
    canvas = Canvas(
        out,
        pagesize=A4,
        invariant=1,
        pageCompression=1,
        initialFontName=font,
        initialFontSize=10,
    )
    canvas.setCreator("Evidence App")
    section_pages: dict[str, int] = {}
    for section in sections:
        section_pages[section.key] = canvas.getPageNumber() - 1
        _flow(canvas, list(section.story), total_pages, words)
    front_pages = canvas.getPageNumber() - 1
    for spec in overlays:
        _draw_overlay(canvas, spec, total_pages, words, styles)
    if measure_only:
        return RenderInfo(front_pages, section_pages)  # the layout is known: skip writing
    with binary_streams():
        canvas.save()
    return RenderInfo(front_pages, section_pages)


def fill_frame(frame: Frame, story: list[Flowable], canvas: Canvas) -> None:
    """Put flowables into ``frame`` until it is full, splitting the one that does not fit
    (``Frame.addFromList`` never splits: that is normally the doc template's job)."""
    while story:
        head = story[0]
        if frame.add(head, canvas, trySplit=0):
            del story[0]
            continue
        parts = frame.split(head, canvas)
        if parts and not (len(parts) == 1 and parts[0] is head):
            if frame.add(parts[0], canvas, trySplit=1):
                story[0:1] = parts[1:]
            elif frame._atTop:
                # Not even the first part fits an empty page: stop instead of looping forever.
                raise BundleError("pdf.layout_failed")
        elif frame._atTop:
            raise BundleError("pdf.layout_failed")  # too big for an empty page
        return


def flow_pages(
    canvas: Canvas, story: list[Flowable], decorate: Callable[[Canvas], None] | None = None
) -> None:
    """Fill A4 pages with ``story``; ``decorate`` draws each page's footer."""
    width, height = A4
    while story:
        frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, showBoundary=0)
        fill_frame(frame, story, canvas)
        if decorate is not None:
            decorate(canvas)
        canvas.showPage()


def _flow(canvas: Canvas, story: list[Flowable], total: int, words: Words) -> None:
    flow_pages(canvas, story, lambda c: _footer(c, A4[0], total, words))


def _footer(canvas: Canvas, width: float, total: int, words: Words) -> None:
    canvas.saveState()
    canvas.setFont(register_fonts(), 8)
    canvas.setFillColor(colors.black)
    canvas.drawCentredString(
        width / 2, FOOTER_Y, page_number_text(words, canvas.getPageNumber(), total)
    )
    canvas.restoreState()


def _draw_overlay(
    canvas: Canvas, spec: OverlaySpec, total: int, words: Words, styles: Styles
) -> None:
    width, height = spec.size
    canvas.setPageSize(spec.size)
    if spec.anchor:
        canvas.bookmarkPage(spec.anchor)
    font = register_fonts()
    canvas.saveState()
    canvas.setFont(font, 9)
    canvas.setFillColor(STAMP_RED)
    canvas.drawRightString(width - STAMP_INSET, height - STAMP_INSET - 6, spec.stamp)
    canvas.restoreState()
    if spec.caption:
        paragraphs = caption_paragraphs(spec.caption, words, styles)
        frame_h = caption_height(paragraphs, width) + 4
        frame = Frame(
            CAPTION_MARGIN,
            CAPTION_BOTTOM,
            width - 2 * CAPTION_MARGIN,
            frame_h,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        fill_frame(frame, paragraphs, canvas)
    if spec.placeholder:
        _placeholder(canvas, spec, words, styles)
    _footer(canvas, width, total, words)
    canvas.showPage()


def _placeholder(canvas: Canvas, spec: OverlaySpec, words: Words, styles: Styles) -> None:
    width, height = spec.size
    story: list[Flowable] = [Paragraph(words.markup(spec.heading), styles.heading)]
    rows = [
        [Paragraph(words.markup(label), styles.cell), Paragraph(words.markup(value), styles.cell)]
        for label, value in spec.placeholder
    ]
    table = Table(rows, colWidths=[110, width - 2 * MARGIN - 110])
    table.setStyle(_GRID)
    story.append(table)
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - 20)
    fill_frame(frame, story, canvas)


def caption_paragraphs(lines: list[str], words: Words, styles: Styles) -> list[Flowable]:
    return [Paragraph(words.markup(line), styles.caption) for line in lines]


def caption_height(paragraphs: list[Flowable], page_width: float) -> float:
    avail = page_width - 2 * CAPTION_MARGIN
    return sum(p.wrap(avail, 10_000)[1] for p in paragraphs)


def image_page_size(display_px: tuple[int, int]) -> tuple[float, float]:
    """A4, turned to match the image (screenshots are mostly landscape)."""
    w, h = display_px
    return landscape(A4) if w > h else A4


def image_box(
    page_size: tuple[float, float], caption: list[str], words: Words, styles: Styles
) -> tuple[float, float, float, float]:
    """The free area for the image: between the caption block and the stamp line."""
    width, height = page_size
    used = caption_height(caption_paragraphs(caption, words, styles), width) + 4
    bottom = CAPTION_BOTTOM + used + 8
    return (CAPTION_MARGIN, bottom, width - 2 * CAPTION_MARGIN, height - IMAGE_TOP_GAP - bottom)


def fit_image(
    box: tuple[float, float, float, float], display_px: tuple[int, int]
) -> tuple[float, float, float, float]:
    """Largest rectangle of the image's aspect inside ``box``, never above 96 dpi, centred
    horizontally and placed at the top of the box (just under the stamp)."""
    bx, by, bw, bh = box
    pw, ph = display_px[0] * PX_TO_PT, display_px[1] * PX_TO_PT
    scale = min(1.0, bw / pw, bh / ph)
    w, h = pw * scale, ph * scale
    return (bx + (bw - w) / 2, by + bh - h, w, h)


_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


def key_value_table(
    rows: list[tuple[str, str]], words: Words, styles: Styles, width: float
) -> Table:
    data = [
        [Paragraph(words.markup(k), styles.cell), Paragraph(words.markup(v), styles.cell)]
        for k, v in rows
    ]
    table = Table(data, colWidths=[110, width - 110])
    table.setStyle(_GRID)
    return table


def spacer(height: float) -> Spacer:
    return Spacer(1, height)
