"""Read what a file is and what it says about itself, without trusting its name.

``sniff_media_type`` looks at the first bytes; ``inspect_file`` opens images with Pillow and
PDFs with pypdf under strict limits, returning metadata (size, EXIF time and orientation, page
count, document info, encryption, signature fields) or raising :class:`IntakeRefused` with a
reason the user can act on. Hostile files (truncated, decompression bombs, fuzzer crashes,
password-protected PDFs) end here with a clear message; nothing has been stored yet.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from evidence_app.errors import IntakeRefused
from evidence_app.intake_formats import mail, video_probe, webarchive

# Formats Pillow may decode for us. Others (PSD, EPS via Ghostscript, ...) are stored as plain
# files: EPS in particular would run an external interpreter.
_SAFE_IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "TIFF", "BMP", "ICO", "AVIF", "JPEG2000")
_IMAGE_MEDIA_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
    "image/avif",
    "image/jp2",
    "image/jpx",
}
THUMBNAIL_SIZE = (256, 256)


@dataclass(frozen=True)
class IntakeLimits:
    """Bounds that keep a hostile or mistaken file from exhausting the machine."""

    max_file_size: int = 4 * 1024**3  # 4 GiB per file
    max_image_pixels: int = 150_000_000  # ~12k x 12k; Pillow's bomb check uses this
    max_pdf_pages: int = 20_000


def safe_display_name(raw: bytes | str, max_len: int = 120) -> str:
    """A file name fit to show and to store: decoded leniently, control and bidi-override
    characters removed, length bounded (the extension kept)."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    # Undecodable bytes arrive from os.fsdecode as lone surrogates: show them as U+FFFD.
    text = text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co")
    )
    cleaned = " ".join(cleaned.split()) or "_"
    if len(cleaned) > max_len:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            cleaned = stem[: max_len - len(ext) - 2] + "…." + ext
        else:
            cleaned = cleaned[: max_len - 1] + "…"
    return cleaned


