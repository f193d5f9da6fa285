"""Preservation certificates (存证证书): hashes read from the PDF's text layer, exhibits
linked automatically when their SHA-256 or SM3 is stated, match/mismatch checked and shown
in the 证据目录."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

from reportlab.pdfgen import canvas

from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.intake import import_bytes
from evidence_app.store import CaseStore

PY = [sys.executable, "-m", "evidence_app"]


def cli(*args):
    return subprocess.run([*PY, *args], capture_output=True, text=True, timeout=120)


def certificate_pdf(path, lines):
    c = canvas.Canvas(str(path))
    c.setFont(register_fonts(), 10)
    y = 800
    for line in lines:
        c.drawString(40, y, line)
        y -= 16
    c.save()
    return path


def test_certificate_hashes_checked_against_exhibits(tmp_path):
    case = tmp_path / "p.evcase"
    with CaseStore.create(case, "存证") as store:
        items = [
            import_bytes(store, f"原件 {i}\n".encode(), f"file{i}.txt").item for i in range(1, 5)
        ]
    sha1 = items[0].sha256
    md5_3 = hashlib.md5("原件 3\n".encode()).hexdigest()
    cert = certificate_pdf(
        tmp_path / "cert.pdf",
        [
            "电子数据存证证书  存证编号：BQ2026112000123",
            f"文件一 哈希值（SHA256）：{sha1[:40]}",  # wrapped over two lines, as printed
            f"{sha1[40:]}",
            f"文件二 SM3：{items[1].sm3}",
            f"文件三 MD5：{md5_3}",
        ],
    )
    r = cli("import", str(case), str(cert), "--kind", "preservation_certificate", "--json")
    assert r.returncode == 0, r.stderr
    with CaseStore.open(case) as store:
        certificate = store.load().evidence[4]
    stated = certificate.metadata["certificate_hashes"]
    assert {"algorithm": "sha256", "value": sha1} in stated
    assert {"algorithm": "sm3", "value": items[1].sm3} in stated
    assert {"algorithm": "md5", "value": md5_3} in stated
    assert certificate.certifies == [items[0].id, items[1].id]  # found by their hashes

    r = cli(
        "--lang",
        "en",
        "certificate",
        "check",
        str(case),
        "E005",
        "--link",
        "E003",
        "--link",
        "E004",
        "--json",
    )
    assert r.returncode == 4  # one mismatch
    results = {x["number"]: (x["status"], x["algorithm"]) for x in json.loads(r.stdout)}
    assert results == {
        1: ("match", "sha256"),
        2: ("match", "sm3"),
        3: ("match", "md5"),
        4: ("mismatch", ""),
    }
    with CaseStore.open(case) as store:
        assert store.custody_log()[-1].action == "certificate.check"
        assert store.audit().ok

    out = tmp_path / "b.pdf"
    assert cli("export", str(case), "--pdf-only", str(out), "--allow-gaps").returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "证据1的原件与本证书所载哈希一致（SHA-256）" in flat
    assert "证据2的原件与本证书所载哈希一致（SM3）" in flat
    assert "证据4的原件与本证书所载哈希不一致" in flat
