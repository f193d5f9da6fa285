"""Several packs as one rule set.

Packs apply in order (``loader.order_packs``). Requirements are keyed by id across packs: a
later pack that uses an earlier id redefines that requirement (a channel pack tightening a
rule, or ``disabled: true`` switching it off) and the citations of both are kept, so a rule
found in two documents cites both. Categories merge: clauses accumulate, requirements append.
Evidence kinds merge: a later name wins, required fields accumulate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from evidence_app.rules.pack import KindSpec, Requirement, RulePack, Text


@dataclass
class MergedCategory:
    id: str
    name: Text | None = None
    clauses: list[str] = field(default_factory=list)
    explicit: bool = False
    note: Text | None = None
    requirements: list[Requirement] = field(default_factory=list)


@dataclass
class RuleSet:
    packs: list[RulePack]
    kinds: dict[str, KindSpec]
    general: list[Requirement]
    categories: dict[str, MergedCategory]

    def required_fields(self, kind: str) -> tuple[str, ...]:
        spec = self.kinds.get(kind)
        return spec.required_fields if spec else ()


def _union(a: tuple[str, ...] | list[str], b: tuple[str, ...] | list[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def compose(packs: list[RulePack]) -> RuleSet:
    from evidence_app.rules.loader import order_packs

    ordered = order_packs(list(packs))
    kinds: dict[str, KindSpec] = {}
    # Each location (None: general; else a category id) keeps its requirements in order.
    locations: dict[str | None, dict[str, Requirement]] = {None: {}}
    where: dict[str, str | None] = {}
    categories: dict[str, MergedCategory] = {}

    def place(req: Requirement, location: str | None) -> None:
        previous_location = where.get(req.id, location)
        previous = locations.get(previous_location, {}).get(req.id)
        if previous is not None:
            req = dataclasses.replace(req, clauses=tuple(_union(previous.clauses, req.clauses)))
            if previous_location != location:
                del locations[previous_location][req.id]
        locations.setdefault(location, {})[req.id] = req
        where[req.id] = location

    for pack in ordered:
        for kid, spec in pack.evidence_kinds.items():
            old = kinds.get(kid)
            kinds[kid] = KindSpec(
                kid,
                spec.name or (old.name if old else None),
                tuple(_union(old.required_fields if old else (), spec.required_fields)),
            )
        for req in pack.requirements:
            place(req, None)
        for cid, cat in pack.categories.items():
            merged = categories.setdefault(cid, MergedCategory(cid))
            merged.name = cat.name or merged.name
            merged.clauses = _union(merged.clauses, cat.clauses)
            if cat.explicit is not None:
                merged.explicit = cat.explicit
            merged.note = cat.note or merged.note
            for req in cat.requirements:
                place(req, cid)
    for cid, merged in categories.items():
        merged.requirements = [r for r in locations.get(cid, {}).values() if not r.disabled]
    general = [r for r in locations[None].values() if not r.disabled]
    return RuleSet(ordered, kinds, general, categories)
