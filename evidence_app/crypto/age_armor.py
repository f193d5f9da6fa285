"""Strict decoding of age's ASCII armor (age-encryption.org/v1, "ASCII armor").

RFC 7468 strict form: whitespace may surround the armor, nothing else; a
``-----BEGIN AGE ENCRYPTED FILE-----`` line; padded canonical base64 in lines of exactly 64
columns except the last, which is shorter or full but never empty; the END line. Lines end in
LF or CRLF; no headers, no whitespace inside lines, no checksum line. This is what the C2SP
CCTV armor vectors demand.
"""

from __future__ import annotations

import base64
import binascii

from evidence_app.errors import VerificationFailed

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
WHITESPACE = b" \t\r\n"
COLUMNS = 64


def strip_outside(data: bytes) -> bytes | None:
    """The armored text without surrounding whitespace, or None when it is not armored."""
    stripped = data.strip(WHITESPACE)
    return stripped if stripped.startswith(BEGIN) else None


def dearmor(text: bytes) -> bytes:
    """The binary age file inside armored ``text`` (whitespace around it allowed)."""

    def bad(why: str) -> VerificationFailed:
        return VerificationFailed("age.armor_malformed", detail=why)

    stripped = strip_outside(text)
    if stripped is None:
        raise bad("no BEGIN line")
    lines = stripped.split(b"\n")
    lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    if lines[0] != BEGIN:
        raise bad("bad BEGIN line")
    if lines[-1] != END:
        raise bad("no END line")
    body = lines[1:-1]
    for i, line in enumerate(body):
        last = i == len(body) - 1
        if not line or len(line) > COLUMNS or (not last and len(line) != COLUMNS):
            raise bad("line length")
    joined = b"".join(body)
    try:
        raw = binascii.a2b_base64(joined, strict_mode=True)
    except binascii.Error as exc:
        raise bad("invalid base64") from exc
    if base64.b64encode(raw) != joined:
        raise bad("non-canonical base64")
    return raw
