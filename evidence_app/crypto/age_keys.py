"""age X25519 identities: created or imported, kept passphrase-encrypted in the age format.

An identity file is the text ``age-keygen`` writes (comments, then ``AGE-SECRET-KEY-1...``)
encrypted with an age passphrase (scrypt) and ASCII-armored, so the reference tool opens it:
``age -d -i key.age packet.evpkt`` asks for the passphrase. Plain identity files made by
``age-keygen`` can be read (to import them) but are never written.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pyrage

from evidence_app.crypto import age_stream
from evidence_app.crypto.hardening import no_core_dumps
from evidence_app.crypto.identities import MIN_PASSPHRASE
from evidence_app.crypto.secure_files import read_limited, write_private_file
from evidence_app.errors import EvidenceError, UsageError

SECRET_PREFIX = "AGE-SECRET-KEY-1"  # noqa: S105 - a format prefix, not a secret
MAX_IDENTITY_FILE = 64 * 1024


def identity_text(identity: pyrage.x25519.Identity, created: _dt.datetime | None = None) -> str:
    when = (created or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
    return (
        f"# created: {when.isoformat(timespec='seconds').replace('+00:00', 'Z')}\n"
        f"# public key: {identity.to_public()}\n"
        f"{identity}\n"
    )


def encrypt_identity_text(text: str, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError("crypto.passphrase_too_short", min=MIN_PASSPHRASE)
    data = age_stream.encrypt_small_with_passphrase(text.encode("ascii"), passphrase)
    # pyrage picks the scrypt work factor by timing this machine; make sure our own reader
    # (which refuses high factors from hostile files) will open what we just wrote.
    age_stream.check_passphrase_header(data)
    return data


def new_age_identity(out_path: Path, passphrase: str | None) -> str:
    """Create an X25519 identity, write it passphrase-encrypted to ``out_path``, and return
    its public recipient (``age1...``). A passphrase is required: private keys never touch
    the disk unencrypted."""
    if passphrase is None:
        raise UsageError("crypto.age.passphrase_required")
    identity = pyrage.x25519.Identity.generate()
    write_private_file(Path(out_path), encrypt_identity_text(identity_text(identity), passphrase))
    return str(identity.to_public())


def parse_identities(text: str, label: str = "") -> list[pyrage.x25519.Identity]:
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(SECRET_PREFIX):
            raise EvidenceError("crypto.age.unsupported_identity", path=label)
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError) as exc:
            raise EvidenceError("crypto.age.bad_identity", path=label) from exc
    if not identities:
        raise EvidenceError("crypto.age.bad_identity", path=label)
    return identities


def is_encrypted_identity_file(data: bytes) -> bool:
    stripped = data.strip()
    return stripped.startswith(age_stream.INTRO) or stripped.startswith(age_stream.ARMOR_BEGIN)


def load_age_identity(path: Path, passphrase: str | None) -> list[pyrage.x25519.Identity]:
    """The identities in an identity file (passphrase-encrypted, or plain from age-keygen)."""
    no_core_dumps()  # a private key in memory from here on
    data = read_limited(Path(path), MAX_IDENTITY_FILE, "crypto.file_too_large")
    if is_encrypted_identity_file(data):
        if passphrase is None:
            raise UsageError("crypto.age.passphrase_needed", path=str(path))
        try:
            data = age_stream.decrypt_small_with_passphrase(data, passphrase)
        except age_stream.AgeError as exc:
            if exc.key == "age.wrong_passphrase":
                raise EvidenceError("crypto.age.wrong_passphrase", path=str(path)) from exc
            raise
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise EvidenceError("crypto.age.bad_identity", path=str(path)) from exc
    return parse_identities(text, str(path))


def import_age_identity(src_path: Path, out_path: Path, passphrase: str) -> list[str]:
    """Re-write a plain identity file (e.g. from age-keygen) passphrase-encrypted; returns
    the recipients. The source file is left for the user to delete securely."""
    identities = load_age_identity(src_path, None)
    text = "".join(identity_text(i) for i in identities)
    write_private_file(Path(out_path), encrypt_identity_text(text, passphrase))
    return [str(i.to_public()) for i in identities]
