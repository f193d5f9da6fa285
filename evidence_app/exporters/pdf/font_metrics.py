"""Font metrics for redaction: the text state a content stream sets, and each glyph's width
and box (generous ascent/descent), so a glyph touching a redacted area can be found and
removed while the rest of its line keeps its place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name

ASCENT, DESCENT = 1.1, -0.35  # generous glyph box, in text space units of the font size


@dataclass
class TextState:
    font: Any = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


class FontMetrics:
    """Code length and widths of a font, as far as the file tells them."""

    def __init__(self, font: Any) -> None:
        self.two_byte = False
        self.known = True
        self.widths: dict[int, float] = {}
        self.default = 1.0  # unknown widths are taken wide: removal errs towards covering
        self.unit = 0.001
        if not isinstance(font, Dictionary):
            self.known = False
            return
        subtype = font.get(Name.Subtype)
        if subtype == Name.Type0:
            encoding = font.get(Name.Encoding)
            self.two_byte = True
            self.known = encoding in (Name("/Identity-H"),)
            descendants = font.get(Name.DescendantFonts)
            cid = descendants[0] if isinstance(descendants, pikepdf.Array) else Dictionary()
            self.default = float(cid.get(Name.DW, 1000)) * self.unit
            self._read_w(cid.get(Name.W))
            return
        if subtype == Name.Type3:
            matrix = font.get(Name.FontMatrix)
            if isinstance(matrix, pikepdf.Array):
                self.unit = abs(float(matrix[0])) or 0.001
        first = int(font.get(Name.FirstChar, 0))
        widths = font.get(Name.Widths)
        if isinstance(widths, pikepdf.Array):
            for i, w in enumerate(widths):
                self.widths[first + i] = float(w) * self.unit
        elif Name.BaseFont in font:
            self._standard(str(font.BaseFont).lstrip("/"))

    def _read_w(self, w: Any) -> None:
        if not isinstance(w, pikepdf.Array):
            return
        items = list(w)
        i = 0
        while i < len(items):
            start = int(items[i])
            nxt = items[i + 1] if i + 1 < len(items) else None
            if isinstance(nxt, pikepdf.Array):
                for k, each in enumerate(nxt):
                    self.widths[start + k] = float(each) * self.unit
                i += 2
            elif i + 2 < len(items):
                end, same = int(items[i + 1]), float(items[i + 2])
                for code in range(start, min(end, start + 65535) + 1):
                    self.widths[code] = same * self.unit
                i += 3
            else:
                break

    def _standard(self, base: str) -> None:
        from reportlab.pdfbase import pdfmetrics

        try:
            face = pdfmetrics.getFont(base)
        except Exception:
            return
        for code, width in enumerate(getattr(face, "widths", [])):
            self.widths[code] = float(width) * self.unit

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default)
