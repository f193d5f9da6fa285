"""Typed errors of the core.

The core never words a message itself: it raises an error carrying a message key and
parameters; the CLI and the UI turn it into text in the user's language through
:func:`evidence_app.i18n.tr` (one place each), so the same failure reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

# Exit codes of the command line (PRODUCT.md section 6).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_GAPS = 3
EXIT_VERIFY_FAILED = 4


class EvidenceError(Exception):
    """Base of every error the core raises on purpose.

    ``key`` names a message in the translation catalogues; ``params`` fill its placeholders.
    """

    exit_code = EXIT_ERROR

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from evidence_app.i18n import tr

        return tr(self.key, **self.params)

    def __str__(self) -> str:  # readable in logs and tracebacks (--debug)
        return f"{self.key} {self.params}" if self.params else self.key

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle as "this class with these attributes": subclasses take different __init__
        # arguments, and errors cross the pipe from the export helper process.
        return (_rebuild_error, (type(self), self.args, self.__dict__))


def _rebuild_error(
    cls: type[EvidenceError], args: tuple[Any, ...], state: dict[str, Any]
) -> EvidenceError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(EvidenceError):
    """The command was called wrongly (bad argument, missing file)."""

    exit_code = EXIT_USAGE


class ValidationError(EvidenceError):
    """Data failed validation; ``params['path']`` locates the field when known."""


class StoreError(EvidenceError):
    """The case store is missing, locked, of an unknown version, or damaged."""


class IntakeRefused(EvidenceError):
    """A file cannot become evidence (encrypted, truncated, bomb, empty, too large ...)."""


class AuditFailed(EvidenceError):
    """The custody log or a stored blob does not verify."""

    exit_code = EXIT_VERIFY_FAILED


class VerificationFailed(EvidenceError):
    """A packet or signature does not verify."""

    exit_code = EXIT_VERIFY_FAILED


class Cancelled(EvidenceError):
    """The user cancelled a long-running job; nothing was left half-done."""

    def __init__(self) -> None:
        super().__init__("error.cancelled")
