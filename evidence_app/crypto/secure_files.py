"""Private files: created owner-only, written to a temporary name, fsynced, renamed."""

from __future__ import annotations

from pathlib import Path

from evidence_app.durable import write_atomic
from evidence_app.errors import UsageError


def write_private_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with 0600 permissions.

    Key files are never overwritten silently: losing a key loses access to every packet
    encrypted to it.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise UsageError("crypto.file_exists", path=str(path))
    write_atomic(path, data, suffix=".part")  # the temporary file is created 0600 too


def read_limited(path: Path, limit: int, too_big_key: str) -> bytes:
    """Read a small file (a key, a certificate) refusing anything larger than ``limit``."""
    path = Path(path)
    if not path.is_file():
        raise UsageError("cli.file_missing", path=str(path))
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UsageError(too_big_key, path=str(path), limit=limit)
    return data
