"""Exhibit order: the bundle's sections and the user's order within them.

A reviewer reads a complaint's exhibits in a fixed order — who complains (主体资格), who may
act for it (授权), the infringement (侵权证据), what shows it untrue (证明不实的材料), the rest
(其他) — whatever order the files were imported in. Within a section the exhibit number is
the order, and the user sets it (:func:`move_exhibit`): numbers are what a statement cites
("证据 5"), so they change only by an explicit move, and a move after an export (whose
packet already cites the old numbers) needs the caller's confirmation and is logged.
"""

from __future__ import annotations

from typing import Any

from evidence_app.errors import UsageError
from evidence_app.model import Case, EvidenceItem, EvidenceKind

SECTIONS = ("standing", "authority", "infringement", "untruth", "other")

_SECTION_OF: dict[EvidenceKind, str] = {
    EvidenceKind.BUSINESS_LICENCE: "standing",
    EvidenceKind.TRADEMARK_REGISTRATION: "standing",
    EvidenceKind.ORG_CODE_CERTIFICATE: "standing",
    EvidenceKind.POWER_OF_ATTORNEY: "authority",
    EvidenceKind.EXECUTIVE_AUTHORISATION: "authority",
    EvidenceKind.ID_DOCUMENT: "authority",
    EvidenceKind.CAPTURE: "infringement",
    EvidenceKind.ACCOUNT_CAPTURE: "infringement",
    EvidenceKind.EXTORTION_DEMAND: "infringement",
    EvidenceKind.COORDINATION_ANALYSIS: "infringement",
    EvidenceKind.POLICE_REPORT: "infringement",
    # a notary's or preservation service's certificate proves how the captures were made
    EvidenceKind.PRESERVATION_CERTIFICATE: "infringement",
    EvidenceKind.AUDIT_REPORT: "untruth",
    EvidenceKind.LEGAL_OPINION: "untruth",
    EvidenceKind.THIRD_PARTY_REPORT: "untruth",
    EvidenceKind.INDUSTRY_STANDARD: "untruth",
    EvidenceKind.PUBLIC_PLATFORM_QUERY: "untruth",
    EvidenceKind.OFFICIAL_DOCUMENT: "untruth",
    EvidenceKind.SOURCE_MEDIA_RECORD: "untruth",
    EvidenceKind.ORIGINAL_CONTENT: "untruth",
}

EXPORT_ACTIONS = frozenset({"packet.export", "upload_folder.export", "export.pdf"})


def section_of(item: EvidenceItem) -> str:
    return _SECTION_OF.get(item.kind, "other")


def bundle_order(evidence: list[EvidenceItem]) -> list[EvidenceItem]:
    """Exhibits as the bundle shows them: by section, then by number."""
    return sorted(evidence, key=lambda e: (SECTIONS.index(section_of(e)), e.number))


def grouped(evidence: list[EvidenceItem]) -> list[tuple[str, list[EvidenceItem]]]:
    """(section, exhibits) for every non-empty section, in bundle order."""
    ordered = bundle_order(evidence)
    groups = [(s, [e for e in ordered if section_of(e) == s]) for s in SECTIONS]
    return [(s, items) for s, items in groups if items]


def exported_before(store: Any) -> bool:
    """Whether any packet, upload folder or PDF of the case was exported (numbers cited)."""
    return any(entry.action in EXPORT_ACTIONS for entry in store.custody_log())


def move_exhibit(store: Any, evidence_id: str, number: int, *, confirmed: bool = False) -> Case:
    """Give exhibit ``evidence_id`` the number ``number`` (1-based position), shifting the
    ones between; every other exhibit keeps its relative order. After an export this needs
    ``confirmed`` (the UI asks, the CLI takes --yes) and the move is logged with the old and
    new numbers. Returns the case as it is after the move."""
    case = store.load()
    items = sorted(case.evidence, key=lambda e: e.number)
    moving = next((e for e in items if e.id == evidence_id), None)
    if moving is None:
        raise UsageError("evidence.move.unknown", id=evidence_id)
    if not 1 <= number <= len(items):
        raise UsageError("evidence.move.bad_number", number=number, count=len(items))
    if exported_before(store) and not confirmed:
        raise UsageError("evidence.move.after_export")
    before = {e.id: e.number for e in items}
    items.remove(moving)
    items.insert(number - 1, moving)
    changed = [e for position, e in enumerate(items, start=1) if before[e.id] != position]
    if not changed:
        return case
    # Numbers are unique in the store: park the changed ones above every number first.
    top = max(before.values()) + len(items) + 1
    for offset, item in enumerate(changed):
        item.number = top + offset
        store.update_evidence(item)
    for position, item in enumerate(items, start=1):
        if before[item.id] != position:
            item.number = position
            store.update_evidence(item)
    store.record_event(
        "evidence.reorder",
        {
            "moved": evidence_id,
            "numbers": {e.id: [before[e.id], e.number] for e in changed},
            "after_export": exported_before(store),
        },
    )
    return store.load()
