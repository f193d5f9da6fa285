"""Clause by clause: for each clause a pack cites, a case that meets the requirement and one
that does not. Also: every requirement quotes its clause's own words (checked against the
texts in tests/rules/data), and the app's own policy is never a gap."""

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rules.rulecases import TODAY, K, base_case, drop_kind, ready_case

from evidence_app.model import (
    AccountRole,
    Case,
    Category,
    ContentForm,
    DocumentHolder,
    Engagement,
    FollowUp,
    Measure,
    PriorityType,
    SubCategory,
)
from evidence_app.rules import check_case, describe, load_packs
from evidence_app.rules.compose import compose
from evidence_app.rules.loader import rules_dir

C = Category
DATA = Path(__file__).parent / "data"
GUIDANCE = (DATA / "cac-2023-guidance.zh.md").read_text("utf-8")
NORM = (DATA / "work-norm-2023.zh.md").read_text("utf-8")
_PUNCT = re.compile(r"[\s，,、。；;：:“”\"‘’（）()《》！!？?…—\-]")


def _plain(text: str) -> str:
    return _PUNCT.sub("", text)


def _with(category: Category, change: Callable[[Case], object]) -> Case:
    case = ready_case(category)
    change(case)
    return case


def _sub(sub: SubCategory, *kinds: K) -> Callable[[Case], object]:
    def change(case: Case) -> None:
        case.targets[0].subcategories = [sub]
        for kind in kinds:
            case.evidence.append(_item(case, kind))

    return change


def _item(case: Case, kind: K):
    from rules.rulecases import Builder

    b = Builder()
    b.n = max(e.number for e in case.evidence)
    extra = {"source_url": "https://news.example.cn/1", "published_at": "2023-05-01"}
    fields = extra if kind == K.SOURCE_MEDIA_RECORD else {}
    if kind == K.OFFICIAL_DOCUMENT:
        fields = {"issuer": "某市市场监管局", "issued_at": "2024-01-02"}
    return b.item(kind, "T1", **fields)


def _unlink(kind: K):
    return lambda case: drop_kind(case, kind)


def _submitted(case: Case) -> None:
    case.follow_ups = [FollowUp(id="F1", date="2026-11-25", reference="JB-001", event="submitted")]


