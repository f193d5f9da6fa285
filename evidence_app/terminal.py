"""Text from case files and packets, made safe to print on a terminal.

Why: ``check``, ``case show`` and ``verify`` printed case data and packet contents raw: an
ESC sequence (an OSC set the terminal's title), BEL, NUL, CR (overwriting a line) or a bidi
override (U+202E turns "gpj.exe" around) could hide or fake what the user reads. Every
control character (C0 but newline and tab, DEL, C1), every bidi control and every invisible
formatting character is shown as ``⟨U+XXXX⟩`` instead. JSON output is not touched (its
reader is a program, and json.dumps escapes C0 itself).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    + _BIDI
    + "\u200b-\u200d\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb]"
)


def _show(match: re.Match[str]) -> str:
    return f"⟨U+{ord(match.group()):04X}⟩"


def escape(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every unsafe character shown as ⟨U+XXXX⟩ (newline and tab kept when
    ``keep_newlines``)."""
    escaped = _UNSAFE.sub(_show, text)
    # other format characters (category Cf) a font may render as nothing
    if any(unicodedata.category(c) == "Cf" for c in escaped if ord(c) > 0x7F):
        escaped = "".join(
            f"⟨U+{ord(c):04X}⟩" if ord(c) > 0x7F and unicodedata.category(c) == "Cf" else c
            for c in escaped
        )
    if not keep_newlines:
        escaped = escaped.replace("\n", "⟨U+000A⟩").replace("\t", "⟨U+0009⟩")
    return escaped


class EscapingWriter:
    """A text stream wrapper that escapes everything written to it (the CLI wraps stdout
    and stderr with it for plain-text output)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
