"""The complaint letter (举报书 to a CAC zone, 投诉书 to a platform): the part of the bundle a
reviewer reads first, in the form Chinese complaint desks expect.

致 the receiving body by name → the complainant (and the agent, with firm and 执业证号) →
一、请求事项 → 二、事实与理由 (the case-wide facts, then each target with its times, IP属地,
reach, account role and urgency, and its own facts and reasons) → 三、法律依据 (the guidance's
clauses, the work norm's Art. 4 kind, the Civil Code's articles) → 四、快速处置 for explicit
categories (guidance (十五), (二十一)) → 五、证据清单 by section and number → contact → 此致 →
落款 with the seal, signatures and the date.

The letter speaks only of the targets in ``case`` (the caller selects a channel's targets).
"""

from __future__ import annotations

import datetime as _dt

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, Paragraph

from evidence_app.channels import get_profile
from evidence_app.exporters.ordering import grouped
from evidence_app.exporters.pdf.layout import MARGIN, NewPageUnlessRoomFor, Styles, spacer
from evidence_app.exporters.pdf.words import Words
from evidence_app.model import Case, Category, FilerRole, Target

WIDTH = A4[0] - 2 * MARGIN

# Guidance (十五): categories whose infringement is evident, needing no state authority's proof.
EXPLICIT = frozenset({Category.INSULT, Category.MISLEADING, Category.COUNTERFEIT_WEBSITE})

# The work norm's Art. 4 item for each category (（一）仿冒性 ... （六）其他恶意干扰).
NORM_ITEM = {
    Category.COUNTERFEIT_ACCOUNT: 1,
    Category.COUNTERFEIT_WEBSITE: 1,
    Category.MISLEADING: 2,
    Category.RUMOUR: 3,
    Category.INSULT: 4,
    Category.PRIVACY_LEAK: 5,
    Category.EXTORTION: 6,
    Category.TROLL_CAMPAIGN: 6,
    Category.OTHER_INTERFERENCE: 6,
}

# Civil Code articles by the right a category infringes (keys of pdf.letter.law.*).
REPUTATION = frozenset(
    {
        Category.RUMOUR,
        Category.MISLEADING,
        Category.INSULT,
        Category.EXTORTION,
        Category.TROLL_CAMPAIGN,
        Category.OTHER_INTERFERENCE,
    }
)
NAME_RIGHT = frozenset({Category.COUNTERFEIT_ACCOUNT, Category.COUNTERFEIT_WEBSITE})


def _p(words: Words, text: str, style: object) -> Paragraph:
    return Paragraph(words.markup(text), style)


def categories_of(case: Case) -> list[Category]:
    seen: list[Category] = []
    for target in case.targets:
        seen.extend(c for c in target.categories if c not in seen)
    return seen


def letter_story(case: Case, clock: _dt.datetime, words: Words, styles: Styles) -> list[Flowable]:
    w = words
    profile = get_profile(case.channel)
    story: list[Flowable] = [_p(w, w.tr("pdf.letter.title"), styles.title)]
    story.append(_p(w, w.tr("pdf.letter.to", body=_addressee(case, w)), styles.body))
    story += [_p(w, line, styles.body) for line in _parties(case, w)]
    story.append(_p(w, w.tr("pdf.letter.demands"), styles.subheading))
    story += [_p(w, line, styles.body) for line in _demands(case, w)]
    story.append(_p(w, w.tr("pdf.letter.facts"), styles.subheading))
    story += _facts(case, w, styles)
    story.append(_p(w, w.tr("pdf.letter.law"), styles.subheading))
    story += [_p(w, line, styles.body) for line in _law(case, w, profile.kind)]
    number = 4
    explicit = [c for c in categories_of(case) if c in EXPLICIT]
    if explicit:
        story.append(_p(w, w.tr("pdf.letter.fast", n=_cn(number)), styles.subheading))
        kinds = "、".join(w.enum("category", c.value) for c in explicit)
        story.append(_p(w, w.tr("pdf.letter.fast_text", kinds=kinds), styles.body))
        number += 1
    story.append(_p(w, w.tr("pdf.letter.evidence", n=_cn(number)), styles.subheading))
    story += [_p(w, line, styles.body) for line in _evidence(case, w)]
    story.append(_p(w, w.tr("pdf.letter.contact", n=_cn(number + 1)), styles.subheading))
    story += [_p(w, line, styles.body) for line in _contact(case, w)]
    story.append(_p(w, w.tr("pdf.letter.pledge"), styles.body))
    # 此致, the addressee and the signatures stay together on one page.
    closing = [
        spacer(6),
        _p(w, w.tr("pdf.letter.salutation"), styles.body),
        _p(w, _addressee(case, w), styles.body),
        spacer(10),
        *_signature_block(case, clock, w, styles),
    ]
    story += [NewPageUnlessRoomFor(closing, WIDTH), *closing]
    return story


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]


