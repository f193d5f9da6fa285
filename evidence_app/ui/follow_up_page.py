"""Follow-up (跟进): submissions, replies and deadlines recorded after export.

One row per event. The event is chosen from a list (translated); dates are ISO (YYYY-MM-DD)
and a malformed one is marked where it was typed; a computed status column counts the days
to each deadline and marks overdue ones, so that a reply window (e.g. a platform's counter-
notice period) is not missed.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.model import FollowUp
from evidence_app.ui.layouts import button_row

COLUMNS = ("date", "event", "channel", "reference", "deadline", "notes")
STATUS = len(COLUMNS)  # the computed column after the stored ones
EVENTS = ("submitted", "reply", "deadline", "recheck")
DATE_COLUMNS = ("date", "deadline")
OVERDUE, DUE_SOON, INVALID = QColor("#b00020"), QColor("#b26a00"), QColor("#fde7e9")


def _cell_text(cell: QTableWidgetItem | None) -> str:
    return cell.text().strip() if cell is not None else ""


def parse_date(text: str) -> _dt.date | None:
    """An ISO date (the start of an ISO timestamp is accepted too), or None."""
    try:
        return _dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class FollowUpPage(QWidget):
    edited = Signal(list)  # list[FollowUp]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today: Callable[[], _dt.date] = _dt.date.today  # replaceable in tests
        self.table = QTableWidget(0, len(COLUMNS) + 1, self)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self._remove)
        buttons = button_row(self.add_button, self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._ids: list[str] = []
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        headers = [tr(f"ui.followup.{c}") for c in COLUMNS] + [tr("ui.followup.status")]
        self.table.setHorizontalHeaderLabels(headers)
        self.add_button.setText(tr("ui.followup.add"))
        self.remove_button.setText(tr("ui.followup.remove"))
        for row in range(self.table.rowCount()):
            combo = self._event_combo(row)
            if combo is not None:
                for i, event in enumerate(EVENTS):
                    combo.setItemText(i, tr(f"ui.followup.event.{event}"))
            self._update_status(row)

    # --- values ------------------------------------------------------------------------------

    def set_follow_ups(self, items: list[FollowUp]) -> None:
        self._loading = True
        try:
            self.table.setRowCount(len(items))
            self._ids = [f.id for f in items]
            for row, item in enumerate(items):
                for col, name in enumerate(COLUMNS):
                    value = str(getattr(item, name) or "")
                    if name == "event":
                        self._set_event(row, value)
                        continue
                    cell = self.table.item(row, col)
                    if cell is None:
                        self.table.setItem(row, col, QTableWidgetItem(value))
                    elif cell.text() != value:
                        cell.setText(value)
                self._update_status(row)
        finally:
            self._loading = False

    def value(self) -> list[FollowUp]:
        out = []
        for row in range(self.table.rowCount()):
            values = {
                name: _cell_text(self.table.item(row, col))
                for col, name in enumerate(COLUMNS)
                if name != "event"
            }
            combo = self._event_combo(row)
            values["event"] = str(combo.currentData() or "") if combo is not None else ""
            out.append(FollowUp(id=self._ids[row], **values))
        return out

    def status_text(self, row: int) -> str:
        cell = self.table.item(row, STATUS)
        return cell.text() if cell is not None else ""

    # --- cells -------------------------------------------------------------------------------

    def _event_combo(self, row: int) -> QComboBox | None:
        widget = self.table.cellWidget(row, COLUMNS.index("event"))
        return widget if isinstance(widget, QComboBox) else None

    def _set_event(self, row: int, value: str) -> None:
        combo = self._event_combo(row)
        if combo is None:
            combo = QComboBox(self.table)
            for event in EVENTS:
                combo.addItem(tr(f"ui.followup.event.{event}"), event)
            combo.currentIndexChanged.connect(lambda _i: self._emit())
            self.table.setCellWidget(row, COLUMNS.index("event"), combo)
        if value and combo.findData(value) < 0:  # free text from an older case: keep it
            combo.addItem(value, value)
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.blockSignals(False)

    def _update_status(self, row: int) -> None:
        """Mark malformed dates and fill the status column (days left, due, overdue)."""
        was_loading, self._loading = self._loading, True
        try:
            for name in DATE_COLUMNS:
                cell = self.table.item(row, COLUMNS.index(name))
                if cell is None:
                    continue
                bad = bool(cell.text().strip()) and parse_date(cell.text()) is None
                cell.setBackground(QBrush(INVALID) if bad else QBrush())
                cell.setToolTip(tr("ui.followup.bad_date") if bad else "")
            deadline = parse_date(_cell_text(self.table.item(row, COLUMNS.index("deadline"))))
            text, colour = "", QColor()
            if deadline is not None:
                days = (deadline - self.today()).days
                if days < 0:
                    text, colour = tr("ui.followup.overdue", days=-days), OVERDUE
                elif days == 0:
                    text, colour = tr("ui.followup.due_today"), OVERDUE
                else:
                    text = tr("ui.followup.days_left", days=days)
                    colour = DUE_SOON if days <= 2 else QColor()
            status = self.table.item(row, STATUS)
            if status is None:
                status = QTableWidgetItem()
                status.setFlags(status.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, STATUS, status)
            status.setText(text)
            status.setForeground(QBrush(colour) if colour.isValid() else QBrush())
        finally:
            self._loading = was_loading

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() == STATUS:
            return
        self._update_status(item.row())
        self._emit()

    def _emit(self) -> None:
        if not self._loading:
            self.edited.emit(self.value())

    def _add(self) -> None:
        today = self.today().isoformat()
        item = FollowUp(id="F" + uuid.uuid4().hex[:8], date=today, event="submitted")
        items = [*self.value(), item]
        self.set_follow_ups(items)
        self.edited.emit(items)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            items = self.value()
            del items[row]
            self.set_follow_ups(items)
            self.edited.emit(items)
