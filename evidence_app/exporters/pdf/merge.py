"""Gather pages from many PDF files into one document with qpdf's own page merging
(in-process, through ``pikepdf.Job``), without writing it.

The job's document copies pages lazily: a page's stream data stays in its source file until
the document is saved, so memory stays flat however many pages there are, and the bundle's
pages are written once, by the final save. (``pikepdf.open`` + ``pages.append`` would read
every copied stream into memory at once: pikepdf asks qpdf to copy foreign data immediately.)
The job keeps the source files open; it must outlive the document's save.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf

from evidence_app.exporters.pdf.images import PageRef


@contextmanager
def merged(refs: list[PageRef]) -> Iterator[pikepdf.Pdf]:
    """The pages ``refs`` (in order) as one in-memory document backed by their files."""
    args = ["qpdf", "--empty", "--no-warn", "--warning-exit-0"]
    # Keep every resource of the pages as it is: the overlays use font subsets of the front
    # matter that its own pages may not, and skipping qpdf's scan of every page's content for
    # unused names saves time.
    args += ["--remove-unreferenced-resources=no", "--pages"]
    for path, first, last in _runs(refs):
        args += [str(path), f"{first + 1}-{last + 1}"]
    args += ["--", "merged.pdf"]  # required by the command line; never written
    job = pikepdf.Job(args)
    pdf = job.create_pdf()
    try:
        yield pdf
    finally:
        pdf.close()
        del job


def _runs(refs: list[PageRef]) -> list[tuple[Path, int, int]]:
    """Consecutive pages of one file as ranges: a short command line for long bundles."""
    runs: list[tuple[Path, int, int]] = []
    for ref in refs:
        if runs and runs[-1][0] == ref.path and runs[-1][2] + 1 == ref.index:
            runs[-1] = (ref.path, runs[-1][1], ref.index)
        else:
            runs.append((ref.path, ref.index, ref.index))
    return runs
