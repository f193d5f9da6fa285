"""Editing a case from a request: the complainant, the filer, the statement, the targets,
the exhibits and the follow-up log. Used by the command line; the desktop app's forms edit
the same records through its session (with undo) and the same store methods.

Field names and their types come from the model's dataclasses (and, for an exhibit's
kind-specific fields, from ``model.EVIDENCE_FIELDS``): one source, listed by ``--help``.
Values arrive as text ("k=v") and are converted by the field's type; the record is then
validated by the model, and a problem in a field being set refuses the whole edit — nothing
is written.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from evidence_app import model
from evidence_app.errors import UsageError, ValidationError
from evidence_app.fieldpath import FieldPath
from evidence_app.store import CaseStore

T = TypeVar("T")

# Fields that are not edited by name (identity, content hashes, lists of records).
_NOT_EDITABLE = {
    "id",
    "number",
    "sha256",
    "size",
    "original_name",
    "media_type",
    "metadata",
    "imported_at",
    "redactions",
    "executives",
    "engagement",
    "fields",
}


def editable_fields(cls: type) -> dict[str, Any]:
    """name → type of each field a ``--field name=value`` may set on ``cls``."""
    hints = typing.get_type_hints(cls)
    out = {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.name not in _NOT_EDITABLE}
    if cls is model.EvidenceItem:
        out.update({name: str for name in model.EVIDENCE_FIELDS})
    return out


def field_help(cls: type) -> str:
    """The field names for ``--help``, with the values an enum field takes."""
    parts = []
    for name, hint in editable_fields(cls).items():
        enum = _enum_of(hint)
        parts.append(f"{name} ({'|'.join(e.value for e in enum)})" if enum else name)
    return ", ".join(parts)


def _enum_of(hint: Any) -> type[StrEnum] | None:
    for candidate in (hint, *typing.get_args(hint)):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return candidate
    return None


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["issuer=某所", "issued_at=2026-10-15"]`` → a dict (later ones win)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError("cli.field.bad_pair", value=pair)
        out[name.strip()] = value
    return out


def _convert(name: str, hint: Any, text: str) -> Any:
    origin = typing.get_origin(hint)
    enum = _enum_of(hint)
    try:
        if origin is list:
            values = [v.strip() for v in text.replace("，", ",").split(",") if v.strip()]
            return [enum(v) for v in values] if enum else values
        if enum is not None:
            return enum(text) if text else None
        if hint is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "yes", "no", "1", "0", "是", "否"):
                raise ValueError(text)
            return lowered in ("true", "yes", "1", "是")
        if hint is int:
            return int(text)
    except ValueError as exc:
        raise UsageError("cli.field.bad_value", field=name, value=text) from exc
    return text


def apply_fields(record: T, values: Mapping[str, str], path: str) -> T:
    """A copy of ``record`` with ``values`` set; refused if a name is unknown or the model
    finds a problem in a field being set."""
    cls = type(record)
    known = editable_fields(cls)
    changes: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, text in values.items():
        if name not in known:
            raise UsageError("cli.field.unknown", field=name, known=", ".join(known))
        if cls is model.EvidenceItem and name in model.EVIDENCE_FIELDS:
            extra[name] = text.strip()
        else:
            changes[name] = _convert(name, known[name], text.strip())
    updated = dataclasses.replace(record, **changes)  # type: ignore[type-var]
    if extra:
        assert isinstance(updated, model.EvidenceItem)
        updated.fields = {**updated.fields, **extra}
        updated.fields = {k: v for k, v in updated.fields.items() if v}
    validate = getattr(updated, "validate", None)
    problems = validate(path) if validate is not None else []
    for problem in problems:
        where = FieldPath.parse(problem.path)
        field = where.field.split(".")[-1] if where.field else where.section
        if field in values:
            raise ValidationError(problem.key, path=problem.path, **problem.params)
    return updated


# --- operations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    """What an edit changed: the record's path and its new state."""

    path: str
    record: dict[str, Any]


def _open(case_root: Path) -> CaseStore:
    """An edit is a writer: it takes the case lock (a second writer is refused, named)."""
    return CaseStore.open(case_root, lock_for="edit")


def find_exhibit(case: model.Case, ref: str) -> model.EvidenceItem:
    """``E003``, ``3`` or an exhibit id."""
    text = ref.strip().upper()
    for item in case.evidence:
        if item.id.upper() == text or item.label == text or str(item.number) == text:
            return item
    raise UsageError("cli.edit.no_exhibit", ref=ref)


