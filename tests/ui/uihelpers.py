"""Small helpers for driving real widgets."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user: ASCII through key clicks, Chinese through the input method."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    """Replace a line edit's text and finish the edit (as pressing Tab would)."""
    widget.setFocus()
    widget.selectAll()
    type_text(qtbot, widget, text)
    widget.editingFinished.emit()
