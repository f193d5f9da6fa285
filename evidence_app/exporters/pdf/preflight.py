"""Preflight: check every exhibit before a single byte of the bundle is written.

Each exhibit's original must exist and still hash to its recorded SHA-256 (the index prints
that hash). Images must open under the same limits as intake; PDFs must open without a
password, without qpdf having to reconstruct a damaged structure, and without permissions that
forbid printing or re-assembling pages. The first problem stops the export with an
:class:`ExhibitRefused` naming the exhibit. The result is a plan the builder follows.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.jobs import NEVER_CANCELLED, CancelToken
from evidence_app.model import Case, EvidenceItem
from evidence_app.store.blobs import BlobStore, sha256_file

MAX_IMAGE_PIXELS = 150_000_000  # the intake limit
# Formats Pillow may open for us; the rest are not images to us (placeholder page).
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "TIFF", "BMP", "ICO", "AVIF", "JPEG2000")
# What img2pdf embeds as it is (JPEG: the DCT stream; PNG: the IDAT stream). Anything else is
# decoded once and written as a lossless PNG first.
_DIRECT = {
    "JPEG": {"L", "RGB", "CMYK"},
    "PNG": {"1", "L", "LA", "RGB", "RGBA", "I;16", "I"},
}
# qpdf warnings that mean it had to guess the file's structure: what we would merge might not
# be what the author's viewer showed.
_DAMAGE_MARKERS = ("file is damaged", "reconstruct", "xref not found", "recover stream length")


@dataclass
class ExhibitPlan:
    item: EvidenceItem
    mode: str  # "image" | "pdf" | "placeholder"
    path: Path  # the stored original (never modified)
    page_count: int = 1
    orientation: int = 1  # EXIF orientation to apply when placing an image
    pixel_size: tuple[int, int] = (0, 0)  # stored (not rotated) size of an image
    direct: bool = False  # image embeddable by img2pdf without decoding
    image_format: str = ""


def plan_exhibits(
    case: Case, blobs: BlobStore, cancel: CancelToken = NEVER_CANCELLED
) -> list[ExhibitPlan]:
    plans: list[ExhibitPlan] = []
    for item in sorted(case.evidence, key=lambda e: e.number):
        cancel.raise_if_cancelled()
        path = _checked_blob(item, blobs, cancel)
        for redaction in item.redactions:
            if redaction.validate("r"):
                raise ExhibitRefused("pdf.preflight.redaction_invalid", item)
        if item.is_pdf:
            plans.append(_plan_pdf(item, path))
        elif item.is_image:
            plans.append(_plan_image(item, path))
        else:
            plans.append(ExhibitPlan(item, "placeholder", path))
    return plans


def _checked_blob(item: EvidenceItem, blobs: BlobStore, cancel: CancelToken) -> Path:
    try:
        path = blobs.path_for(item.sha256)
    except ValueError as exc:
        raise ExhibitRefused("pdf.preflight.blob_missing", item, sha256=item.sha256) from exc
    if not path.is_file():
        raise ExhibitRefused("pdf.preflight.blob_missing", item, sha256=item.sha256)
    if sha256_file(path, cancel) != item.sha256:
        raise ExhibitRefused("pdf.preflight.blob_mismatch", item, sha256=item.sha256)
    return path


def _plan_image(item: EvidenceItem, path: Path) -> ExhibitPlan:
    if any(r.page != 0 for r in item.redactions):
        raise ExhibitRefused("pdf.preflight.redaction_invalid", item)
    old_limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=IMAGE_FORMATS) as im:
                fmt = im.format or ""
                size = im.size
                mode = im.mode
                frames = getattr(im, "n_frames", 1)
                orientation = _orientation(im, item)
                has_transparency = "transparency" in im.info
                if fmt == "PNG":
                    im.verify()  # chunk CRCs through to IEND: catches truncation, no decoding
            if fmt == "JPEG" and not _jpeg_ends(path):
                raise ValueError("truncated JPEG (no end-of-image marker)")
    except Exception as exc:  # Pillow signals bad files with many exception types
        raise ExhibitRefused("pdf.preflight.image_unreadable", item, detail=short(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    if size[0] <= 0 or size[1] <= 0 or size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise ExhibitRefused("pdf.preflight.image_unreadable", item, detail=f"{size}")
    direct = (
        mode in _DIRECT.get(fmt, set())
        and frames == 1
        and not has_transparency
        and not item.redactions
    )
    return ExhibitPlan(
        item,
        "image",
        path,
        orientation=orientation,
        pixel_size=size,
        direct=direct,
        image_format=fmt,
    )


def _jpeg_ends(path: Path) -> bool:
    """A whole JPEG ends with the EOI marker (some writers pad a little after it)."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 1024))
        return b"\xff\xd9" in fh.read()


def _orientation(im: Image.Image, item: EvidenceItem) -> int:
    """EXIF orientation. JPEG headers are read here (cheap); for PNG, Pillow would decode the
    whole image to find a late eXIf chunk, so the value recorded at intake is used."""
    value: object = item.metadata.get("orientation", 1)
    if im.format in ("JPEG", "MPO"):
        try:
            value = im.getexif().get(0x0112, 1)
        except Exception:
            value = 1  # a broken EXIF block: show the pixels as stored
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _plan_pdf(item: EvidenceItem, path: Path) -> ExhibitPlan:
    try:
        with pikepdf.open(path) as pdf:
            damage = [w for w in pdf.get_warnings() if any(m in w for m in _DAMAGE_MARKERS)]
            if damage:
                raise ExhibitRefused("pdf.preflight.pdf_damaged", item, detail=short(damage[0]))
            if pdf.is_encrypted:
                allow = pdf.allow
                if not (allow.print_lowres and allow.modify_assembly):
                    raise ExhibitRefused("pdf.preflight.pdf_restricted", item)
            count = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise ExhibitRefused("pdf.preflight.pdf_encrypted", item) from exc
    except ExhibitRefused:
        raise
    except Exception as exc:  # qpdf raises PdfError, but a hostile file may find others
        raise ExhibitRefused("pdf.preflight.pdf_unreadable", item, detail=short(exc)) from exc
    if count == 0:
        raise ExhibitRefused("pdf.preflight.pdf_no_pages", item)
    if any(r.page >= count for r in item.redactions):
        raise ExhibitRefused("pdf.preflight.redaction_invalid", item)
    return ExhibitPlan(item, "pdf", path, page_count=count)
