"""Durable writes: a temporary file beside the destination, fsynced, renamed over it, and the
rename made durable. A reader never sees half a file; a crash leaves the old file or the new
one (and at most a hidden temporary file, which its writer's next run removes).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (no-op where directories can't be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_output(out_path: Path, *, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path (owner-only, 0600) to write; on success it replaces
    ``out_path`` durably, on any error (or cancellation) it is deleted and ``out_path`` is
    left as it was."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # private by default
    fd, name = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=suffix)
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


def write_atomic(path: Path, data: bytes, *, suffix: str = ".tmp") -> None:
    """Write ``data`` to ``path`` durably (see :func:`atomic_output`)."""
    with atomic_output(path, suffix=suffix) as temp:
        temp.write_bytes(data)
