"""``evidence-app paperwork CASE --doc DOC --out FILE.pdf``: generate a document to sign and
seal (情况说明, 授权委托书, 真实性承诺书, the executive's 授权书, a channel's notice), prefilled
for one channel; ``--scan FILE`` imports its signed, sealed scan and links it to the generated
document."""

from __future__ import annotations

import argparse
from pathlib import Path

from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_ERROR, EXIT_OK, UsageError
from evidence_app.i18n import tr, words


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evidence_app.exporters.paperwork import DOCUMENTS

    parser = sub.add_parser(
        "paperwork", help=tr("cli.paperwork.help"), description=tr("cli.paperwork.help")
    )
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("--doc", required=True, choices=DOCUMENTS, help=tr("cli.paperwork.opt_doc"))
    parser.add_argument("--channel", metavar="PROFILE", help=tr("cli.paperwork.opt_channel"))
    parser.add_argument("--target", action="append", metavar="ID", help=tr("cli.export.opt_target"))
    parser.add_argument("--out", metavar="FILE.pdf", help=tr("cli.paperwork.opt_out"))
    parser.add_argument("--scan", metavar="FILE", help=tr("cli.paperwork.opt_scan"))
    parser.add_argument("--title", help=tr("cli.import.opt_title"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.out) == bool(args.scan):
        raise UsageError("cli.paperwork.out_or_scan")
    if args.out:
        from evidence_app.output_guard import check_output
        from evidence_app.store import case_path

        # never inside the case, never over an existing file (the user's signed copy)
        check_output(args.out, cases=[case_path(args.case)], inputs=[args.scan])
    with open_case(args.case, writer="export" if args.out else "import") as store:
        if args.out:
            return _generate(store, args)
        return _import_scan(store, args)


def _generate(store: object, args: argparse.Namespace) -> int:
    from evidence_app.exporters.paperwork import generate

    made = generate(store, args.doc, Path(args.out), channel=args.channel, target_ids=args.target)
    if args.json:
        print_json(
            {
                "document": made.document,
                "path": str(made.path),
                "sha256": made.sha256,
                "channel": made.channel,
                "pages": made.pages,
            }
        )
    else:
        print(
            tr(
                "cli.paperwork.done",
                document=tr(f"pdf.template.{made.document}.title"),
                path=str(made.path),
                pages=made.pages,
                sha256=made.sha256,
            )
        )
        print(tr("cli.paperwork.next", document=made.document))
    return EXIT_OK


def _import_scan(store: object, args: argparse.Namespace) -> int:
    from evidence_app.exporters.paperwork import DOCUMENT_KINDS, link_generated
    from evidence_app.intake import import_files

    (outcome,) = import_files(
        store,  # type: ignore[arg-type]
        [Path(args.scan)],
        kind=DOCUMENT_KINDS[args.doc],
        title=args.title or tr(f"pdf.template.{args.doc}.title"),
    )
    if outcome.item is None:
        print(words(outcome.as_message()))
        return EXIT_ERROR
    linked = link_generated(store, outcome.item, args.doc)
    if args.json:
        print_json(
            {
                "status": outcome.status,
                "evidence_id": outcome.item.id,
                "number": outcome.item.number,
                "generated_from": outcome.item.generated_from if linked else None,
            }
        )
    else:
        print(words(outcome.as_message()))
        key = "cli.paperwork.linked" if linked else "cli.paperwork.not_linked"
        print(
            tr(
                key,
                number=outcome.item.number,
                sha256=outcome.item.generated_from.get("sha256", ""),
            )
        )
    return EXIT_OK
