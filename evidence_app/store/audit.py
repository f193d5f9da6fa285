"""The case audit: walk the custody chain, compare every record with its last logged
state, and re-hash every original the case refers to. Findings are message keys with
parameters; the faces word them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.store.blobs import BlobStore
from evidence_app.store.custody import GENESIS, CustodyEntry, state_hash, verify_chain


@dataclass
class AuditProblem:
    key: str  # message key, e.g. audit.blob_mismatch
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class AuditReport:
    entries: int = 0
    blobs_checked: int = 0
    bytes_checked: int = 0
    problems: list[AuditProblem] = field(default_factory=list)
    notes: list[AuditProblem] = field(default_factory=list)  # harmless findings
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class AuditSnapshot:
    """What the store holds now, read in one go under its lock."""

    entries: list[CustodyEntry]
    current: dict[str, Any]  # subject ("complainant", "target:T1", ...) → stored JSON
    evidence: list[tuple[str, str, int | None]]  # (id, sha256, exhibit number)


def run_audit(
    snapshot: AuditSnapshot,
    blobs: BlobStore,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> AuditReport:
    report = AuditReport()
    entries = snapshot.entries
    report.entries = len(entries)
    report.head = entries[-1].hash if entries else GENESIS
    broken = verify_chain(entries)
    if broken is not None:
        report.problems.append(AuditProblem(f"audit.chain_{broken.reason}", {"seq": broken.seq}))

    # The last logged state of each subject must match what is stored now.
    last_state: dict[str, Any] = {}
    for entry in entries:
        if "state" in entry.details:
            last_state[entry.subject] = entry.details["state"]
    current = snapshot.current
    for subject, value in sorted(current.items()):
        logged = last_state.get(subject)
        if logged is None or logged != state_hash(value):
            report.problems.append(AuditProblem("audit.record_changed", {"subject": subject}))
    for subject, logged in sorted(last_state.items()):
        if logged is not None and subject not in current and subject != "case":
            report.problems.append(AuditProblem("audit.record_missing", {"subject": subject}))

    total = len(snapshot.evidence)
    referenced: set[str] = set()
    for done, (eid, sha, number) in enumerate(snapshot.evidence, start=1):
        cancel.raise_if_cancelled()
        referenced.add(sha)
        path = blobs.path_for(sha)
        if not path.is_file():
            report.problems.append(
                AuditProblem("audit.blob_missing", {"number": number, "sha256": sha})
            )
        elif not blobs.verify(sha, cancel):
            report.problems.append(
                AuditProblem("audit.blob_mismatch", {"number": number, "sha256": sha})
            )
        else:
            report.blobs_checked += 1
            report.bytes_checked += path.stat().st_size
        progress(done, total, eid)
    orphans = [d for d in blobs.all_digests() if d not in referenced]
    if orphans:
        report.notes.append(AuditProblem("audit.orphan_blobs", {"count": len(orphans)}))
    return report
