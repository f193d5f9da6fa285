"""RFC 3161 trusted timestamps, offline: build queries (.tsq), read and validate replies (.tsr).

The app never talks to a timestamp authority (TSA) itself: the user carries the query to a
connected machine and brings the reply back (docs/timestamps.md). A reply is accepted only
when all of this holds, each failure refused with its own reason:

- it parses as a DER ``TimeStampResp`` (asn1crypto, strict) within a size limit;
- its status is granted (or granted with modifications);
- the token's ``TSTInfo`` imprint is SHA-256 and equals the digest we asked about, and its
  nonce is the one we sent;
- the CMS signature over the ``TSTInfo`` verifies (pyHanko's ``validate_tst_signed_data``,
  which also demands the timeStamping extended key usage of the signing certificate);
- the TSA's certificate was valid at the token's genTime, and chains to one of the trust
  anchors the user gave (validated *at genTime*, so a token stays good after the TSA's
  certificate expires; no network fetching, revocation soft-fail as nothing is reachable).

Why asn1crypto + pyHanko: both are already dependencies (PAdES signing, CMS verification),
pyHanko's TST validation is the one used for PDF document timestamps, and asn1crypto builds
and parses the RFC 3161 structures directly; rfc3161-client would add a Rust extension for
the same checks.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import hashlib
import secrets
from dataclasses import dataclass

from asn1crypto import core as asn1_core
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from evidence_app.errors import VerificationFailed

MAX_REPLY_SIZE = 1024 * 1024  # real replies with their certificate chain are a few KiB
QUERY_MEDIA_TYPE = "application/timestamp-query"
REPLY_MEDIA_TYPE = "application/timestamp-reply"


@dataclass(frozen=True)
class Query:
    """A timestamp query for one SHA-256 digest."""

    digest: bytes
    nonce: int
    der: bytes


@dataclass
class Token:
    """What a validated reply says."""

    reply: bytes  # the whole .tsr, as received
    digest: bytes
    nonce: int | None
    gen_time: _dt.datetime
    serial: int
    policy: str
    accuracy_seconds: float | None
    tsa_cert: x509.Certificate
    root: x509.Certificate  # the trust anchor the chain ends in

    @property
    def tsa_subject(self) -> str:
        return self.tsa_cert.subject.rfc4514_string()

    @property
    def tsa_cert_sha256(self) -> str:
        return hashlib.sha256(self.tsa_cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def build_query(digest: bytes, nonce: int | None = None) -> Query:
    """A DER ``TimeStampReq``: SHA-256 imprint, a random 64-bit nonce, certReq true (the
    reply must carry the TSA's certificate, so it can be checked offline later)."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest is 32 bytes")
    nonce = nonce if nonce is not None else secrets.randbits(63) | (1 << 62)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": digest,
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return Query(digest, nonce, request.dump())


def parse_query(der: bytes) -> Query:
    try:
        request = tsp.TimeStampReq.load(der, strict=True)
        imprint = request["message_imprint"]
        if imprint["hash_algorithm"]["algorithm"].native != "sha256":
            raise ValueError("not SHA-256")
        return Query(imprint["hashed_message"].native, request["nonce"].native, der)
    except (ValueError, TypeError, KeyError) as exc:
        raise VerificationFailed("timestamp.malformed", detail=str(exc)) from exc


def _fail(key: str, **params: object) -> VerificationFailed:
    return VerificationFailed(key, **params)


def _load_reply(reply: bytes) -> tuple[tsp.TimeStampResp, tsp.TSTInfo]:
    if len(reply) > MAX_REPLY_SIZE:
        raise _fail("timestamp.malformed", detail="too large")
    try:
        resp = tsp.TimeStampResp.load(reply, strict=True)
        status = resp["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            texts = resp["status"]["status_string"].native or []
            raise _fail("timestamp.not_granted", status=str(status), text="; ".join(texts))
        token = resp["time_stamp_token"]
        if token["content_type"].native != "signed_data":
            raise ValueError("token is not signed-data")
        signed = token["content"]
        content = signed["encap_content_info"]["content"]
        if not isinstance(content, asn1_core.ParsableOctetString):
            raise ValueError("no TSTInfo")
        info = content.parsed
        if not isinstance(info, tsp.TSTInfo):
            raise ValueError("content is not TSTInfo")
        resp.native  # noqa: B018 - force a full parse: reject malformed DER up front
    except VerificationFailed:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _fail("timestamp.malformed", detail=str(exc)[:200]) from exc
    return resp, info


def reply_digest(reply: bytes) -> tuple[bytes, int | None]:
    """The imprint (SHA-256 only) and nonce a reply is about: used to match a reply to its
    query before validating it."""
    _resp, info = _load_reply(reply)
    imprint = info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm != "sha256":
        raise _fail("timestamp.wrong_algorithm", algorithm=str(algorithm))
    return imprint["hashed_message"].native, info["nonce"].native


def validate_reply(
    reply: bytes,
    expected_digest: bytes,
    expected_nonce: int | None,
    trust: list[x509.Certificate],
) -> Token:
    """Validate a reply against the digest and nonce we asked about and the trust anchors;
    raise ``VerificationFailed`` with the reason otherwise."""
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko_certvalidator import ValidationContext

    resp, info = _load_reply(reply)
    digest, nonce = reply_digest(reply)
    if digest != expected_digest:
        raise _fail("timestamp.hash_mismatch", got=digest.hex(), expected=expected_digest.hex())
    if expected_nonce is not None and nonce != expected_nonce:
        raise _fail("timestamp.nonce_mismatch")
    if not trust:
        raise _fail("timestamp.no_trust")
    signed = resp["time_stamp_token"]["content"]
    gen_time: _dt.datetime = info["gen_time"].native
    tsa_cert = _signer_cert(signed)
    if not tsa_cert.not_valid_before_utc <= gen_time <= tsa_cert.not_valid_after_utc:
        raise _fail(
            "timestamp.tsa_cert_expired",
            subject=tsa_cert.subject.rfc4514_string(),
            gen_time=_iso(gen_time),
            not_before=_iso(tsa_cert.not_valid_before_utc),
            not_after=_iso(tsa_cert.not_valid_after_utc),
        )
    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust]
    # Validated at genTime: what matters is that the TSA's certificate was good when it
    # signed. Never the OS trust list, never the network.
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=gen_time
    )
    try:
        status = asyncio.run(
            validate_tst_signed_data(signed, context, lambda _algorithm: expected_digest)
        )
    except Exception as exc:  # pyHanko raises several types for malformed tokens
        raise _fail("timestamp.bad_signature", detail=str(exc)[:200]) from exc
    if not status.get("intact"):
        raise _fail("timestamp.bad_signature", detail="digest of TSTInfo does not match")
    if not status.get("valid"):
        raise _fail("timestamp.bad_signature", detail="signature does not verify")
    path = status.get("validation_path")
    if status.get("trust_problem_indic") is not None or path is None:
        raise _fail("timestamp.untrusted", subject=tsa_cert.subject.rfc4514_string())
    anchor = path.trust_anchor if path is not None else None
    root = _anchor_cert(anchor, trust)
    accuracy = info["accuracy"]
    seconds: float | None = None
    if accuracy.native is not None:
        parts = accuracy.native
        seconds = (
            (parts.get("seconds") or 0)
            + (parts.get("millis") or 0) / 1000
            + (parts.get("micros") or 0) / 1_000_000
        )
    return Token(
        reply=reply,
        digest=digest,
        nonce=nonce,
        gen_time=gen_time,
        serial=info["serial_number"].native,
        policy=info["policy"].dotted,
        accuracy_seconds=seconds,
        tsa_cert=tsa_cert,
        root=root,
    )


