"""Qt bindings must not drop references to None/True/False.

PySide6 6.12.0 on Python 3.11 did: every model ``data()`` that returned None through a view,
every ``processEvents()`` and every bool signal took one reference from the singleton, and
after some thousands of repaints the app aborted ("deallocating None"). Python 3.12 made
these objects immortal, 3.11 did not; this guards whichever binding version is pinned."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Signal
from PySide6.QtWidgets import QApplication


class _Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 4

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 2

    def data(self, index, role=0):
        return None


class _Emitter(QObject):
    flag = Signal(bool)
    value = Signal(object)


def _refs():
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None/True/False are immortal from 3.12: the bug cannot happen and their "
    "reference counts cannot move, so this test could not fail there",
)
def test_round_trips_keep_singleton_references(qapp, case_window):
    model = _Model()
    emitter = _Emitter()
    seen = []
    emitter.flag.connect(lambda v: seen.append(v) and None)
    emitter.value.connect(lambda v: None)
    page = case_window.evidence_page
    before = _refs()
    for _ in range(2000):
        model.index(1, 1).data(0)  # None back through C++
        QApplication.processEvents()
        emitter.flag.emit(True)
        emitter.flag.emit(False)
        emitter.value.emit(None)
        page.proxy.index(0, 0).data(0)
    seen.clear()
    after = _refs()
    # References held by objects created meanwhile raise the counts a little; the bug took
    # one per call (thousands here), and a count reaching zero aborts the interpreter.
    assert all(a >= b - 100 for a, b in zip(after, before, strict=True)), (before, after)
