"""forms/: the values a reporting channel's web form asks for, ready to paste.

``forms/fields.json`` (machine-readable) and ``forms/fields.txt`` (one "label: value" per
line, a section per target). Labels are in the document language (Chinese by default); keys
are stable model paths so that a channel profile can map them to its own form fields.
"""

from __future__ import annotations

import json
from typing import Any

from evidence_app.i18n import tr
from evidence_app.model import Case

FORMS_JSON = "forms/fields.json"
FORMS_TEXT = "forms/fields.txt"
DOCUMENT_LANGUAGE = "zh_CN"

_CASE_FIELDS = (
    "complainant.name",
    "complainant.uscc",
    "complainant.legal_representative",
    "complainant.address",
    "complainant.contact_name",
    "complainant.contact_phone",
    "complainant.contact_email",
    "filer.role",
    "filer.name",
    "filer.organisation",
    "filer.phone",
    "filer.email",
    "statement.facts",
    "statement.reasons",
    "statement.demands",
)
_TARGET_FIELDS = (
    "url",
    "platform",
    "account_name",
    "account_id",
    "content_form",
    "excerpt",
    "published_at",
    "discovered_at",
    "ip_location",
    "categories",
    "measures",
)


def _value(obj: Any, name: str, lang: str) -> str:
    value = getattr(obj, name)
    if isinstance(value, list):
        enum = {"categories": "category", "measures": "measure"}.get(name, "")
        return "、".join(tr(f"enum.{enum}.{v}", lang=lang) if enum else str(v) for v in value)
    if name == "role":
        return tr(f"enum.filerrole.{value}", lang=lang)
    if name == "content_form":
        return tr(f"enum.contentform.{value}", lang=lang)
    return "" if value is None else str(value)


def build_forms(case: Case, lang: str = DOCUMENT_LANGUAGE) -> tuple[bytes, bytes]:
    """(fields.json, fields.txt) for ``case``."""
    fields: list[dict[str, str]] = []
    for path in _CASE_FIELDS:
        section, name = path.split(".")
        value = _value(getattr(case, section), name, lang)
        fields.append({"key": path, "label": tr(f"packet.form.{path}", lang=lang), "value": value})
    targets: list[dict[str, Any]] = []
    for target in case.targets:
        targets.append(
            {
                "id": target.id,
                "fields": [
                    {
                        "key": f"target.{name}",
                        "label": tr(f"packet.form.target.{name}", lang=lang),
                        "value": _value(target, name, lang),
                    }
                    for name in _TARGET_FIELDS
                ],
                "evidence": [item.label for item in case.evidence_for(target.id)],
            }
        )
    doc = {"channel": case.channel, "language": lang, "fields": fields, "targets": targets}
    as_json = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    lines = [f"{f['label']}：{f['value']}" for f in fields if f["value"]]
    for t in targets:
        lines.append("")
        lines.append(tr("packet.form.target_heading", lang=lang, id=t["id"]))
        lines.extend(f"{f['label']}：{f['value']}" for f in t["fields"] if f["value"])
        if t["evidence"]:
            lines.append(
                tr("packet.form.target_evidence", lang=lang, items="、".join(t["evidence"]))
            )
    return as_json.encode("utf-8"), ("\n".join(lines) + "\n").encode("utf-8")
