"""Reading exhibits' originals on worker threads while preflight looks at them.

Each original is read once, in 1 MiB chunks: it is re-hashed and, for a PNG, every chunk's
CRC is checked through IEND (what Pillow's ``verify()`` does, without another read of the
file). When the builder asks for it, a PNG that can be embedded as it is (:mod:`pngpages`) is
also written, in the same pass, as an image page of a work PDF (one per worker thread).
Reading, hashing, CRC-32 and writing release the GIL, so this runs beside the main thread's
work. Results are awaited in exhibit order, so the first problem reported is still the first
exhibit's.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from evidence_app.exporters.pdf.pngpages import (
    MAX_KEPT_CHUNK,
    PNG_SIGNATURE,
    PageRef,
    PngPageWriter,
    png_info,
)
from evidence_app.jobs import CancelToken

CHUNK = 1024 * 1024
_CHUNK_TYPE = re.compile(rb"\w\w\w\w")  # what Pillow accepts as a chunk type


@dataclass
class BlobCheck:
    sha256: str | None  # None: not hashed (stopped or cancelled before the end)
    is_png: bool = False
    png_problem: str | None = None  # why the PNG's chunks are broken, if they are
    page: PageRef | None = None  # the PNG as an image page, when asked for and possible
    error: OSError | None = None  # the file could not be read


class PngChunks:
    """Checks a PNG's chunk structure as its bytes stream past: every chunk has a valid type
    and CRC, and IEND comes before the data ends. Bytes after IEND are ignored (as Pillow
    does). A stream that does not start with the PNG signature is not looked at.

    With ``writer`` (called when first needed), a PNG that can be embedded as it is becomes
    a page of that writer's PDF as it streams past; :attr:`page` is its index once IEND has
    been checked."""

    def __init__(self, writer: Callable[[], PngPageWriter] | None = None) -> None:
        self.is_png = False
        self.problem: str | None = None
        self.page: int | None = None
        self.writer: PngPageWriter | None = None
        self._get_writer = writer
        self._pending = bytearray()  # an incomplete header or CRC
        self._state = "signature"
        self._type = b""
        self._left = 0  # data bytes of the current chunk still to come
        self._crc = 0
        self._kept = bytearray()  # data of a chunk needed to decide (IHDR, PLTE, iCCP)
        self._keep = False
        self._ihdr = b""
        self._before: dict[bytes, bytes] | None = {}  # chunks before IDAT; None after
        self._writing = False

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        while view and self._state not in ("done", "ignored", "broken"):
            if self._state == "data":
                n = min(self._left, len(view))
                piece = view[:n]
                self._crc = zlib.crc32(piece, self._crc)
                if self._writing and self._type == b"IDAT":
                    self._write(piece)
                elif self._keep:
                    self._kept += piece
                self._left -= n
                view = view[n:]
                if self._left == 0:
                    self._state = "crc"
                continue
            want = 4 if self._state == "crc" else 8
            n = min(want - len(self._pending), len(view))
            self._pending += view[:n]
            view = view[n:]
            if len(self._pending) == want:
                field = bytes(self._pending)
                self._pending.clear()
                self._take(field)

    def _take(self, field: bytes) -> None:
        if self._state == "signature":
            self.is_png = field == PNG_SIGNATURE
            self._state = "header" if self.is_png else "ignored"
        elif self._state == "header":
            length, self._type = struct.unpack(">I", field[:4])[0], field[4:]
            if not _CHUNK_TYPE.match(self._type):
                self._fail(f"broken PNG file (chunk {self._type!r})")
                return
            self._crc = zlib.crc32(self._type)
            self._left = length
            self._state = "data" if length else "crc"
            if self._type == b"IDAT" and self._before is not None:
                self._start_image()
            self._keep = (
                self._before is not None
                and self._type in (b"IHDR", b"PLTE", b"iCCP")
                and length <= MAX_KEPT_CHUNK
            )
            self._kept.clear()
        elif self._state == "crc":
            if struct.unpack(">I", field)[0] != self._crc:
                self._fail(f"broken PNG file (bad checksum in {self._type!r})")
                return
            if self._before is not None:
                if self._type == b"IHDR":
                    self._ihdr = bytes(self._kept)
                else:
                    self._before[self._type] = bytes(self._kept) if self._keep else b""
            if self._type == b"IEND":
                self._state = "done"
                if self._writing and self.writer is not None:
                    self.page = self.writer.end()
                    self._writing = False
            else:
                self._state = "header"

    def _start_image(self) -> None:
        before, self._before = self._before, None
        if self._get_writer is None or before is None:
            return
        info = png_info(self._ihdr, before)
        if info is None:
            return
        self.writer = self._get_writer()
        self.writer.begin(info)
        self._writing = True

    def _write(self, piece: memoryview) -> None:
        assert self.writer is not None
        try:
            self.writer.data(piece)
        except OSError:
            self._stop_writing()
            raise

    def _stop_writing(self) -> None:
        """The page begun will not be used; end it so that the work file stays sound."""
        if self._writing and self.writer is not None:
            self._writing = False
            self.writer.end()

    def _fail(self, problem: str) -> None:
        self.problem = problem
        self._state = "broken"
        self._stop_writing()

    def finish(self) -> None:
        """The stream has ended."""
        if self.is_png and self._state not in ("done", "broken"):
            self._fail("truncated PNG file (no IEND chunk)")

    def abandon(self) -> None:
        """Reading stopped early (cancelled)."""
        self._stop_writing()


class BlobChecker:
    """:class:`BlobCheck` of files, computed in the background in submission order. With a
    ``workdir``, PNGs submitted with ``embed=True`` also become image pages there."""

    def __init__(
        self, cancel: CancelToken, workdir: Path | None = None, workers: int | None = None
    ) -> None:
        self._cancel = cancel
        self._workdir = workdir
        self._stop = threading.Event()
        self._local = threading.local()
        self._writers: list[PngPageWriter] = []
        self._lock = threading.Lock()
        count = workers or min(2, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="preflight-read")

    def submit(self, path: Path, *, embed: bool = False) -> Future[BlobCheck]:
        """Read ``path``: hash it, check its chunks if it is a PNG, and with ``embed`` (and a
        work folder) write it as an image page if it can be embedded as it is."""
        return self._pool.submit(self._check, path, embed and self._workdir is not None)

    def _writer(self) -> PngPageWriter:
        """This thread's work PDF (a writer is used by one thread only)."""
        writer: PngPageWriter | None = getattr(self._local, "writer", None)
        if writer is None:
            assert self._workdir is not None
            with self._lock:
                path = self._workdir / f"png-pages-{len(self._writers) + 1}.pdf"
                writer = PngPageWriter(path)
                self._writers.append(writer)
            self._local.writer = writer
        return writer

    def _check(self, path: Path, embed: bool) -> BlobCheck:
        digest = hashlib.sha256()
        png = PngChunks(self._writer if embed else None)
        try:
            fh = open(path, "rb")  # closed below: only opening and reading are guarded
        except OSError as exc:
            return BlobCheck(None, error=exc)
        with fh:
            while True:
                try:
                    chunk = fh.read(CHUNK)
                except OSError as exc:
                    png.abandon()
                    return BlobCheck(None, error=exc)
                if not chunk:
                    break
                if self._stop.is_set() or self._cancel.cancelled:
                    png.abandon()
                    return BlobCheck(None)
                digest.update(chunk)
                png.feed(chunk)  # an error writing the work PDF is raised as it is
        png.finish()
        page = None
        if png.writer is not None and png.page is not None:
            page = PageRef(png.writer.path, png.page)
        return BlobCheck(digest.hexdigest(), png.is_png, png.problem, page)

    def close(self) -> None:
        """Stop: running reads end at their next chunk, queued ones never start; the work
        PDFs are completed (their pages can be used once this returns)."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for writer in self._writers:
            writer.close()

    def __enter__(self) -> BlobChecker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
