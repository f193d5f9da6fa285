"""``evidence-app verify PACKET``: decrypt and check a packet; exit 4 with the reason."""

from __future__ import annotations

import argparse
import sys

import pyrage

from evidence_app.cli._common import existing_file, print_json, secret_from_env
from evidence_app.crypto import age_keys
from evidence_app.crypto.identities import load_certificates
from evidence_app.errors import EXIT_OK, EXIT_VERIFY_FAILED, EvidenceError, UsageError
from evidence_app.i18n import tr
from evidence_app.packet import verify_packet


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
    packet = existing_file(args.packet)
    if not args.identity and not args.passphrase_env:
        raise UsageError("cli.verify.need_key")
    trust = [c for path in args.trust for c in load_certificates(existing_file(path))]
    passphrase = secret_from_env(args.passphrase_env) if args.passphrase_env else None
    id_pass = secret_from_env(args.identity_pass_env) if args.identity_pass_env else None
    keys: list[pyrage.x25519.Identity] = []
    for path in args.identity:
        try:
            keys += age_keys.load_age_identity(existing_file(path), id_pass)
        except UsageError:
            raise
        except EvidenceError as exc:  # wrong passphrase, damaged identity file
            return _fail(args, str(packet), exc)
    extract = None
    if args.extract:
        from evidence_app.output_guard import check_output

        # never into a case folder or onto an input; emptiness is the reader's own rule
        extract = check_output(
            args.extract, overwrite=True, folder=True, inputs=[packet, *args.identity]
        )
    report = verify_packet(
        packet,
        identities=keys,
        passphrase=passphrase,
        trust=trust or None,
        extract_to=extract,
    )
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
