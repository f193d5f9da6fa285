"""Image exhibits: embedded as they are stored, placed upright by a matrix.

Opaque, non-interlaced PNGs (screenshots) have their IDAT data copied into a work PDF as it
is (:mod:`pngpages`). img2pdf copies a JPEG's DCT stream (and a PNG's IDAT stream) into the
PDF without decoding (``rotation=none`` also stops it decoding every PNG to look for EXIF).
Images neither can take as they are (WebP, GIF, TIFF, palette with transparency, ...) are
decoded once with Pillow and written as lossless PNG. img2pdf converts in batches to work
files; qpdf later streams the image data from those files instead of holding it.
"""

from __future__ import annotations

import gc
import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageOps

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.geometry import fmt_matrix, image_matrix
from evidence_app.exporters.pdf.pngpages import PageRef, PngPageWriter, direct_png
from evidence_app.exporters.pdf.preflight import IMAGE_FORMATS, MAX_IMAGE_PIXELS
from evidence_app.model import EvidenceItem

__all__ = ["ImageEmbedder", "ImageJob", "PageRef", "lay_out_image_page", "to_png"]

BATCH_IMAGES = 48
BATCH_BYTES = 16 * 1024 * 1024  # img2pdf holds a batch's images in memory


@dataclass
class ImageJob:
    item: EvidenceItem
    path: Path  # what to embed: the original, a lossless conversion or a redacted copy
    orientation: int  # EXIF orientation still to apply when placing


def to_png(item: EvidenceItem, source: Path, dest: Path) -> Path:
    """Decode an image img2pdf cannot embed directly and write it upright as a PNG."""
    old = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        with Image.open(source, formats=IMAGE_FORMATS) as im:
            im.seek(0)
            frame = ImageOps.exif_transpose(im) or im
            frame = normalise_mode(frame)
            frame.save(dest, format="PNG")
    except Exception as exc:
        raise ExhibitRefused("pdf.preflight.image_unreadable", item, detail=short(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old
    return dest


def normalise_mode(im: Image.Image) -> Image.Image:
    """A mode a PDF can show: 1/L/RGB, with alpha kept as RGBA/LA (img2pdf makes an SMask)."""
    if im.mode in ("1", "L", "RGB", "RGBA", "LA"):
        return im
    if im.mode == "P":
        return im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("PA", "RGBa", "La"):
        return im.convert("RGBA")
    if im.mode.startswith("I") or im.mode == "F":
        return im.convert("L")
    return im.convert("RGB")


class ImageEmbedder:
    """Turns images into single-image pages in PDF files of the work folder: :meth:`add`
    them as they come, then :meth:`finish`. PNGs that can be embedded as they are go to one
    file written by :class:`PngPageWriter` (streamed, nothing held); the rest go to img2pdf
    in batches (a full batch is converted at once)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._count = 0
        self._pages: list[PageRef | None] = []  # None: in the pending img2pdf batch
        self._batch: list[ImageJob] = []
        self._size = 0
        self._png: PngPageWriter | None = None

    def add(self, job: ImageJob) -> int:
        """Queue ``job``; returns its slot in the list :meth:`finish` returns."""
        info = direct_png(job.path)
        if info is not None:
            if self._png is None:
                self._png = PngPageWriter(self.workdir / "png-pages.pdf")
            try:
                index = self._png.add(job.path, info)
            except (OSError, ValueError, struct.error) as exc:
                raise ExhibitRefused(
                    "pdf.preflight.image_unreadable", job.item, detail=short(exc)
                ) from exc
            self._pages.append(PageRef(self._png.path, index))
            return len(self._pages) - 1
        self._pages.append(None)
        slot = len(self._pages) - 1
        self._batch.append(job)
        self._size += job.path.stat().st_size
        if len(self._batch) >= BATCH_IMAGES or self._size >= BATCH_BYTES:
            self._flush()
        return slot

    def finish(self) -> list[PageRef]:
        """One single-image page per job added, in the order added."""
        self._flush()
        if self._png is not None:
            self._png.close()
        pages = [p for p in self._pages if p is not None]
        assert len(pages) == len(self._pages)
        return pages

    def close(self) -> None:
        """Release the files (after an error: :meth:`finish` was not reached)."""
        if self._png is not None:
            self._png.close()

    def _flush(self) -> None:
        if self._batch:
            refs = iter(self._run(self._batch))
            self._pages = [p if p is not None else next(refs) for p in self._pages]
        self._batch, self._size = [], 0

    def _run(self, batch: list[ImageJob]) -> list[PageRef]:
        self._count += 1
        out = self.workdir / f"images-{self._count:05d}.pdf"
        logger = logging.getLogger("img2pdf")
        level = logger.level
        logger.setLevel(logging.ERROR)  # it logs every SMask it computes as a warning
        try:
            with open(out, "wb") as fh:
                img2pdf.convert(
                    [str(j.path) for j in batch],
                    outputstream=fh,
                    rotation=img2pdf.Rotation.none,
                    engine=img2pdf.Engine.internal,
                )
        except Exception as exc:
            out.unlink(missing_ok=True)
            if len(batch) == 1:
                raise ExhibitRefused(
                    "pdf.preflight.image_unreadable", batch[0].item, detail=short(exc)
                ) from exc
            # Find the one that fails, so that the error names it.
            pages: list[PageRef] = []
            for job in batch:
                pages += self._run([job])
            return pages
        finally:
            logger.setLevel(level)
            # img2pdf's objects form reference cycles that hold the batch's image bytes until
            # the cyclic collector runs: collect now, or memory grows with every batch. They
            # are young: the two young generations suffice, and a full collection (over every
            # object of the process) would cost ten times more.
            gc.collect(1)
        return [PageRef(out, i) for i in range(len(batch))]


def lay_out_image_page(
    out: pikepdf.Pdf,
    page: pikepdf.Page,
    page_size: tuple[float, float],
    rect: tuple[float, float, float, float],
    orientation: int,
) -> pikepdf.Page:
    """Turn img2pdf's page into ours: ``page_size``, the image in ``rect``, upright."""
    xobjects = page.obj.Resources.XObject
    name = next(iter(xobjects.keys()))
    page.obj.MediaBox = pikepdf.Array([0, 0, page_size[0], page_size[1]])
    for key in ("/CropBox", "/TrimBox", "/ArtBox", "/BleedBox", "/Rotate"):
        if key in page.obj:
            del page.obj[key]
    content = b"q " + fmt_matrix(image_matrix(orientation, rect)) + f" {name} Do Q\n".encode()
    page.obj.Contents = pikepdf.Stream(out, content)
    return page
