"""Verify a packet: pick the packet and a key (an age identity file with its passphrase, or
the packet's passphrase), optionally a trusted certificate and a folder to extract to; show
the signer, the signing time, a summary and each file's status. Runs as a background job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.app.process_job import run_in_process
from evidence_app.app.tasks import VerifyRequest, verify
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.job_runner import Job, JobRunner
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean, error_text, is_cancel

OK_COLOUR, BAD_COLOUR = "#1b7f3b", "#b00020"


def _path_row(parent: QWidget, edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class VerifyDialog(QDialog):
    verified = Signal(object)  # the VerifyReport
    verify_failed = Signal(object)

    def __init__(self, runner: JobRunner, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("retranslatable", True)
        self.setObjectName("verify_dialog")
        self.runner = runner
        self.settings = settings
        self.job: Job | None = None
        self.report: Any = None
        self.error: BaseException | None = None

        self.packet = QLineEdit(self)
        self.packet_browse = QPushButton(self)
        self.packet_browse.clicked.connect(self._browse_packet)
        self.key_radio = QRadioButton(self)
        self.pass_radio = QRadioButton(self)
        self.key_radio.setChecked(True)
        self.key_file = QLineEdit(self)
        self.key_browse = QPushButton(self)
        self.key_browse.clicked.connect(self._browse_key)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.trust = QLineEdit(self)
        self.trust_browse = QPushButton(self)
        self.trust_browse.clicked.connect(self._browse_trust)
        self.extract = QLineEdit(self)
        self.extract_browse = QPushButton(self)
        self.extract_browse.clicked.connect(self._browse_extract)

        self.labels = {name: QLabel(self) for name in ("packet", "key", "pass", "trust", "extract")}
        form = QFormLayout()
        form.addRow(self.labels["packet"], _path_row(self, self.packet, self.packet_browse))
        form.addRow(self.key_radio)
        form.addRow(self.labels["key"], _path_row(self, self.key_file, self.key_browse))
        form.addRow(self.pass_radio)
        form.addRow(self.labels["pass"], self.passphrase)
        form.addRow(self.labels["trust"], _path_row(self, self.trust, self.trust_browse))
        form.addRow(self.labels["extract"], _path_row(self, self.extract, self.extract_browse))

        self.verify_button = QPushButton(self)
        self.verify_button.setObjectName("verify")
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.bar = QProgressBar(self)
        self.bar.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.files = QTreeWidget(self)
        self.files.setColumnCount(2)
        self.files.setRootIsDecorated(False)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.bar, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.close_buttons)
        for widget in (self.packet, self.key_file, self.passphrase):
            widget.textChanged.connect(self._update_enabled)
        self.key_radio.toggled.connect(self._update_enabled)
        self.resize(760, 560)
        self.retranslate()
        self._update_enabled()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("ui.verify.title"))
        self.labels["packet"].setText(tr("ui.verify.packet"))
        self.labels["key"].setText(tr("ui.verify.key_file"))
        self.labels["pass"].setText(tr("ui.export.passphrase"))
        self.labels["trust"].setText(tr("ui.verify.trust"))
        self.labels["extract"].setText(tr("ui.verify.extract"))
        self.key_radio.setText(tr("ui.verify.with_key"))
        self.pass_radio.setText(tr("ui.verify.with_passphrase"))
        for button in (self.packet_browse, self.key_browse, self.trust_browse, self.extract_browse):
            button.setText(tr("ui.button.browse"))
        self.trust.setPlaceholderText(tr("ui.verify.optional"))
        self.extract.setPlaceholderText(tr("ui.verify.optional"))
        self.verify_button.setText(tr("ui.verify.start"))
        self.cancel_button.setText(tr("ui.button.cancel"))
        self.files.setHeaderLabels([tr("ui.verify.col.file"), tr("ui.verify.col.status")])
        if self.report is not None:
            self._show_report(self.report)

    # --- input -------------------------------------------------------------------------------

    def _browse_packet(self) -> None:
        path = dialogs.open_file(
            self, tr("ui.verify.packet"), self.settings.last_folder("export"), "*.evpkt"
        )
        if path is not None:
            self.packet.setText(str(path))

    def _browse_key(self) -> None:
        path = dialogs.open_file(self, tr("ui.verify.key_file"), self.settings.last_folder("keys"))
        if path is not None:
            self.key_file.setText(str(path))

    def _browse_trust(self) -> None:
        path = dialogs.open_file(self, tr("ui.verify.trust"), self.settings.last_folder("keys"))
        if path is not None:
            self.trust.setText(str(path))

    def _browse_extract(self) -> None:
        path = dialogs.open_folder(self, tr("ui.verify.extract"))
        if path is not None:
            self.extract.setText(str(path))

    def _update_enabled(self) -> None:
        with_key = self.key_radio.isChecked()
        self.key_file.setEnabled(with_key)
        self.key_browse.setEnabled(with_key)
        ready = bool(self.packet.text().strip()) and (
            bool(self.key_file.text().strip()) if with_key else bool(self.passphrase.text())
        )
        self.verify_button.setEnabled(ready and self.job is None)

    def request(self) -> VerifyRequest:
        def optional(edit: QLineEdit) -> Path | None:
            text = edit.text().strip()
            return Path(text) if text else None

        with_key = self.key_radio.isChecked()
        return VerifyRequest(
            packet=Path(self.packet.text().strip()),
            key_file=optional(self.key_file) if with_key else None,
            passphrase=self.passphrase.text(),
            trust=optional(self.trust),
            extract_to=optional(self.extract),
        )

    # --- the job -----------------------------------------------------------------------------

    def start(self) -> Job | None:
        if self.job is not None:
            return None
        request = self.request()
        self.report, self.error = None, None
        self.files.clear()
        self.status.setStyleSheet("")
        self.status.setText(tr("ui.verify.running"))
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.setEnabled(True)
        self.job = self.runner.start(
            lambda progress, cancel: run_in_process(
                verify, request, progress=progress, cancel=cancel
            ),
            name="verify",
            on_progress=self._progress,
            on_finished=self._finished,
            on_failed=self._failed,
        )
        self._update_enabled()
        return self.job

    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)

    def _job_ended(self) -> None:
        self.job = None
        self.bar.hide()
        self.cancel_button.setEnabled(False)
        self._update_enabled()

    def _finished(self, report: Any) -> None:
        self._job_ended()
        self.report = report
        self._show_report(report)
        self.verified.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._job_ended()
        self.error = exc
        self.status.setStyleSheet(f"color: {BAD_COLOUR};")
        if is_cancel(exc):
            self.status.setText(tr("ui.verify.cancelled"))
        else:
            self.status.setText(tr("ui.verify.failed", detail=error_text(exc)))
        self.verify_failed.emit(exc)

    def _show_report(self, report: Any) -> None:
        lines = [tr("ui.verify.ok") if report.ok else tr("ui.verify.bad", reason=report.reason())]
        signer = report.signer
        if signer is not None:
            who = signer.organisation or signer.subject
            if signer.uscc:
                who = f"{who}（{signer.uscc}）"
            lines.append(tr("ui.verify.signer", signer=clean(who, 200)))
            lines.append(tr("ui.verify.fingerprint", fingerprint=signer.fingerprint))
            lines.append(tr("ui.verify.signed_at", time=signer.signing_time or "—"))
            if signer.trusted is None:
                lines.append(tr("ui.verify.no_trust"))
            else:
                lines.append(tr("ui.verify.trusted" if signer.trusted else "ui.verify.untrusted"))
        case = report.case_summary()
        if case:
            complainant = case.get("complainant", {})
            lines.append(
                tr(
                    "ui.verify.case",
                    title=clean(str(case.get("title", "")), 100),
                    complainant=clean(str(complainant.get("name", "")), 100),
                    targets=len(case.get("targets", [])),
                    exhibits=len(case.get("exhibits", [])),
                )
            )
        ok_files = sum(1 for f in report.files if f.status == "ok")
        lines.append(tr("ui.verify.files", ok=ok_files, total=len(report.files)))
        if report.extracted_to:
            lines.append(tr("ui.verify.extracted", path=clean(str(report.extracted_to), 300)))
        self.status.setText("\n".join(lines))
        self.status.setStyleSheet(f"color: {OK_COLOUR if report.ok else BAD_COLOUR};")
        self.files.clear()
        for entry in report.files:
            good = entry.status == "ok"
            row = QTreeWidgetItem(self.files)
            row.setText(0, clean(entry.path, 200))
            row.setText(1, tr(f"ui.verify.file.{entry.status}"))
            row.setData(1, Qt.ItemDataRole.UserRole, entry.status)
            row.setForeground(1, QBrush(QColor(OK_COLOUR if good else BAD_COLOUR)))
            if entry.expected_sha256:
                row.setToolTip(0, entry.expected_sha256)
        self.files.resizeColumnToContents(0)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.runner.wait()
        super().reject()
