"""A bounded in-memory byte pipe between two threads.

The ZIP writer pushes plaintext in; the age encryptor (ChaCha20-Poly1305, which releases the
GIL while it encrypts) pulls it out in another thread. At most ``capacity`` bytes wait in
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
        # bytes are immutable: keep them; copy anything else (the caller may reuse it)
        self.put(data if isinstance(data, bytes) else bytes(data))
        return len(data)

    def put(self, data: bytes | bytearray) -> None:
        """Hand over ``data`` without copying: the caller must not change it afterwards."""
        chunk = memoryview(data).cast("B")
        if not chunk:
            return
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


class Channel:
    """A bounded queue of ``(kind, value)`` items between two threads, bounded by the bytes
    the items hold (``size`` given at ``put``), abortable from either side like the pipe."""

    def __init__(self, capacity: int = 16 * 1024 * 1024) -> None:
        self._items: deque[tuple[str, object, int]] = deque()
        self._size = 0
        self._capacity = capacity
        self._error: BaseException | None = None
        self._cond = threading.Condition()

    def put(self, kind: str, value: object = None, size: int = 0) -> None:
        with self._cond:
            while self._size >= self._capacity and self._error is None:
                self._cond.wait()
            if self._error is not None:
                raise PipeAborted("consumer aborted") from self._error
            self._items.append((kind, value, size))
            self._size += size
            self._cond.notify_all()

    def get(self) -> tuple[str, object]:
        with self._cond:
            while not self._items:
                self._cond.wait()
            kind, value, size = self._items.popleft()
            self._size -= size
            self._cond.notify_all()
            return kind, value

    def abort(self, error: BaseException) -> None:
        """The consumer gives up: producers blocked or putting later get PipeAborted."""
        with self._cond:
            if self._error is None:
                self._error = error
            self._items.clear()
            self._size = 0
            self._cond.notify_all()
