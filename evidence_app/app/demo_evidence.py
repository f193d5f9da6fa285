"""The demo case's weightier evidence: a web archive, a video, an e-mail with an attachment,
a preservation certificate and two timestamp tokens — every one imported through the same
paths a user's files take (intake, ``timestamp import``, the certificate check).

The timestamp tokens come from a **demo authority made here** (its name says DEMO; its root
certificate is written beside the case as ``demo-tsa-root.pem``). They show what trusted time
looks like in the bundle and the packet; they are not trusted time, and the 证据目录 says so.
"""

from __future__ import annotations

import datetime as _dt
import email.message
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from evidence_app.intake import import_files
from evidence_app.model import EvidenceKind
from evidence_app.preservation import check_links
from evidence_app.store import CaseStore
from evidence_app.store.case_store import Clock
from evidence_app.trusted_time import import_replies, request_timestamps

SITE = "https://www.huachen-ai-official.example.com/"
DEMO_TSA_NAME = "DEMO Evidence App demo TSA (not trusted time)"


def add_demo_evidence(case: Path, files_dir: Path, clock: Clock, font_path: Path) -> None:
    with CaseStore.open(case, clock=clock) as store:
        by_title = {e.title: e for e in store.load().evidence}
        site_png = files_dir / "counterfeit-site.png"
        warc = _site_warc(files_dir / "counterfeit-site.warc.gz", site_png.read_bytes())
        qr = _payment_code(files_dir / "payment-code.png", font_path)
        eml = _extortion_mail(files_dir / "extortion-demand.eml", qr.read_bytes())
        import_files(store, [warc], target_ids=["T3"], proves="仿冒网站的网址、IP 与页面内容")
        import_files(
            store,
            [eml],
            kind=EvidenceKind.EXTORTION_DEMAND,
            proves="对方以删帖为条件索要钱款",
        )
        video = _douyin_video(files_dir / "douyin-video.mp4", font_path)
        import_files(
            store,
            [video],
            target_ids=["T2"],
            title="抖音“老铁说真话”侮辱视频（录屏）",
            fields={
                "source_url": "https://www.douyin.com/video/7436251890123456789",
                "captured_at": "2026-11-23T10:06:30+08:00",
                "platform": "抖音",
            },
            proves="视频中公开辱骂公司及法定代表人",
        )
        weibo = by_title["微博“财经内幕观察”谣言帖截图"]
        cert = _certificate(files_dir / "preservation-certificate.pdf", weibo.sha256, font_path)
        [outcome] = import_files(
            store,
            [cert],
            kind=EvidenceKind.PRESERVATION_CERTIFICATE,
            title="电子数据存证证书（演示）",
            proves="微博截图在存证时的哈希值",
        )
        if outcome.item is not None:
            check_links(store, outcome.item.id)
        _demo_timestamps(store, case.parent, [weibo.label, by_title["仿冒官网首页截图"].label])


def _site_warc(path: Path, screenshot: bytes) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (
        "<html><head><meta charset='utf-8'><title>华辰智能官方商城 - 限时领取投资分红</title>"
        "</head><body><h1>华辰智能官方商城</h1><p>请填写身份证号与银行卡号</p></body></html>"
    ).encode()
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "ArchiveWeb.page 0.12 (demo)"})
        )
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        headers = {"WARC-Date": "2026-11-24T07:45:10Z", "WARC-IP-Address": "198.51.100.23"}
        writer.write_record(
            writer.create_warc_record(
                SITE,
                "response",
                payload=io.BytesIO(page),
                http_headers=http,
                warc_headers_dict=headers,
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "urn:screenshot:" + SITE,
                "resource",
                payload=io.BytesIO(screenshot),
                warc_content_type="image/png",
                warc_headers_dict={"WARC-Date": headers["WARC-Date"]},
            )
        )
    return path


