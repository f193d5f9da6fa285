"""Signing identities: an EC P-256 (or the CA's RSA/EC) key with its X.509 certificate, kept
in a passphrase-protected PKCS#12 file.

A new identity is self-signed; its subject names the company (O, CN) and carries the USCC as
an ``organizationIdentifier`` in the ETSI EN 319 412-1 form ``NTRCN-<USCC>`` (national trade
register, China). An identity issued by the enterprise's CA is imported as its PKCS#12. The
private key exists unencrypted only in memory; the passphrase is never stored.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from evidence_app import validators
from evidence_app.crypto.hardening import no_core_dumps
from evidence_app.crypto.secure_files import read_limited, write_private_file
from evidence_app.errors import EvidenceError, UsageError, ValidationError

Clock = Callable[[], _dt.datetime]
SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

MIN_PASSPHRASE = 8
MAX_P12_SIZE = 1024 * 1024
VALIDITY_DAYS = 3 * 365
USCC_PREFIX = "NTRCN-"  # ETSI EN 319 412-1 semantics identifier: national trade register, CN


@dataclass
class SigningIdentity:
    key: SigningKey
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)  # CA certificates, if any

    @property
    def fingerprint(self) -> str:
        return cert_fingerprint(self.cert)

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()


def cert_fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, hex: the value people compare out of band."""
    return cert.fingerprint(hashes.SHA256()).hex()


def subject_uscc(cert: x509.Certificate) -> str:
    """The USCC found in the certificate subject, or "" (CAs place it in various attributes:
    organizationIdentifier, serialNumber, OU; accept any attribute holding a valid code)."""
    for attr in cert.subject:
        value = attr.value if isinstance(attr.value, str) else ""
        candidate = value.removeprefix(USCC_PREFIX).strip().upper()
        if validators.is_valid_uscc(candidate):
            return candidate
    return ""


def subject_organisation(cert: x509.Certificate) -> str:
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        attrs = cert.subject.get_attributes_for_oid(oid)
        if attrs and isinstance(attrs[0].value, str):
            return attrs[0].value
    return ""


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError("crypto.passphrase_too_short", min=MIN_PASSPHRASE)


def new_signing_identity(
    name: str, uscc: str, passphrase: str, out_path: Path, clock: Clock
) -> SigningIdentity:
    """Create an EC P-256 key and a self-signed certificate and write them as PKCS#12."""
    name = name.strip()
    uscc = uscc.strip().upper()
    if not name:
        raise ValidationError("crypto.signing.name_required")
    if not validators.is_valid_uscc(uscc):
        raise ValidationError("crypto.signing.bad_uscc", uscc=uscc)
    _check_passphrase(passphrase)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, USCC_PREFIX + uscc),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = clock().astimezone(_dt.UTC).replace(microsecond=0)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(now + _dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    identity = SigningIdentity(key=key, cert=cert, chain=[])
    write_private_file(Path(out_path), serialize_p12(identity, passphrase, friendly_name=name))
    return identity


def serialize_p12(identity: SigningIdentity, passphrase: str, friendly_name: str = "") -> bytes:
    """PKCS#12 with PBES2 (AES-256-CBC, PBKDF2-SHA256) and a SHA-256 MAC."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(200_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode("utf-8"))
    )
    return pkcs12.serialize_key_and_certificates(
        (friendly_name or subject_organisation(identity.cert) or "evidence-app").encode("utf-8"),
        identity.key,
        identity.cert,
        identity.chain or None,
        encryption,
    )


def load_signing_identity(p12_path: Path, passphrase: str) -> SigningIdentity:
    """Open a PKCS#12 file; refuses a wrong passphrase, a missing key or certificate, a key
    that does not belong to the certificate, and key types we cannot sign with."""
    no_core_dumps()  # a private key in memory from here on
    data = read_limited(Path(p12_path), MAX_P12_SIZE, "crypto.file_too_large")
    return parse_p12(data, passphrase, str(p12_path))


def parse_p12(data: bytes, passphrase: str, label: str = "") -> SigningIdentity:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError as exc:
        # cryptography says "Invalid password or PKCS12 data" for both; tell the user both.
        raise EvidenceError("crypto.signing.cannot_open", path=label) from exc
    if key is None or cert is None:
        raise EvidenceError("crypto.signing.incomplete", path=label)
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise EvidenceError("crypto.signing.unsupported_key", path=label)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, spki) != cert.public_key().public_bytes(der, spki):
        raise EvidenceError("crypto.signing.key_mismatch", path=label)
    return SigningIdentity(key=key, cert=cert, chain=list(extra or []))


def import_signing_identity(
    src_path: Path, passphrase: str, out_path: Path, new_passphrase: str | None = None
) -> SigningIdentity:
    """Check a PKCS#12 issued by the enterprise's CA and store it re-encrypted with modern
    PKCS#12 encryption (CAs often still ship 3DES/RC2)."""
    identity = load_signing_identity(src_path, passphrase)
    target_pass = new_passphrase if new_passphrase is not None else passphrase
    _check_passphrase(target_pass)
    write_private_file(Path(out_path), serialize_p12(identity, target_pass))
    return identity


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificates(path: Path) -> list[x509.Certificate]:
    """PEM (one or more) or DER certificates, for --trust."""
    data = read_limited(Path(path), MAX_P12_SIZE, "crypto.file_too_large")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise UsageError("crypto.bad_certificate", path=str(path)) from exc
