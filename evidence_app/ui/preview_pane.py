"""Preview of one exhibit: images upright, PDFs page by page (PDFium), zoomable, with the
redaction editor on top. Pages are decoded/rendered on the job pool, never on the UI thread.
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QLabel, QStackedWidget, QToolBar, QVBoxLayout, QWidget

from evidence_app.i18n import tr
from evidence_app.jobs import CancelToken, ProgressCallback
from evidence_app.model import EvidenceItem, Redaction
from evidence_app.ui.job_runner import JobRunner
from evidence_app.ui.pdf_render import render_page
from evidence_app.ui.redaction_view import RedactionView, Rel
from evidence_app.ui.session import CaseSession
from evidence_app.ui.text import error_text
from evidence_app.ui.thumbnails import load_image_scaled

PAGE_BOUND = QSize(2400, 2400)


def load_page(path: Path, is_pdf: bool, page: int) -> tuple[QImage, int]:
    """The page as an upright image, and the number of pages."""
    if not is_pdf:
        return load_image_scaled(path, PAGE_BOUND), 1
    image, pages = render_page(path, max(page, 0), PAGE_BOUND)  # ~144 dpi at most
    if image.isNull() and pages and page >= pages:
        image, pages = render_page(path, pages - 1, PAGE_BOUND)
    return image, pages


class PreviewPane(QWidget):
    page_shown = Signal(int)  # emitted when a page image is on screen

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._session: CaseSession | None = None
        self._item: EvidenceItem | None = None
        self._page = 0
        self._pages = 0
        self._serial = 0

        self.view = RedactionView(self)
        self.view.edited.connect(self._save_rects)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_prev = QAction(self)
        self.act_prev.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.act_prev.triggered.connect(lambda: self.show_page(self._page - 1))
        self.act_next = QAction(self)
        self.act_next.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.act_next.triggered.connect(lambda: self.show_page(self._page + 1))
        self.page_label = QLabel(self)
        self.act_zoom_in = QAction(self)
        self.act_zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_in.triggered.connect(lambda: self.view.zoom_by(1.25))
        self.act_zoom_out = QAction(self)
        self.act_zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_out.triggered.connect(lambda: self.view.zoom_by(0.8))
        self.act_fit = QAction(self)
        self.act_fit.setShortcut(QKeySequence("Ctrl+0"))
        self.act_fit.triggered.connect(self.view.fit)
        self.act_redact = QAction(self)
        self.act_redact.setCheckable(True)
        self.act_redact.setShortcut(QKeySequence("Ctrl+R"))
        self.act_redact.toggled.connect(self.view.set_editing)
        self.act_delete = QAction(self)
        self.act_delete.triggered.connect(self.view.delete_selected)
        for action in (self.act_prev, self.act_next):
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.page_label)
        self.toolbar.addSeparator()
        for action in (self.act_zoom_out, self.act_zoom_in, self.act_fit):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_redact)
        self.toolbar.addAction(self.act_delete)
        for action in self.toolbar.actions():
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        self.retranslate()
        self._update_controls()

    def retranslate(self) -> None:
        self.act_prev.setText(tr("ui.preview.prev"))
        self.act_next.setText(tr("ui.preview.next"))
        self.act_zoom_in.setText(tr("ui.preview.zoom_in"))
        self.act_zoom_in.setToolTip(tr("ui.preview.zoom_in_tip"))
        self.act_zoom_out.setText(tr("ui.preview.zoom_out"))
        self.act_zoom_out.setToolTip(tr("ui.preview.zoom_out_tip"))
        self.act_fit.setText(tr("ui.preview.fit"))
        self.act_redact.setText(tr("ui.preview.redact"))
        self.act_redact.setToolTip(tr("ui.preview.redact_tip"))
        self.act_delete.setText(tr("ui.preview.delete_rect"))
        if self._item is None:
            self.message.setText(tr("ui.preview.none"))
        self._update_controls()

    # --- what is shown -----------------------------------------------------------------------

    def set_session(self, session: CaseSession | None) -> None:
        self._session = session
        self.show_item(None)

    @property
    def item(self) -> EvidenceItem | None:
        return self._item

    @property
    def page(self) -> int:
        return self._page

    @property
    def page_count(self) -> int:
        return self._pages

    def show_item(self, item: EvidenceItem | None) -> None:
        same = item is not None and self._item is not None and item.id == self._item.id
        self._item = copy.deepcopy(item) if item else None
        if same:
            self._apply_rects()  # only the description changed (e.g. after undo)
            return
        self._page = 0
        self._pages = 0
        self.view.set_page(None)
        if item is None:
            self.message.setText(tr("ui.preview.none"))
            self.stack.setCurrentWidget(self.message)
        elif not (item.is_image or item.is_pdf):
            self.message.setText(tr("ui.preview.unsupported", type=item.media_type))
            self.stack.setCurrentWidget(self.message)
        else:
            self.show_page(0)
        self._update_controls()

    def show_page(self, page: int) -> None:
        item, session = self._item, self._session
        if item is None or session is None:
            return
        if self._pages and not 0 <= page < self._pages:
            return
        self._serial += 1
        serial = self._serial
        path = session.store.blobs.path_for(item.sha256)
        is_pdf = item.is_pdf
        self.message.setText(tr("ui.preview.loading"))
        if not self.view.has_page:
            self.stack.setCurrentWidget(self.message)

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[QImage, int]:
            return load_page(path, is_pdf, page)

        self._runner.start(
            work,
            on_finished=lambda result: self._page_loaded(serial, page, result),
            on_failed=lambda exc: self._page_failed(serial, exc),
            user=False,
        )

    def _page_loaded(self, serial: int, page: int, result: tuple[QImage, int]) -> None:
        if serial != self._serial or self._item is None:
            return  # a newer request superseded this one
        image, pages = result
        if image.isNull():
            self.message.setText(tr("ui.preview.cannot_render"))
            self.stack.setCurrentWidget(self.message)
            return
        self._page, self._pages = page, pages
        self.view.set_page(image)
        self._apply_rects()
        self.stack.setCurrentWidget(self.view)
        self._update_controls()
        self.page_shown.emit(page)

    def _page_failed(self, serial: int, exc: BaseException) -> None:
        if serial == self._serial:
            self.message.setText(tr("ui.preview.failed", detail=error_text(exc)))
            self.stack.setCurrentWidget(self.message)

    def _update_controls(self) -> None:
        pages = self._pages
        self.page_label.setText(
            tr("ui.preview.page", page=self._page + 1, pages=pages) if pages > 1 else ""
        )
        self.act_prev.setEnabled(pages > 1 and self._page > 0)
        self.act_next.setEnabled(pages > 1 and self._page < pages - 1)
        can_redact = self._item is not None and (self._item.is_image or self._item.is_pdf)
        self.act_redact.setEnabled(can_redact)
        self.act_delete.setEnabled(can_redact)
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_fit):
            action.setEnabled(can_redact)

    # --- redactions --------------------------------------------------------------------------

    def _apply_rects(self) -> None:
        if self._item is None or not self.view.has_page:
            return
        self.view.set_rects(
            [(r.x, r.y, r.w, r.h) for r in self._item.redactions if r.page == self._page]
        )

    def _save_rects(self, rects: list[Rel]) -> None:
        """Replace this page's rectangles on the exhibit, as one undoable edit."""
        if self._item is None or self._session is None:
            return
        item = copy.deepcopy(self._item)
        others = [r for r in item.redactions if r.page != self._page]
        mine = [Redaction(page=self._page, x=x, y=y, w=w, h=h) for x, y, w, h in rects]
        item.redactions = others + [_clamped(r) for r in mine]
        from evidence_app.ui import dialogs

        try:
            self._session.update_evidence(item, tr("ui.undo.redaction", label=item.label))
        except Exception as exc:
            dialogs.show_error(self, tr("ui.error.save_redaction"), exc)
            self._apply_rects()


def _clamped(r: Redaction) -> Redaction:
    """Round and keep inside the page so that ``Redaction.validate`` always passes."""
    x = min(max(round(r.x, 6), 0.0), 0.999)
    y = min(max(round(r.y, 6), 0.0), 0.999)
    w = min(max(round(r.w, 6), 0.0001), 1.0 - x)
    h = min(max(round(r.h, 6), 0.0001), 1.0 - y)
    return Redaction(page=r.page, x=x, y=y, w=w, h=h)
