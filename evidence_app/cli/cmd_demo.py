"""``evidence-app demo DIR``: write the demo case."""

from __future__ import annotations

import argparse
from pathlib import Path

from evidence_app.app.demo import write_demo_case
from evidence_app.errors import EXIT_OK
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help=tr("cli.demo.help"), description=tr("cli.demo.help"))
    parser.add_argument("dir", help=tr("cli.demo.arg_dir"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = write_demo_case(Path(args.dir))
    print(tr("cli.demo.written", path=str(path)))
    return EXIT_OK
