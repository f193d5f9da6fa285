"""``evidence-app set CASE E003 --field issuer=… --field issued_at=…``: complete an exhibit's
description (title, proves, kind, targets and the kind-specific fields)."""

from __future__ import annotations

import argparse

from evidence_app.i18n import tr
from evidence_app.model import EvidenceItem


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.cli._edits import add_field_option

    parser = sub.add_parser("set", help=tr("cli.set.help"), description=tr("cli.set.help"))
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("exhibit", metavar="EXHIBIT", help=tr("cli.arg.exhibit"))
    add_field_option(parser, EvidenceItem, required=True)
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import parse_assignments, set_exhibit
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    edited = set_exhibit(case_path(args.case), args.exhibit, parse_assignments(args.field))
    return report(args, edited, "cli.edit.saved")
