"""The rules engine: a case against composed rule packs, as a list of check items.

It knows combinators, not categories. Evidence counts for a target only when linked to it
(``EvidenceItem.target_ids``); case-scope requirements count evidence from the whole case;
category-scope requirements count evidence linked to any target of that category (a troll
campaign's accounts). An exhibit counts only when its kind's required fields are filled, so a
bare screenshot without source URL or capture time does not satisfy anything — the missing
item names the exhibit and the field instead.

Order of the items: the case (required, then advisories), each target in case order (general
requirements, then each of its categories), then exhibit-level findings.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from evidence_app.model import Case, EvidenceItem, Target
from evidence_app.rules import acknowledge, quality
from evidence_app.rules import fields as fieldcheck
from evidence_app.rules.combinators import (
    EvidenceOutcome,
    Pool,
    eval_evidence,
    eval_fields,
    first_leaf,
    unique,
)
from evidence_app.rules.compose import MergedCategory, RuleSet, compose
from evidence_app.rules.conditions import Context, evaluate, note_params
from evidence_app.rules.duplicates import PriorReport, reports_of
from evidence_app.rules.linechecks import LineChecks
from evidence_app.rules.pack import Requirement, RulePack
from evidence_app.rules.result import CategoryInfo, CheckItem, CheckResult, Labels

_EMPTY: Pool = {}
_NO_RULES = MergedCategory("")


def check_case(
    case: Case,
    packs: list[RulePack] | None = None,
    *,
    today: _dt.date | None = None,
    prior_reports: Sequence[PriorReport] = (),
) -> CheckResult:
    """Check ``case`` against ``packs`` (default: every pack under resources/rules/).

    ``prior_reports``: items submitted from other cases in the same folder (the caller reads
    them, e.g. with ``store.sibling_reports``); this case's own follow-up log is read here.
    """
    if packs is None:
        from evidence_app.rules.loader import load_packs

        packs = load_packs()
    rules = compose(packs)
    checker = _Checker(case, rules, today or _dt.date.today())
    checker.prior_reports = [*reports_of(case), *prior_reports]
    items = checker.run()
    acknowledge.apply(case, items)
    return CheckResult(
        items=items,
        pack_versions={p.id: p.version for p in rules.packs},
        packs=[p.metadata() for p in rules.packs],
        categories=checker.category_info(),
        checked_on=checker.today,
    )


def _invalid_paths(specs: Sequence[dict[str, Any]], target_id: str | None) -> set[str]:
    out: set[str] = set()
    for spec in specs:
        if spec.get("state") == "invalid":
            path = str(spec["path"])
            if path.startswith("target.") and target_id:
                path = f"targets.{target_id}.{path[len('target.') :]}"
            out.add(path)
        for nested in ("any_of", "all_of"):
            out |= _invalid_paths(spec.get(nested, []), target_id)
    return out


def _one_line_per_field(items: list[CheckItem]) -> list[CheckItem]:
    """One line per malformed field: a requirement's gap that names it wins over the
    malformed-field line, and the malformed-field gap wins over an advisory that names it
    (a bad USCC is one gap, not two)."""
    malformed_key = "rules.msg.field_malformed"
    reported: set[str] = set()
    for it in items:
        if it.is_gap and "problems" in it.params:
            reported |= _invalid_paths(it.params["problems"], it.target_id)
    kept = [
        it
        for it in items
        if not (it.message_key == malformed_key and it.fix and it.fix["path"] in reported)
    ]
    malformed = {it.fix["path"] for it in kept if it.message_key == malformed_key and it.fix}

    def redundant(it: CheckItem) -> bool:
        if it.status != "advisory" or "problems" not in it.params:
            return False
        paths = _invalid_paths(it.params["problems"], it.target_id)
        return bool(paths) and paths <= malformed

    return [it for it in kept if not redundant(it)]


# --- the checker -----------------------------------------------------------------------------


class _Checker(LineChecks):
    def __init__(self, case: Case, rules: RuleSet, today: _dt.date) -> None:
        self.case = case
        self.rules = rules
        self.today = today
        self.labels = Labels(
            kinds={k: s.name for k, s in rules.kinds.items() if s.name},
            categories={c: m.name for c, m in rules.categories.items() if m.name},
        )
        self.case_categories = frozenset(c.value for t in case.targets for c in t.categories)
        self.case_pool: Pool = {}
        self.target_pools: dict[str, Pool] = {}
        self.incomplete: dict[str, tuple[str, ...]] = {}
        for e in case.evidence:
            kind = e.kind.value
            self.case_pool.setdefault(kind, []).append(e)
            required = rules.required_fields(kind)
            if required:
                lacking = tuple(f for f in required if not fieldcheck.evidence_field_ok(e, f))
                if lacking:
                    self.incomplete[e.id] = lacking
            for tid in e.target_ids:
                self.target_pools.setdefault(tid, {}).setdefault(kind, []).append(e)
        self._category_pools: dict[str, Pool] = {}
        self._category_cache: dict[tuple[str, str], EvidenceOutcome] = {}
        self.target_extra: dict[str, list[CheckItem]] = {}
        self._target_general = [r for r in rules.general if r.scope in ("target", "category")]
        self.prior_reports: list[PriorReport] = []
        # An exhibit that must come from its target's host and does not is taken out of that
        # target's pool: a capture of the company's own site is no capture of the fake one.
        self.mismatches: dict[str, list[quality.HostMismatch]] = {}
        host_kinds = {k for r in rules.general if r.source_host for k in r.source_host.kinds}
        for mm in quality.host_mismatches(case, tuple(sorted(host_kinds))):
            self.mismatches.setdefault(mm.target.id, []).append(mm)
            pool = self.target_pools.get(mm.target.id, {})
            kept = [e for e in pool.get(mm.evidence.kind.value, []) if e.id != mm.evidence.id]
            pool[mm.evidence.kind.value] = kept
        # A required exhibit-field check reports each incomplete exhibit once; requirements
        # the exhibit would meet then say so instead of repeating the gap.
        self.fields_reported = any(
            r.exhibits is not None and r.exhibits.require == "fields" and r.severity == "required"
            for r in rules.general
        )

    # -- pools ---------------------------------------------------------------------------------

    def category_pool(self, category: str) -> Pool:
        pool = self._category_pools.get(category)
        if pool is None:
            seen: dict[str, EvidenceItem] = {}
            for t in self.case.targets:
                if category in t.categories:
                    for items in self.target_pools.get(t.id, _EMPTY).values():
                        for e in items:
                            seen.setdefault(e.id, e)
            pool = {}
            for e in seen.values():
                pool.setdefault(e.kind.value, []).append(e)
            self._category_pools[category] = pool
        return pool

    def pool_for(self, req: Requirement, target: Target | None, category: str | None) -> Pool:
        if req.scope == "target" and target is not None:
            return self.target_pools.get(target.id, _EMPTY)
        if req.scope == "category" and category is not None:
            return self.category_pool(category)
        return self.case_pool

    # -- items ---------------------------------------------------------------------------------

    def item(
        self,
        req: Requirement,
        ok: bool,
        key: str,
        params: dict[str, Any],
        *,
        target: Target | None = None,
        category: str | None = None,
        categories: tuple[str, ...] = (),
        used: Sequence[EvidenceItem] = (),
        evidence: EvidenceItem | None = None,
        fix: dict[str, Any] | None = None,
        variant: str = "",
    ) -> CheckItem:
        if ok:
            status = "satisfied"
        else:
            status = "missing" if req.severity == "required" else "advisory"
        if target is not None:
            scope = "target"
        elif evidence is not None:
            scope = "evidence"
        else:
            scope = "case"
        if len(used) > 1:
            used = unique(used)
        return CheckItem(
            pack=req.pack,
            requirement=req.id,
            status=status,  # type: ignore[arg-type]
            severity=req.severity,
            scope=scope,
            clauses=req.clauses,
            name=req.name,
            message_key=key,
            params=params,
            target_id=target.id if target else None,
            category=category,
            categories=categories,
            evidence_id=evidence.id if evidence else None,
            evidence_ids=tuple(e.id for e in used),
            exhibits=tuple(e.number for e in used),
            fix=None if ok else fix,
            advice=req.advice,
            labels=self.labels,
            basis=req.basis,
            quote=req.quote,
            variant=variant,
            acknowledgeable=req.severity == "advisory" or req.acknowledgeable,
        )

    # -- evaluating one requirement ------------------------------------------------------------

    def evaluate(
        self,
        req: Requirement,
        ctx: Context,
        category: str | None = None,
        categories: tuple[str, ...] = (),
    ) -> list[CheckItem]:
        """The items for ``req`` in this context (none when it does not apply or, for an
        advisory, when there is nothing to advise)."""
        if req.when is not None and not evaluate(req.when, ctx):
            return []
        target = ctx.target
        if req.evidence is not None:
            return self._evidence(req, target, category, categories)
        if req.fields is not None:
            ok, problems = eval_fields(req.fields, self.case, target)
            if ok and req.severity == "advisory":
                return []
            path = first_leaf(problems, "path")
            fix = {"kind": "field", "path": fieldcheck.fix_path(path, target)} if path else None
            if fix and target is not None:
                fix["target_id"] = target.id
            key = "rules.msg.fields_ok" if ok else "rules.msg.fields_missing"
            return [
                self.item(
                    req,
                    ok,
                    key,
                    {"problems": problems} if problems else {},
                    fix=fix,
                    target=target,
                    category=category,
                    categories=categories,
                )
            ]  # type: ignore[arg-type]
        if req.keywords is not None:
            return self._keywords(req)
        if req.source_host is not None:
            return self._source_host(req, target, category)
        if req.validation:
            return self._validation(req)
        if req.duplicate:
            return self._duplicate(req, target, category)
        if req.stale is not None:
            return self._stale(req, target, category)
        if req.exhibits is not None:
            return self._exhibits(req, target, category)
        # A note: fires whenever its condition holds.
        fix = dict(req.fix) if req.fix else None
        if fix and target is not None:
            if "path" in fix:
                fix["path"] = fieldcheck.fix_path(fix["path"], target)
            fix["target_id"] = target.id
        return [
            self.item(
                req,
                False,
                "rules.msg.note",
                note_params(req.when, ctx),
                fix=fix,
                target=target,
                category=category,
                categories=categories,
            )
        ]  # type: ignore[arg-type]

    def _evidence(
        self,
        req: Requirement,
        target: Target | None,
        category: str | None,
        categories: tuple[str, ...],
    ) -> list[CheckItem]:
        assert req.evidence is not None
        if req.scope == "category" and category is not None:
            cache_key = (req.id, category)
            outcome = self._category_cache.get(cache_key)
            if outcome is None:
                outcome = eval_evidence(req.evidence, self.category_pool(category), self.incomplete)
                self._category_cache[cache_key] = outcome
        else:
            outcome = eval_evidence(
                req.evidence, self.pool_for(req, target, category), self.incomplete
            )
        if outcome.ok and req.severity == "advisory":
            return []
        params: dict[str, Any] = {}
        fix: dict[str, Any] | None = None
        key = "rules.msg.evidence_ok"
        if not outcome.ok and outcome.incomplete and self.fields_reported:
            # Met by exhibits whose missing details are already a line of their own: say
            # so here rather than count one empty field as two or three gaps.
            pool = self.pool_for(req, target, category)
            if req.scope == "category" and category is not None:
                pool = self.category_pool(category)
            lenient = eval_evidence(req.evidence, pool, {})
            if lenient.ok:
                bad = unique(outcome.incomplete)
                return [
                    self.item(
                        req,
                        True,
                        "rules.msg.evidence_ok_pending",
                        {"pending": [e.number for e in bad]},
                        target=target,
                        category=category,
                        categories=categories,
                        used=lenient.used,
                    )
                ]
        if not outcome.ok:
            key = "rules.msg.evidence_missing"
            params["missing"] = outcome.missing
            bad = unique(outcome.incomplete)
            if bad:
                key = "rules.msg.evidence_missing_incomplete"
                params["incomplete"] = [
                    {
                        "evidence_id": e.id,
                        "exhibit": e.number,
                        "kind": e.kind.value,
                        "fields": list(self.incomplete[e.id]),
                    }
                    for e in bad
                ]
                first = bad[0]
                fix = {
                    "kind": "field",
                    "path": fieldcheck.evidence_fix_path(first, self.incomplete[first.id][0]),
                    "evidence_id": first.id,
                    "field": self.incomplete[first.id][0],
                }
            else:
                fix = {
                    "kind": "evidence",
                    "evidence_kind": first_leaf(outcome.missing, "kind"),
                    "target_id": target.id if target is not None and req.scope != "case" else None,
                }
                if category:
                    fix["category"] = category
        return [
            self.item(
                req,
                outcome.ok,
                key,
                params,
                target=target,
                category=category,
                categories=categories,
                used=outcome.used,
                fix=fix,
            )
        ]

    # -- the whole case ------------------------------------------------------------------------

    def run(self) -> list[CheckItem]:
        case_ctx = Context(self.case, self.case_categories)
        case_required: list[CheckItem] = []
        case_advisory: list[CheckItem] = []
        exhibit_items: list[CheckItem] = []

        def add(
            items: list[CheckItem], required: list[CheckItem], advisory: list[CheckItem]
        ) -> None:
            for it in items:
                if it.scope == "evidence":
                    exhibit_items.append(it)
                elif it.severity == "required":
                    required.append(it)
                else:
                    advisory.append(it)

        for req in self.rules.general:
            if req.scope in ("case", "evidence"):
                add(self.evaluate(req, case_ctx), case_required, case_advisory)
        # Case-scope requirements of categories: once per case, naming the categories.
        present = [c for c in self._categories_in_order() if c in self.rules.categories]
        done: set[str] = set()
        for cid in present:
            for req in self.rules.categories[cid].requirements:
                if req.scope != "case" or req.id in done:
                    continue
                done.add(req.id)
                cats = tuple(
                    c
                    for c in present
                    if any(r.id == req.id for r in self.rules.categories[c].requirements)
                )
                add(self.evaluate(req, case_ctx, categories=cats), case_required, case_advisory)

        items = case_required + case_advisory
        for target in self.case.targets:
            items.extend(self._target(target))
        return _one_line_per_field(items + exhibit_items)

    def _categories_in_order(self) -> list[str]:
        return list(dict.fromkeys(c.value for t in self.case.targets for c in t.categories))

    def _target(self, target: Target) -> list[CheckItem]:
        ctx = Context(self.case, self.case_categories, target)
        general = self._target_general
        sections: list[tuple[str | None, list[Requirement]]] = [(None, general)]
        for cat in dict.fromkeys(c.value for c in target.categories):
            spec = self.rules.categories.get(cat)
            reqs = [r for r in spec.requirements if r.scope != "case"] if spec else []
            sections.append((cat, reqs))
        required: list[list[CheckItem]] = []
        for section, reqs in sections:
            found: list[CheckItem] = []
            for req in reqs:
                if req.severity == "required":
                    found.extend(self.evaluate(req, ctx, section))
            required.append(found)
        ctx.pending = any(it.is_gap for found in required for it in found)
        out: list[CheckItem] = []
        for (where, reqs), found in zip(sections, required, strict=True):
            out.extend(found)
            if where is None:
                out.extend(self.target_extra.get(target.id, ()))
            elif not self.rules.categories.get(where, _NO_RULES).requirements:
                out.append(self._uncovered(target, where))
            for req in reqs:
                if req.severity == "advisory":
                    out.extend(self.evaluate(req, ctx, where))
        return out

    def _uncovered(self, target: Target, category: str) -> CheckItem:
        req = Requirement(
            id="engine.category_uncovered",
            pack="engine",
            name={"zh": "类别规则", "en": "Category rules"},
            clauses=(),
            severity="advisory",
        )
        return self.item(
            req,
            False,
            "rules.msg.category_uncovered",
            {"category": category},
            target=target,
            category=category,
        )

    def category_info(self) -> dict[str, CategoryInfo]:
        return {
            cid: CategoryInfo(m.id, m.name, tuple(m.clauses), m.explicit, m.note)
            for cid, m in self.rules.categories.items()
        }
