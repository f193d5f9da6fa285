"""Imports run as background jobs; outcomes are reported per file as they finish.

Files and folders (drag and drop, file dialog), pasted images and screen captures all end in
``evidence_app.intake``. The job also reloads the case snapshot off the UI thread, so a large
import never freezes the window.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, Signal
from PySide6.QtGui import QImage

from evidence_app.errors import Cancelled
from evidence_app.intake import ImportOutcome, import_bytes, import_files
from evidence_app.jobs import CancelToken, ProgressCallback
from evidence_app.model import Case, EvidenceKind
from evidence_app.ui.job_runner import Job, JobRunner
from evidence_app.ui.session import CaseSession


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; str works
    buffer.close()
    return bytes(data.data())


def local_now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


REFRESH_MS = 1000  # how often a running import refreshes the evidence table


class IntakeController(QObject):
    started = Signal(object)  # the Job, for the progress bar
    outcomes = Signal(list)  # list[ImportOutcome], per finished batch
    failed = Signal(object)  # an exception other than cancellation
    finished = Signal()

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session: CaseSession | None = None
        # During a long import the table shows what is already in: the case is re-read in
        # the background every REFRESH_MS (files committed so far), not only at the end.
        self._importing: Job | None = None
        self._refreshing = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh)

    def import_paths(
        self,
        paths: list[Path],
        *,
        kind: EvidenceKind | None = None,
        target_ids: list[str] | None = None,
    ) -> Job | None:
        session = self.session
        if session is None or not paths:
            return None
        store = session.store
        targets = list(target_ids or [])

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[list[Any], Case]:
            try:
                results = import_files(
                    store, paths, kind=kind, target_ids=targets, progress=progress, cancel=cancel
                )
            except Cancelled:
                raise
            return results, store.load()

        return self._start(work)

    def import_data(
        self,
        data: bytes,
        name: str,
        *,
        kind: EvidenceKind | None = None,
        fields: dict[str, str] | None = None,
        target_ids: list[str] | None = None,
    ) -> Job | None:
        session = self.session
        if session is None:
            return None
        store = session.store
        targets = list(target_ids or [])

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[list[Any], Case]:
            progress(0, 1, name)
            outcome = import_bytes(
                store, data, name, kind=kind, fields=fields, target_ids=targets, cancel=cancel
            )
            return [outcome], store.load()

        return self._start(work)

    def import_image(
        self,
        image: QImage,
        name: str,
        *,
        kind: EvidenceKind | None = None,
        fields: dict[str, str] | None = None,
        target_ids: list[str] | None = None,
    ) -> Job | None:
        return self.import_data(
            png_bytes(image), name, kind=kind, fields=fields, target_ids=target_ids
        )

    def _start(self, work: Any) -> Job:
        job = self._runner.start(work, on_finished=self._done, on_failed=self._failed)
        self._importing = job
        self._refresh_timer.start()
        self.started.emit(job)
        return job

    def _refresh(self) -> None:
        session, job = self.session, self._importing
        if session is None or job is None or self._refreshing:
            return
        self._refreshing = True
        store = session.store

        def shown(case: Case) -> None:
            self._refreshing = False
            if self._importing is job and self.session is session:  # not after the end
                session.set_case(case)

        def failed(_exc: BaseException) -> None:
            self._refreshing = False

        self._runner.start(
            lambda _p, _c: store.load(), on_finished=shown, on_failed=failed, user=False
        )

    def _ended(self) -> None:
        self._importing = None
        self._refresh_timer.stop()

    def _done(self, result: tuple[list[ImportOutcome], Case]) -> None:
        self._ended()
        outcomes, case = result
        if self.session is not None:
            self.session.set_case(case)

        def report() -> None:
            self.outcomes.emit(outcomes)
            self.finished.emit()

        # On the next turn of the event loop: refreshing every page for a large import and
        # listing hundreds of outcomes in one slot kept the window busy for ~50 ms.
        QTimer.singleShot(0, report)

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        # Files imported before a cancel or failure stay imported: show them.
        if self.session is not None:
            self.session.reload()
        if not isinstance(exc, Cancelled):
            self.failed.emit(exc)
        self.finished.emit()
