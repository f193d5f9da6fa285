"""A rule pack once loaded: typed, immutable, already checked (see ``loader``).

The vocabulary is generic — evidence groups (``all_of`` / ``any_of`` over evidence kinds, with
minimum counts), field checks, conditions, keyword lists, staleness limits, per-exhibit checks —
so that the engine knows combinators and the packs know the categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# A text in both languages: {"zh": ..., "en": ...}.
Text = dict[str, str]

Severity = Literal["required", "advisory"]
Scope = Literal["case", "target", "category", "evidence"]
GroupMode = Literal["all_of", "any_of"]


@dataclass(frozen=True)
class KindLeaf:
    """At least ``min_count`` complete exhibits of ``kind`` in the pool."""

    kind: str
    min_count: int = 1


@dataclass(frozen=True)
class EvidenceGroup:
    mode: GroupMode
    members: tuple[KindLeaf | EvidenceGroup, ...]


@dataclass(frozen=True)
class FieldLeaf:
    """A case field (``complainant.uscc``, ``target.url`` ...) that must pass ``check``."""

    path: str
    check: str = "present"


@dataclass(frozen=True)
class FieldGroup:
    mode: GroupMode
    members: tuple[FieldLeaf | FieldGroup, ...]


@dataclass(frozen=True)
class Condition:
    """``op`` is all / any / not (over ``children``) or a test of ``path`` against ``value``."""

    op: str
    path: str = ""
    value: Any = None
    children: tuple[Condition, ...] = ()

    def paths(self) -> list[str]:
        if self.path:
            return [self.path]
        return [p for c in self.children for p in c.paths()]


@dataclass(frozen=True)
class KeywordGroup:
    id: str
    name: Text
    words: tuple[str, ...]


@dataclass(frozen=True)
class KeywordTest:
    groups: tuple[KeywordGroup, ...]
    where: tuple[str, ...]  # "statement", "excerpt"


@dataclass(frozen=True)
class StaleTest:
    kinds: tuple[str, ...]
    field: str
    before: str | None = None  # "target.published_at"
    max_age_months: int | None = None


@dataclass(frozen=True)
class ExhibitTest:
    kinds: tuple[str, ...]  # empty: every kind
    require: str  # "fields" (the kind's required fields) or "redactions"


@dataclass(frozen=True)
class Requirement:
    id: str
    pack: str
    name: Text
    clauses: tuple[str, ...]
    severity: Severity = "required"
    scope: Scope = "case"
    category: str | None = None  # None for a general requirement
    when: Condition | None = None
    advice: Text | None = None
    fix: dict[str, Any] | None = None
    disabled: bool = False
    evidence: EvidenceGroup | None = None
    fields: FieldGroup | None = None
    keywords: KeywordTest | None = None
    stale: StaleTest | None = None
    exhibits: ExhibitTest | None = None

    @property
    def is_note(self) -> bool:
        """An advisory with nothing to test: it fires whenever its condition holds."""
        return not (self.evidence or self.fields or self.keywords or self.stale or self.exhibits)


@dataclass(frozen=True)
class KindSpec:
    id: str
    name: Text | None
    required_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySpec:
    id: str
    name: Text | None
    clauses: tuple[str, ...]
    explicit: bool | None
    note: Text | None
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class RulePack:
    """One pack file. ``version`` and ``id`` go into every packet's manifest."""

    id: str
    version: str
    title: Text
    source: dict[str, Any]
    clause_numbering: dict[str, str]
    effective_date: str
    file: str
    compose_after: tuple[str, ...] = ()
    evidence_kinds: dict[str, KindSpec] = field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()
    categories: dict[str, CategorySpec] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": dict(self.title),
            "source": self.source,
            "clause_numbering": dict(self.clause_numbering),
            "effective_date": self.effective_date,
        }
