"""A zoomable page view that shows redaction rectangles and, in edit mode, lets the user draw,
move and delete them.

Rectangles are children of the page item, so their geometry is in page pixels; the view
converts to page-relative units (0..1, origin top-left) when it reports an edit. It only
*reports* edits (``edited``); the caller saves them (undoably) and calls ``set_rects`` back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

Rel = tuple[float, float, float, float]  # x, y, w, h in 0..1
MIN_PIXELS = 4.0  # a drag shorter than this is a click, not a rectangle


class RedactionRect(QGraphicsRectItem):
    def __init__(self, rect: QRectF, parent: QGraphicsItem) -> None:
        super().__init__(rect, parent)
        self.setBrush(QBrush(QColor(0, 0, 0, 170)))
        self.setPen(QPen(QColor(220, 30, 30), 0))
        self.setZValue(1)

    def set_editable(self, editable: bool) -> None:
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, editable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, editable)
        self.setCursor(Qt.CursorShape.SizeAllCursor if editable else Qt.CursorShape.ArrowCursor)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        # Keep a moved rectangle inside the page.
        parent = self.parentItem()
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and parent is not None:
            bounds = parent.boundingRect()
            r = self.rect()
            pos = QPointF(value)
            x = min(max(pos.x(), bounds.left() - r.left()), bounds.right() - r.right())
            y = min(max(pos.y(), bounds.top() - r.top()), bounds.bottom() - r.bottom())
            return QPointF(x, y)
        return super().itemChange(change, value)

    def page_rect(self) -> QRectF:
        return self.rect().translated(self.pos())


class RedactionView(QGraphicsView):
    edited = Signal(list)  # list[Rel] for the current page
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor(128, 128, 128))
        self._page: QGraphicsPixmapItem | None = None
        self._rects: list[RedactionRect] = []
        self._editing = False
        self._drawing: RedactionRect | None = None
        self._origin = QPointF()
        self._moved = False
        self._zoom = 1.0
        self._fit = True

    # --- content -----------------------------------------------------------------------------

    def set_page(self, image: QImage | None) -> None:
        self.scene().clear()
        self._rects = []
        self._page = None
        self._drawing = None
        if image is None or image.isNull():
            return
        self._page = self.scene().addPixmap(QPixmap.fromImage(image))
        self._page.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().setSceneRect(self._page.boundingRect())
        if self._fit:
            self.fit()

    @property
    def has_page(self) -> bool:
        return self._page is not None

    def page_size(self) -> tuple[float, float]:
        if self._page is None:
            return (0.0, 0.0)
        r = self._page.boundingRect()
        return (r.width(), r.height())

    def set_rects(self, rects: list[Rel]) -> None:
        for item in self._rects:
            self.scene().removeItem(item)
        self._rects = []
        if self._page is None:
            return
        w, h = self.page_size()
        for x, y, rw, rh in rects:
            item = RedactionRect(QRectF(x * w, y * h, rw * w, rh * h), self._page)
            item.set_editable(self._editing)
            self._rects.append(item)

    def rects(self) -> list[Rel]:
        w, h = self.page_size()
        if not w or not h:
            return []
        out: list[Rel] = []
        for item in self._rects:
            r = item.page_rect().intersected(QRectF(0, 0, w, h))
            if r.width() > 0 and r.height() > 0:
                out.append((r.x() / w, r.y() / h, r.width() / w, r.height() / h))
        return out

    # --- modes and zoom ----------------------------------------------------------------------

    def set_editing(self, editing: bool) -> None:
        self._editing = editing
        self.setDragMode(
            QGraphicsView.DragMode.NoDrag if editing else QGraphicsView.DragMode.ScrollHandDrag
        )
        self.viewport().setCursor(
            Qt.CursorShape.CrossCursor if editing else Qt.CursorShape.OpenHandCursor
        )
        for item in self._rects:
            item.set_editable(editing)
            item.setSelected(False)

    @property
    def editing(self) -> bool:
        return self._editing

    def zoom_by(self, factor: float) -> None:
        self._fit = False
        self._zoom = min(max(self._zoom * factor, 0.05), 20.0)
        self.setTransform(self.transform().fromScale(self._zoom, self._zoom))
        self.zoom_changed.emit(self._zoom)

    def fit(self) -> None:
        self._fit = True
        if self._page is not None:
            self.fitInView(self._page, Qt.AspectRatioMode.KeepAspectRatio)
            self._zoom = self.transform().m11()
            self.zoom_changed.emit(self._zoom)

    @property
    def zoom(self) -> float:
        return self._zoom

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
        else:
            super().wheelEvent(event)

    # --- editing -----------------------------------------------------------------------------

    def _page_point(self, event: QMouseEvent) -> QPointF | None:
        if self._page is None:
            return None
        point = self._page.mapFromScene(self.mapToScene(event.position().toPoint()))
        bounds = self._page.boundingRect()
        return QPointF(
            min(max(point.x(), 0.0), bounds.width()), min(max(point.y(), 0.0), bounds.height())
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._editing and event.button() == Qt.MouseButton.LeftButton and self._page:
            hit = self.itemAt(event.position().toPoint())
            if isinstance(hit, RedactionRect):
                self._moved = False
                super().mousePressEvent(event)  # select / start moving it
                return
            point = self._page_point(event)
            if point is not None:
                self.scene().clearSelection()
                self._origin = point
                self._drawing = RedactionRect(QRectF(point, point), self._page)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing is not None:
            point = self._page_point(event)
            if point is not None:
                self._drawing.setRect(QRectF(self._origin, point).normalized())
            event.accept()
            return
        if self._editing and event.buttons() & Qt.MouseButton.LeftButton:
            self._moved = True
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing is not None:
            item, self._drawing = self._drawing, None
            r = item.rect()
            if r.width() < MIN_PIXELS or r.height() < MIN_PIXELS:
                self.scene().removeItem(item)
            else:
                item.set_editable(True)
                self._rects.append(item)
                self.edited.emit(self.rects())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if self._editing and self._moved:
            self._moved = False
            self.edited.emit(self.rects())

    def delete_selected(self) -> bool:
        selected = [r for r in self._rects if r.isSelected()]
        if not selected:
            return False
        for item in selected:
            self._rects.remove(item)
            self.scene().removeItem(item)
        self.edited.emit(self.rects())
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.delete_selected():
                event.accept()
                return
        super().keyPressEvent(event)
