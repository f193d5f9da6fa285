"""Screenshots (PNG) to image pages, the compressed pixel data copied as it is.

A non-interlaced PNG without transparency is, in PDF terms, a Flate stream with the PNG
predictor: its IDAT chunks joined are the image XObject's data, unchanged (this is what
img2pdf embeds too). img2pdf reads each file whole, joins the chunks and builds every object
in memory, copying the data five times over; here the IDAT data goes to a work PDF as it is
read, and memory does not grow with the images. Preflight does this while it reads and hashes
each original anyway (:mod:`blobcheck`), so a screenshot is read once. Everything else (JPEG,
PNG with alpha or transparency, interlaced, animated, palette with an ICC profile...) goes
through img2pdf (:mod:`images`).

A work PDF holds one page per image, the image named ``/Im0``; the builder sets each page's
size and placement (:func:`images.lay_out_image_page`) once the pages are merged.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOURS = {0: 1, 2: 3, 3: 1}  # PNG colour type -> samples per pixel (grey, RGB, palette)
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8)}  # allowed by the PNG standard
MAX_KEPT_CHUNK = 4 * 1024 * 1024  # a palette or ICC profile larger than this: not direct


@dataclass(frozen=True)
class PageRef:
    """Page ``index`` (0-based) of the PDF file ``path``."""

    path: Path
    index: int


@dataclass(frozen=True)
class PngInfo:
    width: int
    height: int
    depth: int
    colour_type: int
    palette: bytes
    icc: bytes  # the iCCP chunk's zlib stream (a valid FlateDecode stream), or b""


def png_info(ihdr: bytes, before_idat: dict[bytes, bytes]) -> PngInfo | None:
    """Whether a PNG can be embedded as it is, from its IHDR data and the chunks before its
    first IDAT (type -> data; only PLTE and iCCP data are needed): the facts for its image
    XObject, or None (interlaced; alpha or tRNS transparency; animated; palette with an ICC
    profile; a depth the standard does not allow)."""
    if len(ihdr) != 13:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    if interlace or depth not in _DEPTHS.get(colour, ()) or not width or not height:
        return None
    if b"tRNS" in before_idat or b"acTL" in before_idat:
        return None
    palette = before_idat.get(b"PLTE", b"")
    icc = b""
    if b"iCCP" in before_idat:
        data = before_idat[b"iCCP"]
        name_end = data.find(b"\0")
        if name_end < 0 or data[name_end + 1 : name_end + 2] != b"\0":
            return None  # compression method 0 (zlib) is the only one defined
        icc = data[name_end + 2 :]
    if colour == 3 and (not palette or len(palette) % 3 or icc):
        return None  # a PDF indexed colour space cannot carry an ICC profile
    return PngInfo(width, height, depth, colour, palette, icc)


def direct_png(path: Path) -> PngInfo | None:
    """:func:`png_info` of the file ``path`` (None if it is not a PNG)."""
    with open(path, "rb") as fh:
        if fh.read(8) != PNG_SIGNATURE:
            return None
        head = _chunk_header(fh)
        if head is None or head[1] != b"IHDR":
            return None
        ihdr = fh.read(head[0])
        fh.seek(4, 1)
        before: dict[bytes, bytes] = {}
        while (head := _chunk_header(fh)) is not None:
            length, kind = head
            if kind == b"IDAT":
                return png_info(ihdr, before)
            if kind in (b"PLTE", b"iCCP") and length <= MAX_KEPT_CHUNK:
                before[kind] = fh.read(length)
                fh.seek(4, 1)
            else:
                before[kind] = b""
                fh.seek(length + 4, 1)
    return None  # no image data


def _chunk_header(fh: BinaryIO) -> tuple[int, bytes] | None:
    data = fh.read(8)
    if len(data) < 8:
        return None
    length, kind = struct.unpack(">I4s", data)
    return length, kind


class PngPageWriter:
    """Writes a PDF of image pages to ``path``: per image :meth:`begin`, :meth:`data` (the
    IDAT data, in pieces), :meth:`end`; or :meth:`add` for a PNG file. :meth:`close` writes
    the page tree and cross-reference table. One thread at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Unbuffered: the image data goes straight to the file descriptor.
        self._fh = open(path, "wb", buffering=0)  # closed by close()
        self._offsets: list[int] = [0, 0]  # of objects 1.. (1: page tree, 2: catalog; last)
        self._pages: list[int] = []  # object numbers of the pages
        self._image = 0  # object number of the image being written, 0 when none
        self._written = 0
        self._size = (0, 0)
        self._put(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _put(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fh.fileno(), view) :]

    def _begin_object(self) -> int:
        self._offsets.append(self._fh.tell())
        number = len(self._offsets)
        self._put(b"%d 0 obj\n" % number)
        return number

    def _object(self, body: bytes) -> int:
        number = self._begin_object()
        self._put(body + b"\nendobj\n")
        return number

    def begin(self, info: PngInfo) -> None:
        colours = _COLOURS[info.colour_type]
        if info.colour_type == 3:
            hival = len(info.palette) // 3 - 1
            space = b"[/Indexed /DeviceRGB %d <%s>]" % (hival, info.palette.hex().encode())
        elif info.icc:
            icc = self._object(
                b"<< /N %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                % (colours, len(info.icc), info.icc)
            )
            space = b"[/ICCBased %d 0 R]" % icc
        else:
            space = b"/DeviceGray" if colours == 1 else b"/DeviceRGB"
        self._image = self._begin_object()
        length = self._image + 1  # written right after the stream, once known
        self._put(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s"
            b" /BitsPerComponent %d /Filter /FlateDecode /DecodeParms << /Predictor 15"
            b" /Colors %d /BitsPerComponent %d /Columns %d >> /Length %d 0 R >>\nstream\n"
            % (info.width, info.height, space, info.depth, colours, info.depth, info.width, length)
        )
        self._written = 0
        self._size = (info.width, info.height)

    def data(self, piece: bytes | memoryview) -> None:
        self._put(piece)
        self._written += len(piece)

    def end(self) -> int:
        """Finish the image begun; returns its page's 0-based index in this file."""
        self._put(b"\nendstream\nendobj\n")
        self._object(b"%d" % self._written)
        page = self._object(
            b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 %d %d]"
            b" /Resources << /XObject << /Im0 %d 0 R >> >> >>" % (*self._size, self._image)
        )
        self._image = 0
        self._pages.append(page)
        return len(self._pages) - 1

    def add(self, png: Path, info: PngInfo) -> int:
        """Append a page showing the PNG file ``png``; returns its 0-based index."""
        self.begin(info)
        with open(png, "rb") as fh:
            offset = 8
            while True:
                fh.seek(offset)
                head = fh.read(8)
                if len(head) < 8:
                    break
                length, kind = struct.unpack(">I4s", head)
                if kind == b"IEND":
                    break
                if kind == b"IDAT":
                    left = length
                    while left:
                        piece = fh.read(min(left, 1 << 20))
                        if not piece:
                            raise ValueError("truncated PNG file")
                        self.data(piece)
                        left -= len(piece)
                offset += 12 + length
        return self.end()

    def close(self) -> None:
        if self._fh.closed:
            return
        if self._image:
            self.end()  # an image cut short by an error: keep the file well-formed
        kids = b" ".join(b"%d 0 R" % n for n in self._pages)
        self._offsets[0] = self._fh.tell()
        self._put(
            b"1 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (kids, len(self._pages))
        )
        self._offsets[1] = self._fh.tell()
        self._put(b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n")
        xref = self._fh.tell()
        count = len(self._offsets) + 1
        self._put(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        self._put(b"".join(b"%010d 00000 n \n" % offset for offset in self._offsets))
        self._put(b"trailer\n<< /Size %d /Root 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))
        self._fh.close()
