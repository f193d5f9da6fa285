"""In-memory cases for the rules tests: a complete complaint per category, then take away."""

from __future__ import annotations

import datetime as dt

from evidence_app.model import (
    Case,
    Category,
    Complainant,
    DocumentHolder,
    EvidenceItem,
    EvidenceKind,
    Executive,
    Filer,
    FilerRole,
    Redaction,
    Statement,
    Target,
)
from evidence_app.validators import resident_id_check_character, uscc_check_character

TODAY = dt.date(2026, 11, 29)
USCC = "91310115MA1K4B2X3" + uscc_check_character("91310115MA1K4B2X3")
ID17 = "11010519491231002"
RESIDENT_ID = ID17 + resident_id_check_character(ID17)

K = EvidenceKind


class Builder:
    """Numbers exhibits and fills the fields each kind needs, so tests say only what matters."""

    def __init__(self) -> None:
        self.n = 0

    def item(self, kind: EvidenceKind, *targets: str, **fields: str) -> EvidenceItem:
        self.n += 1
        defaults = {
            K.CAPTURE: {
                "source_url": "https://weibo.com/1/abc",
                "captured_at": "2026-11-21T09:32:00+08:00",
            },
            K.ACCOUNT_CAPTURE: {
                "source_url": "https://weibo.com/u/1",
                "captured_at": "2026-11-21T09:40:00+08:00",
            },
            K.AUDIT_REPORT: {"issuer": "立信会计师事务所", "issued_at": "2026-10-15"},
            K.LEGAL_OPINION: {"issuer": "某律师事务所", "issued_at": "2026-10-20"},
            K.PUBLIC_PLATFORM_QUERY: {
                "platform": "ICP/IP地址/域名信息备案管理系统",
                "queried_at": "2026-11-24T16:00:00+08:00",
            },
        }.get(kind, {})
        return EvidenceItem(
            id=f"E{self.n:012d}",
            number=self.n,
            kind=kind,
            title=f"{kind.value} {self.n}",
            target_ids=list(targets),
            fields={**defaults, **fields},
        )


def base_case(*categories: Category, agent: bool = False) -> tuple[Case, Builder]:
    """One target T1 with ``categories``; every general requirement (Art. 5) satisfied."""
    b = Builder()
    case = Case(
        title="测试案件",
        complainant=Complainant(
            name="华辰智能科技股份有限公司",
            uscc=USCC,
            legal_representative="陈立华",
            contact_name="周敏",
            contact_phone="021-58880000",
        ),
        filer=Filer(
            role=FilerRole.LAW_FIRM,
            name="李律师",
            organisation="某律所",
            id_number=RESIDENT_ID,
            phone="13800000000",
        )
        if agent
        else Filer(),
        statement=Statement(
            facts="被举报账号发布虚假信息。", reasons="内容不实，损害商誉。", demands="请删除。"
        ),
        targets=[
            Target(
                id="T1",
                url="https://weibo.com/1/abc",
                platform="微博",
                excerpt="某某公司产品有毒",
                published_at="2026-11-20T21:14:00+08:00",
                categories=list(categories),
            )
        ],
    )
    case.evidence += [b.item(K.BUSINESS_LICENCE), b.item(K.TRUTH_GUARANTEE)]
    if agent:
        agent_id = b.item(K.ID_DOCUMENT)
        agent_id.holder = DocumentHolder.AGENT
        case.evidence += [agent_id, b.item(K.POWER_OF_ATTORNEY)]
    return case, b


def executive_documents(case: Case, b: Builder) -> list[EvidenceItem]:
    """The executive named, with their own ID document and authorisation."""
    case.complainant.executives = [Executive(name="陈立华", title="董事长")]
    own_id = b.item(K.ID_DOCUMENT)
    own_id.holder = DocumentHolder.EXECUTIVE
    return [own_id, b.item(K.EXECUTIVE_AUTHORISATION)]


def category_evidence(category: Category, case: Case, b: Builder) -> list[EvidenceItem]:
    """The minimum evidence that makes a T1 complaint of ``category`` ready."""
    C = Category
    if category == C.RUMOUR:
        return [b.item(K.CAPTURE, "T1"), b.item(K.AUDIT_REPORT, "T1")]
    if category == C.MISLEADING:
        return [b.item(K.CAPTURE, "T1"), b.item(K.ORIGINAL_CONTENT, "T1")]
    if category == C.INSULT:
        return [b.item(K.CAPTURE, "T1")]
    if category == C.COUNTERFEIT_ACCOUNT:
        return [b.item(K.ACCOUNT_CAPTURE, "T1")]
    if category == C.COUNTERFEIT_WEBSITE:
        return [b.item(K.CAPTURE, "T1"), b.item(K.PUBLIC_PLATFORM_QUERY, "T1")]
    if category == C.EXTORTION:
        return [b.item(K.CAPTURE, "T1"), b.item(K.EXTORTION_DEMAND, "T1")]
    if category == C.TROLL_CAMPAIGN:
        return [b.item(K.CAPTURE, "T1")]
    if category == C.PRIVACY_LEAK:
        capture = b.item(K.CAPTURE, "T1")
        capture.redactions = [Redaction(0, 0.1, 0.1, 0.3, 0.05)]
        return [capture, *executive_documents(case, b)]
    if category == C.EXECUTIVE_IMPERSONATION:
        return [b.item(K.ACCOUNT_CAPTURE, "T1"), *executive_documents(case, b)]
    if category == C.EXECUTIVE_DEFAMATION:
        return [b.item(K.CAPTURE, "T1"), *executive_documents(case, b)]
    if category == C.OTHER_INTERFERENCE:
        return [b.item(K.CAPTURE, "T1"), b.item(K.SITUATION_STATEMENT, "T1")]
    raise AssertionError(category)


def ready_case(category: Category, agent: bool = False) -> Case:
    case, b = base_case(category, agent=agent)
    case.evidence += category_evidence(category, case, b)
    return case


def drop_kind(case: Case, kind: EvidenceKind, keep: int = 0) -> Case:
    """Remove evidence of ``kind``, keeping the first ``keep`` items."""
    seen = 0
    out = []
    for e in case.evidence:
        if e.kind == kind:
            seen += 1
            if seen > keep:
                continue
        out.append(e)
    case.evidence = out
    return case
