"""The export wizard: targets → signing identity → recipients → output → progress → result.

Passphrases are asked here and passed into the core; none is stored. The export runs as a
background job with a working Cancel (the core leaves nothing behind when cancelled). The
wizard is never ``exec()``-ed: it is opened window-modal and reports through signals.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_app.app.process_job import run_in_process
from evidence_app.app.tasks import ExportRequest, export_case, new_age_key
from evidence_app.channels import GENERIC, load_profiles
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.job_runner import Job, JobRunner
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean, error_text, is_cancel

PACKET_SUFFIX = ".evpkt"
MIN_PASSPHRASE = 8


def passphrase_row(parent: QWidget) -> tuple[QLineEdit, QLineEdit]:
    first = QLineEdit(parent)
    first.setEchoMode(QLineEdit.EchoMode.Password)
    second = QLineEdit(parent)
    second.setEchoMode(QLineEdit.EchoMode.Password)
    return first, second


class TargetsPage(QWizardPage):
    """Which targets go into the packet (all, by default), and whether gaps may go too."""

    selection_changed = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget(self)
        self.readiness = QLabel(self)
        self.readiness.setWordWrap(True)
        self.allow_gaps = QCheckBox(self)
        self.allow_gaps.toggled.connect(self.completeChanged)
        self.none_selected = QLabel(self)
        self.none_selected.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.none_selected)
        layout.addWidget(self.readiness)
        layout.addWidget(self.allow_gaps)
        for target in session.case.targets:
            name = target.account_name or target.platform or target.url
            entry = QListWidgetItem(f"{target.id}  {clean(name, 60)}")
            entry.setData(Qt.ItemDataRole.UserRole, target.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(entry)
        self.list.itemChanged.connect(lambda _item: self.selection_changed.emit())
        self._missing = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.targets.title"))
        self.setSubTitle(tr("ui.export.targets.subtitle"))
        self.allow_gaps.setText(tr("ui.export.allow_gaps"))
        self._update_readiness()

    def set_missing(self, missing: int) -> None:
        self._missing = missing
        self._update_readiness()

    def _update_readiness(self) -> None:
        if self._missing:
            self.readiness.setText(tr("ui.export.gaps", missing=self._missing))
            self.readiness.setStyleSheet("color: #b00020;")
        else:
            self.readiness.setText(tr("ui.export.no_gaps"))
            self.readiness.setStyleSheet("color: #1b7f3b;")
        self.allow_gaps.setVisible(bool(self._missing))
        has_targets = self.list.count() > 0
        self.none_selected.setText(tr("ui.export.targets.none") if has_targets else "")
        self.none_selected.setVisible(has_targets and not self.target_ids())
        self.completeChanged.emit()

    def target_ids(self) -> list[str]:
        """The ticked targets, in case order."""
        entries = [self.list.item(i) for i in range(self.list.count())]
        return [
            e.data(Qt.ItemDataRole.UserRole)
            for e in entries
            if e is not None and e.checkState() == Qt.CheckState.Checked
        ]

    def isComplete(self) -> bool:
        if self.list.count() and not self.target_ids():
            return False
        return not self._missing or self.allow_gaps.isChecked()


class IdentityPage(QWizardPage):
    def __init__(self, session: CaseSession, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.new_radio = QRadioButton(self)
        self.existing_radio = QRadioButton(self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.new_radio)
        self.group.addButton(self.existing_radio)
        self.new_radio.setChecked(True)
        self.name = QLineEdit(session.case.complainant.name, self)
        self.uscc = QLineEdit(session.case.complainant.uscc, self)
        self.path = QLineEdit(self)
        default_dir = Path(settings.last_folder("keys") or session.path.parent)
        self.path.setText(str(default_dir / "signing-identity.p12"))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        self.passphrase, self.confirm = passphrase_row(self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.name_label, self.uscc_label = QLabel(self), QLabel(self)
        self.path_label, self.pass_label, self.confirm_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.uscc_label, self.uscc)
        self.form.addRow(self.path_label, path_row)
        self.form.addRow(self.pass_label, self.passphrase)
        self.form.addRow(self.confirm_label, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_radio)
        layout.addWidget(self.existing_radio)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        for widget in (self.name, self.uscc, self.path, self.passphrase, self.confirm):
            widget.textChanged.connect(self._changed)
        self.new_radio.toggled.connect(self._changed)
        self.retranslate()
        self._changed()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.identity.title"))
        self.setSubTitle(tr("ui.export.identity.subtitle"))
        self.new_radio.setText(tr("ui.export.identity.new"))
        self.existing_radio.setText(tr("ui.export.identity.existing"))
        self.name_label.setText(tr("ui.export.identity.name"))
        self.uscc_label.setText(tr("ui.field.uscc"))
        self.path_label.setText(tr("ui.export.identity.path"))
        self.pass_label.setText(tr("ui.export.passphrase"))
        self.confirm_label.setText(tr("ui.export.confirm"))
        self.browse.setText(tr("ui.button.browse"))
        self._changed()

    @property
    def creating(self) -> bool:
        return self.new_radio.isChecked()

    def _browse(self) -> None:
        if self.creating:
            path = dialogs.save_file(self, tr("ui.export.identity.path"), self.path.text(), "*.p12")
        else:
            path = dialogs.open_file(
                self, tr("ui.export.identity.path"), self.path.text(), "*.p12 *.pfx"
            )
        if path is not None:
            self.path.setText(str(path))

    def _changed(self) -> None:
        creating = self.creating
        for widget in (
            self.name,
            self.uscc,
            self.confirm,
            self.name_label,
            self.uscc_label,
            self.confirm_label,
        ):
            widget.setVisible(creating)
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        from evidence_app.validators import is_valid_uscc

        path = self.path.text().strip()
        if not path:
            return tr("ui.export.need_path")
        if self.creating:
            if not self.name.text().strip():
                return tr("ui.export.identity.need_name")
            if not is_valid_uscc(self.uscc.text().strip()):
                return tr("validation.uscc")
            if Path(path).exists():
                return tr("ui.export.identity.exists")
            if len(self.passphrase.text()) < MIN_PASSPHRASE:
                return tr("ui.export.passphrase_short", min=MIN_PASSPHRASE)
            if self.passphrase.text() != self.confirm.text():
                return tr("ui.export.passphrase_mismatch")
        else:
            if not Path(path).is_file():
                return tr("ui.export.identity.missing")
            if not self.passphrase.text():
                return tr("ui.export.passphrase_needed")
        return ""

    def isComplete(self) -> bool:
        return not self._problem()


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


class OutputPage(QWizardPage):
    def __init__(self, session: CaseSession, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = QLineEdit(self)
        folder = Path(settings.last_folder("export") or session.path.parent)
        stamp = _dt.date.today().isoformat()
        title = clean(session.case.title or "case", 40).replace("/", "_").replace("\\", "_")
        self.path.setText(str(folder / f"{title}-{stamp}{PACKET_SUFFIX}"))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        # The channel the complaint goes to: its profile shapes forms/ and the upload folder.
        self.channel_label = QLabel(self)
        self.channel = QComboBox(self)
        profiles = load_profiles()
        for profile_id in profiles:
            self.channel.addItem("", profile_id)
        current = session.case.channel if session.case.channel in profiles else GENERIC
        self.channel.setCurrentIndex(self.channel.findData(current))
        self.channel_note = QLabel(self)
        self.channel_note.setWordWrap(True)
        self.channel_note.setStyleSheet("color: #555;")
        self.folder_check = QCheckBox(self)
        self.folder_path = QLineEdit(self)
        self.folder_path.setText(str(self.out_path().with_suffix("")) + "-upload")
        self.folder_path.setEnabled(False)
        self.folder_check.toggled.connect(self.folder_path.setEnabled)
        self.folder_check.toggled.connect(self._changed)
        self.folder_path.textChanged.connect(self._changed)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.channel_label)
        layout.addWidget(self.channel)
        layout.addWidget(self.channel_note)
        layout.addWidget(self.folder_check)
        layout.addWidget(self.folder_path)
        layout.addStretch(1)
        self.path.textChanged.connect(self._changed)
        self.setCommitPage(True)  # after this, Back makes no sense: the export runs
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.output.title"))
        self.setSubTitle(tr("ui.export.output.subtitle"))
        self.browse.setText(tr("ui.button.browse"))
        self.channel_label.setText(tr("ui.export.channel.label"))
        profiles = load_profiles()
        for i in range(self.channel.count()):
            self.channel.setItemText(i, profiles[self.channel.itemData(i)].name())
        self.folder_check.setText(tr("ui.export.folder.check"))
        self._channel_changed()
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("ui.export.start"))
        self._changed()

    def _browse(self) -> None:
        path = dialogs.save_file(
            self, tr("ui.export.output.title"), self.path.text(), "*" + PACKET_SUFFIX
        )
        if path is not None:
            if path.suffix != PACKET_SUFFIX:
                path = path.with_name(path.name + PACKET_SUFFIX)
            self.path.setText(str(path))

    def out_path(self) -> Path:
        return Path(self.path.text().strip())

    def channel_id(self) -> str:
        return str(self.channel.currentData() or GENERIC)

    def upload_folder(self) -> Path | None:
        text = self.folder_path.text().strip()
        return Path(text) if self.folder_check.isChecked() and text else None

    def _channel_changed(self) -> None:
        self.channel_note.setText(load_profiles()[self.channel_id()].note())

    def _problem(self) -> str:
        text = self.path.text().strip()
        if not text:
            return tr("ui.export.need_path")
        path = Path(text)
        if path.exists():
            return tr("ui.export.output.exists")
        if not path.parent.is_dir():
            return tr("ui.export.output.no_folder")
        if self.folder_check.isChecked():
            folder = self.upload_folder()
            if folder is None:
                return tr("ui.export.need_path")
            if folder.exists():
                return tr("ui.export.folder.exists")
            if not folder.parent.is_dir():
                return tr("ui.export.output.no_folder")
        return ""

    def _changed(self) -> None:
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._problem()


class ProgressPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.done = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.progress.title"))
        self.cancel_button.setText(tr("ui.button.cancel"))

    def isComplete(self) -> bool:
        return self.done


class ResultPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.ok = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.result.title") if self.ok else tr("ui.export.failed.title"))


class ExportWizard(QWizard):
    exported = Signal(object)  # the ExportResult
    export_failed = Signal(object)  # the exception (Cancelled when cancelled)

    def __init__(
        self,
        session: CaseSession,
        runner: JobRunner,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("retranslatable", True)
        self.setObjectName("export_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.session = session
        self.runner = runner
        self.settings = settings
        self.job: Job | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.targets_page = TargetsPage(session, self)
        self.identity_page = IdentityPage(session, settings, self)
        self.recipients_page = RecipientsPage(session, settings, runner, self)
        self.output_page = OutputPage(session, settings, self)
        self.progress_page = ProgressPage(self)
        self.result_page = ResultPage(self)
        self.progress_page.cancel_button.clicked.connect(self.cancel_export)
        for page in (
            self.targets_page,
            self.identity_page,
            self.recipients_page,
            self.output_page,
            self.progress_page,
            self.result_page,
        ):
            self.addPage(page)
        self.currentIdChanged.connect(self._page_changed)
        self.resize(720, 560)
        self.retranslate()
        self.targets_page.selection_changed.connect(self._check_gaps)
        self._check_gaps()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("ui.export.title"))
        for page_id in self.pageIds():
            page = self.page(page_id)
            if hasattr(page, "retranslate"):
                page.retranslate()

    def _check_gaps(self) -> None:
        """Required items missing for the ticked targets (a millisecond-scale check)."""
        ids = self.targets_page.target_ids()
        if self.session.case.targets and not ids:
            self.targets_page.set_missing(0)
            return
        try:
            from evidence_app.exporters.selection import select_targets
            from evidence_app.rules import check_case

            result = check_case(select_targets(self.session.case, ids))
            missing = sum(
                1
                for i in result.items
                if getattr(getattr(i, "status", ""), "value", getattr(i, "status", "")) == "missing"
            )
        except Exception:
            missing = 0
        self.targets_page.set_missing(missing)

    # --- the request -------------------------------------------------------------------------

    def request(self) -> ExportRequest:
        identity = self.identity_page
        recipients = self.recipients_page
        use_keys = recipients.keys_radio.isChecked()
        return ExportRequest(
            out_path=self.output_page.out_path(),
            target_ids=self.targets_page.target_ids(),
            channel=self.output_page.channel_id(),
            folder_path=self.output_page.upload_folder(),
            allow_gaps=self.targets_page.allow_gaps.isChecked(),
            identity_mode="new" if identity.creating else "existing",
            identity_path=Path(identity.path.text().strip()),
            identity_passphrase=identity.passphrase.text(),
            signer_name=identity.name.text().strip(),
            signer_uscc=identity.uscc.text().strip().upper(),
            recipients=recipients.recipient_list() if use_keys else [],
            packet_passphrase=None if use_keys else recipients.passphrase.text(),
        )

    def _page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.progress_page and self.job is None:
            self.start_export()

    def start_export(self) -> None:
        request = self.request()
        store = self.session.store
        self.settings.set_last_folder("export", str(request.out_path.parent))
        self.settings.set_last_folder("keys", str(request.identity_path.parent))
        self.progress_page.label.setText(tr("ui.export.progress.starting"))
        self.job = self.runner.start(
            lambda progress, cancel: run_in_process(
                export_case,
                store.root,
                request,
                store.clock,
                progress=progress,
                cancel=cancel,
            ),
            name="export",
            on_progress=self._progress,
            on_finished=self._finished,
            on_failed=self._failed,
        )
        # Clear the passphrase fields: the job holds its own copy.
        for widget in (
            self.identity_page.passphrase,
            self.identity_page.confirm,
            self.recipients_page.passphrase,
            self.recipients_page.confirm,
        ):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)

    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.progress_page.bar.setRange(0, total)
            self.progress_page.bar.setValue(done)
        self.progress_page.label.setText(
            tr("ui.progress.item", done=done, total=total, label=clean(label, 60))
        )

    def cancel_export(self) -> None:
        if self.job is not None and not self.progress_page.done:
            self.job.cancel()
            self.progress_page.cancel_button.setEnabled(False)
            self.progress_page.label.setText(tr("ui.progress.cancelling"))

    def _finished(self, result: Any) -> None:
        self.result = result
        self.result_page.ok = True
        self.result_page.text.setText(describe_result(result))
        self._to_result()
        self.session.reload_in_background(self.runner)  # the export is in the custody log
        self.exported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.result_page.ok = False
        if is_cancel(exc):
            text = tr("ui.export.cancelled")
        else:
            text = tr("ui.export.failed", detail=error_text(exc))
        self.result_page.text.setText(text)
        self._to_result()
        self.export_failed.emit(exc)

    def _to_result(self) -> None:
        self.progress_page.done = True
        self.progress_page.cancel_button.setEnabled(False)
        self.result_page.retranslate()
        self.progress_page.completeChanged.emit()
        if self.currentPage() is self.progress_page:
            self.next()

    @property
    def running(self) -> bool:
        return self.job is not None and not self.progress_page.done

    def reject(self) -> None:
        """Closing while exporting cancels the job and waits for it (nothing half-written)."""
        if self.running and self.job is not None:
            self.job.cancel()
            self.runner.wait()
        super().reject()


def describe_result(result: Any) -> str:
    """The result page: where the packet is, what it holds, who signed, how to open it."""
    lines = [tr("ui.export.result.ok")]
    lines.append(tr("ui.export.result.path", path=clean(str(result.packet_path), 300)))
    lines.append(tr("ui.export.result.size", size=result.packet_size))
    lines.append(tr("ui.export.result.files", count=len(result.files)))
    lines.append(tr("ui.export.result.sha256", sha256=result.packet_sha256))
    lines.append(tr("ui.export.result.fingerprint", fingerprint=result.signer_fingerprint))
    if result.key_path:
        lines.append(tr("ui.export.result.key_path", path=clean(str(result.key_path), 300)))
    if result.recipients:
        lines.append(tr("ui.export.result.recipients", count=len(result.recipients)))
    if result.gaps:
        lines.append(tr("ui.export.result.gaps", count=len(result.gaps)))
    folder = getattr(result, "upload_folder", None)
    if folder is not None:
        lines.append(
            tr(
                "ui.export.result.folder",
                path=clean(str(folder.folder), 300),
                uploads=len(folder.uploads),
                unfit=len(folder.unfit),
            )
        )
    lines.append(tr("ui.export.result.next"))
    return "\n".join(lines)
