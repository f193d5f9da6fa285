"""Export a case as a signed, encrypted packet (packet format 1, docs/packet-format.md).

Steps: check the case (refuse gaps unless allowed, then record them) → build complaint.pdf
with the PDF exporter in a private work folder inside the case, PAdES-sign it → generate
custody.jsonl, forms/ and VERIFY.txt → write manifest.json listing every file's size and
SHA-256, sign it (detached CMS) → stream everything through age into the packet, re-hashing
every original against the store as it goes → log the export in the custody log.

The work folder holds plaintext (the complaint PDF) only while the export runs; it sits in
the case folder, which holds the same data anyway, and is deleted at the end, or by the next
export if the process was killed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app import __version__
from evidence_app.crypto.age_stream import parse_recipient
from evidence_app.crypto.cms import sign_detached
from evidence_app.crypto.identities import SigningIdentity
from evidence_app.exporters.complaint import (
    PreparedComplaint,
    checked_selection,
    write_complaint,
)
from evidence_app.exporters.derivatives import Derivative, make_derivative
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.model import Case
from evidence_app.packet import layout
from evidence_app.packet.forms import FORMS_JSON, FORMS_TEXT, build_forms
from evidence_app.packet.manifest import FileEntry, Manifest
from evidence_app.packet.timestamps import TimestampFiles, timestamp_files
from evidence_app.packet.verify_text import render_verify_text
from evidence_app.packet.writer import Member, write_packet
from evidence_app.store import CaseStore
from evidence_app.store.blobs import sha256_file
from evidence_app.store.case_store import EXPORT_WORK_DIR, iso, utc_now
from evidence_app.store.lock import job_dir, reap

WORK_DIR = EXPORT_WORK_DIR


@dataclass
class ExportResult:
    packet_path: Path
    key_path: Path | None
    recipients: list[str]
    packet_size: int
    packet_sha256: str
    manifest_sha256: str
    signer_fingerprint: str
    files: list[FileEntry] = field(default_factory=list)
    gaps: list[dict[str, Any]] = field(default_factory=list)
    channel: str = ""  # the channel profile this packet was made for


def _gap_dicts(check: Any) -> list[dict[str, Any]]:
    out = []
    for gap in check.gaps():
        to_json = getattr(gap, "to_json_dict", None)
        out.append(to_json() if callable(to_json) else {"text": str(gap)})
    return out


def case_summary(
    case: Case,
    members: dict[str, str],
    derivatives: dict[str, Derivative] | None = None,
    stamps: TimestampFiles | None = None,
    *,
    originals_included: bool = True,
) -> dict[str, Any]:
    """What a verifier shows about the case (reporter data stays inside the packet).

    A redacted exhibit's entry lists both hashes: ``sha256`` is the original's (in the case's
    store; in this output only when ``originals_included``) and ``redacted`` gives the
    derivative's path, hash and the custody entry that recorded the redaction."""
    derivatives = derivatives or {}
    stamps = stamps or TimestampFiles()

    def exhibit(e: Any) -> dict[str, Any]:
        entry = {
            "number": e.number,
            "id": e.id,
            "title": e.title,
            "kind": e.kind.value,
            "sha256": e.sha256,
            "sm3": e.sm3,
            "size": e.size,
            "path": members[e.id],
            "targets": list(e.target_ids),
            "timestamps": stamps.by_exhibit.get(e.id, []),
        }
        if e.id in derivatives:
            entry["redacted"] = derivatives[e.id].index_entry()
            entry["original_included"] = originals_included
        return entry

    summary = {
        "title": case.title,
        "channel": case.channel,
        "created_at": case.created_at,
        "complainant": {"name": case.complainant.name, "uscc": case.complainant.uscc},
        "filer": {"role": case.filer.role.value, "name": case.filer.name},
        "targets": [
            {
                "id": t.id,
                "url": t.url,
                "platform": t.platform,
                "categories": [c.value for c in t.categories],
                "measures": [m.value for m in t.measures],
            }
            for t in case.targets
        ],
        "exhibits": [exhibit(e) for e in case.evidence],
    }
    if stamps.manifests:
        summary["manifest_timestamps"] = stamps.manifests
    return summary


def clean_work_dirs(store: CaseStore) -> None:
    """Remove work folders of exports that were killed (never another live export's)."""
    reap(store.root / WORK_DIR, "*")


def _file_member(path: str, source: Path) -> Member:
    sha = sha256_file(source)
    return Member(path, source.stat().st_size, sha, opener=lambda: open(source, "rb"))


