"""Paperwork rendered from the case, to print, seal, sign and scan back in as evidence:
情况说明 (with a place for the company seal), 授权委托书 (when an agent files) and 真实性承诺书.

Each is a separate, deterministic PDF (same case and clock, same bytes) in the embedded font.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from evidence_app.durable import atomic_output
from evidence_app.exporters.pdf.errors import BundleError
from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.layout import (
    Styles,
    binary_streams,
    flow_pages,
    key_value_table,
    make_styles,
    spacer,
)
from evidence_app.exporters.pdf.metadata import pdf_date
from evidence_app.exporters.pdf.signature_block import WIDTH, signatures
from evidence_app.exporters.pdf.words import DOCUMENT_LANGUAGE, Words
from evidence_app.model import Case, EvidenceKind

TEMPLATE_IDS = (
    "situation_statement",
    "power_of_attorney",
    "truth_guarantee",
    "executive_authorisation",
    "channel_notice",
)


def render_template(
    case: Case,
    template_id: str,
    out_path: Path,
    *,
    clock: _dt.datetime,
    lang: str = DOCUMENT_LANGUAGE,
) -> Path:
    from evidence_app.exporters.pdf.notices import channel_notice, executive_authorisation

    builders: dict[str, Callable[[Case, _dt.datetime, Words, Styles], list[Flowable]]] = {
        "situation_statement": _situation_statement,
        "power_of_attorney": _power_of_attorney,
        "truth_guarantee": _truth_guarantee,
        "executive_authorisation": executive_authorisation,
        "channel_notice": channel_notice,
    }
    builder = builders.get(template_id)
    if builder is None:
        raise BundleError("pdf.template.unknown", template=template_id)
    words = Words.for_channel(case.channel, lang)
    styles = make_styles()
    story = builder(case, clock, words, styles)
    buf = io.BytesIO()
    font = register_fonts()
    canvas = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font)
    canvas.setTitle(words.tr(f"pdf.template.{template_id}.title"))
    canvas.setAuthor(words.plain(case.complainant.name, "complainant"))
    canvas.setCreator("Evidence App")
    canvas.setDateFormatter(lambda *_: pdf_date(clock))
    flow_pages(canvas, story)
    with binary_streams():
        canvas.save()
    out_path = Path(out_path)
    with atomic_output(out_path) as temp:
        temp.write_bytes(buf.getvalue())
    return out_path


def _para(words: Words, styles: Styles, text: str, style: str = "body") -> Paragraph:
    return Paragraph(words.markup(text), getattr(styles, style))


def _targets(case: Case, words: Words) -> str:
    return "\n".join(
        words.plain(f"{i}. {t.platform} {t.account_name} {t.url or t.excerpt}".strip(), "target")
        for i, t in enumerate(case.targets, start=1)
    )


def _channel(case: Case, words: Words) -> str:
    return words.channel(case.channel) or words.tr("pdf.template.any_channel")


def _joined(general: str, case: Case, part: str, words: Words) -> str:
    """The case-wide text, then each target's own (facts, reasons or demands), by target."""
    texts = [words.plain(general, "statement")] if general.strip() else []
    for t in case.targets:
        own = getattr(t, part)
        if own.strip():
            texts.append(words.tr("pdf.template.target_part", id=t.id, text=own))
    return "\n".join(texts)


def _company_line(case: Case, words: Words) -> str:
    c = case.complainant
    return words.tr("pdf.template.company_line", name=c.name, uscc=c.uscc)


def _situation_statement(
    case: Case, clock: _dt.datetime, words: Words, styles: Styles
) -> list[Flowable]:
    w = words
    s = case.statement
    story: list[Flowable] = [
        _para(w, styles, w.tr("pdf.template.situation_statement.title"), "title"),
        _para(w, styles, w.tr("pdf.template.to", channel=_channel(case, w))),
        _para(
            w,
            styles,
            w.tr("pdf.template.situation_statement.intro", company=_company_line(case, w)),
        ),
        _para(w, styles, w.tr("pdf.statement.facts"), "subheading"),
        _para(w, styles, _joined(s.facts, case, "facts", w) or w.tr("pdf.none")),
        _para(w, styles, w.tr("pdf.statement.reasons"), "subheading"),
        _para(w, styles, _joined(s.reasons, case, "reasons", w) or w.tr("pdf.none")),
        _para(w, styles, w.tr("pdf.statement.demands"), "subheading"),
        _para(w, styles, _joined(s.demands, case, "demands", w) or w.tr("pdf.none")),
        _para(w, styles, w.tr("pdf.template.targets"), "subheading"),
        _para(w, styles, _targets(case, w) or w.tr("pdf.none")),
        spacer(6),
        _para(w, styles, w.tr("pdf.template.situation_statement.closing")),
    ]
    story += signatures(
        [
            w.tr("pdf.template.sign.company", name=case.complainant.name),
            w.tr("pdf.template.sign.legal_rep"),
            w.tr("pdf.template.sign.date", date=w.date(clock)),
        ],
        w,
        styles,
        seal=True,
    )
    return story


