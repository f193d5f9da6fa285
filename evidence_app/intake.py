"""Evidence intake: files (or pasted bytes) become exhibits in a case.

For each file: check it is a regular, non-empty file under the size limit; copy it into the
store's staging area while hashing (one pass); sniff its type from content; inspect it
(:mod:`evidence_app.file_inspection`); then either commit it as a new exhibit with its custody
entry, report it as a duplicate of an existing exhibit (same SHA-256: stored once), or refuse it
with a reason. A refused file leaves no trace in the case. The source file is only ever read.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from evidence_app import preservation
from evidence_app.durable import write_atomic
from evidence_app.errors import EvidenceError, IntakeRefused
from evidence_app.file_inspection import (
    IntakeLimits,
    inspect_file,
    safe_display_name,
    sniff_media_type,
)
from evidence_app.intake_formats.webarchive import MHTML, WACZ, WARC
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.messages import Message
from evidence_app.model import MAX_TITLE, EvidenceItem, EvidenceKind
from evidence_app.store import CaseStore
from evidence_app.store.blobs import StoreWriteError

__all__ = ["ImportOutcome", "IntakeLimits", "expand_paths", "import_bytes", "import_files"]

Status = Literal["imported", "duplicate", "refused"]
ARCHIVE_TYPES = frozenset({WARC, WACZ, MHTML})


@dataclass
class ImportOutcome:
    display_name: str
    status: Status
    item: EvidenceItem | None = None  # the new exhibit, or the existing one for a duplicate
    error: EvidenceError | None = None
    path: Path | None = None
    parts: list[ImportOutcome] = field(default_factory=list)  # linked exhibits taken from it

    def as_message(self) -> Message:
        """What happened, as a message the faces word (``i18n.words``)."""
        if self.status == "refused" and self.error is not None:
            reason = Message(self.error.key, dict(self.error.params))
            return Message("intake.refused", {"name": self.display_name, "reason": reason})
        if self.status == "duplicate" and self.item is not None:
            return Message(
                "intake.duplicate", {"name": self.display_name, "number": self.item.number}
            )
        number = self.item.number if self.item else 0
        return Message("intake.imported", {"name": self.display_name, "number": number})


@dataclass(frozen=True)
class _Description:
    """What the caller says about every file of one import (the rest is read from the file)."""

    kind: EvidenceKind | None
    target_ids: tuple[str, ...]
    title: str | None
    fields: dict[str, str]
    proves: str


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders walked recursively in name order; symlinked folders are not
    followed (no loops, no escaping the chosen folder). Links found inside a folder are
    listed too, for :func:`import_files` to report and skip."""
    return [path for path, _in_folder in _expand(paths)]


