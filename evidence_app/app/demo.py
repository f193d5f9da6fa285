"""The demo case: a realistic complaint to explore the app with, generated offline.

A listed, high-tech company (fictional, valid USCC) complains about three targets on three
platforms in three categories: a rumour on Weibo (谣言性), insults in a Douyin video (侮辱性)
and an unregistered counterfeit website (仿冒性, 无备案). The generated files are real: PNG
screenshots with Chinese text, a scanned-looking licence image, an audit-report PDF. One item
is deliberately missing: the ICP filing query for the counterfeit site, so the readiness
check has something to show.

It is written as a ``case.json`` plus files and created through the same path as
``evidence-app case init``, so the demo also exercises the public format.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from evidence_app.app.demo_evidence import add_demo_evidence
from evidence_app.casefile import init_case, parse_case_json
from evidence_app.resources import resource_path
from evidence_app.store.case_store import Clock, utc_now
from evidence_app.validators import uscc_check_character

COMPANY = "华辰智能科技股份有限公司"
USCC_BASE = "91310115MA1K4B2X3"
DEMO_CASE_NAME = "demo"

_SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _font_path() -> Path:
    bundled = resource_path("fonts", "wqy-microhei.ttc")
    return bundled if bundled.is_file() else _SYSTEM_FONT


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(_font_path()), size, index=0)
    except OSError:
        return ImageFont.load_default()


def _screenshot(path: Path, header: str, lines: list[str], accent: str) -> None:
    """A 1280x800 'browser capture' with an address bar, a post and a timestamp."""
    img = Image.new("RGB", (1280, 800), "#f4f5f7")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 1280, 56), fill="#dfe3e8")
    draw.rounded_rectangle((90, 12, 1180, 44), radius=12, fill="white")
    draw.text((106, 16), header, font=_font(18), fill="#333333")
    draw.rectangle((140, 90, 1140, 760), fill="white", outline="#d0d4da")
    draw.rectangle((140, 90, 1140, 150), fill=accent)
    y = 175
    for i, line in enumerate(lines):
        draw.text((175, y), line, font=_font(30 if i == 0 else 24), fill="#1a1a1a")
        y += 58 if i == 0 else 44
    img.save(path, format="PNG", optimize=False)


def _licence_scan(path: Path, uscc: str) -> None:
    img = Image.new("RGB", (1240, 1754), "#fbf8ef")
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 60, 1180, 1694), outline="#b8860b", width=8)
    draw.text((460, 140), "营 业 执 照", font=_font(72), fill="#8b0000")
    rows = [
        f"统一社会信用代码  {uscc}",
        f"名    称  {COMPANY}",
        "类    型  股份有限公司（上市、自然人投资或控股）",
        "法定代表人  陈立华",
        "注册资本  人民币贰亿元整",
        "成立日期  2015年03月18日",
        "住    所  上海市浦东新区张江路1288号",
        "经营范围  人工智能软件开发；智能设备研发、生产、销售。",
    ]
    y = 360
    for row in rows:
        draw.text((140, y), row, font=_font(34), fill="#222222")
        y += 90
    draw.ellipse((820, 1300, 1100, 1580), outline="#c00000", width=10)
    draw.text((880, 1420), "登记机关", font=_font(40), fill="#c00000")
    img.save(path, format="JPEG", quality=88)


def _truth_guarantee_scan(path: Path) -> None:
    """A scan of the signed and sealed 真实性承诺书 (Art. 5 (6))."""
    img = Image.new("RGB", (1240, 1754), "#fdfdfb")
    draw = ImageDraw.Draw(img)
    draw.text((430, 150), "真实性承诺书", font=_font(64), fill="#111111")
    rows = [
        "本单位郑重承诺：",
        "所提交的举报材料及证据均真实、合法、有效，",
        "不存在捏造、歪曲事实的情形；如有不实，",
        "本单位愿承担相应的法律责任。",
        "",
        f"承诺单位（盖章）：{COMPANY}",
        "法定代表人（签字）：陈立华",
        "日期：2026年11月25日",
    ]
    y = 380
    for row in rows:
        draw.text((140, y), row, font=_font(36), fill="#222222")
        y += 92
    draw.ellipse((760, 980, 1060, 1280), outline="#c8102e", width=10)
    draw.text((855, 1105), "公章", font=_font(36), fill="#c8102e")
    img.save(path, format="JPEG", quality=88)


def _audit_report_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DemoCJK", str(_font_path()), subfontIndex=0))
    # initialFontName: otherwise reportlab declares an unembedded Helvetica on every page.
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, initialFontName="DemoCJK")
    c.setTitle("专项审计报告")
    _width, height = A4
    pages = [
        [
            "专项审计报告",
            "立信华明会计师事务所（特殊普通合伙）",
            "信会师报字[2026]第ZA31047号",
            "",
            f"致{COMPANY}全体股东：",
            "我们接受委托，对贵公司2025年度营业收入、应付职工薪酬及",
            "供应商付款情况执行了专项审计程序。",
        ],
        [
            "二、审计结论",
            "1. 贵公司2025年度营业收入为人民币18.6亿元，较上年增长23%。",
            "2. 截至2026年9月30日，不存在拖欠员工工资的情形。",
            "3. 截至2026年9月30日，不存在逾期未付供应商款项。",
            "",
            "注册会计师：王敏    注册会计师：李哲",
            "二〇二六年十月十五日",
        ],
    ]
    for lines in pages:
        y = height - 90
        for i, line in enumerate(lines):
            c.setFont("DemoCJK", 22 if i == 0 else 13)
            c.drawString(72, y, line)
            y -= 40 if i == 0 else 26
        c.showPage()
    c.save()


def demo_description(files: dict[str, str], uscc: str) -> dict[str, object]:
    return {
        "format": 1,
        "title": "华辰智能网络侵权案（演示案件）",
        "channel": "cac-12377",
        "complainant": {
            "name": COMPANY,
            "uscc": uscc,
            "legal_representative": "陈立华",
            "address": "上海市浦东新区张江路1288号",
            "province": "上海市",
            "city": "上海市",
            "contact_name": "周敏",
            "contact_phone": "021-58880000",
            "contact_email": "legal@huachen-ai.example.cn",
            "priority_types": ["listed", "high_tech"],
            "exchange": "上海证券交易所科创板",
            "stock_code": "688999",
        },
        "filer": {"role": "enterprise"},
        "statement": {
            # The case-wide part: each target's own facts and reasons are with the target,
            # so a platform's complaint speaks only of the items on that platform.
            "facts": (
                "我公司为上市的高新技术企业。2026年11月以来，有网络账号和网站发布、传播"
                "涉及我公司的不实信息、侮辱性内容和仿冒信息，具体如下。"
            ),
            "reasons": "上述信息已对我公司商誉及投资者信心造成严重损害。",
            "demands": "请依法及时处置上述信息，并将处理结果告知我公司。",
        },
        "targets": [
            {
                "id": "T1",
                "url": "https://weibo.com/7788123456/NvQz4kLmP",
                "platform": "微博",
                "account_name": "财经内幕观察",
                "account_id": "7788123456",
                "content_form": "post",
                "excerpt": "华辰智能资金链断裂，已拖欠员工工资三个月，老板准备跑路！",
                "published_at": "2026-11-20T21:14:00+08:00",
                "discovered_at": "2026-11-21T09:30:00+08:00",
                "ip_location": "广东",
                "engagement": {"views": 182000, "likes": 2310, "shares": 4120, "comments": 876},
                "account_role": "first_post",
                "categories": ["rumour"],
                "measures": ["delete", "account_measures"],
                "time_sensitive": True,
                "facts": (
                    "微博用户“财经内幕观察”发布虚假信息，称我公司“资金链断裂、拖欠员工工资三个月”。"
                ),
                "reasons": "经审计报告证实，我公司经营正常、不存在欠薪情形，该信息与事实严重不符。",
            },
            {
                "id": "T2",
                "url": "https://www.douyin.com/video/7436251890123456789",
                "platform": "抖音",
                "account_name": "老铁说真话",
                "account_id": "laotie_zhenhua",
                "content_form": "short_video",
                "excerpt": "华辰那帮骗子，陈立华就是个无耻的骗子！",
                "published_at": "2026-11-22T19:02:00+08:00",
                "discovered_at": "2026-11-23T10:05:00+08:00",
                "ip_location": "河南",
                "engagement": {"views": 56000, "likes": 1200, "shares": 300, "comments": 410},
                "account_role": "multi_post",
                "categories": ["insult"],
                "measures": ["delete", "block"],
                "facts": "抖音账号“老铁说真话”发布短视频，公开辱骂我公司及我公司法定代表人。",
            },
            {
                "id": "T3",
                "url": "https://www.huachen-ai-official.example.com/",
                "platform": "独立网站",
                "content_form": "website",
                "excerpt": "华辰智能官方商城——限时领取投资分红，请填写身份证号与银行卡号",
                "discovered_at": "2026-11-24T15:40:00+08:00",
                "categories": ["counterfeit_website"],
                "measures": ["disconnect_link", "blacklist"],
                "facts": (
                    "该网站未经备案，冒用我公司名称与标识仿冒官网，诱导用户填写身份证号与银行卡号。"
                ),
            },
        ],
        "evidence": [
            {
                "file": files["licence"],
                "kind": "business_licence",
                "title": "营业执照（副本）扫描件",
                "proves": "华辰智能的主体资格",
            },
            {
                "file": files["guarantee"],
                "kind": "truth_guarantee",
                "title": "真实性承诺书（盖章扫描件）",
                "proves": "华辰智能承诺所提交材料真实合法",
            },
            {
                "file": files["weibo"],
                "kind": "capture",
                "title": "微博“财经内幕观察”谣言帖截图",
                "proves": "该账号发布“拖欠工资、资金链断裂”不实信息",
                "targets": ["T1"],
                "fields": {
                    "source_url": "https://weibo.com/7788123456/NvQz4kLmP",
                    "captured_at": "2026-11-21T09:32:00+08:00",
                    "platform": "微博",
                },
            },
            {
                "file": files["audit"],
                "kind": "audit_report",
                "title": "2025年度专项审计报告",
                "proves": "公司经营正常、不存在拖欠工资情形，谣言内容不实",
                "targets": ["T1"],
                "fields": {
                    "issuer": "立信华明会计师事务所（特殊普通合伙）",
                    "issued_at": "2026-10-15",
                    "reference": "信会师报字[2026]第ZA31047号",
                },
            },
            {
                "file": files["douyin"],
                "kind": "capture",
                "title": "抖音“老铁说真话”侮辱视频截图",
                "proves": "该账号公开辱骂公司及法定代表人",
                "targets": ["T2"],
                "fields": {
                    "source_url": "https://www.douyin.com/video/7436251890123456789",
                    "captured_at": "2026-11-23T10:07:00+08:00",
                    "platform": "抖音",
                },
            },
            {
                "file": files["douyin_account"],
                "kind": "account_capture",
                "title": "抖音“老铁说真话”账号主页截图",
                "proves": "该账号的名称、头像与简介",
                "targets": ["T2"],
                "fields": {
                    "source_url": "https://www.douyin.com/user/laotie_zhenhua",
                    "captured_at": "2026-11-23T10:09:00+08:00",
                    "platform": "抖音",
                },
            },
            {
                "file": files["site"],
                "kind": "capture",
                "title": "仿冒官网首页截图",
                "proves": "该网站冒用公司名称与标识诱导用户填写个人信息",
                "targets": ["T3"],
                "fields": {
                    "source_url": "https://www.huachen-ai-official.example.com/",
                    "captured_at": "2026-11-24T15:45:00+08:00",
                },
            },
        ],
    }


def write_demo_case(directory: Path, *, clock: Clock = utc_now) -> Path:
    """Write the demo files, ``demo-case.json`` and the case ``demo.evcase`` in ``directory``.

    Returns the case path. Refuses to overwrite an existing demo case.
    """
    directory.mkdir(parents=True, exist_ok=True)
    files_dir = directory / "demo-files"
    files_dir.mkdir(exist_ok=True)
    uscc = USCC_BASE + uscc_check_character(USCC_BASE)
    _licence_scan(files_dir / "licence.jpg", uscc)
    _truth_guarantee_scan(files_dir / "truth-guarantee.jpg")
    _screenshot(
        files_dir / "weibo-rumour.png",
        "https://weibo.com/7788123456/NvQz4kLmP",
        [
            "财经内幕观察  ·  11月20日 21:14  来自 iPhone  IP属地：广东",
            "【重磅】华辰智能资金链断裂，已拖欠员工工资三个月，",
            "老板准备跑路！内部员工爆料，大家赶紧抛售股票！！！",
            "#华辰智能# #科创板#",
            "转发 4120    评论 876    赞 2310",
            "截图时间：2026-11-21 09:32（北京时间）",
        ],
        "#ff8200",
    )
    _screenshot(
        files_dir / "douyin-insult.png",
        "https://www.douyin.com/video/7436251890123456789",
        [
            "老铁说真话  ·  11月22日  IP属地：河南",
            "视频字幕：“华辰那帮骗子，陈立华就是个无耻的骗子！”",
            "评论区：跟着骂的有几百条……",
            "点赞 1200    评论 410    分享 300",
            "截图时间：2026-11-23 10:07（北京时间）",
        ],
        "#161823",
    )
    _screenshot(
        files_dir / "douyin-account.png",
        "https://www.douyin.com/user/laotie_zhenhua",
        [
            "老铁说真话（抖音号：laotie_zhenhua）",
            "简介：专揭上市公司黑幕  粉丝 3.2万",
            "作品 214    获赞 18.5万",
            "截图时间：2026-11-23 10:09（北京时间）",
        ],
        "#161823",
    )
    _screenshot(
        files_dir / "counterfeit-site.png",
        "https://www.huachen-ai-official.example.com/",
        [
            "华辰智能官方商城（仿冒页面）",
            "限时领取投资分红！请填写身份证号与银行卡号",
            "页面底部无ICP备案号",
            "截图时间：2026-11-24 15:45（北京时间）",
        ],
        "#1f5fbf",
    )
    _audit_report_pdf(files_dir / "audit-report.pdf")
    files = {
        "licence": "demo-files/licence.jpg",
        "guarantee": "demo-files/truth-guarantee.jpg",
        "weibo": "demo-files/weibo-rumour.png",
        "douyin": "demo-files/douyin-insult.png",
        "douyin_account": "demo-files/douyin-account.png",
        "site": "demo-files/counterfeit-site.png",
        "audit": "demo-files/audit-report.pdf",
    }
    description_path = directory / "demo-case.json"
    with open(description_path, "w", encoding="utf-8") as fh:
        json.dump(demo_description(files, uscc), fh, ensure_ascii=False, indent=2)
    case = init_case(directory / DEMO_CASE_NAME, parse_case_json(description_path), clock=clock)
    # A web archive, an e-mail, a preservation certificate and DEMO timestamp tokens, imported
    # through the same paths as a user's files (demo_evidence).
    add_demo_evidence(case, files_dir, clock, _font_path())
    return case