def _addressee(case: Case, w: Words) -> str:
    profile = get_profile(case.channel)
    if profile.id == "generic" and case.channel:
        return w.channel(case.channel)  # free text typed by the user
    return w.plain(profile.addressee_name(w.lang), "addressee")


def _parties(case: Case, w: Words) -> list[str]:
    c, f = case.complainant, case.filer
    lines = [
        w.tr("pdf.letter.party", name=w.plain(c.name, "complainant")),
        w.tr("pdf.letter.party_ids", uscc=c.uscc, rep=w.plain(c.legal_representative, "rep")),
    ]
    if c.address:
        lines.append(w.tr("pdf.letter.address", address=w.plain(c.address, "address")))
    if f.is_agent:
        lines.append(_agent_line(case, w))
    lines.append(w.tr("pdf.letter.target_count", count=len(case.targets)))
    return lines


def _agent_line(case: Case, w: Words) -> str:
    f = case.filer
    if f.role == FilerRole.LAW_FIRM:
        text = w.tr(
            "pdf.letter.agent_lawyer",
            name=w.plain(f.name, "filer"),
            firm=w.plain(f.organisation, "filer"),
            licence=w.plain(f.licence_number, "filer") or w.tr("pdf.letter.licence_missing"),
        )
    else:
        text = w.tr(
            "pdf.letter.agent_employee",
            name=w.plain(f.name, "filer"),
            company=w.plain(case.complainant.name, "filer"),
        )
    return text


def platform_of(t: Target) -> str:
    """The target's platform as entered, else as its URL's host shows (weibo.com → 微博)."""
    from evidence_app.channels import infer_platform

    return t.platform.strip() or infer_platform(t.url)


def _target_name(t: Target, w: Words) -> str:
    account = " ".join(x for x in (t.account_name, t.account_id) if x)
    parts = [platform_of(t), account]
    return w.plain("".join(p for p in parts if p) or t.id, f"target {t.id}")


def _demands(case: Case, w: Words) -> list[str]:
    lines: list[str] = []
    n = 0
    for t in case.targets:
        n += 1
        measures = "、".join(w.enum("measure", m.value) for m in t.measures)
        where = w.plain(t.url or t.excerpt, f"target {t.id}")
        lines.append(
            w.tr(
                "pdf.letter.demand",
                n=n,
                id=t.id,
                name=_target_name(t, w),
                location=where,
                measures=measures or w.tr("pdf.letter.default_measure"),
            )
        )
        if t.demands.strip():
            lines.append(w.plain(t.demands, f"target {t.id} demands"))
    urgent = [t.id for t in case.targets if t.time_sensitive]
    if urgent:
        n += 1
        lines.append(w.tr("pdf.letter.demand_private", n=n, ids="、".join(urgent)))
    disputed = [t.id for t in case.targets if not t.facts_settled]
    if disputed:
        n += 1
        lines.append(w.tr("pdf.letter.demand_label", n=n, ids="、".join(disputed)))
    if any(c in EXPLICIT for c in categories_of(case)):
        n += 1
        lines.append(w.tr("pdf.letter.demand_fast", n=n))
    if case.statement.demands.strip():
        lines.append(w.plain(case.statement.demands, "statement demands"))
    return lines


def _reach(t: Target, w: Words) -> str:
    e = t.engagement
    parts = [
        w.tr(f"pdf.letter.reach.{name}", count=value)
        for name, value in (
            ("views", e.views),
            ("likes", e.likes),
            ("shares", e.shares),
            ("comments", e.comments),
        )
        if value is not None
    ]
    return "，".join(parts)


