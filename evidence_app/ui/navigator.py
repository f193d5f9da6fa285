"""The case navigator: complainant, filer, statement, targets, evidence, checks, exports,
follow-up. Selecting an entry asks the main window to show that page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from evidence_app.i18n import tr
from evidence_app.model import Case
from evidence_app.ui.text import clean

PAGES = (
    "complainant",
    "filer",
    "statement",
    "targets",
    "evidence",
    "checks",
    "exports",
    "follow_up",
)
PAGE_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Navigator(QTreeWidget):
    page_selected = Signal(str, str)  # page, target id ("" for none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        for page in PAGES:
            item = QTreeWidgetItem(self)
            item.setData(0, PAGE_ROLE, page)
            item.setData(0, ID_ROLE, "")
            self._items[page] = item
        self._case: Case | None = None
        self._missing = 0
        self.currentItemChanged.connect(self._current_changed)
        self.retranslate()

    def retranslate(self) -> None:
        case = self._case
        for page, item in self._items.items():
            text = tr(f"ui.nav.{page}")
            if case is not None and page == "evidence":
                text = tr("ui.nav.evidence_count", count=len(case.evidence))
            if case is not None and page == "checks" and self._missing:
                text = tr("ui.nav.checks_missing", count=self._missing)
            item.setText(0, text)
        if case is not None:
            self._fill_targets(case)

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self.setEnabled(case is not None)
        targets = self._items["targets"]
        if case is None:
            targets.takeChildren()
        self.retranslate()
        targets.setExpanded(True)

    def set_missing(self, count: int) -> None:
        self._missing = count
        self.retranslate()

    def _fill_targets(self, case: Case) -> None:
        parent = self._items["targets"]
        current = self.current_target()
        self.blockSignals(True)
        try:
            while parent.childCount() > len(case.targets):
                parent.takeChild(parent.childCount() - 1)
            for i, target in enumerate(case.targets):
                existing = parent.child(i) if i < parent.childCount() else None
                child = existing if existing is not None else QTreeWidgetItem(parent)
                child.setData(0, PAGE_ROLE, "targets")
                child.setData(0, ID_ROLE, target.id)
                name = target.account_name or target.platform or target.url
                child.setText(0, f"{target.id} {clean(name, 30)}".strip())
                if target.id == current:
                    self.setCurrentItem(child)
        finally:
            self.blockSignals(False)

    def current_page(self) -> str:
        item = self.currentItem()
        return item.data(0, PAGE_ROLE) if item else ""

    def current_target(self) -> str:
        item = self.currentItem()
        return item.data(0, ID_ROLE) if item else ""

    def select(self, page: str, target_id: str = "") -> None:
        item = self._items.get(page)
        if page == "targets" and target_id and item is not None:
            for i in range(item.childCount()):
                child = item.child(i)
                if child is not None and child.data(0, ID_ROLE) == target_id:
                    item = child
                    break
        if item is not None:
            if self.currentItem() is item:
                self.page_selected.emit(page, target_id)
            self.setCurrentItem(item)

    def _current_changed(self, item: QTreeWidgetItem | None, _old: object) -> None:
        if item is not None:
            self.page_selected.emit(item.data(0, PAGE_ROLE), item.data(0, ID_ROLE))
