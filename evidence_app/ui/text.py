"""Words for the UI: enum names, validation problems and errors, all through ``tr``."""

from __future__ import annotations

from enum import StrEnum

from evidence_app.errors import Cancelled, EvidenceError
from evidence_app.i18n import tr
from evidence_app.model import Problem


def enum_name(member: StrEnum) -> str:
    return tr(f"enum.{type(member).__name__.lower()}.{member.value}")


def problem_text(problem: Problem) -> str:
    return tr(problem.key, **problem.params)


def error_text(exc: BaseException) -> str:
    """What happened, in the user's language (what to do is in the message or added)."""
    if isinstance(exc, EvidenceError):
        return exc.message()
    if isinstance(exc, MemoryError):
        return tr("ui.error.memory")
    if isinstance(exc, OSError):
        return tr("ui.error.os", detail=exc.strerror or str(exc), path=exc.filename or "")
    return tr("ui.error.unexpected", detail=f"{type(exc).__name__}: {exc}")


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)


def clean(text: str, limit: int = 200) -> str:
    """Strip control characters before display (file names are untrusted)."""
    out = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"
