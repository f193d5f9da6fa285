"""The job adapter (signals on the main thread, throttled progress, cancel) and closing the
window while a job runs (asks, cancels, waits)."""

from __future__ import annotations

import threading
import time

from evidence_app.errors import Cancelled
from evidence_app.ui.job_runner import PROGRESS_INTERVAL, JobRunner


def test_job_signals_arrive_on_main_thread_and_progress_is_throttled(qtbot):
    runner = JobRunner()
    main = threading.get_ident()
    seen: list[tuple[int, bool]] = []

    calls = 20_000
    elapsed: list[float] = []

    def work(progress, cancel):
        start = time.monotonic()
        for i in range(calls):
            progress(i, calls, "x")
        elapsed.append(time.monotonic() - start)
        return "done"

    results: list[object] = []
    # Callbacks are connected before the job starts: a signal emitted from the worker before
    # anyone listens would be lost.
    runner.start(
        work,
        on_progress=lambda d, t, _l: seen.append((d, threading.get_ident() == main)),
        on_finished=results.append,
    )
    qtbot.waitUntil(lambda: bool(results), timeout=120000)  # a deadline, not a speed claim
    assert results == ["done"]
    qtbot.waitUntil(lambda: not runner.busy)  # every queued progress signal delivered
    assert all(on_main for _d, on_main in seen)
    # Throttled by time however fast the machine: at most one signal per interval (plus the
    # first and the last), never one per call.
    allowed = elapsed[0] / PROGRESS_INTERVAL + 2
    assert 1 <= len(seen) <= allowed < calls, (len(seen), allowed)


def test_failure_and_cancel_reported(qtbot):
    runner = JobRunner()

    def boom(progress, cancel):
        raise ValueError("bad")

    errors: list[BaseException] = []
    runner.start(boom, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)

    started = threading.Event()

    def endless(progress, cancel):
        started.set()
        while True:
            cancel.raise_if_cancelled()

    job = runner.start(endless)
    assert started.wait(5)
    with qtbot.waitSignal(job.signals.failed, timeout=5000) as failed:
        job.cancel()
    assert isinstance(failed.args[0], Cancelled)
    assert runner.wait(5000)


def test_close_while_job_runs_asks_cancels_and_waits(case_window, qtbot, mocker):
    win = case_window
    started = threading.Event()
    stopped = threading.Event()

    def long_job(progress, cancel):
        started.set()
        try:
            while True:
                cancel.raise_if_cancelled()
                stopped.wait(0.01)
        finally:
            stopped.set()

    win.runner.start(long_job)
    assert started.wait(5)
    ask = mocker.patch("evidence_app.ui.dialogs.ask_yes_no", return_value=False)
    assert not win.close()  # the user said no: the window stays, the job goes on
    assert ask.call_count == 1 and win.isVisible() and not stopped.is_set()

    ask.return_value = True
    assert win.close()
    assert stopped.is_set()  # cancelled and waited for before the window closed
    assert win.session is None
