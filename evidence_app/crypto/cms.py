"""Detached CMS (PKCS#7) signatures over the packet manifest.

Signing uses ``cryptography``'s ``PKCS7SignatureBuilder`` (DER, detached, binary: the bytes
are signed exactly as stored, no MIME canonicalisation), so that ``openssl cms -verify
-binary -inform DER -content manifest.json`` accepts it. ``cryptography`` has no CMS verify;
pyHanko's generic CMS validator does it, and checks the chain when trust roots are given.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import logging
from dataclasses import dataclass

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from evidence_app.crypto.identities import (
    SigningIdentity,
    cert_fingerprint,
    subject_organisation,
    subject_uscc,
)
from evidence_app.errors import VerificationFailed
from evidence_app.lazy_import import IMPORT_LOCK

MAX_SIGNATURE_SIZE = 256 * 1024

# pyHanko logs a traceback for every certificate it cannot chain (always, for self-signed
# certificates checked without trust roots); the outcome is reported through our own errors.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)


@dataclass
class SignerInfo:
    """Who signed, when (as claimed by the signer), and whether a trust root vouches for it."""

    subject: str
    organisation: str
    uscc: str
    fingerprint: str  # SHA-256 of the signer's DER certificate
    signing_time: str | None  # ISO 8601 UTC, from the signed attributes
    trusted: bool | None  # None: no trust roots were given (signature checked, chain not)
    cert: x509.Certificate

    # Certificates do not pickle; reports travel from the desktop app's helper process.
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["cert"] = self.cert.public_bytes(serialization.Encoding.DER)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        state = dict(state)
        state["cert"] = x509.load_der_x509_certificate(state["cert"])  # type: ignore[arg-type]
        self.__dict__.update(state)

    def to_json_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "organisation": self.organisation,
            "uscc": self.uscc,
            "fingerprint_sha256": self.fingerprint,
            "signing_time": self.signing_time,
            "trusted": self.trusted,
        }


def signer_info_from_cert(
    cert: x509.Certificate, signing_time: _dt.datetime | None, trusted: bool | None
) -> SignerInfo:
    when = None
    if signing_time is not None:
        when = signing_time.astimezone(_dt.UTC).isoformat().replace("+00:00", "Z")
    return SignerInfo(
        subject=cert.subject.rfc4514_string(),
        organisation=subject_organisation(cert),
        uscc=subject_uscc(cert),
        fingerprint=cert_fingerprint(cert),
        signing_time=when,
        trusted=trusted,
        cert=cert,
    )


def sign_detached(data: bytes, identity: SigningIdentity) -> bytes:
    """A DER detached CMS signature over ``data`` carrying the signer's certificate (and
    its CA chain, if any)."""
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(identity.cert, identity.key, hashes.SHA256())
    )
    for ca in identity.chain:
        builder = builder.add_certificate(ca)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def _parse_signed_data(sig: bytes) -> asn1_cms.SignedData:
    if len(sig) > MAX_SIGNATURE_SIZE:
        raise VerificationFailed("crypto.cms.malformed", detail="too large")
    try:
        info = asn1_cms.ContentInfo.load(sig, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed-data")
        signed = info["content"]
        signers = signed["signer_infos"]
        if len(signers) != 1:
            raise ValueError(f"{len(signers)} signers")
        if signed["encap_content_info"]["content"].native is not None:
            raise ValueError("not detached")
        signed.native  # noqa: B018 - force a full parse: reject malformed DER up front
    except (ValueError, TypeError, KeyError) as exc:
        raise VerificationFailed("crypto.cms.malformed", detail=str(exc)) from exc
    return signed


def verify_detached(
    data: bytes, sig: bytes, trust: list[x509.Certificate] | None = None
) -> SignerInfo:
    """Check a detached CMS signature over ``data``. With ``trust``, the signer's certificate
    must also chain to one of those certificates (no network fetching)."""
    with IMPORT_LOCK:  # see lazy_import: never two threads importing pyHanko at once
        from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
        from pyhanko_certvalidator import ValidationContext

    signed = _parse_signed_data(sig)
    # Always an explicit context: never the OS trust list, never the network.
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(c.public_bytes(_DER)) for c in trust or []],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = asyncio.run(
            async_validate_detached_cms(data, signed, signer_validation_context=context)
        )
    except Exception as exc:  # pyHanko raises several types for malformed input
        raise VerificationFailed("crypto.cms.malformed", detail=str(exc)) from exc
    if not status.intact:
        raise VerificationFailed("crypto.cms.digest_mismatch")
    if not status.valid:
        raise VerificationFailed("crypto.cms.bad_signature")
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    trusted: bool | None = None
    if trust:
        trusted = bool(status.trusted)
        if not trusted:
            raise VerificationFailed("crypto.cms.untrusted", subject=cert.subject.rfc4514_string())
    return signer_info_from_cert(cert, status.signer_reported_dt, trusted)


_DER = serialization.Encoding.DER
