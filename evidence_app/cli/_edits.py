"""Printing what an edit command changed (shared by set, evidence, target, complainant,
filer, statement and follow-up)."""

from __future__ import annotations

import argparse

from evidence_app.app.edits import Edited
from evidence_app.cli._common import print_json
from evidence_app.errors import EXIT_OK
from evidence_app.i18n import tr


def add_field_option(parser: argparse.ArgumentParser, cls: type, *, required: bool) -> None:
    from evidence_app.app.edits import field_help

    parser.add_argument(
        "--field",
        action="append",
        default=[],
        required=required,
        metavar="NAME=VALUE",
        help=tr("cli.field.opt", fields=field_help(cls)),
    )


def report(args: argparse.Namespace, edited: Edited, key: str) -> int:
    if getattr(args, "json", False):
        print_json({"path": edited.path, "record": edited.record})
    else:
        print(tr(key, path=edited.path))
    return EXIT_OK
