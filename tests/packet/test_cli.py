"""The keys, export and verify commands: exit codes, messages, JSON."""

from __future__ import annotations

import json
import shutil

import pytest
from packet_helpers import SIGN_PASS, make_case

from evidence_app.cli import main
from evidence_app.crypto.identities import serialize_p12


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("SIGN_PASS", SIGN_PASS)
    monkeypatch.setenv("AGE_PASS", "age passphrase 1")
    monkeypatch.setenv("PACKET_PASS", "packet passphrase 1")


@pytest.mark.slow  # several scrypt key derivations (~1.5 s each here)
def test_keys_commands(tmp_path, env, capsys):
    p12 = tmp_path / "s.p12"
    assert (
        main(
            [
                "keys",
                "new-signing",
                "--out",
                str(p12),
                "--name",
                "测试科技有限公司",
                "--uscc",
                "91350100M000100Y43",
                "--pass-env",
                "SIGN_PASS",
                "--cert-out",
                str(tmp_path / "s.pem"),
            ]
        )
        == 0
    )
    assert (tmp_path / "s.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")
    capsys.readouterr()
    assert main(["keys", "show", str(p12), "--pass-env", "SIGN_PASS", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["uscc"] == "91350100M000100Y43" and shown["self_signed"] is True
    assert main(["keys", "show", str(p12), "--pass-env", "AGE_PASS"]) == 1  # wrong passphrase
    assert "口令错误" in capsys.readouterr().err
    assert main(["keys", "new-age", "--out", str(tmp_path / "a.age")]) == 2  # passphrase required
    assert not (tmp_path / "a.age").exists()
    capsys.readouterr()
    assert (
        main(["keys", "new-age", "--out", str(tmp_path / "a.age"), "--pass-env", "AGE_PASS"]) == 0
    )
    recipient = capsys.readouterr().out.strip().splitlines()[-1]
    assert recipient.startswith("age1")
    assert main(["keys", "show", str(tmp_path / "a.age"), "--pass-env", "AGE_PASS", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recipients"] == [recipient]
    assert (
        main(
            [
                "keys",
                "new-signing",
                "--out",
                str(p12),
                "--name",
                "X",
                "--uscc",
                "91350100M000100Y43",
                "--pass-env",
                "SIGN_PASS",
            ]
        )
        == 2
    )


@pytest.mark.slow  # several scrypt key derivations (~1.5 s each here)
def test_export_and_verify_commands(tmp_path, env, capsys, signing, age_identity):
    case = make_case(tmp_path)
    p12 = tmp_path / "s.p12"
    p12.write_bytes(serialize_p12(signing, SIGN_PASS))
    key = tmp_path / "key.txt"
    key.write_text(str(age_identity) + "\n")
    out = tmp_path / "p.evpkt"
    base = [
        "export",
        str(case),
        "--out",
        str(out),
        "--sign",
        str(p12),
        "--sign-pass-env",
        "SIGN_PASS",
    ]
    assert main([*base, "--recipient", str(age_identity.to_public())]) == 3  # gaps
    assert not out.exists()
    assert main([*base, "--recipient", "not-a-recipient", "--allow-gaps"]) == 2
    assert (
        main(
            [
                *base,
                "--recipient",
                str(age_identity.to_public()),
                "--passphrase-env",
                "PACKET_PASS",
                "--allow-gaps",
                "--json",
            ]
        )
        == 0
    )
    exported = json.loads(capsys.readouterr().out)
    assert exported["key_file"] == str(out) + ".key.age"

    assert main(["verify", str(out), "--identity", str(key), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["signer"]["fingerprint_sha256"] == signing.fingerprint
    assert report["case"]["title"] == "测试案件" and report["rule_packs"]
    assert main(["verify", str(out), "--passphrase-env", "PACKET_PASS"]) == 0
    assert "核验通过" in capsys.readouterr().out

    damaged = tmp_path / "bad.evpkt"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x40
    damaged.write_bytes(data)
    assert main(["verify", str(damaged), "--identity", str(key)]) == 4
    assert "核验失败" in capsys.readouterr().err
    assert main(["--lang", "en", "verify", str(out), "--passphrase-env", "AGE_PASS"]) == 4
    assert "Wrong passphrase" in capsys.readouterr().err
    shutil.copyfile(out, tmp_path / "nokey.evpkt")
    assert main(["verify", str(tmp_path / "nokey.evpkt"), "--passphrase-env", "PACKET_PASS"]) == 4
    assert main(["verify", str(out)]) == 2  # no key given


def test_pdf_only_dispatch(tmp_path, monkeypatch):
    import sys
    import types

    calls = []
    fake = types.ModuleType("evidence_app.cli.pdf_only")
    fake.run_pdf_only = lambda args: calls.append(args.pdf_only) or 0
    monkeypatch.setitem(sys.modules, "evidence_app.cli.pdf_only", fake)
    assert main(["export", str(tmp_path / "c"), "--pdf-only", str(tmp_path / "o.pdf")]) == 0
    assert calls == [str(tmp_path / "o.pdf")]
