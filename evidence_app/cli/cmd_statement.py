"""``evidence-app statement set CASE --field NAME=VALUE ...`` (or ``--from FILE``: a JSON
object of facts, reasons and demands, or plain text taken as the facts)."""

from __future__ import annotations

import argparse

from evidence_app.i18n import tr
from evidence_app.model import Statement


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.cli._edits import add_field_option

    parser = sub.add_parser(
        "statement", help=tr("cli.statement.help"), description=tr("cli.statement.help")
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    change = actions.add_parser("set", help=tr("cli.statement.help"))
    change.add_argument("case", help=tr("cli.arg.case"))
    add_field_option(change, Statement, required=False)
    change.add_argument("--from", dest="source", metavar="FILE", help=tr("cli.statement.opt_from"))
    change.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    change.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evidence_app.app.edits import parse_assignments, set_section
    from evidence_app.cli._edits import report
    from evidence_app.store import case_path

    values = parse_assignments(args.field)
    if args.source:
        values = {**statement_from_file(args.source), **values}
    return report(args, set_section(case_path(args.case), "statement", values), "cli.edit.saved")


def statement_from_file(path: str) -> dict[str, str]:
    """A JSON object with facts/reasons/demands, or plain UTF-8 text taken as the facts."""
    import json

    from evidence_app.cli._common import existing_file

    text = existing_file(path).read_text("utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        return {"facts": text}
    if not isinstance(data, dict):
        return {"facts": text}
    return {str(k): str(v) for k, v in data.items()}
