"""Export → verify round trips, judged by our verifier, the reference age CLI, OpenSSL exactly
as VERIFY.txt says, and pyHanko."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from packet_helpers import SIGN_PASS, decrypt_zip, frozen, make_case, run_age_with_passphrase

from evidence_app.crypto.identities import cert_pem
from evidence_app.exporters.complaint import ExportRefused
from evidence_app.exporters.packet import export_packet
from evidence_app.packet import layout, verify_packet
from evidence_app.packet.verify_text import COMMAND_PREFIX
from evidence_app.store import CaseStore


def test_verify_reports_signer_case_and_every_file(exported, signing, age_identity, case_path):
    report = verify_packet(exported.packet_path, identities=[age_identity])
    assert report.ok, report.reason()
    assert report.signer.fingerprint == signing.fingerprint
    assert report.signer.uscc == "91350100M000100Y43"
    assert report.signer.trusted is None
    assert report.pades.covers_whole_file and report.pades.signer.fingerprint == signing.fingerprint
    assert report.case_summary()["title"] == "测试案件"
    assert report.rule_packs()  # the rule-pack versions the check used
    paths = [f.path for f in report.files]
    assert all(f.status == "ok" for f in report.files)
    assert {layout.COMPLAINT, layout.CUSTODY, layout.VERIFY_TXT} <= set(paths)
    evidence = sorted(p for p in paths if p.startswith("evidence/"))
    assert evidence == [
        "evidence/E001-微博截图_ 谣言_帖子.png",
        "evidence/E002-账号主页.png",
        "evidence/E003-审计报告.pdf",
    ]
    with CaseStore.open(case_path) as store:
        actions = [e.action for e in store.custody_log()]
        case = store.load()
    assert "packet.export" in actions
    assert report.custody_entries == actions.index("packet.export")  # the log up to the export
    by_path = {f.path: f for f in report.files}
    for item in case.evidence:
        assert by_path[layout.evidence_member(item)].actual_sha256 == item.sha256
    json.dumps(report.to_json_dict())  # serialisable for --json and the UI


def test_trust_roots(exported, signing, other_signing, age_identity):
    trusted = verify_packet(exported.packet_path, identities=[age_identity], trust=[signing.cert])
    assert trusted.ok and trusted.signer.trusted is True and trusted.pades.trusted is True
    wrong = verify_packet(
        exported.packet_path, identities=[age_identity], trust=[other_signing.cert]
    )
    assert not wrong.ok and wrong.error.key == "crypto.cms.untrusted"


def _verify_txt_commands(text: str, key: Path, cert: Path) -> list[str]:
    commands = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(COMMAND_PREFIX):
            cmd = stripped[len(COMMAND_PREFIX) :]
            commands.append(
                cmd.replace("YOUR-KEY.txt", str(key)).replace("TRUSTED-CERT.pem", str(cert))
            )
    return commands


def test_reference_tools_exactly_as_verify_txt_says(exported, signing, age_identity, tmp_path):
    key = tmp_path / "key.txt"  # a throwaway test key: plain text is fine here
    key.write_text(str(age_identity) + "\n")
    cert = tmp_path / "trusted.pem"
    cert.write_bytes(cert_pem(signing.cert))
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(exported.packet_path, work / exported.packet_path.name)
    with zipfile.ZipFile(
        __import__("io").BytesIO(decrypt_zip(exported.packet_path, age_identity))
    ) as zf:
        text = zf.read(layout.VERIFY_TXT).decode("utf-8")
    commands = _verify_txt_commands(text, key, cert)
    assert commands[0].startswith("age -d -i ") and any(
        "openssl cms -verify" in c for c in commands
    )
    script = "set -euo pipefail\n" + "\n".join(commands) + "\n"
    run = subprocess.run(
        ["bash", "-c", script], cwd=work, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("CMS Verification successful") == 2
    colon = ":".join(signing.fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    assert f"sha256 Fingerprint={colon}" in run.stdout
    assert colon in text
    expected = re.findall(r"^\s+([0-9a-f]{64} \*.+)$", text, flags=re.M)
    got = [line for line in run.stdout.splitlines() if re.match(r"^[0-9a-f]{64} \*", line)]
    assert got == expected and len(expected) >= 5
    assert "测试科技有限公司" in run.stdout  # -nameopt utf8 shows the subject readably


def test_tampered_manifest_fails_openssl(exported, age_identity, tmp_path):
    with zipfile.ZipFile(
        __import__("io").BytesIO(decrypt_zip(exported.packet_path, age_identity))
    ) as zf:
        manifest = zf.read(layout.MANIFEST)
        (tmp_path / "manifest.json.p7s").write_bytes(zf.read(layout.SIGNATURE))
    (tmp_path / "manifest.json").write_bytes(manifest.replace(b"evidence/E001", b"evidence/E009"))
    run = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "manifest.json.p7s",
            "-content",
            "manifest.json",
            "-noverify",
            "-out",
            "/dev/null",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode != 0


def test_pades_validated_by_pyhanko(exported, signing, age_identity, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    with zipfile.ZipFile(
        __import__("io").BytesIO(decrypt_zip(exported.packet_path, age_identity))
    ) as zf:
        pdf = tmp_path / "complaint.pdf"
        pdf.write_bytes(zf.read(layout.COMPLAINT))
    with open(pdf, "rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert len(sigs) == 1
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives.serialization import Encoding
        from pyhanko_certvalidator import ValidationContext

        root = asn1_x509.Certificate.load(signing.cert.public_bytes(Encoding.DER))
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        status = validate_pdf_signature(sigs[0], signer_validation_context=context)
        assert status.intact and status.valid and status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.signing_cert.sha256 == bytes.fromhex(signing.fingerprint)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode in (0, 3)


@pytest.mark.slow  # several scrypt key derivations (~1.5 s each here)
def test_passphrase_packet_opens_with_age_and_verify(tmp_path, signing):
    case = make_case(tmp_path)
    out = tmp_path / "pass.evpkt"
    with CaseStore.open(case, clock=frozen) as store:
        result = export_packet(
            store,
            out,
            recipients=[],
            passphrase="packet passphrase",
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    key = Path(str(out) + layout.KEY_FILE_SUFFIX)
    assert result.key_path == key and key.is_file()
    assert b"AGE-SECRET-KEY" not in key.read_bytes()
    assert key.stat().st_mode & 0o077 == 0
    report = verify_packet(out, passphrase="packet passphrase")
    assert report.ok, report.reason()
    wrong = verify_packet(out, passphrase="wrong passphrase")
    assert not wrong.ok and wrong.error.key == "crypto.age.wrong_passphrase"
    # the reference tool, exactly as VERIFY.txt's passphrase step says
    status = run_age_with_passphrase(
        ["-d", "-i", key.name, "-o", "packet.zip", out.name], "packet passphrase", tmp_path
    )
    assert status == 0
    with zipfile.ZipFile(tmp_path / "packet.zip") as zf:
        text = zf.read(layout.VERIFY_TXT).decode()
        assert f"age -d -i {key.name} -o packet.zip {out.name}" in text
        manifest = json.loads(zf.read(layout.MANIFEST))
    digest = hashlib.sha256((tmp_path / "packet.zip").read_bytes()).hexdigest()
    assert digest  # decrypted whole
    assert {f["path"] for f in manifest["files"]} == set(
        report.manifest.entry(p).path for p in [f.path for f in report.files]
    )


def test_export_refuses_gaps_unless_allowed(tmp_path, signing, age_identity):
    from evidence_app.rules import check_case

    case = make_case(tmp_path)
    out = tmp_path / "gaps.evpkt"
    with CaseStore.open(case, clock=frozen) as store:
        check = check_case(store.load())
        assert not check.ready  # the small case lacks e.g. the business licence
        with pytest.raises(ExportRefused) as info:
            export_packet(
                store,
                out,
                recipients=[str(age_identity.to_public())],
                passphrase=None,
                signing=signing,
                clock=frozen,
            )
        assert info.value.exit_code == 3
        assert not out.exists() and not list(tmp_path.glob("*.part"))
        export_packet(
            store,
            out,
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    report = verify_packet(out, identities=[age_identity])
    assert report.ok
    assert report.manifest.check["allow_gaps"] is True
    assert len(report.manifest.check["gaps"]) == len(check.gaps()) > 0


def test_extract_only_after_success(exported, age_identity, tmp_path):
    dest = tmp_path / "out"
    report = verify_packet(exported.packet_path, identities=[age_identity], extract_to=dest)
    assert report.ok and report.extracted_to == dest
    for f in report.files:
        assert hashlib.sha256((dest / f.path).read_bytes()).hexdigest() == f.expected_sha256
    assert not list(tmp_path.glob(".out.partial-*"))


def test_signing_p12_round_trip(signing_p12, signing):
    from evidence_app.crypto.identities import load_signing_identity

    assert load_signing_identity(signing_p12, SIGN_PASS).fingerprint == signing.fingerprint
