"""The front matter's content: cover, the complaint letter (:mod:`letter`) and the 证据目录
(numbered evidence list with 名称, 类别, 来源, 证明对象, 页码 and SHA-256, by section)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from evidence_app.exporters.pdf.evidence_lines import index_extra_lines
from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.layout import (
    MARGIN,
    LateText,
    Section,
    Styles,
    key_value_table,
    spacer,
)
from evidence_app.exporters.pdf.outline import exhibit_link
from evidence_app.exporters.pdf.words import Words
from evidence_app.model import Case, EvidenceItem

CONTENT_WIDTH = A4[0] - 2 * MARGIN


@dataclass
class IndexRow:
    item: EvidenceItem
    first_page: int  # 1-based, counted from the first exhibit page (the front matter's own
    last_page: int  # length is added when it is known)
    redacted_sha256: str | None = None


def source_of(item: EvidenceItem, words: Words) -> str:
    """The 来源 column: where the exhibit came from, most specific first."""
    f = item.fields
    parts = [f[k] for k in ("source_url", "issuer", "platform") if f.get(k)]
    if not parts and item.original_name:
        parts.append(words.tr("pdf.index.original_file", name=item.original_name))
    return "；".join(parts)


def build_sections(
    case: Case,
    rows: list[IndexRow],
    clock: _dt.datetime,
    words: Words,
    styles: Styles,
) -> list[Section]:
    """The three sections."""
    late: list[LateText] = []
    index = _index(rows, words, styles, late)
    from evidence_app.exporters.pdf.letter import letter_story

    letter = letter_story(case, clock, words, styles)
    return [
        Section("cover", words.tr("pdf.section.cover"), _cover(case, clock, words, styles)),
        Section("statement", words.tr("pdf.section.statement"), letter),
        Section("index", words.tr("pdf.section.index"), index, late),
    ]


def _p(text: str, words: Words, style: object) -> Paragraph:
    return Paragraph(words.markup(text), style)


def _cover(case: Case, clock: _dt.datetime, words: Words, styles: Styles) -> list[Flowable]:
    c = case.complainant
    w = words
    categories: list[str] = []
    for target in case.targets:
        for cat in target.categories:
            label = w.enum("category", cat.value)
            if label not in categories:
                categories.append(label)
    filer = case.filer
    if filer.is_agent:
        who = " ".join(p for p in (filer.organisation, filer.name) if p)
        filer_text = w.tr("pdf.cover.filer_agent", role=w.enum("filerrole", filer.role.value))
        filer_text += "：" + w.plain(who, "filer")
        if filer.licence_number:
            filer_text += w.tr("pdf.cover.licence", number=w.plain(filer.licence_number, "filer"))
    else:
        filer_text = w.tr("pdf.cover.filer_self")
    targets = "\n".join(
        w.plain(f"{t.id}  {t.platform}  {t.url or t.excerpt}", f"target {t.id}")
        for t in case.targets
    )
    priority = "、".join(w.enum("prioritytype", p.value) for p in c.priority_types)
    rows = [
        (w.tr("pdf.cover.complainant"), w.plain(c.name, "complainant")),
        (w.tr("pdf.cover.uscc"), w.plain(c.uscc, "complainant")),
        (w.tr("pdf.cover.legal_rep"), w.plain(c.legal_representative, "complainant")),
        (w.tr("pdf.cover.address"), w.plain(c.address, "complainant")),
        (
            w.tr("pdf.cover.contact"),
            w.plain(
                " ".join(x for x in (c.contact_name, c.contact_phone, c.contact_email) if x),
                "complainant",
            ),
        ),
        (w.tr("pdf.cover.filer"), filer_text),
        (w.tr("pdf.cover.channel"), w.channel(case.channel)),
        (w.tr("pdf.cover.targets", count=len(case.targets)), targets),
        (w.tr("pdf.cover.categories"), "、".join(categories)),
        (w.tr("pdf.cover.priority"), priority or w.tr("pdf.none")),
        (w.tr("pdf.cover.exhibits"), str(len(case.evidence))),
        (w.tr("pdf.cover.date"), w.date(clock)),
    ]
    story: list[Flowable] = [
        spacer(60),
        _p(w.tr("pdf.cover.title"), w, styles.title),
    ]
    if case.title:
        story.append(_p(w.plain(case.title, "case title"), w, styles.subtitle))
    story += [spacer(20), key_value_table(rows, w, styles, CONTENT_WIDTH)]
    return story


LINK_HEX = "#1a3d8f"
LINK_COLOUR = colors.HexColor(LINK_HEX)
_INDEX_COLUMNS = (30.0, 118.0, 55.0, 110.0, 132.0, 50.0)  # sums to CONTENT_WIDTH (~495)


def _index(
    rows: list[IndexRow], words: Words, styles: Styles, late: list[LateText]
) -> list[Flowable]:
    w = words
    tables: list[Flowable] = []
    for start in range(0, len(rows), INDEX_CHUNK):
        tables.append(_index_table(rows[start : start + INDEX_CHUNK], words, styles, late))
    return [
        _p(w.tr("pdf.section.index"), w, styles.heading),
        _p(w.tr("pdf.index.note"), w, styles.small),
        spacer(6),
        *tables,
    ]


# The index is several tables of this many exhibits: reportlab re-measures a whole table each
# time it splits one over a page, which is quadratic for a long list.
INDEX_CHUNK = 10


def _fits(text: str, column: int, style: ParagraphStyle) -> bool:
    width = CONTENT_WIDTH if column < 0 else _INDEX_COLUMNS[column]
    return "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 8


def _cell(
    text: str, column: int, words: Words, styles: Styles, small: bool = False
) -> Paragraph | str:
    """A plain string when the text fits its column on one line (a table draws those without
    the paragraph machinery, which dominates the time of a long index), else a paragraph."""
    style = styles.small if small else styles.cell
    return text if _fits(text, column, style) else _p(text, words, style)


def _page_range(first: int, last: int) -> Callable[[int], str]:
    def text(front_pages: int) -> str:
        a, b = front_pages + first, front_pages + last
        return str(a) if a == b else f"{a}–{b}"

    return text


def _index_table(rows: list[IndexRow], words: Words, styles: Styles, late: list[LateText]) -> Table:
    w = words
    header: list[object] = []
    for column, key in enumerate(("number", "title", "kind", "source", "proves", "pages")):
        label = w.tr(f"pdf.index.col.{key}")
        fits = _fits(label, column, styles.cell_head)
        header.append(label if fits else _p(label, w, styles.cell_head))
    data: list[list[object]] = [header]
    style_cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("FONTSIZE", (0, 0), (-1, -1), styles.cell.fontSize),
        ("LEADING", (0, 0), (-1, -1), styles.cell.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),  # header labels, as styles.cell_head
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for row in rows:
        item = row.item
        where = f"exhibit {item.number}"
        title = w.plain(item.title, where)
        r = len(data)
        if _fits(title, 1, styles.cell):
            # A whole-cell link, in the link colour: no paragraph needed.
            style_cmds.append(("HREF", (1, r), (1, r), exhibit_link(item.number)))
            style_cmds.append(("TEXTCOLOR", (1, r), (1, r), LINK_COLOUR))
            title_cell: Paragraph | str = title
        else:
            link = f'<a href="{exhibit_link(item.number)}" color="{LINK_HEX}">'
            title_cell = Paragraph(f"{link}{w.markup(title)}</a>", styles.cell)
        pages = LateText(
            _page_range(row.first_page, row.last_page),
            styles.cell,
            _INDEX_COLUMNS[5] - 6,  # less the cell's padding
        )
        late.append(pages)
        kind = w.enum("evidencekind", item.kind.value)
        data.append(
            [
                _cell(str(item.number), 0, w, styles),
                title_cell,
                _cell(kind, 2, w, styles),
                _cell(w.plain(source_of(item, w), where), 3, w, styles),
                _cell(w.plain(item.proves, where), 4, w, styles),
                pages,
            ]
        )
        hashes = w.tr("pdf.index.sha256", sha256=item.sha256)
        if item.sm3:
            hashes += "\n" + w.tr("pdf.index.sm3", sm3=item.sm3)
        for line in index_extra_lines(item, w):
            hashes += "\n" + line
        if row.redacted_sha256:
            hashes += "\n" + w.tr("pdf.index.redacted_sha256", sha256=row.redacted_sha256)
        data.append([_cell(hashes, -1, w, styles, small=True), "", "", "", "", ""])
        r = len(data) - 1
        style_cmds.append(("SPAN", (0, r), (-1, r)))
        style_cmds.append(("FONTSIZE", (0, r), (-1, r), styles.small.fontSize))
        style_cmds.append(("LEADING", (0, r), (-1, r), styles.small.leading))
    table = Table(data, colWidths=list(_INDEX_COLUMNS), repeatRows=1)
    table.setStyle(TableStyle(style_cmds))
    return table
