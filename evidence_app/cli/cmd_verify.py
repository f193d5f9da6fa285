"""``evidence-app verify PACKET``: decrypt and check a packet; exit 4 with the reason."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli._common import existing_file, print_json, secret_from_env
from evidence_app.errors import EXIT_OK, EXIT_VERIFY_FAILED, EvidenceError, UsageError
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("verify", help=tr("cli.verify.help"), description=tr("cli.verify.help"))
    parser.add_argument("packet", help=tr("cli.verify.arg_packet"))
    parser.add_argument(
        "--identity",
        action="append",
        default=[],
        metavar="FILE",
        help=tr("cli.verify.opt_identity"),
    )
    parser.add_argument(
        "--identity-pass-env", metavar="VAR", help=tr("cli.verify.opt_identity_pass_env")
    )
    parser.add_argument("--passphrase-env", metavar="VAR", help=tr("cli.verify.opt_passphrase_env"))
    parser.add_argument(
        "--trust", action="append", default=[], metavar="CERT", help=tr("cli.verify.opt_trust")
    )
    parser.add_argument("--extract", metavar="DIR", help=tr("cli.verify.opt_extract"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def _fail(args: argparse.Namespace, packet: str, error: EvidenceError) -> int:
    if args.json:
        print_json(
            {
                "packet": packet,
                "ok": False,
                "reason": {"key": error.key, "message": error.message()},
            }
        )
    print(tr("cli.verify.failed", reason=error.message()), file=sys.stderr)
    return EXIT_VERIFY_FAILED


def run(args: argparse.Namespace) -> int:
    from evidence_app.app.verify import VerifyRequest, verify_operation
    from evidence_app.cli.progress import terminal_progress

    packet = existing_file(args.packet)
    if not args.identity and not args.passphrase_env:
        raise UsageError("cli.verify.need_key")
    request = VerifyRequest(
        packet=packet,
        identities=tuple(existing_file(path) for path in args.identity),
        identity_passphrase=(
            secret_from_env(args.identity_pass_env) if args.identity_pass_env else None
        ),
        passphrase=secret_from_env(args.passphrase_env) if args.passphrase_env else None,
        trust=tuple(existing_file(path) for path in args.trust),
        extract_to=Path(args.extract) if args.extract else None,
    )
    try:
        with terminal_progress(tr("cli.progress.verify")) as (progress, cancel):
            report = verify_operation(request).run_here(progress, cancel)
    except UsageError:
        raise
    except EvidenceError as exc:  # a reader key that cannot be opened
        if exc.key.startswith("crypto.age."):
            return _fail(args, str(packet), exc)
        raise
    if args.json:
        print_json(report.to_json_dict())
    else:
        for line in report.summary_lines():
            print(line)
    if not report.ok:
        print(tr("cli.verify.failed", reason=report.reason()), file=sys.stderr)
        return EXIT_VERIFY_FAILED
    if not args.json:
        print(tr("cli.verify.ok", packet=str(packet)))
        if report.extracted_to:
            print(tr("cli.verify.extracted", path=str(report.extracted_to)))
    return EXIT_OK
