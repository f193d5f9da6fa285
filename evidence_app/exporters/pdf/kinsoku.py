"""CJK line breaking with the 禁则 a Chinese reader expects: no line starts with a closing mark
(，。、；：？！）」』》” …) and none ends with an opening one (（「『《“ …).

reportlab's CJK wrapping (``paragraph.cjkFragSplit``) knows the Japanese marks but not the
full-width comma, semicolon, colon, question and exclamation marks, and it never keeps an
opening bracket off a line's end: a complaint then shows lines that start with "，". This
module's :func:`cjk_frag_split` is that function with both rules; :func:`install` puts it in
place of reportlab's (the paragraph code looks the function up at each call). Everything
else — glyph widths, the fallback for Latin words inside CJK text, hard line breaks — is
reportlab's own behaviour, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CANNOT_START = frozenset(
    "，。、；：？！）」』》〉】〕］｝〗〙”’…‥·・々〻ー"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%"
)
CANNOT_END = frozenset("（「『《〈【〔［｛〖〘“‘([{")
MAX_HANG = 2  # closing marks pulled up onto a full line (they hang in the right margin)


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


def split_points(
    chars: str | list[Any],
    width_of: Callable[[int, float], float],
    max_widths: list[float],
    hard_break: Callable[[int], bool] = lambda i: False,
) -> list[tuple[int, int, bool, float]]:
    """Lines as (start, end, hard, width): as many glyphs as fit, then the 禁则 applied —
    closing marks pulled up (hanging), opening marks moved down; Latin words broken at a
    space or a CJK glyph in the second half of the line, as reportlab does."""
    from unicodedata import category

    from reportlab.rl_config import _FUZZ

    count = len(chars)
    lines: list[tuple[int, int, bool, float]] = []
    start = 0
    while start < count:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        end = count
        hard = False
        while i < count:
            used += width_of(i, max_width)
            if hard_break(i):
                end, hard = i + 1, True
                break
            if used > max_width + _FUZZ and i > start:
                end = i  # glyph i overflowed: it starts the next line ...
                if ord(chars[i]) < 0x3000:
                    # ... unless it is inside a Latin word.
                    for j in range(i - 1, (start + i + 1) >> 1, -1):
                        cj = chars[j]
                        if (cj and category(cj) == "Zs") or ord(cj) >= 0x3000:
                            end = j + 1
                            break
                hang = 0
                while end < count and chars[end] in CANNOT_START and hang < MAX_HANG:
                    end += 1  # a closing mark must not start a line: it hangs
                    hang += 1
                while end - 1 > start + 1 and chars[end - 1] in CANNOT_END:
                    end -= 1  # an opening mark must not end a line
                break
            i += 1
        end = max(end, start + 1)
        width = sum(width_of(k, max_width) for k in range(start, end))
        lines.append((start, end, hard, width))
        start = end
    return lines


def word_split(
    word: str | bytes, maxWidths: Any, fontName: str, fontSize: float, encoding: str = "utf8"
) -> list[list[Any]]:
    """reportlab's ``textsplit.wordSplit`` (one-fragment paragraphs) with the 禁则."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = word.decode(encoding) if isinstance(word, bytes) else word
    widths = [stringWidth(ch, fontName, fontSize) for ch in text]
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    out: list[list[Any]] = []
    for n, (a, b, _hard, width) in enumerate(
        split_points(text, lambda i, _m: widths[i], list(maxWidths))
    ):
        max_width = maxWidths[min(n, len(maxWidths) - 1)]
        line = text[a:b]
        out.append([max_width - width, line.strip() if b < len(text) else line])
    if isinstance(word, bytes):
        return [[space, line.encode(encoding)] for space, line in out]
    return out


def cjk_frag_split(frags: Any, maxWidths: Any, calcBounds: Any, encoding: str = "utf8") -> Any:
    """reportlab's ``paragraph.cjkFragSplit`` (several fragments: markup, line breaks) with
    the 禁则."""
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    glyphs: list[Any] = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if text:
            glyphs.extend(cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(cjkU(text, f, encoding))
    widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
    lines = []
    for n, (a, b, hard, width) in enumerate(
        split_points(
            glyphs,
            lambda i, m: _width(glyphs[i], m),
            widths,
            lambda i: hasattr(glyphs[i].frag, "lineBreak"),
        )
    ):
        max_width = widths[min(n, len(widths) - 1)]
        lines.append(
            makeCJKParaLine(glyphs[a:b], max_width, width, max_width - width, hard, calcBounds)
        )
    return ParaLines(kind=1, lines=lines)


def install() -> None:
    """Use the functions above for every CJK-wrapped paragraph (idempotent)."""
    from reportlab.platypus import paragraph

    paragraph.cjkFragSplit = cjk_frag_split
    paragraph.wordSplit = word_split
