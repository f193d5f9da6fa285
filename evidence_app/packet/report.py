"""The outcome of verifying a packet, for the CLI (--json) and the UI's verify dialog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.crypto.cms import SignerInfo
from evidence_app.crypto.pades import PadesStatus
from evidence_app.errors import VerificationFailed
from evidence_app.i18n import tr
from evidence_app.packet.manifest import Manifest

# Per-file states
OK = "ok"
MISMATCH = "mismatch"  # SHA-256 differs
SIZE_MISMATCH = "size_mismatch"
MISSING = "missing"  # listed in the manifest, absent from the ZIP
EXTRA = "extra"  # in the ZIP, not listed in the manifest
UNCHECKED = "unchecked"  # verification stopped before this file


@dataclass
class FileStatus:
    path: str
    status: str
    size: int = 0
    expected_sha256: str = ""
    actual_sha256: str = ""
    expected_sm3: str = ""  # originals carry an SM3 digest too
    actual_sm3: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        result = {
            "path": self.path,
            "status": self.status,
            "size": self.size,
            "expected_sha256": self.expected_sha256,
            "actual_sha256": self.actual_sha256,
        }
        if self.expected_sm3:
            result["expected_sm3"] = self.expected_sm3
            result["actual_sm3"] = self.actual_sm3
        return result


@dataclass
class VerifyReport:
    packet: Path
    error: VerificationFailed | None = None
    signer: SignerInfo | None = None
    pades: PadesStatus | None = None
    manifest: Manifest | None = None
    files: list[FileStatus] = field(default_factory=list)
    custody_entries: int = 0
    extracted_to: Path | None = None
    # "anchored" (--trust chain), "complainant" (certificate names the manifest's
    # complainant, nothing more), "none"; None before the check ran
    trust_level: str | None = None
    matches_complainant: bool | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def fail(self, error: VerificationFailed) -> None:
        if self.error is None:  # the first failure is the reason reported
            self.error = error

    def reason(self) -> str:
        return self.error.message() if self.error else ""

    def raise_for_failure(self) -> None:
        if self.error is not None:
            raise self.error

    def case_summary(self) -> dict[str, Any]:
        return self.manifest.case if self.manifest else {}

    def rule_packs(self) -> dict[str, Any]:
        return self.manifest.rule_packs if self.manifest else {}

    def to_json_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "packet": str(self.packet),
            "ok": self.ok,
            "reason": None
            if self.error is None
            else {
                "key": self.error.key,
                "params": _plain(self.error.params),
                "message": self.reason(),
            },
            "signer": self.signer.to_json_dict() if self.signer else None,
            "trust": {
                "level": self.trust_level,
                "matches_complainant": self.matches_complainant,
                "description": tr(f"packet.trust.{self.trust_level}") if self.trust_level else None,
            },
            "pdf_signature": self.pades.to_json_dict() if self.pades else None,
            "format_version": m.format_version if m else None,
            "created_at": m.created_at if m else None,
            "app": m.app if m else None,
            "rule_packs": self.rule_packs(),
            "case": self.case_summary(),
            "check": m.check if m else None,
            "custody": {**(m.custody if m else {}), "entries_verified": self.custody_entries},
            "files": [f.to_json_dict() for f in self.files],
            "extracted_to": str(self.extracted_to) if self.extracted_to else None,
        }

    def summary_lines(self) -> list[str]:
        """Human-readable lines (translated) for the CLI and logs."""
        lines = []
        if self.signer:
            lines.append(
                tr(
                    "packet.report.signer",
                    subject=self.signer.subject,
                    fingerprint=self.signer.fingerprint,
                )
            )
            lines.append(tr("packet.report.signing_time", time=self.signer.signing_time or "?"))
            if self.signer.trusted is None:
                lines.append(tr("packet.report.untrusted_note"))
            if self.trust_level:
                lines.append(tr(f"packet.trust.{self.trust_level}"))
        case = self.case_summary()
        if case:
            complainant = case.get("complainant", {})
            lines.append(
                tr(
                    "packet.report.case",
                    title=case.get("title", ""),
                    complainant=complainant.get("name", ""),
                    uscc=complainant.get("uscc", ""),
                    targets=len(case.get("targets", [])),
                    exhibits=len(case.get("exhibits", [])),
                )
            )
        if self.manifest:
            packs = ", ".join(f"{k} {v}" for k, v in sorted(self.rule_packs().items())) or "-"
            lines.append(tr("packet.report.rule_packs", packs=packs))
            gaps = self.manifest.check.get("gaps") or []
            if gaps:
                lines.append(tr("packet.report.gaps", count=len(gaps)))
        ok_files = sum(f.status == OK for f in self.files)
        lines.append(tr("packet.report.files", ok=ok_files, total=len(self.files)))
        for f in self.files:
            if f.status != OK:
                lines.append(tr(f"packet.file_status.{f.status}", path=f.path))
        return lines


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
        for k, v in params.items()
    }
