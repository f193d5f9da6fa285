"""``evidence-app export CASE ...``: parse the options into the application layer's
:class:`ExportPlan`, run it, print what it wrote.

``--out PACKET`` (signed, encrypted), ``--folder DIR`` (an upload folder for ``--channel``)
and ``--pdf OUT.pdf`` (the signed complaint) may be combined: the complaint is checked,
built and signed once for all of them, and every output names the same channel.
``--pdf-only OUT.pdf`` writes an unchecked draft of the complaint bundle alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.cli._common import print_json, secret_from_env
from evidence_app.errors import EXIT_OK, UsageError
from evidence_app.i18n import tr

if TYPE_CHECKING:
    from evidence_app.app.export_plan import ExportOutcome, ExportPlan
    from evidence_app.exporters.upload_folder import UploadFolderResult


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
    parser.add_argument("--pdf", metavar="OUT.pdf", help=tr("cli.export.opt_pdf"))
    parser.add_argument("--pdf-only", metavar="OUT.pdf", help=tr("cli.export.opt_pdf_only"))
    parser.add_argument("--overwrite", action="store_true", help=tr("cli.opt.overwrite"))
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def check_pdf_only_output(args: argparse.Namespace) -> None:
    """Before any work: the draft goes nowhere inside the case, over an input, or over an
    existing file without --overwrite (evidence_app.output_guard). The plan's outputs are
    checked by ExportPlan.problems, the same list the wizard shows."""
    from evidence_app.output_guard import check_output
    from evidence_app.store.case_store import case_path

    check_output(
        args.pdf_only,
        overwrite=args.overwrite,
        cases=[case_path(args.case)],
        inputs=[args.sign, args.case],
    )


def run(args: argparse.Namespace) -> int:
    if args.pdf_only:
        check_pdf_only_output(args)
        from evidence_app.cli.pdf_only import run_pdf_only

        return int(run_pdf_only(args))
    from evidence_app.app.export_plan import export_operation
    from evidence_app.cli.progress import terminal_progress

    plan = build_plan(args)
    with terminal_progress(tr("cli.progress.export")) as (progress, cancel):
        outcome = export_operation(plan).run_here(progress, cancel)
    if args.json:
        print_json(outcome_json(outcome))
    else:
        print_outcome(outcome)
    return EXIT_OK


def build_plan(args: argparse.Namespace) -> ExportPlan:
    """The options as a plan; its problems (one list with the wizard's) are usage errors."""
    from evidence_app.app.export_plan import ExportPlan, PacketSpec, SigningSpec
    from evidence_app.store import case_path

    if args.sign and not args.sign_pass_env:
        raise UsageError("cli.export.need_sign")
    signing = SigningSpec()
    if args.sign:
        signing = SigningSpec("existing", Path(args.sign), secret_from_env(args.sign_pass_env))
    packet = None
    if args.out:
        passphrase = secret_from_env(args.passphrase_env) if args.passphrase_env else None
        packet = PacketSpec(Path(args.out), tuple(args.recipient), passphrase)
    plan = ExportPlan(
        case_root=case_path(args.case),
        target_ids=tuple(args.target or ()),
        allow_gaps=args.allow_gaps,
        channel=args.channel,
        signing=signing,
        packet=packet,
        folder=Path(args.folder) if args.folder else None,
        pdf=Path(args.pdf) if args.pdf else None,
        overwrite=args.overwrite,
    )
    if args.sign and not Path(args.sign).is_file():
        raise UsageError("cli.file_missing", path=args.sign)
    problems = plan.problems()
    if problems:
        raise UsageError(problems[0].key, **problems[0].params)
    return plan


def outcome_json(outcome: ExportOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {
        "channel": outcome.channel,
        "signer_fingerprint": outcome.signer_fingerprint,
        "gaps": outcome.gaps,
    }
    if outcome.packet is not None:
        result = outcome.packet
        out.update(
            {
                "packet": str(result.packet_path),
                "key_file": str(result.key_path) if result.key_path else None,
                "packet_sha256": result.packet_sha256,
                "packet_size": result.packet_size,
                "manifest_sha256": result.manifest_sha256,
                "recipients": result.recipients,
                "files": [f.to_json_dict() for f in result.files],
                "gaps": result.gaps,
            }
        )
    if outcome.upload_folder is not None:
        folder = folder_json(outcome.upload_folder)
        out["upload_folder"] = folder
        if outcome.packet is None:
            out.update(folder)  # the folder alone: its fields at the top, as before
    if outcome.pdf is not None:
        out["pdf"] = str(outcome.pdf)
    return out


def folder_json(result: UploadFolderResult) -> dict[str, Any]:
    return {
        "folder": str(result.folder),
        "channel": result.channel,
        "signed": result.signed,
        "gaps": result.gaps,
        "uploads": [vars(row) for row in result.uploads],
        "unfit": result.unfit,
    }


def print_outcome(outcome: ExportOutcome) -> None:
    folder = outcome.upload_folder
    if folder is not None:
        print(
            tr(
                "cli.export.folder_done",
                path=str(folder.folder),
                uploads=len(folder.uploads),
                channel=folder.channel,
            )
        )
        if folder.unfit:
            print(tr("cli.export.folder_unfit", count=len(folder.unfit)), file=sys.stderr)
        print(tr("cli.export.folder_plaintext"), file=sys.stderr)
    if outcome.pdf is not None:
        print(tr("cli.export.pdf_done", path=str(outcome.pdf)))
    result = outcome.packet
    if result is None:
        return
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