# clause -> requirement -> (meets, does not meet); each a case builder.
TABLE: list[tuple[str, str, Callable[[], Case], Callable[[], Case]]] = [
    (
        "规范第五条（一）",
        "art5.statement",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(C.RUMOUR, lambda c: setattr(c.statement, "reasons", "")),
    ),
    (
        "规范第五条（二）",
        "standing.licence",
        lambda: _with(
            C.RUMOUR,
            lambda c: [
                setattr(e, "kind", K.ORG_CODE_CERTIFICATE)
                for e in c.evidence
                if e.kind == K.BUSINESS_LICENCE
            ],
        ),
        lambda: drop_kind(ready_case(C.RUMOUR), K.BUSINESS_LICENCE),
    ),
    (
        "规范第五条（二）",
        "standing.executive",
        lambda: ready_case(C.EXECUTIVE_DEFAMATION),
        lambda: drop_kind(ready_case(C.EXECUTIVE_DEFAMATION), K.EXECUTIVE_AUTHORISATION),
    ),
    (
        "规范第五条（二）",
        "art5.agent_documents",
        lambda: ready_case(C.RUMOUR, agent=True),
        lambda: drop_kind(ready_case(C.RUMOUR, agent=True), K.POWER_OF_ATTORNEY),
    ),
    (
        "规范第五条（三）",
        "art5.contact",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(C.RUMOUR, lambda c: setattr(c.complainant, "contact_phone", "")),
    ),
    (
        "规范第五条（四）",
        "art5.url",
        lambda: _with(
            C.INSULT,
            lambda c: (
                setattr(c.targets[0], "url", ""),
                setattr(c.targets[0], "locator", "微信群 群号 123456789"),
            ),
        ),
        lambda: _with(C.INSULT, lambda c: setattr(c.targets[0], "url", "")),
    ),
    (
        "规范第五条（五）",
        "art5.preliminary_evidence",
        lambda: ready_case(C.INSULT),
        lambda: drop_kind(ready_case(C.INSULT), K.CAPTURE),
    ),
    (
        "规范第五条（五）",
        "exhibit.source_host",
        lambda: ready_case(C.INSULT),
        lambda: _with(
            C.INSULT,
            lambda c: [
                e.fields.update(source_url="https://www.huachen-ai.com.cn/")
                for e in c.evidence
                if e.kind == K.CAPTURE
            ],
        ),
    ),
    (
        "规范第五条（六）",
        "art5.truth_guarantee",
        lambda: ready_case(C.RUMOUR),
        lambda: drop_kind(ready_case(C.RUMOUR), K.TRUTH_GUARANTEE),
    ),
    (
        "规范第四条",
        "art5.categories",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(C.RUMOUR, lambda c: setattr(c.targets[0], "categories", [])),
    ),
    (
        "规范第七条（一）",
        "misleading.original",
        lambda: ready_case(C.MISLEADING),
        lambda: drop_kind(ready_case(C.MISLEADING), K.ORIGINAL_CONTENT),
    ),
    (
        "规范第七条（二）",
        "misleading.withdrawn",
        lambda: _with(C.MISLEADING, _sub(SubCategory.WITHDRAWN, K.OFFICIAL_DOCUMENT)),
        lambda: _with(C.MISLEADING, _sub(SubCategory.WITHDRAWN)),
    ),
    (
        "规范第七条（三）",
        "misleading.redated",
        lambda: _with(C.MISLEADING, _sub(SubCategory.REDATED_OLD_NEWS, K.SOURCE_MEDIA_RECORD)),
        lambda: _with(C.MISLEADING, _sub(SubCategory.REDATED_OLD_NEWS)),
    ),
    (
        "规范第七条（四）",
        "misleading.title",
        lambda: _with(C.MISLEADING, _sub(SubCategory.EXAGGERATED_TITLE)),  # has the original
        lambda: drop_kind(
            _with(C.MISLEADING, _sub(SubCategory.EXAGGERATED_TITLE)), K.ORIGINAL_CONTENT
        ),
    ),
    (
        "规范第八条",
        "rumour.falsity_proof",
        lambda: ready_case(C.RUMOUR),
        lambda: drop_kind(ready_case(C.RUMOUR), K.AUDIT_REPORT),
    ),
    (
        "规范第八条（一）",
        "executive_defamation.private_life",
        lambda: _with(
            C.EXECUTIVE_DEFAMATION, _sub(SubCategory.FABRICATED_PRIVATE_LIFE, K.LEGAL_OPINION)
        ),
        lambda: _with(C.EXECUTIVE_DEFAMATION, _sub(SubCategory.FABRICATED_PRIVATE_LIFE)),
    ),
    (
        "规范第九条（一）",
        "insult.capture",
        lambda: ready_case(C.INSULT),
        lambda: drop_kind(ready_case(C.INSULT), K.CAPTURE),
    ),
    (
        "规范第九条（二）",
        "executive_defamation.portrait",
        lambda: _with(
            C.EXECUTIVE_DEFAMATION, _sub(SubCategory.DEFACED_PORTRAIT, K.ORIGINAL_CONTENT)
        ),
        lambda: _with(C.EXECUTIVE_DEFAMATION, _sub(SubCategory.DEFACED_PORTRAIT)),
    ),
    (
        "规范第六条（一）",
        "counterfeit_account.account",
        lambda: ready_case(C.COUNTERFEIT_ACCOUNT),
        lambda: drop_kind(ready_case(C.COUNTERFEIT_ACCOUNT), K.ACCOUNT_CAPTURE),
    ),
    (
        "规范第十一条（一）",
        "extortion.demand",
        lambda: ready_case(C.EXTORTION),
        lambda: drop_kind(ready_case(C.EXTORTION), K.EXTORTION_DEMAND),
    ),
    (
        "规范第十一条",
        "other_interference.explanation",
        lambda: ready_case(C.OTHER_INTERFERENCE),
        lambda: drop_kind(ready_case(C.OTHER_INTERFERENCE), K.SITUATION_STATEMENT),
    ),
    (
        "(十五)",
        "counterfeit_website.icp_query",
        lambda: ready_case(C.COUNTERFEIT_WEBSITE),
        lambda: drop_kind(ready_case(C.COUNTERFEIT_WEBSITE), K.PUBLIC_PLATFORM_QUERY),
    ),
    (
        "规范第五条（五）",
        "executive_impersonation.evidence",
        lambda: ready_case(C.EXECUTIVE_IMPERSONATION),
        lambda: drop_kind(ready_case(C.EXECUTIVE_IMPERSONATION), K.ACCOUNT_CAPTURE),
    ),
    (
        "(十七)",
        "guard.duplicate",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(C.RUMOUR, _submitted),
    ),
]

