"""Paperwork through the CLI: each document renders with embedded fonts and the case's data;
the power of attorney lists the powers and the law firm's licence number; the truth guarantee
covers the materials as of its date and not itself; a channel notice only where the channel
requires one; a sealed scan imported back is linked to the generated document and satisfies
the readiness rule."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PIL import Image, ImageDraw

from evidence_app.app.demo import write_demo_case
from evidence_app.model import (
    Category,
    EvidenceKind,
    Executive,
    Filer,
    FilerRole,
    Measure,
    Target,
)
from evidence_app.rules import check_case
from evidence_app.store import CaseStore

PY = [sys.executable, "-m", "evidence_app"]
LICENCE = "13101201810123456"


def cli(*args):
    return subprocess.run([*PY, *map(str, args)], capture_output=True, text=True, timeout=120)


def text(pdf):
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\n", "")


def unembedded(pdf):
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line for line in rows.stdout.splitlines()[2:] if line.split()[-5] != "yes"]


@pytest.fixture
def agent_case(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        store.set_filer(
            Filer(
                role=FilerRole.LAW_FIRM,
                name="王明律",
                organisation="沪申律师事务所",
                licence_number=LICENCE,
                id_number="11010519491231002X",
                phone="13900139000",
            )
        )
        c = store.load().complainant
        c.executives = [Executive(name="陈立华", title="董事长")]
        store.set_complainant(c)
        store.add_target(
            Target(
                id="T4",
                url="https://mp.weixin.qq.com/s/AbCdEf123",
                account_name="财经揭秘君",
                categories=[Category.RUMOUR],
                measures=[Measure.DELETE],
            )
        )
    return path


def test_each_document_renders_with_the_case_data(agent_case, tmp_path):
    expected = {
        "situation_statement": [
            "情况说明",
            "华辰智能科技股份有限公司",
            "资金链断裂",
            "（此处加盖公章）",
        ],
        "power_of_attorney": [
            "授权委托书",
            "王明律",
            "沪申律师事务所",
            LICENCE,
            "代为提交举报材料",
            "代为撤回举报",
            "代为接收处理结果",
            "申请复核",
        ],
        "truth_guarantee": ["真实性承诺书", "本承诺书不在其列", "营业执照（副本）扫描件"],
        "executive_authorisation": ["授权书", "陈立华", "董事长", "授权人（签字）"],
    }
    for doc, needles in expected.items():
        out = tmp_path / f"{doc}.pdf"
        run = cli("paperwork", agent_case, "--doc", doc, "--out", out, "--json")
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["sha256"]
        body = text(out)
        for needle in needles:
            assert needle in body, (doc, needle)
        assert "一般授权" not in body
        assert unembedded(out) == []
        assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    # The truth guarantee does not list itself (the demo holds an earlier sealed scan of it).
    assert "真实性承诺书（盖章扫描件）" not in text(tmp_path / "truth_guarantee.pdf")


def test_channel_notice_only_where_required(agent_case, tmp_path):
    refused = cli("paperwork", agent_case, "--doc", "channel_notice", "--out", tmp_path / "n.pdf")
    assert refused.returncode != 0 and not (tmp_path / "n.pdf").exists()
    out = tmp_path / "wechat.pdf"
    made = cli(
        "paperwork", agent_case, "--doc", "channel_notice", "--channel", "wechat", "--out", out
    )
    assert made.returncode == 0, made.stderr
    body = text(out)
    assert "微信公众平台侵权投诉通知书" in body and "财经揭秘君" in body
    assert "weibo.com" not in body  # only the channel's own target
    assert "赔偿" in body and "王明律" in body  # the guarantee and the agent


def test_sealed_scan_is_linked_and_satisfies_the_rule(agent_case, tmp_path):
    with CaseStore.open(agent_case) as store:
        old = next(e for e in store.load().evidence if e.kind == EvidenceKind.TRUTH_GUARANTEE)
        store.remove_evidence(old.id)
        before = {g.requirement for g in check_case(store.load()).gaps()}
    out = tmp_path / "tg.pdf"
    made = cli("paperwork", agent_case, "--doc", "truth_guarantee", "--out", out, "--json")
    generated = json.loads(made.stdout)["sha256"]
    scan = tmp_path / "scan.png"
    img = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(img).ellipse((800, 1300, 1100, 1600), outline="red", width=10)
    img.save(scan)
    run = cli("paperwork", agent_case, "--doc", "truth_guarantee", "--scan", scan, "--json")
    assert run.returncode == 0, run.stderr
    linked = json.loads(run.stdout)["generated_from"]
    assert linked["sha256"] == generated and linked["template"] == "truth_guarantee"
    with CaseStore.open(agent_case) as store:
        item = next(e for e in store.load().evidence if e.kind == EvidenceKind.TRUTH_GUARANTEE)
        assert item.generated_from["sha256"] == generated  # in the exhibit record
        after = {g.requirement for g in check_case(store.load()).gaps()}
        assert store.audit().ok
    assert len(after) < len(before)  # the guarantee's requirement is met again
