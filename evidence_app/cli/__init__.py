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
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

from evidence_app import __version__
from evidence_app.errors import EXIT_ERROR, EXIT_OK, EXIT_USAGE, EvidenceError
from evidence_app.failure_words import os_error_words, sqlite_error_words
from evidence_app.i18n import LANG_ENV, normalise_language, set_language, tr

# The command table, in the order `--help` lists them: name → (module, help key). The parser
# imports only the module of the command being run (start-up stays fast); `--help` words
# the others from their help keys. A new command: add cli/cmd_<name>.py with
# ``register(subparsers)`` and a row here (a cmd_*.py without a row is still found, and
# imported, when the parser is built).
COMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("evidence_app.cli.cmd_gui", "cli.gui.help"),
    "demo": ("evidence_app.cli.cmd_demo", "cli.demo.help"),
    "case": ("evidence_app.cli.cmd_case", "cli.case.help"),
    "import": ("evidence_app.cli.cmd_import", "cli.import.help"),
    "set": ("evidence_app.cli.cmd_set", "cli.set.help"),
    "evidence": ("evidence_app.cli.cmd_evidence", "cli.evidence.help"),
    "target": ("evidence_app.cli.cmd_target", "cli.target.help"),
    "complainant": ("evidence_app.cli.cmd_complainant", "cli.complainant.help"),
    "filer": ("evidence_app.cli.cmd_filer", "cli.filer.help"),
    "statement": ("evidence_app.cli.cmd_statement", "cli.statement.help"),
    "audit": ("evidence_app.cli.cmd_audit", "cli.audit.help"),
    "check": ("evidence_app.cli.cmd_check", "cli.check.help"),
    "export": ("evidence_app.cli.cmd_export", "cli.export.help"),
    "paperwork": ("evidence_app.cli.cmd_paperwork", "cli.paperwork.help"),
    "verify": ("evidence_app.cli.cmd_verify", "cli.verify.help"),
    "follow-up": ("evidence_app.cli.cmd_follow_up", "cli.follow_up.help"),
    "keys": ("evidence_app.cli.cmd_keys", "cli.keys.help"),
    "timestamp": ("evidence_app.cli.cmd_timestamp", "cli.timestamp.help"),
    "certificate": ("evidence_app.cli.cmd_certificate", "cli.certificate.help"),
    "selftest": ("evidence_app.cli.cmd_selftest", "cli.selftest.help"),
}
COMMAND_MODULES = tuple(module for module, _key in COMMANDS.values())


def _unlisted_modules() -> list[str]:
    """cmd_*.py modules another change added without a row in COMMANDS (found by name,
    without importing anything)."""
    import pkgutil

    listed = set(COMMAND_MODULES)
    return [
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("cmd_") and f"{__name__}.{info.name}" not in listed
    ]


def _columns() -> int:
    """The terminal's width, as argparse would find it, without importing shutil (which
    imports the bz2 and lzma modules: a tenth of the start-up time of `--help`)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(columns - 2, 20)


class _Formatter(argparse.HelpFormatter):
    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or _columns())


class _Parser(argparse.ArgumentParser):
    """argparse with translated errors and exit code 2 (usage)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(tr("cli.usage_error", prog=self.prog, message=message) + "\n")
        raise SystemExit(EXIT_USAGE)


def _first_command_index(argv: Sequence[str]) -> int:
    """Index of the first argument after the global options (--lang X, --debug)."""
    i = 0
    while i < len(argv):
        if argv[i] == "--lang":
            i += 2
        elif argv[i].startswith("--lang=") or argv[i] == "--debug":
            i += 1
        else:
            break
    return min(i, len(argv))


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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only that command's module is imported."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    parser = _Parser(prog="evidence-app", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"evidence-app {__version__}")
    parser.add_argument(
        "--lang", choices=["zh_CN", "zh", "en"], help=tr("cli.opt.lang"), default=None
    )
    parser.add_argument("--debug", action="store_true", help=tr("cli.opt.debug"))
    sub = parser.add_subparsers(dest="command", metavar=tr("cli.command_metavar"))
    for name, (module_name, help_key) in COMMANDS.items():
        if name == command:
            _register(module_name, sub)
        else:
            sub.add_parser(name, help=tr(help_key), add_help=False)  # listed, not loaded
    for module_name in _unlisted_modules():
        _register(module_name, sub)
    return parser


def _register(module_name: str, sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:  # a command not built yet
            return
        raise
    module.register(sub)


def _chosen_command(args: Sequence[str]) -> str | None:
    """The sub-command named on the command line (None for top-level --help/--version)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--lang":
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_pre_scan_language(args_list))
    # No sub-command, or only a case path: open the desktop app (the default command).
    # Global options may come first: `evidence-app --lang en CASE` opens CASE in English.
    first = _first_command_index(args_list)
    rest = args_list[first:]
    if not rest or (not rest[0].startswith("-") and rest[0] not in _command_names()):
        if "-h" not in args_list[:first] and "--help" not in args_list[:first]:
            args_list = [*args_list[:first], "gui", *rest]
    parser = build_parser(_chosen_command(args_list))
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
    from evidence_app.terminal import EscapingWriter

    # Case data and packet contents reach the terminal escaped (no ESC, CR, bidi override);
    # --json output stays exact for the programs that read it.
    out, err = sys.stdout, sys.stderr
    if not getattr(args, "json", False):
        sys.stdout = EscapingWriter(out)  # type: ignore[assignment]
    sys.stderr = EscapingWriter(err)  # type: ignore[assignment]
    try:
        return _run(handler, args)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(handler: Any, args: argparse.Namespace) -> int:
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
        key, params = os_error_words(exc, _action(handler))
        print(tr(key, **params), file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.Error as exc:  # the case database: disk full, read-only, locked
        if args.debug:
            raise
        key, params = sqlite_error_words(exc, _action(handler), getattr(args, "case", ""))
        print(tr(key, **params), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if args.debug:
            raise
        print(tr("cli.unexpected", detail=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_ERROR


def _action(handler: Any) -> str:
    return str(getattr(handler, "__module__", "")).rsplit(".cmd_", 1)[-1].rsplit(".", 1)[-1]


def _command_names() -> set[str]:
    unlisted = {m.rsplit(".cmd_", 1)[1] for m in _unlisted_modules()}
    return set(COMMANDS) | unlisted | {"-h", "--help"}


def run() -> None:
    sys.exit(main())


__all__ = ["EXIT_OK", "main"]
