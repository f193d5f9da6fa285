"""One target (被举报信息): where it is, who posted it, what it is, what to ask for."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from evidence_app.model import AccountRole, Category, ContentForm, Measure
from evidence_app.ui.forms.form_base import FieldSpec, FormBase

SPECS = [
    FieldSpec("id", "readonly", label_key="ui.field.target_id"),
    FieldSpec("url", placeholder_key="ui.placeholder.url"),
    FieldSpec("platform"),
    FieldSpec("content_form", "combo", ContentForm),
    FieldSpec("account_name"),
    FieldSpec("account_id"),
    FieldSpec("account_role", "combo", AccountRole, optional_enum=True),
    FieldSpec("excerpt", "text"),
    FieldSpec("published_at", placeholder_key="ui.placeholder.datetime"),
    FieldSpec("discovered_at", placeholder_key="ui.placeholder.datetime"),
    FieldSpec("ip_location"),
    FieldSpec("engagement.views", "int"),
    FieldSpec("engagement.likes", "int"),
    FieldSpec("engagement.shares", "int"),
    FieldSpec("engagement.comments", "int"),
    FieldSpec("categories", "checks", Category),
    FieldSpec("measures", "checks", Measure),
    FieldSpec("response_url", placeholder_key="ui.placeholder.url"),
    FieldSpec("time_sensitive", "check"),
    FieldSpec("facts_settled", "check"),
    FieldSpec("notes", "text"),
]


class TargetForm(FormBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ui.form.target", SPECS, parent)
        self.retranslate()
