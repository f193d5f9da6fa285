"""``evidence-app case init|show``: create a case from case.json; show a case."""

from __future__ import annotations

import argparse
from pathlib import Path

from evidence_app import model
from evidence_app.casefile import init_case, parse_case_json
from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_OK
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("case", help=tr("cli.case.help"), description=tr("cli.case.help"))
    actions = parser.add_subparsers(dest="case_command", metavar=tr("cli.command_metavar"))
    init = actions.add_parser("init", help=tr("cli.case.init.help"))
    init.add_argument("case", help=tr("cli.arg.case_new"))
    init.add_argument("--from", dest="source", required=True, help=tr("cli.case.init.from"))
    init.set_defaults(handler=run_init)
    show = actions.add_parser("show", help=tr("cli.case.show.help"))
    show.add_argument("case", help=tr("cli.arg.case"))
    show.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    show.set_defaults(handler=run_show)


def run_init(args: argparse.Namespace) -> int:
    description = parse_case_json(Path(args.source))
    path = init_case(Path(args.case), description)
    print(tr("cli.case.created", path=str(path), evidence=len(description.evidence)))
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    with open_case(args.case) as store:
        case = store.load()
        head = store.custody_head()
    if args.json:
        print_json({**model.to_dict(case), "custody_head": head})
        return EXIT_OK
    c = case.complainant
    print(tr("cli.case.show.title", title=case.title or "-"))
    print(tr("cli.case.show.complainant", name=c.name or "-", uscc=c.uscc or "-"))
    filer = tr(f"enum.filerrole.{case.filer.role.value}")
    print(tr("cli.case.show.filer", role=filer, name=case.filer.name or "-"))
    print(tr("cli.case.show.targets", count=len(case.targets)))
    for t in case.targets:
        cats = "、".join(tr(f"enum.category.{cat.value}") for cat in t.categories)
        print(f"  {t.id}  {t.platform}  {t.url}  [{cats}]")
    print(tr("cli.case.show.evidence", count=len(case.evidence)))
    for e in case.evidence:
        kind = tr(f"enum.evidencekind.{e.kind.value}")
        links = ",".join(e.target_ids) or "-"
        print(f"  {e.label}  {kind}  {e.title}  ({links})  sha256:{e.sha256}")
    print(tr("cli.case.show.custody", head=head))
    return EXIT_OK
