"""The complainant (举报人): the enterprise, its USCC, contacts and priority status, and its
protected executives."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from evidence_app.model import PriorityType, Problem
from evidence_app.ui.forms.executives_table import ExecutivesTable
from evidence_app.ui.forms.form_base import FieldSpec, FormBase

SPECS = [
    FieldSpec("name", label_key="ui.field.company_name"),
    FieldSpec("uscc", placeholder_key="ui.placeholder.uscc"),
    FieldSpec("legal_representative"),
    FieldSpec("address"),
    FieldSpec("province"),
    FieldSpec("city"),
    FieldSpec("contact_name"),
    FieldSpec("contact_phone"),
    FieldSpec("contact_email"),
    FieldSpec("priority_types", "checks", PriorityType),
    FieldSpec("exchange"),
    FieldSpec("stock_code"),
]


class ComplainantForm(FormBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ui.form.complainant", SPECS, parent)
        self.executives = ExecutivesTable(self)
        self.executives.changed.connect(self._executives_changed)
        self.extra.addWidget(self.executives)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "executives"):
            self.executives.retranslate()

    def set_object(self, obj: Any, prefix: str) -> None:
        if obj is not None:
            self.executives.set_executives(obj.executives)
        super().set_object(obj, prefix)

    def fill_extra(self, obj: Any) -> None:
        obj.executives = self.executives.value()

    def _executives_changed(self) -> None:
        self.validate()
        self.commit()

    def validate(self) -> list[Problem]:
        problems = super().validate()
        self.executives.show_problems(problems, f"{self.prefix}.executives")
        return problems

    def focus_field(self, path: str) -> bool:
        if path.startswith(f"{self.prefix}.executives") or path == "executives":
            self.executives.focus()
            return True
        return super().focus_field(path)
