"""Outputs never destroy inputs: the one check every face runs before writing an output.

Why: ``export CASE --out CASE/case.sqlite`` once wrote a packet over the case's own database
and exited 0; ``--out`` silently replaced whatever file was there (an original evidence file,
a key). Before any work, :func:`check_output` refuses

- always: a path inside a case folder (any folder holding a ``case.sqlite``, or named
  ``*.evcase``) or the case folder itself, and a path that is the same file as one of the
  command's inputs (the signing key, an identity, the packet being verified);
- unless ``overwrite``: a path that already exists (a folder output: one that is not empty).

Paths are compared after resolving links, so a link pointing into a case is refused too; the
resolved path is what the caller should write to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from evidence_app.errors import UsageError

CASE_DB = "case.sqlite"
CASE_SUFFIX = ".evcase"


def _resolve(path: Path) -> Path:
    # strict=False resolves every existing part (links included) and keeps the rest as is
    return Path(os.path.abspath(path)).resolve(strict=False)


def case_folder_of(path: Path) -> Path | None:
    """The case folder ``path`` is in (or is), if any."""
    resolved = _resolve(path)
    for folder in (resolved, *resolved.parents):
        if folder.suffix == CASE_SUFFIX or (folder / CASE_DB).is_file():
            return folder
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    folder: bool = False,
    cases: Iterable[str | os.PathLike[str]] = (),
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    companions: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Refuse an unsafe output path (UsageError naming it); return it resolved.

    ``cases``: case folders the command reads (refused even if not yet recognisable as a
    case); ``inputs``: files the command reads; ``companions``: further paths the output
    comes with (a packet's key file), checked the same way."""
    target = Path(path)
    resolved = _resolve(target)
    for case in cases:
        root = _resolve(Path(case))
        if resolved == root or root in resolved.parents:
            raise UsageError("output.inside_case", path=str(target), case=str(case))
    found = case_folder_of(resolved)
    if found is not None:
        raise UsageError("output.inside_case", path=str(target), case=str(found))
    for source in inputs:
        if source is not None and (
            _resolve(Path(source)) == resolved or _same_file(Path(source), resolved)
        ):
            raise UsageError("output.is_input", path=str(target))
    if os.path.lexists(target):
        if folder:
            if not resolved.is_dir():
                raise UsageError("output.not_folder", path=str(target))
            if not overwrite and any(resolved.iterdir()):
                raise UsageError("output.exists", path=str(target))
        elif not overwrite:
            raise UsageError("output.exists", path=str(target))
    for extra in companions:
        check_output(extra, overwrite=overwrite, cases=cases, inputs=inputs)
    return resolved
