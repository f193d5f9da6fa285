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
# "text": the cited clause states the requirement; "policy": the app's own advice in the
# clause's service (a threshold, a habit of good practice). Policy is always advisory.
Basis = Literal["text", "policy"]
Scope = Literal["case", "target", "category", "evidence"]
GroupMode = Literal["all_of", "any_of"]


@dataclass(frozen=True)
class KindLeaf:
    """At least ``min_count`` complete exhibits of ``kind`` in the pool."""

    kind: str
    min_count: int = 1
    holder: str | None = None  # only exhibits that say they are this person's document


@dataclass(frozen=True)
class EvidenceGroup:
    mode: GroupMode
    members: tuple[KindLeaf | EvidenceGroup, ...]


@dataclass(frozen=True)
class FieldLeaf:
    """A case field (``complainant.uscc``, ``target.url`` ...) that must pass ``check``."""

    path: str
    check: str = "present"
    optional: bool = False  # empty passes; a filled value must pass ``check``


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
    words: tuple[str, ...]  # phrases, not single words: 拖欠工资, 劳动仲裁 ...
    exclude: tuple[str, ...] = ()  # longer phrases that contain a word but mean else


@dataclass(frozen=True)
class KeywordTest:
    groups: tuple[KeywordGroup, ...]
    where: tuple[str, ...]  # "statement", "excerpt"
    # Words that, in the same clause, make a match a denial or a report of someone else's
    # claim (从未拖欠工资, 谣传……) rather than a dispute: before or after the phrase.
    negations_before: tuple[str, ...] = ()
    negations_after: tuple[str, ...] = ()


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
class SourceHostTest:
    """Exhibits of ``kinds`` linked to a target must come from the target's host."""

    kinds: tuple[str, ...]


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
    quote: str = ""  # the cited clause's own words, short ("……" between fragments)
    basis: Basis = "text"
    source_host: SourceHostTest | None = None
    validation: bool = False  # every malformed field of the case (dates, IDs, URLs)
    duplicate: bool = False  # the target was already reported on this channel
    acknowledgeable: bool = False  # a required line a reasoned acknowledgement may close

    @property
    def is_note(self) -> bool:
        """An advisory with nothing to test: it fires whenever its condition holds."""
        return not (
            self.evidence
            or self.fields
            or self.keywords
            or self.stale
            or self.exhibits
            or self.source_host
            or self.validation
            or self.duplicate
        )


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