def _signer_cert(signed: object) -> x509.Certificate:
    """The certificate the (single) signer info names, from the token's certificates."""
    try:
        signer = signed["signer_infos"][0]["sid"]  # type: ignore[index]
        for choice in signed["certificates"] or []:  # type: ignore[index]
            cert = choice.chosen
            if signer.name == "issuer_and_serial_number":
                sid = signer.chosen
                if (
                    cert.issuer == sid["issuer"]
                    and cert.serial_number == sid["serial_number"].native
                ):
                    return x509.load_der_x509_certificate(cert.dump())
            elif cert.key_identifier == signer.chosen.native:
                return x509.load_der_x509_certificate(cert.dump())
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _fail("timestamp.malformed", detail=str(exc)[:200]) from exc
    raise _fail("timestamp.no_tsa_cert")


def _anchor_cert(anchor: object, trust: list[x509.Certificate]) -> x509.Certificate:
    """Which of our trust certificates the validation path ended in."""
    name = getattr(getattr(anchor, "authority", None), "name", None)
    for cert in trust:
        if name is not None and cert.subject.public_bytes() == name.dump():
            return cert
    return trust[0]


def _iso(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def load_trust(pem_or_der: bytes) -> list[x509.Certificate]:
    """Certificates from a PEM bundle or one DER certificate."""
    if b"-----BEGIN" in pem_or_der:
        return x509.load_pem_x509_certificates(pem_or_der)
    return [x509.load_der_x509_certificate(pem_or_der)]
