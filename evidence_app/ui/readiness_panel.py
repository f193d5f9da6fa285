"""The readiness panel: per target and category, each requirement green (satisfied), red
(missing) or amber (advisory), citing its clause in plain words. Clicking a line asks the main
window to go where it can be fixed. Checks run off the UI thread after every change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from evidence_app.i18n import current_language, tr
from evidence_app.jobs import CancelToken, ProgressCallback
from evidence_app.model import Case, Category
from evidence_app.ui.job_runner import JobRunner
from evidence_app.ui.text import clean, enum_name, error_text

COLOURS = {"satisfied": "#1b7f3b", "missing": "#b00020", "advisory": "#a06000"}
MARKS = {"satisfied": "✔", "missing": "✘", "advisory": "⚠"}
FIX_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


def run_check(case: Case) -> Any:
    from evidence_app.rules import check_case

    return check_case(case)


def _value(obj: Any, name: str, default: Any = None) -> Any:
    value = getattr(obj, name, default)
    return getattr(value, "value", value)  # enums to their string


def group_key(item: Any) -> tuple[str, str]:
    """(target id, category) the requirement belongs to; ("", "") for case-wide and
    ("#E…", "") for one exhibit's own checks."""
    evidence_id = _value(item, "evidence_id", "") or ""
    if evidence_id and not _value(item, "target_id", ""):
        return ("#" + evidence_id, "")
    return (_value(item, "target_id", "") or "", _value(item, "category", "") or "")


class ReadinessPanel(QWidget):
    fix_requested = Signal(dict)  # the item's fix hint
    checked = Signal(object)  # the CheckResult, after the tree is updated

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self._case: Case | None = None
        self.result: Any = None
        self._serial = 0
        self._running = False
        self._again = False
        self._error = ""
        self.retranslate()

    def retranslate(self) -> None:
        self._render()

    # --- checking ----------------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        self._case = case
        if case is None:
            self.result = None
            self._render()
            return
        if self._running:
            self._again = True  # coalesce: one more check after the current one
            return
        self._start()

    def _start(self) -> None:
        case = self._case
        if case is None:
            return
        self._running = True
        self._again = False
        self._serial += 1
        serial = self._serial

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return run_check(case)

        self._runner.start(
            work,
            on_finished=lambda result: self._done(serial, result),
            on_failed=lambda exc: self._failed(serial, exc),
            user=False,
        )

    def _done(self, serial: int, result: Any) -> None:
        self._running = False
        if self._again:
            self._start()
            return
        unchanged = self._signature(result) == self._signature(self.result)
        self.result = result
        self._error = ""
        if not unchanged or not self.tree.topLevelItemCount():
            self._render()  # rebuilding an unchanged tree would only cost time
        self.checked.emit(result)

    @staticmethod
    def _signature(result: Any) -> list[tuple[str, str, str]] | None:
        if result is None:
            return None
        return [
            (str(getattr(i, "key", "")), str(_value(i, "status")), str(i.params))
            for i in result.items
        ]

    def _failed(self, serial: int, exc: BaseException) -> None:
        self._running = False
        if self._again:
            self._start()
            return
        self.result = None
        self._error = error_text(exc)
        self._render()

    # --- display -----------------------------------------------------------------------------

    def missing_count(self) -> int:
        if self.result is None:
            return 0
        return sum(1 for i in self.result.items if _value(i, "status") == "missing")

    def lines(self) -> list[tuple[str, str]]:
        """(status, text) of every requirement line shown, for tests and accessibility."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            children = [group.child(j) for j in range(group.childCount())] if group else []
            out += [(c.data(0, STATUS_ROLE), c.text(0)) for c in children if c is not None]
        return out

    def _render(self) -> None:
        self.tree.setUpdatesEnabled(False)
        try:
            self._fill()
        finally:
            self.tree.setUpdatesEnabled(True)

    def _fill(self) -> None:
        self.tree.clear()
        result = self.result
        if self._case is None:
            self.summary.setText(tr("ui.readiness.no_case"))
            return
        if result is None:
            error = self._error
            self.summary.setText(
                tr("ui.readiness.failed", detail=error) if error else tr("ui.readiness.checking")
            )
            return
        missing = self.missing_count()
        advisories = sum(1 for i in result.items if _value(i, "status") == "advisory")
        if getattr(result, "ready", False) and not missing:
            self.summary.setText(tr("ui.readiness.ready", advisories=advisories))
            self.summary.setStyleSheet(f"color: {COLOURS['satisfied']}; font-weight: bold;")
        else:
            self.summary.setText(tr("ui.readiness.not_ready", missing=missing))
            self.summary.setStyleSheet(f"color: {COLOURS['missing']}; font-weight: bold;")
        groups: dict[tuple[str, str], QTreeWidgetItem] = {}
        lang = current_language()
        for item in result.items:
            key = group_key(item)
            group = groups.get(key)
            if group is None:
                group = QTreeWidgetItem(self.tree)
                group.setText(0, self._group_title(*key))
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setExpanded(True)
                groups[key] = group
            status = _value(item, "status", "missing")
            line = QTreeWidgetItem(group)
            text = self._line_text(item, status, lang)
            line.setText(0, text)
            line.setForeground(0, QBrush(QColor(COLOURS.get(status, "#000000"))))
            line.setData(0, FIX_ROLE, getattr(item, "fix", None) or {})
            line.setData(0, STATUS_ROLE, status)
            clause = _value(item, "clause", "")
            # The line is elided in a narrow panel: the tooltip carries all of it.
            hint = tr("ui.readiness.tooltip", clause=clause or "—")
            line.setToolTip(0, f"{text}\n{hint}")
        for group in groups.values():
            group.setExpanded(True)

    def _group_title(self, target_id: str, category: str) -> str:
        if not target_id:
            return tr("ui.readiness.case_wide")
        if target_id.startswith("#"):
            number = next(
                (
                    e.number
                    for e in (self._case.evidence if self._case else [])
                    if e.id == target_id[1:]
                ),
                0,
            )
            return tr("ui.readiness.group_evidence", number=number)
        target = self._case.target(target_id) if self._case else None
        name = ""
        if target is not None:
            name = clean(target.account_name or target.platform or target.url, 30)
        if category:
            try:
                cat = enum_name(Category(category))
            except ValueError:
                cat = category
            return tr("ui.readiness.group", target=target_id, name=name, category=cat)
        return tr("ui.readiness.group_target", target=target_id, name=name)

    @staticmethod
    def _line_text(item: Any, status: str, lang: str) -> str:
        try:
            from evidence_app.rules import describe

            text = describe(item, lang)
        except Exception:  # a rule pack problem must not hide the list
            text = str(_value(item, "requirement", "") or _value(item, "id", ""))
        clause = _value(item, "clause", "")
        mark = MARKS.get(status, "•")
        return f"{mark} {text}" + (f"〔{clause}〕" if clause else "")

    def _clicked(self, line: QTreeWidgetItem, _column: int = 0) -> None:
        fix = line.data(0, FIX_ROLE)
        if fix:
            self.fix_requested.emit(dict(fix))
