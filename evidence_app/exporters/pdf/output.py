"""Atomic output: a temporary file in the destination folder, fsynced, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evidence_app.store.blobs import fsync_dir


@contextmanager
def atomic_output(out_path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``out_path`` durably, on any
    error (or cancellation) it is deleted and ``out_path`` is left as it was."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, out_path)
        fsync_dir(out_path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
