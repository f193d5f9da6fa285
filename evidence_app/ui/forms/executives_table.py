"""The complainant's protected executives (企业家, guidance 八): name, title, ID number.

The 泄密性 rules need them (whose private data leaked), and so does defamation of an
executive. A small table under the complainant form; every change saves (undoably) with the
complainant, and ID numbers are checked (GB 11643 check digit) as they are typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.model import Executive, Problem
from evidence_app.ui.layouts import button_row
from evidence_app.ui.text import problem_text

COLUMNS = ("name", "title", "id_number")
HEADERS = {"name": "name", "title": "title_col", "id_number": "id_number"}
INVALID = QColor("#fde7e9")


class ExecutivesTable(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(110)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_current)
        self.errors = QLabel(self)
        self.errors.setStyleSheet("color: #b00020;")
        self.errors.setWordWrap(True)
        self.errors.hide()
        buttons = button_row(self.add_button, self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.executives.title"))
        self.table.setHorizontalHeaderLabels([tr(f"ui.executives.{HEADERS[c]}") for c in COLUMNS])
        self.add_button.setText(tr("ui.executives.add"))
        self.remove_button.setText(tr("ui.executives.remove"))

    def set_executives(self, executives: list[Executive]) -> None:
        if executives == self.value():
            return  # keep the cursor and any cell being edited
        self._loading = True
        try:
            self.table.setRowCount(len(executives))
            for row, person in enumerate(executives):
                for col, name in enumerate(COLUMNS):
                    self.table.setItem(row, col, QTableWidgetItem(getattr(person, name)))
        finally:
            self._loading = False

    def value(self) -> list[Executive]:
        people = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, col) for col in range(len(COLUMNS))]
            values = [c.text().strip() if c is not None else "" for c in cells]
            people.append(Executive(*values))
        return people

    def add_row(self) -> None:
        self._loading = True
        try:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col in range(len(COLUMNS)):
                self.table.setItem(row, col, QTableWidgetItem(""))
        finally:
            self._loading = False
        self.table.setCurrentCell(row, 0)
        first = self.table.item(row, 0)
        if first is not None:
            self.table.editItem(first)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self.changed.emit()

    def show_problems(self, problems: list[Problem], prefix: str) -> None:
        """Colour the cells ``problems`` name (paths like ``PREFIX[0].id_number``)."""
        bad: dict[tuple[int, int], str] = {}
        for problem in problems:
            rest = problem.path[len(prefix) :]
            if not rest.startswith("["):
                continue
            index, _, field = rest[1:].partition("].")
            if index.isdigit() and field in COLUMNS:
                bad[(int(index), COLUMNS.index(field))] = problem_text(problem)
        self._loading = True
        try:
            for row in range(self.table.rowCount()):
                for col in range(len(COLUMNS)):
                    cell = self.table.item(row, col)
                    if cell is None:
                        continue
                    text = bad.get((row, col))
                    cell.setBackground(QBrush(INVALID) if text else QBrush())
                    cell.setToolTip(text or "")
        finally:
            self._loading = False
        rows = sorted(bad.items())
        self.errors.setText("\n".join(f"{r + 1}: {text}" for (r, _c), text in rows))
        self.errors.setVisible(bool(rows))

    def focus(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.table.rowCount() == 0:
            self.add_row()
