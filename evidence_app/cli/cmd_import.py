"""``evidence-app import CASE FILE...``: add evidence files to a case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_ERROR, EXIT_OK, UsageError
from evidence_app.i18n import tr, words
from evidence_app.intake import import_files
from evidence_app.model import EVIDENCE_FIELDS, EvidenceItem, EvidenceKind, to_dict
from evidence_app.validators import is_valid_datetime, is_valid_url


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("import", help=tr("cli.import.help"), description=tr("cli.import.help"))
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("files", nargs="+", help=tr("cli.import.arg_files"))
    parser.add_argument(
        "--kind",
        choices=[k.value for k in EvidenceKind],
        metavar="KIND",
        help=tr("cli.import.opt_kind") + ": " + ", ".join(k.value for k in EvidenceKind),
    )
    parser.add_argument(
        "--target", action="append", default=[], metavar="ID", help=tr("cli.import.opt_target")
    )
    parser.add_argument("--title", help=tr("cli.import.opt_title"))
    parser.add_argument("--proves", default="", help=tr("cli.import.opt_proves"))
    parser.add_argument("--captured-at", help=tr("cli.import.opt_captured_at"))
    parser.add_argument("--source-url", help=tr("cli.import.opt_source_url"))
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=tr("cli.import.opt_field") + ": " + ", ".join(EVIDENCE_FIELDS),
    )
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    fields: dict[str, str] = {}
    if args.captured_at:
        if not is_valid_datetime(args.captured_at):
            raise UsageError("cli.import.bad_time", value=args.captured_at)
        fields["captured_at"] = args.captured_at
    if args.source_url:
        if not is_valid_url(args.source_url):
            raise UsageError("cli.import.bad_url", value=args.source_url)
        fields["source_url"] = args.source_url
    if args.field:
        from evidence_app.app.edits import apply_fields, parse_assignments

        values = parse_assignments(args.field)
        for name in values:
            if name not in EVIDENCE_FIELDS:
                raise UsageError("cli.field.unknown", field=name, known=", ".join(EVIDENCE_FIELDS))
        # The model validates them (dates, URLs), as it does for `set`.
        checked = apply_fields(EvidenceItem(title="-"), values, "evidence.new")
        fields.update(checked.fields)
    with open_case(args.case, writer="import") as store:
        known = {t.id for t in store.load().targets}
        for tid in args.target:
            if tid not in known:
                raise UsageError("cli.import.unknown_target", id=tid)
        from evidence_app.cli.progress import terminal_progress

        # Ctrl-C stops between files (and inside a large copy); files already imported stay.
        with terminal_progress(tr("cli.progress.import")) as (progress, cancel):
            outcomes = import_files(
                store,
                [Path(f) for f in args.files],
                kind=EvidenceKind(args.kind) if args.kind else None,
                target_ids=args.target,
                title=args.title,
                fields=fields,
                proves=args.proves,
                progress=progress,
                cancel=cancel,
            )
        # A sealed scan of a document the app generated is linked to it (exporters/paperwork).
        from evidence_app.exporters.paperwork import link_generated

        for outcome in outcomes:
            if outcome.item is not None and outcome.status == "imported":
                link_generated(store, outcome.item)
    refused = [o for o in outcomes if o.status == "refused"]
    if args.json:
        print_json(
            [
                {
                    "file": o.display_name,
                    "status": o.status,
                    "exhibit": o.item.number if o.item else None,
                    "sha256": o.item.sha256 if o.item else None,
                    "reason": o.error.key if o.error else None,
                    "message": words(o.as_message()),
                    "item": to_dict(o.item) if o.item and o.status == "imported" else None,
                }
                for o in outcomes
            ]
        )
    else:
        for o in outcomes:
            print(words(o.as_message()), file=sys.stderr if o.status == "refused" else sys.stdout)
        print(
            tr(
                "cli.import.summary",
                imported=sum(o.status == "imported" for o in outcomes),
                duplicates=sum(o.status == "duplicate" for o in outcomes),
                refused=len(refused),
            )
        )
    return EXIT_ERROR if refused else EXIT_OK
