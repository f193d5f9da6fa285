"""Language switch at run time (our catalogues and Qt's own buttons), remembered settings,
and start-up without a display."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from evidence_app import i18n

REPO = Path(__file__).resolve().parents[2]


def qt_ok_text() -> str:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    return box.button(QDialogButtonBox.StandardButton.Ok).text()


def test_switch_language_at_run_time(case_window, qtbot, settings_file):
    win = case_window
    assert win.menu_file.title() == "文件(&F)"
    assert win.navigator._items["complainant"].text(0) == "举报人（企业）"
    assert win.complainant_form.labels["uscc"].text() == "统一社会信用代码"
    assert qt_ok_text() == "确定"  # qtbase_zh_CN.qm is loaded

    win.act_en.trigger()
    assert i18n.current_language() == "en"
    assert win.menu_file.title() == "&File"
    assert win.navigator._items["complainant"].text(0) == "Complainant"
    assert win.complainant_form.labels["uscc"].text() == "Unified social credit code"
    header = win.evidence_page.model.headerData(1, Qt.Orientation.Horizontal, 0)
    assert header == "No."
    assert qt_ok_text() == "OK"
    assert win.act_en.isChecked()

    win.act_zh.trigger()
    assert win.menu_file.title() == "文件(&F)"
    assert qt_ok_text() == "确定"
    win.act_en.trigger()

    # The choice is remembered: a new window starts in English.
    from evidence_app.ui.app import create_main_window

    i18n.set_language("zh_CN")
    again = create_main_window(None, None, settings_file=settings_file)
    qtbot.addWidget(again)
    assert again.menu_file.title() == "&File"
    again.close()


def test_window_state_and_recent_cases_remembered(window, qtbot, settings_file, tmp_path):
    from evidence_app.ui.app import create_main_window

    assert window.create_case(tmp_path / "one", "一")
    assert window.create_case(tmp_path / "two", "二")
    window.resize(700, 500)
    window.close()
    again = create_main_window(None, "zh_CN", settings_file=settings_file)
    qtbot.addWidget(again)
    recent = again.settings.recent_cases()
    assert [p.name for p in recent[:2]] == ["two.evcase", "one.evcase"]
    assert (again.size().width(), again.size().height()) == (700, 500)
    text = settings_file.read_text("utf-8")
    assert "passphrase" not in text.lower()
    again.close()


def test_every_ui_key_used_exists_in_both_languages():
    zh = json.loads((REPO / "resources/i18n/ui.zh_CN.json").read_text("utf-8"))
    en = json.loads((REPO / "resources/i18n/ui.en.json").read_text("utf-8"))
    assert set(zh) == set(en)
    used = set()
    for path in (REPO / "evidence_app/ui").rglob("*.py"):
        used |= set(
            re.findall(r"\"(ui\.[a-z0-9_]+\.[a-z0-9_.]+|ui\.[a-z_]+)\"", path.read_text("utf-8"))
        )
    missing = sorted(k for k in used if k not in en and not k.endswith("."))
    assert not missing, missing


def test_no_display_prints_message_instead_of_aborting(monkeypatch, capsys):
    from evidence_app.ui import app

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app.run_app(None, "en") == 1
    assert "no graphical display" in capsys.readouterr().err
    i18n.set_language("zh_CN")
