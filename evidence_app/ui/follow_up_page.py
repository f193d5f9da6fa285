"""Follow-up (跟进): submissions, replies and deadlines recorded after export."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.model import FollowUp

COLUMNS = ("date", "event", "channel", "reference", "deadline", "notes")


def _cell_text(cell: QTableWidgetItem | None) -> str:
    return cell.text() if cell is not None else ""


class FollowUpPage(QWidget):
    edited = Signal(list)  # list[FollowUp]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.itemChanged.connect(lambda _item: self._emit())
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._ids: list[str] = []
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr(f"ui.followup.{c}") for c in COLUMNS])
        self.add_button.setText(tr("ui.followup.add"))
        self.remove_button.setText(tr("ui.followup.remove"))

    def set_follow_ups(self, items: list[FollowUp]) -> None:
        self._loading = True
        try:
            self.table.setRowCount(len(items))
            self._ids = [f.id for f in items]
            for row, item in enumerate(items):
                for col, name in enumerate(COLUMNS):
                    value = str(getattr(item, name) or "")
                    cell = self.table.item(row, col)
                    if cell is None:
                        self.table.setItem(row, col, QTableWidgetItem(value))
                    elif cell.text() != value:
                        cell.setText(value)
        finally:
            self._loading = False

    def value(self) -> list[FollowUp]:
        out = []
        for row in range(self.table.rowCount()):
            values = {
                name: _cell_text(self.table.item(row, col)) for col, name in enumerate(COLUMNS)
            }
            out.append(FollowUp(id=self._ids[row], **values))
        return out

    def _emit(self) -> None:
        if not self._loading:
            self.edited.emit(self.value())

    def _add(self) -> None:
        items = [*self.value(), FollowUp(id="F" + uuid.uuid4().hex[:8], event="submitted")]
        self.set_follow_ups(items)
        self.edited.emit(items)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            items = self.value()
            del items[row]
            self.set_follow_ups(items)
            self.edited.emit(items)