def _expand(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """(path, found inside a chosen folder). A path named directly that is a link is
    resolved: the file it points to is what gets imported and recorded."""
    result: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                result.extend((Path(root) / name, True) for name in sorted(files + links))
        elif path.is_symlink():
            result.append((Path(os.path.realpath(path)), False))
        else:
            result.append((path, False))
    return result


def default_kind(media_type: str) -> EvidenceKind:
    if media_type.startswith(("image/", "video/")) or media_type in ARCHIVE_TYPES:
        return EvidenceKind.CAPTURE
    return EvidenceKind.OTHER


def import_files(
    store: CaseStore,
    paths: Sequence[Path],
    *,
    kind: EvidenceKind | None = None,
    target_ids: Sequence[str] = (),
    title: str | None = None,
    fields: dict[str, str] | None = None,
    proves: str = "",
    limits: IntakeLimits | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> list[ImportOutcome]:
    """Import files and folders; one outcome per file, in order. Cancelling stops between
    files (and inside a large copy); files already imported stay imported."""
    limits = limits or IntakeLimits()
    if title is not None and len(title) > MAX_TITLE:
        # refused before any copy: the bundle could not lay it out, and would block exports
        refused = IntakeRefused("intake.title_too_long", length=len(title), max=MAX_TITLE)
        return [
            ImportOutcome(safe_display_name(os.fsencode(p.name)), "refused", error=refused)
            for p, _ in _expand(paths)
        ]
    described = _Description(kind, tuple(target_ids), title, dict(fields or {}), proves)
    files = _expand(paths)
    outcomes: list[ImportOutcome] = []
    for done, (path, in_folder) in enumerate(files):
        cancel.raise_if_cancelled()
        name = safe_display_name(os.fsencode(path.name))
        progress(done, len(files), name)
        if in_folder and path.is_symlink():
            # never followed: a link in a chosen folder may point anywhere (/etc/shadow)
            target = safe_display_name(os.fsencode(os.readlink(path)))
            error = IntakeRefused("intake.link_skipped", target=target)
            outcomes.append(ImportOutcome(name, "refused", error=error, path=path))
            continue
        outcomes.append(_import_path(store, path, name, described, limits, cancel, in_folder))
    progress(len(files), len(files), "")
    return outcomes


def import_bytes(
    store: CaseStore,
    data: bytes,
    name: str,
    *,
    kind: EvidenceKind | None = None,
    target_ids: Sequence[str] = (),
    title: str | None = None,
    fields: dict[str, str] | None = None,
    proves: str = "",
    limits: IntakeLimits | None = None,
    cancel: CancelToken = NEVER_CANCELLED,
) -> ImportOutcome:
    """Import in-memory content (a pasted image, a screen capture)."""
    limits = limits or IntakeLimits()
    display = safe_display_name(name)
    if not data:
        return ImportOutcome(display, "refused", error=IntakeRefused("intake.empty"))
    if len(data) > limits.max_file_size:
        return ImportOutcome(
            display,
            "refused",
            error=IntakeRefused("intake.too_large", size=len(data), limit=limits.max_file_size),
        )
    described = _Description(kind, tuple(target_ids), title, dict(fields or {}), proves)
    return _import_stream(store, io.BytesIO(data), display, described, limits, cancel)


def _import_path(
    store: CaseStore,
    path: Path,
    name: str,
    described: _Description,
    limits: IntakeLimits,
    cancel: CancelToken,
    no_follow: bool = False,
) -> ImportOutcome:
    try:
        st = os.lstat(path) if no_follow else os.stat(path)
    except FileNotFoundError:
        return ImportOutcome(name, "refused", error=IntakeRefused("intake.not_found"), path=path)
    except OSError as exc:
        error = IntakeRefused("intake.unreadable", detail=exc.strerror or str(exc))
        return ImportOutcome(name, "refused", error=error, path=path)
    if not stat.S_ISREG(st.st_mode):
        return ImportOutcome(name, "refused", error=IntakeRefused("intake.not_a_file"), path=path)
    if st.st_size == 0:
        return ImportOutcome(name, "refused", error=IntakeRefused("intake.empty"), path=path)
    if st.st_size > limits.max_file_size:
        error = IntakeRefused("intake.too_large", size=st.st_size, limit=limits.max_file_size)
        return ImportOutcome(name, "refused", error=error, path=path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if no_follow:  # swapped for a link since it was listed: refused by the kernel
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as source:
            outcome = _import_stream(
                store, source, name, described, limits, cancel, expected=(st.st_size, st)
            )
    except StoreWriteError:
        raise  # the case cannot be written (disk full …): worded by the face, not the file's fault
    except OSError as exc:
        error = IntakeRefused("intake.unreadable", detail=exc.strerror or str(exc))
        outcome = ImportOutcome(name, "refused", error=error)
    outcome.path = path
    return outcome


def _import_stream(
    store: CaseStore,
    source: BinaryIO,
    name: str,
    described: _Description,
    limits: IntakeLimits,
    cancel: CancelToken,
    expected: tuple[int, os.stat_result] | None = None,
) -> ImportOutcome:
    """``expected``: the size and stat of the file as chosen; a file that grows, shrinks or
    is rewritten while it is copied is refused rather than stored as some mix."""
    max_size = limits.max_file_size if expected is None else expected[0]
    try:
        staged = store.blobs.stage(source, max_size=max_size, cancel=cancel)
    except OverflowError:
        if expected is not None:
            return ImportOutcome(name, "refused", error=IntakeRefused("intake.changed"))
        error = IntakeRefused(
            "intake.too_large", size=limits.max_file_size, limit=limits.max_file_size
        )
        return ImportOutcome(name, "refused", error=error)
    if expected is not None and _changed(source, staged.size, expected[1]):
        staged.discard()
        return ImportOutcome(name, "refused", error=IntakeRefused("intake.changed"))
    try:
        if staged.size == 0:
            staged.discard()
            return ImportOutcome(name, "refused", error=IntakeRefused("intake.empty"))
        existing = store.evidence_by_sha(staged.sha256)
        if existing is not None:
            staged.discard()
            return ImportOutcome(name, "duplicate", item=existing)
        media_type = sniff_media_type(staged.head)
        try:
            metadata = inspect_file(staged.temp_path, media_type, limits)
        except IntakeRefused as refused:
            staged.discard()
            return ImportOutcome(name, "refused", error=refused)
        thumbnail = metadata.pop("_thumbnail_png", None)
        media_type = metadata.pop("_media_type", media_type)
        parts = metadata.pop("_parts", [])
        read_title = metadata.pop("_title", "")
        item_fields = dict(described.fields)
        # Fields the file states about itself (a web archive's URL and capture time) fill
        # only what the caller left empty, and are listed so that the user confirms them.
        proposed = {k: v for k, v in metadata.pop("_fields", {}).items() if not item_fields.get(k)}
        if proposed:
            item_fields.update(proposed)
            metadata["proposed_fields"] = sorted(proposed)
        chosen_kind = described.kind or default_kind(media_type)
        if (
            chosen_kind in (EvidenceKind.CAPTURE, EvidenceKind.ACCOUNT_CAPTURE)
            and "captured_at" not in item_fields
            and metadata.get("exif_datetime")
        ):
            item_fields["captured_at"] = metadata["exif_datetime"]
        item = EvidenceItem(
            kind=chosen_kind,
            title=described.title or read_title or _title_from_name(name),
            proves=described.proves,
            target_ids=list(described.target_ids),
            fields=item_fields,
            original_name=name,
            media_type=media_type,
            metadata=metadata,
        )
        certificate = chosen_kind == EvidenceKind.PRESERVATION_CERTIFICATE
        if certificate and media_type == "application/pdf":
            stated = preservation.stated_hashes(staged.temp_path)
            item.metadata["certificate_hashes"] = stated
            item.certifies = preservation.auto_links(stated, store.load().evidence)
        cancel.raise_if_cancelled()
        item = store.add_evidence(staged, item)
        if item.certifies:
            preservation.check_links(store, item.id)
            item = store.get_evidence(item.id)
    except BaseException:  # cancel, interrupt, store error: the staged copy goes
        staged.discard()
        raise
    if thumbnail:
        try:
            write_atomic(store.thumbnail_path(item.sha256), thumbnail)
        except OSError:
            pass  # a thumbnail is a convenience; the UI regenerates a missing one
    outcome = ImportOutcome(name, "imported", item=item)
    if parts:
        outcome.parts = import_parts(store, item, parts, described, limits, cancel)
    return outcome


def import_parts(
    store: CaseStore,
    parent: EvidenceItem,
    parts: list[tuple[str, str, bytes]],
    described: _Description,
    limits: IntakeLimits,
    cancel: CancelToken,
) -> list[ImportOutcome]:
    """Files found inside an imported one (an archive's screenshot, an e-mail's attachments)
    become exhibits of their own, linked both ways through their metadata: each part names
    the file it was taken from, the parent lists its parts."""
    from evidence_app.i18n import tr

    outcomes = []
    for role, part_name, data in parts:
        cancel.raise_if_cancelled()
        title = tr(f"intake.part.{role}", parent=parent.title, name=safe_display_name(part_name))
        fields = {k: v for k, v in parent.fields.items() if k in ("source_url", "captured_at")}
        # An archive's screenshot is a capture; an attachment is what its e-mail is (the
        # payment code attached to an extortion demand is part of that demand).
        kind = EvidenceKind.CAPTURE if role in ("screenshot", "contact_sheet") else described.kind
        child = _Description(kind, described.target_ids, title, fields, described.proves)
        outcome = _import_stream(
            store, io.BytesIO(data), safe_display_name(part_name), child, limits, cancel
        )
        if outcome.item is not None and outcome.status == "imported":
            outcome.item.metadata["part_of"] = {
                "id": parent.id,
                "number": parent.number,
                "role": role,
            }
            store.update_evidence(outcome.item)
        outcomes.append(outcome)
    linked = [
        {"id": o.item.id, "number": o.item.number, "role": role, "name": o.display_name}
        for o, (role, _n, _d) in zip(outcomes, parts, strict=True)
        if o.item is not None
    ]
    if linked:
        parent.metadata["parts"] = linked
        store.update_evidence(parent)
    return outcomes


def _changed(source: BinaryIO, copied: int, before: os.stat_result) -> bool:
    try:
        after = os.fstat(source.fileno())
    except (OSError, AttributeError, ValueError):
        return False
    return (
        copied != before.st_size
        or after.st_size != before.st_size
        or after.st_mtime_ns != before.st_mtime_ns
    )


def _title_from_name(name: str) -> str:
    stem, dot, _ext = name.rpartition(".")
    return stem if dot and stem else name
