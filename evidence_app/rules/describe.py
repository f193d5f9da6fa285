"""Words for check items, in Chinese or English: the one place the CLI and the UI share.

Items carry a message key and language-neutral parameters (kind ids, field paths, exhibit
numbers); this module renders those parameters with the packs' names and the ``rules.*``
catalogues, then fills the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidence_app.i18n import current_language, normalise_language, tr
from evidence_app.rules.conditions import PATHS
from evidence_app.rules.pack import Text

if TYPE_CHECKING:  # types only: result.py words its JSON through this module
    from evidence_app.rules.result import CheckItem, Labels

MAX_LISTED = 8  # exhibits listed by number before "… N in all"
_NOTE_PATHS = {p.replace(".", "_"): spec for p, spec in PATHS.items()}


def _lang(lang: str | None) -> str:
    return normalise_language(lang or current_language())


def pick(text: Text | None, lang: str | None = None) -> str:
    """The pack text in ``lang`` (zh for zh_CN), falling back to the other language."""
    if not text:
        return ""
    code = "zh" if _lang(lang) == "zh_CN" else "en"
    return text.get(code) or text.get("zh") or text.get("en") or ""


def kind_name(kind: str, labels: Labels | None = None, lang: str | None = None) -> str:
    if labels and kind in labels.kinds:
        return pick(labels.kinds[kind], lang)
    return tr(f"enum.evidencekind.{kind}", _lang(lang))


def category_name(category: str, name: Text | None = None, lang: str | None = None) -> str:
    return pick(name, lang) if name else tr(f"enum.category.{category}", _lang(lang))


def field_name(path: str, lang: str | None = None) -> str:
    """An evidence field (``source_url``) or a case field path (``complainant.uscc``)."""
    key = f"rules.field.{path}" if "." not in path else f"rules.path.{path}"
    text = tr(key, _lang(lang))
    return path if text == key else text


def day_words(value: str, lang: str | None = None) -> str:
    """An ISO date (or date-time) as a date in legal style: 2026年11月20日; else unchanged."""
    from evidence_app.rules.dates import moment

    m = moment(value)
    if m is None:
        return value
    d = m[0].date()
    language = _lang(lang)
    if language == "zh_CN":  # 2026年11月5日
        return tr("rules.date", language, year=d.year, month=d.month, day=d.day)
    return tr("rules.date", language, year=d.year, month=f"{d.month:02d}", day=f"{d.day:02d}")


def exhibit_label(number: int) -> str:
    return f"E{number:03d}"


class _Renderer:
    def __init__(self, item: CheckItem, lang: str) -> None:
        self.item = item
        self.lang = lang
        self.sep = tr("rules.part.sep_list", lang)

    def t(self, key: str, **params: Any) -> str:
        return tr(key, self.lang, **params)

    def join(self, parts: list[str]) -> str:
        return self.sep.join(parts)

    def exhibits(self, numbers: tuple[int, ...] | list[int]) -> str:
        listed = self.join([exhibit_label(n) for n in list(numbers)[:MAX_LISTED]])
        if len(numbers) > MAX_LISTED:
            return self.t("rules.part.and_more", listed=listed, count=len(numbers))
        return listed

    def kind(self, kind: str) -> str:
        return kind_name(kind, self.item.labels, self.lang)

    def spec(self, spec: dict[str, Any]) -> str:
        """One missing evidence or field element (nested ``any_of`` allowed)."""
        if "any_of" in spec:
            return self.t(
                "rules.part.any_of", options=self.join([self.spec(s) for s in spec["any_of"]])
            )
        if "all_of" in spec:
            return self.join([self.spec(s) for s in spec["all_of"]])
        if "kind" in spec:
            kind = self.kind(spec["kind"])
            if spec.get("holder"):
                kind = self.t(
                    "rules.part.of_holder",
                    kind=kind,
                    holder=tr(f"enum.documentholder.{spec['holder']}", self.lang),
                )
                if spec.get("unassigned"):
                    kind = self.t(
                        "rules.part.unassigned",
                        kind=kind,
                        exhibits=self.exhibits(spec["unassigned"]),
                    )
            if spec.get("min_count", 1) > 1:
                return self.t(
                    "rules.part.at_least",
                    kind=kind,
                    min=spec["min_count"],
                    count=spec.get("count", 0),
                )
            return kind
        key = (
            "rules.part.field_invalid"
            if spec.get("state") == "invalid"
            else "rules.part.field_empty"
        )
        return self.t(key, field=field_name(spec["path"], self.lang))

    def incomplete(self, entries: list[dict[str, Any]]) -> str:
        return self.join(
            [
                self.t(
                    "rules.part.incomplete",
                    exhibit=exhibit_label(e["exhibit"]),
                    fields=self.join([field_name(f, self.lang) for f in e["fields"]]),
                )
                for e in entries
            ]
        )

    def note_value(self, key: str, value: Any) -> str:
        spec = _NOTE_PATHS.get(key)
        values = value if isinstance(value, list) else [value]
        if spec is not None and spec.enum_key:
            values = [tr(f"enum.{spec.enum_key}.{v}", self.lang) for v in values]
        return self.join([str(v) for v in values])

    def params(self) -> dict[str, Any]:
        p = self.item.params
        out: dict[str, Any] = {}
        if "missing" in p:
            parts = p["missing"]
            out["missing"] = tr("rules.part.sep_parts", self.lang).join(self.spec(s) for s in parts)
        if "incomplete" in p:
            out["incomplete"] = self.incomplete(p["incomplete"])
        if "problems" in p:
            out["fields"] = self.join([self.spec(s) for s in p["problems"]])
        if "exhibit" in p:
            out["exhibit"] = exhibit_label(p["exhibit"])
        if "kind" in p:
            out["kind"] = self.kind(p["kind"])
        if "field" in p:
            out["field"] = field_name(p["field"], self.lang)
        if "fields" in p and "problems" not in p:
            out["fields"] = self.join([field_name(f, self.lang) for f in p["fields"]])
        if "reference_field" in p:
            out["reference_field"] = field_name(p["reference_field"], self.lang)
        if "group" in p:
            out["group"] = (
                pick(self.item.labels.keyword_groups.get(p["group"]), self.lang) or p["group"]
            )
        if "where" in p:
            out["where"] = self.t(f"rules.where.{p['where']}")
        if "keywords" in p:
            out["keywords"] = self.join([f"“{k}”" for k in p["keywords"]])
        if "category" in p:
            out["category"] = category_name(
                p["category"], self.item.labels.categories.get(p["category"]), self.lang
            )
        if "snippets" in p:
            out["snippets"] = self.join([f"“{k}”" for k in p["snippets"]])
        if "pending" in p:
            out["pending"] = self.exhibits(p["pending"])
        for key in (
            "value",
            "reference",
            "months",
            "count",
            "source_site",
            "target_site",
            "channel",
            "case_title",
        ):
            if key in p:
                out[key] = p[key]
        if "date" in p:
            out["date"] = day_words(str(p["date"]), self.lang)
        out["exhibits"] = self.exhibits(self.item.exhibits)
        if self.item.message_key == "rules.msg.note":
            values = {k: self.note_value(k, v) for k, v in p.items()}
            out["advice"] = _format_safe(pick(self.item.advice, self.lang), values)
        return out


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format_safe(text: str, values: dict[str, Any]) -> str:
    return text.format_map(_SafeDict(values))


def message(item: CheckItem, lang: str | None = None) -> str:
    """The item's status in plain words, without its name."""
    language = _lang(lang)
    return tr(item.message_key, language, **_Renderer(item, language).params())


def describe(item: CheckItem, lang: str | None = None) -> str:
    """Name, status and (for what is not satisfied) the pack's advice, in one line."""
    language = _lang(lang)
    name = pick(item.name, language)
    text = message(item, language)
    if item.advice and item.status != "satisfied" and item.message_key != "rules.msg.note":
        line = tr(
            "rules.describe_advice",
            language,
            name=name,
            message=text,
            advice=pick(item.advice, language),
        )
    else:
        line = tr("rules.describe", language, name=name, message=text)
    if item.basis == "policy":
        # The app's own advice must never read as the regulator's.
        line = tr("rules.policy_prefix", language, line=line)
    if item.acknowledged:
        line = tr("rules.acknowledged", language, line=line, reason=item.acknowledged["reason"])
    return line
