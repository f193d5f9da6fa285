"""``evidence-app check CASE [--json] [--lang zh|en]``: what the complaint still lacks.

Exit 0 when ready (no required item missing), 3 when anything required is missing. The human
output lists every requirement per target and category with its clause and a mark (✓ ✗ !);
``--json`` prints ``CheckResult.to_json_dict`` (format in docs/check-json.md).
"""

from __future__ import annotations

import argparse
import datetime as _dt
from collections.abc import Iterable

from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_GAPS, EXIT_OK, UsageError
from evidence_app.i18n import current_language, normalise_language, tr
from evidence_app.model import Case
from evidence_app.rules import check_case, describe, load_packs
from evidence_app.rules.acknowledge import acknowledgement
from evidence_app.rules.describe import category_name
from evidence_app.rules.duplicates import reports_of
from evidence_app.rules.result import CheckItem, CheckResult
from evidence_app.store.case_store import iso, utc_now
from evidence_app.store.siblings import sibling_cases

MARKS = {"satisfied": "✓", "missing": "✗", "advisory": "!"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("check", help=tr("cli.check.help"), description=tr("cli.check.help"))
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    # The global --lang is read before parsing; accepting it after the sub-command too keeps
    # `check CASE --lang en` working. SUPPRESS keeps a global --lang from being overwritten.
    parser.add_argument(
        "--lang",
        choices=["zh", "zh_CN", "en"],
        default=argparse.SUPPRESS,
        help=tr("cli.check.opt_lang"),
    )
    parser.add_argument(
        "--pack", action="append", default=None, metavar="ID", help=tr("cli.check.opt_pack")
    )
    parser.add_argument(
        "--today", default=None, metavar="YYYY-MM-DD", help=tr("cli.check.opt_today")
    )
    parser.add_argument("--ack", default=None, metavar="KEY", help=tr("cli.check.opt_ack"))
    parser.add_argument("--reason", default="", metavar="TEXT", help=tr("cli.check.opt_reason"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = None
    if args.today:
        try:
            today = _dt.date.fromisoformat(args.today)
        except ValueError as exc:
            raise UsageError("cli.check.bad_date", value=args.today) from exc
    lang = normalise_language(getattr(args, "lang", None) or current_language())
    packs = load_packs(args.pack) if args.pack else load_packs()
    # Earlier submissions of the same items from the other cases in this folder.
    prior = [
        r
        for name, other in sibling_cases(args.case)
        for r in reports_of(other, other.title or name)
    ]
    # an acknowledgement is a write: it takes the case lock; a plain check reads only
    with open_case(args.case, writer="edit" if args.ack else None) as store:
        case = store.load()
        result = check_case(case, packs, today=today, prior_reports=prior)
        if args.ack:
            store.acknowledge(acknowledgement(result, args.ack, args.reason, at=iso(utc_now())))
            case = store.load()
            result = check_case(case, packs, today=today, prior_reports=prior)
    if args.json:
        print_json(result.to_json_dict(lang))
    else:
        for line in render(case, result, lang):
            print(line)
    return EXIT_OK if result.ready else EXIT_GAPS


def _line(item: CheckItem, lang: str, indent: str) -> str:
    clause = tr("rules.part.sep_parts", lang).join(item.clauses)
    clause = f"{clause}  " if clause else ""
    return f"{indent}{MARKS[item.status]} {clause}{describe(item, lang)}"


def render(case: Case, result: CheckResult, lang: str) -> Iterable[str]:
    """The report in ``lang``: the case, each target (general, then per category), exhibits."""
    yield tr("cli.check.title", lang, title=case.title or "—")
    packs = tr("rules.part.sep_list", lang).join(
        f"{k} {v}" for k, v in result.pack_versions.items()
    )
    yield tr("cli.check.packs", lang, packs=packs)
    yield tr("cli.check.legend", lang)
    yield ""
    yield "■ " + tr("cli.check.section_case", lang)
    for item in result.items:
        if item.scope == "case":
            yield _line(item, lang, "  ")
    by_target: dict[str, list[CheckItem]] = {}
    for item in result.items:
        if item.target_id is not None:
            by_target.setdefault(item.target_id, []).append(item)
    for target in case.targets:
        yield ""
        where = target.url or target.excerpt or tr("cli.check.no_url", lang)
        yield "■ " + tr(
            "cli.check.section_target",
            lang,
            id=target.id,
            platform=target.platform or "—",
            where=where,
        )
        items = by_target.get(target.id, [])
        general = [i for i in items if i.category is None]
        if general:
            yield "  " + tr("cli.check.general", lang)
            for item in general:
                yield _line(item, lang, "    ")
        for cat in dict.fromkeys(c.value for c in target.categories):
            info = result.categories.get(cat)
            key = "cli.check.category_explicit" if info and info.explicit else "cli.check.category"
            clauses = tr("rules.part.sep_parts", lang).join(info.clauses) if info else "—"
            name = category_name(cat, info.name if info else None, lang)
            yield "  " + tr(key, lang, name=name, clauses=clauses)
            for item in items:
                if item.category == cat:
                    yield _line(item, lang, "    ")
    exhibits = [i for i in result.items if i.scope == "evidence"]
    if exhibits:
        yield ""
        yield "■ " + tr("cli.check.section_evidence", lang)
        for item in exhibits:
            yield _line(item, lang, "  ")
    yield ""
    summary = result.summary()
    key = "cli.check.ready" if result.ready else "cli.check.not_ready"
    yield tr(
        key,
        lang,
        gaps=len(result.gaps()),
        satisfied=summary["satisfied"],
        advisory=summary["advisory"],
    )
