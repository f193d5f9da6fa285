"""Helpers for packet tests: a small real case, rebuilding packets, driving the age CLI."""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import pyrage
from PIL import Image
from reportlab.pdfgen import canvas
from testenv import FROZEN

from evidence_app.model import (
    Category,
    Complainant,
    EvidenceItem,
    EvidenceKind,
    Measure,
    Target,
)
from evidence_app.store import CaseStore

USCC = "91350100M000100Y43"
SIGN_PASS = "sign-pass-123"
CERT_CLOCK = FROZEN - _dt.timedelta(days=30)  # valid now, whatever the real clock says


def frozen() -> _dt.datetime:
    return FROZEN


def _png(color: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), color).save(buf, format="PNG")
    return buf.getvalue()


def _pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Audit report")
    c.showPage()
    c.save()
    return buf.getvalue()


def make_case(root: Path, extra_blob: bytes | None = None) -> Path:
    """A small case: one target, two screenshots and a PDF (plus an optional big blob)."""
    store = CaseStore.create(root / "case", "测试案件", clock=frozen, actor="tester")
    with store:
        store.set_complainant(
            Complainant(
                name="测试科技有限公司",
                uscc=USCC,
                legal_representative="张三",
                contact_name="李四",
                contact_phone="13800138000",
            )
        )
        target = store.add_target(
            Target(
                url="https://weibo.com/1234/abcd",
                platform="微博",
                account_name="造谣号",
                categories=[Category.RUMOUR],
                measures=[Measure.DELETE],
                excerpt="某公司即将破产",
            )
        )
        files = [
            ("capture", EvidenceKind.CAPTURE, "微博截图: 谣言/帖子", _png("white"), "image/png"),
            ("account", EvidenceKind.ACCOUNT_CAPTURE, "账号主页", _png("gray"), "image/png"),
            ("report", EvidenceKind.AUDIT_REPORT, "审计报告", _pdf(), "application/pdf"),
        ]
        if extra_blob is not None:
            files.append(("big", EvidenceKind.OTHER, "大文件", extra_blob, "video/mp4"))
        for name, kind, title, data, media in files:
            staged = store.blobs.stage(io.BytesIO(data))
            store.add_evidence(
                staged,
                EvidenceItem(
                    kind=kind,
                    title=title,
                    target_ids=[target.id],
                    media_type=media,
                    original_name=f"{name}.bin",
                    fields={"source_url": target.url, "captured_at": "2026-11-01T10:00:00+08:00"},
                ),
            )
    return root / "case.evcase"


def run_age_with_passphrase(args: list[str], passphrase: str, cwd: Path) -> int:
    """Run the reference ``age`` CLI under a pseudo-terminal (it reads passphrases from the
    terminal only) and type the passphrase when asked; returns its exit status."""
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.chdir(cwd)
        os.execvp("age", ["age", *args])
    seen = b""
    try:
        while True:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            seen += data
            if b"passphrase" in seen.lower():
                os.write(fd, passphrase.encode() + b"\n")
                seen = b""
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def decrypt_zip(packet: Path, identity: pyrage.x25519.Identity) -> bytes:
    """The plaintext ZIP of a (small, test) packet."""
    return pyrage.decrypt(packet.read_bytes(), [identity])


def rezip(entries: list[tuple[str, bytes]], compress: bool = False) -> bytes:
    """A ZIP (stored unless ``compress``) of ``entries`` in order, duplicates allowed."""
    import warnings
    import zipfile

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with zipfile.ZipFile(buf, "w", compression=method) as zf:
            for name, data in entries:
                info = zipfile.ZipInfo(name, (2026, 11, 29, 8, 30, 0))
                info.compress_type = method
                zf.writestr(info, data)
    return buf.getvalue()


def zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def reencrypt(zip_bytes: bytes, identity: pyrage.x25519.Identity, out: Path) -> Path:
    out.write_bytes(pyrage.encrypt(zip_bytes, [identity.to_public()]))
    return out
