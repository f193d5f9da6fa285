"""The filer (提交人): the enterprise itself or an agent (employee, law firm)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from evidence_app.model import FilerRole
from evidence_app.ui.forms.form_base import FieldSpec, FormBase

SPECS = [
    FieldSpec("role", "combo", FilerRole),
    FieldSpec("name", label_key="ui.field.filer_name"),
    FieldSpec("organisation"),
    FieldSpec("id_number", placeholder_key="ui.placeholder.id_number"),
    FieldSpec("phone"),
    FieldSpec("email"),
]


class FilerForm(FormBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ui.form.filer", SPECS, parent)
        self.retranslate()
