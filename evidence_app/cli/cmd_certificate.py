"""``evidence-app certificate check CASE CERT [--link E...]``: compare a preservation
certificate (存证证书) with the exhibits it certifies (evidence_app.preservation)."""

from __future__ import annotations

import argparse

from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_OK, EXIT_VERIFY_FAILED
from evidence_app.i18n import tr
from evidence_app.preservation import check_links


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "certificate", help=tr("cli.certificate.help"), description=tr("cli.certificate.help")
    )
    actions = parser.add_subparsers(dest="certificate_command", metavar=tr("cli.command_metavar"))
    check = actions.add_parser("check", help=tr("cli.certificate.check.help"))
    check.add_argument("case", help=tr("cli.arg.case"))
    check.add_argument("certificate", metavar="CERT", help=tr("cli.certificate.arg_cert"))
    check.add_argument(
        "--link", action="append", default=[], metavar="E", help=tr("cli.certificate.opt_link")
    )
    check.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    with open_case(args.case, writer="edit") as store:  # records the links
        results = check_links(store, args.certificate, args.link)
    if args.json:
        print_json(results)
    else:
        for r in results:
            print(
                tr(
                    f"cli.certificate.{r['status']}",
                    number=r["number"],
                    algorithm=r["algorithm"].upper(),
                )
            )
        if not results:
            print(tr("cli.certificate.none"))
    return EXIT_VERIFY_FAILED if any(r["status"] == "mismatch" for r in results) else EXIT_OK
