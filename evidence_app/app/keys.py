"""Keys: a new age identity for a recipient (e.g. the company's lawyer). Signing
identities are made by the export plan (a new one) or by ``evidence-app keys``."""

from __future__ import annotations

from pathlib import Path

from evidence_app.app.operation import Operation
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress


def new_age_key(
    path: Path,
    passphrase: str,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> str:
    """Create a passphrase-protected age identity file; return its recipient."""
    from evidence_app.crypto.age_keys import new_age_identity

    return new_age_identity(path, passphrase)


def new_age_key_operation(path: Path, passphrase: str) -> Operation[str]:
    """Isolated: scrypt holds the interpreter lock for about a second."""
    return Operation("age-key", new_age_key, (path, passphrase), isolated=True)
