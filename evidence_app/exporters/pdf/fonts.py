"""The one font of every page we draw: WenQuanYi Micro Hei, embedded as a TrueType subset.

reportlab's built-in CJK fonts (STSong-Light) are never embedded and its default Helvetica is
not either, so every style we use (including Latin text and bold) is registered to this one
TrueType font. Characters the font lacks are not dropped: :class:`GlyphReport` replaces each
with a visible ``[U+XXXX]`` marker and records it, so the caller can warn the user.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from evidence_app.resources import resource_path

FONT_NAME = "EvidenceCJK"
FONT_FILE = "wqy-microhei.ttc"
LICENCE_FILE = "LICENSE-wqy-microhei.txt"


@cache
def register_fonts() -> str:
    """Register the font once per process (reportlab's registry is global) and return its
    name. Bold and italic map to the same face: a different face would mean a second file."""
    path = resource_path("fonts", FONT_FILE)
    font = TTFont(FONT_NAME, str(path), subfontIndex=0)
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT_NAME, bold, italic, FONT_NAME)
    return FONT_NAME


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(FONT_NAME)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MissingGlyph:
    where: str  # what the text was: "cover", "exhibit 3 title" ...
    char: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"


@dataclass
class GlyphReport:
    """Collects characters the font cannot show while text is prepared for drawing."""

    missing: list[MissingGlyph] = field(default_factory=list)

    def clean(self, text: str, where: str = "") -> str:
        """``text`` fit to draw: control and format characters removed (they have no glyph
        and carry no content), tabs as spaces, unknown characters as ``[U+XXXX]``."""
        covered = _covered()
        # Most text is printable (no control, format or line-break characters) and covered:
        # nothing to change, checked without a Python loop per character.
        if text.isprintable() and covered.issuperset(map(ord, text)):
            return text
        out: list[str] = []
        for ch in text:
            if ch == "\n":
                out.append(ch)
                continue
            if ch == "\t":
                out.append(" ")
                continue
            category = unicodedata.category(ch)
            if category in ("Cc", "Cf", "Cs"):
                continue
            if ord(ch) in covered or ch == " ":
                out.append(ch)
                continue
            self.missing.append(MissingGlyph(where, ch))
            out.append(f"[U+{ord(ch):04X}]")
        return "".join(out)

    def summary(self) -> list[str]:
        """One line per distinct (where, character), in first-seen order."""
        seen: dict[tuple[str, str], None] = {}
        for m in self.missing:
            seen.setdefault((m.where, m.codepoint), None)
        return [f"{where}: {cp}" for where, cp in seen]
