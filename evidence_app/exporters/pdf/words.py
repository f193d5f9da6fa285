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
    """``regulator`` chooses the document's one term: 举报 (a CAC zone receives a 举报书) or
    投诉 (a platform's desk receives a 投诉书). Every message can use ``{verb}`` for it, so a
    document never mixes the two."""

    def __init__(
        self,
        lang: str = DOCUMENT_LANGUAGE,
        glyphs: GlyphReport | None = None,
        *,
        regulator: bool = True,
    ) -> None:
        self.lang = lang
        self.glyphs = glyphs or GlyphReport()
        self.verb = tr("pdf.term.report" if regulator else "pdf.term.complaint", lang=lang)

    @classmethod
    def for_channel(
        cls, channel: str, lang: str = DOCUMENT_LANGUAGE, glyphs: GlyphReport | None = None
    ) -> Words:
        from evidence_app.channels import get_profile

        return cls(lang, glyphs, regulator=get_profile(channel).kind != "platform")

    def tr(self, key: str, where: str = "", **params: Any) -> str:
        """A message, ready to draw as plain text (canvas.drawString)."""
        params.setdefault("verb", self.verb)
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

    def when(self, value: str, *, seconds: bool = False) -> str:
        """An ISO 8601 date or time from the case in legal style, in China time:
        2026年11月20日 21时14分 (a date alone: 2026年11月20日; ``seconds``: 21时14分05秒, for
        times a machine recorded). Text that is not ISO is shown as it was entered."""
        text = (value or "").strip()
        if not text:
            return ""
        try:
            moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return self.plain(text, "date")
        if len(text) <= 10:  # a date without a time
            return self.date(moment)
        local = moment.astimezone(CHINA_TIME) if moment.tzinfo else moment
        if seconds:
            return self.tr(
                "pdf.datetime_seconds",
                year=local.year,
                month=local.month,
                day=local.day,
                hour=f"{local.hour:02d}",
                minute=f"{local.minute:02d}",
                second=f"{local.second:02d}",
            )
        return self.tr(
            "pdf.datetime",
            year=local.year,
            month=local.month,
            day=local.day,
            hour=f"{local.hour:02d}",
            minute=f"{local.minute:02d}",
        )