def _facts(case: Case, w: Words, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    s = case.statement
    if s.facts.strip():
        story.append(_p(w, w.tr("pdf.letter.facts_general"), styles.body))
        story.append(_p(w, w.plain(s.facts, "statement facts"), styles.body))
    for i, t in enumerate(case.targets, start=1):
        where = f"target {t.id}"
        evidence = "、".join(str(e.number) for e in case.evidence_for(t.id))
        rows = [
            ("url", w.plain(t.url, where)),
            ("account", _target_name(t, w)),
            ("role", w.enum("accountrole", t.account_role.value) if t.account_role else ""),
            ("form", w.enum("contentform", t.content_form.value)),
            ("published", w.when(t.published_at)),
            ("discovered", w.when(t.discovered_at)),
            ("ip", w.plain(t.ip_location, where)),
            ("reach", _reach(t, w)),
            ("categories", "、".join(w.enum("category", c.value) for c in t.categories)),
            ("excerpt", w.plain(t.excerpt, where)),
            ("evidence", evidence),
        ]
        lines = [w.tr(f"pdf.letter.fact.{key}", value=value) for key, value in rows if value]
        if t.time_sensitive:
            lines.append(w.tr("pdf.letter.fact.urgent"))
        if not t.facts_settled:
            lines.append(w.tr("pdf.letter.fact.disputed"))
        block: list[Flowable] = [
            _p(w, w.tr("pdf.letter.target_heading", n=i, id=t.id), styles.body),
            _p(w, "\n".join(lines), styles.body),
        ]
        if t.facts.strip():
            block.append(_p(w, w.plain(t.facts, f"{where} facts"), styles.body))
        if t.reasons.strip():
            block.append(_p(w, w.plain(t.reasons, f"{where} reasons"), styles.body))
        story.append(NewPageUnlessRoomFor(block, WIDTH))
        story += block
    if s.reasons.strip():
        story.append(_p(w, w.tr("pdf.letter.reasons_general"), styles.body))
        story.append(_p(w, w.plain(s.reasons, "statement reasons"), styles.body))
    return story


def _law(case: Case, w: Words, kind: str) -> list[str]:
    cats = categories_of(case)
    lines = [w.tr("pdf.letter.law.art110")]
    if REPUTATION.intersection(cats):
        lines.append(w.tr("pdf.letter.law.art1024"))
    if NAME_RIGHT.intersection(cats):
        lines.append(w.tr("pdf.letter.law.art1014"))
    if Category.PRIVACY_LEAK in cats:
        lines.append(w.tr("pdf.letter.law.art1032"))
    if kind == "platform":
        lines.append(w.tr("pdf.letter.law.art1195"))
    items = sorted({NORM_ITEM[c] for c in cats})
    kinds = "、".join(w.tr(f"pdf.letter.law.norm_item.{n}") for n in items)
    if kinds:
        lines.append(w.tr("pdf.letter.law.norm4", kinds=kinds))
    clauses = ["(十二)"] if set(cats) - {Category.PRIVACY_LEAK} else []
    if Category.PRIVACY_LEAK in cats:
        clauses.append("(八)")
    if any(t.account_role for t in case.targets):
        clauses.append("(九)")
    if any(c in EXPLICIT for c in cats):
        clauses.append("(十五)")
    if any(t.time_sensitive or not t.facts_settled for t in case.targets) or any(
        c in EXPLICIT for c in cats
    ):
        clauses.append("(二十一)")
    if clauses:
        text = "、".join(c.replace("(", "（").replace(")", "）") for c in clauses)
        lines.append(w.tr("pdf.letter.law.guidance", clauses=text))
    lines.append(w.tr("pdf.letter.law.norm5"))
    return [f"{i}. {line}" for i, line in enumerate(lines, start=1)]


def _evidence(case: Case, w: Words) -> list[str]:
    lines: list[str] = []
    for section, items in grouped(case.evidence):
        lines.append(w.tr(f"pdf.section.exhibits.{section}"))
        for item in items:
            extra = []
            issued = item.fields.get("issued_at")
            if issued:
                extra.append(w.tr("pdf.letter.issued", date=w.when(issued)))
            queried = item.fields.get("queried_at")
            if queried:
                platform = item.fields.get("platform", "")
                extra.append(
                    w.tr("pdf.letter.queried", platform=w.plain(platform, "q"), at=w.when(queried))
                )
            captured = item.fields.get("captured_at")
            if captured:
                extra.append(w.tr("pdf.letter.captured", at=w.when(captured)))
            lines.append(
                w.tr(
                    "pdf.letter.evidence_item",
                    number=item.number,
                    title=w.plain(item.title, f"exhibit {item.number}"),
                    extra=("（" + "；".join(extra) + "）") if extra else "",
                    proves=w.plain(item.proves, f"exhibit {item.number}")
                    or w.tr("pdf.letter.no_proves"),
                )
            )
    return lines


def _contact(case: Case, w: Words) -> list[str]:
    c, f = case.complainant, case.filer
    lines = [
        w.tr(
            "pdf.letter.contact_company",
            name=w.plain(c.contact_name, "contact"),
            phone=w.plain(c.contact_phone, "contact"),
            email=w.plain(c.contact_email, "contact") or w.tr("pdf.none"),
        )
    ]
    if f.is_agent:
        lines.append(
            w.tr(
                "pdf.letter.contact_agent",
                name=w.plain(f.name, "filer"),
                org=w.plain(f.organisation, "filer") or w.plain(c.name, "filer"),
                phone=w.plain(f.phone, "filer"),
                email=w.plain(f.email, "filer") or w.tr("pdf.none"),
            )
        )
    return lines


def _signature_block(case: Case, clock: _dt.datetime, w: Words, styles: Styles) -> list[Flowable]:
    from evidence_app.exporters.pdf.signature_block import signatures

    rows = [
        w.tr("pdf.letter.sign.company", name=w.plain(case.complainant.name, "complainant")),
        w.tr("pdf.template.sign.legal_rep"),
    ]
    if case.filer.is_agent:
        rows.append(w.tr("pdf.letter.sign.agent", name=w.plain(case.filer.name, "filer")))
    rows.append(w.tr("pdf.template.sign.date", date=w.date(clock)))
    return signatures(rows, w, styles, seal=True)
