"""Thumbnails for the evidence table, made off the UI thread and cached by SHA-256.

Images use the PNG thumbnail intake wrote (or the original, scaled while reading, with EXIF
orientation applied); PDFs get their first page rendered with PDFium (ui/pdf_render.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

from evidence_app.jobs import CancelToken, ProgressCallback
from evidence_app.model import EvidenceItem
from evidence_app.store import CaseStore
from evidence_app.ui.job_runner import JobRunner
from evidence_app.ui.pdf_render import render_page

THUMB = QSize(96, 96)


def load_image_scaled(path: Path, bound: QSize) -> QImage:
    """Read an image upright (EXIF orientation), decoded straight to about ``bound``."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > bound.width() or size.height() > bound.height()):
        reader.setScaledSize(size.scaled(bound, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def render_pdf_page(path: Path, page: int, bound: QSize) -> QImage:
    return render_page(path, page, bound)[0]


def make_thumbnail(store: CaseStore, item: EvidenceItem) -> QImage:
    thumb = store.thumbnail_path(item.sha256)
    if item.is_image:
        source = thumb if thumb.is_file() else store.blobs.path_for(item.sha256)
        return load_image_scaled(source, THUMB)
    if item.is_pdf:
        return render_pdf_page(store.blobs.path_for(item.sha256), 0, THUMB)
    return QImage()


class ThumbnailCache(QObject):
    ready = Signal(list)  # the sha256 of every thumbnail of a finished batch

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._pixmaps: dict[str, QPixmap] = {}
        self._pending: dict[str, EvidenceItem] = {}
        self._busy = False
        self.store: CaseStore | None = None

    def set_store(self, store: CaseStore | None) -> None:
        self.store = store
        self._pixmaps.clear()
        self._pending.clear()

    def get(self, item: EvidenceItem) -> QPixmap | None:
        pixmap = self._pixmaps.get(item.sha256)
        if pixmap is None and (item.is_image or item.is_pdf):
            self._pending.setdefault(item.sha256, item)
            self._kick()
        return pixmap

    def _kick(self) -> None:
        if self._busy or not self._pending or self.store is None:
            return
        batch = list(self._pending.values())[:32]
        store = self.store
        self._busy = True

        def work(progress: ProgressCallback, cancel: CancelToken) -> list[tuple[str, QImage]]:
            out = []
            for item in batch:
                cancel.raise_if_cancelled()
                try:
                    out.append((item.sha256, make_thumbnail(store, item)))
                except (OSError, ValueError):
                    out.append((item.sha256, QImage()))
            return out

        self._runner.start(work, on_finished=self._done, on_failed=self._failed, user=False)

    def _done(self, results: list[tuple[str, QImage]]) -> None:
        self._busy = False
        for sha, image in results:
            self._pending.pop(sha, None)
            self._pixmaps[sha] = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        # One signal per batch: a signal per thumbnail made views repaint 32 times.
        self.ready.emit([sha for sha, _image in results])
        self._kick()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._pending.clear()
