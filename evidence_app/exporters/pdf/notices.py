"""Two more documents to print, sign, seal and scan back: the executive's own authorisation
(企业家授权书, for complaints about an executive's privacy or reputation) and a channel's own
complaint notice where the channel requires one (WeChat 公众平台's signed and sealed
侵权投诉通知书, Toutiao's sealed 权利通知书).

The channel notice follows the contents the channel's published procedure lists (the profile
names the form and its source): the rights holder, the agent with proof of position, the
accounts and a description, the preliminary evidence, and the guarantee with the undertaking
to indemnify the platform. It is our rendering of those contents, not the platform's own
template file, and says so.
"""

from __future__ import annotations

import datetime as _dt

from reportlab.platypus import Flowable, Paragraph

from evidence_app.channels import get_profile
from evidence_app.exporters.pdf.errors import BundleError
from evidence_app.exporters.pdf.layout import Styles, spacer
from evidence_app.exporters.pdf.letter import platform_of
from evidence_app.exporters.pdf.words import Words
from evidence_app.model import Case


def _p(w: Words, text: str, style: object) -> Paragraph:
    return Paragraph(w.markup(text), style)


def _targets(case: Case, w: Words) -> list[str]:
    return [
        w.plain(
            f"{i}. {t.id} {platform_of(t)} {t.account_name} {t.account_id} {t.url or t.excerpt}",
            f"target {t.id}",
        )
        for i, t in enumerate(case.targets, start=1)
    ]


def executive_authorisation(
    case: Case, clock: _dt.datetime, words: Words, styles: Styles
) -> list[Flowable]:
    from evidence_app.exporters.pdf.signature_block import signatures

    w = words
    executives = case.complainant.executives
    if not executives:
        raise BundleError("pdf.template.no_executive")
    c = case.complainant
    story: list[Flowable] = [
        _p(w, w.tr("pdf.template.executive_authorisation.title"), styles.title)
    ]
    for ex in executives:
        story.append(
            _p(
                w,
                w.tr(
                    "pdf.template.exec.grantor",
                    name=w.plain(ex.name, "executive"),
                    title=w.plain(ex.title, "executive") or w.tr("pdf.none"),
                    id_number=w.plain(ex.id_number, "executive") or w.tr("pdf.none"),
                ),
                styles.body,
            )
        )
    story.append(
        _p(
            w,
            w.tr("pdf.template.exec.grantee", company=w.plain(c.name, "c"), uscc=c.uscc),
            styles.body,
        )
    )
    story.append(
        _p(w, w.tr("pdf.template.exec.matter", channel=w.channel(case.channel)), styles.body)
    )
    story += [_p(w, line, styles.body) for line in _targets(case, w)]
    story += [_p(w, w.tr(f"pdf.template.exec.power{n}"), styles.body) for n in range(1, 4)]
    rows = [w.tr("pdf.template.exec.sign", name=w.plain(ex.name, "executive")) for ex in executives]
    rows.append(w.tr("pdf.template.sign.date", date=w.date(clock)))
    story += signatures(rows, w, styles, seal=False)
    return story


def channel_notice(case: Case, clock: _dt.datetime, words: Words, styles: Styles) -> list[Flowable]:
    from evidence_app.exporters.pdf.signature_block import signatures

    w = words
    profile = get_profile(case.channel)
    form = profile.facts.get("notice_form")
    if form is None or not form.value:
        raise BundleError("pdf.template.no_notice", channel=profile.name(w.lang))
    c, f = case.complainant, case.filer
    source = form.source or {}
    story: list[Flowable] = [
        _p(w, w.plain(str(form.value), "notice"), styles.title),
        _p(w, w.tr("pdf.template.notice.to", body=profile.addressee_name(w.lang)), styles.body),
        _p(
            w,
            w.tr(
                "pdf.template.notice.basis",
                title=source.get("title", ""),
                date=source.get("date", ""),
            ),
            styles.small,
        ),
        _p(w, w.tr("pdf.template.notice.holder"), styles.subheading),
        _p(
            w,
            w.tr(
                "pdf.template.notice.holder_text",
                name=w.plain(c.name, "c"),
                uscc=c.uscc,
                address=w.plain(c.address, "c") or w.tr("pdf.none"),
                contact=w.plain(
                    " ".join(x for x in (c.contact_name, c.contact_phone, c.contact_email) if x),
                    "c",
                ),
            ),
            styles.body,
        ),
    ]
    if f.is_agent:
        story += [
            _p(w, w.tr("pdf.template.notice.agent"), styles.subheading),
            _p(
                w,
                w.tr(
                    "pdf.template.notice.agent_text",
                    name=w.plain(f.name, "filer"),
                    org=w.plain(f.organisation, "filer") or w.plain(c.name, "filer"),
                    phone=w.plain(f.phone, "filer"),
                    email=w.plain(f.email, "filer") or w.tr("pdf.none"),
                ),
                styles.body,
            ),
        ]
    story.append(_p(w, w.tr("pdf.template.notice.accounts"), styles.subheading))
    story += [_p(w, line, styles.body) for line in _targets(case, w)]
    story.append(_p(w, w.tr("pdf.template.notice.evidence"), styles.subheading))
    # The notice is itself one of the materials: it does not list itself.
    listed = [e for e in case.evidence if e.generated_from.get("template") != "channel_notice"]
    story += [
        _p(w, w.tr("pdf.outline.exhibit", number=e.number, title=e.title), styles.body)
        for e in sorted(listed, key=lambda e: e.number)
    ]
    story += [
        _p(w, w.tr("pdf.template.notice.guarantee"), styles.subheading),
        _p(
            w,
            w.tr("pdf.template.notice.guarantee_text", platform=profile.name(w.lang)),
            styles.body,
        ),
        spacer(4),
    ]
    rows = [
        w.tr("pdf.template.sign.company", name=w.plain(c.name, "c")),
        w.tr("pdf.template.sign.legal_rep"),
    ]
    if f.is_agent:
        rows.append(w.tr("pdf.template.sign.agent"))
    rows.append(w.tr("pdf.template.sign.date", date=w.date(clock)))
    story += signatures(rows, w, styles, seal=True)
    return story
