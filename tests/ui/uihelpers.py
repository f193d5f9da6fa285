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


def wait_idle(qtbot, win, timeout: int = 20000) -> None:
    """Until no job (user or housekeeping) is running on the window's pool."""
    qtbot.waitUntil(
        lambda: win.runner.pool.activeThreadCount() == 0 and not win.runner.running(),
        timeout=timeout,
    )
