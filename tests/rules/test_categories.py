"""One ready and one not-ready complaint per category, against all shipped packs."""

import pytest
from rules.rulecases import TODAY, K, base_case, drop_kind, ready_case

from evidence_app.model import Category
from evidence_app.rules import check_case, describe, load_packs

C = Category

# category -> (what to take away, how many of that kind to keep, the requirement then missing)
NOT_READY = {
    C.RUMOUR: (K.AUDIT_REPORT, 0, "rumour.falsity_proof"),
    C.MISLEADING: (K.ORIGINAL_CONTENT, 0, "misleading.original"),
    C.INSULT: (K.CAPTURE, 0, "insult.capture"),
    C.COUNTERFEIT_ACCOUNT: (K.ACCOUNT_CAPTURE, 0, "counterfeit_account.account"),
    C.COUNTERFEIT_WEBSITE: (K.PUBLIC_PLATFORM_QUERY, 0, "counterfeit_website.icp_query"),
    C.EXTORTION: (K.EXTORTION_DEMAND, 0, "extortion.demand"),
    C.TROLL_CAMPAIGN: (K.CAPTURE, 0, "troll_campaign.capture"),
    C.PRIVACY_LEAK: (K.EXECUTIVE_AUTHORISATION, 0, "standing.executive"),
    C.EXECUTIVE_IMPERSONATION: (K.ACCOUNT_CAPTURE, 0, "executive_impersonation.evidence"),
    C.EXECUTIVE_DEFAMATION: (K.ID_DOCUMENT, 0, "standing.executive"),
    C.OTHER_INTERFERENCE: (K.SITUATION_STATEMENT, 0, "other_interference.explanation"),
}


def test_every_category_has_a_scenario():
    assert set(NOT_READY) == set(Category)


@pytest.mark.parametrize("category", list(Category), ids=lambda c: c.value)
def test_ready(category):
    result = check_case(ready_case(category), today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    assert result.gaps() == []
    # the category's own requirements were checked and satisfied, with the exhibits named
    own = [i for i in result.items if i.category == category.value and i.severity == "required"]
    assert own and all(i.status == "satisfied" and i.evidence_ids for i in own)
    assert all(i.clauses for i in own)


@pytest.mark.parametrize("category", list(Category), ids=lambda c: c.value)
def test_not_ready(category):
    kind, keep, requirement = NOT_READY[category]
    result = check_case(drop_kind(ready_case(category), kind, keep), today=TODAY)
    assert not result.ready
    gaps = {g.requirement for g in result.gaps()}
    assert requirement in gaps
    gap = next(g for g in result.gaps() if g.requirement == requirement)
    needed = kinds_in(gap.params["missing"])
    assert kind.value in needed
    assert gap.fix["kind"] == "evidence" and gap.fix["evidence_kind"] in needed
    assert gap.fix["target_id"] in ("T1", None)


def kinds_in(specs):
    out = []
    for s in specs:
        out += [s["kind"]] if "kind" in s else kinds_in(s.get("any_of", []) + s.get("all_of", []))
    return out


def test_troll_campaign_three_accounts_is_the_apps_advice_not_a_gap():
    """(十二) names no number of accounts: fewer than 3 is advice marked as the app's."""
    case = ready_case(C.TROLL_CAMPAIGN)
    result = check_case(case, today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    adv = next(i for i in result.items if i.requirement == "troll_campaign.accounts")
    assert adv.status == "advisory" and adv.basis == "policy"
    assert adv.params["missing"] == [{"kind": "account_capture", "min_count": 3, "count": 0}]
    assert describe(adv, "zh").startswith("本软件建议：")
    assert "at least 3" in describe(adv, "en")


def test_troll_campaign_pools_accounts_across_targets():
    """Category scope: account captures linked to any target of the campaign count."""
    case, b = base_case(C.TROLL_CAMPAIGN)
    for n in (2, 3):
        case.targets.append(
            case.targets[0].__class__(
                id=f"T{n}",
                url=f"https://weibo.com/{n}/x",
                platform="微博",
                categories=[C.TROLL_CAMPAIGN],
            )
        )
    for tid in ("T1", "T2", "T3"):
        case.evidence += [b.item(K.CAPTURE, tid), b.item(K.ACCOUNT_CAPTURE, tid)]
    result = check_case(case, today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    # 3 accounts across the campaign: the app's advice is met for every target.
    assert not [i for i in result.items if i.requirement == "troll_campaign.accounts"]


def test_agent_and_executive_documents_are_counted_per_person():
    case = ready_case(C.PRIVACY_LEAK, agent=True)  # agent's ID + executive's ID
    assert check_case(case, today=TODAY).ready
    # Two ID documents that do not say whose they are satisfy neither person.
    for e in case.evidence:
        if e.kind == K.ID_DOCUMENT:
            e.holder = None
    result = check_case(case, today=TODAY)
    gaps = {g.requirement: g for g in result.gaps()}
    assert {"art5.agent_documents", "standing.executive"} <= set(gaps)
    text = describe(gaps["standing.executive"], "zh")
    assert "企业家本人" in text and "未注明是谁的证件" in text


def test_privacy_leak_unredacted_capture_is_advised():
    case = ready_case(C.PRIVACY_LEAK)
    capture = next(e for e in case.evidence if e.kind == K.CAPTURE)
    capture.redactions = []
    result = check_case(case, today=TODAY)
    assert result.ready  # advice, not a gap
    adv = [i for i in result.items if i.requirement == "privacy_leak.redaction"]
    assert len(adv) == 1 and adv[0].status == "advisory" and adv[0].evidence_id == capture.id
    assert adv[0].fix == {
        "kind": "field",
        "path": f"evidence.{capture.id}.redactions",
        "evidence_id": capture.id,
    }


def test_explicit_category_ready_with_captures_and_licence_only():
    """(十五): an explicit category needs no judicial or administrative proof."""
    case, b = base_case(C.INSULT)
    case.evidence = [
        b.item(K.BUSINESS_LICENCE),
        b.item(K.CAPTURE, "T1"),
        b.item(K.ACCOUNT_CAPTURE, "T1"),
    ]
    guidance_only = load_packs(["cac-2023"])
    result = check_case(case, guidance_only, today=TODAY)
    assert result.ready, [describe(g) for g in result.gaps()]
    assert result.categories["insult"].explicit
    # With the Art. 5 pack too, only the general 真实性承诺 is missing, nothing of the category.
    full = check_case(case, today=TODAY)
    assert {g.requirement for g in full.gaps()} == {"art5.truth_guarantee"}


def test_explicit_categories_are_the_three_of_clause_15():
    result = check_case(ready_case(C.INSULT), today=TODAY)
    explicit = {c for c, info in result.categories.items() if info.explicit}
    assert explicit == {"insult", "misleading", "counterfeit_website"}
    for cid in explicit:
        assert "(十五)" in result.categories[cid].clauses
