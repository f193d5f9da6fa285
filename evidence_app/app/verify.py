"""Verify a packet: open the reader's age identities (or use the packet passphrase), load
the certificates to trust, and check everything (:func:`evidence_app.packet.verify_packet`).
One request for both faces; the report is the packet floor's typed :class:`VerifyReport`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.app.operation import Operation
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

if TYPE_CHECKING:
    from evidence_app.packet.reader import VerifyReport


@dataclass(frozen=True)
class VerifyRequest:
    packet: Path
    identities: tuple[Path, ...] = ()  # age identity files
    identity_passphrase: str | None = None  # for passphrase-protected identity files
    passphrase: str | None = None  # the packet's passphrase, instead of identities
    trust: tuple[Path, ...] = ()  # PEM certificates to trust as signers
    extract_to: Path | None = None


def verify(
    request: VerifyRequest,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> VerifyReport:
    """Verification failures come back in the report; a reader key that cannot be opened
    (wrong passphrase, damaged file) raises its :class:`EvidenceError`."""
    from evidence_app.crypto.age_keys import load_age_identity
    from evidence_app.crypto.identities import load_certificates
    from evidence_app.packet import verify_packet

    keys = [
        key
        for path in request.identities
        for key in load_age_identity(path, request.identity_passphrase)
    ]
    trust = [cert for path in request.trust for cert in load_certificates(path)]
    extract = request.extract_to
    if extract is not None:
        from evidence_app.output_guard import check_output

        # never into a case folder or onto an input; emptiness is the reader's own rule
        extract = check_output(
            extract, overwrite=True, folder=True, inputs=[request.packet, *request.identities]
        )
    return verify_packet(
        request.packet,
        identities=keys,
        passphrase=request.passphrase,
        trust=trust or None,
        extract_to=extract,
        progress=progress,
        cancel=cancel,
    )


def verify_operation(request: VerifyRequest) -> Operation[VerifyReport]:
    """Isolated: decrypting with a passphrase runs scrypt, which holds the interpreter lock."""
    return Operation("verify", verify, (request,), isolated=True)
