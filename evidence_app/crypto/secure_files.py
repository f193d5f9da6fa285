"""Private files: created owner-only, written to a temporary name, fsynced, renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from evidence_app.errors import UsageError
from evidence_app.store.blobs import fsync_dir


def write_private_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with 0600 permissions.

    Key files are never overwritten silently: losing a key loses access to every packet
    encrypted to it.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise UsageError("crypto.file_exists", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temp = Path(name)
    try:
        os.chmod(temp, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


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