# Advisories: the clause, the requirement, a case where it is silent, one where it speaks.
ADVISORY_TABLE: list[tuple[str, str, Callable[[], Case], Callable[[], Case]]] = [
    (
        "(九)",
        "advisory.account_role",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(
            C.RUMOUR, lambda c: setattr(c.targets[0], "account_role", AccountRole.INCITEMENT)
        ),
    ),
    (
        "(四)",
        "advisory.reach",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(
            C.RUMOUR, lambda c: setattr(c.targets[0], "engagement", Engagement(views=250000))
        ),
    ),
    (
        "(十三)",
        "advisory.priority",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(
            C.RUMOUR,
            lambda c: setattr(c.complainant, "priority_types", [PriorityType.HIGH_TECH]),
        ),
    ),
    (
        "(十七)",
        "advisory.dispute",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(
            C.RUMOUR, lambda c: setattr(c.targets[0], "excerpt", "公司拖欠工资，我已申请劳动仲裁")
        ),
    ),
    (
        "(二十一)",
        "advisory.dispute_label",
        lambda: ready_case(C.RUMOUR),
        lambda: _with(C.RUMOUR, lambda c: setattr(c.targets[0], "facts_settled", False)),
    ),
    (
        "(十二)",
        "troll_campaign.accounts",
        lambda: _with(
            C.TROLL_CAMPAIGN,
            lambda c: c.evidence.extend(_item(c, K.ACCOUNT_CAPTURE) for _ in range(3)),
        ),
        lambda: ready_case(C.TROLL_CAMPAIGN),
    ),
]


def _lines(case: Case, requirement: str):
    result = check_case(case, today=TODAY)
    return result, [i for i in result.items if i.requirement == requirement]


