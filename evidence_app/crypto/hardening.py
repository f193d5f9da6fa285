"""Keep secrets out of core dumps.

Why: a SIGSEGV during an export with ``ulimit -c unlimited`` wrote a 95 MB core holding both
passphrases and plaintext evidence. Every process that reads a passphrase or a private key
calls :func:`no_core_dumps` first: the core size limit goes to 0 (soft and hard, so the
process cannot raise it again) and, on Linux, the process is marked non-dumpable
(``prctl(PR_SET_DUMPABLE, 0)``: no core, and other users' ptrace is refused). Elsewhere only
the parts that exist are applied; Windows writes no core files by default.
"""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3

_done = False


def no_core_dumps() -> None:
    """Idempotent and silent: hardening that cannot be applied is not an error."""
    global _done
    if _done:
        return
    _done = True
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def dumpable() -> bool | None:
    """Linux only (None elsewhere): whether the kernel would write a core for us."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    return bool(ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
