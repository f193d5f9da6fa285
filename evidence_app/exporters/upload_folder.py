"""Export an upload folder: the packet's contents, unencrypted, laid out for one channel.

Many channels take files through a web form with type and size limits; the legal team
uploads from this folder. Layout (docs/upload-folder.md):

    DIR/
      UPLOAD.txt            what to upload, in order, and what was adapted (document language)
      upload/               every file to upload, each within the channel's limits
      complaint.pdf         the whole bundle (PAdES-signed when an identity is given)
      evidence/             the originals, byte-identical (re-hashed against the store);
                            for a redacted exhibit its redacted derivative instead, never
                            the original (exporters/derivatives.py)
      forms/                the form's field values (fields.json, fields.txt)
      manifest.json(.p7s)   every file's size and SHA-256 (CMS-signed with an identity)

Written into a hidden folder beside DIR and renamed only when complete; on failure or
cancel nothing is left. The folder holds plaintext evidence: the UI and the CLI say so.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app import __version__
from evidence_app.channels import ChannelProfile, get_profile
from evidence_app.durable import fsync_dir
from evidence_app.errors import AuditFailed, UsageError
from evidence_app.exporters.complaint import (
    PreparedComplaint,
    checked_selection,
    write_complaint,
)
from evidence_app.exporters.derivatives import (
    Derivative,
    make_derivative,
    unredacted_personal_data,
)
from evidence_app.exporters.fitting import CannotFit, fit_file
from evidence_app.i18n import tr
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.model import Case, EvidenceItem
from evidence_app.packet import layout
from evidence_app.packet.forms import DOCUMENT_LANGUAGE, FORMS_JSON, FORMS_TEXT, build_forms
from evidence_app.store import CaseStore
from evidence_app.store.blobs import sha256_file
from evidence_app.store.case_store import iso, utc_now

CHUNK = 1024 * 1024
UPLOAD_DIR = "upload"
UPLOAD_LIST = "UPLOAD.txt"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"


@dataclass
class UploadRow:
    path: str  # relative to the folder
    size: int
    sha256: str
    source: str  # "complaint" or an exhibit label (E001)
    action: str  # original | image_copy | pdf_part
    part: int = 1
    parts: int = 1
    redacted: bool = False  # made from the exhibit's redacted derivative


@dataclass
class UploadFolderResult:
    folder: Path
    channel: str
    uploads: list[UploadRow] = field(default_factory=list)
    unfit: list[dict[str, str]] = field(default_factory=list)
    files: int = 0
    signed: bool = False
    gaps: int = 0
    # Exhibits that usually carry personal data and went out without any redaction (ids).
    unredacted_personal: list[str] = field(default_factory=list)


def _copy_verified(store: CaseStore, item: EvidenceItem, dest: Path, cancel: CancelToken) -> None:
    """Copy an original out of the store, re-hashing it on the way: a blob altered in the
    store is refused, never exported."""
    digest = hashlib.sha256()
    with store.blobs.open(item.sha256) as src, open(dest, "wb") as out:
        while chunk := src.read(CHUNK):
            cancel.raise_if_cancelled()
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != item.sha256:
        raise AuditFailed("audit.blob_mismatch", number=item.number, sha256=item.sha256)


def _upload_name(stem: str, fitted_path: Path, action: str) -> str:
    return stem + fitted_path.suffix if action != "pdf_part" else fitted_path.name


def _list_text(
    profile: ChannelProfile,
    rows: list[UploadRow],
    unfit: list[dict[str, str]],
    case: Case,
    unredacted: list[EvidenceItem],
) -> bytes:
    lang = DOCUMENT_LANGUAGE

    def t(key: str, **params: Any) -> str:
        return tr(key, lang=lang, **params)

    lines = [t("upload.list.title", channel=profile.name(lang)), ""]
    lines.append(t("upload.list.case", title=case.title, name=case.complainant.name))
    lines.append(profile.note(lang))
    if not profile.limits_verified:
        lines.append(t("upload.list.unverified"))
    if profile.max_files is not None and len(rows) > profile.max_files:
        lines.append(t("upload.list.too_many", count=len(rows), max=profile.max_files))
    lines += ["", t("upload.list.files")]
    for number, row in enumerate(rows, start=1):
        what = t(f"upload.action.{row.action}", part=row.part, parts=row.parts)
        if row.redacted:
            what = t("upload.action.redacted", what=what)
        lines.append(f"{number:3d}. {row.path}  ({row.size} B)  {what}  [{row.source}]")
        lines.append(f"     SHA-256 {row.sha256}")
    if unfit:
        lines += ["", t("upload.list.unfit")]
        for entry in unfit:
            reason = t(f"upload.unfit.{entry['reason']}")
            lines.append(f"  - {entry['path']} [{entry['source']}]: {reason}")
    if unredacted:
        lines += ["", t("upload.list.personal_data")]
        lines += [f"  - {item.label} {item.title}" for item in unredacted]
    lines += ["", t("upload.list.plaintext")]
    return ("\n".join(lines) + "\n").encode("utf-8")


def export_upload_folder(
    store: CaseStore,
    out_dir: Path,
    *,
    channel: str | None = None,
    target_ids: Sequence[str] | None = None,
    signing: Any = None,
    allow_gaps: bool = False,
    clock: Callable[[], _dt.datetime] = utc_now,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    prepared: PreparedComplaint | None = None,
    overwrite: bool = False,
) -> UploadFolderResult:
    """Write the upload folder ``out_dir`` (which must not exist) for ``channel`` (a
    profile id; default: the case's channel). ``signing`` (a SigningIdentity) signs the
    complaint PDF and the manifest. ``prepared`` (the application layer's export plan)
    supplies the checked case and the complaint PDF already made for this export."""
    from evidence_app.exporters.packet import case_summary

    out_dir = Path(out_dir)
    if out_dir.exists() and not (overwrite and out_dir.is_dir() and not out_dir.is_symlink()):
        raise UsageError("upload.exists", path=str(out_dir))
    if not out_dir.parent.is_dir():
        raise UsageError("upload.no_parent", path=str(out_dir.parent))
    if prepared is not None:
        case, check, allow_gaps = prepared.case, prepared.check, prepared.allow_gaps
        signing = prepared.signing
        profile = get_profile(channel or case.channel, strict=channel is not None)
    else:
        full = store.load()
        profile = get_profile(channel or full.channel, strict=channel is not None)
        case, check = checked_selection(full, target_ids, allow_gaps, channel=profile.id)
    gaps = check.gaps()

    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".part", dir=out_dir.parent))
    try:
        work = tmp / ".work"
        for sub in (work, tmp / UPLOAD_DIR, tmp / layout.EVIDENCE_DIR, tmp / "forms"):
            sub.mkdir()
        total = len(case.evidence) + 2
        progress(0, total, "complaint.pdf")
        complaint = tmp / layout.COMPLAINT
        if prepared is not None:
            shutil.copyfile(prepared.pdf, complaint)
        else:
            write_complaint(
                case, store, check, complaint, work, signing, clock=clock(), cancel=cancel
            )
        progress(1, total, "complaint.pdf")

        rows: list[UploadRow] = []
        unfit: list[dict[str, str]] = []
        # Files hashed once: originals while they are copied, everything else when written.
        digests: dict[Path, str] = {complaint: sha256_file(complaint)}

        def digest(path: Path) -> str:
            if path not in digests:
                digests[path] = sha256_file(path)
            return digests[path]

        def add(
            source: Path,
            media_type: str,
            size: int,
            stem: str,
            label: str,
            redacted: bool = False,
        ) -> None:
            try:
                fitted = fit_file(source, media_type, size, profile, work, stem)
            except CannotFit as exc:
                unfit.append({"path": source.name, "source": label, "reason": exc.reason})
                return
            for piece in fitted:
                name = f"{UPLOAD_DIR}/{_upload_name(stem, piece.path, piece.action)}"
                dest = tmp / name
                if piece.action == "original":
                    shutil.copyfile(piece.path, dest)
                    digests[dest] = digest(piece.path)  # the same bytes
                else:
                    piece.path.replace(dest)
                rows.append(
                    UploadRow(
                        name,
                        dest.stat().st_size,
                        digest(dest),
                        label,
                        piece.action,
                        piece.part,
                        piece.parts,
                        redacted,
                    )
                )

        add(complaint, "application/pdf", complaint.stat().st_size, "00-complaint", "complaint")
        derivatives: dict[str, Derivative] = {}
        for done, item in enumerate(case.evidence, start=2):
            cancel.raise_if_cancelled()
            member = layout.evidence_member(item)
            if item.redactions and (item.is_image or item.is_pdf):
                # The original stays in the work folder (removed below); only the redacted
                # derivative is written where it can leave the case.
                original = work / Path(member).name
                _copy_verified(store, item, original, cancel)
                made = make_derivative(store, item, original, work)
                derivatives[item.id] = made
                dest = tmp / made.member
                made.path.replace(dest)
                original.unlink()
                digests[dest] = made.sha256
                media = "image/png" if item.is_image else "application/pdf"
                add(dest, media, made.size, Path(made.member).stem, item.label, redacted=True)
            else:
                original = tmp / member
                _copy_verified(store, item, original, cancel)
                digests[original] = item.sha256  # verified while copied
                add(original, item.media_type, item.size, Path(member).stem, item.label)
            progress(done, total, member)

        forms_json, forms_text = build_forms(case)
        (tmp / FORMS_JSON).write_bytes(forms_json)
        (tmp / FORMS_TEXT).write_bytes(forms_text)
        unredacted = unredacted_personal_data(case)
        (tmp / UPLOAD_LIST).write_bytes(_list_text(profile, rows, unfit, case, unredacted))
        shutil.rmtree(work)

        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        members = {
            e.id: derivatives[e.id].member if e.id in derivatives else layout.evidence_member(e)
            for e in case.evidence
        }
        manifest = {
            "format": "evidence-app upload folder",
            "format_version": 1,
            "created_at": iso(clock()),
            "app": {"name": "evidence-app", "version": __version__},
            "channel": {
                "id": profile.id,
                "version": profile.version,
                "limits_verified": profile.limits_verified,
            },
            "case": case_summary(case, members, derivatives, originals_included=False),
            "check": {"ready": check.ready, "allow_gaps": allow_gaps, "gaps": len(gaps)},
            "custody": {"head": store.custody_head()},
            "files": [
                {
                    "path": p.relative_to(tmp).as_posix(),
                    "size": p.stat().st_size,
                    "sha256": digest(p),
                }
                for p in files
            ],
            "unfit": unfit,
        }
        manifest_bytes = (
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        ).encode("utf-8")
        (tmp / MANIFEST).write_bytes(manifest_bytes)
        if signing is not None:
            from evidence_app.crypto.cms import sign_detached

            (tmp / SIGNATURE).write_bytes(sign_detached(manifest_bytes, signing))
        for path in tmp.rglob("*"):
            if path.is_file():
                with open(path, "rb+") as fh:
                    os.fsync(fh.fileno())
        cancel.raise_if_cancelled()
        old = None
        if overwrite and out_dir.exists():  # the old folder goes only once the new one is whole
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
        fsync_dir(out_dir.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(total, total, UPLOAD_LIST)
    store.record_event(
        "upload_folder.export",
        {
            "folder": out_dir.name,
            "channel": profile.id,
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
            "uploads": len(rows),
            "unfit": len(unfit),
            "signer": signing.fingerprint if signing is not None else None,
            "gaps": len(gaps),
        },
    )
    return UploadFolderResult(
        folder=out_dir,
        channel=profile.id,
        uploads=rows,
        unfit=unfit,
        files=len(files) + 1 + (signing is not None),
        signed=signing is not None,
        gaps=len(gaps),
        unredacted_personal=[item.id for item in unredacted],
    )
