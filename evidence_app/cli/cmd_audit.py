"""``evidence-app audit CASE``: verify the custody chain and re-hash every original."""

from __future__ import annotations

import argparse
import sys

from evidence_app.cli._common import open_case, print_json
from evidence_app.errors import EXIT_OK, EXIT_VERIFY_FAILED
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help=tr("cli.audit.help"), description=tr("cli.audit.help"))
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with open_case(args.case) as store:
        report = store.audit()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "blobs_checked": report.blobs_checked,
                "bytes_checked": report.bytes_checked,
                "head": report.head,
                "problems": [
                    {"key": p.key, "params": p.params, "message": tr(p.key, **p.params)}
                    for p in report.problems
                ],
                "notes": [
                    {"key": p.key, "params": p.params, "message": tr(p.key, **p.params)}
                    for p in report.notes
                ],
            }
        )
    else:
        for problem in report.problems:
            print(tr(problem.key, **problem.params), file=sys.stderr)
        for note in report.notes:
            print(tr(note.key, **note.params))
        key = "cli.audit.ok" if report.ok else "cli.audit.failed"
        print(
            tr(
                key,
                entries=report.entries,
                blobs=report.blobs_checked,
                mib=f"{report.bytes_checked / 1048576:.1f}",
                head=report.head,
                problems=len(report.problems),
            ),
            file=sys.stdout if report.ok else sys.stderr,
        )
    return EXIT_OK if report.ok else EXIT_VERIFY_FAILED
