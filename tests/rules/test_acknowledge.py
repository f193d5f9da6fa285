"""Acknowledging an advisory with a reason, and the duplicate-report guard, through the store
and the command line."""

import json

import pytest
from rules.rulecases import TODAY, ready_case

from evidence_app.cli import main
from evidence_app.model import Category, FollowUp
from evidence_app.rules import check_case
from evidence_app.rules.acknowledge import AcknowledgeError, acknowledgement
from evidence_app.store.case_store import CaseStore


def _dispute_case():
    case = ready_case(Category.RUMOUR)
    case.targets[0].excerpt = "公司拖欠工资，我已申请劳动仲裁"
    return case


def test_acknowledged_advisory_is_no_longer_open():
    case = _dispute_case()
    result = check_case(case, today=TODAY)
    [line] = [i for i in result.items if i.requirement == "advisory.dispute"]
    assert line.is_open_advisory and result.summary()["advisory"] == 1
    with pytest.raises(AcknowledgeError):
        acknowledgement(result, line.key, "ok", at="2026-11-29T10:00:00Z")
    with pytest.raises(AcknowledgeError):
        satisfied = next(i for i in result.items if i.status == "satisfied")
        acknowledgement(result, satisfied.key, "理由足够长的说明", at="2026-11-29T10:00:00Z")
    ack = acknowledgement(
        result, line.key, "摘录是谣言原文，审计报告证明无欠薪", at="2026-11-29T10:00:00Z"
    )
    case.acknowledgements.append(ack)
    result = check_case(case, today=TODAY)
    [line] = [i for i in result.items if i.requirement == "advisory.dispute"]
    assert not line.is_open_advisory and line.acknowledged["reason"].startswith("摘录是谣言")
    assert result.summary()["advisory"] == 0 and result.summary()["acknowledged"] == 1


def test_duplicate_report_is_a_gap_until_acknowledged():
    case = ready_case(Category.RUMOUR)
    case.channel = "cac-12377"
    case.follow_ups = [
        FollowUp(
            id="F1", date="2026-11-25", channel="cac-12377", reference="JB-1", event="submitted"
        )
    ]
    result = check_case(case, today=TODAY)
    [gap] = result.gaps()
    assert gap.requirement == "guard.duplicate" and gap.params["reference"] == "JB-1"
    case.channel = "weibo"  # another channel: not the same report
    assert check_case(case, today=TODAY).ready
    case.channel = "cac-12377"
    case.acknowledgements.append(
        acknowledgement(result, gap.key, "平台驳回后补充了新的审计报告", at="2026-11-29T10:00:00Z")
    )
    assert check_case(case, today=TODAY).ready


def _store(path, case):
    store = CaseStore.create(path, case.title)
    store.set_complainant(case.complainant)
    store.set_filer(case.filer)
    store.set_statement(case.statement)
    store.set_channel(case.channel)
    store.set_follow_ups(case.follow_ups)
    for t in case.targets:
        store.add_target(t)
    return store


def test_acknowledgement_goes_on_the_custody_log(tmp_path, capsys):
    case = _dispute_case()
    store = _store(tmp_path / "a.evcase", case)
    store.close()
    assert main(["check", str(tmp_path / "a.evcase"), "--json"]) == 3  # no evidence stored
    data = json.loads(capsys.readouterr().out)
    key = next(i["key"] for i in data["items"] if i["requirement"] == "advisory.dispute")
    reason = "摘录为谣言原文，审计报告证明无欠薪"
    code = main(["check", str(tmp_path / "a.evcase"), "--json", "--ack", key, "--reason", reason])
    assert code == 3
    data = json.loads(capsys.readouterr().out)
    line = next(i for i in data["items"] if i["key"] == key)
    assert line["acknowledged"]["reason"] == reason and data["summary"]["acknowledged"] == 1
    with CaseStore.open(tmp_path / "a.evcase") as store:
        entry = store.custody_log()[-1]
        assert entry.action == "advisory.acknowledge" and entry.details["reason"] == reason
        assert store.audit().problems == []
    assert main(["check", str(tmp_path / "a.evcase"), "--ack", key, "--reason", "ok"]) != 0


def test_duplicate_found_in_a_sibling_case(tmp_path, capsys):
    first = ready_case(Category.RUMOUR)
    first.title = "第一次举报"
    first.channel = "cac-12377"
    first.follow_ups = [
        FollowUp(
            id="F1", date="2026-11-20", channel="cac-12377", reference="JB-9", event="submitted"
        )
    ]
    _store(tmp_path / "first.evcase", first).close()
    second = ready_case(Category.RUMOUR)
    second.channel = "cac-12377"
    _store(tmp_path / "second.evcase", second).close()
    main(["check", str(tmp_path / "second.evcase"), "--json"])
    data = json.loads(capsys.readouterr().out)
    [dup] = [i for i in data["items"] if i["requirement"] == "guard.duplicate"]
    assert dup["status"] == "missing" and dup["params"]["case_title"] == "第一次举报"
    assert "JB-9" in dup["message"]


def test_acknowledgement_travels_in_the_packet(tmp_path):
    """The reason is on the custody log, which the packet carries (custody.jsonl)."""
    import io
    import sys
    import zipfile
    from pathlib import Path

    import pyrage

    sys.path.append(str(Path(__file__).resolve().parents[1] / "packet"))
    from packet_helpers import SIGN_PASS, USCC, frozen, make_case

    from evidence_app.crypto.identities import new_signing_identity
    from evidence_app.exporters.packet import export_packet
    from evidence_app.packet import layout

    case_dir = make_case(tmp_path / "case")
    reason = "摘录引用的是劳动仲裁的公开裁决书，经核实内容属实，不属于本案举报范围"
    with CaseStore.open(case_dir, clock=frozen) as store:
        case = store.load()
        case.targets[0].excerpt = "公司拖欠工资，我已申请劳动仲裁"
        store.update_target(case.targets[0])
        result = check_case(store.load())
        key = next(i.key for i in result.items if i.requirement == "advisory.dispute")
        store.acknowledge(acknowledgement(result, key, reason, at="2026-11-29T10:00:00Z"))
        signing = new_signing_identity(
            "测试科技有限公司", USCC, SIGN_PASS, tmp_path / "s.p12", lambda: frozen()
        )
        identity = pyrage.x25519.Identity.generate()
        out = export_packet(
            store,
            tmp_path / "p.evpkt",
            recipients=[str(identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    plain = pyrage.decrypt(out.packet_path.read_bytes(), [identity])
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        custody = z.read(layout.CUSTODY).decode("utf-8")
        manifest = json.loads(z.read(layout.MANIFEST))
    acks = [json.loads(line) for line in custody.splitlines() if "advisory.acknowledge" in line]
    assert len(acks) == 1 and reason in json.dumps(acks[0], ensure_ascii=False)
    assert manifest["check"]["summary"]["acknowledged"] == 1
