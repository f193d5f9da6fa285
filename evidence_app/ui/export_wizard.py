"""The export wizard: targets → signing identity → recipients → output → progress → result.

Passphrases are asked here and passed into the core; none is stored. The export runs as a
background job with a working Cancel (the core leaves nothing behind when cancelled). The
gap check of the ticked targets runs as a job too (off the UI thread), and a failing check
is shown on the page, not swallowed. The wizard is never ``exec()``-ed: it is opened
window-modal and reports through signals. The pages live in ``export_pages``,
``export_recipients_page`` and ``export_output_pages``; the result text in ``export_result``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from evidence_app.app.process_job import run_in_process
from evidence_app.app.tasks import ExportRequest, export_case
from evidence_app.i18n import tr
from evidence_app.ui.export_output_pages import PACKET_SUFFIX, OutputPage, ProgressPage, ResultPage
from evidence_app.ui.export_pages import MIN_PASSPHRASE, ExportTargetsPage, IdentityPage
from evidence_app.ui.export_recipients_page import RecipientsPage
from evidence_app.ui.export_result import describe_result
from evidence_app.ui.job_runner import Job, JobRunner
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean, error_text, is_cancel

__all__ = ["MIN_PASSPHRASE", "PACKET_SUFFIX", "ExportWizard", "describe_result"]


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
        self.check_job: Job | None = None
        self._check_generation = 0
        self.result: Any = None
        self.error: BaseException | None = None
        self.targets_page = ExportTargetsPage(session, self)
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
        """Count the required items missing for the ticked targets, on the job pool: the
        page waits (and says so) until the count arrives; a newer selection supersedes an
        older check, whose answer is dropped."""
        ids = self.targets_page.target_ids()
        if self.session.case.targets and not ids:
            self.targets_page.set_missing(0)
            return
        self._check_generation += 1
        generation = self._check_generation
        case = self.session.case
        self.targets_page.set_checking()

        def work(progress: Any, cancel: Any) -> int:
            from evidence_app.exporters.selection import select_targets
            from evidence_app.rules import check_case

            result = check_case(select_targets(case, ids))
            return sum(1 for item in result.items if item.status == "missing")

        def done(missing: int) -> None:
            if generation == self._check_generation:
                self.targets_page.set_missing(missing)

        def failed(exc: BaseException) -> None:
            if generation == self._check_generation and not is_cancel(exc):
                self.targets_page.set_check_failed(error_text(exc))

        self.check_job = self.runner.start(
            work, name="export-check", user=False, on_finished=done, on_failed=failed
        )

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
