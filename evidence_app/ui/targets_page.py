"""The targets page: the selected target's form, with add and remove."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_app.i18n import tr
from evidence_app.model import Case
from evidence_app.ui.forms.target_form import TargetForm
from evidence_app.ui.layouts import button_row


class TargetsPage(QWidget):
    add_requested = Signal()
    remove_requested = Signal(str)
    edited = Signal(object)  # Target

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("add_target")
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self._remove)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.form = TargetForm(self)
        self.form.edited.connect(self.edited)
        buttons = button_row(self.add_button, self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.form, 1)
        self.target_id = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(tr("ui.targets.add"))
        self.remove_button.setText(tr("ui.targets.remove"))
        self.hint.setText(tr("ui.targets.hint"))
        self.form.retranslate()

    def show_target(self, case: Case | None, target_id: str) -> None:
        if case is not None and not target_id and case.targets:
            target_id = case.targets[0].id
        target = case.target(target_id) if case else None
        self.target_id = target.id if target else ""
        position = case.targets.index(target) if (case and target) else 0
        self.form.set_object(target, f"targets[{position}]")
        self.remove_button.setEnabled(target is not None)
        self.hint.setVisible(case is not None and not case.targets)

    def _remove(self) -> None:
        if self.target_id:
            self.remove_requested.emit(self.target_id)
