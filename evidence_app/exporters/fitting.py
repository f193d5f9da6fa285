"""Copies of originals that fit a channel's upload limits; the originals are never touched.

- An image too large (bytes or pixels) or in a format the channel refuses becomes a JPEG
  copy: turned upright (EXIF), scaled down to the channel's long-edge limit, then saved at
  falling quality and, if still too big, smaller scales until it fits.
- A PDF too large is split into parts of whole pages, each within the limit (pages are sized
  one by one, so shared resources count in every part that uses them: parts come out under
  the limit, never over). A single page larger than the limit cannot be fitted.
- Anything else that does not fit (a long video, an archive) cannot be fitted here: the
  caller lists it for separate submission.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from evidence_app.channels import AcceptRule, ChannelProfile

JPEG = "image/jpeg"
QUALITIES = (90, 80, 70, 60)
SCALE_STEP = 0.8
MAX_SCALE_STEPS = 12


@dataclass
class Fitted:
    """One file to upload: the original as it is, a fitted copy, or part ``part`` of
    ``parts`` of a split PDF. ``path`` is inside the caller's work folder (or the original
    blob when ``action == "original"``)."""

    path: Path
    action: str  # original | image_copy | pdf_part
    part: int = 1
    parts: int = 1


class CannotFit(Exception):
    """Nothing within the channel's limits can be made from this file; ``reason`` says why
    (a message key suffix: type_refused, page_too_large, too_large)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fits(rule: AcceptRule | None, size: int, long_edge: int | None = None) -> bool:
    if rule is None:
        return False
    if rule.max_bytes is not None and size > rule.max_bytes:
        return False
    return not (rule.max_long_edge and long_edge and long_edge > rule.max_long_edge)


def image_long_edge(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return max(image.size)


def fit_image(source: Path, rule: AcceptRule, dest: Path) -> Path:
    """A JPEG copy of ``source`` within ``rule`` (which must accept JPEG)."""
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        upright = ImageOps.exif_transpose(opened)
        if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
            # JPEG has no alpha: put transparent areas on white (dropping the alpha channel
            # would show whatever colour the transparent pixels happen to hold, often black).
            rgba = upright.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = upright.convert("RGB")
    if rule.max_long_edge:
        image.thumbnail((rule.max_long_edge, rule.max_long_edge), Image.Resampling.LANCZOS)
    for _ in range(MAX_SCALE_STEPS):
        for quality in QUALITIES:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality, optimize=True)
            if rule.max_bytes is None or buffer.tell() <= rule.max_bytes:
                dest.write_bytes(buffer.getvalue())
                return dest
        width, height = image.size
        if min(width, height) < 64:
            break
        image = image.resize(
            (max(1, int(width * SCALE_STEP)), max(1, int(height * SCALE_STEP))),
            Image.Resampling.LANCZOS,
        )
    raise CannotFit("too_large")


def split_pdf(source: Path, max_bytes: int, dest_dir: Path, stem: str) -> list[Path]:
    """Parts of ``source`` (whole pages, in order), each at most ``max_bytes``."""
    import pikepdf

    def page_sizes(pdf: pikepdf.Pdf) -> list[int]:
        sizes = []
        for page in pdf.pages:
            single = pikepdf.Pdf.new()
            single.pages.append(page)
            buffer = io.BytesIO()
            single.save(buffer)
            sizes.append(buffer.tell())
        return sizes

    with pikepdf.open(source) as pdf:
        sizes = page_sizes(pdf)
        if any(size > max_bytes for size in sizes):
            raise CannotFit("page_too_large")
        groups: list[list[int]] = [[]]
        total = 0
        for index, size in enumerate(sizes):
            if groups[-1] and total + size > max_bytes:
                groups.append([])
                total = 0
            groups[-1].append(index)
            total += size
        paths = []
        for number, group in enumerate(groups, start=1):
            part = pikepdf.Pdf.new()
            for index in group:
                part.pages.append(pdf.pages[index])
            path = dest_dir / f"{stem}-{number}-{len(groups)}.pdf"
            part.save(path)
            paths.append(path)
    return paths


def fit_file(
    source: Path, media_type: str, size: int, profile: ChannelProfile, work: Path, stem: str
) -> list[Fitted]:
    """What to upload for one file under ``profile``: the original if it fits, else fitted
    copies written into ``work``. Raises CannotFit (also when a library cannot read the file:
    the original still goes into evidence/, only its upload copy is missing)."""
    import pikepdf
    from PIL import UnidentifiedImageError

    try:
        return _fit(source, media_type, size, profile, work, stem)
    except (OSError, ValueError, UnidentifiedImageError, pikepdf.PdfError) as exc:
        raise CannotFit("unreadable") from exc


def _fit(
    source: Path, media_type: str, size: int, profile: ChannelProfile, work: Path, stem: str
) -> list[Fitted]:
    if profile.unlimited:
        return [Fitted(source, "original")]
    rule = profile.rule_for(media_type)
    is_image = media_type.startswith("image/")
    edge = image_long_edge(source) if is_image and rule is not None else None
    if fits(rule, size, edge):
        return [Fitted(source, "original")]
    if is_image:
        jpeg_rule = profile.rule_for(JPEG)
        if jpeg_rule is None:
            raise CannotFit("type_refused")
        return [Fitted(fit_image(source, jpeg_rule, work / f"{stem}.jpg"), "image_copy")]
    if media_type == "application/pdf":
        if rule is None or rule.max_bytes is None:
            raise CannotFit("type_refused")
        parts = split_pdf(source, rule.max_bytes, work, stem)
        return [Fitted(p, "pdf_part", i, len(parts)) for i, p in enumerate(parts, start=1)]
    raise CannotFit("type_refused" if rule is None else "too_large")
