"""The whole workflow from the command line on the demo case, judged by the reference tools:
demo → check (the deliberate gap) → keys → export → age -d → openssl cms -verify →
evidence-app verify → a flipped byte is caught."""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

PY = [sys.executable, "-m", "evidence_app"]


def run(*args, env=None, cwd=None):
    return subprocess.run(
        [*PY, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_demo_to_verified_packet(tmp_path):
    env = {**os.environ, "SIGN_PASS": "s3cret-sign", "EVIDENCE_APP_LANG": "zh_CN"}
    assert run("demo", str(tmp_path)).returncode == 0
    case = str(tmp_path / "demo.evcase")

    check = run("check", case, "--json")
    assert check.returncode == 3
    gaps = [i for i in json.loads(check.stdout)["items"] if i["status"] == "missing"]
    assert len(gaps) == 1 and gaps[0]["target_id"] == "T3"
    assert "(十五)" in run("check", case).stdout  # Chinese, with the clause

    cert = tmp_path / "signer.pem"
    r = run(
        "keys",
        "new-signing",
        "--out",
        str(tmp_path / "sign.p12"),
        "--name",
        "华辰智能科技股份有限公司",
        "--uscc",
        "91310115MA1K4B2X34",
        "--pass-env",
        "SIGN_PASS",
        "--cert-out",
        str(cert),
        env=env,
    )
    assert r.returncode == 0, r.stderr
    identity = tmp_path / "reviewer.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()

    packet = tmp_path / "demo.evpkt"
    args = [
        "export",
        case,
        "--out",
        str(packet),
        "--recipient",
        recipient,
        "--sign",
        str(tmp_path / "sign.p12"),
        "--sign-pass-env",
        "SIGN_PASS",
    ]
    refused = run(*args, env=env)
    assert refused.returncode == 3 and not packet.exists()
    r = run(*args, "--allow-gaps", env=env)
    assert r.returncode == 0, r.stderr

    # The reference age tool opens it; the ZIP inside is what the spec says.
    plain = subprocess.run(
        ["age", "-d", "-i", str(identity), str(packet)], check=True, capture_output=True
    ).stdout
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        names = set(z.namelist())
        assert {
            "manifest.json",
            "manifest.json.p7s",
            "complaint.pdf",
            "custody.jsonl",
            "VERIFY.txt",
        } <= names
        manifest_bytes = z.read("manifest.json")
        (tmp_path / "manifest.json").write_bytes(manifest_bytes)
        (tmp_path / "manifest.json.p7s").write_bytes(z.read("manifest.json.p7s"))
        manifest = json.loads(manifest_bytes)
        originals = sorted(n for n in names if n.startswith("evidence/"))
        assert len(originals) == 13
        demo_files = {
            hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "demo-files").iterdir()
        }
        # the video's keyframe contact sheet is made by the app at import, not a demo file
        originals = [n for n in originals if "关键帧拼图" not in n]
        for name in originals:  # originals byte-identical from import to packet
            assert hashlib.sha256(z.read(name)).hexdigest() in demo_files
    assert manifest["check"]["ready"] is False  # the gap is recorded

    # openssl accepts the detached CMS signature over the manifest bytes.
    r = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(tmp_path / "manifest.json.p7s"),
            "-content",
            str(tmp_path / "manifest.json"),
            "-CAfile",
            str(cert),
            "-purpose",
            "any",
            "-out",
            os.devnull,
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "Verification successful" in r.stderr

    ok = run("verify", str(packet), "--identity", str(identity), "--trust", str(cert), "--json")
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert report["ok"] is True

    data = bytearray(packet.read_bytes())
    data[len(data) // 2] ^= 0x01
    packet.write_bytes(bytes(data))
    bad = run("verify", str(packet), "--identity", str(identity))
    assert bad.returncode == 4 and "Traceback" not in bad.stderr
