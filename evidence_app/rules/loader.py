"""Reading rule packs: JSON, then the JSON Schema, then cross-references.

A pack that fails any step raises :class:`RulePackError` naming the file, the entry (a JSON
path like ``$.categories.rumour.requirements[1]``) and the problem. Loaded packs are cached
by (path, modification time, size), so checking a case again costs no re-validation.
"""

from __future__ import annotations

import json
import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema
from jsonschema.exceptions import best_match

from evidence_app.model import DATE_FIELDS, EVIDENCE_FIELDS, Category, EvidenceKind
from evidence_app.resources import resource_path
from evidence_app.rules import conditions, fields
from evidence_app.rules.errors import RulePackError, UnknownPackError
from evidence_app.rules.pack import (
    CategorySpec,
    Condition,
    EvidenceGroup,
    ExhibitTest,
    FieldGroup,
    FieldLeaf,
    GroupMode,
    KeywordGroup,
    KeywordTest,
    KindLeaf,
    KindSpec,
    Requirement,
    RulePack,
    SourceHostTest,
    StaleTest,
)

_NUMERAL = "[一二三四五六七八九十百]+"
CLAUSE_PATTERNS = {
    # (一) ... (二十五): the 2023 guidance numbers its paragraphs so, with ASCII brackets.
    "chinese_parenthesised": re.compile(
        r"^\((?:[一二三四五六七八九十]|十[一二三四五六七八九]|[二三四五六七八九]十[一二三四五六七八九]?)\)$"
    ),
    # 规范第五条, 规范第五条（三）: an article, optionally an item, full-width brackets.
    "article_item": re.compile(rf"^\S*第{_NUMERAL}条(?:（{_NUMERAL}）)?$"),
}
_KINDS = frozenset(k.value for k in EvidenceKind)
_CATEGORIES = frozenset(c.value for c in Category)

_lock = threading.Lock()
_cache: dict[tuple[str, int, int], RulePack] = {}


