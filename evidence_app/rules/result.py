"""What a check returns: structured, language-neutral items the CLI and the UI word.

The JSON form (``CheckResult.to_json_dict``) is documented in docs/check-json.md; keep the
two in step (a test validates the output against the schema in that document).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Literal

from evidence_app.rules.pack import Text

Status = Literal["satisfied", "missing", "advisory"]
JSON_FORMAT = 1


@dataclass
class Labels:
    """Display names the packs define, shared by every item of one result."""

    kinds: dict[str, Text] = field(default_factory=dict)
    categories: dict[str, Text] = field(default_factory=dict)
    keyword_groups: dict[str, Text] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class CheckItem:
    """One requirement, as it stands for one scope.

    ``scope`` is ``case`` (whole case), ``target`` (``target_id`` set, and ``category`` when
    it comes from a category) or ``evidence`` (one exhibit: ``evidence_id``). ``evidence_ids``
    and ``exhibits`` name what satisfied it (or, for exhibit checks, the exhibit concerned).
    ``message_key`` + ``params`` say what is wrong; :func:`evidence_app.rules.describe` words
    them. ``fix`` tells the UI where to go: ``{"kind": "evidence", "evidence_kind": ...,
    "target_id": ...}`` or ``{"kind": "field", "path": "complainant.uscc"}``.
    """

    pack: str
    requirement: str
    status: Status
    severity: str
    scope: str
    clauses: tuple[str, ...]
    name: Text
    message_key: str
    params: dict[str, Any]
    target_id: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    evidence_id: str | None = None
    evidence_ids: tuple[str, ...] = ()
    exhibits: tuple[int, ...] = ()
    fix: dict[str, Any] | None = None
    advice: Text | None = None
    labels: Labels = field(default_factory=Labels, repr=False)
    basis: str = "text"  # "policy": the app's own advice (本软件建议), never the regulator's
    quote: str = ""  # the cited clause's words
    variant: str = ""  # tells apart several lines of one requirement in one place
    acknowledgeable: bool = False  # an advisory (or a guard) a reasoned acknowledgement closes
    acknowledged: dict[str, str] | None = None  # {"reason", "at", "by"} once acknowledged

    @property
    def clause(self) -> str:
        return "；".join(self.clauses)

    @property
    def is_gap(self) -> bool:
        return self.severity == "required" and self.status == "missing" and not self.acknowledged

    @property
    def is_open_advisory(self) -> bool:
        return self.status == "advisory" and not self.acknowledged

    @property
    def key(self) -> str:
        """Stable identity of this line across checks (UI selection, acknowledgements)."""
        where = self.evidence_id or self.target_id or "case"
        key = f"{self.pack}/{self.requirement}@{where}/{self.category or '-'}"
        return f"{key}#{self.variant}" if self.variant else key

    def to_json_dict(self, lang: str | None = None) -> dict[str, Any]:
        from evidence_app.rules.describe import describe, pick

        return {
            "key": self.key,
            "pack": self.pack,
            "requirement": self.requirement,
            "status": self.status,
            "severity": self.severity,
            "scope": self.scope,
            "target_id": self.target_id,
            "category": self.category,
            "categories": list(self.categories),
            "evidence_id": self.evidence_id,
            "clause": self.clause,
            "clauses": list(self.clauses),
            "evidence_ids": list(self.evidence_ids),
            "exhibits": list(self.exhibits),
            "message_key": self.message_key,
            "params": self.params,
            "name": pick(self.name, lang),
            "message": describe(self, lang),
            "advice": pick(self.advice, lang) if self.advice else None,
            "fix": self.fix,
            "basis": self.basis,
            "quote": self.quote,
            "acknowledgeable": self.acknowledgeable,
            "acknowledged": dict(self.acknowledged) if self.acknowledged else None,
        }


@dataclass
class CategoryInfo:
    id: str
    name: Text | None
    clauses: tuple[str, ...]
    explicit: bool
    note: Text | None


@dataclass
class CheckResult:
    items: list[CheckItem]
    pack_versions: dict[str, str]
    packs: list[dict[str, Any]]
    categories: dict[str, CategoryInfo]
    checked_on: _dt.date

    @property
    def ready(self) -> bool:
        """No required item is missing."""
        return not any(i.is_gap for i in self.items)

    def gaps(self) -> list[CheckItem]:
        return [i for i in self.items if i.is_gap]

    def for_target(self, target_id: str) -> list[CheckItem]:
        return [i for i in self.items if i.target_id == target_id]

    def summary(self) -> dict[str, int]:
        """Counts by status; ``advisory`` and ``missing`` count only open lines, and
        ``acknowledged`` those the user answered with a reason."""
        out = {"satisfied": 0, "missing": 0, "advisory": 0, "acknowledged": 0}
        for item in self.items:
            if item.acknowledged:
                out["acknowledged"] += 1
            else:
                out[item.status] += 1
        return out

    def item(self, key: str) -> CheckItem | None:
        return next((i for i in self.items if i.key == key), None)

    def to_json_dict(self, lang: str | None = None) -> dict[str, Any]:
        from evidence_app.i18n import current_language, normalise_language
        from evidence_app.rules.describe import category_name, pick

        language = normalise_language(lang or current_language())
        return {
            "format": JSON_FORMAT,
            "ready": self.ready,
            "checked_on": self.checked_on.isoformat(),
            "language": language,
            "packs": self.packs,
            "pack_versions": dict(self.pack_versions),
            "summary": {**self.summary(), "gaps": len(self.gaps())},
            "categories": {
                cid: {
                    "name": category_name(cid, info.name, language),
                    "clauses": list(info.clauses),
                    "explicit": info.explicit,
                    "note": pick(info.note, language) if info.note else None,
                }
                for cid, info in self.categories.items()
            },
            "items": [i.to_json_dict(language) for i in self.items],
        }
