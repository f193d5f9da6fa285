"""The window stays responsive: a timer probe keeps ticking while a batch is imported and the
packet exported (bench/bench_ui_stall.py reports the stall figures against the 50 ms goal;
this test guards against work moving onto the UI thread)."""

from __future__ import annotations

import pytest
from kit.wizard import wait_for_check
from PySide6.QtGui import QColor, QImage
from uihelpers import wait_idle

from evidence_app.crypto.age_keys import new_age_identity
from evidence_app.ui.stall_probe import StallProbe
from evidence_app.validators import uscc_check_character

BASE = "91310115MA1K4B2X3"


@pytest.mark.slow
def test_event_loop_not_blocked_during_import_and_export(case_window, qtbot, tmp_path):
    win = case_window
    wait_idle(qtbot, win)  # start-up warm-up done
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(40):
        image = QImage(1280, 800, QImage.Format.Format_RGB32)
        image.fill(QColor((i * 5) % 256, 80, 160))
        image.save(str(folder / f"{i:03d}.png"))
    win.show_page("evidence")
    probe = StallProbe()
    probe.start()
    with qtbot.waitSignal(win.intake.finished, timeout=60000):
        win.import_paths([folder])
    wait_idle(qtbot, win)
    import_max, import_p99 = probe.stop(), probe.percentile(0.99)
    assert len(win.session.case.evidence) == 40
    assert probe.ticks > 20

    recipient = new_age_identity(tmp_path / "r.age", "recipient-pass")
    wizard = win.open_export_wizard()
    qtbot.addWidget(wizard)
    wait_for_check(wizard, qtbot.waitUntil)
    wizard.targets_page.allow_gaps.setChecked(True)
    wizard.next()
    page = wizard.identity_page
    page.name.setText("测试有限公司")
    page.uscc.setText(BASE + uscc_check_character(BASE))
    page.path.setText(str(tmp_path / "s.p12"))
    page.passphrase.setText("signing-pass")
    page.confirm.setText("signing-pass")
    wizard.next()
    wizard.recipients_page.recipients.setPlainText(recipient)
    wizard.next()
    wizard.output_page.path.setText(str(tmp_path / "p.evpkt"))
    probe.start()
    with qtbot.waitSignal(wizard.exported, timeout=120000):
        wizard.next()
    export_max, export_p99 = probe.stop(), probe.percentile(0.99)
    wizard.accept()
    print(
        f"import: max stall {import_max * 1000:.0f} ms, p99 {import_p99 * 1000:.0f} ms; "
        f"export: max {export_max * 1000:.0f} ms, p99 {export_p99 * 1000:.0f} ms"
    )
    # No timed thresholds here (shared machines stall at random; bench/bench_ui_stall.py
    # measures the figures): what must hold is that the event loop kept turning while the
    # export ran, i.e. the work was not done on the UI thread.
    assert probe.ticks > 5
    wait_idle(qtbot, win)
