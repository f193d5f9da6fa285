"""Jobs for tests/core/test_process_job.py. They live in an importable module (tests/ is on
sys.path) because the helper process imports a job by its module and name."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from evidence_app.errors import Cancelled, UsageError
from evidence_app.i18n import current_language


def count(n: int, *, progress, cancel) -> dict:
    for i in range(1, n + 1):
        cancel.raise_if_cancelled()
        progress(i, n, f"step {i}")
    return {"pid": os.getpid(), "language": current_language()}


def refuse(*, progress, cancel) -> None:
    raise UsageError("error.cancelled")  # any keyed error: it must arrive as itself


def explode(*, progress, cancel) -> None:
    raise ValueError("not a core error")


def die(code: int, *, progress, cancel) -> None:
    os._exit(code)


def unpicklable(*, progress, cancel) -> object:
    return threading.Lock()


def wait_for_cancel(started: Path, partial: Path, *, progress, cancel) -> None:
    """Writes partial output, then waits to be cancelled and cleans up like a real job."""
    partial.write_bytes(b"half")
    started.write_text("1")
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            progress(1, 2, "waiting")
            cancel.raise_if_cancelled()
            time.sleep(0.01)
    except Cancelled:
        partial.unlink()
        raise
    raise AssertionError("never cancelled")
