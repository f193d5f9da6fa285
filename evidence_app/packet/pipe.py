"""A bounded in-memory byte pipe between two threads.

The ZIP writer pushes plaintext in; the age encryptor (pyrage ``encrypt_io``, which releases
the GIL while it encrypts) pulls it out in another thread. At most ``capacity`` bytes wait in
between, so memory stays flat whatever the packet size. Either side can abort the other:
the producer on error or cancel, the consumer when encryption or the disk fails.
"""

from __future__ import annotations

import io
import threading
from collections import deque


class PipeAborted(OSError):
    """The other side of the pipe gave up."""


class BoundedPipe:
    def __init__(self, capacity: int = 8 * 1024 * 1024) -> None:
        self._chunks: deque[memoryview] = deque()
        self._size = 0
        self._capacity = capacity
        self._closed = False
        self._error: BaseException | None = None
        self._cond = threading.Condition()

    # --- producer side -----------------------------------------------------------------------

    def write(self, data: bytes | bytearray | memoryview) -> int:
        chunk = memoryview(bytes(data))  # copy: the caller may reuse its buffer
        if not chunk:
            return 0
        with self._cond:
            while self._size >= self._capacity and self._error is None:
                self._cond.wait()
            if self._error is not None:
                raise PipeAborted("reader aborted") from self._error
            if self._closed:
                raise ValueError("write to a closed pipe")
            self._chunks.append(chunk)
            self._size += len(chunk)
            self._cond.notify_all()
        return len(chunk)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def abort(self, error: BaseException) -> None:
        with self._cond:
            if self._error is None:
                self._error = error
            self._chunks.clear()
            self._size = 0
            self._cond.notify_all()

    def flush(self) -> None:
        """zipfile calls flush(); nothing is buffered on this side."""

    # --- consumer side -----------------------------------------------------------------------

    def take(self) -> memoryview | None:
        """The next whole chunk, or None at the end of the stream (one lock per chunk)."""
        with self._cond:
            while not self._chunks and not self._closed and self._error is None:
                self._cond.wait()
            if self._error is not None:
                raise PipeAborted("writer aborted") from self._error
            if not self._chunks:
                return None
            chunk = self._chunks.popleft()
            self._size -= len(chunk)
            self._cond.notify_all()
            return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:
        with self._cond:
            while not self._chunks and not self._closed and self._error is None:
                self._cond.wait()
            if self._error is not None:
                raise PipeAborted("writer aborted") from self._error
            if not self._chunks:
                return 0  # closed and drained: end of stream
            view = memoryview(buffer)
            filled = 0
            while self._chunks and filled < len(view):
                head = self._chunks[0]
                n = min(len(head), len(view) - filled)
                view[filled : filled + n] = head[:n]
                filled += n
                if n == len(head):
                    self._chunks.popleft()
                else:
                    self._chunks[0] = head[n:]  # a view: no copy of the rest
                self._size -= n
            self._cond.notify_all()
            return filled


class PipeReader(io.RawIOBase):
    """Read end. pyrage calls ``read(8192)`` for every 8 KiB, so ``read`` serves slices of
    the current chunk without taking the pipe's lock (the chunk is ours once taken)."""

    def __init__(self, pipe: BoundedPipe) -> None:
        self._pipe = pipe
        self._current = memoryview(b"")
        self._eof = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        if not self._current and not self._eof:
            chunk = self._pipe.take()
            if chunk is None:
                self._eof = True
            else:
                self._current = chunk
        return bool(self._current)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            parts = []
            while self._fill():
                parts.append(bytes(self._current))
                self._current = memoryview(b"")
            return b"".join(parts)
        if size == 0 or not self._fill():
            return b""
        data = bytes(self._current[:size])
        self._current = self._current[size:]
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._fill():
            return 0
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._current))
        view[:n] = self._current[:n]
        self._current = self._current[n:]
        return n


class PipeWriter(io.RawIOBase):
    """Write end without tell()/seek(): zipfile then writes data descriptors (streaming)."""

    def __init__(self, pipe: BoundedPipe) -> None:
        self._pipe = pipe
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._pipe.write(data)
        self.position += n
        return n

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        raise OSError("unseekable")

    def close(self) -> None:
        self._pipe.close()
        super().close()
