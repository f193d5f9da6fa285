"""The evidence table's Qt model: one row per exhibit, sortable and filterable via a proxy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from evidence_app.i18n import tr
from evidence_app.model import Case, EvidenceItem
from evidence_app.ui.text import clean, enum_name
from evidence_app.ui.thumbnails import ThumbnailCache

COLUMNS = ("thumb", "number", "title", "kind", "targets", "name", "type", "size", "imported")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        ID_ROLE,
        SORT_ROLE,
    }
)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(size)


class EvidenceTableModel(QAbstractTableModel):
    def __init__(self, thumbnails: ThumbnailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[EvidenceItem] = []
        self._row_of_sha: dict[str, list[int]] = {}
        self._thumbs = thumbnails
        thumbnails.ready.connect(self._thumbnail_ready)

    def set_case(self, case: Case | None) -> None:
        """Show ``case``'s exhibits. When the rows are the same exhibits in the same order,
        perhaps with more at the end (an edit, an import adding files), only the changed
        rows are repainted and the new ones inserted: a reset re-sorts and re-lays out the
        whole table and drops the selection, which a large import made visible as stalls."""
        new = list(case.evidence) if case else []
        old = self._items
        if not old or [e.id for e in new[: len(old)]] != [e.id for e in old]:
            self.beginResetModel()
            self._items = new
            self._index_shas()
            self.endResetModel()
            return
        changed = [row for row, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        self._items = new[: len(old)]
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1)
            )
        if len(new) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self._items = new
            self.endInsertRows()
        self._index_shas()

    def _index_shas(self) -> None:
        self._row_of_sha = {}
        for row, item in enumerate(self._items):
            self._row_of_sha.setdefault(item.sha256, []).append(row)

    def item(self, row: int) -> EvidenceItem:
        return self._items[row]

    def row_of(self, evidence_id: str) -> int:
        return next((i for i, e in enumerate(self._items) if e.id == evidence_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "" if COLUMNS[section] == "thumb" else tr(f"ui.evidence.col.{COLUMNS[section]}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell on every repaint: answer the rest at once.
        if role not in _ROLES or not index.isValid():
            return None
        item = self._items[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            if column in ("number", "thumb"):
                return item.number
            if column == "size":
                return item.size
            return self._display(item, column)
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DecorationRole and column == "thumb":
            return self._thumbs.get(item)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("title", "name"):
            return clean(item.title) + "\n" + clean(item.original_name)
        return None

    @staticmethod
    def _display(item: EvidenceItem, column: str) -> str:
        if column == "number":
            return tr("ui.evidence.label", number=item.number)
        if column == "title":
            return clean(item.title)
        if column == "kind":
            return enum_name(item.kind)
        if column == "targets":
            return ", ".join(item.target_ids)
        if column == "name":
            return clean(item.original_name)
        if column == "type":
            return item.media_type
        if column == "size":
            return human_size(item.size)
        if column == "imported":
            return item.imported_at.replace("T", " ").rstrip("Z")
        return ""

    def _thumbnail_ready(self, shas: list[str]) -> None:
        rows = [row for sha in shas for row in self._row_of_sha.get(sha, [])]
        if rows:  # one span for the batch: views repaint once
            column = COLUMNS.index("thumb")
            self.dataChanged.emit(
                self.index(min(rows), column),
                self.index(max(rows), column),
                [Qt.ItemDataRole.DecorationRole],
            )

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, len(COLUMNS) - 1)
            )


class EvidenceFilterModel(QSortFilterProxyModel):
    """Case-insensitive text filter over every column, plus an optional kind filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._kind = ""

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if self._kind and isinstance(model, EvidenceTableModel):
            if model.item(source_row).kind.value != self._kind:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
