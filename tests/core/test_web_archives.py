"""Web archives (WARC written with warcio, a WACZ, an MHTML) and e-mails import with their
provenance read from the file; hostile variants are refused with their reason."""

from __future__ import annotations

import email.message
import email.utils
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from evidence_app.intake import import_files
from evidence_app.model import EvidenceKind
from evidence_app.store import CaseStore

URL = "https://weibo.example/1234567890/Nabc"
HTML = (
    "<html><head><meta charset='utf-8'><title>华辰智能 造假 内幕</title></head>"
    "<body>谣言</body></html>"
)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 40), "red").save(buf, "PNG")
    return buf.getvalue()


def write_warc(path: Path, screenshot: bool = True) -> Path:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "ArchiveWeb.page 0.12"})
        )
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            URL,
            "response",
            payload=io.BytesIO(HTML.encode()),
            http_headers=http,
            warc_headers_dict={
                "WARC-Date": "2026-11-20T03:15:42Z",
                "WARC-IP-Address": "203.0.113.7",
            },
        )
        writer.write_record(record)
        if screenshot:
            shot = writer.create_warc_record(
                "urn:screenshot:" + URL,
                "resource",
                payload=io.BytesIO(_png()),
                warc_content_type="image/png",
            )
            writer.write_record(shot)
    return path


def write_wacz(path: Path, warc: Path, *, tamper: bool = False, extra: str = "") -> Path:
    pages = (
        json.dumps({"format": "json-pages-1.0", "id": "pages"})
        + "\n"
        + json.dumps({"url": URL, "ts": "2026-11-20T03:15:42Z", "title": "华辰智能 造假 内幕"})
        + "\n"
    ).encode()
    files = {"archive/data.warc.gz": warc.read_bytes(), "pages/pages.jsonl": pages}
    resources = [
        {
            "name": name.rsplit("/", 1)[-1],
            "path": name,
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        for name, data in files.items()
    ]
    if tamper:
        resources[1]["hash"] = "sha256:" + "0" * 64
    package = json.dumps({"profile": "data-package", "resources": resources}).encode()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("datapackage.json", package)
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(package).hexdigest(),
        }
        zf.writestr("datapackage-digest.json", json.dumps(digest))
        for name, data in files.items():
            zf.writestr(name, data)
        if extra:
            zf.writestr(extra, b"x")
    return path


def write_mhtml(path: Path) -> Path:
    msg = email.message.EmailMessage()
    msg["From"] = "<Saved by Blink>"
    msg["Snapshot-Content-Location"] = URL
    msg["Subject"] = "华辰智能 造假 内幕"
    msg["Date"] = "Fri, 20 Nov 2026 11:15:42 +0800"
    msg["MIME-Version"] = "1.0"
    msg.make_related()
    msg.add_related(HTML, subtype="html", headers=[f"Content-Location: {URL}"])
    path.write_bytes(msg.as_bytes())
    return path


@pytest.fixture
def store(tmp_path):
    with CaseStore.create(tmp_path / "w.evcase", "网页存档") as s:
        yield s


def _one(store, path):
    [outcome] = import_files(store, [path])
    return outcome


def test_warc_provenance_and_screenshot_become_exhibit_fields(store, tmp_path):
    outcome = _one(store, write_warc(tmp_path / "page.warc.gz"))
    assert outcome.status == "imported", outcome.message()
    item = outcome.item
    assert item.media_type == "application/warc" and item.kind == EvidenceKind.CAPTURE
    assert item.fields == {"source_url": URL, "captured_at": "2026-11-20T03:15:42Z"}
    assert item.metadata["proposed_fields"] == ["captured_at", "source_url"]
    assert item.title == "华辰智能 造假 内幕"
    meta = item.metadata
    assert meta["archive_server_ip"] == "203.0.113.7" and meta["archive_http_status"] == 200
    assert meta["archive_software"] == "ArchiveWeb.page 0.12" and meta["archive_records"] == 3
    # the screenshot record is now an image exhibit linked to the archive
    [shot] = outcome.parts
    assert shot.status == "imported" and shot.item.media_type == "image/png"
    assert shot.item.metadata["part_of"] == {"id": item.id, "number": 1, "role": "screenshot"}
    assert shot.item.fields["source_url"] == URL
    case = store.load()
    assert case.evidence[0].metadata["parts"] == [
        {"id": shot.item.id, "number": 2, "role": "screenshot", "name": "screenshot.png"}
    ]
    assert store.audit().ok


def test_caller_fields_win_over_the_archive(store, tmp_path):
    [outcome] = import_files(
        store,
        [write_warc(tmp_path / "p.warc.gz", False)],
        fields={"source_url": "https://a.example/"},
    )
    assert outcome.item.fields["source_url"] == "https://a.example/"
    assert outcome.item.metadata["proposed_fields"] == ["captured_at"]


def test_wacz_digests_checked_and_page_read(store, tmp_path):
    warc = write_warc(tmp_path / "data.warc.gz")
    outcome = _one(store, write_wacz(tmp_path / "c.wacz", warc))
    assert outcome.status == "imported", outcome.message()
    item = outcome.item
    assert item.media_type == "application/wacz"
    assert item.metadata["archive_digests_checked"] == 2
    assert item.fields["source_url"] == URL and item.metadata["archive_server_ip"] == "203.0.113.7"
    assert len(outcome.parts) == 1


