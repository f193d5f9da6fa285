"""reportlab drawing: the front matter (cover, statement, 证据目录) and the placeholder pages
of non-page exhibits, on one canvas; and, encoded with that canvas's font, the overlay text of
every other exhibit page (:mod:`overlay`).

Front matter and overlays share one font state so that the font is embedded once. The builder
later lays each overlay over its exhibit page (:mod:`stamping`). Page geometry of image pages
is decided here, because the caption's height decides the image's box.
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

from evidence_app.exporters.pdf import kinsoku
from evidence_app.exporters.pdf.errors import BundleError
from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.overlay import (
    CAPTION_BOTTOM,
    CAPTION_MARGIN,
    FOOTER_SIZE,
    FOOTER_Y,
    STAMP_INSET,
    STAMP_RGB,
    STAMP_SIZE,
    CaptionWrapper,
    OverlayPainter,
    OverlaySpec,
)
from evidence_app.exporters.pdf.words import Words

MARGIN = 50.0
IMAGE_TOP_GAP = 30.0  # below the stamp
PX_TO_PT = 0.75  # one image pixel at 96 dpi: images are never enlarged beyond this
STAMP_RED = colors.Color(*STAMP_RGB)


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
    wrapper: CaptionWrapper = field(init=False)

    def __post_init__(self) -> None:
        self.wrapper = CaptionWrapper(self.caption)


def make_styles() -> Styles:
    font = register_fonts()
    kinsoku.install()  # 禁则 for every wordWrap="CJK" paragraph below

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


class LateText(Flowable):
    """One line of text that depends on the front matter's page count (an index page range),
    in a table cell. Drawing it only records where it goes; its text is written once the
    count is known, into the form XObject that each front page draws last (with its page
    number), and reportlab resolves forms when it saves. So the front matter is laid out
    once. Its size never depends on the text: one line, its font shrunk when the text would
    not fit the width."""

    def __init__(self, text: Callable[[int], str], style: ParagraphStyle, width: float):
        super().__init__()
        self.text = text
        self.style = style
        self.width = width
        self.height = float(style.leading)
        self.placed: list[tuple[int, float, float]] = []  # page number, x, y of the baseline

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        # The baseline where a one-line paragraph's would be: one font size below the top.
        x, y = self.canv.absolutePosition(0, self.height - float(self.style.fontSize))
        self.placed.append((self.canv.getPageNumber(), x, y))

    def draw_late(self, canvas: Canvas, front_pages: int, x: float, y: float) -> None:
        text = self.text(front_pages)
        size = float(self.style.fontSize)
        needed = canvas.stringWidth(text, self.style.fontName, size)
        if needed > self.width:
            size *= self.width / needed
        canvas.setFont(self.style.fontName, size)
        canvas.drawString(x, y, text)


class NewPageUnlessRoomFor(Flowable):
    """Moves the block that follows to the next page when it would not fit on this one (a
    target's heading left alone at the foot of a page reads as a loose fragment). Blocks
    taller than most of a page are left to split normally. (reportlab's KeepTogether needs a
    doc template's frame handling, which :func:`fill_frame` does not have.)"""

    def __init__(self, block: list[Flowable], width: float) -> None:
        super().__init__()
        height = sum(
            f.wrap(width, A4[1])[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in block
        )
        needed = height + 24.0  # frame padding and spacing not in the measured heights
        self.needed = needed if needed < 0.8 * (A4[1] - 2 * MARGIN) else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Claiming more than the space left makes the frame refuse it: a new page starts.
        return (0.0, 0.0) if avail_height >= self.needed else (0.0, avail_height + 1.0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        pass


@dataclass
class Section:
    """A front-matter section: it starts on a new page and gets a bookmark."""

    key: str  # cover | statement | index
    title: str
    story: list[Flowable]
    late: list[LateText] = field(default_factory=list)  # drawn in ``story``, defined later


@dataclass
class RenderInfo:
    front_pages: int
    section_pages: dict[str, int]  # section key -> 0-based first page
    overlays: list[bytes] = field(default_factory=list)  # content of each overlay, in order
    font_names: list[str] = field(default_factory=list)  # font resources the overlays use


def page_number_text(words: Words, number: int, total: int) -> str:
    return words.tr("pdf.footer.page", page=number, total=total)


def render(
    out: BinaryIO,
    sections: list[Section],
    drawn: list[OverlaySpec],
    overlays: list[OverlaySpec],
    exhibit_pages: int,
    words: Words,
    styles: Styles,
) -> RenderInfo:
    """Draw the front matter, then one page per ``drawn`` spec (placeholder pages), onto one
    canvas; encode the text of ``overlays`` with the same font state; save.

    The page numbers (footers, index page ranges) depend on how many pages the front matter
    takes: the front pages carry them as forms, written once the front matter is laid out.
    """
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
        flow_pages(canvas, list(section.story), _late_footer)
    front = canvas.getPageNumber() - 1
    total = front + exhibit_pages
    placed: dict[int, list[tuple[LateText, float, float]]] = {}
    for section in sections:
        for late in section.late:
            for page, x, y in late.placed:
                placed.setdefault(page, []).append((late, x, y))
    for number in range(1, front + 1):
        canvas.beginForm(_late_form(number))
        _footer(canvas, A4[0], number, total, words)
        canvas.saveState()
        for late, x, y in placed.get(number, []):
            late.draw_late(canvas, front, x, y)
        canvas.restoreState()
        canvas.endForm()
    for spec in drawn:
        _draw_page(canvas, spec, front + 1 + spec.index, total, words, styles)
    painter = OverlayPainter(canvas, styles.wrapper)
    contents = [
        painter.paint(spec, page_number_text(words, front + 1 + spec.index, total))
        for spec in overlays
    ]
    names = painter.font_names()
    with binary_streams():
        canvas.save()
    return RenderInfo(front, section_pages, contents, names)


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


def _late_form(number: int) -> str:
    return f"EvLate{number}"


def _late_footer(canvas: Canvas) -> None:
    """A front page's footer and late text: a form, written when the page count is known."""
    canvas.doForm(_late_form(canvas.getPageNumber()))


def _footer(canvas: Canvas, width: float, number: int, total: int, words: Words) -> None:
    canvas.saveState()
    canvas.setFont(register_fonts(), FOOTER_SIZE)
    canvas.setFillColor(colors.black)
    canvas.drawCentredString(width / 2, FOOTER_Y, page_number_text(words, number, total))
    canvas.restoreState()


def _draw_page(
    canvas: Canvas, spec: OverlaySpec, number: int, total: int, words: Words, styles: Styles
) -> None:
    """A placeholder page: heading and table, with the same stamp and page number as the
    overlays of other exhibit pages."""
    width, height = spec.size
    canvas.setPageSize(spec.size)
    canvas.saveState()
    canvas.setFont(register_fonts(), STAMP_SIZE)
    canvas.setFillColor(STAMP_RED)
    canvas.drawRightString(width - STAMP_INSET, height - STAMP_INSET - 6, spec.stamp)
    canvas.restoreState()
    if spec.placeholder:
        _placeholder(canvas, spec, words, styles)
    _footer(canvas, width, number, total, words)
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


def wrap_caption(lines: list[str], page_width: float, styles: Styles) -> list[str]:
    """The caption's display lines on a page ``page_width`` wide."""
    return styles.wrapper.wrap(lines, page_width - 2 * CAPTION_MARGIN)


def image_page_size(display_px: tuple[int, int]) -> tuple[float, float]:
    """A4, turned to match the image (screenshots are mostly landscape)."""
    w, h = display_px
    return landscape(A4) if w > h else A4


def image_box(
    page_size: tuple[float, float], caption_lines: list[str], styles: Styles
) -> tuple[float, float, float, float]:
    """The free area for the image: between the (wrapped) caption block and the stamp line."""
    width, height = page_size
    used = styles.wrapper.height(caption_lines) + 4
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