@pytest.mark.parametrize(
    ("clause", "requirement", "meets", "fails"),
    TABLE,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_clause(clause, requirement, meets, fails):
    ok, lines = _lines(meets(), requirement)
    assert ok.ready, [describe(g) for g in ok.gaps()]
    assert all(clause in i.clauses for i in lines), [i.clauses for i in lines]
    bad, lines = _lines(fails(), requirement)
    gaps = [g for g in bad.gaps() if g.requirement == requirement]
    assert gaps and not bad.ready, [describe(g) for g in bad.gaps()]
    assert all(clause in g.clauses and g.quote for g in gaps)


@pytest.mark.parametrize(
    ("clause", "requirement", "silent", "speaks"),
    ADVISORY_TABLE,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_advisory_clause(clause, requirement, silent, speaks):
    _, lines = _lines(silent(), requirement)
    assert lines == []
    result, lines = _lines(speaks(), requirement)
    assert result.ready and lines  # advice never blocks
    assert all(i.status == "advisory" and clause in i.clauses for i in lines)


def _requirements(data):
    yield from data.get("requirements", [])
    for cat in data.get("categories", {}).values():
        yield from cat.get("requirements", [])


@pytest.mark.parametrize(("pack", "text"), [("cac-2023", GUIDANCE), ("cac-2023-norm-art5", NORM)])
def test_every_requirement_quotes_its_source(pack, text):
    data = json.loads((rules_dir() / f"{pack}.json").read_text("utf-8"))
    plain = _plain(text)
    for r in _requirements(data):
        assert r.get("quote"), r["id"]
        for fragment in r["quote"].split("……"):
            assert _plain(fragment) in plain, (r["id"], fragment)


def test_the_norm_pack_points_at_the_norm():
    pack = next(p for p in load_packs() if p.id == "cac-2023-norm-art5")
    assert "网站平台受理处置涉企网络侵权信息举报工作规范" in pack.source["reference"]
    assert "PRODUCT" not in pack.source["reference"]


def test_policy_is_never_a_gap_and_says_so():
    rules = compose(load_packs())
    every = [*rules.general, *(r for c in rules.categories.values() for r in c.requirements)]
    policy = [r for r in every if r.basis == "policy"]
    assert {"insult.account", "troll_campaign.accounts", "stale.document_age"} <= {
        r.id for r in policy
    }
    assert all(r.severity == "advisory" for r in policy)
    case = ready_case(C.TROLL_CAMPAIGN)
    [line] = [
        i for i in check_case(case, today=TODAY).items if i.requirement == "troll_campaign.accounts"
    ]
    assert describe(line, "zh").startswith("本软件建议：")
    assert describe(line, "en").startswith("This app advises:")
    assert line.to_json_dict("zh")["basis"] == "policy"


# --- the scenarios of issue 11 ---------------------------------------------------------------


def test_insult_with_a_capture_only_is_ready():
    case, b = base_case(C.INSULT)
    case.evidence.append(b.item(K.CAPTURE, "T1"))
    result = check_case(case, today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    [adv] = [i for i in result.items if i.requirement == "insult.account"]
    assert adv.status == "advisory" and adv.basis == "policy"


def test_group_without_url_but_with_locator_is_ready():
    case = ready_case(C.INSULT)
    t = case.targets[0]
    t.url, t.content_form, t.platform = "", ContentForm.GROUP, "微信"
    assert "art5.url" in {g.requirement for g in check_case(case, today=TODAY).gaps()}
    t.locator = "微信群“华辰维权群”，群号 123456789，2026-11-20 21:14 的消息"
    result = check_case(case, today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    assert not case.validate() or all(p.path != "targets[0].url" for p in case.validate())


def test_malformed_date_blocks_and_names_the_field():
    case = ready_case(C.INSULT)
    case.targets[0].published_at = "2026/12/01 8:00"
    result = check_case(case, today=TODAY)
    assert not result.ready
    [gap] = result.gaps()
    assert gap.requirement == "data.well_formed" and gap.target_id == "T1"
    assert gap.fix["path"] == "targets.T1.published_at"
    assert "发布时间格式不正确" in describe(gap, "zh") and "2026/12/01 8:00" in describe(gap, "zh")


def test_one_bad_field_is_one_gap_even_when_a_requirement_checks_it():
    case = ready_case(C.RUMOUR)
    case.complainant.uscc = "91310115MA1K4B2X30"  # wrong check digit
    gaps = [g.requirement for g in check_case(case, today=TODAY).gaps()]
    assert gaps == ["art5.complainant_identity"]


def test_capture_of_another_host_does_not_count_unless_related():
    case = ready_case(C.COUNTERFEIT_WEBSITE)
    case.targets[0].url = "https://www.huachen-ai-official.com/"
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    capture.fields["source_url"] = "https://www.huachen-ai.com.cn/"  # the real site
    result = check_case(case, today=TODAY)
    gaps = {g.requirement: g for g in result.gaps()}
    assert {"exhibit.source_host", "counterfeit_website.capture"} <= set(gaps)
    assert "huachen-ai.com.cn" in describe(gaps["exhibit.source_host"], "zh")
    capture.fields["source_url"] = "https://m.huachen-ai-official.com/shop"  # same site
    assert check_case(case, today=TODAY).ready
    capture.fields["source_url"] = "https://t.cn/abc"
    capture.fields["related_reason"] = "仿冒网站在微博投放的短链接，跳转至该网站"
    assert check_case(case, today=TODAY).ready


def test_executive_documents_say_whose_they_are():
    case = ready_case(C.EXECUTIVE_IMPERSONATION, agent=True)
    assert check_case(case, today=TODAY).ready
    agent_id = next(e for e in case.evidence if e.holder == DocumentHolder.AGENT)
    agent_id.holder = DocumentHolder.EXECUTIVE  # two executive IDs, no agent's
    gaps = {g.requirement for g in check_case(case, today=TODAY).gaps()}
    assert gaps == {"art5.agent_documents"}


def test_dispute_label_measure_still_ready_without_response():
    case = ready_case(C.RUMOUR)
    case.targets[0].measures = [Measure.DISPUTE_LABEL]
    assert check_case(case, today=TODAY).ready


def test_a_required_policy_is_refused(tmp_path):
    from evidence_app.rules import RulePackError, load_pack_file

    data = json.loads((rules_dir() / "cac-2023.json").read_text("utf-8"))
    data["pack"]["id"] = "policy-test"
    data["requirements"][0]["severity"] = "required"
    assert data["requirements"][0]["basis"] == "policy"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(RulePackError) as err:
        load_pack_file(path)
    assert err.value.params["problem_key"] == "rules.pack.problem.policy_required"


def test_mobile_and_desktop_sites_of_one_platform_match():
    case = ready_case(C.INSULT)  # target on weibo.com
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    capture.fields["source_url"] = "https://m.weibo.cn/detail/4987654321"
    assert check_case(case, today=TODAY).ready
    capture.fields["source_url"] = "https://www.douyin.com/video/1"
    assert "exhibit.source_host" in {g.requirement for g in check_case(case, today=TODAY).gaps()}


def test_a_malformed_agent_id_is_one_gap_not_a_gap_and_an_advisory():
    case = ready_case(C.RUMOUR, agent=True)
    case.filer.id_number = "110105194912310021"  # wrong check digit
    result = check_case(case, today=TODAY)
    about = [
        i
        for i in result.items
        if i.status != "satisfied" and "filer.id_number" in json.dumps(i.fix or {})
    ]
    assert [i.requirement for i in about] == ["data.well_formed"]
