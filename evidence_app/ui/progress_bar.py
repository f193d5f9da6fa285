"""The status-bar progress of the running job, with a Cancel that really cancels."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from evidence_app.i18n import tr
from evidence_app.ui.job_runner import Job
from evidence_app.ui.text import clean


class JobProgress(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(220)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._job: Job | None = None
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.cancel_button.setText(tr("ui.button.cancel"))

    def track(self, job: Job) -> None:
        self._job = job
        self.bar.setRange(0, 0)
        self.label.setText(tr("ui.progress.working"))
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(self._done)
        self.cancel_button.setEnabled(True)
        self.show()

    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        self.label.setText(tr("ui.progress.item", done=done, total=total, label=clean(label, 60)))

    def _done(self) -> None:
        self._job = None
        self.hide()

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(tr("ui.progress.cancelling"))
