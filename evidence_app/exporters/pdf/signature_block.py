"""The signature block closing a letter or a paperwork document: the signer's lines, and
beside them a dashed circle where the company seal goes. Shared by the complaint letter
(letter.py), the paperwork templates (templates.py) and the notices (notices.py)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from evidence_app.exporters.pdf.fonts import register_fonts
from evidence_app.exporters.pdf.layout import MARGIN, Styles, spacer
from evidence_app.exporters.pdf.words import Words

WIDTH = A4[0] - 2 * MARGIN
SEAL_DIAMETER = 42 * 72 / 25.4  # a company seal is 40-42 mm across


class SealPlace(Flowable):
    """A dashed circle marking where the company seal goes."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (SEAL_DIAMETER, SEAL_DIAMETER)

    def draw(self) -> None:
        c = self.canv
        r = SEAL_DIAMETER / 2
        c.saveState()
        c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
        c.setDash(3, 3)
        c.circle(r, r, r - 1)
        c.setFillColor(colors.Color(0.5, 0.5, 0.5))
        c.setFont(register_fonts(), 8)
        c.drawCentredString(r, r - 3, self.label)
        c.restoreState()


def _para(words: Words, styles: Styles, text: str) -> Paragraph:
    return Paragraph(words.markup(text), styles.body)


def signatures(rows: list[str], words: Words, styles: Styles, seal: bool) -> list[Flowable]:
    story: list[Flowable] = [spacer(24)]
    cells = [[_para(words, styles, line)] for line in rows]
    table = Table(cells, colWidths=[WIDTH * 0.6])
    table.setStyle(
        TableStyle(
            [
                ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
            ]
        )
    )
    if seal:
        seal_place = SealPlace(words.tr("pdf.template.seal_here"))
        outer = Table([[table, seal_place]], colWidths=[WIDTH * 0.62, WIDTH * 0.38])
        outer.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ]
            )
        )
        story.append(outer)
    else:
        story.append(table)
    return story
