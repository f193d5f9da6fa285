"""Follow-up page: events from a translated list, dates checked, days to each deadline."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt

from evidence_app.ui.follow_up_page import COLUMNS

TODAY = _dt.date(2026, 11, 29)


def test_follow_up_rows_status_and_storage(case_window, qtbot):
    win = case_window
    win.show_page("follow_up")
    page = win.follow_up_page
    page.today = lambda: TODAY
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    (stored,) = win.session.store.load().follow_ups
    assert (stored.date, stored.event) == ("2026-11-29", "submitted")
    combo = page.table.cellWidget(0, COLUMNS.index("event"))
    assert combo.currentText() == "已提交"  # a translated name, not the stored word

    deadline = page.table.item(0, COLUMNS.index("deadline"))
    deadline.setText("2026-12-02")
    assert page.status_text(0) == "剩余 3 天"
    deadline.setText("2026-11-27")
    assert page.status_text(0) == "已逾期 2 天"
    assert win.session.store.load().follow_ups[0].deadline == "2026-11-27"
    deadline.setText("27/11/2026")
    assert deadline.toolTip() and page.status_text(0) == ""

    combo.setCurrentIndex(combo.findData("reply"))
    assert win.session.store.load().follow_ups[0].event == "reply"
    win.act_undo.trigger()
    assert win.session.store.load().follow_ups[0].event == "submitted"
    assert page.table.cellWidget(0, COLUMNS.index("event")).currentData() == "submitted"

    win.set_language("en")
    assert page.table.cellWidget(0, COLUMNS.index("event")).currentText() == "Submitted"
    win.set_language("zh_CN")
