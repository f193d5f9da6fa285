"""Words for failures of the machine rather than of the data: a full disk, a read-only
folder, a permission refused — each its own message naming the path and the action.

Why: a full disk during import read "The file cannot be read" (blaming the source) or
"Unexpected error: OperationalError"; several messages read "File operation failed: : …"
with an empty path. Faces (CLI, desktop app) call these to word an OSError or an SQLite
error; the result is a message key and its parameters, as for every other error.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

_BY_ERRNO = {
    errno.ENOSPC: "failure.disk_full",
    getattr(errno, "EDQUOT", -1): "failure.disk_full",
    errno.EROFS: "failure.read_only",
    errno.EACCES: "failure.permission",
    errno.EPERM: "failure.permission",
    errno.ENOENT: "failure.not_found",
    errno.EIO: "failure.io",
}


def os_error_words(exc: OSError, action: str) -> tuple[str, dict[str, Any]]:
    path = exc.filename or exc.filename2 or ""
    key = _BY_ERRNO.get(exc.errno or 0, "failure.os")
    return key, {
        "path": str(path) if path else "?",
        "action": action or "?",
        "detail": exc.strerror or str(exc),
    }


def sqlite_error_words(exc: sqlite3.Error, action: str, case: str) -> tuple[str, dict[str, Any]]:
    text = str(exc).lower()
    if "full" in text:
        key = "failure.disk_full"
    elif "readonly" in text or "read-only" in text:
        key = "failure.read_only"
    elif "locked" in text or "busy" in text:
        key = "failure.db_busy"
    else:
        key = "failure.db"
    return key, {"path": case or "?", "action": action or "?", "detail": str(exc)}
