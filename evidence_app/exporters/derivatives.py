"""Redacted derivatives: what leaves the case unencrypted in place of a redacted original.

A user who boxes out an address on an ID card expects the box to hold in every copy that goes
to a channel, not only in the bundle's page. Every unencrypted output (the upload folder's
``evidence/`` and ``upload/``, the fitted copies made from them, the complaint PDF) therefore
carries the derivative made here, never the original; the encrypted packet keeps the original
and adds the derivative beside it. The derivative is made by the same code the bundle uses
(``exporters/pdf/redaction.py``), so the upload copy and the PDF page hide the same pixels.

The index of every output lists both hashes and the custody entry that recorded the
redaction (the last change to the exhibit's record), so a reviewer can tie the derivative to
the original in the case's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_app.model import Case, Category, EvidenceItem, EvidenceKind
from evidence_app.packet import layout
from evidence_app.store.blobs import sha256_file

# Kinds that usually show a person's data (ID numbers, addresses, faces): unencrypted exports
# of such an exhibit without any redaction get an advisory.
PERSONAL_KINDS = frozenset({EvidenceKind.ID_DOCUMENT, EvidenceKind.EXECUTIVE_AUTHORISATION})


@dataclass
class Derivative:
    """The redacted copy of one exhibit, written in a work folder."""

    item: EvidenceItem
    path: Path
    sha256: str
    size: int
    member: str  # evidence/<label>-<title>-redacted.<ext>
    custody: dict[str, Any]  # {"seq": n, "hash": h} of the entry that recorded the redaction

    def index_entry(self) -> dict[str, Any]:
        return {
            "path": self.member,
            "sha256": self.sha256,
            "size": self.size,
            "areas": len(self.item.redactions),
            "custody": self.custody,
        }


def redacted_member(item: EvidenceItem) -> str:
    """The derivative's name: the original's, marked; PNG for images (the redactor writes
    PNG, dropping EXIF and text chunks), PDF for PDFs."""
    ext = "png" if item.is_image else layout.extension_for(item)
    return f"{layout.EVIDENCE_DIR}/{item.label}-{layout.safe_title(item.title)}-redacted.{ext}"


def redaction_custody(store: Any, item: EvidenceItem) -> dict[str, Any]:
    """The custody entry that recorded the exhibit's current state (its redactions): the
    last entry about it."""
    subject = f"evidence:{item.id}"
    entry = next((e for e in reversed(store.custody_log()) if e.subject == subject), None)
    return {"seq": entry.seq, "hash": entry.hash} if entry is not None else {}


def make_derivative(store: Any, item: EvidenceItem, original: Path, work: Path) -> Derivative:
    """Write the redacted copy of ``item`` (whose original, already verified, is at
    ``original``) into ``work``. Raises ExhibitRefused if it cannot be redacted: an exhibit
    that cannot be redacted must not leave at all."""
    from evidence_app.exporters.pdf import redaction

    member = redacted_member(item)
    dest = work / Path(member).name
    if item.is_image:
        redaction.redact_image(item, original, _orientation(item, original), dest)
    else:
        redaction.redact_pdf(item, original, dest)
    return Derivative(
        item=item,
        path=dest,
        sha256=sha256_file(dest),
        size=dest.stat().st_size,
        member=member,
        custody=redaction_custody(store, item),
    )


def _orientation(item: EvidenceItem, path: Path) -> int:
    """EXIF orientation as the bundle applies it (exporters/pdf/preflight.py)."""
    from PIL import Image

    value: object = item.metadata.get("orientation", 1)
    try:
        with Image.open(path) as im:
            if im.format in ("JPEG", "MPO"):
                value = im.getexif().get(0x0112, 1)
    except Exception:
        value = 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def unredacted_personal_data(case: Case) -> list[EvidenceItem]:
    """Exhibits that usually carry personal data and have no redaction: ID documents,
    the executive's own papers, and evidence about a 泄密性 target (it shows the leaked data)."""
    leak_targets = {t.id for t in case.targets if Category.PRIVACY_LEAK in t.categories}
    found = []
    for item in case.evidence:
        if item.redactions or not (item.is_image or item.is_pdf):
            continue
        if item.kind in PERSONAL_KINDS or leak_targets.intersection(item.target_ids):
            found.append(item)
    return found
