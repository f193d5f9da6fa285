"""Image exhibits: embedded by img2pdf as they are stored, placed upright by a matrix.

img2pdf copies a JPEG's DCT stream and a PNG's IDAT stream into the PDF without decoding
(``rotation=none`` also stops it decoding every PNG to look for EXIF). Images it cannot take
as they are (WebP, GIF, TIFF, palette with transparency, ...) are decoded once with Pillow and
written as lossless PNG. Pages are converted in batches to temporary files that stay open until
the bundle is written, so qpdf streams the image data from disk instead of holding it.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageOps

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.geometry import fmt_matrix, image_matrix
from evidence_app.exporters.pdf.preflight import IMAGE_FORMATS, MAX_IMAGE_PIXELS
from evidence_app.model import EvidenceItem

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


@dataclass(frozen=True)
class PageRef:
    """Page ``index`` (0-based) of the PDF file ``path``."""

    path: Path
    index: int


class ImageEmbedder:
    """Runs img2pdf over batches of images into PDF files in the work folder."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._count = 0

    def convert(self, jobs: list[ImageJob]) -> list[PageRef]:
        """One single-image page per job (in the batch files), in order."""
        pages: list[PageRef] = []
        batch: list[ImageJob] = []
        size = 0
        for job in jobs:
            batch.append(job)
            size += job.path.stat().st_size
            if len(batch) >= BATCH_IMAGES or size >= BATCH_BYTES:
                pages += self._run(batch)
                batch, size = [], 0
        if batch:
            pages += self._run(batch)
        return pages

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
            # the cyclic collector runs: collect now, or memory grows with every batch.
            gc.collect()
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
