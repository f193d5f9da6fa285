"""The redaction editor: draw, move and delete boxes on an image and a PDF page, undoable,
saved on the exhibit in page-relative units."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from test_intake import drop, make_pdf, make_png


def view_point(view, rel_x: float, rel_y: float) -> QPoint:
    """The viewport position of a page-relative point."""
    page = view._page
    rect = page.boundingRect()
    scene = page.mapToScene(rect.width() * rel_x, rect.height() * rel_y)
    return view.mapFromScene(scene)


def drag(qtbot, view, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    mid = (start + end) / 2
    qtbot.mouseMove(viewport, mid)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


@pytest.fixture
def shown(case_window, qtbot, tmp_path):
    win = case_window
    png = make_png(tmp_path / "id-card.png", "#ffffff", (400, 300))
    pdf = make_pdf(tmp_path / "two.pdf", 2)
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        drop(win, [png, pdf])
    win.show_page("evidence")
    return win


def test_draw_move_delete_undo_on_image(shown, qtbot):
    win = shown
    item = next(e for e in win.session.case.evidence if e.is_image)
    preview = win.evidence_page.preview
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        win.evidence_page.show_evidence(item.id)
    view = preview.view
    preview.act_redact.setChecked(True)

    drag(qtbot, view, view_point(view, 0.1, 0.2), view_point(view, 0.5, 0.6))
    (r,) = win.session.store.get_evidence(item.id).redactions
    assert r.page == 0
    assert r.x == pytest.approx(0.1, abs=0.02) and r.y == pytest.approx(0.2, abs=0.02)
    assert r.w == pytest.approx(0.4, abs=0.02) and r.h == pytest.approx(0.4, abs=0.02)

    # Move it by dragging from inside the box.
    drag(qtbot, view, view_point(view, 0.3, 0.4), view_point(view, 0.4, 0.5))
    (moved,) = win.session.store.get_evidence(item.id).redactions
    assert moved.x == pytest.approx(0.2, abs=0.02) and moved.y == pytest.approx(0.3, abs=0.02)
    assert moved.w == pytest.approx(r.w, abs=1e-6)

    # A drag past the page edge stays inside the page.
    drag(qtbot, view, view_point(view, 0.3, 0.4), view_point(view, 1.5, 1.5))
    (clamped,) = win.session.store.get_evidence(item.id).redactions
    assert clamped.x + clamped.w <= 1.0 + 1e-6 and clamped.y + clamped.h <= 1.0 + 1e-6
    assert not win.session.store.get_evidence(item.id).validate("e")

    # Select and delete with the Delete key.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, 0.9, 0.9))
    assert any(rect.isSelected() for rect in view._rects)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert win.session.store.get_evidence(item.id).redactions == []
    assert view.rects() == []

    win.act_undo.trigger()  # the delete
    assert len(win.session.store.get_evidence(item.id).redactions) == 1
    assert len(view.rects()) == 1
    win.act_undo.trigger()  # the clamp move
    win.act_undo.trigger()  # the move
    win.act_undo.trigger()  # the drawing
    assert win.session.store.get_evidence(item.id).redactions == []
    assert view.rects() == []


def test_redaction_on_second_pdf_page(shown, qtbot):
    win = shown
    item = next(e for e in win.session.case.evidence if e.is_pdf)
    preview = win.evidence_page.preview
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        win.evidence_page.show_evidence(item.id)
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        preview.act_next.trigger()
    preview.view.zoom_by(2.0)  # editing works zoomed in too
    preview.act_redact.setChecked(True)
    view = preview.view
    drag(qtbot, view, view_point(view, 0.2, 0.2), view_point(view, 0.3, 0.25))
    (r,) = win.session.store.get_evidence(item.id).redactions
    assert r.page == 1
    assert r.x == pytest.approx(0.2, abs=0.02)
    # Page 1 shows no box of page 2.
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        preview.act_prev.trigger()
    assert view.rects() == []
