"""Hardened, streaming use of the age format (age-encryption.org/v1) through pyrage.

pyrage does the cryptography. Before handing it a file from outside we parse the header
ourselves, strictly, because pyrage 1.4 has known gaps against the community test vectors
(C2SP CCTV): it runs scrypt with any work factor (2^23 takes 8 GiB and half a minute: a
denial of service from a hostile file), accepts stanzas without a body or without the final
short body line, and refuses armored files with surrounding whitespace (which the spec
allows). Only ``*_io`` functions are used for big data: they stream and release the GIL;
pyrage's in-memory functions are used only for small identity files.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import pyrage

from evidence_app.errors import UsageError, VerificationFailed
from evidence_app.jobs import NEVER_CANCELLED, CancelToken

INTRO = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
MAX_SCRYPT_WORK_FACTOR = 20  # 2^20 * 1 KiB = 1 GiB of RAM, about 2 s here
MAX_HEADER_SIZE = 1024 * 1024
MAX_STANZAS = 1024
MAX_ARMORED_SIZE = 64 * 1024 * 1024  # armored input is read into memory: keep it small
MAX_SMALL_FILE = 1024 * 1024  # passphrase-encrypted identity files
PROGRESS_STEP = 1024 * 1024
_B64_CHARS = re.compile(rb"[A-Za-z0-9+/]*")
_WHITESPACE = b" \t\r\n"
_WORK_FACTOR = re.compile(r"[1-9][0-9]{0,2}")


class AgeError(VerificationFailed):
    """An age file that is malformed, not for us, or damaged. ``key`` says which."""


@dataclass
class Stanza:
    type: str
    args: list[str]
    body: bytes


@dataclass
class AgeHeader:
    stanzas: list[Stanza]
    length: int  # bytes from the start of the file to the end of the MAC line

    @property
    def is_scrypt(self) -> bool:
        return any(s.type == "scrypt" for s in self.stanzas)


class _Incomplete(Exception):
    """The header continues beyond the bytes read so far."""


def _b64_canonical(text: bytes, what: str) -> bytes:
    """Unpadded, canonical standard base64, as the age spec requires everywhere."""
    if not _B64_CHARS.fullmatch(text) or len(text) % 4 == 1:
        raise AgeError("age.header_malformed", detail=f"{what}: invalid base64")
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error as exc:
        raise AgeError("age.header_malformed", detail=f"{what}: invalid base64") from exc
    if base64.b64encode(raw).rstrip(b"=") != text:
        raise AgeError("age.header_malformed", detail=f"{what}: non-canonical base64")
    return raw


def _next_line(data: bytes, pos: int) -> tuple[bytes, int]:
    end = data.find(b"\n", pos)
    if end < 0:
        if len(data) - pos > MAX_HEADER_SIZE:
            raise AgeError("age.header_malformed", detail="line too long")
        raise _Incomplete
    line = data[pos:end]
    if b"\r" in line:
        raise AgeError("age.header_malformed", detail="carriage return in header")
    return line, end + 1


def _parse_args(line: bytes) -> list[str]:
    args = line[3:].split(b" ")
    for arg in args:
        if not arg or any(c < 0x21 or c > 0x7E for c in arg):
            raise AgeError("age.header_malformed", detail="invalid stanza argument")
    return [a.decode("ascii") for a in args]


def parse_header(data: bytes) -> AgeHeader:
    """Parse the binary header at the start of ``data``; raises ``_Incomplete`` when more
    bytes are needed and AgeError when it breaks the grammar."""
    if not data.startswith(INTRO):
        if INTRO.startswith(data):
            raise _Incomplete
        raise AgeError("age.header_malformed", detail="not an age file (bad version line)")
    pos = len(INTRO)
    stanzas: list[Stanza] = []
    while True:
        line, pos = _next_line(data, pos)
        if line.startswith(b"--- "):
            mac = line[4:]
            if len(mac) != 43 or len(_b64_canonical(mac, "header MAC")) != 32:
                raise AgeError("age.header_malformed", detail="bad header MAC line")
            break
        if not line.startswith(b"-> "):
            raise AgeError("age.header_malformed", detail="expected a stanza or the MAC line")
        args = _parse_args(line)
        body = b""
        while True:  # body lines: 64 columns, ending with a shorter (possibly empty) line
            body_line, pos = _next_line(data, pos)
            if body_line.startswith((b"-> ", b"--- ")) and len(body_line) < 64:
                raise AgeError("age.header_malformed", detail="stanza without a final body line")
            if len(body_line) > 64:
                raise AgeError("age.header_malformed", detail="stanza body line too long")
            body += _b64_canonical(body_line, "stanza body")
            if len(body_line) < 64:
                break
        stanzas.append(Stanza(args[0], args[1:], body))
        if len(stanzas) > MAX_STANZAS:
            raise AgeError("age.header_malformed", detail="too many recipients")
    if not stanzas:
        raise AgeError("age.header_malformed", detail="no recipients")
    header = AgeHeader(stanzas, pos)
    _check_scrypt(header)
    return header


def _check_scrypt(header: AgeHeader) -> None:
    scrypt = [s for s in header.stanzas if s.type == "scrypt"]
    if not scrypt:
        return
    if len(header.stanzas) != 1:
        raise AgeError("age.header_malformed", detail="an scrypt stanza must be alone")
    stanza = scrypt[0]
    if len(stanza.args) != 2 or not _WORK_FACTOR.fullmatch(stanza.args[1]):
        raise AgeError("age.header_malformed", detail="bad scrypt arguments")
    if len(_b64_canonical(stanza.args[0].encode(), "scrypt salt")) != 16:
        raise AgeError("age.header_malformed", detail="bad scrypt salt")
    factor = int(stanza.args[1])
    if factor > MAX_SCRYPT_WORK_FACTOR:
        raise AgeError("age.work_factor", factor=factor, limit=MAX_SCRYPT_WORK_FACTOR)


def _dearmor_prefix(text: bytes) -> bytes:
    """Decode enough of an armored file to parse its header (pyrage checks the armor
    itself, strictly; we only need the header bytes it will see)."""
    lines = text.split(b"\n")
    if lines[0].rstrip(b"\r") != ARMOR_BEGIN:
        raise AgeError("age.armor_malformed")
    out = b""
    for raw in lines[1:]:
        line = raw.rstrip(b"\r")
        if line.startswith(b"-----END"):
            break
        try:
            out += base64.b64decode(line, validate=True)
        except binascii.Error as exc:
            raise AgeError("age.armor_malformed") from exc
        try:
            parse_header(out)
            return out
        except _Incomplete:
            continue
    return out


def read_header(src: BinaryIO) -> tuple[AgeHeader, bytes]:
    """Read and check a binary age header from ``src``; returns it and the bytes consumed
    (which the caller must replay before the rest of the stream)."""
    data = b""
    while True:
        chunk = src.read(64 * 1024)
        data += chunk
        try:
            return parse_header(data), data
        except _Incomplete:
            if not chunk or len(data) > MAX_HEADER_SIZE:
                raise AgeError("age.header_malformed", detail="truncated header") from None


class _Replay(io.RawIOBase):
    """``prefix`` followed by the rest of ``src``: the header bytes we already read."""

    def __init__(self, prefix: bytes, src: BinaryIO) -> None:
        self._prefix = memoryview(prefix)
        self._src = src

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._src.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _GuardedWriter(io.RawIOBase):
    """The plaintext sink: checks the cancel token and counts bytes as pyrage writes.

    pyrage writes 8 KiB at a time; ``on_write`` (a progress callback, perhaps a UI signal)
    is called only when another PROGRESS_STEP bytes have passed, not 128 times per MiB.
    """

    def __init__(
        self, dst: BinaryIO, cancel: CancelToken, on_write: Callable[[int], None] | None
    ) -> None:
        self._dst = dst
        self._cancel = cancel
        self._on_write = on_write
        self._next_report = 0
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._cancel.raise_if_cancelled()
        self._dst.write(data)
        self.written += len(data)
        if self._on_write is not None and self.written >= self._next_report:
            self._next_report = self.written + PROGRESS_STEP
            self._on_write(self.written)
        return len(data)

    def close(self) -> None:
        if self._on_write is not None and not self.closed and self.written:
            self._on_write(self.written)  # the final count, whatever the step
        super().close()


def _map_error(exc: Exception) -> AgeError:
    text = str(exc)
    if "No matching keys" in text or text == "Decryption failed":
        return AgeError("age.no_match")
    if "MAC is invalid" in text:
        return AgeError("age.hmac")
    if "armor" in text or "DecodeError" in text:
        return AgeError("age.armor_malformed")
    if isinstance(exc, pyrage.DecryptError):
        return AgeError("age.header_malformed", detail=text.splitlines()[0] if text else "")
    return AgeError("age.payload", detail=text.splitlines()[0] if text else type(exc).__name__)


def _strip_armor_whitespace(data: bytes) -> bytes | None:
    """The stripped armored text, or None when ``data`` is not armored."""
    stripped = data.strip(_WHITESPACE)
    return stripped if stripped.startswith(ARMOR_BEGIN) else None


def decrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    identities: Sequence[pyrage.x25519.Identity],
    *,
    cancel: CancelToken = NEVER_CANCELLED,
    on_write: Callable[[int], None] | None = None,
) -> AgeHeader:
    """Decrypt ``src`` to ``dst`` with X25519 identities, streaming.

    On failure ``dst`` may already hold authenticated plaintext of the chunks before the
    damage: the caller must discard it. Armored input is accepted up to MAX_ARMORED_SIZE.
    """
    if not identities:
        raise UsageError("age.no_identity")
    first = src.read(len(ARMOR_BEGIN) + 1024)
    if _strip_armor_whitespace(first) is not None:
        rest = src.read(MAX_ARMORED_SIZE + 1)
        if len(first) + len(rest) > MAX_ARMORED_SIZE:
            raise AgeError("age.armor_too_large", limit=MAX_ARMORED_SIZE)
        text = _strip_armor_whitespace(first + rest) or b""
        header = parse_header(_dearmor_or_fail(text))
        reader: BinaryIO = io.BytesIO(text)
    else:
        header, consumed = read_header(_Replay(first, src))  # type: ignore[arg-type]
        reader = io.BufferedReader(_Replay(consumed, src), 1024 * 1024)
    if header.is_scrypt:
        raise AgeError("age.no_match")  # a passphrase file: our identities cannot open it
    sink = _GuardedWriter(dst, cancel, on_write)
    try:
        pyrage.decrypt_io(reader, sink, list(identities))
    except (pyrage.DecryptError, OSError, ValueError) as exc:
        cancel.raise_if_cancelled()  # a cancel surfaces from pyrage as an I/O error
        raise _map_error(exc) from exc
    sink.close()
    return header


def _dearmor_or_fail(text: bytes) -> bytes:
    prefix = _dearmor_prefix(text)
    try:
        parse_header(prefix)
    except _Incomplete:
        raise AgeError("age.header_malformed", detail="truncated header") from None
    return prefix


def check_passphrase_header(data: bytes) -> bytes:
    """Check the header of a small passphrase-protected file (one scrypt stanza, work factor
    at most MAX_SCRYPT_WORK_FACTOR); returns the bytes to hand to pyrage (armor stripped of
    surrounding whitespace)."""
    if len(data) > MAX_SMALL_FILE:
        raise AgeError("age.armor_too_large", limit=MAX_SMALL_FILE)
    armored = _strip_armor_whitespace(data)
    if armored is not None:
        data = armored
        header = parse_header(_dearmor_or_fail(armored))
    else:
        try:
            header = parse_header(data)
        except _Incomplete:
            raise AgeError("age.header_malformed", detail="truncated header") from None
    if not header.is_scrypt:
        raise AgeError("age.not_passphrase")
    return data


def decrypt_small_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """Decrypt a small passphrase-protected file (an identity file), refusing scrypt work
    factors above MAX_SCRYPT_WORK_FACTOR before any key derivation runs."""
    data = check_passphrase_header(data)
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except (pyrage.DecryptError, OSError, ValueError) as exc:
        if "Decryption failed" in str(exc) or "No matching" in str(exc):
            raise AgeError("age.wrong_passphrase") from exc
        raise _map_error(exc) from exc


def encrypt_small_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """Passphrase-encrypt a small file (ASCII-armored, so that it can be printed or pasted)."""
    return pyrage.passphrase.encrypt(data, passphrase, armored=True)


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError) as exc:
        raise UsageError("age.bad_recipient", recipient=text) from exc


def encrypt_stream(src: BinaryIO, dst: BinaryIO, recipients: Sequence[str]) -> None:
    """Encrypt ``src`` to ``dst`` for X25519 recipients (binary age format), streaming."""
    if not recipients:
        raise UsageError("age.no_recipient")
    parsed = [parse_recipient(r) for r in recipients]
    pyrage.encrypt_io(src, dst, parsed)
