"""Measures how long the event loop stays blocked: a fast timer notes the gaps between its
ticks. Used by the responsiveness test and bench/bench_ui_stall.py."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallProbe(QObject):
    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval_ms / 1000
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.max_stall = 0.0  # seconds beyond the interval
        self.ticks = 0
        self.stalls: list[float] = []

    def start(self) -> None:
        self.max_stall, self.ticks, self.stalls = 0.0, 0, []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.max_stall

    def _tick(self) -> None:
        now = time.perf_counter()
        stall = max(0.0, now - self._last - self.interval)
        self._last = now
        self.ticks += 1
        self.stalls.append(stall)
        self.max_stall = max(self.max_stall, stall)

    def percentile(self, p: float) -> float:
        if not self.stalls:
            return 0.0
        ordered = sorted(self.stalls)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]
