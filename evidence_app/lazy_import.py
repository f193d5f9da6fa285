"""One lock for the imports that run off the main thread.

Why: Python imports a module tree under per-module locks only. When a background thread
(verify's preload, the desktop app's warm-up) imports pyHanko while another thread imports
the same tree from a different entry point, the two can meet half-way and one of them gets
"cannot import name … from partially initialized module" — a valid packet then failed to
verify about 3 times in 20. Every background import and every lazy import of those heavy
trees goes through :data:`IMPORT_LOCK`, so one tree is only ever imported by one thread at a
time; a thread that needs a module the other is loading waits for it instead.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from types import ModuleType

IMPORT_LOCK = threading.RLock()


def load(name: str) -> ModuleType:
    """Import ``name`` (and its whole tree) under the shared lock."""
    with IMPORT_LOCK:
        return importlib.import_module(name)


def preload(modules: Sequence[str]) -> threading.Thread:
    """Import ``modules`` in a background thread, one tree at a time under the lock. A module
    that fails to import stops the preload; its user imports it again and sees the real
    error. Join the returned thread before the first use (cheap: the user would wait for the
    import anyway) so that no two threads import at once."""

    def run() -> None:
        for name in modules:
            try:
                load(name)
            except Exception:
                return

    thread = threading.Thread(target=run, name="preload", daemon=True)
    thread.start()
    return thread
