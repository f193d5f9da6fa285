"""Preflight: check every exhibit before a single byte of the bundle is written.

Each exhibit's original must exist with its recorded size and still hash to its recorded
SHA-256 (the index prints that hash); with ``verify_blobs=False`` the originals of non-page
exhibits (videos, archives...) are only checked for existence and size, for callers that hash
every blob themselves anyway (the packet exporter). Hashing (and a PNG's chunk CRCs) run on
worker threads beside the checks below (:mod:`blobcheck`). Images must open under the same
limits as intake (PNG chunk CRCs must hold through IEND, JPEGs must end with EOI: truncation
is caught without decoding); PDFs
must open without a password, without qpdf having to reconstruct a damaged structure, and
without permissions that forbid printing or re-assembling pages. The first problem stops the
export with an :class:`ExhibitRefused` naming the exhibit. The result is a plan the builder
follows.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from evidence_app.exporters.ordering import bundle_order
from evidence_app.exporters.pdf.blobcheck import BlobCheck, BlobChecker
from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.pngpages import PageRef
from evidence_app.jobs import NEVER_CANCELLED, CancelToken
from evidence_app.model import Case, EvidenceItem
from evidence_app.store.blobs import BlobStore

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
    case: Case,
    blobs: BlobStore,
    cancel: CancelToken = NEVER_CANCELLED,
    *,
    verify_blobs: bool = True,
) -> list[ExhibitPlan]:
    """Every exhibit checked (structure and originals); the first problem raises."""
    with Preflight(case, blobs, cancel, verify_blobs=verify_blobs) as check:
        plans = list(check.plans())
        check.verify()
    return plans


class Preflight:
    """Preflight in two halves, so that the caller can work in between. :meth:`plans` checks
    each exhibit's structure (opening images and PDFs) while every original is read on worker
    threads (:mod:`blobcheck`); :meth:`verify` waits for those reads (hash, PNG chunks).
    Whichever raises, it raises the first problem in exhibit order: before an exhibit's own
    problem is raised, the reads of it and of every exhibit before it are checked (a changed
    original explains more than what the change broke). With ``workdir``, opaque PNGs become
    image pages there as they are read (:meth:`page`, once :meth:`verify` has passed)."""

    def __init__(
        self,
        case: Case,
        blobs: BlobStore,
        cancel: CancelToken = NEVER_CANCELLED,
        *,
        verify_blobs: bool = True,
        workdir: Path | None = None,
    ) -> None:
        self.blobs = blobs
        self.cancel = cancel
        self.items = bundle_order(case.evidence)  # by section, then number
        self._checker = BlobChecker(cancel, workdir)
        self._reads: dict[str, Future[BlobCheck]] = {}
        self._verified = 0  # items[:_verified] have passed verify()
        # Every read is queued at once, in exhibit order.
        for item in self.items:
            path = _blob_path(item, blobs)
            if path is not None and (verify_blobs or item.is_pdf or item.is_image):
                embed = item.is_image and not item.redactions
                self._reads[item.id] = self._checker.submit(path, embed=embed)

    def plans(self) -> Iterator[ExhibitPlan]:
        """Each exhibit's plan, in bundle order, once its structure has passed."""
        for item in self.items:
            self.cancel.raise_if_cancelled()
            try:
                path = _existing_blob(item, self.blobs)
                plan = _plan(item, path)
            except ExhibitRefused:
                self.verify(upto=item.number)
                raise
            yield plan

    def verify(self, upto: int | None = None) -> None:
        """Wait for the reads of every exhibit (up to the one numbered ``upto``, in bundle
        order) and raise the first problem they found."""
        for item in self.items[self._verified :]:
            read = self._reads.get(item.id)
            if read is not None:
                _check_read(item, read.result(), self.cancel)
            self._verified += 1
            if upto is not None and item.number == upto:
                return

    def page(self, plan: ExhibitPlan) -> PageRef | None:
        """The image page made from the exhibit's original while it was read, if any."""
        read = self._reads.get(plan.item.id)
        return read.result().page if read is not None and read.done() else None

    def close(self) -> None:
        """Stop the reading threads; the work PDFs with their pages are complete after this."""
        self._checker.close()

    def __enter__(self) -> Preflight:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _plan(item: EvidenceItem, path: Path) -> ExhibitPlan:
    for redaction in item.redactions:
        if redaction.validate("r"):
            raise ExhibitRefused("pdf.preflight.redaction_invalid", item)
    if item.is_pdf:
        return _plan_pdf(item, path)
    if item.is_image:
        return _plan_image(item, path)
    return ExhibitPlan(item, "placeholder", path)


def _blob_path(item: EvidenceItem, blobs: BlobStore) -> Path | None:
    try:
        return blobs.path_for(item.sha256)
    except ValueError:
        return None


def _existing_blob(item: EvidenceItem, blobs: BlobStore) -> Path:
    """The original's path; it must be a file of the recorded size."""
    path = _blob_path(item, blobs)
    if path is None or not path.is_file():
        raise ExhibitRefused("pdf.preflight.blob_missing", item, sha256=item.sha256)
    if path.stat().st_size != item.size:
        raise ExhibitRefused("pdf.preflight.blob_mismatch", item, sha256=item.sha256)
    return path


def _check_read(item: EvidenceItem, read: BlobCheck, cancel: CancelToken) -> None:
    cancel.raise_if_cancelled()
    if read.error is not None:
        raise ExhibitRefused("pdf.preflight.blob_missing", item, sha256=item.sha256)
    if read.sha256 != item.sha256:
        raise ExhibitRefused("pdf.preflight.blob_mismatch", item, sha256=item.sha256)
    if item.is_image and read.png_problem:
        # PNG chunk CRCs through IEND: catches truncation and damage without decoding.
        raise ExhibitRefused("pdf.preflight.image_unreadable", item, detail=read.png_problem)


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
