"""Words on the page: translated (documents default to Chinese), checked against the font,
escaped for reportlab's paragraph markup."""

from __future__ import annotations

import datetime as _dt
from typing import Any
from xml.sax.saxutils import escape

from evidence_app.exporters.pdf.fonts import GlyphReport
from evidence_app.i18n import tr

# Documents go to Chinese reviewers: their language does not follow the UI's.
DOCUMENT_LANGUAGE = "zh_CN"
CHINA_TIME = _dt.timezone(_dt.timedelta(hours=8))  # no daylight saving: a fixed offset is exact


class Words:
    def __init__(self, lang: str = DOCUMENT_LANGUAGE, glyphs: GlyphReport | None = None) -> None:
        self.lang = lang
        self.glyphs = glyphs or GlyphReport()

    def tr(self, key: str, where: str = "", **params: Any) -> str:
        """A message, ready to draw as plain text (canvas.drawString)."""
        return self.glyphs.clean(tr(key, lang=self.lang, **params), where or key)

    def plain(self, text: str, where: str) -> str:
        return self.glyphs.clean(text, where)

    def channel(self, channel: str) -> str:
        """The case's channel as readers know it: a profile's name (网信部门涉企举报专区…),
        or the text itself when it is not a profile id."""
        from evidence_app.channels import display_name

        return self.plain(display_name(channel, self.lang), "channel")

    def markup(self, text: str) -> str:
        """Plain (already cleaned) text as paragraph markup: escaped, newlines kept."""
        return escape(text).replace("\n", "<br/>")

    def enum(self, enum_name: str, value: str) -> str:
        return self.tr(f"enum.{enum_name}.{value}")

    def date(self, moment: _dt.datetime) -> str:
        local = moment.astimezone(CHINA_TIME) if moment.tzinfo else moment
        return self.tr("pdf.date", year=local.year, month=local.month, day=local.day)
