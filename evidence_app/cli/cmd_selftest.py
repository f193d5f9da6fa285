"""``evidence-app selftest``: check this installation end to end (evidence_app.app.selftest)."""

from __future__ import annotations

import argparse

from evidence_app.cli._common import print_json
from evidence_app.errors import EXIT_ERROR, EXIT_OK
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "selftest", help=tr("cli.selftest.help"), description=tr("cli.selftest.help")
    )
    parser.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evidence_app.app.selftest import run_selftest

    outcomes = run_selftest()
    ok = all(o.ok for o in outcomes)
    if args.json:
        print_json({"ok": ok, "checks": [vars(o) for o in outcomes]})
    else:
        for o in outcomes:
            mark = "✔" if o.ok else "✘"
            name = tr(f"cli.selftest.check.{o.name}")
            print(f"{mark} {name}: {o.detail} ({o.ms:.0f} ms)")
        print(tr("cli.selftest.ok" if ok else "cli.selftest.failed"))
    return EXIT_OK if ok else EXIT_ERROR