def _douyin_video(path: Path, font_path: Path) -> Path:
    """A 4-second screen recording of the insulting video, subtitles burnt in."""
    from fractions import Fraction

    import av

    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            str(font_path), 22, index=0
        )
    except OSError:
        font = ImageFont.load_default()
    lines = [
        "华辰那帮骗子，",
        "陈立华就是个无耻的骗子！",
        "大家别买他们的股票！",
        "老铁说真话 @laotie_zhenhua",
    ]
    fps = 10
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["creation_time"] = "2026-11-23T02:06:30.000000Z"
        stream = out.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 360, 640, "yuv420p"
        stream.codec_context.gop_size = fps
        for i in range(len(lines) * fps):
            image = Image.new("RGB", (360, 640), "#161823")
            draw = ImageDraw.Draw(image)
            draw.rectangle((0, 0, 360, 48), fill="#000000")
            draw.text((12, 12), "抖音  老铁说真话", font=font, fill="white")
            draw.text((20, 520), lines[i // fps], font=font, fill="#ffe600")
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts, frame.time_base = i, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _payment_code(path: Path, font_path: Path) -> Path:
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            str(font_path), 28, index=0
        )
    except OSError:
        font = ImageFont.load_default()
    img = Image.new("RGB", (480, 560), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, 400, 40):
        for j in range(0, 400, 40):
            if (i * 7 + j * 3) % 80 < 40:
                draw.rectangle((40 + i, 40 + j, 78 + i, 78 + j), fill="black")
    draw.text((60, 470), "扫码支付 50000 元", font=font, fill="#c00000")
    img.save(path, format="PNG")
    return path


def _extortion_mail(path: Path, attachment: bytes) -> Path:
    msg = email.message.EmailMessage()
    msg["Received"] = (
        "from mx.pr-service.example (mx.pr-service.example [203.0.113.45]) by "
        "mail.huachen-ai.example.cn; Wed, 25 Nov 2026 10:12:31 +0800"
    )
    msg["Received"] = "from [10.8.0.12] by mx.pr-service.example; Wed, 25 Nov 2026 10:12:29 +0800"
    msg["From"] = "舆情处理中心 <deal@pr-service.example>"
    msg["To"] = "华辰智能法务部 <legal@huachen-ai.example.cn>"
    msg["Date"] = "Wed, 25 Nov 2026 10:12:28 +0800"
    msg["Subject"] = "关于贵司负面帖子的处理报价"
    msg["Message-ID"] = "<20261125101228.7f3a@pr-service.example>"
    msg.set_content(
        "华辰智能法务部：\n\n微博“财经内幕观察”关于贵司欠薪的帖子已有18万阅读。"
        "如贵司三日内支付50000元“处理费”，我方可安排删帖并停止后续发布；"
        "否则将在更多平台扩散。\n\n付款码见附件。"
    )
    msg.add_attachment(attachment, maintype="image", subtype="png", filename="付款码.png")
    path.write_bytes(msg.as_bytes())
    return path


def _certificate(path: Path, sha256: str, font_path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DemoCertCJK", str(font_path), subfontIndex=0))
    name = "DemoCertCJK"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, initialFontName=name)
    lines = [
        "电子数据存证证书（演示）",
        "存证编号：DEMO-BQ-20261121-0001",
        "存证时间：2026年11月21日 09:35:12",
        "存证内容：微博网页截图 weibo-rumour.png",
        f"文件哈希值（SHA256）：{sha256[:40]}",
        sha256[40:],
        "本证书为演示文件，由 Evidence App 演示案件生成，不具有任何证明效力。",
    ]
    y = 760
    for i, line in enumerate(lines):
        c.setFont(name, 20 if i == 0 else 12)
        c.drawString(60, y, line)
        y -= 36 if i == 0 else 24
    c.save()
    return path


def _demo_timestamps(store: CaseStore, folder: Path, labels: list[str]) -> None:
    """Tokens from the demo authority, through the real request/import path."""
    import asyncio

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps import DummyTimeStamper

    now = store.clock()
    # pyHanko's in-process authority signs with RSA only.
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def cert(
        subject: str, issuer: str, key: object, sign_key: object, ca: bool
    ) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())  # type: ignore[attr-defined]
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(days=1))
            .not_valid_after(now + _dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        return builder.sign(sign_key, hashes.SHA256())  # type: ignore[arg-type]

    root = cert("DEMO root (not trusted)", "DEMO root (not trusted)", root_key, root_key, True)
    tsa = cert(DEMO_TSA_NAME, "DEMO root (not trusted)", tsa_key, root_key, False)
    (folder / "demo-tsa-root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        fixed_dt=now,
    )
    queries_dir = folder / "demo-timestamps"
    replies = []
    for query in request_timestamps(store, queries_dir, exhibits=labels):
        request = tsp.TimeStampReq.load(query.path.read_bytes())
        reply = asyncio.run(stamper.async_request_tsa_response(request))
        out = query.path.with_suffix(".tsr")
        out.write_bytes(reply.dump())
        replies.append(out)
    import_replies(store, replies, [root])
