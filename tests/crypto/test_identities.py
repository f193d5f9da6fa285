"""Signing identities, age identities and detached CMS signatures, with OpenSSL as judge."""

from __future__ import annotations

import datetime as _dt
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from testenv import FROZEN

from evidence_app.crypto import age_keys, cms, identities
from evidence_app.errors import EvidenceError, UsageError, ValidationError, VerificationFailed

USCC = "91350100M000100Y43"
CLOCK = lambda: FROZEN - _dt.timedelta(days=30)  # noqa: E731


@pytest.fixture(scope="module")
def ident(tmp_path_factory):
    path = tmp_path_factory.mktemp("id") / "s.p12"
    identities.new_signing_identity("测试科技有限公司", USCC, "passphrase1", path, CLOCK)
    return path


def test_new_signing_identity(ident):
    assert ident.stat().st_mode & 0o777 == 0o600
    loaded = identities.load_signing_identity(ident, "passphrase1")
    assert identities.subject_uscc(loaded.cert) == USCC
    assert identities.subject_organisation(loaded.cert) == "测试科技有限公司"
    assert isinstance(loaded.key.curve, ec.SECP256R1)
    assert loaded.cert.not_valid_before_utc <= FROZEN <= loaded.cert.not_valid_after_utc
    with pytest.raises(EvidenceError) as info:
        identities.load_signing_identity(ident, "wrong passphrase")
    assert info.value.key == "crypto.signing.cannot_open"
    # the private key is not stored in the clear
    raw = ident.read_bytes()
    der = loaded.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert der[-32:] not in raw


def test_new_signing_identity_refusals(tmp_path, ident):
    with pytest.raises(ValidationError):
        identities.new_signing_identity(
            "X", "91350100M000100Y44", "passphrase1", tmp_path / "a", CLOCK
        )
    with pytest.raises(UsageError):
        identities.new_signing_identity("X", USCC, "short", tmp_path / "b", CLOCK)
    with pytest.raises(UsageError) as info:
        identities.new_signing_identity("X", USCC, "passphrase1", ident, CLOCK)
    assert info.value.key == "crypto.file_exists"


def _ca_issued(tmp_path: Path) -> tuple[Path, x509.Certificate]:
    """A PKCS#12 as an enterprise CA would issue it (legacy encryption, CA chain inside)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Enterprise CA")])
    start = FROZEN - _dt.timedelta(days=60)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + _dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "测试科技有限公司"),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, USCC),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(start)
        .not_valid_after(start + _dt.timedelta(days=365 * 3))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    src = tmp_path / "issued.p12"
    src.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"issued", key, leaf, [ca], serialization.BestAvailableEncryption(b"ca-pass-1")
        )
    )
    return src, ca


def test_import_ca_issued_identity_and_chain(tmp_path):
    src, ca = _ca_issued(tmp_path)
    out = tmp_path / "mine.p12"
    imported = identities.import_signing_identity(src, "ca-pass-1", out, "new-pass-123")
    assert identities.subject_uscc(imported.cert) == USCC  # found in serialNumber
    loaded = identities.load_signing_identity(out, "new-pass-123")
    assert [c.subject for c in loaded.chain] == [ca.subject]
    data = b"manifest bytes\n"
    sig = cms.sign_detached(data, loaded)
    info = cms.verify_detached(data, sig, trust=[ca])
    assert info.trusted is True and info.fingerprint == loaded.fingerprint
    (tmp_path / "m").write_bytes(data)
    (tmp_path / "m.p7s").write_bytes(sig)
    (tmp_path / "ca.pem").write_bytes(identities.cert_pem(ca))
    run = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "m.p7s",
            "-content",
            "m",
            "-CAfile",
            "ca.pem",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr


def test_cms_detached_judged_by_openssl(ident, tmp_path):
    loaded = identities.load_signing_identity(ident, "passphrase1")
    data = "清单 manifest\r\n with CRLF kept as is\n".encode()
    sig = cms.sign_detached(data, loaded)
    (tmp_path / "m").write_bytes(data)
    (tmp_path / "m.p7s").write_bytes(sig)
    (tmp_path / "c.pem").write_bytes(identities.cert_pem(loaded.cert))
    base = [
        "openssl",
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        "m.p7s",
        "-content",
        "m",
        "-out",
        "/dev/null",
    ]
    assert (
        subprocess.run(
            [*base, "-CAfile", "c.pem", "-purpose", "any"], cwd=tmp_path, capture_output=True
        ).returncode
        == 0
    )
    info = cms.verify_detached(data, sig)
    assert info.trusted is None and info.signing_time
    with pytest.raises(VerificationFailed) as bad:
        cms.verify_detached(data + b"x", sig)
    assert bad.value.key == "crypto.cms.digest_mismatch"
    (tmp_path / "m").write_bytes(data + b"x")
    assert subprocess.run([*base, "-noverify"], cwd=tmp_path, capture_output=True).returncode != 0
    with pytest.raises(VerificationFailed) as garbage:
        cms.verify_detached(data, b"\x30\x03\x02\x01\x00")
    assert garbage.value.key == "crypto.cms.malformed"


@pytest.mark.slow  # several scrypt key derivations (~1.5 s each here)
def test_age_identity_file(tmp_path):
    path = tmp_path / "me.age"
    recipient = age_keys.new_age_identity(path, "age passphrase")
    raw = path.read_bytes()
    assert raw.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----") and b"AGE-SECRET-KEY" not in raw
    assert path.stat().st_mode & 0o777 == 0o600
    [loaded] = age_keys.load_age_identity(path, "age passphrase")
    assert str(loaded.to_public()) == recipient
    with pytest.raises(EvidenceError) as wrong:
        age_keys.load_age_identity(path, "not the passphrase")
    assert wrong.value.key == "crypto.age.wrong_passphrase"
    with pytest.raises(UsageError):
        age_keys.new_age_identity(tmp_path / "plain.age", None)
    assert not (tmp_path / "plain.age").exists()


def test_import_plain_age_identity(tmp_path):
    keygen = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True)
    src = tmp_path / "plain.txt"
    src.write_text(keygen.stdout)
    out = tmp_path / "enc.age"
    [recipient] = age_keys.import_age_identity(src, out, "age passphrase")
    assert recipient in keygen.stdout
    assert [str(i.to_public()) for i in age_keys.load_age_identity(out, "age passphrase")] == [
        recipient
    ]
    pq = tmp_path / "pq.txt"
    pq.write_text("AGE-SECRET-KEY-PQ-1XXXX\n")
    with pytest.raises(EvidenceError) as info:
        age_keys.load_age_identity(pq, None)
    assert info.value.key == "crypto.age.unsupported_identity"
