"""Typed errors of the PDF bundle. Messages live in ``resources/i18n/pdf.*.json``."""

from __future__ import annotations

from typing import Any

from evidence_app.errors import EvidenceError
from evidence_app.model import EvidenceItem


class BundleError(EvidenceError):
    """The bundle or a paperwork template cannot be produced."""


class ExhibitRefused(BundleError):
    """One exhibit stops the export; ``params`` name it (number, title) and say why."""

    def __init__(self, key: str, item: EvidenceItem, **params: Any) -> None:
        super().__init__(key, number=item.number, title=item.title, **params)
        self.evidence_id = item.id


def short(exc: object, limit: int = 160) -> str:
    """An exception as a short one-line detail for a message parameter."""
    text = " ".join((str(exc) or type(exc).__name__).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
