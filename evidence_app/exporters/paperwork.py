"""Paperwork generated from the case (生成文书): the documents a complaint needs signed and
sealed — 情况说明, 授权委托书, 真实性承诺书, the executive's 授权书 and a channel's own notice
(exporters/pdf/templates.py, notices.py) — prefilled for one channel's complaint.

Generating one records it in the custody log (document, channel, SHA-256). When its signed and
sealed scan comes back and is imported as that kind, :func:`link_generated` records in the
exhibit which generated document it is the scan of (``generated_from``), so a reviewer can
tie the paper to what the app printed; the readiness check counts the exhibit by its kind.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_app.errors import UsageError
from evidence_app.model import EvidenceItem, EvidenceKind
from evidence_app.store.blobs import sha256_file
from evidence_app.store.case_store import utc_now

GENERATE_ACTION = "paperwork.generate"

# The exhibit kind that a document's sealed scan is imported as.
DOCUMENT_KINDS: dict[str, EvidenceKind] = {
    "situation_statement": EvidenceKind.SITUATION_STATEMENT,
    "power_of_attorney": EvidenceKind.POWER_OF_ATTORNEY,
    "truth_guarantee": EvidenceKind.TRUTH_GUARANTEE,
    "executive_authorisation": EvidenceKind.EXECUTIVE_AUTHORISATION,
    "channel_notice": EvidenceKind.OTHER,
}
DOCUMENTS = tuple(DOCUMENT_KINDS)


@dataclass
class Generated:
    document: str
    path: Path
    sha256: str
    channel: str
    pages: int


def generate(
    store: Any,
    document: str,
    out: Path,
    *,
    channel: str | None = None,
    target_ids: Sequence[str] | None = None,
    clock: Callable[[], _dt.datetime] = utc_now,
) -> Generated:
    """Write ``document`` for ``channel`` (default: the case's) to ``out``, about the
    channel's own targets (or ``target_ids``); log it."""
    import pikepdf

    from evidence_app.exporters.pdf.templates import render_template
    from evidence_app.exporters.selection import select_for_channel

    if document not in DOCUMENT_KINDS:
        raise UsageError("paperwork.unknown", document=document, known=", ".join(DOCUMENTS))
    if channel is not None:
        from evidence_app.channels import get_profile

        get_profile(channel, strict=True)
    case = select_for_channel(store.load(), channel, target_ids)
    out = Path(out)
    render_template(case, document, out, clock=clock())
    sha = sha256_file(out)
    with pikepdf.open(out) as pdf:
        pages = len(pdf.pages)
    store.record_event(
        GENERATE_ACTION,
        {
            "document": document,
            "channel": case.channel,
            "sha256": sha,
            "name": out.name,
            "targets": [t.id for t in case.targets],
        },
    )
    return Generated(document, out, sha, case.channel, pages)


def last_generated(store: Any, document: str) -> dict[str, Any] | None:
    """The custody details of the latest generation of ``document``, if any."""
    for entry in reversed(store.custody_log()):
        if entry.action == GENERATE_ACTION and entry.details.get("document") == document:
            return dict(entry.details)
    return None


def link_generated(store: Any, item: EvidenceItem, document: str | None = None) -> bool:
    """Record in ``item`` (an imported scan) the generated document it is the scan of: the
    latest generation of ``document`` (default: the document made for the item's kind).
    Returns whether a link was recorded."""
    if document is None:
        matches = [d for d, k in DOCUMENT_KINDS.items() if k == item.kind and d != "channel_notice"]
        if not matches:
            return False
        document = matches[0]
    details = last_generated(store, document)
    if details is None:
        return False
    item.generated_from = {
        "template": document,
        "sha256": str(details["sha256"]),
        "channel": str(details.get("channel", "")),
    }
    store.update_evidence(item)
    return True
