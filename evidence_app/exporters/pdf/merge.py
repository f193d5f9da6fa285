"""Merge pages from many PDF files into one with qpdf's own page merging (in-process, through
``pikepdf.Job``), which copies lazily: stream data goes from the inputs to the output at write
time, so memory stays flat however many pages there are. (pikepdf's ``pages.append`` copies
every stream into memory at once.)"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from evidence_app.exporters.pdf.images import PageRef


def merge(refs: list[PageRef], out: Path) -> None:
    """Write the pages ``refs`` (in order) as one PDF to ``out``."""
    args = ["qpdf", "--empty", "--no-warn", "--warning-exit-0", "--pages"]
    for path, first, last in _runs(refs):
        args += [str(path), f"{first + 1}-{last + 1}"]
    args += ["--", str(out)]
    pikepdf.Job(args).run()


def _runs(refs: list[PageRef]) -> list[tuple[Path, int, int]]:
    """Consecutive pages of one file as ranges: a short command line for long bundles."""
    runs: list[tuple[Path, int, int]] = []
    for ref in refs:
        if runs and runs[-1][0] == ref.path and runs[-1][2] + 1 == ref.index:
            runs[-1] = (ref.path, runs[-1][1], ref.index)
        else:
            runs.append((ref.path, ref.index, ref.index))
    return runs
