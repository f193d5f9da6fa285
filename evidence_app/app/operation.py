"""One job path for both faces: an :class:`Operation` is a typed request bound to the
function that carries it out, and it knows where it must run.

- ``isolated=True``: in a helper process (:mod:`evidence_app.app.process_job`) when asked
  from the desktop app, because the work holds the interpreter lock for long stretches
  (PBKDF2, scrypt, qpdf) and would freeze the window. The command line is its own process
  and runs it in place.
- ``isolated=False``: on the caller's thread (the desktop app's job pool, or the CLI's
  main thread).

The faces never choose: the UI hands ``op.run`` to its job runner, the CLI calls
``op.run_here``. Progress and cancel are the same two arguments everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

R = TypeVar("R")


@dataclass(frozen=True)
class Operation(Generic[R]):
    name: str
    fn: Callable[..., R]  # module-level (picklable) fn(*args, progress=, cancel=)
    args: tuple[Any, ...] = field(default_factory=tuple)
    isolated: bool = False

    def run(
        self, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER_CANCELLED
    ) -> R:
        """Where the operation says: a helper process when isolated, else this thread."""
        if self.isolated:
            from evidence_app.app.process_job import run_in_process

            result: R = run_in_process(self.fn, *self.args, progress=progress, cancel=cancel)
            return result
        return self.run_here(progress, cancel)

    def run_here(
        self, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER_CANCELLED
    ) -> R:
        """In this process, on this thread (the command line; tests that gate the work)."""
        return self.fn(*self.args, progress=progress, cancel=cancel)
