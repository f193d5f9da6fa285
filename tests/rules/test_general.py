"""The general 举报要件 (规范第五条), evidence fields, linking, fix hints and wording."""

import json

from rules.rulecases import TODAY, K, base_case, drop_kind, ready_case

from evidence_app.model import Category, ContentForm, Measure, PriorityType
from evidence_app.rules import check_case, describe, load_packs

C = Category


def gap_ids(result):
    return {g.requirement for g in result.gaps()}


def test_agent_without_power_of_attorney_is_missing():
    case = drop_kind(ready_case(C.RUMOUR, agent=True), K.POWER_OF_ATTORNEY)
    result = check_case(case, today=TODAY)
    assert gap_ids(result) == {"art5.agent_documents"}
    gap = result.gaps()[0]
    assert gap.scope == "case" and gap.target_id is None
    assert gap.clauses == ("规范第五条（二）",)
    assert gap.params["missing"] == [{"kind": "power_of_attorney", "min_count": 1, "count": 0}]
    assert gap.fix == {"kind": "evidence", "evidence_kind": "power_of_attorney", "target_id": None}
    assert "授权委托书" in describe(gap, "zh")
    assert "Power of attorney" in describe(gap, "en")
    # the same case filed by the enterprise itself needs no power of attorney
    case.filer.role = case.filer.role.ENTERPRISE
    assert "art5.agent_documents" not in gap_ids(check_case(case, today=TODAY))


def test_capture_without_source_url_is_reported_with_the_field():
    case = ready_case(C.RUMOUR)
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    del capture.fields["source_url"]
    result = check_case(case, today=TODAY)
    assert not result.ready
    # the exhibit itself
    ex = next(i for i in result.gaps() if i.requirement == "exhibit.fields")
    assert ex.scope == "evidence" and ex.evidence_id == capture.id
    assert ex.params == {"exhibit": capture.number, "kind": "capture", "fields": ["source_url"]}
    assert ex.fix == {
        "kind": "field",
        "path": f"evidence.{capture.id}.fields.source_url",
        "evidence_id": capture.id,
        "field": "source_url",
    }
    assert "来源网址" in describe(ex, "zh") and "source URL" in describe(ex, "en")
    # One empty field is one gap: the target's requirements say the exhibit is pending.
    assert [g.requirement for g in result.gaps()] == ["exhibit.fields"]
    for rid in ("rumour.capture", "art5.preliminary_evidence"):
        req = next(i for i in result.items if i.requirement == rid)
        assert req.message_key == "rules.msg.evidence_ok_pending"
        assert req.params["pending"] == [capture.number]
        assert f"E{capture.number:03d} 的必填信息待补全" in describe(req, "zh")


def test_invalid_capture_time_does_not_count():
    case = ready_case(C.INSULT)
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    capture.fields["captured_at"] = "yesterday"
    result = check_case(case, today=TODAY)
    assert not result.ready and gap_ids(result) == {"exhibit.fields"}
    ex = result.gaps()[0]
    assert ex.params["fields"] == ["captured_at"] and ex.evidence_id == capture.id


def test_evidence_counts_for_a_target_only_when_linked():
    case = ready_case(C.RUMOUR)
    audit = next(e for e in case.evidence if e.kind == K.AUDIT_REPORT)
    audit.target_ids = []
    result = check_case(case, today=TODAY)
    assert gap_ids(result) == {"rumour.falsity_proof"}
    audit.target_ids = ["T2"]  # linked to an unknown target: not T1's, and a data error
    assert gap_ids(check_case(case, today=TODAY)) == {"rumour.falsity_proof", "data.well_formed"}


def test_case_scope_items_count_from_the_whole_case():
    case = ready_case(C.RUMOUR)
    licence = next(e for e in case.evidence if e.kind == K.BUSINESS_LICENCE)
    assert licence.target_ids == []
    item = next(
        i for i in check_case(case, today=TODAY).items if i.requirement == "standing.licence"
    )
    assert item.status == "satisfied" and item.evidence_ids == (licence.id,)
    # cited by both documents once the packs compose
    assert item.clauses == ("规范第五条（二）",)


