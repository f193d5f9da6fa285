"""`evidence-app check`: exit codes 0/3, grouped human output in zh and en, JSON as documented."""

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from rules.rulecases import USCC

from evidence_app.cli import main
from evidence_app.model import Category, Complainant, EvidenceItem, EvidenceKind, Statement, Target
from evidence_app.store import CaseStore

REPO = Path(__file__).resolve().parents[2]

K = EvidenceKind


def doc_schema():
    text = (REPO / "docs" / "check-json.md").read_text("utf-8")
    block = text.split("## JSON Schema", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)\n```", block, re.S).group(1))


def add(store, kind, *targets, **fields):
    staged = store.blobs.stage(io.BytesIO(f"{kind.value} {targets} {fields}".encode()))
    return store.add_evidence(
        staged, EvidenceItem(kind=kind, title=kind.value, target_ids=list(targets), fields=fields)
    )


@pytest.fixture
def case_dir(tmp_path):
    """A rumour complaint, complete except for the proof that the rumour is false."""
    path = tmp_path / "c.evcase"
    with CaseStore.create(path, "测试案件") as store:
        store.set_complainant(
            Complainant(
                name="华辰智能科技股份有限公司",
                uscc=USCC,
                contact_name="周敏",
                contact_phone="021-58880000",
            )
        )
        store.set_statement(Statement(facts="发布虚假信息。", reasons="内容不实。"))
        store.add_target(
            Target(
                id="T1",
                url="https://weibo.com/1/abc",
                platform="微博",
                categories=[Category.RUMOUR],
            )
        )
        add(store, K.BUSINESS_LICENCE)
        add(store, K.TRUTH_GUARANTEE)
        add(
            store,
            K.CAPTURE,
            "T1",
            source_url="https://weibo.com/1/abc",
            captured_at="2026-11-21T09:32:00+08:00",
        )
    return path


def complete(path):
    with CaseStore.open(path) as store:
        add(store, K.LEGAL_OPINION, "T1", issuer="某律师事务所", issued_at="2026-10-20")


def test_exit_3_with_gaps_then_0_when_ready(case_dir, capsys):
    assert main(["check", str(case_dir), "--today", "2026-11-29"]) == 3
    out = capsys.readouterr().out
    # grouped: the case, then the target with its category, each line with clause and mark
    case_at, target_at, cat_at = (
        out.index("■ 整个案件"),
        out.index("■ T1 · 微博"),
        out.index("谣言性"),
    )
    assert case_at < target_at < cat_at
    assert "✓ 规范第五条（一）  书面写明举报事项和理由：已填写" in out
    assert "✗ 规范第五条（五）；规范第八条  证明内容不实的材料：缺少 以下任一：审计报告" in out
    assert "结论：尚缺 1 项必备材料" in out
    complete(case_dir)
    assert main(["check", str(case_dir), "--today", "2026-11-29"]) == 0
    out = capsys.readouterr().out
    assert "\n    ✗" not in out and "\n  ✗" not in out and "结论：材料齐备" in out
    assert "✓ 规范第五条（五）；规范第八条  证明内容不实的材料：已提供 E004" in out


def test_json_matches_the_documented_format(case_dir, capsys):
    assert main(["check", str(case_dir), "--json", "--today", "2026-11-29"]) == 3
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, doc_schema())
    assert data["ready"] is False and data["summary"]["gaps"] == 1
    assert data["language"] == "zh_CN" and data["checked_on"] == "2026-11-29"
    [gap] = [i for i in data["items"] if i["status"] == "missing"]
    assert gap["requirement"] == "rumour.falsity_proof" and gap["target_id"] == "T1"
    assert gap["category"] == "rumour" and gap["clauses"] == ["规范第五条（五）", "规范第八条"]
    assert gap["fix"] == {
        "kind": "evidence",
        "evidence_kind": "audit_report",
        "target_id": "T1",
        "category": "rumour",
    }
    complete(case_dir)
    assert main(["check", str(case_dir), "--json", "--today", "2026-11-29"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, doc_schema())
    assert data["ready"] is True and data["summary"]["gaps"] == 0


def test_lang_en(case_dir, capsys):
    assert main(["check", str(case_dir), "--lang", "en", "--today", "2026-11-29"]) == 3
    out = capsys.readouterr().out
    assert "■ Whole case" in out and "Rumour / false information" in out
    assert "Proof that the content is false: missing: one of: Audit report" in out
    assert "Result: 1 required items missing" in out
    assert "缺少" not in out and "已填写" not in out and "通用要件" not in out
    # the global option before the sub-command works too, and --json words messages in English
    assert main(["--lang", "en", "check", str(case_dir), "--json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "en"
    assert all(not re.search(r"[\u4e00-\u9fff]", i["name"]) for i in data["items"])


def test_pack_selection_and_unknown_pack(case_dir, capsys):
    # the guidance alone states no evidence requirement for a rumour (the norm's Art. 5 does):
    # the missing falsity proof is the norm's, so the guidance alone finds no gap
    assert main(["check", str(case_dir), "--pack", "cac-2023", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["pack_versions"]) == ["cac-2023"]
    assert "engine.category_uncovered" in {i["requirement"] for i in data["items"]}
    assert main(["check", str(case_dir), "--pack", "cac-2023-norm-art5", "--json"]) == 3
    capsys.readouterr()
    assert main(["check", str(case_dir), "--pack", "nope"]) == 1
    assert "nope" in capsys.readouterr().err


def test_bad_date_and_missing_case(tmp_path, capsys):
    assert main(["check", str(tmp_path / "none"), "--today", "2026-13-01"]) == 2
    assert main(["check", str(tmp_path / "none")]) == 1


def test_demo_malformed_date_is_a_gap_line(tmp_path, capsys):
    """Issue 11: T2's 发布时间 "2026/12/01 8:00" was red in the form but not in the check."""
    assert main(["demo", str(tmp_path)]) == 0
    case_dir = tmp_path / "demo.evcase"
    with CaseStore.open(case_dir) as store:
        t2 = next(t for t in store.load().targets if t.id == "T2")
        t2.published_at = "2026/12/01 8:00"
        store.update_target(t2)
    capsys.readouterr()
    assert main(["check", str(case_dir)]) == 3
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "发布时间格式不正确" in x)
    assert line.strip().startswith("✗") and "2026/12/01 8:00" in line
    # and the demo's own rumour is no longer taken for a labour dispute
    assert "劳资纠纷" not in out
