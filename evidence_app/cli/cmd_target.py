"""``evidence-app target add|set|remove CASE ...``: the infringing items complained about."""

from __future__ import annotations

import argparse

from evidence_app.i18n import tr
from evidence_app.model import Target


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.cli._edits import add_field_option

    parser = sub.add_parser("target", help=tr("cli.target.help"), description=tr("cli.target.help"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=tr("cli.target.add_help"))
    add.add_argument("case", help=tr("cli.arg.case"))
    add_field_option(add, Target, required=False)
    add.set_defaults(handler=run_add)
    change = actions.add_parser("set", help=tr("cli.target.set_help"))
    change.add_argument("case", help=tr("cli.arg.case"))
    change.add_argument("target", metavar="ID", help=tr("cli.arg.target"))
    add_field_option(change, Target, required=True)
    change.set_defaults(handler=run_set)
    remove = actions.add_parser("remove", help=tr("cli.target.remove_help"))
    remove.add_argument("case", help=tr("cli.arg.case"))
    remove.add_argument("target", metavar="ID", help=tr("cli.arg.target"))
    remove.set_defaults(handler=run_remove)
    for action in (add, change, remove):
        action.add_argument("--json", action="store_true", help=tr("cli.opt.json"))


def run_add(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import add_target, parse_assignments
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    edited = add_target(case_path(args.case), parse_assignments(args.field))
    return report(args, edited, "cli.edit.added")


def run_set(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import parse_assignments, set_target
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    edited = set_target(case_path(args.case), args.target, parse_assignments(args.field))
    return report(args, edited, "cli.edit.saved")


def run_remove(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import remove_target
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    return report(args, remove_target(case_path(args.case), args.target), "cli.edit.removed")
