"""UI test set-up: offscreen Qt, real widgets, and no modal dialog can ever hang a run.

``QT_QPA_PLATFORM=offscreen`` is set here too (before any QApplication exists) so that this
folder works even when run on its own. Every static helper of QMessageBox / QFileDialog /
QInputDialog and every ``exec()`` of a dialog raises: a test that expects a dialog patches
``evidence_app.ui.dialogs`` (where widgets call them) instead.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # uihelpers

import pytest


class ForgottenDialog(AssertionError):
    """A modal dialog was opened that the test did not patch."""


def _forbid(name: str):
    def refuse(*args, **kwargs):
        raise ForgottenDialog(f"unpatched modal dialog: {name}{args[1:3]!r}")

    return refuse


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    for name in ("information", "warning", "critical", "question", "about", "aboutQt"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(_forbid(f"QMessageBox.{name}")))
    for name in (
        "getOpenFileName",
        "getOpenFileNames",
        "getSaveFileName",
        "getExistingDirectory",
        "getOpenFileUrl",
        "getOpenFileUrls",
        "getSaveFileUrl",
        "getExistingDirectoryUrl",
    ):
        monkeypatch.setattr(QFileDialog, name, staticmethod(_forbid(f"QFileDialog.{name}")))
    for name in ("getText", "getInt", "getDouble", "getItem", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(_forbid(f"QInputDialog.{name}")))
    monkeypatch.setattr(QMessageBox, "exec", _forbid("QMessageBox.exec"))
    monkeypatch.setattr(QDialog, "exec", _forbid("QDialog.exec"))
    yield


@pytest.fixture
def settings_file(tmp_path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def window(qtbot, settings_file):
    """A real main window without a case, Chinese, settings in tmp_path."""
    from evidence_app.ui.app import create_main_window

    win = create_main_window(None, "zh_CN", settings_file=settings_file)
    # Not qtbot.addWidget: pytest-qt would close the window before this fixture's teardown,
    # while a housekeeping job (thumbnails, re-check) may still run, and closing then asks.
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.cancel_all()
    win.runner.wait()
    win.close()
    if win.session is not None:
        win.session.close()
        win.session = None
    win.deleteLater()


@pytest.fixture
def case_window(window, tmp_path, qtbot):
    """The main window with a new empty case open."""
    assert window.create_case(tmp_path / "case", "测试案件")
    return window
