"""The command line: the same core as the desktop app (PRODUCT.md section 6).

Each sub-command lives in its own module under ``evidence_app.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` (a function taking the
parsed arguments and returning an exit code). Errors are words only here: core exceptions
carry message keys, and :func:`main` prints them translated, with a traceback only under
``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from evidence_app import __version__
from evidence_app.errors import EXIT_ERROR, EXIT_OK, EXIT_USAGE, EvidenceError
from evidence_app.i18n import LANG_ENV, normalise_language, set_language, tr

# Sub-command modules, in the order `--help` lists them.
COMMAND_MODULES = (
    "evidence_app.cli.cmd_gui",
    "evidence_app.cli.cmd_demo",
    "evidence_app.cli.cmd_case",
    "evidence_app.cli.cmd_import",
    "evidence_app.cli.cmd_audit",
    "evidence_app.cli.cmd_check",
    "evidence_app.cli.cmd_export",
    "evidence_app.cli.cmd_paperwork",
    "evidence_app.cli.cmd_verify",
    "evidence_app.cli.cmd_keys",
    "evidence_app.cli.cmd_selftest",
)


class _Parser(argparse.ArgumentParser):
    """argparse with translated errors and exit code 2 (usage)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(tr("cli.usage_error", prog=self.prog, message=message) + "\n")
        raise SystemExit(EXIT_USAGE)


def _pre_scan_language(argv: Sequence[str]) -> str:
    """The language must be known before the (translated) parser is built."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_language(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return normalise_language(os.environ.get(LANG_ENV))


# argparse's own words ("usage:", "options" ...) come from gettext's default domain, which
# ships no Chinese; route them through our catalogue instead.
_ARGPARSE_KEYS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "expected one argument": "cli.argparse.expected_one",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
}


def _argparse_gettext(message: str) -> str:
    key = _ARGPARSE_KEYS.get(message)
    return tr(key) if key else message


def build_parser() -> argparse.ArgumentParser:
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    parser = _Parser(prog="evidence-app", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"evidence-app {__version__}")
    parser.add_argument(
        "--lang", choices=["zh_CN", "zh", "en"], help=tr("cli.opt.lang"), default=None
    )
    parser.add_argument("--debug", action="store_true", help=tr("cli.opt.debug"))
    sub = parser.add_subparsers(dest="command", metavar=tr("cli.command_metavar"))
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_pre_scan_language(args_list))
    # No sub-command, or only a case path: open the desktop app (the default command).
    if not args_list or (not args_list[0].startswith("-") and args_list[0] not in _command_names()):
        args_list = ["gui", *args_list]
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.lang:
        set_language(args.lang)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(handler(args))
    except EvidenceError as exc:
        if args.debug:
            raise
        print(tr("cli.error", message=exc.message()), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        if args.debug:
            raise
        print(
            tr("cli.os_error", path=exc.filename or "", detail=exc.strerror or str(exc)),
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as exc:
        if args.debug:
            raise
        print(tr("cli.unexpected", detail=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_ERROR


def _command_names() -> set[str]:
    # One list of commands (COMMAND_MODULES): cmd_<name> is the command <name>.
    return {m.rsplit(".cmd_", 1)[1] for m in COMMAND_MODULES} | {"-h", "--help"}


def run() -> None:
    sys.exit(main())


__all__ = ["EXIT_OK", "main"]
