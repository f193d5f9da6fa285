"""Preservation certificates (存证证书, 公证书) and the exhibits they certify.

Evidence-preservation services and notaries print the hash of each file they preserved on
their certificate (SHA-256, SM3 or MD5, usually labelled, often broken over two lines). A
certificate imported as :attr:`EvidenceKind.PRESERVATION_CERTIFICATE` has those hashes read
from its PDF text layer (pypdf); exhibits whose SHA-256 or SM3 appears on it are linked at
once, and more can be linked by hand. :func:`check_links` compares every linked exhibit's
original with what the certificate states — match (naming the algorithm) or mismatch — and
records the result on the certificate with a custody entry, so that the 证据目录 can show it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evidence_app.errors import UsageError
from evidence_app.model import EvidenceItem, EvidenceKind
from evidence_app.store import CaseStore

MAX_PAGES = 50
MAX_TEXT = 2 * 1024 * 1024
_HEX = re.compile(r"(?<![0-9A-Za-z])([0-9A-Fa-f]{64}|[0-9A-Fa-f]{32})(?![0-9A-Za-z])")
_LABELS = (
    ("sm3", re.compile(r"SM\s*3", re.I)),
    ("sha256", re.compile(r"SHA[\s-]*256", re.I)),
    ("md5", re.compile(r"MD\s*5", re.I)),
)
CHECK_ACTION = "certificate.check"


def stated_hashes(path: Path) -> list[dict[str, str]]:
    """Hashes printed on a PDF certificate: ``{"algorithm": sm3|sha256|md5|unknown,
    "value": lower-case hex}``, in order of appearance, without repeats."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=False)
        text = ""
        for page in reader.pages[:MAX_PAGES]:
            text += (page.extract_text() or "") + "\n"
            if len(text) > MAX_TEXT:
                break
    except Exception:  # an unreadable text layer states nothing; intake already checked it
        return []
    return hashes_in_text(text[:MAX_TEXT])


def hashes_in_text(text: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    # Certificates wrap long hashes: also read hex runs joined across line breaks.
    joined = re.sub(r"(?<=[0-9A-Fa-f])[ \t]*\r?\n[ \t]*(?=[0-9A-Fa-f])", "", text)
    for source in (text, joined):
        for match in _HEX.finditer(source):
            value = match.group(1).lower()
            if value in seen:
                continue
            seen.add(value)
            found.append({"algorithm": _label(source, match.start(), len(value)), "value": value})
    return found


def _label(text: str, start: int, length: int) -> str:
    """The algorithm named just before the hash (within 40 characters), if any."""
    window = text[max(0, start - 40) : start]
    best, where = "unknown", -1
    for name, pattern in _LABELS:
        for m in pattern.finditer(window):
            if m.start() > where:
                best, where = name, m.start()
    if best == "unknown" and length == 32:
        return "md5"
    return best


def matches(stated: list[dict[str, str]], item: EvidenceItem, md5: str = "") -> str:
    """The algorithm under which the certificate states this exhibit's hash, or ""."""
    for entry in stated:
        value, algorithm = entry["value"], entry["algorithm"]
        if value == item.sha256 and algorithm in ("sha256", "unknown"):
            return "sha256"
        if item.sm3 and value == item.sm3 and algorithm in ("sm3", "unknown"):
            return "sm3"
        if md5 and value == md5 and algorithm in ("md5", "unknown"):
            return "md5"
    return ""


def auto_links(stated: list[dict[str, str]], exhibits: Sequence[EvidenceItem]) -> list[str]:
    """Exhibits whose SHA-256 or SM3 the certificate states (MD5 is not stored: manual)."""
    return [e.id for e in exhibits if matches(stated, e)]


def _md5(store: CaseStore, sha256: str) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with store.blobs.open(sha256) as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def check_links(
    store: CaseStore, certificate_id: str, link: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Link ``link`` (labels, numbers or ids) to the certificate, compare every linked
    exhibit with the hashes it states, record the results; returns them."""
    case = store.load()
    cert = _find(case.evidence, certificate_id)
    if cert.kind != EvidenceKind.PRESERVATION_CERTIFICATE:
        raise UsageError("certificate.not_a_certificate", exhibit=cert.label)
    for key in link:
        target = _find(case.evidence, key)
        if target.id != cert.id and target.id not in cert.certifies:
            cert.certifies.append(target.id)
    stated = cert.metadata.get("certificate_hashes") or []
    by_id = {e.id: e for e in case.evidence}
    results = []
    for eid in cert.certifies:
        item = by_id.get(eid)
        if item is None:
            continue  # withdrawn since
        algorithm = matches(stated, item) or (
            matches(stated, item, _md5(store, item.sha256)) if stated else ""
        )
        status = "match" if algorithm else ("mismatch" if stated else "no_hash")
        results.append(
            {"id": item.id, "number": item.number, "status": status, "algorithm": algorithm}
        )
    cert.metadata["certificate_checks"] = results
    store.update_evidence(
        cert,
        action=CHECK_ACTION,
        details={"checks": [{k: r[k] for k in ("number", "status", "algorithm")} for r in results]},
    )
    return results


def _find(items: Sequence[EvidenceItem], key: str) -> EvidenceItem:
    for item in items:
        if key in (item.label, item.id, str(item.number), f"E{item.number}"):
            return item
    raise UsageError("timestamp.no_such_exhibit", exhibit=key)