def test_case_field_requirements():
    case = ready_case(C.RUMOUR)
    case.complainant.contact_phone = ""
    case.complainant.uscc = "91310115MA1K4B2X30"  # wrong check digit
    case.statement.facts = "  "
    case.targets[0].url = "weibo.com/abc"  # not an exact URL
    result = check_case(case, today=TODAY)
    gaps = {g.requirement: g for g in result.gaps()}
    assert set(gaps) == {"art5.contact", "art5.complainant_identity", "art5.statement", "art5.url"}
    assert gaps["art5.complainant_identity"].fix == {"kind": "field", "path": "complainant.uscc"}
    assert gaps["art5.complainant_identity"].params["problems"] == [
        {"path": "complainant.uscc", "check": "uscc", "state": "invalid"}
    ]
    assert gaps["art5.statement"].fix == {"kind": "field", "path": "statement.facts"}
    assert gaps["art5.url"].fix == {"kind": "field", "path": "targets.T1.url", "target_id": "T1"}
    assert "统一社会信用代码格式无效" in describe(gaps["art5.complainant_identity"], "zh")
    assert "联系电话未填写" in describe(gaps["art5.contact"], "zh")
    # an e-mail is an alternative to the phone
    case.complainant.contact_email = "legal@example.cn"
    assert "art5.contact" not in gap_ids(check_case(case, today=TODAY))


def test_search_suggestion_is_located_by_its_text_not_a_url():
    case = ready_case(C.RUMOUR)
    target = case.targets[0]
    target.content_form = ContentForm.SEARCH_SUGGESTION
    target.url = ""
    assert check_case(case, today=TODAY).ready
    target.excerpt = ""
    assert gap_ids(check_case(case, today=TODAY)) == {"art5.locator"}


def test_no_targets_and_no_categories():
    case, _ = base_case()
    result = check_case(case, today=TODAY)
    assert gap_ids(result) == {"art5.categories", "art5.preliminary_evidence"}
    case.targets = []
    assert gap_ids(check_case(case, today=TODAY)) == {"art5.targets"}


def test_dispute_label_response_url_is_the_apps_advice():
    """(二十一) allows a 内容存疑标签 without any response: the URL is advised, not required."""
    case = ready_case(C.RUMOUR)
    case.targets[0].measures = [Measure.DISPUTE_LABEL]
    result = check_case(case, today=TODAY)
    assert result.ready
    adv = [i for i in result.items if i.requirement == "dispute_label.response"]
    assert len(adv) == 1 and adv[0].status == "advisory" and adv[0].basis == "policy"
    case.targets[0].response_url = "https://www.example.cn/statement"
    result = check_case(case, today=TODAY)
    assert not [i for i in result.items if i.requirement == "dispute_label.response"]


def test_result_lists_every_requirement_and_is_json():
    result = check_case(ready_case(C.RUMOUR), today=TODAY)
    data = json.loads(json.dumps(result.to_json_dict("en"), ensure_ascii=False))
    assert data["ready"] is True
    assert data["pack_versions"] == result.pack_versions == {p.id: p.version for p in load_packs()}
    reqs = {i["requirement"] for i in data["items"]}
    assert {
        "art5.statement",
        "art5.truth_guarantee",
        "rumour.capture",
        "rumour.falsity_proof",
    } <= reqs
    assert all(i["message"] and i["name"] for i in data["items"])


def test_every_item_words_in_both_languages():
    """No raw message keys or unfilled placeholders in any item of a busy case."""
    case = drop_kind(ready_case(C.PRIVACY_LEAK, agent=True), K.POWER_OF_ATTORNEY)
    case.targets[0].categories = list(Category)
    case.targets[0].time_sensitive = True
    case.targets[0].facts_settled = False
    case.complainant.priority_types = [PriorityType.LISTED]
    result = check_case(case, today=TODAY)
    assert len(result.items) > 30
    for item in result.items:
        for lang in ("zh_CN", "en"):
            text = describe(item, lang)
            assert "rules." not in text and "{" not in text, (lang, item.requirement, text)
