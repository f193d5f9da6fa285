"""``evidence-app timestamp request|import``: RFC 3161 trusted time, carried by hand.

``request`` writes .tsq files for a connected machine (docs/timestamps.md); ``import`` brings
the authority's .tsr replies back, validates them and records them (evidence_app.trusted_time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli._common import existing_file, open_case, print_json
from evidence_app.crypto.timestamps import load_trust
from evidence_app.errors import EXIT_OK, EXIT_VERIFY_FAILED, UsageError
from evidence_app.i18n import tr
from evidence_app.trusted_time import import_replies, request_timestamps


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "timestamp", help=tr("cli.timestamp.help"), description=tr("cli.timestamp.help")
    )
    actions = parser.add_subparsers(dest="timestamp_command", metavar=tr("cli.command_metavar"))

    req = actions.add_parser("request", help=tr("cli.timestamp.request.help"))
    req.add_argument("case", help=tr("cli.arg.case"))
    req.add_argument(
        "--exhibit", action="append", default=[], metavar="E", help=tr("cli.timestamp.opt_exhibit")
    )
    req.add_argument("--manifest", action="store_true", help=tr("cli.timestamp.opt_manifest"))
    req.add_argument("--out", required=True, metavar="DIR", help=tr("cli.timestamp.opt_out"))
    req.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    req.set_defaults(handler=run_request)

    imp = actions.add_parser("import", help=tr("cli.timestamp.import.help"))
    imp.add_argument("case", help=tr("cli.arg.case"))
    imp.add_argument("replies", nargs="+", metavar="FILE.tsr", help=tr("cli.timestamp.arg_tsr"))
    imp.add_argument(
        "--trust", action="append", default=[], metavar="PEM", help=tr("cli.timestamp.opt_trust")
    )
    imp.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    imp.set_defaults(handler=run_import)


def run_request(args: argparse.Namespace) -> int:
    with open_case(args.case, writer="edit") as store:
        written = request_timestamps(
            store, Path(args.out), exhibits=args.exhibit, manifest=args.manifest
        )
    if args.json:
        print_json(
            [
                {"file": str(q.path), "subject": q.subject, "sha256": q.sha256, "nonce": q.nonce}
                for q in written
            ]
        )
    else:
        for q in written:
            print(tr("cli.timestamp.written", file=str(q.path), subject=q.subject, sha256=q.sha256))
        print(tr("cli.timestamp.next", count=len(written)))
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    trust = []
    for name in args.trust:
        try:
            trust.extend(load_trust(existing_file(name).read_bytes()))
        except ValueError as exc:
            raise UsageError("cli.timestamp.bad_trust", path=name, detail=str(exc)) from exc
    with open_case(args.case, writer="edit") as store:
        results = import_replies(store, [Path(p) for p in args.replies], trust)
    if args.json:
        print_json([r.to_json_dict() for r in results])
    else:
        for r in results:
            if r.status == "refused" and r.error is not None:
                print(
                    tr("cli.timestamp.refused", file=r.path.name, reason=r.error.message()),
                    file=sys.stderr,
                )
                continue
            key = "cli.timestamp.imported" if r.status == "imported" else "cli.timestamp.duplicate"
            print(tr(key, file=r.path.name, subject=r.subject, gen_time=r.gen_time, tsa=r.tsa))
            if r.capture_gap:
                print(tr(f"timestamp.gap.{r.capture_gap}", subject=r.subject))
    return EXIT_VERIFY_FAILED if any(r.status == "refused" for r in results) else EXIT_OK
