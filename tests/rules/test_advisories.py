"""Advisories: (十七) disputes and criticism, (二十一) 限时加私 and 争议标签, (十三), staleness."""

import datetime as dt

from rules.rulecases import TODAY, K, ready_case

from evidence_app.model import Category, Measure, PriorityType
from evidence_app.rules import check_case, describe

C = Category


def advisories(result, requirement):
    return [i for i in result.items if i.requirement == requirement]


def test_no_advisories_on_a_plain_ready_case():
    result = check_case(ready_case(C.RUMOUR), today=TODAY)
    assert result.ready
    assert [i.requirement for i in result.items if i.status == "advisory"] == []


def test_dispute_advisory_fires_on_statement_and_excerpt():
    case = ready_case(C.RUMOUR)
    case.statement.facts = "前员工因劳动仲裁未果，在网上发帖称公司拖欠工资。"
    case.targets[0].excerpt = "这家公司欠款不还，借款逾期半年"
    result = check_case(case, today=TODAY)
    assert result.ready  # advice does not block
    found = advisories(result, "advisory.dispute")
    by_where = {(i.params["where"], i.params["group"]): i for i in found}
    assert set(by_where) == {("statement", "labour"), ("excerpt", "debt")}
    st = by_where[("statement", "labour")]
    assert st.status == "advisory" and st.scope == "case" and st.clauses == ("(十七)",)
    # 拖欠工资 is reported here as the poster's claim (称公司拖欠工资): not counted;
    # the arbitration is the statement's own words.
    assert st.params["keywords"] == ["劳动仲裁"]
    assert st.params["snippets"] == ["前员工因劳动仲裁未果"]
    assert st.fix == {"kind": "field", "path": "statement.facts"}
    ex = by_where[("excerpt", "debt")]
    assert ex.target_id == "T1" and ex.fix["path"] == "targets.T1.excerpt"
    assert "劳资纠纷" in describe(st, "zh") and "labour dispute" in describe(st, "en")
    assert "(十七)" in describe(st, "zh")  # the advice cites the clause


def test_each_dispute_kind_is_detected():
    samples = {
        "labour": "公司违法辞退员工，不给经济补偿金",
        "contract": "对方违约，拒付尾款",
        "equity": "股东之间对赌失败",
        "property": "房产拆迁补偿不公",
        "debt": "这家公司欠款不还",
        "consumer": "消费者要求退款被拒",
    }
    for group, text in samples.items():
        case = ready_case(C.RUMOUR)
        case.targets[0].excerpt = text
        groups = {
            i.params["group"] for i in advisories(check_case(case, today=TODAY), "advisory.dispute")
        }
        assert group in groups, (group, groups)


def test_criticism_advisory():
    case = ready_case(C.RUMOUR)
    case.targets[0].excerpt = "记者调查报道：该公司产品质量存疑"
    result = check_case(case, today=TODAY)
    found = advisories(result, "advisory.criticism")
    assert len(found) == 1 and found[0].params["keywords"] == ["记者调查", "调查报道"]


def test_temporary_private_when_time_sensitive_and_proof_pending():
    case = ready_case(C.RUMOUR)
    case.targets[0].time_sensitive = True
    assert (
        advisories(check_case(case, today=TODAY), "advisory.temporary_private") == []
    )  # proof complete
    case.evidence = [e for e in case.evidence if e.kind != K.AUDIT_REPORT]  # proof pending
    result = check_case(case, today=TODAY)
    [adv] = advisories(result, "advisory.temporary_private")
    assert adv.target_id == "T1" and adv.clauses == ("(二十一)",)
    assert adv.fix == {"kind": "field", "path": "targets.T1.measures", "target_id": "T1"}
    assert "限时加私" in describe(adv, "zh")
    case.targets[0].measures = [Measure.TEMPORARY_PRIVATE]  # already asked for
    assert advisories(check_case(case, today=TODAY), "advisory.temporary_private") == []


def test_dispute_label_when_facts_not_settled():
    case = ready_case(C.RUMOUR)
    case.targets[0].facts_settled = False
    [adv] = advisories(check_case(case, today=TODAY), "advisory.dispute_label")
    assert adv.status == "advisory" and "争议标签" in describe(adv, "zh")


def test_priority_protection_note():
    case = ready_case(C.RUMOUR)
    case.complainant.priority_types = [PriorityType.HIGH_TECH, PriorityType.SPECIALISED]
    [adv] = advisories(check_case(case, today=TODAY), "advisory.priority")
    assert adv.params == {"complainant_priority_types": ["high_tech", "specialised"]}
    assert "高新技术企业、专精特新企业" in describe(adv, "zh")
    assert "(十三)" in describe(adv, "zh")
    assert "High-tech" in describe(adv, "en")
    # listed without exchange and code: advised to add them
    case.complainant.priority_types = [PriorityType.LISTED]
    result = check_case(case, today=TODAY)
    [code] = advisories(result, "priority.listed_code")
    assert code.fix == {"kind": "field", "path": "complainant.exchange"}


def test_capture_older_than_the_content_is_stale():
    case = ready_case(C.RUMOUR)
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    capture.fields["captured_at"] = "2026-11-20T10:00:00+08:00"  # content published 21:14 that day
    result = check_case(case, today=TODAY)
    [adv] = advisories(result, "stale.capture_before_content")
    assert adv.evidence_id == capture.id and adv.target_id == "T1"
    assert adv.params["reference"] == "2026-11-20T21:14:00+08:00"
    assert "早于被举报内容的发布时间" in describe(adv, "zh")
    capture.fields["captured_at"] = "2026-11-20T13:20:00Z"  # 21:20 in Beijing: after publication
    assert advisories(check_case(case, today=TODAY), "stale.capture_before_content") == []


def test_old_opinion_and_old_platform_query():
    case = ready_case(C.RUMOUR)
    audit = next(e for e in case.evidence if e.kind == K.AUDIT_REPORT)
    audit.fields["issued_at"] = "2025-11-28"  # 12 months and a day before TODAY
    result = check_case(case, today=TODAY)
    [adv] = advisories(result, "stale.document_age")
    assert adv.scope == "evidence" and adv.params["months"] == 12
    assert "已超过 12 个月" in describe(adv, "zh")
    audit.fields["issued_at"] = "2025-11-29"  # exactly 12 months: still fresh
    assert advisories(check_case(case, today=TODAY), "stale.document_age") == []
    # the same case checked a year later
    later = check_case(case, today=TODAY + dt.timedelta(days=400))
    assert advisories(later, "stale.document_age")


def test_recommended_evidence_is_advisory():
    case = ready_case(C.EXTORTION)
    result = check_case(case, today=TODAY)
    assert result.ready
    [adv] = advisories(result, "extortion.police_report")
    assert adv.status == "advisory" and adv.categories == ("extortion",)
