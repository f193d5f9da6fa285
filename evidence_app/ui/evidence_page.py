"""The evidence page: filter bar and table (left), preview and the exhibit's form (right)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.model import Case, EvidenceItem, EvidenceKind
from evidence_app.ui.evidence_model import ID_ROLE, EvidenceFilterModel, EvidenceTableModel
from evidence_app.ui.forms.evidence_form import EvidenceForm
from evidence_app.ui.job_runner import JobRunner
from evidence_app.ui.preview_pane import PreviewPane
from evidence_app.ui.session import CaseSession
from evidence_app.ui.text import enum_name
from evidence_app.ui.thumbnails import ThumbnailCache

ICON = QSize(48, 36)


class EvidencePage(QWidget):
    edited = Signal(object)  # EvidenceItem from the form
    remove_requested = Signal(list)  # evidence ids

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: CaseSession | None = None
        self.thumbnails = ThumbnailCache(runner, self)
        self.model = EvidenceTableModel(self.thumbnails, self)
        self.proxy = EvidenceFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem("", "")
        for kind in EvidenceKind:
            self.kind_filter.addItem("", kind.value)
        self.kind_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(self.kind_filter.currentData() or "")
        )
        # Import buttons show the main window's actions (one place for shortcuts and text).
        self.tool_buttons: list[QToolButton] = []
        self.button_row = QHBoxLayout()

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setIconSize(ICON)
        self.table.verticalHeader().setDefaultSectionSize(ICON.height() + 6)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, ICON.width() + 12)
        for column in (1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(0)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._current_changed())

        self.preview = PreviewPane(runner, self)
        self.form = EvidenceForm(self)
        self.form.edited.connect(self.edited)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 2)
        filters.addWidget(self.kind_filter, 1)
        left_layout.addLayout(filters)
        left_layout.addLayout(self.button_row)
        left_layout.addWidget(self.table, 1)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.preview)
        right.addWidget(self.form)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([420, 300])

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.retranslate()

    def add_action_button(self, action: object) -> None:
        button = QToolButton(self)
        button.setDefaultAction(action)  # type: ignore[arg-type]
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.tool_buttons.append(button)
        self.button_row.addWidget(button)

    def finish_buttons(self) -> None:
        self.button_row.addStretch(1)

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(tr("ui.evidence.filter"))
        self.kind_filter.setItemText(0, tr("ui.evidence.all_kinds"))
        for i in range(1, self.kind_filter.count()):
            self.kind_filter.setItemText(i, enum_name(EvidenceKind(self.kind_filter.itemData(i))))
        self.model.retranslate()
        self.preview.retranslate()
        self.form.retranslate()

    # --- data --------------------------------------------------------------------------------

    def set_session(self, session: CaseSession | None) -> None:
        self.session = session
        self.thumbnails.set_store(session.store if session else None)
        self.preview.set_session(session)
        self.set_case(session.case if session else None)

    def set_case(self, case: Case | None) -> None:
        selected = self.selected_ids()
        current = self.current_id()
        self.model.set_case(case)
        if case is not None:
            self.form.set_case_targets(case)
        self.select_ids(selected, current)
        self._current_changed()

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.data(index, ID_ROLE) for index in rows]

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return self.proxy.data(index, ID_ROLE) if index.isValid() else ""

    def current_item(self) -> EvidenceItem | None:
        evidence_id = self.current_id()
        if not evidence_id or self.session is None:
            return None
        return self.session.evidence(evidence_id)

    def select_ids(self, ids: list[str], current: str = "") -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for evidence_id in ids:
            row = self.model.row_of(evidence_id)
            if row >= 0:
                selection.select(self.proxy.mapFromSource(self.model.index(row, 0)), flags)
        if current:
            row = self.model.row_of(current)
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(index)

    def show_evidence(self, evidence_id: str) -> None:
        self.filter_edit.clear()
        self.kind_filter.setCurrentIndex(0)
        row = self.model.row_of(evidence_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectRow(index.row())
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def filter_kind(self, kind: str) -> None:
        self.filter_edit.clear()
        index = self.kind_filter.findData(kind)
        self.kind_filter.setCurrentIndex(max(index, 0))

    def _current_changed(self) -> None:
        item = self.current_item()
        self.preview.show_item(item)
        prefix = ""
        if item is not None and self.session is not None:
            position = [e.id for e in self.session.case.evidence].index(item.id)
            prefix = f"evidence[{position}]"
        self.form.set_object(item, prefix)
