"""``evidence-app evidence move|remove CASE EXHIBIT``: renumber or withdraw an exhibit."""

from __future__ import annotations

import argparse

from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "evidence", help=tr("cli.evidence.help"), description=tr("cli.evidence.help")
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    move = actions.add_parser("move", help=tr("cli.evidence.move_help"))
    move.add_argument("case", help=tr("cli.arg.case"))
    move.add_argument("exhibit", metavar="EXHIBIT", help=tr("cli.arg.exhibit"))
    move.add_argument("--to", type=int, required=True, metavar="N", help=tr("cli.evidence.opt_to"))
    move.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    move.set_defaults(handler=run_move)
    remove = actions.add_parser("remove", help=tr("cli.evidence.remove_help"))
    remove.add_argument("case", help=tr("cli.arg.case"))
    remove.add_argument("exhibit", metavar="EXHIBIT", help=tr("cli.arg.exhibit"))
    remove.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    remove.set_defaults(handler=run_remove)


def run_move(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import move_exhibit
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    return report(args, move_exhibit(case_path(args.case), args.exhibit, args.to), "cli.edit.saved")


def run_remove(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import remove_exhibit
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    return report(args, remove_exhibit(case_path(args.case), args.exhibit), "cli.edit.removed")
