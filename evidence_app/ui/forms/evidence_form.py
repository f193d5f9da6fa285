"""One exhibit's description: title, kind, what it proves, targets and kind-specific fields.
The stored original (hash, size, type) is shown read-only: it can never change."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QWidget

from evidence_app.i18n import tr
from evidence_app.model import EVIDENCE_FIELDS, Case, EvidenceKind
from evidence_app.ui.forms.form_base import FieldSpec, FormBase
from evidence_app.ui.text import clean

_PLACEHOLDERS = {
    "source_url": "ui.placeholder.url",
    "captured_at": "ui.placeholder.datetime",
    "issued_at": "ui.placeholder.datetime",
    "queried_at": "ui.placeholder.datetime",
    "published_at": "ui.placeholder.datetime",
}

SPECS = [
    FieldSpec("label", "readonly", label_key="ui.field.exhibit"),
    FieldSpec("title", label_key="ui.field.evidence_title"),
    FieldSpec("kind", "combo", EvidenceKind),
    FieldSpec("proves", "text"),
    *[
        FieldSpec(
            f"fields.{name}",
            placeholder_key=_PLACEHOLDERS.get(name, ""),
            label_key=f"ui.field.ev_{name}",
        )
        for name in EVIDENCE_FIELDS
    ],
    FieldSpec("original_name", "readonly"),
    FieldSpec("media_type", "readonly"),
    FieldSpec("size", "readonly"),
    FieldSpec("sha256", "readonly"),
    FieldSpec("imported_at", "readonly"),
]


class EvidenceForm(FormBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ui.form.evidence", SPECS, parent)
        self.targets_box = QGroupBox(self)
        self._targets_layout = QHBoxLayout(self.targets_box)
        self._target_checks: dict[str, QCheckBox] = {}
        self.extra.addWidget(self.targets_box)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.targets_box.setTitle(tr("ui.field.target_ids"))

    def set_case_targets(self, case: Case) -> None:
        """One check box per target of the case (rebuilt when targets change)."""
        ids = [t.id for t in case.targets]
        if ids != list(self._target_checks):
            for box in self._target_checks.values():
                box.deleteLater()
            self._target_checks = {}
            for target in case.targets:
                box = QCheckBox(self.targets_box)
                box.setObjectName(f"target_{target.id}")
                box.toggled.connect(lambda _v: self._changed("target_ids", True))
                self._targets_layout.addWidget(box)
                self._target_checks[target.id] = box
        for target in case.targets:
            label = target.id + (f" {clean(target.platform, 20)}" if target.platform else "")
            self._target_checks[target.id].setText(label)

    def set_object(self, obj: Any, prefix: str) -> None:
        super().set_object(obj, prefix)
        if obj is not None:
            for tid, box in self._target_checks.items():
                box.blockSignals(True)
                box.setChecked(tid in obj.target_ids)
                box.blockSignals(False)

    def fill_extra(self, obj: Any) -> None:
        obj.target_ids = [tid for tid, box in self._target_checks.items() if box.isChecked()]

    def readonly_text(self, name: str, value: Any) -> str:
        if name == "label" and self.obj is not None:
            return tr("ui.evidence.label", number=self.obj.number)
        if name == "size":
            return tr("ui.evidence.bytes", size=value or 0)
        return clean(str(value or ""), 300)

    def _put(self, spec: FieldSpec, value: Any) -> None:
        if spec.name == "label":
            value = None
        super()._put(spec, value)
