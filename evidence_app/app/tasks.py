"""The desktop app's long jobs as plain entry points that run in a helper process.

Each function takes only picklable data (paths, strings, a request dataclass) and the usual
``progress`` / ``cancel`` keywords, opens what it needs itself and returns a picklable
result, so :func:`evidence_app.app.process_job.run_in_process` can run it away from the window's
interpreter (see that module for why). The command line calls the same core functions
directly, in its own process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.store.case_store import Clock, utc_now


@dataclass
class ExportRequest:
    """Everything an export needs; built by the export wizard, checked before the job."""

    out_path: Path = Path()
    target_ids: list[str] = field(default_factory=list)
    allow_gaps: bool = False
    identity_mode: str = "new"  # new | existing
    identity_path: Path = Path()
    identity_passphrase: str = ""
    signer_name: str = ""
    signer_uscc: str = ""
    recipients: list[str] = field(default_factory=list)
    packet_passphrase: str | None = None
    channel: str | None = None  # a channel profile id; saved as the case's channel
    folder_path: Path | None = None  # also write an upload folder (not encrypted) here


@dataclass
class VerifyRequest:
    packet: Path
    key_file: Path | None
    passphrase: str
    trust: Path | None
    extract_to: Path | None


def export_case(
    case_root: Path,
    request: ExportRequest,
    clock: Clock = utc_now,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> Any:
    """Open or create the signing identity, then export the case as a packet. The case is
    opened without clean-up: the window that asked for the export has it open too."""
    from evidence_app.crypto import identities
    from evidence_app.exporters.packet import export_packet
    from evidence_app.store import CaseStore

    if request.identity_mode == "new":
        signing = identities.new_signing_identity(
            request.signer_name,
            request.signer_uscc,
            request.identity_passphrase,
            request.identity_path,
            clock,
        )
    else:
        signing = identities.load_signing_identity(
            request.identity_path, request.identity_passphrase
        )
    cancel.raise_if_cancelled()
    with CaseStore.open(case_root, clock=clock, clean_up=False) as store:
        if request.channel and request.channel != store.load().channel:
            store.set_channel(request.channel)  # forms/ and the PDF name the chosen channel
        result = export_packet(
            store,
            request.out_path,
            recipients=request.recipients,
            passphrase=request.packet_passphrase,
            signing=signing,
            allow_gaps=request.allow_gaps,
            target_ids=request.target_ids or None,
            clock=clock,
            progress=progress,
            cancel=cancel,
        )
        if request.folder_path is not None:
            from evidence_app.exporters.upload_folder import export_upload_folder

            result.upload_folder = export_upload_folder(
                store,
                request.folder_path,
                channel=request.channel,
                target_ids=request.target_ids or None,
                signing=signing,
                allow_gaps=request.allow_gaps,
                clock=clock,
                progress=progress,
                cancel=cancel,
            )
        return result


def verify(
    request: VerifyRequest,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> Any:
    """Open the reader's key (or use the passphrase) and verify the packet."""
    from evidence_app.packet import verify_packet

    identities: list[Any] = []
    passphrase: str | None = None
    if request.key_file is not None:
        from evidence_app.crypto.age_keys import load_age_identity

        identities = load_age_identity(request.key_file, request.passphrase or None)
    else:
        passphrase = request.passphrase
    trust: list[Any] = []
    if request.trust is not None:
        from evidence_app.crypto.identities import load_certificates

        trust = load_certificates(request.trust)
    return verify_packet(
        request.packet,
        identities=identities,
        passphrase=passphrase,
        trust=trust,
        extract_to=request.extract_to,
        progress=progress,
        cancel=cancel,
    )


def new_age_key(
    path: Path,
    passphrase: str,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> str:
    """Create a passphrase-protected age identity file; return its recipient (scrypt: ~1 s
    of work that holds the interpreter lock, hence a helper process)."""
    from evidence_app.crypto.age_keys import new_age_identity

    return new_age_identity(path, passphrase)
