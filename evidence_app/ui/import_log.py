"""Per-file import results (imported, duplicate, refused with the reason), never modal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr, words
from evidence_app.intake import ImportOutcome
from evidence_app.ui.text import clean

COLOURS = {"imported": "#1b7f3b", "duplicate": "#8a6d00", "refused": "#b00020"}


class ImportLog(QWidget):
    evidence_activated = Signal(str)  # evidence id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self._counts = {"imported": 0, "duplicate": 0, "refused": 0}
        self._outcomes: list[ImportOutcome] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.clear_button.setText(tr("ui.importlog.clear"))
        self._update_summary()
        for i, outcome in enumerate(self._outcomes):
            self.list.item(i).setText(clean(words(outcome.as_message()), 400))

    def add_outcomes(self, outcomes: list[ImportOutcome]) -> None:
        for outcome in outcomes:
            self._outcomes.append(outcome)
            self._counts[outcome.status] = self._counts.get(outcome.status, 0) + 1
            entry = QListWidgetItem(clean(words(outcome.as_message()), 400))
            entry.setForeground(QColor(COLOURS.get(outcome.status, "#000000")))
            entry.setData(Qt.ItemDataRole.UserRole, outcome.item.id if outcome.item else "")
            entry.setData(Qt.ItemDataRole.UserRole + 1, outcome.status)
            self.list.addItem(entry)
        self.list.scrollToBottom()
        self._update_summary()

    def clear(self) -> None:
        self.list.clear()
        self._outcomes.clear()
        self._counts = {"imported": 0, "duplicate": 0, "refused": 0}
        self._update_summary()

    def _update_summary(self) -> None:
        counts = self._counts
        self.summary.setText(
            tr(
                "ui.importlog.summary",
                imported=counts["imported"],
                duplicate=counts["duplicate"],
                refused=counts["refused"],
            )
        )

    def messages(self, status: str | None = None) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if status is None or self.list.item(i).data(Qt.ItemDataRole.UserRole + 1) == status
        ]

    def _activated(self, entry: QListWidgetItem) -> None:
        evidence_id = entry.data(Qt.ItemDataRole.UserRole)
        if evidence_id:
            self.evidence_activated.emit(evidence_id)