def sniff_media_type(head: bytes) -> str:
    """The media type from content. PDFs may have junk before ``%PDF-`` (up to 1 KiB), but
    a file whose own signature says otherwise (a PNG with "%PDF-1.7" in a tEXt chunk) is
    what its signature says: the leading magic number wins over a later ``%PDF-``."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    special = webarchive.sniff(head) or mail.sniff(head)
    if special:
        return special
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head[:4] in (b"\x00\x00\x01\x00",):
        return "image/x-icon"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain" if head else "application/octet-stream"


def inspect_file(path: Path, media_type: str, limits: IntakeLimits) -> dict[str, Any]:
    """Metadata read from the file. Keys starting with ``_`` are for intake, not stored:
    ``_thumbnail_png``, ``_media_type`` (a type only the whole file reveals: a ZIP that is a
    WACZ), ``_parts`` (files inside this one that become linked exhibits: an archive's
    screenshot, an e-mail's attachments) and ``_fields`` (exhibit fields read from it)."""
    if media_type in _IMAGE_MEDIA_TYPES:
        return inspect_image(path, limits)
    if media_type == "application/pdf":
        return inspect_pdf(path, limits)
    if media_type == "application/zip" and webarchive.is_wacz(path):
        return {**inspect_archive(path, webarchive.WACZ), "_media_type": webarchive.WACZ}
    if media_type in (webarchive.WARC, webarchive.MHTML):
        return inspect_archive(path, media_type)
    if media_type == mail.EML:
        return mail.inspect_eml(path)
    if media_type in video_probe.VIDEO_TYPES:
        return inspect_video(path)
    return {}


def inspect_video(path: Path) -> dict[str, Any]:
    """Container facts and a keyframe contact sheet, which becomes a linked image exhibit
    (made by the app, and titled so)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="evidence-video-") as work:
        sheet = Path(work) / "keyframes.png"
        meta = video_probe.probe_video(path, sheet)
        if sheet.is_file():
            meta["_parts"] = [("contact_sheet", "keyframes.png", sheet.read_bytes())]
    return meta


def inspect_archive(path: Path, media_type: str) -> dict[str, Any]:
    prov = webarchive.read_archive(path, media_type)
    meta = prov.metadata()
    fields = {}
    if prov.target_url.startswith(("http://", "https://")):
        fields["source_url"] = prov.target_url
    if prov.capture_time:
        fields["captured_at"] = prov.capture_time
    meta["_fields"] = fields
    if prov.title:
        meta["_title"] = prov.title
    if prov.screenshot is not None:
        ext = "jpg" if prov.screenshot_type == "image/jpeg" else "png"
        meta["_parts"] = [("screenshot", f"screenshot.{ext}", prov.screenshot)]
    return meta


def _exif_datetime(value: Any) -> str | None:
    """EXIF 'YYYY:MM:DD HH:MM:SS' as ISO 8601 (no zone: EXIF has none)."""
    if not isinstance(value, str):
        return None
    try:
        return _dt.datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def inspect_image(path: Path, limits: IntakeLimits) -> dict[str, Any]:
    """Decode the whole image once (to catch truncation), read EXIF, make a thumbnail."""
    meta: dict[str, Any] = {}
    old_limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("ignore")  # Pillow's chatter about odd tags
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
            with Image.open(path, formats=_SAFE_IMAGE_FORMATS) as im:
                meta["format"] = im.format
                meta["width"], meta["height"] = im.size
                meta["mode"] = im.mode
                frames = getattr(im, "n_frames", 1)
                meta["frames"] = frames
                if im.size[0] * im.size[1] * max(frames, 1) > limits.max_image_pixels * 4:
                    raise IntakeRefused("intake.decompression_bomb", pixels=im.size[0] * im.size[1])
                # Decode fully first: reading EXIF may decode a PNG implicitly and swallow a
                # truncation error that a second load() would then not raise again.
                im.load()
                meta.update(_read_exif(im))
                thumb = im.copy()
                if "orientation" in meta:
                    # A broken EXIF block: keep the thumbnail as stored rather than refuse.
                    with contextlib.suppress(Exception):
                        thumb = ImageOps.exif_transpose(thumb)
                thumb.thumbnail(THUMBNAIL_SIZE)
                if thumb.mode not in ("RGB", "RGBA", "L", "LA"):
                    thumb = thumb.convert("RGBA")
                buf = io.BytesIO()
                thumb.save(buf, format="PNG")
                meta["_thumbnail_png"] = buf.getvalue()
    except IntakeRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise IntakeRefused("intake.decompression_bomb", detail=str(exc)) from exc
    except UnidentifiedImageError as exc:
        # Pillow's message names our staging file: say it in our own words instead.
        raise IntakeRefused("intake.image_unreadable") from exc
    except (OSError, SyntaxError, ValueError, TypeError, ZeroDivisionError, EOFError) as exc:
        # Pillow reports truncated and corrupt data as OSError/SyntaxError/ValueError.
        raise IntakeRefused("intake.image_corrupt", detail=_short(exc)) from exc
    except MemoryError as exc:
        raise IntakeRefused("intake.decompression_bomb", detail="MemoryError") from exc
    except Exception as exc:
        raise IntakeRefused("intake.image_corrupt", detail=_short(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    return meta


def _read_exif(im: Image.Image) -> dict[str, Any]:
    """Orientation, capture time and GPS presence; a broken EXIF block yields nothing rather
    than refusing an image whose pixels are fine."""
    meta: dict[str, Any] = {}
    try:
        exif = im.getexif()
        orientation = exif.get(0x0112)
        if isinstance(orientation, int) and 1 <= orientation <= 8:
            meta["orientation"] = orientation
        taken = _exif_datetime(exif.get_ifd(0x8769).get(0x9003)) or _exif_datetime(exif.get(0x0132))
        if taken:
            meta["exif_datetime"] = taken
        if exif.get_ifd(0x8825):
            meta["has_gps"] = True
    except Exception:
        meta["exif_unreadable"] = True
    return meta


def inspect_pdf(path: Path, limits: IntakeLimits) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    meta: dict[str, Any] = {}
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            # An empty user password (owner-restricted only) opens without asking anyone.
            try:
                opened = reader.decrypt("")
            except Exception as exc:
                raise IntakeRefused("intake.pdf_encrypted") from exc
            if not opened:
                raise IntakeRefused("intake.pdf_encrypted")
            meta["encrypted_empty_password"] = True
        pages = len(reader.pages)
        if pages == 0:
            raise IntakeRefused("intake.pdf_no_pages")
        if pages > limits.max_pdf_pages:
            raise IntakeRefused(
                "intake.pdf_too_many_pages", pages=pages, limit=limits.max_pdf_pages
            )
        meta["pages"] = pages
        # Touch every page's size: a broken page tree shows here, not in the middle of export.
        first = reader.pages[0]
        meta["page_size"] = [float(first.mediabox.width), float(first.mediabox.height)]
        for page in reader.pages:
            _ = page.mediabox
        info: dict[str, Any] = dict(reader.metadata or {})
        for key in ("/Title", "/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
            value = info.get(key)
            if value:
                meta["info_" + key[1:].lower()] = _short(str(value), 200)
        meta["signatures"] = _count_signatures(reader)
    except IntakeRefused:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        AssertionError,
        OSError,
        ZeroDivisionError,
    ) as exc:
        raise IntakeRefused("intake.pdf_unreadable", detail=_short(exc)) from exc
    return meta


def _count_signatures(reader: Any) -> int:
    """Signed signature fields (/FT /Sig with a value) in the AcroForm."""
    try:
        fields = reader.get_fields() or {}
    except Exception:
        return 0
    return sum(1 for f in fields.values() if f.get("/FT") == "/Sig" and f.get("/V") is not None)


def _short(exc: object, limit: int = 160) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