def set_exhibit(case_root: Path, ref: str, values: Mapping[str, str]) -> Edited:
    with _open(case_root) as store:
        case = store.load()
        item = find_exhibit(case, ref)
        if "target_ids" in values:
            known = {t.id for t in case.targets}
            for tid in _convert("target_ids", list[str], values["target_ids"]):
                if tid not in known:
                    raise UsageError("cli.import.unknown_target", id=tid)
        updated = apply_fields(item, values, f"evidence.{item.id}")
        store.update_evidence(updated)
    return Edited(f"evidence.{item.id}", model.to_dict(updated))


def move_exhibit(case_root: Path, ref: str, number: int) -> Edited:
    """Give an exhibit another (free) number: the bundle and the packet order by number."""
    with _open(case_root) as store:
        item = find_exhibit(store.load(), ref)
        updated = dataclasses.replace(item, number=number)
        store.update_evidence(updated)
    return Edited(f"evidence.{item.id}", model.to_dict(updated))


def remove_exhibit(case_root: Path, ref: str) -> Edited:
    """Withdraw an exhibit; its original stays in the store (the log refers to it)."""
    with _open(case_root) as store:
        item = find_exhibit(store.load(), ref)
        store.remove_evidence(item.id)
    return Edited(f"evidence.{item.id}", model.to_dict(item))


def add_target(case_root: Path, values: Mapping[str, str]) -> Edited:
    with _open(case_root) as store:
        target = apply_fields(model.Target(), values, "targets.new")
        added = store.add_target(target)
    return Edited(f"targets.{added.id}", model.to_dict(added))


def set_target(case_root: Path, target_id: str, values: Mapping[str, str]) -> Edited:
    with _open(case_root) as store:
        target = store.load().target(target_id)
        if target is None:
            raise UsageError("cli.import.unknown_target", id=target_id)
        updated = apply_fields(target, values, f"targets.{target_id}")
        store.update_target(updated)
    return Edited(f"targets.{target_id}", model.to_dict(updated))


def remove_target(case_root: Path, target_id: str) -> Edited:
    with _open(case_root) as store:
        target = store.load().target(target_id)
        if target is None:
            raise UsageError("cli.import.unknown_target", id=target_id)
        store.remove_target(target_id)
    return Edited(f"targets.{target_id}", model.to_dict(target))


def set_section(case_root: Path, section: str, values: Mapping[str, str]) -> Edited:
    """``complainant``, ``filer`` or ``statement``."""
    with _open(case_root) as store:
        case = store.load()
        current = getattr(case, section)
        updated = apply_fields(current, values, section)
        if isinstance(updated, model.Complainant):
            store.set_complainant(updated)
        elif isinstance(updated, model.Filer):
            store.set_filer(updated)
        elif isinstance(updated, model.Statement):
            store.set_statement(updated)
        else:
            raise UsageError(
                "cli.field.unknown", field=section, known="complainant, filer, statement"
            )
    return Edited(section, model.to_dict(updated))


def add_follow_up(case_root: Path, values: Mapping[str, str]) -> Edited:
    import uuid

    from evidence_app.validators import is_valid_datetime

    follow_up = apply_fields(model.FollowUp(), values, "follow_ups.new")
    for name in ("date", "deadline"):
        value = getattr(follow_up, name)
        if value and not is_valid_datetime(value):
            raise ValidationError("validation.datetime", path=f"follow_ups.new.{name}")
    follow_up.id = follow_up.id or "F" + uuid.uuid4().hex[:8]
    follow_up.date = follow_up.date or _dt.date.today().isoformat()
    with _open(case_root) as store:
        store.set_follow_ups([*store.load().follow_ups, follow_up])
    return Edited(f"follow_ups.{follow_up.id}", model.to_dict(follow_up))


@dataclass(frozen=True)
class FollowUpDue:
    follow_up: model.FollowUp
    days_left: int | None  # None: no deadline


def follow_ups(case_root: Path, today: _dt.date, *, due_only: bool = False) -> list[FollowUpDue]:
    """The follow-up log with the days left to each deadline; ``due_only``: those with a
    deadline, soonest first (overdue ones lead)."""
    with CaseStore.open(case_root, clean_up=False) as store:  # a reader: no lock
        items = store.load().follow_ups
    out = []
    for item in items:
        days = None
        if item.deadline:
            try:
                days = (_dt.date.fromisoformat(item.deadline[:10]) - today).days
            except ValueError:
                days = None
        out.append(FollowUpDue(item, days))
    if due_only:
        out = sorted((d for d in out if d.days_left is not None), key=lambda d: d.days_left or 0)
    return out
