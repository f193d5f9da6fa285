"""Builds test cases for the PDF bundle through the store's public API."""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

from PIL import Image, ImageDraw

from evidence_app.model import (
    Category,
    Complainant,
    ContentForm,
    EvidenceItem,
    EvidenceKind,
    Filer,
    FilerRole,
    Measure,
    PriorityType,
    Statement,
    Target,
)
from evidence_app.store import CaseStore

CLOCK = _dt.datetime(2026, 11, 29, 8, 30, 0, tzinfo=_dt.UTC)
COMPANY = "星河云图科技股份有限公司"
TARGET_URLS = ["https://weibo.example.cn/u/1234567/post/9876", "https://tieba.example.cn/p/555"]


def _clock() -> _dt.datetime:
    return CLOCK


def new_case(root: Path, *, agent: bool = False) -> CaseStore:
    store = CaseStore.create(root / "demo", "星河云图被造谣案", clock=_clock, actor="test")
    store.set_channel("cac-12377")
    store.set_complainant(
        Complainant(
            name=COMPANY,
            uscc="91350100M000100Y43",
            legal_representative="林晓峰",
            address="福建省福州市鼓楼区软件大道 89 号",
            contact_name="陈静",
            contact_phone="13800138000",
            priority_types=[PriorityType.HIGH_TECH],
        )
    )
    if agent:
        store.set_filer(
            Filer(
                role=FilerRole.LAW_FIRM,
                name="王律师",
                organisation="闽江律师事务所",
                id_number="11010519491231002X",
                phone="13900139000",
            )
        )
    store.set_statement(
        Statement(
            facts="2026年11月起，多个账号发布“星河云图财务造假”的不实信息。",
            reasons="上述信息捏造事实，损害企业商誉。",
            demands="请求删除上述信息并对发布账号采取处置措施。",
        )
    )
    store.add_target(
        Target(
            url=TARGET_URLS[0],
            platform="微博",
            account_name="真相揭秘君",
            content_form=ContentForm.POST,
            excerpt="星河云图财务造假，老板已跑路",
            categories=[Category.RUMOUR],
            measures=[Measure.DELETE, Measure.ACCOUNT_MEASURES],
        )
    )
    store.add_target(
        Target(
            url=TARGET_URLS[1],
            platform="贴吧",
            categories=[Category.INSULT],
            measures=[Measure.DELETE],
        )
    )
    return store


def add_file(store: CaseStore, path: Path, **fields: object) -> EvidenceItem:
    with open(path, "rb") as fh:
        staged = store.blobs.stage(fh)
    return add_staged(store, staged, path.name, **fields)


def add_bytes(store: CaseStore, data: bytes, name: str, **fields: object) -> EvidenceItem:
    staged = store.blobs.stage(io.BytesIO(data))
    return add_staged(store, staged, name, **fields)


def add_staged(store: CaseStore, staged, name: str, **fields: object) -> EvidenceItem:
    media = fields.pop("media_type", None) or _media(staged.head)
    item = EvidenceItem(
        kind=fields.pop("kind", EvidenceKind.CAPTURE),  # type: ignore[arg-type]
        title=str(fields.pop("title", name)),
        proves=str(fields.pop("proves", "证明侵权信息存在")),
        target_ids=list(fields.pop("target_ids", ["T1"])),  # type: ignore[arg-type]
        fields=dict(fields.pop("fields", {})),  # type: ignore[arg-type]
        original_name=name,
        media_type=media,
        metadata=dict(fields.pop("metadata", {})),  # type: ignore[arg-type]
        redactions=list(fields.pop("redactions", [])),  # type: ignore[arg-type]
    )
    assert not fields, fields
    return store.add_evidence(staged, item)


def _media(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return "application/octet-stream"


def screenshot_png(text: str = "", size: tuple[int, int] = (1280, 720), mode: str = "RGB") -> bytes:
    """A screenshot-like PNG: flat colours and a few bars (compresses like real ones)."""
    im = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 255))
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rectangle([0, 0, w - 1, h // 12], fill=(30, 90, 200))
    for i in range(8):
        y = h // 7 + i * h // 11
        draw.rectangle([w // 30, y, w - w // 30 - (i * w // 25), y + h // 25], fill=(60, 60, 60))
    draw.rectangle([w * 5 // 6, h * 5 // 6, w - w // 30, h - h // 30], fill=(220, 30, 30))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def text_pdf(lines_per_page: list[list[str]], rotate: int = 0, embed: bool = True) -> bytes:
    """A small PDF with real (extractable) text; ``embed=False`` uses the un-embedded
    Helvetica, like many real evidence PDFs."""
    from reportlab.pdfgen.canvas import Canvas

    from evidence_app.exporters.pdf.fonts import register_fonts

    font = register_fonts() if embed else "Helvetica"
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, initialFontName=font)
    for lines in lines_per_page:
        y = 780
        for line in lines:
            c.setFont(font, 14)
            c.drawString(72, y, line)
            y -= 24
        c.showPage()
    c.save()
    data = buf.getvalue()
    if rotate:
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.rotate(rotate, relative=False)
            out = io.BytesIO()
            pdf.save(out, static_id=True)
            data = out.getvalue()
    return data


def full_case(root: Path, corpus: Path) -> CaseStore:
    store = new_case(root)
    add_bytes(
        store,
        screenshot_png(),
        "weibo.png",
        title="微博帖子截图（造谣）",
        fields={"source_url": TARGET_URLS[0], "captured_at": "2026-11-20T10:15:00+08:00"},
    )
    add_file(
        store,
        corpus / "images" / "odd" / "hopper_orientation_6.jpg",
        title="手机拍摄的屏幕照片（旋转）",
        metadata={"orientation": 6},
    )
    add_bytes(
        store,
        text_pdf([["Audit report page one", "Revenue 2025 confirmed"], ["Page two signed"]]),
        "audit.pdf",
        kind=EvidenceKind.AUDIT_REPORT,
        title="2025 年度审计报告",
        fields={"issuer": "华信会计师事务所"},
        proves="证明企业财务真实",
    )
    add_bytes(
        store,
        b"\x00\x00\x00\x18ftypmp42" + bytes(200),
        "record.mp4",
        kind=EvidenceKind.CAPTURE,
        title="录屏视频",
        fields={"source_url": TARGET_URLS[1]},
    )
    return store
