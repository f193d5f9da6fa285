"""Trusted time for a case, offline: write timestamp queries, import the authority's replies.

``request_timestamps`` writes one .tsq per chosen exhibit (the SHA-256 of its original) and,
on request, one for the manifest of the case's last exported packet, and logs every query
(digest and nonce) on the custody log. ``import_replies`` matches each .tsr to a logged query
by digest and nonce, validates it (:mod:`evidence_app.crypto.timestamps`), stores the reply and
the trust anchor it chained to as blobs, and records the token on the exhibit together with a
custody entry naming its genTime and TSA. A reply that matches no query of this case, or
fails validation, is refused with its reason and changes nothing.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from evidence_app.crypto import timestamps as ts
from evidence_app.durable import write_atomic
from evidence_app.errors import EvidenceError, UsageError, VerificationFailed
from evidence_app.model import EvidenceItem, TrustedTimestamp
from evidence_app.store import CaseStore
from evidence_app.store.case_store import iso

REQUEST_ACTION = "timestamp.request"
EVIDENCE_ACTION = "evidence.timestamp"
MANIFEST_ACTION = "timestamp.manifest"
# A trusted time this long after the capture time is flagged: the token then proves only
# that the file existed by genTime, not that the capture happened when it says.
DEFAULT_TOLERANCE = _dt.timedelta(hours=24)


@dataclass
class QueryFile:
    path: Path
    subject: str  # an exhibit label (E001) or "manifest"
    sha256: str
    nonce: int


@dataclass
class ImportResult:
    path: Path
    status: Literal["imported", "duplicate", "refused"]
    subject: str = ""  # E001 / manifest
    gen_time: str = ""
    tsa: str = ""
    error: EvidenceError | None = None
    capture_gap: str = ""  # "", "before_capture" or "late": trusted time vs the capture time
    details: dict[str, Any] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "status": self.status,
            "subject": self.subject,
            "gen_time": self.gen_time,
            "tsa": self.tsa,
            "capture_gap": self.capture_gap,
            "error": self.error.key if self.error else None,
            "reason": self.error.message() if self.error else None,
        }


def _last_manifest(store: CaseStore) -> tuple[str, str] | None:
    """(manifest SHA-256, packet name) of the last exported packet."""
    for entry in reversed(store.custody_log()):
        if entry.action == "packet.export" and entry.details.get("manifest_sha256"):
            return entry.details["manifest_sha256"], str(entry.details.get("packet", ""))
    return None


def request_timestamps(
    store: CaseStore,
    out_dir: Path,
    *,
    exhibits: Sequence[str] = (),
    manifest: bool = False,
    all_exhibits: bool = False,
) -> list[QueryFile]:
    """Write .tsq files into ``out_dir``. ``exhibits`` are labels (E001), numbers or ids;
    with none given and no ``manifest``, every exhibit is included."""
    case = store.load()
    chosen = _choose(case.evidence, exhibits) if exhibits else []
    if not exhibits and (all_exhibits or not manifest):
        chosen = list(case.evidence)
    plans: list[tuple[str, str, str, dict[str, Any]]] = []  # label, sha256, filename, details
    for item in chosen:
        plans.append(
            (
                item.label,
                item.sha256,
                f"{item.label}.tsq",
                {"exhibit": item.id, "label": item.label},
            )
        )
    if manifest:
        last = _last_manifest(store)
        if last is None:
            raise UsageError("timestamp.no_export")
        sha, packet = last
        plans.append(("manifest", sha, f"manifest-{sha[:12]}.tsq", {"packet": packet}))
    if not plans:
        raise UsageError("timestamp.nothing_to_request")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[QueryFile] = []
    for label, sha, filename, extra in plans:
        query = ts.build_query(bytes.fromhex(sha))
        path = out_dir / filename
        write_atomic(path, query.der)
        store.record_event(
            REQUEST_ACTION,
            {"subject": label, "sha256": sha, "nonce": str(query.nonce), "file": filename, **extra},
        )
        written.append(QueryFile(path, label, sha, query.nonce))
    return written


def _choose(items: list[EvidenceItem], wanted: Sequence[str]) -> list[EvidenceItem]:
    chosen: list[EvidenceItem] = []
    for key in wanted:
        match = next(
            (i for i in items if key in (i.label, i.id, str(i.number), f"E{i.number}")), None
        )
        if match is None:
            raise UsageError("timestamp.no_such_exhibit", exhibit=key)
        if match not in chosen:
            chosen.append(match)
    return chosen


def import_replies(
    store: CaseStore,
    paths: Sequence[Path],
    trust: list[x509.Certificate],
    *,
    tolerance: _dt.timedelta = DEFAULT_TOLERANCE,
) -> list[ImportResult]:
    """Validate and record each .tsr; one result per file, in order."""
    results = []
    for path in paths:
        try:
            results.append(_import_one(store, Path(path), trust, tolerance))
        except EvidenceError as error:
            results.append(ImportResult(Path(path), "refused", error=error))
    return results


def _queries(store: CaseStore) -> list[dict[str, Any]]:
    return [e.details for e in store.custody_log() if e.action == REQUEST_ACTION]


def _import_one(
    store: CaseStore, path: Path, trust: list[x509.Certificate], tolerance: _dt.timedelta
) -> ImportResult:
    try:
        if path.stat().st_size > ts.MAX_REPLY_SIZE:
            raise VerificationFailed("timestamp.malformed", detail="too large")
        reply = path.read_bytes()
    except OSError as exc:
        raise UsageError("timestamp.unreadable", path=str(path), detail=exc.strerror or "") from exc
    digest, nonce = ts.reply_digest(reply)
    query = next(
        (
            q
            for q in reversed(_queries(store))
            if q.get("sha256") == digest.hex() and q.get("nonce") == str(nonce)
        ),
        None,
    )
    if query is None:
        raise VerificationFailed("timestamp.no_query", sha256=digest.hex())
    token = ts.validate_reply(reply, digest, nonce, trust)
    token_sha = _put_blob(store, reply)
    root_sha = _put_blob(store, token.root.public_bytes(serialization.Encoding.PEM))
    record = TrustedTimestamp(
        token_sha256=token_sha,
        gen_time=iso(token.gen_time),
        tsa=token.tsa_subject,
        tsa_cert_sha256=token.tsa_cert_sha256,
        root_sha256=root_sha,
        root_subject=token.root.subject.rfc4514_string(),
        serial=format(token.serial, "x"),
        policy=token.policy,
        accuracy_seconds=token.accuracy_seconds,
        imported_at=iso(store.clock()),
    )
    logged = {
        "token_sha256": token_sha,
        "gen_time": record.gen_time,
        "tsa": record.tsa,
        "root_sha256": root_sha,
        "sha256": digest.hex(),
    }
    result = ImportResult(path, "imported", gen_time=record.gen_time, tsa=record.tsa)
    if "exhibit" not in query:
        result.subject = "manifest"
        done = {e.details.get("token_sha256") for e in store.custody_log()}
        if token_sha in done:
            result.status = "duplicate"
            return result
        store.record_event(MANIFEST_ACTION, {**logged, "packet": query.get("packet", "")})
        return result
    item = store.get_evidence(str(query["exhibit"]))
    result.subject = item.label
    if item.sha256 != digest.hex():  # the exhibit was withdrawn and its id reused: never
        raise VerificationFailed("timestamp.no_query", sha256=digest.hex())
    if any(t.token_sha256 == token_sha for t in item.timestamps):
        result.status = "duplicate"
        return result
    item.timestamps.append(record)
    store.update_evidence(item, action=EVIDENCE_ACTION, details=logged)
    result.capture_gap = capture_gap(item, record, tolerance)
    return result


def capture_gap(
    item: EvidenceItem, record: TrustedTimestamp, tolerance: _dt.timedelta = DEFAULT_TOLERANCE
) -> str:
    """How the trusted time relates to the exhibit's stated capture time: "" (consistent or
    no capture time), "before_capture" (the file was timestamped before it was supposedly
    captured: the capture time is wrong) or "late" (more than ``tolerance`` after it)."""
    captured = item.fields.get("captured_at", "")
    if not captured or not record.gen_time:
        return ""
    try:
        when = _dt.datetime.fromisoformat(captured.replace("Z", "+00:00"))
        gen = _dt.datetime.fromisoformat(record.gen_time.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:  # a local time typed without a zone: China Standard Time
        when = when.replace(tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
    if gen + _dt.timedelta(minutes=5) < when:
        return "before_capture"
    if gen - when > tolerance:
        return "late"
    return ""


def _put_blob(store: CaseStore, data: bytes) -> str:
    staged = store.blobs.stage(io.BytesIO(data))
    store.blobs.commit(staged)
    return staged.sha256
