"""One generic adapter that runs core work on a thread pool and reports back via signals.

A job is any callable ``fn(progress, cancel) -> result``. It runs on a ``QThreadPool``
thread; its ``progress`` calls are throttled in the worker (a few per second) before they
become queued signals, so a job reporting thousands of steps cannot flood the event loop.
``finished`` / ``failed`` arrive on the main thread (the signals' owner lives there), so
only main-thread slots touch widgets. Cancelling sets the job's
:class:`evidence_app.jobs.CancelToken`; threads are never terminated.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from evidence_app.errors import Cancelled
from evidence_app.jobs import CancelToken, ProgressCallback

JobFn = Callable[[ProgressCallback, CancelToken], Any]

PROGRESS_INTERVAL = 0.1  # seconds between progress signals (~10 per second at most)


class JobSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)  # the job's return value
    failed = Signal(object)  # the exception (Cancelled when cancelled)
    done = Signal()  # after finished or failed, always


class Job(QRunnable):
    """A unit of background work. Keep a reference to ``signals``; connect before start."""

    def __init__(self, fn: JobFn, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps the job until ``done``
        self.fn = fn
        self.name = name
        self.cancel_token = CancelToken()
        self.signals = JobSignals()
        self._last_emit = 0.0
        self.traceback = ""
        self.user = True

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def _progress(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_emit >= PROGRESS_INTERVAL:
            self._last_emit = now
            self.signals.progress.emit(done, total, label)

    def run(self) -> None:
        try:
            result = self.fn(self._progress, self.cancel_token)
        except BaseException as exc:  # reported to the main thread, never lost
            self.traceback = traceback.format_exc()
            if self.cancel_token.cancelled and not isinstance(exc, Cancelled):
                # Work that noticed cancellation in its own way still reads as cancelled.
                exc = Cancelled()
            self.signals.failed.emit(exc)
        else:
            if self.cancel_token.cancelled:
                self.signals.failed.emit(Cancelled())
            else:
                self.signals.finished.emit(result)
        finally:
            self.signals.done.emit()


class JobRunner(QObject):
    """Starts jobs on its own pool and knows which are still running."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[QObject, Job] = {}

    def start(
        self,
        fn: JobFn,
        *,
        name: str = "",
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        user: bool = True,
    ) -> Job:
        """Run ``fn`` on the pool. ``user=False`` marks housekeeping (thumbnails, previews)
        that does not count as "a job is running" when the window closes."""
        job = Job(fn, name)
        job.user = user
        if on_progress is not None:
            job.signals.progress.connect(on_progress)
        if on_finished is not None:
            job.signals.finished.connect(on_finished)
        if on_failed is not None:
            job.signals.failed.connect(on_failed)
        job.signals.done.connect(self._on_job_done)
        was_busy = self.busy
        self._running[job.signals] = job
        self.pool.start(job)
        if user and not was_busy:
            self.busy_changed.emit(True)
        return job

    def _on_job_done(self) -> None:
        job = self._running.pop(self.sender(), None)  # type: ignore[call-overload]
        if job is not None and job.user and not self.busy:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return any(job.user for job in self._running.values())

    def running(self) -> list[Job]:
        return list(self._running.values())

    def cancel_all(self) -> None:
        for job in list(self._running.values()):
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job returned (after ``cancel_all``, jobs stop between units)."""
        return self.pool.waitForDone(msecs)