def _power_of_attorney(
    case: Case, clock: _dt.datetime, words: Words, styles: Styles
) -> list[Flowable]:
    if not case.filer.is_agent:
        raise BundleError("pdf.template.no_agent")
    w = words
    c, f = case.complainant, case.filer
    principal = [
        (w.tr("pdf.template.poa.principal"), w.plain(c.name, "complainant")),
        (w.tr("pdf.cover.uscc"), w.plain(c.uscc, "complainant")),
        (w.tr("pdf.cover.legal_rep"), w.plain(c.legal_representative, "complainant")),
        (w.tr("pdf.cover.address"), w.plain(c.address, "complainant")),
    ]
    agent = [
        (w.tr("pdf.template.poa.agent"), w.plain(f.name, "filer")),
        (w.tr("pdf.template.poa.id_number"), w.plain(f.id_number, "filer")),
        (w.tr("pdf.template.poa.organisation"), w.plain(f.organisation, "filer")),
        (w.tr("pdf.template.poa.licence"), w.plain(f.licence_number, "filer")),
        (w.tr("pdf.template.poa.phone"), w.plain(f.phone, "filer")),
        (w.tr("pdf.template.poa.email"), w.plain(f.email, "filer")),
    ]
    story: list[Flowable] = [
        _para(w, styles, w.tr("pdf.template.power_of_attorney.title"), "title"),
        key_value_table([r for r in principal if r[1]], w, styles, WIDTH),
        spacer(8),
        key_value_table([r for r in agent if r[1]], w, styles, WIDTH),
        spacer(10),
        _para(w, styles, w.tr("pdf.template.poa.matter", channel=_channel(case, w))),
        _para(w, styles, _targets(case, w) or w.tr("pdf.none")),
        _para(w, styles, w.tr("pdf.template.poa.scope")),
        *[_para(w, styles, w.tr(f"pdf.template.poa.power{n}")) for n in range(1, 6)],
        _para(w, styles, w.tr("pdf.template.poa.term")),
        _para(w, styles, w.tr("pdf.template.poa.ratify")),
    ]
    story += signatures(
        [
            w.tr("pdf.template.sign.principal", name=c.name),
            w.tr("pdf.template.sign.legal_rep"),
            w.tr("pdf.template.sign.agent"),
            w.tr("pdf.template.sign.date", date=w.date(clock)),
        ],
        w,
        styles,
        seal=True,
    )
    return story


def _truth_guarantee(
    case: Case, clock: _dt.datetime, words: Words, styles: Styles
) -> list[Flowable]:
    w = words
    story: list[Flowable] = [
        _para(w, styles, w.tr("pdf.template.truth_guarantee.title"), "title"),
        _para(
            w,
            styles,
            w.tr(
                "pdf.template.truth_guarantee.intro",
                company=_company_line(case, w),
                channel=_channel(case, w),
            ),
        ),
    ]
    # The materials as listed on the day it is signed; the guarantee does not list itself.
    listed = [e for e in case.evidence if e.kind != EvidenceKind.TRUTH_GUARANTEE]
    for n in range(1, 5):
        text = w.tr(
            f"pdf.template.truth_guarantee.pledge{n}", count=len(listed), date=w.date(clock)
        )
        story.append(_para(w, styles, text))
    rows: list[list[object]] = [
        [
            _para(w, styles, w.tr("pdf.index.col.number"), "cell_head"),
            _para(w, styles, w.tr("pdf.index.col.title"), "cell_head"),
            _para(w, styles, "SHA-256", "cell_head"),
        ]
    ]
    for item in sorted(listed, key=lambda e: e.number):
        rows.append(
            [
                _para(w, styles, str(item.number), "cell"),
                _para(w, styles, w.plain(item.title, f"exhibit {item.number}"), "cell"),
                _para(w, styles, item.sha256, "small"),
            ]
        )
    table = Table(rows, colWidths=[30, 180, WIDTH - 210], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [spacer(8), table]
    story += signatures(
        [
            w.tr("pdf.template.sign.pledger", name=case.complainant.name),
            w.tr("pdf.template.sign.legal_rep"),
            w.tr("pdf.template.sign.date", date=w.date(clock)),
        ],
        w,
        styles,
        seal=True,
    )
    return story
