"""Conditions on case fields (``when``): which facts a pack may test, and how.

Only the paths listed here exist, so that a typo in a pack is refused at load rather than
silently never matching. Paths starting with ``target.`` need a target (target or category
scope); ``target.pending`` (the target still lacks required items) is known only after the
required items are checked, so only advisories may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evidence_app.model import (
    AccountRole,
    Case,
    Category,
    ContentForm,
    FilerRole,
    Measure,
    PriorityType,
    SubCategory,
    Target,
)
from evidence_app.rules import seats
from evidence_app.rules.pack import Condition


@dataclass
class Context:
    """What a condition can see: the case, the target being checked, derived facts."""

    case: Case
    case_categories: frozenset[str]
    target: Target | None = None
    pending: bool = False


@dataclass(frozen=True)
class PathSpec:
    getter: Callable[[Context], Any]
    values: frozenset[str] | None = None  # allowed literal values (enum paths)
    needs_target: bool = False
    enum_key: str | None = None  # catalogue prefix to word values: enum.<name>.<value>


def _values(enum: Any) -> frozenset[str]:
    return frozenset(m.value for m in enum)


def _t(ctx: Context) -> Target:
    assert ctx.target is not None  # guarded by needs_target at load time
    return ctx.target


def _seat(target: Target) -> seats.Seat:
    return seats.seat_of(target) or seats.Seat("", False, "")


def _role(target: Target) -> str:
    return target.account_role.value if target.account_role else ""


PATHS: dict[str, PathSpec] = {
    "case.channel": PathSpec(lambda c: c.case.channel),
    "case.categories": PathSpec(
        lambda c: c.case_categories, _values(Category), enum_key="category"
    ),
    "case.targets": PathSpec(lambda c: c.case.targets),
    "filer.role": PathSpec(
        lambda c: c.case.filer.role.value, _values(FilerRole), False, "filerrole"
    ),
    "filer.is_agent": PathSpec(lambda c: c.case.filer.is_agent),
    "complainant.priority_types": PathSpec(
        lambda c: [p.value for p in c.case.complainant.priority_types],
        _values(PriorityType),
        enum_key="prioritytype",
    ),
    "complainant.executives": PathSpec(lambda c: c.case.complainant.executives),
    "target.categories": PathSpec(
        lambda c: [x.value for x in _t(c).categories], _values(Category), True, "category"
    ),
    "target.content_form": PathSpec(
        lambda c: _t(c).content_form.value, _values(ContentForm), True, "contentform"
    ),
    "target.measures": PathSpec(
        lambda c: [m.value for m in _t(c).measures], _values(Measure), True, "measure"
    ),
    "target.account_role": PathSpec(
        lambda c: _role(_t(c)),
        _values(AccountRole) | {""},
        True,
        "accountrole",
    ),
    "target.subcategories": PathSpec(
        lambda c: [x.value for x in _t(c).subcategories],
        _values(SubCategory),
        True,
        "subcategory",
    ),
    # Reach: grounds for asking priority handling (the numbers are the app's policy).
    "target.views": PathSpec(lambda c: _t(c).engagement.views or 0, None, True),
    "target.shares": PathSpec(lambda c: _t(c).engagement.shares or 0, None, True),
    "target.ip_location": PathSpec(lambda c: _t(c).ip_location, None, True),
    "target.platform": PathSpec(lambda c: _t(c).platform, None, True),
    # (十四) routing: the platform's seat from the seats table, whether that entry has a
    # source, and whether the seat lies outside the enterprise's province (非属地).
    "target.seat": PathSpec(lambda c: _seat(_t(c)).province, None, True),
    "target.seat_verified": PathSpec(lambda c: _seat(_t(c)).verified, None, True),
    "target.seat_remote": PathSpec(
        lambda c: seats.is_remote(_t(c), c.case.complainant), None, True
    ),
    "target.time_sensitive": PathSpec(lambda c: _t(c).time_sensitive, None, True),
    "target.facts_settled": PathSpec(lambda c: _t(c).facts_settled, None, True),
    "target.pending": PathSpec(lambda c: c.pending, None, True),
}

OPERATORS = ("is", "eq", "in", "contains", "contains_any", "empty", "at_least")


def evaluate(cond: Condition, ctx: Context) -> bool:
    if cond.op == "all":
        return all(evaluate(c, ctx) for c in cond.children)
    if cond.op == "any":
        return any(evaluate(c, ctx) for c in cond.children)
    if cond.op == "not":
        return not evaluate(cond.children[0], ctx)
    value = PATHS[cond.path].getter(ctx)
    if cond.op == "is":
        return bool(value) is bool(cond.value)
    if cond.op == "eq":
        return bool(value == cond.value)
    if cond.op == "in":
        return value in cond.value
    if cond.op == "contains":
        return cond.value in value
    if cond.op == "contains_any":
        return any(v in value for v in cond.value)
    if cond.op == "empty":
        return (not value) is bool(cond.value)
    if cond.op == "at_least":
        return isinstance(value, int) and value >= int(cond.value)
    raise AssertionError(cond.op)  # the loader admits only OPERATORS


def note_params(cond: Condition | None, ctx: Context) -> dict[str, Any]:
    """The values a note's condition looked at, for its advice text (``a.b`` -> ``a_b``)."""
    if cond is None:
        return {}
    out: dict[str, Any] = {}
    for path in cond.paths():
        value = PATHS[path].getter(ctx)
        if isinstance(value, (frozenset, set)):
            value = sorted(value)
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            continue  # objects (executives, targets) are not parameters
        if isinstance(value, (str, bool, int, list)):
            out[path.replace(".", "_")] = value
    return out