def export_packet(
    store: CaseStore,
    out_path: Path,
    *,
    recipients: list[str],
    passphrase: str | None,
    signing: SigningIdentity,
    allow_gaps: bool = False,
    target_ids: Sequence[str] | None = None,
    clock: Callable[[], _dt.datetime] = utc_now,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    prepared: PreparedComplaint | None = None,
) -> ExportResult:
    """``target_ids`` limits the packet to those targets, their evidence and the evidence
    linked to no target (evidence_app.exporters.selection); None packs the whole case.
    ``prepared`` (from the application layer's export plan) supplies the checked case and
    the signed complaint PDF already made for this export; its signing identity is used."""
    out_path = Path(out_path)
    for recipient in recipients:
        parse_recipient(recipient)  # a typo in a recipient fails now, not after the PDF work
    # one read transaction: the records, the custody head and the log agree with each other
    full, head, log = store.snapshot()
    if prepared is not None:
        case, check, allow_gaps = prepared.case, prepared.check, prepared.allow_gaps
    else:
        case, check = checked_selection(full, target_ids, allow_gaps)
    gaps = _gap_dicts(check)
    (store.root / WORK_DIR).mkdir(mode=0o700, exist_ok=True)
    work, work_owner = job_dir(store.root / WORK_DIR, "export-")
    try:
        cancel.raise_if_cancelled()
        if prepared is not None:
            complaint = prepared.pdf
        else:
            complaint = work / layout.COMPLAINT
            write_complaint(
                case,
                store,
                check,
                complaint,
                work,
                signing,
                clock=clock(),
                progress=lambda d, t, label: progress(d, t, f"pdf: {label}"),
                cancel=cancel,
            )

        custody = "".join(e.to_json_line() + "\n" for e in log).encode("utf-8")
        forms_json, forms_text = build_forms(case)
        evidence_members = {e.id: layout.evidence_member(e) for e in case.evidence}
        body: list[Member] = [
            _file_member(layout.COMPLAINT, complaint),
            Member.from_bytes(layout.CUSTODY, custody),
            Member.from_bytes(FORMS_JSON, forms_json),
            Member.from_bytes(FORMS_TEXT, forms_text),
        ]
        derivatives: dict[str, Derivative] = {}
        for item in case.evidence:
            body.append(
                Member(
                    evidence_members[item.id],
                    item.size,
                    item.sha256,
                    opener=functools.partial(store.blobs.open, item.sha256),
                )
            )
            if item.redactions and (item.is_image or item.is_pdf):
                # The original stays (the packet is encrypted); the derivative that went to
                # the channel is added beside it so the recipient sees what was sent.
                made = make_derivative(store, item, store.blobs.path_for(item.sha256), work)
                derivatives[item.id] = made
                body.append(_file_member(made.member, made.path))
        sm3_of = {evidence_members[e.id]: e.sm3 for e in case.evidence}
        stamps = timestamp_files(case, store, evidence_members)
        body.extend(stamps.members)
        entries = [FileEntry(m.path, m.size, m.sha256, sm3_of.get(m.path, "")) for m in body]
        verify_txt = Member.from_bytes(
            layout.VERIFY_TXT,
            render_verify_text(
                out_path.name,
                signing,
                entries,
                head,
                passphrase is not None,
                timestamp_step=stamps.verify_step(),
            ),
        )
        body.insert(0, verify_txt)
        manifest = Manifest(
            files=[FileEntry(m.path, m.size, m.sha256, sm3_of.get(m.path, "")) for m in body],
            created_at=iso(clock()),
            app={"name": "evidence-app", "version": __version__},
            rule_packs=dict(check.pack_versions),
            case=case_summary(case, evidence_members, derivatives, stamps),
            check={
                "ready": check.ready,
                "allow_gaps": allow_gaps,
                "gaps": gaps,
                "summary": check.summary() if hasattr(check, "summary") else {},
            },
            custody={"head": head, "entries": len(log), "file": layout.CUSTODY},
        )
        manifest_bytes = manifest.to_bytes()
        signature = sign_detached(manifest_bytes, signing)
        members = [
            Member.from_bytes(layout.MANIFEST, manifest_bytes),
            Member.from_bytes(layout.SIGNATURE, signature),
            *body,
        ]
        written = write_packet(
            out_path,
            members,
            recipients=recipients,
            passphrase=passphrase,
            clock=clock,
            progress=progress,
            cancel=cancel,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        work_owner.release(remove=True)
    manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
    store.record_event(
        "packet.export",
        {
            "packet": out_path.name,
            "packet_sha256": written.packet_sha256,
            "packet_size": written.packet_size,
            "manifest_sha256": manifest_sha,
            "signer": signing.fingerprint,
            "recipients": written.recipients,
            "passphrase": passphrase is not None,
            "gaps": len(gaps),
            "targets": [t.id for t in case.targets],
            "channel": case.channel,
            "format_version": layout.FORMAT_VERSION,
        },
    )
    return ExportResult(
        packet_path=written.packet_path,
        key_path=written.key_path,
        recipients=written.recipients,
        packet_size=written.packet_size,
        packet_sha256=written.packet_sha256,
        manifest_sha256=manifest_sha,
        signer_fingerprint=signing.fingerprint,
        files=manifest.files,
        gaps=gaps,
        channel=case.channel,
    )
