"""Progress and cancel for the command line.

On a terminal, a long operation shows one progress bar on stderr (tqdm); piped or
redirected, nothing is drawn (stdout stays clean for ``--json``). The first Ctrl-C cancels
the operation through its cancel token — the core then removes what it had half written
and raises :class:`Cancelled` — and a second Ctrl-C interrupts at once.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from evidence_app.jobs import CancelToken, ProgressCallback, no_progress


@contextmanager
def terminal_progress(description: str) -> Iterator[tuple[ProgressCallback, CancelToken]]:
    cancel = CancelToken()
    bar: Any = None
    progress: ProgressCallback = no_progress
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, desc=description, file=sys.stderr, leave=False, unit="")

        def progress(done: int, total: int, label: str) -> None:
            if total and bar.total != total:
                bar.reset(total=total)
            bar.n = done
            bar.set_postfix_str(label[-40:], refresh=False)
            bar.refresh()

    previous = None
    if threading.current_thread() is threading.main_thread():

        def on_interrupt(signum: int, frame: FrameType | None) -> None:
            if cancel.cancelled:
                raise KeyboardInterrupt
            cancel.cancel()

        previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield progress, cancel
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if bar is not None:
            bar.close()
