"""The age v1 header's cryptography (age-encryption.org/v1) on ``cryptography`` primitives:
X25519 and scrypt recipient stanzas, the header MAC, key strings.

Why not pyrage for this: see age_payload (pyrage's streaming holds the GIL and is 5x slower
than cryptography's ChaCha20-Poly1305 here). The header grammar itself is parsed strictly by
age_stream.parse_header; this module only does what comes after parsing.

- X25519 stanza ``-> X25519 <share>``: 32-byte ephemeral share; wrap key =
  HKDF-SHA-256(ikm = X25519(secret, share), salt = share ‖ our public key,
  info "age-encryption.org/v1/X25519"); body = ChaCha20-Poly1305(wrap key, zero nonce) of the
  16-byte file key (32 bytes).
- scrypt stanza ``-> scrypt <salt> <log2 N>``: wrap key = scrypt(passphrase,
  "age-encryption.org/v1/scrypt" ‖ salt, N, r=8, p=1); same body.
- MAC: HMAC-SHA-256(HKDF(file key, salt empty, info "header"), header up to and including
  ``---``).
A malformed stanza of a type we hold an identity for is an error; a stanza that simply does
not open with our key is skipped; unknown stanza types are ignored (as age does).
"""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from evidence_app.crypto import bech32
from evidence_app.errors import UsageError, VerificationFailed

INTRO = b"age-encryption.org/v1\n"
FILE_KEY_SIZE = 16
X25519_LABEL = b"age-encryption.org/v1/X25519"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
RECIPIENT_HRP = "age"
IDENTITY_HRP = "age-secret-key-"
_ZERO_NONCE = bytes(12)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes | None:
    """Canonical unpadded base64, or None."""
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        return None
    return raw if _b64(raw) == text else None


# --- keys ------------------------------------------------------------------------------------


def recipient_bytes(text: str) -> bytes:
    """The 32-byte X25519 public key of an ``age1…`` recipient string."""
    if text.strip().upper().startswith("AGE-SECRET-KEY-"):
        # a secret key pasted where the public one belongs: never echo it back
        raise UsageError("age.recipient_is_secret")
    try:
        hrp, data = bech32.decode(text.strip())
    except bech32.Bech32Error as exc:
        raise UsageError("age.bad_recipient", recipient=_shown(text)) from exc
    if hrp != RECIPIENT_HRP or len(data) != 32 or text.strip() != text.strip().lower():
        raise UsageError("age.bad_recipient", recipient=_shown(text))
    return data


def _shown(text: str) -> str:
    """Enough of a bad recipient to recognise it, never a whole secret-looking string."""
    text = text.strip()
    return text if len(text) <= 16 else f"{text[:12]}…（{len(text)}）"


def secret_key(identity: object) -> X25519PrivateKey:
    """The X25519 key of an identity: an ``AGE-SECRET-KEY-1…`` string, a pyrage identity
    (whose str() is that string) or an X25519PrivateKey."""
    if isinstance(identity, X25519PrivateKey):
        return identity
    text = str(identity).strip()
    try:
        hrp, data = bech32.decode(text)
    except bech32.Bech32Error as exc:
        raise UsageError("crypto.age.bad_identity", path="") from exc
    if hrp != IDENTITY_HRP or len(data) != 32 or text != text.upper():
        raise UsageError("crypto.age.bad_identity", path="")
    return X25519PrivateKey.from_private_bytes(data)


def _public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def identity_string(key: X25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return bech32.encode(IDENTITY_HRP, raw).upper()


def recipient_string(key: X25519PrivateKey) -> str:
    return bech32.encode(RECIPIENT_HRP, _public_bytes(key))


# --- stanzas ---------------------------------------------------------------------------------


def _wrap_key(ikm: bytes, salt: bytes, label: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=salt, info=label).derive(ikm)


def _open_body(wrap_key: bytes, body: bytes) -> bytes | None:
    """The file key, or None when the body does not open with this key."""
    if len(body) != FILE_KEY_SIZE + 16:
        raise VerificationFailed("age.header_malformed", detail="wrapped file key of wrong size")
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None


def wrap_x25519(file_key: bytes, recipient: bytes) -> bytes:
    """The stanza lines (``-> X25519 …`` and its body) for one recipient public key."""
    ephemeral = X25519PrivateKey.generate()
    share = _public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    wrap = _wrap_key(shared, share + recipient, X25519_LABEL)
    body = ChaCha20Poly1305(wrap).encrypt(_ZERO_NONCE, file_key, None)
    return f"-> X25519 {_b64(share)}\n{_b64(body)}\n".encode("ascii")  # 43 columns: one line


def unwrap_x25519(args: Sequence[str], body: bytes, key: X25519PrivateKey) -> bytes | None:
    if len(args) != 1:
        raise VerificationFailed("age.header_malformed", detail="X25519 stanza arguments")
    share = _unb64(args[0])
    if share is None or len(share) != 32:
        raise VerificationFailed("age.header_malformed", detail="X25519 share")
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(share))
    except ValueError as exc:  # a low-order share gives the all-zero secret
        raise VerificationFailed("age.header_malformed", detail="X25519 low-order share") from exc
    return _open_body(_wrap_key(shared, share + _public_bytes(key), X25519_LABEL), body)


def unwrap_scrypt(
    args: Sequence[str], body: bytes, passphrase: str, max_factor: int
) -> bytes | None:
    """Callers have checked the arguments (age_stream._check_scrypt); checked again here
    because running scrypt with a hostile work factor is the one thing never to do."""
    salt = _unb64(args[0]) if len(args) == 2 else None
    if salt is None or len(salt) != 16 or not args[1].isdigit() or args[1].startswith("0"):
        raise VerificationFailed("age.header_malformed", detail="scrypt arguments")
    factor = int(args[1])
    if factor > max_factor:
        raise VerificationFailed("age.work_factor", factor=factor, limit=max_factor)
    if len(body) != FILE_KEY_SIZE + 16:
        raise VerificationFailed("age.header_malformed", detail="wrapped file key of wrong size")
    wrap = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=1 << factor, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )
    return _open_body(wrap, body)


# --- header ----------------------------------------------------------------------------------


def header_mac(file_key: bytes, mac_input: bytes) -> bytes:
    key = HKDF(hashes.SHA256(), 32, salt=b"", info=b"header").derive(file_key)
    return hmac.digest(key, mac_input, "sha256")


def check_mac(file_key: bytes, mac_input: bytes, mac: bytes) -> None:
    if not hmac.compare_digest(header_mac(file_key, mac_input), mac):
        raise VerificationFailed("age.hmac")


def new_file_key() -> bytes:
    return os.urandom(FILE_KEY_SIZE)


def build_header(file_key: bytes, recipients: Sequence[bytes]) -> bytes:
    """The binary header (version line, one X25519 stanza per recipient, MAC line)."""
    head = INTRO + b"".join(wrap_x25519(file_key, r) for r in recipients) + b"---"
    return head + b" " + _b64(header_mac(file_key, head)).encode("ascii") + b"\n"
