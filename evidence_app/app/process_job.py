"""Run one long core job in a helper process, with progress and cancel, from any thread.

Why a process: a Python thread shares the interpreter lock with the desktop window's thread,
and much of an export holds that lock inside C code for long stretches — PBKDF2 when a
PKCS#12 identity is opened (~100 ms), scrypt when a passphrase identity file is written
(~1 s), qpdf writing a large bundle, full garbage collections. Each one froze the window.
A helper process has its own interpreter: the window's thread only waits on a pipe.

The job is any picklable callable ``fn(*args, progress=..., cancel=..., **kwargs)`` (a
module-level function of the core; its arguments are pickled, so they travel through the
pipe in memory, never through a file or the command line — passphrases included). The
helper is started with "spawn" (no Qt or thread state inherited; works the same on Windows,
macOS and Linux and in the frozen app, whose entry point calls ``freeze_support``).

- Progress: the helper sends ``(done, total, label)`` at most every PROGRESS_INTERVAL
  seconds (and always the last step); they reach ``progress`` in the calling thread.
- Cancel: the caller's token is mirrored into a shared event the helper's token reads, so
  the core's own cancellation points (which delete partial output) do the work. The helper
  also treats "my parent is gone" as a cancel, so a killed app leaves no export running.
- Errors: :class:`EvidenceError` subclasses cross the pipe as themselves (they pickle with
  their key and parameters); anything else becomes :class:`HelperFailed` with its text. A
  helper that dies without answering (killed, crashed) is reported with its exit code.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
import traceback
from collections.abc import Callable
from typing import Any

from evidence_app.errors import Cancelled, EvidenceError
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

PROGRESS_INTERVAL = 0.05  # seconds between progress messages from the helper
POLL = 0.05  # how often the waiting thread looks at the cancel token
GRACE_AFTER_CANCEL = 30.0  # seconds a cancelled helper gets to clean up before it is killed


class HelperFailed(EvidenceError):
    """The helper process crashed, was killed, or raised an unexpected error."""


class _HelperCancelToken(CancelToken):
    """The helper's side of the cancel flag: the parent's event, or the parent's death."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self._shared = event
        self._parent = multiprocessing.parent_process()

    def cancel(self) -> None:
        self._shared.set()

    @property
    def cancelled(self) -> bool:
        if self._shared.is_set():
            return True
        return self._parent is not None and not self._parent.is_alive()

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


def _helper_main(
    conn: multiprocessing.connection.Connection,
    cancel_event: Any,
    language: str,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    from evidence_app.i18n import set_language

    set_language(language)  # progress labels in the window's language
    last = 0.0

    def send(message: tuple[Any, ...]) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, ConnectionError, EOFError):
            pass  # the parent is gone: the cancel token says so at the job's next check

    def progress(done: int, total: int, label: str) -> None:
        nonlocal last
        now = time.monotonic()
        if done >= total or now - last >= PROGRESS_INTERVAL:
            last = now
            send(("progress", done, total, label))

    try:
        result = fn(*args, progress=progress, cancel=_HelperCancelToken(cancel_event), **kwargs)
    except EvidenceError as exc:
        send(("error", exc, traceback.format_exc()))
    except BaseException as exc:
        detail = f"{type(exc).__name__}: {exc}"
        send(("error", HelperFailed("error.helper_failed", detail=detail), traceback.format_exc()))
    else:
        try:
            send(("ok", result))
        except Exception as exc:  # an unpicklable result is a programming error: say so
            send(("error", HelperFailed("error.helper_failed", detail=repr(exc)), ""))
    finally:
        conn.close()


def run_in_process(
    fn: Callable[..., Any],
    *args: Any,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    **kwargs: Any,
) -> Any:
    """Run ``fn(*args, progress=, cancel=, **kwargs)`` in a helper process and return its
    result (or raise its error). Blocks the calling thread, which only waits on a pipe."""
    from evidence_app.i18n import current_language

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    cancel_event = context.Event()
    helper = context.Process(
        target=_helper_main,
        args=(sender, cancel_event, current_language(), fn, args, kwargs),
        name=f"evidence-app {getattr(fn, '__name__', 'job')}",
        daemon=True,
    )
    helper.start()
    sender.close()  # the helper holds the only writing end: EOF means it is gone
    cancel_sent_at: float | None = None
    try:
        while True:
            if cancel.cancelled and cancel_sent_at is None:
                cancel_event.set()
                cancel_sent_at = time.monotonic()
            if (
                cancel_sent_at is not None
                and time.monotonic() - cancel_sent_at > GRACE_AFTER_CANCEL
            ):
                helper.kill()
                raise Cancelled()
            if not receiver.poll(POLL):
                continue
            try:
                message = receiver.recv()
            except EOFError:
                helper.join()
                if cancel_sent_at is not None:
                    raise Cancelled() from None
                raise HelperFailed("error.helper_died", code=helper.exitcode) from None
            kind = message[0]
            if kind == "progress":
                progress(*message[1:])
            elif kind == "ok":
                return message[1]
            else:
                error = message[1]
                error.helper_traceback = message[2]
                raise error
    finally:
        receiver.close()
        helper.join(GRACE_AFTER_CANCEL)
        if helper.is_alive():
            helper.kill()
            helper.join()
