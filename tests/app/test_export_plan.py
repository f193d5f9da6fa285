"""The application layer's export plan: one complaint for every output, and the channel of
this export named in every output — judged from the files (age, the manifests)."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import pytest
from testenv import FROZEN

from evidence_app.app.demo import write_demo_case
from evidence_app.cli import main
from evidence_app.crypto.identities import new_signing_identity
from evidence_app.store import CaseStore
from evidence_app.store.case_store import FixedClock

USCC = "91310115MA1K4B2X34"


@pytest.fixture
def exportable(tmp_path, monkeypatch):
    """The demo case, a signing identity and an age key pair (made by the reference tool)."""
    case = write_demo_case(tmp_path / "demo")
    p12 = tmp_path / "sign.p12"
    new_signing_identity("华辰智能科技股份有限公司", USCC, "sign-pass-1", p12, FixedClock(FROZEN))
    identity = tmp_path / "reader.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    monkeypatch.setenv("SIGN_PASS", "sign-pass-1")
    return case, p12, identity, recipient


def packet_manifest(packet, identity) -> dict:
    plain = subprocess.run(
        ["age", "-d", "-i", str(identity), str(packet)], check=True, capture_output=True
    ).stdout
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        return json.loads(z.read("manifest.json"))


def test_packet_and_folder_build_and_sign_the_complaint_once(exportable, tmp_path, mocker):
    import evidence_app.crypto.pades as pades
    import evidence_app.exporters.pdf as pdf

    case, p12, identity, recipient = exportable
    built = mocker.spy(pdf, "build_bundle")
    signed = mocker.spy(pades, "sign_pdf")
    code = main(
        [
            "export", str(case), "--out", str(tmp_path / "p.evpkt"), "--recipient", recipient,
            "--sign", str(p12), "--sign-pass-env", "SIGN_PASS", "--allow-gaps",
            "--folder", str(tmp_path / "upload"), "--json",
        ]
    )  # fmt: skip
    assert code == 0
    assert built.call_count == 1 and signed.call_count == 1
    # Both outputs carry that one complaint, byte for byte.
    plain = subprocess.run(
        ["age", "-d", "-i", str(identity), str(tmp_path / "p.evpkt")],
        check=True,
        capture_output=True,
    ).stdout
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        in_packet = z.read("complaint.pdf")
    assert in_packet == (tmp_path / "upload" / "complaint.pdf").read_bytes()


def test_channel_of_this_export_is_named_in_both_manifests(exportable, tmp_path, capsys):
    case, p12, identity, recipient = exportable
    assert CaseStore.open(case).load().channel == "cac-12377"  # the demo's own channel
    code = main(
        [
            "export", str(case), "--folder", str(tmp_path / "D"), "--channel", "weibo",
            "--out", str(tmp_path / "P.evpkt"), "--recipient", recipient,
            "--sign", str(p12), "--sign-pass-env", "SIGN_PASS", "--allow-gaps", "--json",
        ]
    )  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["channel"] == "weibo" and printed["upload_folder"]["channel"] == "weibo"
    folder = json.loads((tmp_path / "D" / "manifest.json").read_text("utf-8"))
    assert folder["channel"]["id"] == "weibo" and folder["case"]["channel"] == "weibo"
    assert packet_manifest(tmp_path / "P.evpkt", identity)["case"]["channel"] == "weibo"
    # Recorded: the case's channel and the packet's custody event.
    with CaseStore.open(case) as store:
        assert store.load().channel == "weibo"
        (event,) = [e for e in store.custody_log() if e.action == "packet.export"]
        assert event.details["channel"] == "weibo"


def test_plan_problems_are_one_list_for_both_faces(tmp_path):
    from evidence_app.app.export_plan import ExportPlan, PacketSpec, SigningSpec

    plan = ExportPlan(case_root=tmp_path / "c.evcase", packet=PacketSpec(tmp_path / "p.evpkt"))
    keys = [m.key for m in plan.problems()]
    assert keys == ["cli.export.need_sign", "cli.export.need_recipient"]
    weak = SigningSpec("new", tmp_path / "s.p12", "short", "某公司", USCC)
    assert [m.key for m in weak.problems()] == ["ui.export.passphrase_short"]