@cache
def _validator() -> jsonschema.protocols.Validator:
    with open(resource_path("schemas", "rulepack.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def rules_dir() -> Path:
    return resource_path("rules")


# --- public entry points ---------------------------------------------------------------------


def load_pack_file(path: str | os.PathLike[str]) -> RulePack:
    """Load and check one pack file (cached while the file is unchanged)."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    pack = _Compiler(str(p)).compile(_read_json(p))
    with _lock:
        _cache[key] = pack
    return pack


def load_packs(ids: list[str] | None = None) -> list[RulePack]:
    """The packs under resources/rules/ (all, or those named, in composition order)."""
    found: dict[str, RulePack] = {}
    for file in sorted(rules_dir().glob("*.json")):
        pack = load_pack_file(file)
        if pack.id in found:
            raise RulePackError(
                str(file), "$.pack.id", "rules.pack.problem.duplicate_pack", id=pack.id
            )
        found[pack.id] = pack
    if ids is None:
        chosen = list(found.values())
    else:
        missing = [i for i in ids if i not in found]
        if missing:
            raise UnknownPackError(missing[0], sorted(found))
        chosen = [found[i] for i in dict.fromkeys(ids)]
    return order_packs(chosen)


def order_packs(packs: list[RulePack]) -> list[RulePack]:
    """Stable order in which each pack comes after the packs it names in ``compose_after``."""
    remaining = list(packs)
    ordered: list[RulePack] = []
    while remaining:
        present = {p.id for p in remaining}
        # The first pack none of whose predecessors is still waiting; on a cycle, keep the
        # given order rather than fail a check.
        ready = next((p for p in remaining if not set(p.compose_after) & present), remaining[0])
        ordered.append(ready)
        remaining.remove(ready)
    return ordered


# --- reading ---------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RulePackError(str(path), "$", "rules.pack.problem.not_utf8", detail=str(exc)) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise RulePackError(
            str(path), "$", "rules.pack.problem.duplicate_key", name=exc.key
        ) from exc
    except json.JSONDecodeError as exc:
        raise RulePackError(
            str(path),
            "$",
            "rules.pack.problem.bad_json",
            line=exc.lineno,
            column=exc.colno,
            detail=exc.msg,
        ) from exc


# --- compiling -------------------------------------------------------------------------------


class _Compiler:
    """Turns checked JSON into a RulePack, raising on every cross-reference problem."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.numbering = ""

    def fail(self, path: str, key: str, **params: Any) -> RulePackError:
        return RulePackError(self.file, path, key, **params)

    def compile(self, data: Any) -> RulePack:
        error = best_match(_validator().iter_errors(data))
        if error is not None:
            raise self.fail(error.json_path, "rules.pack.problem.schema", detail=error.message)
        meta = data["pack"]
        self.pack_id = meta["id"]
        self.numbering = meta["clause_numbering"]["style"]
        kinds = {
            kid: self._kind(kid, spec, f"$.evidence_kinds.{kid}")
            for kid, spec in data.get("evidence_kinds", {}).items()
        }
        self.ids: set[str] = set()
        general = tuple(
            self._requirement(r, f"$.requirements[{i}]", None)
            for i, r in enumerate(data.get("requirements", []))
        )
        categories = {
            cid: self._category(cid, spec, f"$.categories.{cid}")
            for cid, spec in data.get("categories", {}).items()
        }
        return RulePack(
            id=meta["id"],
            version=meta["version"],
            title=meta["title"],
            source=meta["source"],
            clause_numbering=meta["clause_numbering"],
            effective_date=meta["effective_date"],
            file=self.file,
            compose_after=tuple(meta.get("compose_after", ())),
            evidence_kinds=kinds,
            requirements=general,
            categories=categories,
        )

    def _kind_id(self, kind: str, path: str) -> str:
        if kind not in _KINDS:
            raise self.fail(
                path, "rules.pack.problem.unknown_kind", kind=kind, known=", ".join(sorted(_KINDS))
            )
        return kind

    def _kind(self, kid: str, spec: dict[str, Any], path: str) -> KindSpec:
        self._kind_id(kid, path)
        req = tuple(spec.get("required_fields", ()))
        for i, name in enumerate(req):
            if name not in EVIDENCE_FIELDS:
                raise self.fail(
                    f"{path}.required_fields[{i}]",
                    "rules.pack.problem.unknown_evidence_field",
                    field=name,
                    known=", ".join(EVIDENCE_FIELDS),
                )
        return KindSpec(kid, spec.get("name"), req)

    def _clauses(self, clauses: list[str], path: str) -> tuple[str, ...]:
        pattern = CLAUSE_PATTERNS.get(self.numbering)
        for i, clause in enumerate(clauses):
            if pattern is not None and not pattern.match(clause):
                raise self.fail(
                    f"{path}[{i}]",
                    "rules.pack.problem.clause_format",
                    clause=clause,
                    style=self.numbering,
                )
        return tuple(clauses)

    def _category(self, cid: str, spec: dict[str, Any], path: str) -> CategorySpec:
        if cid not in _CATEGORIES:
            raise self.fail(
                path,
                "rules.pack.problem.unknown_category",
                category=cid,
                known=", ".join(sorted(_CATEGORIES)),
            )
        reqs = tuple(
            self._requirement(r, f"{path}.requirements[{i}]", cid)
            for i, r in enumerate(spec.get("requirements", []))
        )
        return CategorySpec(
            id=cid,
            name=spec.get("name"),
            clauses=self._clauses(spec.get("clauses", []), f"{path}.clauses"),
            explicit=spec.get("explicit"),
            note=spec.get("note"),
            requirements=reqs,
        )

    def _requirement(self, r: dict[str, Any], path: str, category: str | None) -> Requirement:
        rid = r["id"]
        if rid in self.ids:
            raise self.fail(f"{path}.id", "rules.pack.problem.duplicate_id", id=rid)
        self.ids.add(rid)
        disabled = bool(r.get("disabled", False))
        severity = r.get("severity", "required")
        scope = r.get("scope", "target" if category else "case")
        if not disabled and ("name" not in r or not r.get("clauses")):
            raise self.fail(path, "rules.pack.problem.needs_name_and_clause", id=rid)
        # The app's own advice (basis "policy") may never block a complaint. (That shipped
        # packs quote every clause they cite is checked by their tests against the texts.)
        basis = r.get("basis", "text")
        if basis == "policy" and severity != "advisory":
            raise self.fail(f"{path}.basis", "rules.pack.problem.policy_required", id=rid)
        if scope == "category" and category is None:
            raise self.fail(f"{path}.scope", "rules.pack.problem.category_scope_outside")
        if scope == "evidence" and category is not None:
            raise self.fail(f"{path}.scope", "rules.pack.problem.evidence_scope_in_category")
        has_target = scope in ("target", "category")
        req = Requirement(
            id=rid,
            pack=self.pack_id,
            name=r.get("name", {"zh": rid, "en": rid}),
            clauses=self._clauses(r.get("clauses", []), f"{path}.clauses"),
            severity=severity,
            scope=scope,
            category=category,
            when=self._condition(r["when"], f"{path}.when", has_target, severity)
            if "when" in r
            else None,
            advice=r.get("advice"),
            fix=self._fix(r["fix"], f"{path}.fix") if "fix" in r else None,
            disabled=disabled,
            evidence=self._evidence(r["evidence"], f"{path}.evidence") if "evidence" in r else None,
            fields=self._fields(r["fields"], f"{path}.fields", has_target)
            if "fields" in r
            else None,
            keywords=self._keywords(r["keywords"], f"{path}.keywords") if "keywords" in r else None,
            stale=self._stale(r["stale"], f"{path}.stale", has_target) if "stale" in r else None,
            exhibits=self._exhibits(r["exhibits"], f"{path}.exhibits") if "exhibits" in r else None,
            quote=r.get("quote", ""),
            basis=basis,
            acknowledgeable=bool(r.get("acknowledgeable", False)),
            source_host=SourceHostTest(
                tuple(
                    self._kind_id(k, f"{path}.source_host.kinds[{i}]")
                    for i, k in enumerate(r["source_host"]["kinds"])
                )
            )
            if "source_host" in r
            else None,
            validation=bool(r.get("validation", False)),
            duplicate=bool(r.get("duplicate", False)),
        )
        if disabled:
            return req
        if req.is_note and severity == "required":
            raise self.fail(path, "rules.pack.problem.nothing_to_check", id=rid)
        if req.keywords and (severity != "advisory" or scope != "case"):
            raise self.fail(path, "rules.pack.problem.keywords_scope", id=rid)
        if (req.source_host or req.duplicate) and scope != "target":
            raise self.fail(f"{path}.scope", "rules.pack.problem.needs_target_scope", id=rid)
        if req.validation and (scope != "case" or category is not None):
            raise self.fail(f"{path}.scope", "rules.pack.problem.validation_scope", id=rid)
        if scope == "evidence" and not (req.exhibits or (req.stale and not req.stale.before)):
            raise self.fail(f"{path}.scope", "rules.pack.problem.evidence_scope_test", id=rid)
        return req

    def _evidence(self, group: dict[str, Any], path: str) -> EvidenceGroup:
        ((mode, members),) = group.items()
        out: list[KindLeaf | EvidenceGroup] = []
        for i, m in enumerate(members):
            mpath = f"{path}.{mode}[{i}]"
            if isinstance(m, str):
                out.append(KindLeaf(self._kind_id(m, mpath)))
            elif "kind" in m:
                out.append(
                    KindLeaf(
                        self._kind_id(m["kind"], f"{mpath}.kind"),
                        m.get("min_count", 1),
                        m.get("holder"),
                    )
                )
            else:
                out.append(self._evidence(m, mpath))
        return EvidenceGroup(cast(GroupMode, mode), tuple(out))

    def _fields(self, group: dict[str, Any], path: str, has_target: bool) -> FieldGroup:
        ((mode, members),) = group.items()
        out: list[FieldLeaf | FieldGroup] = []
        for i, m in enumerate(members):
            mpath = f"{path}.{mode}[{i}]"
            if "path" in m:
                self._field_path(m["path"], f"{mpath}.path", has_target)
                out.append(FieldLeaf(m["path"], m.get("check", "present"), bool(m.get("optional"))))
            else:
                out.append(self._fields(m, mpath, has_target))
        return FieldGroup(cast(GroupMode, mode), tuple(out))

    def _field_path(self, fpath: str, path: str, has_target: bool) -> None:
        if not fields.known_path(fpath):
            raise self.fail(path, "rules.pack.problem.unknown_field_path", field=fpath)
        if fields.needs_target(fpath) and not has_target:
            raise self.fail(path, "rules.pack.problem.needs_target", field=fpath)

    def _condition(
        self, c: dict[str, Any], path: str, has_target: bool, severity: str
    ) -> Condition:
        for op in ("all", "any"):
            if op in c:
                return Condition(
                    op,
                    children=tuple(
                        self._condition(x, f"{path}.{op}[{i}]", has_target, severity)
                        for i, x in enumerate(c[op])
                    ),
                )
        if "not" in c:
            return Condition(
                "not", children=(self._condition(c["not"], f"{path}.not", has_target, severity),)
            )
        cpath = c["path"]
        spec = conditions.PATHS.get(cpath)
        if spec is None:
            raise self.fail(
                f"{path}.path",
                "rules.pack.problem.unknown_condition_path",
                field=cpath,
                known=", ".join(sorted(conditions.PATHS)),
            )
        if spec.needs_target and not has_target:
            raise self.fail(f"{path}.path", "rules.pack.problem.needs_target", field=cpath)
        if cpath == "target.pending" and severity != "advisory":
            raise self.fail(f"{path}.path", "rules.pack.problem.pending_in_required")
        ((op, value),) = ((k, v) for k, v in c.items() if k != "path")
        if spec.values is not None and op in ("eq", "in", "contains", "contains_any"):
            for literal in value if isinstance(value, list) else [value]:
                if literal not in spec.values:
                    raise self.fail(
                        f"{path}.{op}",
                        "rules.pack.problem.unknown_value",
                        value=str(literal),
                        field=cpath,
                        known=", ".join(sorted(spec.values)),
                    )
        return Condition(op, cpath, tuple(value) if isinstance(value, list) else value)

    def _keywords(self, k: dict[str, Any], path: str) -> KeywordTest:
        seen: set[str] = set()
        groups = []
        for i, g in enumerate(k["groups"]):
            if g["id"] in seen:
                raise self.fail(
                    f"{path}.groups[{i}].id", "rules.pack.problem.duplicate_id", id=g["id"]
                )
            seen.add(g["id"])
            groups.append(
                KeywordGroup(g["id"], g["name"], tuple(g["words"]), tuple(g.get("exclude", ())))
            )
        return KeywordTest(
            tuple(groups),
            tuple(k["in"]),
            tuple(k.get("negations_before", ())),
            tuple(k.get("negations_after", ())),
        )

    def _stale(self, s: dict[str, Any], path: str, has_target: bool) -> StaleTest:
        kinds = tuple(self._kind_id(k, f"{path}.kinds[{i}]") for i, k in enumerate(s["kinds"]))
        if s["field"] not in DATE_FIELDS:
            raise self.fail(
                f"{path}.field",
                "rules.pack.problem.not_a_date_field",
                field=s["field"],
                known=", ".join(sorted(DATE_FIELDS)),
            )
        if s.get("before") and not has_target:
            raise self.fail(f"{path}.before", "rules.pack.problem.needs_target", field=s["before"])
        return StaleTest(kinds, s["field"], s.get("before"), s.get("max_age_months"))

    def _exhibits(self, e: dict[str, Any], path: str) -> ExhibitTest:
        kinds = tuple(
            self._kind_id(k, f"{path}.kinds[{i}]") for i, k in enumerate(e.get("kinds", []))
        )
        return ExhibitTest(kinds, e["require"])

    def _fix(self, f: dict[str, Any], path: str) -> dict[str, Any]:
        if f["kind"] == "evidence":
            self._kind_id(f.get("evidence_kind", ""), f"{path}.evidence_kind")
        elif not fields.known_path(f.get("path", "")):
            raise self.fail(
                f"{path}.path", "rules.pack.problem.unknown_field_path", field=f.get("path", "")
            )
        return dict(f)
