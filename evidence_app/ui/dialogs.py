"""Every modal question and message box goes through here, so tests patch one place.

Widgets import this module (``from evidence_app.ui import dialogs``) and call
``dialogs.show_error(...)`` etc.; tests replace these functions with ``mocker.patch``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from evidence_app.i18n import tr
from evidence_app.ui.text import error_text


def show_error(parent: QWidget | None, what: str, exc: BaseException | None = None) -> None:
    """A failure: what happened (``what`` plus the error's own words) and what to do."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("ui.error.title"))
    box.setText(what)
    detail = error_text(exc) if exc is not None else ""
    box.setInformativeText((detail + "\n\n" if detail else "") + tr("ui.error.nothing_lost"))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def open_files(parent: QWidget | None, title: str, folder: str = "") -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, folder)
    return [Path(n) for n in names]


def open_file(parent: QWidget | None, title: str, folder: str = "", filt: str = "") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filt)
    return Path(name) if name else None


def save_file(parent: QWidget | None, title: str, folder: str = "", filt: str = "") -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, folder, filt)
    return Path(name) if name else None


def open_folder(parent: QWidget | None, title: str, folder: str = "") -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, folder)
    return Path(name) if name else None


def ask_new_passphrase(parent: QWidget | None, title: str) -> str | None:
    """A new passphrase, typed twice."""
    from evidence_app.ui.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog(parent, title, confirm=True)
    return dialog.passphrase() if dialog.exec() else None


def ask_passphrase(parent: QWidget | None, title: str) -> str | None:
    from evidence_app.ui.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog(parent, title, confirm=False)
    return dialog.passphrase() if dialog.exec() else None
