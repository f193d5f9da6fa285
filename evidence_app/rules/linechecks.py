"""The per-line tests of the engine: keyword phrases, source hosts, malformed fields,
duplicate reports, staleness and per-exhibit checks.

Each turns one requirement into the lines it yields; the ``_Checker`` in ``engine`` owns the
pools, the item factory and the order of a check, and mixes these in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from evidence_app.model import Case, EvidenceItem, Target
from evidence_app.rules import fields as fieldcheck
from evidence_app.rules import phrases, quality
from evidence_app.rules.combinators import Pool
from evidence_app.rules.compose import RuleSet
from evidence_app.rules.dates import earlier, moment, months_before
from evidence_app.rules.duplicates import PriorReport, earlier_reports
from evidence_app.rules.pack import Requirement
from evidence_app.rules.result import CheckItem, Labels


class LineChecks:
    """Mixed into the checker; the attributes and methods below are the checker's."""

    case: Case
    rules: RuleSet
    today: _dt.date
    labels: Labels
    target_extra: dict[str, list[CheckItem]]
    incomplete: dict[str, tuple[str, ...]]
    mismatches: dict[str, list[quality.HostMismatch]]
    prior_reports: list[PriorReport]

    def pool_for(self, req: Requirement, target: Target | None, category: str | None) -> Pool:
        raise NotImplementedError

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
        raise NotImplementedError

    def _keywords(self, req: Requirement) -> list[CheckItem]:
        test = req.keywords
        assert test is not None
        out: list[CheckItem] = []
        for g in test.groups:
            self.labels.keyword_groups[g.id] = g.name

        def lines(text: str, where: str, target: Target | None) -> list[CheckItem]:
            found = []
            for gid, matches in phrases.by_group(phrases.find(test, text)).items():
                params = {
                    "group": gid,
                    "where": where,
                    "keywords": [m.phrase for m in matches],
                    "snippets": list(dict.fromkeys(m.snippet for m in matches)),
                }
                if target is None:
                    fix = {"kind": "field", "path": "statement.facts"}
                else:
                    fix = {"kind": "field", "path": f"targets.{target.id}.excerpt"}
                    fix["target_id"] = target.id
                found.append(
                    self.item(
                        req,
                        False,
                        "rules.msg.keywords_found",
                        params,
                        target=target,
                        fix=fix,
                        variant=f"{where}:{gid}",
                    )
                )
            return found

        if "statement" in test.where:
            s = self.case.statement
            out += lines("\n".join((s.facts, s.reasons, s.demands)), "statement", None)
        if "excerpt" in test.where:
            for t in self.case.targets:
                self.target_extra.setdefault(t.id, []).extend(lines(t.excerpt, "excerpt", t))
        return out

    def _source_host(
        self, req: Requirement, target: Target | None, category: str | None
    ) -> list[CheckItem]:
        if target is None:
            return []
        out = []
        for mm in self.mismatches.get(target.id, []):
            params = {
                "exhibit": mm.evidence.number,
                "source_site": mm.source_site,
                "target_site": mm.target_site,
            }
            fix = {
                "kind": "field",
                "path": fieldcheck.evidence_fix_path(mm.evidence, "related_reason"),
                "evidence_id": mm.evidence.id,
                "field": "related_reason",
                "target_id": target.id,
            }
            out.append(
                self.item(
                    req,
                    False,
                    "rules.msg.source_host_mismatch",
                    params,
                    target=target,
                    category=category,
                    used=[mm.evidence],
                    fix=fix,
                    variant=mm.evidence.id,
                )
            )
        return out

    def _validation(self, req: Requirement) -> list[CheckItem]:
        required = {k: s.required_fields for k, s in self.rules.kinds.items()}
        out: list[CheckItem] = []
        for m in quality.malformed_fields(self.case, required):
            params = {"field": m.field, "value": m.value, "problem": m.problem}
            fix: dict[str, Any] = {"kind": "field", "path": m.fix_path}
            if m.target is not None:
                fix["target_id"] = m.target.id
            if m.evidence is not None:
                fix["evidence_id"] = m.evidence.id
            item = self.item(
                req,
                False,
                "rules.msg.field_malformed",
                params,
                target=m.target,
                evidence=m.evidence,
                used=[m.evidence] if m.evidence is not None else [],
                fix=fix,
                variant=m.fix_path,
            )
            if m.target is not None:
                self.target_extra.setdefault(m.target.id, []).append(item)
            else:
                out.append(item)
        return out

    def _duplicate(
        self, req: Requirement, target: Target | None, category: str | None
    ) -> list[CheckItem]:
        if target is None:
            return []
        earlier = earlier_reports(target, self.case.channel, self.prior_reports)
        if not earlier:
            return []
        first = earlier[0]
        params = {
            "date": first.date,
            "reference": first.reference or "—",
            "channel": first.channel or "—",
            "case_title": first.case_title,
            "count": len(earlier),
        }
        key = "rules.msg.duplicate_other_case" if first.case_title else "rules.msg.duplicate"
        fix = {"kind": "field", "path": "follow_ups", "target_id": target.id}
        return [self.item(req, False, key, params, target=target, category=category, fix=fix)]

    def _stale(
        self, req: Requirement, target: Target | None, category: str | None
    ) -> list[CheckItem]:
        test = req.stale
        assert test is not None
        pool = self.pool_for(req, target, category)
        reference = None
        if test.before:
            if target is None:
                return []
            reference = moment(target.published_at)
            if reference is None:
                return []  # nothing to compare with
        limit = months_before(self.today, test.max_age_months) if test.max_age_months else None
        out: list[CheckItem] = []
        checked = 0
        for kind in test.kinds:
            for e in pool.get(kind, ()):
                value = moment(e.fields.get(test.field, ""))
                if value is None:
                    continue  # a missing date is reported by the exhibit's field check
                checked += 1
                params: dict[str, Any] = {
                    "exhibit": e.number,
                    "kind": kind,
                    "field": test.field,
                    "value": e.fields[test.field],
                }
                if reference is not None:
                    if not earlier(value, reference):
                        continue
                    assert target is not None
                    params.update(reference_field="published_at", reference=target.published_at)
                    key = "rules.msg.stale_before"
                elif limit is not None:
                    if value[0].date() >= limit:
                        continue
                    params["months"] = test.max_age_months
                    key = "rules.msg.stale_age"
                fix = {
                    "kind": "evidence",
                    "evidence_kind": kind,
                    "target_id": target.id if target else None,
                    "replaces": e.id,
                }
                out.append(self._exhibit_problem(req, key, params, target, category, e, fix))
        if not out and req.severity == "required":
            out.append(
                self.item(
                    req,
                    True,
                    "rules.msg.stale_ok",
                    {"count": checked},
                    target=target,
                    category=category,
                )
            )
        return out

    def _exhibit_problem(
        self,
        req: Requirement,
        key: str,
        params: dict[str, Any],
        target: Target | None,
        category: str | None,
        e: EvidenceItem,
        fix: dict[str, Any],
    ) -> CheckItem:
        """A missing item about one exhibit (stale, incomplete, unredacted), naming it."""
        return self.item(
            req, False, key, params, target=target, category=category, evidence=e, used=[e], fix=fix
        )

    def _exhibits(
        self, req: Requirement, target: Target | None, category: str | None
    ) -> list[CheckItem]:
        test = req.exhibits
        assert test is not None
        pool = self.pool_for(req, target, category)
        kinds = test.kinds or tuple(pool)
        out: list[CheckItem] = []
        checked = 0
        for kind in kinds:
            for e in pool.get(kind, ()):
                if test.require == "fields":
                    if not self.rules.required_fields(kind):
                        continue
                    checked += 1
                    lacking = self.incomplete.get(e.id)
                    if not lacking:
                        continue
                    params = {"exhibit": e.number, "kind": kind, "fields": list(lacking)}
                    fix = {
                        "kind": "field",
                        "path": fieldcheck.evidence_fix_path(e, lacking[0]),
                        "evidence_id": e.id,
                        "field": lacking[0],
                    }
                    key = "rules.msg.exhibit_fields_missing"
                else:  # redactions
                    checked += 1
                    if e.redactions:
                        continue
                    params = {"exhibit": e.number, "kind": kind}
                    fix = {
                        "kind": "field",
                        "path": f"evidence.{e.id}.redactions",
                        "evidence_id": e.id,
                    }
                    key = "rules.msg.exhibit_needs_redaction"
                out.append(self._exhibit_problem(req, key, params, target, category, e, fix))
        if not out and req.severity == "required":
            ok_key = (
                "rules.msg.exhibits_fields_ok"
                if test.require == "fields"
                else "rules.msg.exhibits_redacted_ok"
            )
            out.append(
                self.item(req, True, ok_key, {"count": checked}, target=target, category=category)
            )
        return out
