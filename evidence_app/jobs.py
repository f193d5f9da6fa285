"""Progress reporting and cancellation for long-running core work.

Long jobs (import, export, verify) take a ``progress`` callback and a ``cancel`` token. The
core calls ``progress(done, total, label)`` between files or pages and calls
``cancel.raise_if_cancelled()`` at the same points; the UI's job adapter turns both into Qt
signals and a Cancel button. Nothing here knows about Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from evidence_app.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, label: str) -> None:
    """Default progress sink: ignore."""


class CancelToken:
    """A thread-safe flag that a job checks between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class _NeverCancelled(CancelToken):
    """The default token of jobs started without a Cancel button; it cannot be cancelled, so
    sharing one instance is safe."""

    def cancel(self) -> None:
        raise RuntimeError("NEVER_CANCELLED cannot be cancelled; pass a CancelToken() instead")


NEVER_CANCELLED: CancelToken = _NeverCancelled()
