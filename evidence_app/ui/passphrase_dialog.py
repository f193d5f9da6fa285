"""A small dialog asking for a passphrase (twice for a new one). Nothing is stored."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from evidence_app.i18n import tr

MIN_PASSPHRASE = 8


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, confirm: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("ui.export.passphrase"), self.first)
        self._confirm = confirm
        if confirm:
            form.addRow(tr("ui.export.confirm"), self.second)
        else:
            self.second.hide()
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.first.textChanged.connect(self._check)
        self.second.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        problem = ""
        if self._confirm and len(self.first.text()) < MIN_PASSPHRASE:
            problem = tr("ui.export.passphrase_short", min=MIN_PASSPHRASE)
        elif self._confirm and self.first.text() != self.second.text():
            problem = tr("ui.export.passphrase_mismatch")
        elif not self.first.text():
            problem = tr("ui.export.passphrase_needed")
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def passphrase(self) -> str:
        return self.first.text()
