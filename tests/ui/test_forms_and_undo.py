"""Forms on the real main window: inline validation, saving, undo/redo, navigation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import type_into, type_text

from evidence_app.validators import uscc_check_character

GOOD_USCC_BASE = "91310115MA1K4B2X3"


def test_uscc_check_digit_shown_inline_and_saved(case_window, qtbot):
    win = case_window
    form = win.complainant_form
    assert win.stack.currentWidget() is form
    uscc = form.widgets["uscc"]
    bad = GOOD_USCC_BASE + ("0" if uscc_check_character(GOOD_USCC_BASE) != "0" else "1")
    type_into(qtbot, uscc, bad)
    assert form.errors["uscc"].isVisible()
    assert "GB 32100" in form.errors["uscc"].text()
    assert win.session.store.load().complainant.uscc == bad  # saved anyway: nothing lost

    good = GOOD_USCC_BASE + uscc_check_character(GOOD_USCC_BASE)
    type_into(qtbot, uscc, good)
    assert not form.errors["uscc"].isVisible()
    assert win.session.store.load().complainant.uscc == good

    win.act_undo.trigger()
    assert win.session.store.load().complainant.uscc == bad
    assert uscc.text() == bad
    win.act_redo.trigger()
    assert win.session.store.load().complainant.uscc == good


def test_filer_id_number_and_target_url_validation(case_window, qtbot):
    win = case_window
    win.show_page("filer")
    form = win.filer_form
    role = form.widgets["role"]
    role.setCurrentIndex(role.findData("employee"))
    assert win.session.store.load().filer.role.value == "employee"
    type_into(qtbot, form.widgets["id_number"], "110101199003077777")
    assert form.errors["id_number"].isVisible()
    assert "GB 11643" in form.errors["id_number"].text()

    qtbot.mouseClick(win.targets_page.add_button, Qt.MouseButton.LeftButton)
    assert [t.id for t in win.session.case.targets] == ["T1"]
    assert win.stack.currentWidget() is win.targets_page
    tform = win.targets_page.form
    type_into(qtbot, tform.widgets["url"], "weibo.com/abc")
    assert tform.errors["url"].isVisible()
    type_into(qtbot, tform.widgets["url"], "https://weibo.com/abc")
    assert not tform.errors["url"].isVisible()
    type_into(qtbot, tform.widgets["published_at"], "昨天")
    assert tform.errors["published_at"].isVisible()
    assert win.session.store.load().targets[0].url == "https://weibo.com/abc"

    # Undo the whole target creation step by step, then redo everything.
    stack = win.session.undo_stack
    while stack.canUndo():
        win.act_undo.trigger()
    assert win.session.store.load().targets == []
    while stack.canRedo():
        win.act_redo.trigger()
    assert win.session.store.load().targets[0].published_at == "昨天"


def test_typing_is_not_lost_when_the_case_refreshes(case_window, qtbot):
    win = case_window
    name = win.complainant_form.widgets["name"]
    type_text(qtbot, name, "半截输入")
    win.session.reload()  # e.g. an import finished in the background
    assert name.text() == "半截输入"
    name.editingFinished.emit()
    assert win.session.store.load().complainant.name == "半截输入"


def test_store_failure_shows_dialog_and_keeps_form(case_window, qtbot, mocker):
    win = case_window
    shown = mocker.patch("evidence_app.ui.dialogs.show_error")
    mocker.patch.object(
        win.session.store, "set_complainant", side_effect=OSError(28, "No space left on device")
    )
    name = win.complainant_form.widgets["name"]
    type_into(qtbot, name, "华辰")
    assert shown.call_count == 1
    assert name.text() == "华辰"
    assert not win.session.undo_stack.canUndo()


def test_removing_exhibits_is_undoable(window, qtbot, mocker, tmp_path):
    from evidence_app.app.demo import write_demo_case

    win = window
    assert win.open_case(write_demo_case(tmp_path / "demo"))
    win.show_page("evidence")
    before = [(e.id, e.number) for e in win.session.case.evidence]
    page = win.evidence_page
    page.select_ids([before[1][0], before[2][0]], before[1][0])
    asked = mocker.patch("evidence_app.ui.dialogs.ask_yes_no", return_value=True)
    win.act_remove_evidence.trigger()
    assert asked.called
    assert [(e.id, e.number) for e in win.session.case.evidence] == [before[0], *before[3:]]
    assert page.model.rowCount() == len(before) - 2

    win.act_undo.trigger()
    assert [(e.id, e.number) for e in win.session.case.evidence] == before
    assert page.model.rowCount() == len(before)
    win.act_redo.trigger()
    assert len(win.session.case.evidence) == len(before) - 2
    win.act_undo.trigger()
    assert win.session.store.audit().ok


def test_executives_table_validates_and_saves_undoably(case_window, qtbot):
    from evidence_app.validators import resident_id_check_character as id_check_character

    win = case_window
    win.show_page("complainant")
    table = win.complainant_form.executives
    assert table.isVisibleTo(win)
    table.add_row()
    base = "11010519491231002"
    table.table.item(0, 0).setText("陈立华")
    table.table.item(0, 1).setText("董事长")
    table.table.item(0, 2).setText(base + ("0" if id_check_character(base) != "0" else "1"))
    assert table.errors.isVisibleTo(table) and table.table.item(0, 2).toolTip()
    table.table.item(0, 2).setText(base + id_check_character(base))
    assert not table.errors.isVisibleTo(table)
    (saved,) = win.session.store.load().complainant.executives
    assert (saved.name, saved.title, saved.id_number) == (
        "陈立华",
        "董事长",
        base + id_check_character(base),
    )
    while win.session.store.load().complainant.executives:
        win.act_undo.trigger()
    assert table.table.rowCount() == 0  # the table follows undo
    assert win.focus_path("complainant.executives")
    assert table.table.rowCount() == 1  # a fix link opens a row to fill in
