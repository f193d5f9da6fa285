"""Every kind of damage or forgery fails verification with a specific reason, and leaves
nothing behind (no extraction folder, no spooled plaintext)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyrage
import pytest
from packet_helpers import decrypt_zip, reencrypt, rezip, zip_entries

from evidence_app.crypto.cms import sign_detached
from evidence_app.packet import layout, verify_packet

AGE_FAILURES = {"age.payload", "age.header_malformed", "age.hmac", "age.no_match"}


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Point the verifier's spool at a folder we can inspect afterwards."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


def _verify(path: Path, identity, tmp_path: Path, **kw):
    dest = tmp_path / "extract"
    report = verify_packet(path, identities=[identity], extract_to=dest, **kw)
    if not report.ok:
        assert not dest.exists()
        assert not list(tmp_path.glob(".extract.partial-*"))
    return report


def test_flipped_bytes_anywhere_are_detected(exported, age_identity, tmp_path, private_tmp):
    original = exported.packet_path.read_bytes()
    size = len(original)
    offsets = sorted(
        {
            0,
            5,
            22,
            30,
            60,
            90,
            120,
            150,
            180,
            200,
            220,
            size // 7,
            size // 3,
            size // 2,
            size - 4096,
            size - 200,
            size - 17,
            size - 1,
        }
    )
    offsets += list(range(250, size - 1, max(1, size // 40)))
    for offset in offsets:
        damaged = bytearray(original)
        damaged[offset] ^= 0x01
        path = tmp_path / "flipped.evpkt"
        path.write_bytes(damaged)
        report = _verify(path, age_identity, tmp_path)
        assert not report.ok, offset
        assert report.error.key in AGE_FAILURES, (offset, report.error)
    assert not list(private_tmp.iterdir())  # spool folders removed every time


@pytest.mark.parametrize("keep", [0, 10, 100, 200, -1, -17, -65536 - 17])
def test_truncated_packet(exported, age_identity, tmp_path, keep):
    data = exported.packet_path.read_bytes()
    path = tmp_path / "short.evpkt"
    path.write_bytes(data[:keep])
    report = _verify(path, age_identity, tmp_path)
    assert not report.ok and report.error.key in AGE_FAILURES


@pytest.mark.parametrize("extra", [b"\x00", b"garbage" * 100])
def test_appended_bytes(exported, age_identity, tmp_path, extra):
    path = tmp_path / "long.evpkt"
    path.write_bytes(exported.packet_path.read_bytes() + extra)
    report = _verify(path, age_identity, tmp_path)
    assert not report.ok and report.error.key == "age.payload"


def test_wrong_identity(exported, tmp_path):
    report = _verify(exported.packet_path, pyrage.x25519.Identity.generate(), tmp_path)
    assert not report.ok and report.error.key == "age.no_match"


def _rebuilt(exported, identity, tmp_path, change) -> Path:
    entries = zip_entries(decrypt_zip(exported.packet_path, identity))
    return reencrypt(rezip(change(entries)), identity, tmp_path / "forged.evpkt")


def test_rebuilt_unchanged_still_verifies(exported, age_identity, tmp_path):
    """Control: re-zipping with Python's zipfile (no data descriptors) is still a valid
    packet, so the failures below are caused by the changes, not by the rebuild."""
    path = _rebuilt(exported, age_identity, tmp_path, lambda e: e)
    assert _verify(path, age_identity, tmp_path).ok


def _replace(entries, name, data):
    return [(n, data if n == name else d) for n, d in entries]


def test_swapped_evidence_content(exported, age_identity, tmp_path):
    def swap(entries):
        files = dict(entries)
        a, b = "evidence/E001-微博截图_ 谣言_帖子.png", "evidence/E002-账号主页.png"
        return [(n, files[b] if n == a else files[a] if n == b else d) for n, d in entries]

    report = _verify(_rebuilt(exported, age_identity, tmp_path, swap), age_identity, tmp_path)
    assert not report.ok and report.error.key in ("packet.hash_mismatch", "packet.size_mismatch")
    bad = {f.path for f in report.files if f.status in ("mismatch", "size_mismatch")}
    assert bad == {"evidence/E001-微博截图_ 谣言_帖子.png", "evidence/E002-账号主页.png"}


def test_altered_file_is_named(exported, age_identity, tmp_path):
    def alter(entries):
        files = dict(entries)
        data = bytearray(files[layout.CUSTODY])
        data[10] ^= 1
        return _replace(entries, layout.CUSTODY, bytes(data))

    report = _verify(_rebuilt(exported, age_identity, tmp_path, alter), age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.hash_mismatch"
    assert report.error.params["path"] == layout.CUSTODY


def test_added_file(exported, age_identity, tmp_path):
    add = lambda entries: [*entries, ("evidence/E999-extra.png", b"extra")]  # noqa: E731
    report = _verify(_rebuilt(exported, age_identity, tmp_path, add), age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.extra_file"
    assert any(f.status == "extra" and f.path == "evidence/E999-extra.png" for f in report.files)


def test_removed_file(exported, age_identity, tmp_path):
    drop = lambda entries: [(n, d) for n, d in entries if n != "evidence/E002-账号主页.png"]  # noqa: E731
    report = _verify(_rebuilt(exported, age_identity, tmp_path, drop), age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.missing_file"


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "/etc/evil",
        "evidence/../../evil",
        "C:/evil",
        "evidence\\..\\evil",
        "evidence/sub/deep.png",
        "evidence/\x1b[2Jx.png",
        "evil.txt",
        "evidence/",
    ],
)
def test_hostile_member_names(exported, age_identity, tmp_path, name):
    add = lambda entries: [*entries, (name, b"x")]  # noqa: E731
    report = _verify(_rebuilt(exported, age_identity, tmp_path, add), age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.bad_member_name"
    assert not (tmp_path / "evil.txt").exists() and not Path("/etc/evil").exists()


def test_duplicate_member(exported, age_identity, tmp_path):
    dup = lambda entries: [*entries, (entries[-1][0], b"second copy")]  # noqa: E731
    report = _verify(_rebuilt(exported, age_identity, tmp_path, dup), age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.duplicate_member"


def test_compressed_or_padded_zip(exported, age_identity, tmp_path):
    entries = zip_entries(decrypt_zip(exported.packet_path, age_identity))
    for data in (rezip(entries, compress=True), b"JUNK" + rezip(entries), rezip(entries) + b"x"):
        path = reencrypt(data, age_identity, tmp_path / "z.evpkt")
        report = _verify(path, age_identity, tmp_path)
        assert not report.ok and report.error.key == "packet.zip_invalid", report.error


def test_manifest_changed_without_resigning(exported, age_identity, tmp_path):
    def edit(entries):
        files = dict(entries)
        return _replace(entries, layout.MANIFEST, files[layout.MANIFEST].replace(b"E001", b"E007"))

    report = _verify(_rebuilt(exported, age_identity, tmp_path, edit), age_identity, tmp_path)
    assert not report.ok and report.error.key == "crypto.cms.digest_mismatch"


def test_resigned_by_another_key(exported, age_identity, other_signing, signing, tmp_path):
    """A forger swaps a file, rewrites the manifest and signs it with their own key."""
    import hashlib
    import json

    from evidence_app.store.blobs import sm3_bytes as sm3

    def forge(entries):
        files = dict(entries)
        manifest = json.loads(files[layout.MANIFEST])
        forged = b"forged screenshot"
        target = "evidence/E002-账号主页.png"
        for f in manifest["files"]:
            if f["path"] == target:
                f.update(
                    size=len(forged), sha256=hashlib.sha256(forged).hexdigest(), sm3=sm3(forged)
                )
        raw = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
        out = _replace(entries, target, forged)
        out = _replace(out, layout.MANIFEST, raw)
        return _replace(out, layout.SIGNATURE, sign_detached(raw, other_signing))

    path = _rebuilt(exported, age_identity, tmp_path, forge)
    plain = _verify(path, age_identity, tmp_path)
    assert not plain.ok and plain.error.key == "packet.pdf_signer_differs"
    assert plain.signer.fingerprint == other_signing.fingerprint  # shown, so a human notices
    trusted = _verify(path, age_identity, tmp_path, trust=[signing.cert])
    assert not trusted.ok and trusted.error.key == "crypto.cms.untrusted"


def test_scrypt_work_factor_23_refused_quickly(tmp_path, corpus, exported, monkeypatch):
    """A hostile 'passphrase packet' (or key file) asking for scrypt 2^23 is refused before
    any key derivation runs (pyrage alone would take ~30 s and 8 GiB)."""
    raw = (corpus / "age-cctv" / "scrypt_work_factor_23").read_bytes()
    body = raw.split(b"\n\n", 1)[1]
    packet = tmp_path / "hostile.evpkt"
    packet.write_bytes(body)
    Path(str(packet) + layout.KEY_FILE_SUFFIX).write_bytes(body)
    identity = pyrage.x25519.Identity.generate()

    def scrypt_must_not_run(*args, **kwargs):
        raise AssertionError("pyrage was called: the header check came too late")

    from evidence_app.crypto import age_v1

    monkeypatch.setattr(pyrage.passphrase, "decrypt", scrypt_must_not_run)
    monkeypatch.setattr(pyrage, "decrypt_io", scrypt_must_not_run)
    monkeypatch.setattr(age_v1, "Scrypt", scrypt_must_not_run)  # our scrypt: never reached
    report = verify_packet(packet, passphrase="password")
    assert not report.ok and report.error.key == "age.work_factor"
    report = verify_packet(packet, identities=[identity])
    assert not report.ok and report.error.key == "age.work_factor"


def test_limits_are_enforced(exported, age_identity, tmp_path):
    small = layout.Limits(max_member_size=1000)
    report = verify_packet(exported.packet_path, identities=[age_identity], limits=small)
    assert not report.ok and report.error.key == "packet.member_too_large"
    few = layout.Limits(max_members=3)
    report = verify_packet(exported.packet_path, identities=[age_identity], limits=few)
    assert not report.ok and report.error.key == "packet.too_many_members"


def test_verify_writes_no_file_without_extract(exported, age_identity):
    """Nothing decrypted touches a named file unless --extract is given (a killed verify
    used to leave complaint.pdf in $TMPDIR/evpkt-verify-*): every open for writing during
    the verify is recorded by an audit hook."""
    import sys

    writes: list[str] = []
    active = [True]

    def hook(event, args):
        if active[0] and event == "open" and args[0] is not None:
            mode, flags = args[1], args[2]
            if (mode and any(c in str(mode) for c in "wax+")) or flags & (os.O_WRONLY | os.O_RDWR):
                writes.append(str(args[0]))

    sys.addaudithook(hook)
    try:
        assert verify_packet(exported.packet_path, identities=[age_identity]).ok
    finally:
        active[0] = False
    assert writes == []


def test_sm3_checked_beside_sha256(exported, age_identity, signing, tmp_path):
    """Every original's SM3 is listed and checked: a manifest (signed by the right key) whose
    SM3 for one exhibit disagrees with the file is refused, naming that file."""
    import json

    from evidence_app.store.blobs import sm3_bytes

    target = "evidence/E002-账号主页.png"
    seen = {}

    def wrong_sm3(entries):
        files = dict(entries)
        manifest = json.loads(files[layout.MANIFEST])
        for f in manifest["files"]:
            if f["path"].startswith("evidence/"):
                seen[f["path"]] = f["sm3"]
            if f["path"] == target:
                f["sm3"] = "0" * 64
        raw = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
        out = _replace(entries, layout.MANIFEST, raw)
        return _replace(out, layout.SIGNATURE, sign_detached(raw, signing))

    path = _rebuilt(exported, age_identity, tmp_path, wrong_sm3)
    entries = dict(zip_entries(decrypt_zip(exported.packet_path, age_identity)))
    assert seen == {p: sm3_bytes(entries[p]) for p in seen} and len(seen) == 3
    report = _verify(path, age_identity, tmp_path)
    assert not report.ok and report.error.key == "packet.hash_mismatch"
    bad = [f for f in report.files if f.status == "mismatch"]
    assert [f.path for f in bad] == [target]
    assert bad[0].actual_sha256 == bad[0].expected_sha256  # SHA-256 alone would have passed
    assert bad[0].actual_sm3 == seen[target]
