"""``evidence-app export CASE --pdf-only OUT.pdf``: the handler the export command calls.

``evidence_app/cli/cmd_export.py`` (owned by the packet exporter) parses the arguments and
calls :func:`run_pdf_only` when ``--pdf-only`` is given. The bundle's date is the current time,
or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), so a script can make
byte-identical bundles.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from pathlib import Path

from evidence_app.errors import EXIT_OK, UsageError
from evidence_app.exporters.pdf.bundle import build_bundle
from evidence_app.i18n import tr, words


def bundle_clock() -> _dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    try:
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError("pdf.cli.bad_epoch", value=epoch) from exc


def run_pdf_only(args: argparse.Namespace) -> int:
    """Uses ``args.case``, ``args.pdf_only`` (the output path), and ``args.target`` (chosen
    targets) and ``args.json`` if present."""
    from evidence_app.cli._common import open_case, print_json
    from evidence_app.exporters.complaint import checked_selection

    out = Path(args.pdf_only)
    clock = bundle_clock()
    with open_case(args.case, writer="export") as store:
        # Gaps refuse (exit 3) unless --allow-gaps; a PDF made with gaps is marked a draft.
        case, check = checked_selection(
            store.load(),
            getattr(args, "target", None),
            bool(getattr(args, "allow_gaps", False)),
            channel=getattr(args, "channel", None) or store.load().channel or None,
        )
        result = build_bundle(case, store.blobs, out, clock=clock, check_result=check)
        store.record_event(
            "export.pdf",
            {
                "sha256": result.sha256,
                "pages": result.page_count,
                "name": out.name,
                "channel": case.channel,
                "targets": [t.id for t in case.targets],
                "draft": result.draft,
                "gaps": len(check.gaps()),
            },
        )
    if getattr(args, "json", False):
        print_json(
            {
                "path": str(result.path),
                "sha256": result.sha256,
                "pages": result.page_count,
                "pdfa": result.pdfa,
                "draft": result.draft,
                "exhibits": [vars(e) for e in result.exhibits],
                "warnings": [{"key": w.key, "message": words(w)} for w in result.warnings],
            }
        )
    else:
        for warning in result.warnings:
            print(tr("pdf.cli.warning", message=words(warning)), file=sys.stderr)
        if result.draft:
            print(tr("pdf.cli.draft", count=len(check.gaps())), file=sys.stderr)
        print(tr("pdf.cli.done", path=str(out), pages=result.page_count, sha256=result.sha256))
    return EXIT_OK
