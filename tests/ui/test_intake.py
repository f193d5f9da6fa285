"""Intake on the real window: drop files and folders, paste, capture; hostile files refused
with a message while the app carries on."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from testenv import CORPUS
from uihelpers import wait_idle


def make_png(path: Path, colour: str = "#3366cc", size=(320, 200)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def make_pdf(path: Path, pages: int = 2) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()
    return path


def drop(win, paths: list[Path]) -> None:
    """A real drop event delivered to the window (as the OS would after a drag)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(win, event)


def test_drop_screenshot_pdf_and_folder(case_window, qtbot, tmp_path):
    win = case_window
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    make_png(folder / "a.png", "#ff0000")
    make_png(folder / "sub" / "b.png", "#00ff00")
    shot = make_png(tmp_path / "shot.png")
    pdf = make_pdf(tmp_path / "doc.pdf")
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        drop(win, [shot, pdf, folder])
    case = win.session.case
    assert sorted(e.original_name for e in case.evidence) == [
        "a.png",
        "b.png",
        "doc.pdf",
        "shot.png",
    ]
    assert win.import_log.messages("imported") and len(win.import_log.messages("imported")) == 4
    assert win.navigator._items["evidence"].text(0).endswith("4）")

    # The same file again is a duplicate, reported, not stored twice.
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        drop(win, [shot])
    assert len(win.session.case.evidence) == 4
    assert len(win.import_log.messages("duplicate")) == 1

    # The PDF previews page by page.
    win.show_page("evidence")
    item = next(e for e in win.session.case.evidence if e.original_name == "doc.pdf")
    with qtbot.waitSignal(win.evidence_page.preview.page_shown, timeout=10000):
        win.evidence_page.show_evidence(item.id)
    preview = win.evidence_page.preview
    assert preview.page_count == 2
    with qtbot.waitSignal(preview.page_shown, timeout=10000) as shown:
        preview.act_next.trigger()
    assert shown.args == [1]
    wait_idle(qtbot, win)


def test_hostile_files_refused_with_reason_app_fine(case_window, qtbot, tmp_path):
    win = case_window
    hostile = [
        CORPUS / "images" / "hostile" / "decompression_bomb.gif",
        CORPUS / "images" / "hostile" / "truncated_image.png",
        CORPUS / "pdf" / "hostile" / "r4-aes-user-password.pdf",
    ]
    weird = tmp_path / "evil\u202egnp.exe\x07.png"
    shutil.copy(hostile[1], weird)
    good = make_png(tmp_path / "good.png")
    with qtbot.waitSignal(win.intake.finished, timeout=30000):
        drop(win, [*hostile, weird, good])
    refused = win.import_log.messages("refused")
    assert len(refused) == 4, refused
    assert any("解压炸弹" in m for m in refused)
    assert any("密码" in m for m in refused)
    assert all("\x07" not in m and "\u202e" not in m for m in win.import_log.messages())
    assert [e.original_name for e in win.session.case.evidence] == ["good.png"]
    assert win.import_dock.isVisible()
    # The app carries on: an edit after the refusal works.
    assert win.session.store.audit().ok
    win.add_target()
    assert win.session.case.targets


def test_paste_image_from_clipboard(case_window, qtbot):
    win = case_window
    image = QImage(100, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#884400"))
    QGuiApplication.clipboard().setImage(image)
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        win.act_paste.trigger()
    (item,) = win.session.case.evidence
    assert item.media_type == "image/png"
    assert item.kind.value == "capture"


def test_capture_screen_records_time_and_screen(case_window, qtbot):
    win = case_window
    win.settings.capture_delay = 0
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        win.act_capture.trigger()
    (item,) = win.session.case.evidence
    assert item.kind.value == "capture"
    assert item.fields["captured_at"][:2] == "20"
    assert "x" in item.fields["screen"]


def test_cancel_large_import_keeps_finished_files(case_window, qtbot, tmp_path, mocker):
    win = case_window
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        make_png(folder / f"{i:03d}.png", f"#{i:02x}{i:02x}{i:02x}", (64, 64))
    # Hold the worker after five files until the user has pressed Cancel (no timing luck).
    import threading

    from evidence_app import intake

    pressed = threading.Event()
    reached = threading.Event()

    def slow_import(store, paths, **kwargs):
        progress = kwargs.pop("progress")

        def gated(done, total, label):
            progress(done, total, label)
            if done == 5:
                reached.set()
                assert pressed.wait(10)

        return intake.import_files(store, paths, progress=gated, **kwargs)

    mocker.patch("evidence_app.ui.intake_controller.import_files", slow_import)
    job = win.import_paths([folder])
    qtbot.waitUntil(lambda: reached.is_set() and win.progress.isVisible())
    qtbot.mouseClick(win.progress.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        pressed.set()
    assert job.cancelled
    assert len(win.session.case.evidence) == 5
    # The job's ``done`` signal is queued after ``failed`` (which ends the import): the bar
    # hides when it arrives.
    qtbot.waitUntil(lambda: not win.progress.isVisible(), timeout=10000)
    assert win.session.store.audit().ok


def test_table_fills_while_a_long_import_runs(case_window, qtbot, tmp_path, mocker):
    """Rows appear as files are committed, not only when the whole batch is done."""
    import threading

    from evidence_app import intake

    win = case_window
    win.show_page("evidence")
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(12):
        make_png(folder / f"{i:03d}.png", f"#{i:02x}6699", (64, 64))
    release = threading.Event()

    def held_import(store, paths, **kwargs):
        progress = kwargs.pop("progress")

        def gated(done, total, label):
            progress(done, total, label)
            if done == 4:  # four files committed: hold until the table has shown them
                assert release.wait(20)

        return intake.import_files(store, paths, progress=gated, **kwargs)

    mocker.patch("evidence_app.ui.intake_controller.import_files", held_import)
    win.intake._refresh_timer.setInterval(20)
    win.import_paths([folder])
    qtbot.waitUntil(lambda: win.evidence_page.model.rowCount() == 4, timeout=10000)
    assert win.runner.busy  # the import is still running
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        release.set()
    assert win.evidence_page.model.rowCount() == 12
    assert not win.intake._refresh_timer.isActive()
