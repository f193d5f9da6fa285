"""Outputs never destroy inputs (issue: ``export CASE --out CASE/case.sqlite`` wrote the
packet over the case's database and exited 0; ``--out`` replaced any existing file)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3

import pytest
from packet_helpers import SIGN_PASS

from evidence_app.cli import main
from evidence_app.crypto.identities import serialize_p12
from evidence_app.packet import layout, verify_packet


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("SIGN_PASS", SIGN_PASS)
    monkeypatch.setenv("PACKET_PASS", "packet passphrase 1")


@pytest.fixture
def case(case_path, tmp_path):
    copy = tmp_path / "case.evcase"
    shutil.copytree(case_path, copy)
    return copy


@pytest.fixture
def p12(signing, tmp_path):
    path = tmp_path / "s.p12"
    path.write_bytes(serialize_p12(signing, SIGN_PASS))
    return path


def _export(case, out, p12, recipient, *extra):
    return main(
        [
            "export",
            str(case),
            "--out",
            str(out),
            "--recipient",
            recipient,
            "--sign",
            str(p12),
            "--sign-pass-env",
            "SIGN_PASS",
            "--allow-gaps",
            *map(str, extra),
        ]
    )


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_out_onto_the_case_database_is_refused_even_with_overwrite(
    case, p12, age_identity, env, capsys
):
    db = case / "case.sqlite"
    before = _digest(db)
    recipient = str(age_identity.to_public())
    assert _export(case, db, p12, recipient) == 2
    assert _export(case, db, p12, recipient, "--overwrite") == 2
    assert "案件文件夹" in capsys.readouterr().err
    assert _digest(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM custody").fetchone()[0] > 0
    assert main(["audit", str(case)]) == 0


@pytest.mark.parametrize("where", ["blob", "new-file-in-case", "link-into-case"])
def test_any_output_path_inside_the_case_is_refused(
    where, case, p12, age_identity, env, tmp_path, capsys
):
    if where == "blob":
        out = next(p for p in (case / "blobs").rglob("*") if p.is_file())
    elif where == "new-file-in-case":
        out = case / "blobs" / "new.evpkt"
    else:
        link = tmp_path / "elsewhere"
        link.symlink_to(case / "blobs", target_is_directory=True)
        out = link / "x.evpkt"
    assert _export(case, out, p12, str(age_identity.to_public()), "--overwrite") == 2
    assert "案件文件夹" in capsys.readouterr().err
    assert not (case / "blobs" / "new.evpkt").exists() and not (case / "blobs" / "x.evpkt").exists()


def test_existing_out_needs_overwrite(case, p12, age_identity, env, tmp_path, capsys):
    original = tmp_path / "original-evidence.png"
    original.write_bytes(b"\x89PNG original evidence")
    recipient = str(age_identity.to_public())
    assert _export(case, original, p12, recipient) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert original.read_bytes() == b"\x89PNG original evidence"
    assert _export(case, original, p12, recipient, "--overwrite") == 0
    assert verify_packet(original, identities=[age_identity]).ok


def test_out_onto_the_signing_key_is_refused(case, p12, age_identity, env, tmp_path, capsys):
    before = _digest(p12)
    link = tmp_path / "innocent.evpkt"
    link.symlink_to(p12)
    assert _export(case, link, p12, str(age_identity.to_public())) == 2
    assert _export(case, link, p12, str(age_identity.to_public()), "--overwrite") == 2
    assert "输入文件" in capsys.readouterr().err
    assert _digest(p12) == before


def test_pdf_only_and_folder_refuse_existing_paths(case, env, tmp_path, capsys):
    pdf = tmp_path / "bundle.pdf"
    pdf.write_bytes(b"keep me")
    assert main(["export", str(case), "--pdf-only", str(pdf)]) == 2
    assert pdf.read_bytes() == b"keep me"
    assert main(["export", str(case), "--pdf-only", str(case / "case.sqlite"), "--overwrite"]) == 2
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep")
    args = ["export", str(case), "--folder", str(folder), "--channel", "cac-12377", "--allow-gaps"]
    assert main(args) == 2
    assert (folder / "mine.txt").read_text() == "keep"
    assert main([*args, "--overwrite"]) == 0
    assert not (folder / "mine.txt").exists() and (folder / "complaint.pdf").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".upload.")]


def test_verify_extract_onto_a_link_to_an_empty_folder(exported, age_identity, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    ident = tmp_path / "id.txt"
    ident.write_text(str(age_identity) + "\n")
    args = ["verify", str(exported.packet_path), "--identity", str(ident), "--extract", str(link)]
    assert main(args) == 0
    assert (real / "complaint.pdf").is_file()


def test_verify_extract_into_a_case_is_refused(exported, case, age_identity, tmp_path):
    ident = tmp_path / "id.txt"
    ident.write_text(str(age_identity) + "\n")
    out = case / "extracted"
    args = ["verify", str(exported.packet_path), "--identity", str(ident), "--extract", str(out)]
    assert main(args) == 2
    assert not out.exists()


def test_re_export_killed_between_renames_leaves_a_usable_pair(
    case, p12, env, tmp_path, monkeypatch
):
    """The key file is renamed before the packet: a crash between the two renames must
    still leave the old packet openable with the old passphrase."""
    out = tmp_path / "p.evpkt"
    args = ["--passphrase-env", "PACKET_PASS"]
    assert _export(case, out, p12, str(_recipient()), *args) == 0
    old_packet = out.read_bytes()

    real_replace = os.replace

    def crash_on_packet_rename(src, dst, *a, **k):
        if str(dst) == str(out):
            raise KeyboardInterrupt("simulated crash between the renames")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setenv("PACKET_PASS", "a new passphrase 2")
    monkeypatch.setattr(os, "replace", crash_on_packet_rename)
    assert _export(case, out, p12, str(_recipient()), *args, "--overwrite") != 0
    monkeypatch.setattr(os, "replace", real_replace)
    assert out.read_bytes() == old_packet  # the old packet, beside the new key file
    assert layout.previous_key_paths(str(out))
    report = verify_packet(out, passphrase="packet passphrase 1")
    assert report.ok, report.reason()
    # the next export completes the pair and removes the hidden copy
    assert _export(case, out, p12, str(_recipient()), *args, "--overwrite") == 0
    assert verify_packet(out, passphrase="a new passphrase 2").ok
    assert layout.previous_key_paths(str(out)) == []
    assert os.path.exists(layout.packet_key_path(str(out)))


def _recipient():
    import pyrage

    return pyrage.x25519.Identity.generate().to_public()