def test_mhtml_provenance(store, tmp_path):
    outcome = _one(store, write_mhtml(tmp_path / "page.mhtml"))
    assert outcome.status == "imported", outcome.message()
    item = outcome.item
    assert item.media_type == "multipart/related"
    assert item.fields == {"source_url": URL, "captured_at": "2026-11-20T11:15:42+08:00"}
    assert item.title == "华辰智能 造假 内幕"


def _refused(store, path, key):
    outcome = _one(store, path)
    assert outcome.status == "refused", outcome.status
    assert outcome.error.key == key, outcome.error
    assert store.load().evidence == []
    return outcome


def test_truncated_warc_refused(store, tmp_path):
    data = write_warc(tmp_path / "full.warc.gz").read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])
    _refused(store, cut, "intake.archive_truncated")
    plain = tmp_path / "cut.warc"
    plain.write_bytes(gzip.decompress(data)[:-300])
    _refused(store, plain, "intake.archive_truncated")


def test_huge_header_refused(store, tmp_path):
    path = tmp_path / "huge.warc"
    body = b"x"
    path.write_bytes(
        b"WARC/1.0\r\nWARC-Type: resource\r\nX-Pad: "
        + b"A" * 200_000
        + b"\r\nContent-Length: 1\r\n\r\n"
        + body
        + b"\r\n\r\n"
    )
    _refused(store, path, "intake.archive_huge_header")


def test_gzip_bomb_refused(store, tmp_path):
    size = 300 * 1024 * 1024
    header = f"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: {size}\r\n\r\n".encode()
    comp = __import__("zlib").compressobj(9, wbits=31)
    out = bytearray(comp.compress(header))
    zeros = bytes(1024 * 1024)
    for _ in range(300):
        out += comp.compress(zeros)
    out += comp.compress(b"\r\n\r\n") + comp.flush()
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(bytes(out))
    _refused(store, path, "intake.archive_bomb")


def test_wacz_zip_slip_and_tampering_refused(store, tmp_path):
    warc = write_warc(tmp_path / "data.warc.gz")
    _refused(
        store,
        write_wacz(tmp_path / "slip.wacz", warc, extra="../../evil.sh"),
        "intake.archive_zip_slip",
    )
    _refused(
        store, write_wacz(tmp_path / "t.wacz", warc, tamper=True), "intake.archive_wacz_digest"
    )


def write_eml(path: Path) -> Path:
    msg = email.message.EmailMessage()
    msg["Received"] = (
        "from mx.extort.example (mx.extort.example [198.51.100.9]) by mail.huachen.example;"
        " Fri, 20 Nov 2026 10:01:02 +0800"
    )
    msg["Received"] = "from [10.0.0.5] by mx.extort.example; Fri, 20 Nov 2026 10:01:00 +0800"
    msg["From"] = "黑公关 <pr@extort.example>"
    msg["To"] = "法务部 <legal@huachen.example>"
    msg["Date"] = "Fri, 20 Nov 2026 10:00:59 +0800"
    msg["Subject"] = "删帖报价"
    msg["Message-ID"] = "<abc123@extort.example>"
    msg.set_content("如不支付 5 万元，将继续发布负面文章。\n账户：6222 0000 0000 0000")
    msg.add_attachment(_png(), maintype="image", subtype="png", filename="付款码.png")
    msg.add_attachment(
        "报价：50000 元".encode(),
        maintype="application",
        subtype="octet-stream",
        filename="报价单.txt",
    )
    path.write_bytes(msg.as_bytes())
    return path


def test_eml_headers_and_attachments(store, tmp_path):
    outcome = _one(store, write_eml(tmp_path / "demand.eml"))
    assert outcome.status == "imported", outcome.message()
    item = outcome.item
    assert item.media_type == "message/rfc822" and item.title == "删帖报价"
    meta = item.metadata
    assert meta["mail_from"] == "黑公关 <pr@extort.example>"
    assert meta["mail_message_id"] == "<abc123@extort.example>"
    assert len(meta["mail_received"]) == 2 and "198.51.100.9" in meta["mail_received"][0]
    assert "5 万元" in meta["mail_body"]
    assert meta["mail_attachments"] == ["付款码.png", "报价单.txt"]
    names = [(p.item.original_name, p.item.media_type) for p in outcome.parts]
    assert names == [("付款码.png", "image/png"), ("报价单.txt", "text/plain")]
    assert all(p.item.metadata["part_of"]["id"] == item.id for p in outcome.parts)
    assert outcome.parts[0].item.title == "删帖报价 的附件：付款码.png"


def test_bundle_pages_show_provenance_and_headers(store, tmp_path):
    import re
    import subprocess
    import sys

    import_files(store, [write_warc(tmp_path / "page.warc.gz"), write_eml(tmp_path / "d.eml")])
    out = tmp_path / "bundle.pdf"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence_app",
            "export",
            str(store.root),
            "--pdf-only",
            str(out),
            "--allow-gaps",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    for expected in (
        "服务器IP203.0.113.7",
        "HTTP状态码200",
        "存档时间（存档所载）2026年11月20日11时15分42秒",
        "存档中的截图见证据2（screenshot.png）",
        "发件人黑公关<pr@extort.example>",
        "Message-ID<abc123@extort.example>",
        "传输记录1（Received）frommx.extort.example(mx.extort.example[198.51.100.9])",
        "如不支付5万元",
        "取自见证据3",
    ):
        assert expected in flat, expected
