"""The export wizard's recipients page: who can open the packet — age public keys (with a
button that makes a new key pair for, say, the company's lawyer) or one passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from evidence_app.app.process_job import run_in_process
from evidence_app.app.tasks import new_age_key
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.export_pages import MIN_PASSPHRASE, passphrase_row
from evidence_app.ui.job_runner import Job, JobRunner
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean


class RecipientsPage(QWizardPage):
    key_generated = Signal(str)  # the new recipient (age1...)

    def __init__(
        self,
        session: CaseSession,
        settings: Settings,
        runner: JobRunner,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.runner = runner
        self.key_job: Job | None = None
        self.keys_radio = QRadioButton(self)
        self.pass_radio = QRadioButton(self)
        self.keys_radio.setChecked(True)
        self.recipients = QPlainTextEdit(self)
        self.recipients.setPlaceholderText("age1…")
        self.generate = QPushButton(self)
        self.generate.clicked.connect(self.generate_key)
        self.key_note = QLabel(self)
        self.key_note.setWordWrap(True)
        self.passphrase, self.confirm = passphrase_row(self)
        self.pass_label, self.confirm_label = QLabel(self), QLabel(self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.pass_label, self.passphrase)
        form.addRow(self.confirm_label, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keys_radio)
        layout.addWidget(self.recipients, 1)
        layout.addWidget(self.generate)
        layout.addWidget(self.key_note)
        layout.addWidget(self.pass_radio)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        for widget in (self.passphrase, self.confirm):
            widget.textChanged.connect(self._changed)
        self.recipients.textChanged.connect(self._changed)
        self.keys_radio.toggled.connect(self._changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.recipients.title"))
        self.setSubTitle(tr("ui.export.recipients.subtitle"))
        self.keys_radio.setText(tr("ui.export.recipients.keys"))
        self.pass_radio.setText(tr("ui.export.recipients.passphrase"))
        self.generate.setText(tr("ui.export.recipients.generate"))
        self.pass_label.setText(tr("ui.export.passphrase"))
        self.confirm_label.setText(tr("ui.export.confirm"))
        self._changed()

    def recipient_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.recipients.toPlainText().splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]

    def generate_key(self) -> Job | None:
        """A new age key pair for a recipient (e.g. the company's lawyer): the secret part is
        written passphrase-protected; its public key is added to the list. Runs in a helper
        process: scrypt in pyrage holds the interpreter lock for over a second, which would
        freeze the window even on a worker thread."""
        path = dialogs.save_file(
            self,
            tr("ui.export.recipients.generate"),
            str(
                Path(self.settings.last_folder("keys") or self.session.path.parent)
                / "recipient.age"
            ),
            "*.age",
        )
        if path is None:
            return None
        passphrase = self.key_passphrase()
        if passphrase is None:
            return None
        self.generate.setEnabled(False)
        self.key_note.setText(tr("ui.export.recipients.generating"))

        def done(recipient: str) -> None:
            self.generate.setEnabled(True)
            self.settings.set_last_folder("keys", str(path.parent))
            text = self.recipients.toPlainText().rstrip()
            self.recipients.setPlainText((text + "\n" if text else "") + recipient)
            self.key_note.setText(tr("ui.export.recipients.generated", path=clean(str(path))))
            self.key_generated.emit(recipient)

        def failed(exc: BaseException) -> None:
            self.generate.setEnabled(True)
            self.key_note.setText("")
            dialogs.show_error(self, tr("ui.error.key"), exc)

        self.key_job = self.runner.start(
            lambda progress, cancel: run_in_process(
                new_age_key, path, passphrase, progress=progress, cancel=cancel
            ),
            name="age-key",
            on_finished=done,
            on_failed=failed,
        )
        return self.key_job

    def key_passphrase(self) -> str | None:
        """Asked in a small dialog; patched in tests."""
        return dialogs.ask_new_passphrase(self, tr("ui.export.recipients.key_passphrase"))

    def _changed(self) -> None:
        keys = self.keys_radio.isChecked()
        self.recipients.setEnabled(keys)
        self.generate.setEnabled(keys)
        self.passphrase.setEnabled(not keys)
        self.confirm.setEnabled(not keys)
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        if self.keys_radio.isChecked():
            recipients = self.recipient_list()
            if not recipients:
                return tr("ui.export.recipients.need_one")
            bad = [r for r in recipients if not r.startswith("age1")]
            if bad:
                return tr("ui.export.recipients.bad", value=clean(bad[0], 40))
            return ""
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            return tr("ui.export.passphrase_short", min=MIN_PASSPHRASE)
        if self.passphrase.text() != self.confirm.text():
            return tr("ui.export.passphrase_mismatch")
        return ""

    def isComplete(self) -> bool:
        return not self._problem()
