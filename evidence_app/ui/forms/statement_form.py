"""The statement (情况说明): facts, reasons, demands."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from evidence_app.model import Problem
from evidence_app.ui.forms.form_base import FieldSpec, FormBase

SPECS = [FieldSpec("facts", "text"), FieldSpec("reasons", "text"), FieldSpec("demands", "text")]


class StatementForm(FormBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ui.form.statement", SPECS, parent)
        self.retranslate()

    def problems_of(self, obj: Any) -> list[Problem]:
        return []  # free text; the readiness check says what is missing
