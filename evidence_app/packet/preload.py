"""Import slow modules in a background thread, ahead of their use.

pyhanko's validation modules take ~0.7 s to import, all on the GIL. Verify starts importing
them while pyrage decrypts (mostly outside the GIL) instead of paying for them afterwards.
Importing has no side effect here; a module that fails to import fails again, with its real
error, where it is used. (Tried for export too: no gain, the PDF bundle holds the GIL.)
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence


def preload(modules: Sequence[str]) -> threading.Thread:
    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:
                return

    thread = threading.Thread(target=load, name="preload", daemon=True)
    thread.start()
    return thread
