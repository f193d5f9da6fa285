"""The complaint letter, read back with pdftotext: proper form, every entered fact in Chinese
legal style, one term per document, 禁则 line breaking, and one channel's complaint speaking
only of that channel's targets and naming that channel everywhere."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from evidence_app.app.demo import write_demo_case
from evidence_app.exporters.upload_folder import export_upload_folder
from evidence_app.model import EvidenceKind, Filer, FilerRole
from evidence_app.store import CaseStore

CLOSING = set("，。、；：？！）」』》”")
OPENING = set("（「『《“")


def text_of(pdf, layout=False):
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def bad_lines(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if line[0] in CLOSING or line[-1] in OPENING]


def outside_titles(text):
    """The text without 《…》 titles (the norm's and the guidance's names say 举报)."""
    return re.sub(r"《[^》]*》", "", text)


@pytest.fixture
def demo(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        case = store.load()
        item = next(e for e in case.evidence if "T3" in e.target_ids)
        # A public-platform query with its platform and query time, as the rule asks.
        item.kind = EvidenceKind.PUBLIC_PLATFORM_QUERY
        item.fields = {
            **item.fields,
            "platform": "ICP/IP地址/域名信息备案管理系统",
            "queried_at": "2026-11-24T16:02:00+08:00",
        }
        store.update_evidence(item)
    return path


def test_12377_letter_form_and_every_fact(demo, tmp_path):
    out = tmp_path / "f"
    with CaseStore.open(demo) as store:
        export_upload_folder(store, out, channel="cac-12377", allow_gaps=True)
    text = text_of(out / "complaint.pdf")
    flat = text.replace("\n", "")
    assert "举报书" in text and "投诉" not in outside_titles(text)
    assert "致：中央网信办违法和不良信息举报中心" in flat
    order = [flat.index(k) for k in ("一、请求事项", "二、事实与理由", "三、法律依据", "此致")]
    assert order == sorted(order)
    for fact in (
        "发布时间：2026年11月20日 21时14分",
        "发现时间：2026年11月21日 09时30分",
        "IP属地：广东",
        "浏览 182000 次",
        "点赞 2310 次",
        "转发 4120 次",
        "评论 876 条",
        "账号角色：首发",
        "账号角色：多发",
        "紧急情况",
        "限时加私",
        "出具日期：2026年10月15日",
        "查询时间：2026年11月24日 16时02分",
        "ICP/IP地址/域名信息备案管理系统",
        "第一千零二十四条",
        "第一百一十条",
        "第四条",
        "（十五）",
        "（二十一）",
        "无需司法、行政等国家机构举证",
        "举报人（盖章）：华辰智能科技股份有限公司",
        "日期：",
    ):
        assert fact in flat, fact
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)  # no ISO dates anywhere
    assert bad_lines(text) == [] and bad_lines(text_of(out / "complaint.pdf", True)) == []
    # Sections, then numbers: the licence (主体资格) before the truth guarantee (其他).
    assert flat.index("（一）主体资格") < flat.index("（三）侵权证据") < flat.index("（五）其他")


def test_weibo_complaint_after_a_12377_export_holds_only_weibo(demo, tmp_path):
    with CaseStore.open(demo) as store:
        export_upload_folder(store, tmp_path / "cac", channel="cac-12377", allow_gaps=True)
        result = export_upload_folder(store, tmp_path / "weibo", channel="weibo")
        custody = store.custody_log()[-1]
        case = store.load()
    assert result.channel == "weibo"
    folder = tmp_path / "weibo"
    text = text_of(folder / "complaint.pdf")
    flat = text.replace("\n", "")
    assert "投诉书" in text and "举报" not in outside_titles(text)
    assert "微博" in flat and "网信部门涉企举报专区" not in flat and "12377" not in flat
    t1, t2, t3 = case.targets
    assert t1.url in flat and t2.url not in flat and t3.url not in flat
    assert "抖音" not in flat and "仿冒官网" not in flat  # no other target's facts
    assert "第一千一百九十五条" in flat  # notice to a network service provider
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["channel"]["id"] == "weibo" and manifest["case"]["channel"] == "weibo"
    assert [t["id"] for t in manifest["case"]["targets"]] == ["T1"]
    forms = json.loads((folder / "forms" / "fields.json").read_text("utf-8"))
    assert forms["channel"] == "weibo"
    assert custody.details["channel"] == "weibo"
    assert bad_lines(text) == []


def test_agent_filer_named_with_firm_licence_and_contact(demo, tmp_path):
    with CaseStore.open(demo) as store:
        store.set_filer(
            Filer(
                role=FilerRole.LAW_FIRM,
                name="王明律",
                organisation="沪申律师事务所",
                licence_number="13101201810123456",
                id_number="11010519491231002X",
                phone="13900139000",
                email="wang@hushen-law.example.cn",
            )
        )
        export_upload_folder(store, tmp_path / "f", channel="cac-12377", allow_gaps=True)
    flat = text_of(tmp_path / "f" / "complaint.pdf").replace("\n", "")
    for fact in (
        "委托代理人：王明律，沪申律师事务所律师，执业证号：13101201810123456",
        "13900139000",
        "wang@hushen-law.example.cn",
        "委托代理人（签字）",
        "企业联系人：周敏",
    ):
        assert fact in flat, fact
