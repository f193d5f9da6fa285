"""Trusted timestamps travel in the packet: timestamps/ listed in the signed manifest, the
manifest naming each exhibit's tokens, and every token verified by ``openssl ts -verify``
exactly as VERIFY.txt says; the 证据目录 shows the trusted time and the authority."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile

import pytest
from packet_helpers import decrypt_zip, frozen, make_case
from tsa_helpers import make_tsa

from evidence_app.crypto.timestamps import load_trust
from evidence_app.exporters.packet import export_packet
from evidence_app.packet import layout, verify_packet
from evidence_app.packet.verify_text import COMMAND_PREFIX
from evidence_app.store import CaseStore
from evidence_app.trusted_time import import_replies, request_timestamps


@pytest.fixture(scope="module")
def stamped(tmp_path_factory, signing, age_identity):
    root = tmp_path_factory.mktemp("stamped")
    case = make_case(root)
    tsa = make_tsa(root / "tsa", "Packet Test TSA")
    trust = load_trust(tsa.root_pem.read_bytes())
    with CaseStore.open(case, clock=frozen) as store:
        queries = request_timestamps(store, root / "q", exhibits=["E001", "E003"])
        replies = [tsa.reply(q.path, q.path.with_suffix(".tsr")) for q in queries]
        assert [r.status for r in import_replies(store, replies, trust)] == ["imported"] * 2
        first = export_packet(
            store,
            root / "first.evpkt",
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
        # a token over the first packet's manifest travels in the next packet
        [mq] = request_timestamps(store, root / "q2", manifest=True)
        assert mq.sha256 == first.manifest_sha256
        mr = tsa.reply(mq.path, mq.path.with_suffix(".tsr"))
        assert import_replies(store, [mr], trust)[0].subject == "manifest"
        second = export_packet(
            store,
            root / "second.evpkt",
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    return second


def test_tokens_listed_and_verified_by_openssl(stamped, age_identity, tmp_path):
    report = verify_packet(stamped.packet_path, identities=[age_identity])
    assert report.ok, report.reason()
    paths = sorted(f.path for f in report.files if f.path.startswith("timestamps/"))
    assert paths[:2] == ["timestamps/E001-1.tsr", "timestamps/E003-1.tsr"]
    assert len(paths) == 4 and paths[2].startswith("timestamps/TSA-ROOT-")
    assert re.fullmatch(r"timestamps/manifest-[0-9a-f]{12}\.tsr", paths[3])
    summary = report.case_summary()
    by_number = {e["number"]: e for e in summary["exhibits"]}
    assert [t["path"] for t in by_number[1]["timestamps"]] == ["timestamps/E001-1.tsr"]
    assert by_number[2]["timestamps"] == []
    assert "Packet Test TSA" in by_number[3]["timestamps"][0]["tsa"]
    assert summary["manifest_timestamps"][0]["path"] == paths[3]

    with zipfile.ZipFile(io.BytesIO(decrypt_zip(stamped.packet_path, age_identity))) as zf:
        zf.extractall(tmp_path)
        text = zf.read(layout.VERIFY_TXT).decode()
    commands = [
        line.strip()[len(COMMAND_PREFIX) :]
        for line in text.splitlines()
        if line.strip().startswith(COMMAND_PREFIX + "openssl ts -verify")
    ]
    assert len(commands) == 3
    run = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + "\n".join(commands)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Verification: OK") == 3
    # and the independent tool notices a token moved onto another exhibit
    wrong = commands[0].replace("evidence/E001", "evidence/E002").split(" -data ")
    swapped = subprocess.run(
        [
            "bash",
            "-c",
            f"{wrong[0]} -data evidence/E002-账号主页.png -CAfile "
            + wrong[1].split(" -CAfile ")[1],
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert swapped.returncode != 0 and "Verification: OK" not in swapped.stdout


def test_index_shows_trusted_time_and_sm3(stamped, age_identity, tmp_path):
    with zipfile.ZipFile(io.BytesIO(decrypt_zip(stamped.packet_path, age_identity))) as zf:
        (tmp_path / "c.pdf").write_bytes(zf.read(layout.COMPLAINT))
        manifest = json.loads(zf.read(layout.MANIFEST))
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert flat.count("可信时间（RFC3161时间戳）") == 2
    assert "时间戳服务：CN=PacketTestTSA" in flat
    for exhibit in manifest["case"]["exhibits"]:
        assert "原件SM3：" + exhibit["sm3"] in flat
