"""The complainant (举报人): the enterprise, its USCC, contacts and priority status."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from evidence_app.model import PriorityType
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
        self.retranslate()
