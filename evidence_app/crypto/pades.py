"""PAdES signatures on the complaint PDF (pyHanko).

The signature is the last change to the file: anything that re-saves the PDF afterwards breaks
it, so the bundle is stamped and merged first, then signed into a new file. Verification
requires exactly one signature that is intact, cryptographically valid and covers the whole
file (no incremental updates after it).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from evidence_app.crypto.cms import SignerInfo, signer_info_from_cert
from evidence_app.crypto.identities import SigningIdentity
from evidence_app.errors import VerificationFailed
from evidence_app.lazy_import import IMPORT_LOCK

FIELD_NAME = "EvidenceAppSignature"
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)


@dataclass
class PadesStatus:
    intact: bool
    valid: bool
    covers_whole_file: bool
    trusted: bool | None
    signer: SignerInfo

    def to_json_dict(self) -> dict[str, object]:
        return {
            "intact": self.intact,
            "valid": self.valid,
            "covers_whole_file": self.covers_whole_file,
            "trusted": self.trusted,
            "signer": self.signer.to_json_dict(),
        }


def _der(obj: x509.Certificate) -> bytes:
    return obj.public_bytes(serialization.Encoding.DER)


def sign_pdf(in_path: Path, out_path: Path, identity: SigningIdentity) -> None:
    """Write a PAdES-signed copy of ``in_path`` to ``out_path`` (SHA-256, incremental update)."""
    with IMPORT_LOCK:  # see lazy_import: never two threads importing pyHanko at once
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = identity.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(_der(identity.cert)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(_der(c)) for c in identity.chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    with open(in_path, "rb") as src, open(out_path, "wb") as out:
        writer = IncrementalPdfFileWriter(src, strict=False)
        signers.sign_pdf(writer, meta, signer=signer, output=out)
        out.flush()


def verify_pdf(path: Path | BinaryIO, trust: list[x509.Certificate] | None = None) -> PadesStatus:
    """Check the PDF's single PAdES signature; raises VerificationFailed with the reason."""
    with IMPORT_LOCK:  # see lazy_import: never two threads importing pyHanko at once
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

    # Always an explicit context: never the OS trust list, never the network.
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(_der(c)) for c in trust or []],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        with contextlib.ExitStack() as stack:
            # a file object is read in place (verify keeps the decrypted PDF off the disk)
            fh = (
                path if not isinstance(path, (str, Path)) else stack.enter_context(open(path, "rb"))
            )
            reader = PdfFileReader(fh, strict=False)
            signatures = reader.embedded_signatures
            if len(signatures) != 1:
                raise VerificationFailed("crypto.pades.signature_count", count=len(signatures))
            status = validate_pdf_signature(signatures[0], signer_validation_context=context)
    except VerificationFailed:
        raise
    except Exception as exc:  # pyHanko/pdf parsing raise many types for a damaged file
        raise VerificationFailed("crypto.pades.malformed", detail=str(exc)) from exc
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    trusted = bool(status.trusted) if trust else None
    result = PadesStatus(
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=trusted,
        signer=signer_info_from_cert(cert, status.signer_reported_dt, trusted),
    )
    if not result.intact:
        raise VerificationFailed("crypto.pades.digest_mismatch")
    if not result.valid:
        raise VerificationFailed("crypto.pades.bad_signature")
    if not result.covers_whole_file:
        raise VerificationFailed("crypto.pades.not_whole_file")
    if trust and not trusted:
        raise VerificationFailed("crypto.pades.untrusted", subject=result.signer.subject)
    return result
