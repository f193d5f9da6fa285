"""``evidence-app [CASE]`` / ``evidence-app gui [CASE]``: open the desktop app."""

from __future__ import annotations

import argparse
from pathlib import Path

from evidence_app.i18n import current_language, tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("gui", help=tr("cli.gui.help"), description=tr("cli.gui.help"))
    parser.add_argument("case", nargs="?", help=tr("cli.arg.case_optional"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the core and every other command must work without Qt installed.
    from evidence_app.ui.app import run_app

    return run_app(Path(args.case) if args.case else None, current_language())
