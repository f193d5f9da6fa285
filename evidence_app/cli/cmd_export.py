"""``evidence-app export CASE --out PACKET ...``: the signed, encrypted packet.

``--folder DIR`` writes an upload folder for a channel profile (``--channel``), alone or
beside the packet; ``--target ID`` limits either to some targets. ``--pdf-only OUT.pdf``
writes just the complaint bundle (handled by the PDF exporter).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from evidence_app.cli._common import existing_file, open_case, print_json, secret_from_env
from evidence_app.errors import EXIT_OK, UsageError
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("export", help=tr("cli.export.help"), description=tr("cli.export.help"))
    parser.add_argument("case", help=tr("cli.arg.case"))
    parser.add_argument("--out", help=tr("cli.export.opt_out"))
    parser.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="AGE_PUB",
        help=tr("cli.export.opt_recipient"),
    )
    parser.add_argument("--passphrase-env", metavar="VAR", help=tr("cli.export.opt_passphrase_env"))
    parser.add_argument("--sign", metavar="P12", help=tr("cli.export.opt_sign"))
    parser.add_argument("--sign-pass-env", metavar="VAR", help=tr("cli.export.opt_sign_pass_env"))
    parser.add_argument("--allow-gaps", action="store_true", help=tr("cli.export.opt_allow_gaps"))
    parser.add_argument("--target", action="append", metavar="ID", help=tr("cli.export.opt_target"))
    parser.add_argument("--folder", metavar="DIR", help=tr("cli.export.opt_folder"))
    parser.add_argument("--channel", metavar="PROFILE", help=tr("cli.export.opt_channel"))
    parser.add_argument("--pdf-only", metavar="OUT.pdf", help=tr("cli.export.opt_pdf_only"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.pdf_only:
        from evidence_app.cli.pdf_only import run_pdf_only

        return int(run_pdf_only(args))
    return run_packet(args)


def run_packet(args: argparse.Namespace) -> int:
    from evidence_app.channels import get_profile
    from evidence_app.crypto.identities import load_signing_identity
    from evidence_app.exporters.packet import export_packet

    if not args.out and not args.folder:
        raise UsageError("cli.export.need_output")
    if args.out and (not args.sign or not args.sign_pass_env):
        raise UsageError("cli.export.need_sign")
    if args.out and not args.recipient and not args.passphrase_env:
        raise UsageError("cli.export.need_recipient")
    if args.channel:
        get_profile(args.channel, strict=True)  # a typo fails before any work
    signing = None
    if args.sign:
        if not args.sign_pass_env:
            raise UsageError("cli.export.need_sign")
        signing = load_signing_identity(
            existing_file(args.sign), secret_from_env(args.sign_pass_env)
        )
    passphrase = secret_from_env(args.passphrase_env) if args.passphrase_env else None
    with open_case(args.case) as store:
        if args.folder:
            folder_result = _write_folder(args, store, signing)
        if not args.out:
            return EXIT_OK
        assert signing is not None
        result = export_packet(
            store,
            Path(args.out),
            recipients=list(args.recipient),
            passphrase=passphrase,
            signing=signing,
            allow_gaps=args.allow_gaps,
            target_ids=args.target,
        )
    if args.json:
        extra = {"upload_folder": _folder_json(folder_result)} if args.folder else {}
        print_json(
            {
                **extra,
                "packet": str(result.packet_path),
                "key_file": str(result.key_path) if result.key_path else None,
                "packet_sha256": result.packet_sha256,
                "packet_size": result.packet_size,
                "manifest_sha256": result.manifest_sha256,
                "signer_fingerprint": result.signer_fingerprint,
                "recipients": result.recipients,
                "files": [f.to_json_dict() for f in result.files],
                "gaps": result.gaps,
            }
        )
        return EXIT_OK
    if result.gaps:
        print(tr("cli.export.gaps_recorded", count=len(result.gaps)), file=sys.stderr)
    print(
        tr(
            "cli.export.done",
            path=str(result.packet_path),
            files=len(result.files),
            sha256=result.packet_sha256,
        )
    )
    if result.key_path:
        print(tr("cli.export.key_file", path=str(result.key_path)))
    return EXIT_OK


def _write_folder(args: argparse.Namespace, store: Any, signing: Any) -> Any:
    from evidence_app.exporters.upload_folder import export_upload_folder

    result = export_upload_folder(
        store,
        Path(args.folder),
        channel=args.channel,
        target_ids=args.target,
        signing=signing,
        allow_gaps=args.allow_gaps,
    )
    if args.json and not args.out:
        print_json(_folder_json(result))
    elif not args.json:
        print(
            tr(
                "cli.export.folder_done",
                path=str(result.folder),
                uploads=len(result.uploads),
                channel=result.channel,
            )
        )
        if result.unfit:
            print(tr("cli.export.folder_unfit", count=len(result.unfit)), file=sys.stderr)
        print(tr("cli.export.folder_plaintext"), file=sys.stderr)
    return result


def _folder_json(result: Any) -> dict[str, Any]:
    return {
        "folder": str(result.folder),
        "channel": result.channel,
        "signed": result.signed,
        "gaps": result.gaps,
        "uploads": [vars(row) for row in result.uploads],
        "unfit": result.unfit,
    }
