"""'Capture screen' with a delay: the window steps aside, the screen is grabbed, and the
capture is imported with the time it was taken and which screen it shows."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QScreen

from evidence_app.ui.intake_controller import local_now_iso


def describe_screen(screen: QScreen) -> str:
    g = screen.geometry()
    ratio = screen.devicePixelRatio()
    return f"{screen.name()} {g.width()}x{g.height()}+{g.x()}+{g.y()} @{ratio:g}x"


class ScreenCapturer(QObject):
    """Counts down ``delay`` seconds (``tick`` each second), then emits ``captured``."""

    tick = Signal(int)  # seconds left
    captured = Signal(QImage, dict)  # image, fields {captured_at, screen}
    failed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._step)
        self._left = 0
        self.screen: QScreen | None = None

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, delay: int, screen: QScreen | None = None) -> None:
        self.screen = screen or QGuiApplication.primaryScreen()
        self._left = max(0, delay)
        if self._left == 0:
            QTimer.singleShot(0, self._grab)
        else:
            self.tick.emit(self._left)
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()

    def _step(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.tick.emit(self._left)
            return
        self._timer.stop()
        self._grab()

    def _grab(self) -> None:
        screen = self.screen or QGuiApplication.primaryScreen()
        if screen is None:
            self.failed.emit()
            return
        taken = local_now_iso()
        image = screen.grabWindow(0).toImage()
        if image.isNull():
            self.failed.emit()
            return
        self.captured.emit(image, {"captured_at": taken, "screen": describe_screen(screen)})
