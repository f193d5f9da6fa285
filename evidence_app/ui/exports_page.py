"""The exports page: start the export wizard or the verify dialog; past exports from the
custody log."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.store import CaseStore
from evidence_app.ui.layouts import button_row
from evidence_app.ui.text import clean


class ExportsPage(QWidget):
    export_requested = Signal()
    verify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export_requested)
        self.verify_button = QPushButton(self)
        self.verify_button.clicked.connect(self.verify_requested)
        self.history_label = QLabel(self)
        self.history = QListWidget(self)
        buttons = button_row(self.export_button, self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        self._store: CaseStore | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(tr("ui.exports.intro"))
        self.export_button.setText(tr("ui.exports.export"))
        self.verify_button.setText(tr("ui.exports.verify"))
        self.history_label.setText(tr("ui.exports.history"))
        self.refresh(self._store)

    def refresh(self, store: CaseStore | None) -> None:
        self._store = store
        self.history.clear()
        if store is None:
            return
        for entry in store.custody_log():
            if entry.action.startswith(("export", "packet", "verify")):
                details = ", ".join(
                    f"{k}={clean(str(v), 80)}" for k, v in sorted(entry.details.items())
                )
                self.history.addItem(f"{entry.at}  {entry.action}  {details}")
