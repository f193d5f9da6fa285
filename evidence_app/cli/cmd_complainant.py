"""``evidence-app complainant set CASE --field NAME=VALUE ...``."""

from __future__ import annotations

import argparse

from evidence_app.i18n import tr
from evidence_app.model import Complainant


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.cli._edits import add_field_option

    parser = sub.add_parser(
        "complainant", help=tr("cli.complainant.help"), description=tr("cli.complainant.help")
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    change = actions.add_parser("set", help=tr("cli.complainant.help"))
    change.add_argument("case", help=tr("cli.arg.case"))
    add_field_option(change, Complainant, required=False)

    change.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    change.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import parse_assignments, set_section
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    values = parse_assignments(args.field)

    return report(args, set_section(case_path(args.case), "complainant", values), "cli.edit.saved")
