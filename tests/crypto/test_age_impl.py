"""Our age v1 implementation (age_v1, age_payload, age_armor, bech32) against the reference
``age`` CLI both ways, against pyrage both ways, and on the STREAM chunk boundaries."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pyrage
import pytest

from evidence_app.crypto import age_payload, age_stream, age_v1, bech32
from evidence_app.errors import UsageError, VerificationFailed

CHUNK = age_payload.CHUNK
SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 16 * CHUNK, 17 * CHUNK + 3, 3 << 20]


def _plain(size: int) -> bytes:
    return os.urandom(size)


def _encrypt(data: bytes, recipients: list[str]) -> bytes:
    out = io.BytesIO()
    age_stream.encrypt_stream(io.BytesIO(data), out, recipients)
    return out.getvalue()


def _decrypt(sealed: bytes, identities: list[object]) -> bytes:
    out = io.BytesIO()
    age_stream.decrypt_stream(io.BytesIO(sealed), out, identities)
    return out.getvalue()


@pytest.fixture(scope="module")
def cli_key(tmp_path_factory) -> tuple[Path, str, str]:
    """A key made by the reference age-keygen: (file, recipient, identity string)."""
    path = tmp_path_factory.mktemp("age") / "key.txt"
    subprocess.run(["age-keygen", "-o", str(path)], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True
    ).stdout.strip()
    secret = next(x for x in path.read_text().split() if x.startswith("AGE-SECRET-KEY-1"))
    return path, recipient, secret


# --- key strings -----------------------------------------------------------------------------


def test_bech32_agrees_with_pyrage_both_ways():
    for _ in range(20):
        identity = pyrage.x25519.Identity.generate()
        key = age_v1.secret_key(identity)  # our decoder on pyrage's string
        assert age_v1.identity_string(key) == str(identity)  # our encoder
        assert age_v1.recipient_string(key) == str(identity.to_public())
        assert str(pyrage.x25519.Recipient.from_str(age_v1.recipient_string(key))) == str(
            identity.to_public()
        )


def test_bech32_rejects_damage():
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    assert bech32.decode(recipient)[0] == "age"
    flipped = recipient[:-1] + ("q" if recipient[-1] != "q" else "p")
    for bad in (flipped, recipient[:10] + recipient[10:].upper(), recipient[:-7], "age1"):
        with pytest.raises(bech32.Bech32Error):
            bech32.decode(bad)
    with pytest.raises(UsageError):
        age_stream.parse_recipient(flipped)
    with pytest.raises(UsageError):
        age_stream.parse_recipient(recipient.upper())  # recipients are lower-case
    assert bech32.decode(recipient.upper())[1] == bech32.decode(recipient)[1]


# --- interoperability ------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_ours_to_reference_cli(cli_key, tmp_path, size):
    path, recipient, _secret = cli_key
    data = _plain(size)
    sealed = tmp_path / "x.age"
    sealed.write_bytes(_encrypt(data, [recipient]))
    run = subprocess.run(["age", "-d", "-i", str(path), str(sealed)], capture_output=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == data


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("armor", [False, True])
def test_reference_cli_to_ours(cli_key, size, armor):
    _path, recipient, secret = cli_key
    data = _plain(size)
    flags = ["-a"] if armor else []
    run = subprocess.run(["age", *flags, "-r", recipient], input=data, capture_output=True)
    assert run.returncode == 0, run.stderr
    assert _decrypt(run.stdout, [secret]) == data


def test_reference_cli_several_recipients(cli_key):
    _path, recipient, secret = cli_key
    others = [str(pyrage.x25519.Identity.generate().to_public()) for _ in range(2)]
    args = [x for r in [others[0], recipient, others[1]] for x in ("-r", r)]
    data = _plain(100_000)
    run = subprocess.run(["age", "-e", *args], input=data, capture_output=True, check=True)
    assert _decrypt(run.stdout, [secret]) == data


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1, 5 * CHUNK - 7])
def test_pyrage_both_ways(size):
    identity = pyrage.x25519.Identity.generate()
    data = _plain(size)
    assert pyrage.decrypt(_encrypt(data, [str(identity.to_public())]), [identity]) == data
    assert _decrypt(pyrage.encrypt(data, [identity.to_public()]), [identity]) == data


def test_several_recipients_each_can_open():
    identities = [pyrage.x25519.Identity.generate() for _ in range(3)]
    data = _plain(70_000)
    sealed = _encrypt(data, [str(i.to_public()) for i in identities])
    for identity in identities:
        assert _decrypt(sealed, [identity]) == data
        assert pyrage.decrypt(sealed, [identity]) == data
    with pytest.raises(VerificationFailed) as info:
        _decrypt(sealed, [pyrage.x25519.Identity.generate()])
    assert info.value.key == "age.no_match"


def test_passphrase_file_from_pyrage_and_wrong_passphrase():
    sealed = age_stream.encrypt_small_with_passphrase(b"secret text", "correct horse")
    assert age_stream.decrypt_small_with_passphrase(sealed, "correct horse") == b"secret text"
    with pytest.raises(VerificationFailed) as info:
        age_stream.decrypt_small_with_passphrase(sealed, "wrong horse")
    assert info.value.key == "age.wrong_passphrase"


# --- the STREAM --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_chunk_count_and_any_write_pattern(size):
    """Plaintext fed in odd pieces gives the ciphertext layout age requires: ceil(n / 64 KiB)
    chunks, a full last chunk when n is a multiple (no empty chunk after it), one empty chunk
    for an empty payload."""
    identity = pyrage.x25519.Identity.generate()
    data = _plain(size)
    sealed = bytearray()
    writer = age_stream.AgeWriter(sealed.extend, [str(identity.to_public())])
    pos, step = 0, 1
    while pos < size:
        writer.write(memoryview(data)[pos : pos + step])
        pos += step
        step = step * 7 % 100_003 + 1
    writer.finish()
    header, _ = age_stream.read_header(io.BytesIO(bytes(sealed)))
    chunks = max(1, -(-size // CHUNK))
    assert len(sealed) == header.length + 16 + size + 16 * chunks
    assert pyrage.decrypt(bytes(sealed), [identity]) == data


def test_damage_after_a_chunk_boundary_keeps_the_blocks_before():
    identity = pyrage.x25519.Identity.generate()
    data = _plain(40 * CHUNK)
    sealed = bytearray(_encrypt(data, [str(identity.to_public())]))
    sealed[-100] ^= 1  # in the last chunk, in the third 16-chunk batch
    got = bytearray()
    with pytest.raises(VerificationFailed) as info:
        _header, blocks = age_stream.open_payload(io.BytesIO(bytes(sealed)), [identity])
        for block in blocks:
            got += block
    assert info.value.key == "age.payload"
    assert got == data[: len(got)] and len(got) == 32 * CHUNK  # authenticated prefix only


@pytest.mark.parametrize("cut", [1, 15, 16, 17, age_payload.SEALED, age_payload.SEALED + 16])
def test_truncation_is_refused(cut):
    identity = pyrage.x25519.Identity.generate()
    sealed = _encrypt(_plain(3 * CHUNK), [str(identity.to_public())])
    with pytest.raises(VerificationFailed) as info:
        _decrypt(sealed[:-cut], [identity])
    assert info.value.key == "age.payload"


def test_header_mac_covers_the_stanzas():
    identity = pyrage.x25519.Identity.generate()
    other = pyrage.x25519.Identity.generate()
    sealed = _encrypt(b"x", [str(identity.to_public())])
    header, _ = age_stream.read_header(io.BytesIO(sealed))
    stanza_only = _encrypt(b"x", [str(other.to_public())])
    other_header, _ = age_stream.read_header(io.BytesIO(stanza_only))
    # add a second (valid, foreign) stanza without recomputing the MAC
    line_end = sealed.index(b"\n---") + 1
    extra = stanza_only[len(age_v1.INTRO) : stanza_only.index(b"\n---") + 1]
    forged = sealed[:line_end] + extra + sealed[line_end:]
    assert header.length and other_header.length
    with pytest.raises(VerificationFailed) as info:
        _decrypt(forged, [identity])
    assert info.value.key == "age.hmac"
