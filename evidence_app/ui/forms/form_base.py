"""A form built from a list of field specs, with inline validation under each field.

The form edits a copy of one model object. Each change re-runs the object's own
``validate()`` and shows the problems under the fields they name; finishing an edit
(leaving a line, toggling a box) emits ``edited`` with the new object, which the page saves
through the session (undoable). A field the user has changed but not yet committed is never
overwritten by a refresh, so nothing typed is lost.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import tr
from evidence_app.model import Problem
from evidence_app.ui.text import enum_name, problem_text

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"


@dataclass
class FieldSpec:
    name: str  # attribute path on the object: "uscc", "engagement.views", "fields.source_url"
    kind: str = "line"  # line | text | combo | checks | check | int | readonly
    enum: type[StrEnum] | None = None
    optional_enum: bool = False  # combo with an empty choice (value None)
    label_key: str = ""  # default: ui.field.<last part of name>
    placeholder_key: str = ""


def get_attr(obj: Any, name: str) -> Any:
    head, _, rest = name.partition(".")
    if head == "fields" and rest:
        return obj.fields.get(rest, "")
    value = getattr(obj, head)
    return get_attr(value, rest) if rest else value


def set_attr(obj: Any, name: str, value: Any) -> None:
    head, _, rest = name.partition(".")
    if head == "fields" and rest:
        if value:
            obj.fields[rest] = value
        else:
            obj.fields.pop(rest, None)
        return
    if rest:
        set_attr(getattr(obj, head), rest, value)
    else:
        setattr(obj, head, value)


class _FocusOut(QObject):
    """Commits a multi-line text box when it loses focus."""

    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._callback()
        return False


class ChecksBox(QWidget):
    """A grid of check boxes for a list of enum values."""

    changed = Signal()

    def __init__(self, enum: type[StrEnum], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enum = enum
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, member in enumerate(enum):
            box = QCheckBox(self)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes[member.value] = box
        self.retranslate()

    def retranslate(self) -> None:
        for value, box in self.boxes.items():
            box.setText(enum_name(self.enum(value)))

    def value(self) -> list[StrEnum]:
        return [self.enum(v) for v, box in self.boxes.items() if box.isChecked()]

    def set_value(self, values: list[StrEnum]) -> None:
        chosen = {str(v) for v in values}
        for value, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(value in chosen)
            box.blockSignals(False)


class FormBase(QWidget):
    edited = Signal(object)  # the edited copy of the object
    problems_changed = Signal(list)

    def __init__(self, title_key: str, specs: list[FieldSpec], parent: QWidget | None = None):
        super().__init__(parent)
        self.title_key = title_key
        self.specs = specs
        self.prefix = ""
        self._obj: Any = None
        self._dirty: set[str] = set()
        self._loading = False
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}

        self.group = QGroupBox(self)
        self.form = QFormLayout(self.group)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in specs:
            self._add_field(spec)
        self.extra = QVBoxLayout()  # subclasses add more below the fields
        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.group)
        inner_layout.addLayout(self.extra)
        inner_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setEnabled(False)

    # --- building ----------------------------------------------------------------------------

    def _add_field(self, spec: FieldSpec) -> None:
        widget: QWidget
        if spec.kind == "text":
            text_box = QPlainTextEdit(self)
            text_box.setTabChangesFocus(True)
            text_box.setMinimumHeight(60)
            text_box.setMaximumHeight(110)
            text_box.textChanged.connect(lambda n=spec.name: self._changed(n))
            text_box.installEventFilter(_FocusOut(self.commit, text_box))
            widget = text_box
        elif spec.kind == "combo":
            combo = QComboBox(self)
            if spec.optional_enum:
                combo.addItem("", None)
            assert spec.enum is not None
            for member in spec.enum:
                combo.addItem("", member.value)
            combo.currentIndexChanged.connect(lambda _i, n=spec.name: self._changed(n, True))
            widget = combo
        elif spec.kind == "checks":
            assert spec.enum is not None
            checks = ChecksBox(spec.enum, self)
            checks.changed.connect(lambda n=spec.name: self._changed(n, True))
            widget = checks
        elif spec.kind == "check":
            check = QCheckBox(self)
            check.toggled.connect(lambda _v, n=spec.name: self._changed(n, True))
            widget = check
        elif spec.kind == "int":
            spin = QSpinBox(self)
            spin.setRange(-1, 2_000_000_000)
            spin.setSpecialValueText("—")  # -1 shows as unknown
            spin.valueChanged.connect(lambda _v, n=spec.name: self._changed(n))
            spin.editingFinished.connect(self.commit)
            widget = spin
        elif spec.kind == "readonly":
            # A read-only line: selectable, and long values (hashes) scroll instead of
            # widening the form.
            shown = QLineEdit(self)
            shown.setReadOnly(True)
            shown.setFrame(False)
            shown.setStyleSheet("background: transparent;")
            widget = shown
        else:
            line = QLineEdit(self)
            line.textEdited.connect(lambda _t, n=spec.name: self._changed(n))
            line.editingFinished.connect(self.commit)
            widget = line
        widget.setObjectName(spec.name)
        label = QLabel(self)
        label.setBuddy(widget)
        error = QLabel(self)
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box = QWidget(self)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(widget)
        box_layout.addWidget(error)
        self.form.addRow(label, box)
        self.widgets[spec.name] = widget
        self.labels[spec.name] = label
        self.errors[spec.name] = error

    def retranslate(self) -> None:
        self.group.setTitle(tr(self.title_key))
        for spec in self.specs:
            key = spec.label_key or f"ui.field.{spec.name.rpartition('.')[2]}"
            self.labels[spec.name].setText(tr(key))
            widget = self.widgets[spec.name]
            if isinstance(widget, QComboBox) and spec.enum is not None:
                for i in range(widget.count()):
                    value = widget.itemData(i)
                    widget.setItemText(i, enum_name(spec.enum(value)) if value else "—")
            elif isinstance(widget, ChecksBox):
                widget.retranslate()
            if spec.placeholder_key and isinstance(widget, QLineEdit):
                widget.setPlaceholderText(tr(spec.placeholder_key))
        if self._obj is not None:
            self.validate()

    # --- values ------------------------------------------------------------------------------

    @property
    def obj(self) -> Any:
        return self._obj

    def set_object(self, obj: Any, prefix: str) -> None:
        """Show ``obj``; fields with uncommitted typing keep what the user typed."""
        same = self._obj is not None and prefix == self.prefix
        self.prefix = prefix
        if not same:
            self._dirty.clear()
        self._obj = copy.deepcopy(obj) if obj is not None else None
        self.setEnabled(obj is not None)
        if obj is None:
            return
        self._loading = True
        try:
            for spec in self.specs:
                if spec.name in self._dirty:
                    continue
                self._put(spec, get_attr(self._obj, spec.name))
        finally:
            self._loading = False
        self.validate()

    def _put(self, spec: FieldSpec, value: Any) -> None:
        widget = self.widgets[spec.name]
        widget.blockSignals(True)
        try:
            if isinstance(widget, QPlainTextEdit):
                if widget.toPlainText() != (value or ""):
                    widget.setPlainText(value or "")
            elif isinstance(widget, QComboBox):
                index = widget.findData(value.value if value is not None else None)
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, ChecksBox):
                widget.set_value(value or [])
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(-1 if value is None else int(value))
            elif isinstance(widget, QLineEdit) and widget.isReadOnly():
                widget.setText(self.readonly_text(spec.name, value))
                widget.setCursorPosition(0)
            elif isinstance(widget, QLineEdit):
                if widget.text() != str(value or ""):
                    widget.setText(str(value or ""))
        finally:
            widget.blockSignals(False)

    def readonly_text(self, name: str, value: Any) -> str:
        return str(value or "")

    def _take(self, spec: FieldSpec) -> Any:
        widget = self.widgets[spec.name]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            return spec.enum(data) if (data and spec.enum) else None
        if isinstance(widget, ChecksBox):
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return None if widget.value() < 0 else widget.value()
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            return widget.text().strip()
        return get_attr(self._obj, spec.name)

    def value(self) -> Any:
        obj = copy.deepcopy(self._obj)
        for spec in self.specs:
            if spec.kind != "readonly":
                set_attr(obj, spec.name, self._take(spec))
        self.fill_extra(obj)
        return obj

    def fill_extra(self, obj: Any) -> None:
        """Subclasses copy values of their extra widgets into ``obj``."""

    def _changed(self, name: str, commit: bool = False) -> None:
        if self._loading or self._obj is None:
            return
        self._dirty.add(name)
        self.validate()
        if commit:
            self.commit()

    def commit(self) -> None:
        if self._obj is None or self._loading:
            return
        value = self.value()
        self._dirty.clear()
        if value != self._obj:
            self._obj = copy.deepcopy(value)
            self.edited.emit(value)

    # --- validation --------------------------------------------------------------------------

    def problems_of(self, obj: Any) -> list[Problem]:
        return list(obj.validate(self.prefix))

    def validate(self) -> list[Problem]:
        if self._obj is None:
            return []
        problems = self.problems_of(self.value())
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            name = self.field_of(problem.path)
            if name is not None:
                by_field.setdefault(name, []).append(problem_text(problem))
        for name, error in self.errors.items():
            texts = by_field.get(name)
            error.setText("\n".join(texts) if texts else "")
            error.setVisible(bool(texts))
            widget = self.widgets[name]
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setStyleSheet(INVALID_STYLE if texts else "")
        self.problems_changed.emit(problems)
        return problems

    def field_of(self, path: str) -> str | None:
        """The field a problem path names: ``complainant.uscc`` → ``uscc``."""
        rest = path[len(self.prefix) + 1 :] if path.startswith(self.prefix + ".") else path
        return rest if rest in self.widgets else None

    def focus_field(self, path: str) -> bool:
        name = self.field_of(path) or (path if path in self.widgets else None)
        if name is None:
            return False
        widget = self.widgets[name]
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        return True
