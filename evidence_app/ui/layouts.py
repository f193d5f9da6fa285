"""Small layout pieces the pages share."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons side by side, left-aligned (the rest of the row stays empty)."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
