"""Case-field checks (``fields`` requirements) and evidence-field completeness.

A field path names a model attribute: ``complainant.<field>``, ``filer.<field>``,
``statement.<field>``, ``case.title`` / ``case.channel`` / ``case.targets``, or
``target.<field>`` (per target). The fix path the UI jumps to is the same path, except that a
target's field becomes ``targets.<target id>.<field>``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from evidence_app import validators
from evidence_app.model import (
    DATE_FIELDS,
    URL_FIELDS,
    Case,
    Complainant,
    EvidenceItem,
    Filer,
    Statement,
    Target,
)

_SECTIONS: dict[str, type] = {
    "complainant": Complainant,
    "filer": Filer,
    "statement": Statement,
    "target": Target,
}
_CASE_FIELDS = ("title", "channel", "targets")


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


CHECKS: dict[str, Callable[[str], bool]] = {
    "url": validators.is_valid_url,
    "uscc": validators.is_valid_uscc,
    "resident_id": validators.is_valid_resident_id,
    "phone": validators.is_plausible_phone,
    "email": validators.is_plausible_email,
    "datetime": validators.is_valid_datetime,
}
CHECK_NAMES = ("present", *CHECKS)


def known_path(path: str) -> bool:
    section, _, name = path.partition(".")
    if section == "case":
        return name in _CASE_FIELDS
    cls = _SECTIONS.get(section)
    return cls is not None and name in {f.name for f in dataclasses.fields(cls)}


def needs_target(path: str) -> bool:
    return path.startswith("target.")


def read(path: str, case: Case, target: Target | None) -> Any:
    section, _, name = path.partition(".")
    if section == "case":
        return getattr(case, name)
    owner = target if section == "target" else getattr(case, section)
    return getattr(owner, name)


def state(path: str, check: str, case: Case, target: Target | None, optional: bool = False) -> str:
    """``ok``, ``empty`` or ``invalid`` (an optional field that is empty is ``ok``)."""
    value = read(path, case, target)
    if not _present(value):
        return "ok" if optional else "empty"
    if check == "present":
        return "ok"
    return "ok" if CHECKS[check](str(value).strip()) else "invalid"


def fix_path(path: str, target: Target | None) -> str:
    if path == "case.targets":
        return "targets"
    if path.startswith("case."):
        return path[len("case.") :]
    if target is not None and needs_target(path):
        return f"targets.{target.id}.{path[len('target.') :]}"
    return path


def evidence_field_ok(item: EvidenceItem, name: str) -> bool:
    """A kind's required field is filled, and well-formed when it is a date or URL."""
    value = item.fields.get(name, "")
    if not isinstance(value, str) or not value.strip():
        return False
    if name in DATE_FIELDS:
        return validators.is_valid_datetime(value)
    if name in URL_FIELDS:
        return validators.is_valid_url(value)
    return True


def evidence_fix_path(item: EvidenceItem, name: str) -> str:
    return f"evidence.{item.id}.fields.{name}"
