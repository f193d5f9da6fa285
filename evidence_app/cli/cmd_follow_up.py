"""``evidence-app follow-up add|list|due CASE``: submissions, replies and deadlines recorded
after export; ``due`` lists those with a deadline, overdue first."""

from __future__ import annotations

import argparse
import datetime as _dt

from evidence_app.i18n import tr
from evidence_app.model import FollowUp


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.cli._edits import add_field_option

    parser = sub.add_parser(
        "follow-up", help=tr("cli.follow_up.help"), description=tr("cli.follow_up.help")
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=tr("cli.follow_up.add_help"))
    add.add_argument("case", help=tr("cli.arg.case"))
    add_field_option(add, FollowUp, required=True)
    add.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    add.set_defaults(handler=run_add)
    for name, due in (("list", False), ("due", True)):
        listing = actions.add_parser(name, help=tr(f"cli.follow_up.{name}_help"))
        listing.add_argument("case", help=tr("cli.arg.case"))
        listing.add_argument("--today", metavar="DATE", help=tr("cli.follow_up.opt_today"))
        listing.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
        listing.set_defaults(handler=run_list, due=due)


def run_add(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import add_follow_up, parse_assignments
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    edited = add_follow_up(case_path(args.case), parse_assignments(args.field))
    return report(args, edited, "cli.edit.added")


def run_list(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import follow_ups
    from evidence_app.cli._common import print_json
    from evidence_app.errors import EXIT_OK, UsageError
    from evidence_app.model import to_dict
    from evidence_app.store import case_path

    try:
        today = _dt.date.fromisoformat(args.today) if args.today else _dt.date.today()
    except ValueError as exc:
        raise UsageError("cli.check.bad_date", value=args.today) from exc
    rows = follow_ups(case_path(args.case), today, due_only=args.due)
    if args.json:
        print_json([{**to_dict(r.follow_up), "days_left": r.days_left} for r in rows])
        return EXIT_OK
    for row in rows:
        f = row.follow_up
        if row.days_left is None:
            status = ""
        elif row.days_left < 0:
            status = tr("cli.follow_up.overdue", days=-row.days_left)
        else:
            status = tr("cli.follow_up.days_left", days=row.days_left)
        print(f"{f.date}  {f.event}  {f.channel}  {f.reference}  {f.deadline}  {status}".rstrip())
    return EXIT_OK
