"""The age v1 payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks (age-encryption.org/v1).

Key: HKDF-SHA-256(file key, salt = the 16-byte payload nonce, info "payload"). Chunk i is
sealed with the 12-byte nonce ``i`` (11 bytes, big-endian) ‖ ``0x01`` on the last chunk,
``0x00`` otherwise. Every chunk holds 64 KiB of plaintext except the last, which may be
shorter, and is empty only when the whole payload is.

Measured here (1 GiB, same machine, one core): cryptography's ChaCha20-Poly1305 seals or opens
64 KiB chunks at ~3.2 GiB/s with the GIL released, while pyrage's ``encrypt_io`` /
``decrypt_io`` through Python file objects ran at 677 / 531 MiB/s from memory (391 MiB/s from
files) holding the GIL. The payload is therefore ours; each call handles at most one batch
(1 MiB), so no call keeps the GIL long (the UI runs this in a worker thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from evidence_app.errors import VerificationFailed

CHUNK = 64 * 1024
TAG = 16
SEALED = CHUNK + TAG
NONCE_SIZE = 16
BATCH = 16  # chunks per read/decrypt batch: 1 MiB of plaintext


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=nonce, info=b"payload").derive(file_key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _payload_error(detail: str) -> VerificationFailed:
    return VerificationFailed("age.payload", detail=detail)


class PayloadWriter:
    """Seal plaintext fed in any pieces; sealed bytes go to ``sink`` in batches.

    A full chunk is sealed as "not last" only once a byte beyond it has arrived, so that
    ``finish`` can seal the true last chunk (full, short, or empty for an empty payload).
    """

    def __init__(self, key: bytes, sink: Callable[[bytes | bytearray], object]) -> None:
        self._aead = ChaCha20Poly1305(key)
        self._sink = sink
        self._pending = bytearray()  # less than or exactly one chunk, not sealed yet
        self._counter = 0
        self._finished = False

    def _seal_batch(self, views: list[memoryview], last: bool) -> None:
        out = bytearray(sum(len(v) for v in views) + TAG * len(views))
        pos = 0
        for i, view in enumerate(views):
            end = pos + len(view) + TAG
            is_last = last and i == len(views) - 1
            self._aead.encrypt_into(
                _nonce(self._counter, is_last), view, None, memoryview(out)[pos:end]
            )
            self._counter += 1
            pos = end
        self._sink(out)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._pending:
            if len(self._pending) == CHUNK:
                if not view:
                    return 0
                self._seal_batch([memoryview(bytes(self._pending))], last=False)
                self._pending.clear()
            else:
                take = min(CHUNK - len(self._pending), len(view))
                self._pending += view[:take]
                view = view[take:]
                if not view:
                    return size
                self._seal_batch([memoryview(bytes(self._pending))], last=False)
                self._pending.clear()
        # seal whole chunks straight from ``view``, keeping back the final (partial or full)
        # one: only finish() knows whether it is the last
        full = (len(view) - 1) // CHUNK if view else 0
        for start in range(0, full, BATCH):
            stop = min(full, start + BATCH)
            self._seal_batch(
                [view[i * CHUNK : (i + 1) * CHUNK] for i in range(start, stop)], last=False
            )
        self._pending += view[full * CHUNK :]
        return size

    def finish(self) -> None:
        if not self._finished:
            self._finished = True
            self._seal_batch([memoryview(bytes(self._pending))], last=True)
            self._pending.clear()


def _read_full(src: BinaryIO, size: int) -> bytes:
    parts = []
    want = size
    while want:
        data = src.read(want)
        if not data:
            break
        parts.append(data)
        want -= len(data)
    return b"".join(parts)


def _fill(src: BinaryIO, buf: bytearray, start: int) -> int:
    """Read into ``buf[start:]`` until it is full or ``src`` ends; returns the end."""
    view = memoryview(buf)
    end = start
    try:
        while end < len(buf):
            n = src.readinto(view[end:])  # type: ignore[attr-defined]
            if not n:
                break
            end += n
    finally:
        view.release()
    return end


def decrypt_blocks(
    src: BinaryIO, file_key: bytes, should_stop: Callable[[], None] = lambda: None
) -> Iterator[bytearray]:
    """Yield the plaintext of the payload that follows the header in ``src``, about 1 MiB at
    a time (``src`` needs ``readinto``). Every block yielded is authenticated; an error
    (damage, truncation, trailing data, an empty last chunk) is raised after the blocks
    before it. ``should_stop`` is called between batches and may raise (cancel)."""
    nonce = _read_full(src, NONCE_SIZE)
    if len(nonce) != NONCE_SIZE:
        raise _payload_error("missing or short payload nonce")
    aead = ChaCha20Poly1305(payload_key(file_key, nonce))
    counter = 0
    buf = bytearray(SEALED * BATCH + 1)  # one byte more than a batch: is there more after?
    filled = _fill(src, buf, 0)
    while True:
        should_stop()
        at_end = filled < len(buf)
        if not at_end:
            sizes = [SEALED] * BATCH
        elif filled == 0:
            raise _payload_error("no chunks" if counter == 0 else "truncated")
        else:
            sizes = [min(SEALED, filled - i) for i in range(0, filled, SEALED)]
        if sizes[-1] < TAG:
            raise _payload_error("chunk shorter than its tag")
        out = bytearray(sum(sizes) - TAG * len(sizes))
        view, out_view = memoryview(buf), memoryview(out)
        pos = out_pos = 0
        try:
            for i, size in enumerate(sizes):
                last = at_end and i == len(sizes) - 1
                if last and size == TAG and counter > 0:
                    raise _payload_error("empty last chunk")
                try:
                    aead.decrypt_into(
                        _nonce(counter, last),
                        view[pos : pos + size],
                        None,
                        out_view[out_pos : out_pos + size - TAG],
                    )
                except Exception as exc:  # InvalidTag; cryptography raises no finer type
                    raise _payload_error(f"chunk {counter} fails authentication") from exc
                counter += 1
                pos += size
                out_pos += size - TAG
        finally:
            view.release()
            out_view.release()
        yield out
        if at_end:
            return
        buf[: filled - pos] = buf[pos:filled]  # the byte read ahead
        filled = _fill(src, buf, filled - pos)
