"""The C2SP CCTV age test vectors against our own age implementation (age_stream, age_v1,
age_payload, age_armor): pyrage's decryption is switched off for this whole module, so every
result is ours.

Every vector that must fail is refused; every success vector decrypts to the expected payload
hash. The 19 post-quantum hybrid vectors (AGE-SECRET-KEY-PQ-1…) are skipped: the app supports
X25519 identities only (and pyrage 1.4, used for key strings elsewhere, cannot load them).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from pathlib import Path

import pyrage
import pytest
from testenv import CORPUS

from evidence_app.crypto import age_stream
from evidence_app.errors import VerificationFailed

VECTORS = sorted(p for p in (CORPUS / "age-cctv").iterdir() if p.name != "LICENSE.txt")


def load(path: Path) -> tuple[dict[str, list[str]], bytes]:
    head, _, body = path.read_bytes().partition(b"\n\n")
    meta: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        meta.setdefault(key, []).append(value)
    if meta.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return meta, body


@pytest.fixture(autouse=True)
def no_pyrage_decryption(monkeypatch):
    def not_ours(*args, **kwargs):
        raise AssertionError("pyrage was asked to decrypt: the vectors must test our code")

    for name in ("decrypt", "decrypt_io", "decrypt_file"):
        monkeypatch.setattr(pyrage, name, not_ours)
    monkeypatch.setattr(pyrage.passphrase, "decrypt", not_ours)


def decrypt(meta: dict[str, list[str]], body: bytes) -> bytes:
    if "passphrase" in meta:
        return age_stream.decrypt_small_with_passphrase(body, meta["passphrase"][0])
    identities = meta.get("identity") or [str(pyrage.x25519.Identity.generate())]
    out = io.BytesIO()
    age_stream.decrypt_stream(io.BytesIO(body), out, identities)  # the strings, parsed by us
    return out.getvalue()


@pytest.mark.parametrize("path", VECTORS, ids=[p.name for p in VECTORS])
def test_vector(path):
    meta, body = load(path)
    if any(i.startswith("AGE-SECRET-KEY-PQ-") for i in meta.get("identity", [])):
        pytest.skip("post-quantum hybrid identity: not supported (X25519 only)")
    expect = meta["expect"][0]
    if expect == "success":
        assert hashlib.sha256(decrypt(meta, body)).hexdigest() == meta["payload"][0]
    else:
        with pytest.raises(VerificationFailed):
            decrypt(meta, body)


def test_counts():
    pq = [p for p in VECTORS if b"AGE-SECRET-KEY-PQ-" in p.read_bytes().split(b"\n\n")[0]]
    assert len(VECTORS) == 143 and len(pq) == 19


def test_work_factor_23_refused_before_scrypt_runs(monkeypatch):
    from evidence_app.crypto import age_v1

    def scrypt_must_not_run(*args, **kwargs):
        raise AssertionError("scrypt was called: the header check came too late")

    monkeypatch.setattr(age_v1, "Scrypt", scrypt_must_not_run)
    meta, body = load(CORPUS / "age-cctv" / "scrypt_work_factor_23")
    with pytest.raises(VerificationFailed) as info:
        decrypt(meta, body)
    assert info.value.key == "age.work_factor" and info.value.params["factor"] == 23


@pytest.mark.parametrize(
    "name,key",
    [
        ("stanza_missing_body", "age.header_malformed"),  # pyrage alone accepts these two
        ("stanza_missing_final_line", "age.header_malformed"),
        ("hmac_bad", "age.hmac"),
        ("x25519_no_match", "age.no_match"),
        ("stream_bad_tag", "age.payload"),
        ("armor_garbage_trailing", "age.armor_malformed"),
    ],
)
def test_specific_reasons(name, key):
    meta, body = load(CORPUS / "age-cctv" / name)
    with pytest.raises(VerificationFailed) as info:
        decrypt(meta, body)
    assert info.value.key == key


def test_armor_with_surrounding_whitespace_accepted():
    meta, body = load(CORPUS / "age-cctv" / "armor_whitespace_outside")
    assert body != body.strip()  # the vector really has whitespace around the armor
    assert hashlib.sha256(decrypt(meta, body)).hexdigest() == meta["payload"][0]


def test_counts_of_outcomes():
    """Summary of the run: 124 X25519/scrypt vectors, of which these many must succeed."""
    metas = [load(p)[0] for p in VECTORS]
    supported = [
        m
        for m in metas
        if not any(i.startswith("AGE-SECRET-KEY-PQ-") for i in m.get("identity", []))
    ]
    success = [m for m in supported if m["expect"] == ["success"]]
    assert (len(supported), len(success), len(supported) - len(success)) == (124, 21, 103)


def test_cancel_stops_decryption():
    from evidence_app.errors import Cancelled
    from evidence_app.jobs import CancelToken

    identity = pyrage.x25519.Identity.generate()
    plain = io.BytesIO(b"x" * (3 * 65536))
    sealed = io.BytesIO()
    age_stream.encrypt_stream(plain, sealed, [str(identity.to_public())])
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        age_stream.decrypt_stream(
            io.BytesIO(sealed.getvalue()), io.BytesIO(), [identity], cancel=token
        )
