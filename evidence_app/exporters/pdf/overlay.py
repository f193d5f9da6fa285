"""The text laid over exhibit pages (stamp, caption, page number) as tiny content streams.

Drawing one reportlab page (with a frame and paragraphs) per exhibit page cost more than all
the rest of the bundle together, for a few short lines of text each. Those lines are written
here as PDF operators instead, at the positions reportlab would use. The text is encoded with
the font state of the front matter's own canvas (``TTFont.splitString``), so its glyphs join
the subsets reportlab embeds, with their ToUnicode maps, when it saves the front matter: one
embedded font for the whole bundle, and the stamps stay extractable text.

Captions wrap like reportlab's CJK paragraphs (``wordWrap="CJK"``): whitespace runs become
one space, a line is cut between any two characters by :func:`reportlab.lib.textsplit.dumbSplit`
(which keeps closing punctuation off the start of a line), a newline starts a new line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import dumbSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.geometry import fmt_num

# Where things sit on an exhibit page (points, in its displayed orientation).
FOOTER_Y = 16.0
FOOTER_SIZE = 8.0
STAMP_INSET = 14.0
STAMP_SIZE = 9.0
STAMP_RGB = (0.75, 0.0, 0.0)
CAPTION_MARGIN = 36.0
CAPTION_BOTTOM = 30.0  # above the page number


@dataclass
class OverlaySpec:
    """What is drawn over one exhibit page, in its displayed (upright) orientation."""

    size: tuple[float, float]
    stamp: str
    caption: list[str] = field(default_factory=list)  # wrapped lines (image pages)
    placeholder: list[tuple[str, str]] = field(default_factory=list)  # label, value rows
    heading: str = ""  # placeholder pages
    index: int = 0  # 0-based, among the exhibit pages (the front matter's length is not known)


def _font() -> TTFont:
    font = pdfmetrics.getFont(register_fonts())
    assert isinstance(font, TTFont)
    return font


class CaptionWrapper:
    """Line breaking for captions, with each character's width looked up once."""

    def __init__(self, style: ParagraphStyle) -> None:
        self.size = float(style.fontSize)
        self.leading = float(style.leading)
        face = _font().face
        self._widths: dict[int, int] = face.charWidths  # type: ignore[attr-defined]
        self._default: int = face.defaultWidth  # type: ignore[attr-defined]
        self._cache: dict[str, float] = {}

    def _width(self, ch: str) -> float:
        w = self._cache.get(ch)
        if w is None:
            # The same arithmetic as TTFont.stringWidth, so lines break where reportlab's do.
            w = self._cache[ch] = 0.001 * self.size * self._widths.get(ord(ch), self._default)
        return w

    def wrap(self, paragraphs: list[str], width: float) -> list[str]:
        """The display lines of ``paragraphs`` (plain text) in a column ``width`` wide."""
        lines: list[str] = []
        for paragraph in paragraphs:
            for piece in paragraph.split("\n"):
                text = " ".join(piece.split())
                if not text:
                    lines.append("")
                    continue
                widths = [self._width(ch) for ch in text]
                lines += [str(line) for _, line in dumbSplit(text, widths, width)]
        return lines

    def height(self, lines: list[str]) -> float:
        return len(lines) * self.leading


class OverlayPainter:
    """Writes the overlay content streams, encoding text into ``canvas``'s font subsets.

    Must be used before ``canvas.save()``: reportlab writes the subsets (every glyph assigned
    so far) when it saves.
    """

    def __init__(self, canvas: Canvas, caption: CaptionWrapper) -> None:
        self.font = _font()
        self.doc = canvas._doc  # the font state is kept per reportlab document
        self.caption = caption

    def font_names(self) -> list[str]:
        """PDF names (without the slash) of every subset used so far: keys of the fonts
        dictionary that the overlays' resources must have."""
        names = []
        subset = 0
        while True:
            try:
                names.append(self.font.getSubsetInternalName(subset, self.doc)[1:])
            except IndexError:
                return names
            subset += 1

    def paint(self, spec: OverlaySpec, page_label: str) -> bytes:
        width, height = spec.size
        ops: list[bytes] = []
        stamp_x = width - STAMP_INSET - self.font.stringWidth(spec.stamp, STAMP_SIZE)
        r, g, b = STAMP_RGB
        ops.append(f"{fmt_num(r)} {fmt_num(g)} {fmt_num(b)} rg".encode("ascii"))
        ops.append(self._text(stamp_x, height - STAMP_INSET - 6, STAMP_SIZE, spec.stamp))
        ops.append(b"0 g")
        if spec.caption:
            size, leading = self.caption.size, self.caption.leading
            # Where reportlab's frame would put the paragraphs: the block's top edge is the
            # frame's (caption height + 4 above CAPTION_BOTTOM), baselines one size below.
            top = CAPTION_BOTTOM + self.caption.height(spec.caption) + 4
            for k, line in enumerate(spec.caption):
                if line:
                    ops.append(self._text(CAPTION_MARGIN, top - size - k * leading, size, line))
        footer_w = self.font.stringWidth(page_label, FOOTER_SIZE)
        ops.append(self._text(width / 2 - footer_w / 2, FOOTER_Y, FOOTER_SIZE, page_label))
        return b"q\n" + b"\n".join(ops) + b"\nQ\n"

    def _text(self, x: float, y: float, size: float, text: str) -> bytes:
        parts = [f"BT {fmt_num(x)} {fmt_num(y)} Td".encode("ascii")]
        current = -1
        for subset, data in self.font.splitString(text, self.doc):
            if subset != current:
                name = self.font.getSubsetInternalName(subset, self.doc)
                parts.append(f"{name} {fmt_num(size)} Tf".encode("ascii"))
                current = subset
            parts.append(b"<" + data.hex().encode("ascii") + b"> Tj")
        parts.append(b"ET")
        return b" ".join(parts)
