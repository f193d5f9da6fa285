"""The combinators: ``all_of`` / ``any_of`` groups over evidence kinds and over case fields.

Both return what is missing as nested, language-neutral specs (``{"kind": ..., "min_count":
..., "count": ...}``, ``{"path": ..., "check": ..., "state": ...}``, ``{"any_of": [...]}``,
``{"all_of": [...]}``) that ``describe`` words and the UI can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence_app.model import Case, EvidenceItem, Target
from evidence_app.rules import fields as fieldcheck
from evidence_app.rules.pack import EvidenceGroup, FieldGroup, KindLeaf

Pool = dict[str, list[EvidenceItem]]


@dataclass
class EvidenceOutcome:
    ok: bool
    used: list[EvidenceItem] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[EvidenceItem] = field(default_factory=list)


def eval_evidence(
    group: EvidenceGroup | KindLeaf, pool: Pool, incomplete: dict[str, tuple[str, ...]]
) -> EvidenceOutcome:
    if isinstance(group, KindLeaf):
        candidates = pool.get(group.kind, ())
        unassigned: list[EvidenceItem] = []
        if group.holder is not None:
            # Counted per person: a document that does not say whose it is counts for nobody,
            # and the line asks the user to say whose it is.
            unassigned = [e for e in candidates if e.holder is None]
            candidates = [
                e for e in candidates if e.holder is not None and e.holder == group.holder
            ]
        complete = [e for e in candidates if e.id not in incomplete]
        if len(complete) >= group.min_count:
            return EvidenceOutcome(True, complete)
        spec: dict[str, Any] = {"kind": group.kind, "min_count": group.min_count}
        spec["count"] = len(complete)
        if group.holder is not None:
            spec["holder"] = group.holder
            if unassigned:
                spec["unassigned"] = [e.number for e in unassigned]
        return EvidenceOutcome(
            False, complete, [spec], [e for e in candidates if e.id in incomplete]
        )
    outcomes = [eval_evidence(m, pool, incomplete) for m in group.members]
    if group.mode == "all_of":
        ok = all(o.ok for o in outcomes)
        return EvidenceOutcome(
            ok,
            [e for o in outcomes for e in o.used],
            [s for o in outcomes for s in o.missing],
            [e for o in outcomes for e in o.incomplete],
        )
    good = [o for o in outcomes if o.ok]
    if good:
        return EvidenceOutcome(True, [e for o in good for e in o.used])
    options = [o.missing[0] if len(o.missing) == 1 else {"all_of": o.missing} for o in outcomes]
    return EvidenceOutcome(
        False,
        [e for o in outcomes for e in o.used],
        [{"any_of": options}] if len(options) > 1 else options,
        [e for o in outcomes for e in o.incomplete],
    )


def eval_fields(
    group: FieldGroup, case: Case, target: Target | None
) -> tuple[bool, list[dict[str, Any]]]:
    results: list[tuple[bool, list[dict[str, Any]]]] = []
    for member in group.members:
        if isinstance(member, FieldGroup):
            results.append(eval_fields(member, case, target))
        else:
            state = fieldcheck.state(member.path, member.check, case, target, member.optional)
            problem = {"path": member.path, "check": member.check, "state": state}
            results.append((state == "ok", [] if state == "ok" else [problem]))
    if group.mode == "all_of":
        return all(ok for ok, _ in results), [p for _, ps in results for p in ps]
    if any(ok for ok, _ in results):
        return True, []
    options = [ps[0] if len(ps) == 1 else {"all_of": ps} for _, ps in results]
    return False, [{"any_of": options}]


def first_leaf(specs: Sequence[dict[str, Any]], key: str) -> str | None:
    for spec in specs:
        if key in spec:
            return str(spec[key])
        for nested in ("any_of", "all_of"):
            if nested in spec:
                found = first_leaf(spec[nested], key)
                if found:
                    return found
    return None


def unique(items: Iterable[EvidenceItem]) -> list[EvidenceItem]:
    return list({e.id: e for e in items}.values())
