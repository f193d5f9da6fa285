"""End to end on the real main window: create a case, fill it, import a screenshot and a PDF,
watch the readiness panel, export with generated keys, verify the packet; and cancelling an
export leaves nothing behind."""

from __future__ import annotations

import datetime as _dt

import pytest
from kit.wizard import wait_for_check
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from test_intake import drop, make_pdf, make_png
from uihelpers import type_into, wait_idle

from evidence_app.store.case_store import FixedClock
from evidence_app.validators import uscc_check_character

USCC_BASE = "91310115MA1K4B2X3"
USCC = USCC_BASE + uscc_check_character(USCC_BASE)
FROZEN = _dt.datetime(2026, 11, 29, 8, 30, 0, tzinfo=_dt.UTC)


def fill_case(win, qtbot, tmp_path):
    """Complainant, one target, a screenshot and a PDF, through the widgets."""
    win.session.store.clock = FixedClock(FROZEN)
    form = win.complainant_form
    for name, value in (
        ("name", "华辰智能科技股份有限公司"),
        ("uscc", USCC),
        ("legal_representative", "陈立华"),
        ("contact_name", "周敏"),
        ("contact_phone", "021-58880000"),
    ):
        type_into(qtbot, form.widgets[name], value)
    assert form.validate() == []
    qtbot.mouseClick(win.targets_page.add_button, Qt.MouseButton.LeftButton)
    tform = win.targets_page.form
    type_into(qtbot, tform.widgets["url"], "https://weibo.com/7788123456/NvQz4kLmP")
    type_into(qtbot, tform.widgets["platform"], "微博")
    tform.widgets["categories"].boxes["rumour"].setChecked(True)
    tform.widgets["measures"].boxes["delete"].setChecked(True)
    target = win.session.store.load().targets[0]
    assert target.categories[0].value == "rumour" and target.platform == "微博"
    shot = make_png(tmp_path / "weibo.png", "#ff8200", (640, 400))
    pdf = make_pdf(tmp_path / "audit.pdf", 2)
    with qtbot.waitSignal(win.intake.finished, timeout=20000):
        drop(win, [shot, pdf])  # dropped while T1 is selected: linked to it
    evidence = win.session.case.evidence
    assert [e.target_ids for e in evidence] == [["T1"], ["T1"]]
    return evidence


def run_wizard(win, qtbot, tmp_path, mocker, *, cancel_midway=False):
    key_path = tmp_path / "keys" / "lawyer.age"
    key_path.parent.mkdir()
    mocker.patch("evidence_app.ui.dialogs.save_file", return_value=key_path)
    mocker.patch("evidence_app.ui.dialogs.ask_new_passphrase", return_value="recipient-pass-1")
    wizard = win.open_export_wizard()
    qtbot.addWidget(wizard)
    assert wizard.isVisible()
    wait_for_check(wizard, qtbot.waitUntil)
    targets = wizard.targets_page
    if not targets.isComplete():
        targets.allow_gaps.setChecked(True)
    wizard.next()
    identity = wizard.identity_page
    assert identity.uscc.text() == USCC  # prefilled from the complainant
    identity.path.setText(str(tmp_path / "keys" / "signing.p12"))
    identity.passphrase.setText("short")
    assert not identity.isComplete() and "8" in identity.problem.text()
    identity.passphrase.setText("signing-pass-1")
    identity.confirm.setText("signing-pass-1")
    assert identity.isComplete()
    wizard.next()
    recipients = wizard.recipients_page
    assert not recipients.isComplete()
    with qtbot.waitSignal(recipients.key_generated, timeout=60000):
        qtbot.mouseClick(recipients.generate, Qt.MouseButton.LeftButton)
    assert recipients.recipient_list()[0].startswith("age1")
    assert key_path.is_file()
    wizard.next()
    output = wizard.output_page
    out = tmp_path / "out" / "packet.evpkt"
    out.parent.mkdir()
    output.path.setText(str(out))
    assert output.isComplete()
    return wizard, out, key_path


def test_end_to_end_create_fill_import_check_export_verify(window, qtbot, tmp_path, mocker):
    win = window
    assert win.create_case(tmp_path / "e2e", "华辰智能网络侵权举报")
    qtbot.waitUntil(lambda: win.readiness.result is not None, timeout=10000)
    before = win.readiness.lines()
    missing_before = win.readiness.missing_count()

    fill_case(win, qtbot, tmp_path)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.readiness.lines() != before, timeout=10000)
    after = win.readiness.lines()
    assert (
        any(status == "satisfied" for status, _ in after)
        or win.readiness.missing_count() != missing_before
    )

    # Clicking a red line goes where it can be fixed.
    reds = [
        win.readiness.tree.topLevelItem(i).child(j)
        for i in range(win.readiness.tree.topLevelItemCount())
        for j in range(win.readiness.tree.topLevelItem(i).childCount())
        if win.readiness.tree.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole + 1)
        == "missing"
    ]
    if reds:
        with qtbot.waitSignal(win.readiness.fix_requested):
            win.readiness._clicked(reds[0])

    wizard, out, key_path = run_wizard(win, qtbot, tmp_path, mocker)
    with qtbot.waitSignal(wizard.exported, timeout=60000) as exported:
        wizard.next()  # the commit page: starts the export
    result = exported.args[0]
    assert out.is_file() and result.packet_path == out
    assert wizard.currentPage() is wizard.result_page
    assert "packet.evpkt" in wizard.result_page.text.text()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    wizard.accept()

    # Verify it through the dialog.
    dialog = win.open_verify_dialog()
    qtbot.addWidget(dialog)
    dialog.packet.setText(str(out))
    dialog.key_file.setText(str(key_path))
    dialog.passphrase.setText("recipient-pass-1")
    with qtbot.waitSignal(dialog.verified, timeout=60000) as verified:
        qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    report = verified.args[0]
    assert report.ok, report.reason()
    assert report.signer.fingerprint == result.signer_fingerprint
    assert "华辰智能科技股份有限公司" in dialog.status.text()
    statuses = [
        dialog.files.topLevelItem(i).data(1, Qt.ItemDataRole.UserRole)
        for i in range(dialog.files.topLevelItemCount())
    ]
    assert statuses and set(statuses) == {"ok"}
    dialog.reject()

    # A flipped byte is detected and named.
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "out" / "tampered.evpkt"
    tampered.write_bytes(bytes(data))
    dialog = win.open_verify_dialog()
    qtbot.addWidget(dialog)
    dialog.packet.setText(str(tampered))
    dialog.key_file.setText(str(key_path))
    dialog.passphrase.setText("recipient-pass-1")
    with qtbot.waitSignal(dialog.verified, timeout=60000) as bad:
        dialog.start()
    assert not bad.args[0].ok
    assert "✘" in dialog.status.text()
    dialog.reject()
    wait_idle(qtbot, win)


def test_cancel_mid_export_leaves_nothing(window, qtbot, tmp_path, mocker):
    win = window
    assert win.create_case(tmp_path / "c", "取消测试")
    fill_case(win, qtbot, tmp_path)
    wizard, out, _key = run_wizard(win, qtbot, tmp_path, mocker)

    # Hold the export at its first progress report until Cancel was pressed.
    import threading

    from evidence_app.exporters import packet

    reached, pressed = threading.Event(), threading.Event()
    real = packet.export_packet

    def gated_export(store, out_path, **kwargs):
        progress = kwargs.pop("progress")

        def gated(done, total, label):
            progress(done, total, label)
            if not reached.is_set():
                reached.set()
                assert pressed.wait(10)

        return real(store, out_path, progress=gated, **kwargs)

    mocker.patch.object(packet, "export_packet", gated_export)
    # The gate lives in this process: run the job here instead of in the helper process
    # (cancel across the process boundary is tested in tests/core/test_process_job.py).
    mocker.patch(
        "evidence_app.ui.export_wizard.run_in_process",
        side_effect=lambda fn, *args, **kwargs: fn(*args, **kwargs),
    )
    wizard.next()
    qtbot.waitUntil(reached.is_set, timeout=20000)
    with qtbot.waitSignal(wizard.export_failed, timeout=20000) as failed:
        qtbot.mouseClick(wizard.progress_page.cancel_button, Qt.MouseButton.LeftButton)
        pressed.set()
    from evidence_app.errors import Cancelled

    assert isinstance(failed.args[0], Cancelled)
    assert wizard.currentPage() is wizard.result_page
    assert "取消" in wizard.result_page.text.text()
    leftovers = [p.name for p in out.parent.iterdir()]
    assert leftovers == [], leftovers
    assert not list((win.session.path).glob(".export-tmp/*"))
    assert win.session.store.audit().ok
    wizard.accept()
    wait_idle(qtbot, win)


@pytest.mark.parametrize("lang", ["en"])
def test_wizard_follows_language_switch(case_window, qtbot, lang):
    win = case_window
    wizard = win.open_export_wizard()
    qtbot.addWidget(wizard)
    assert wizard.windowTitle() == "导出证据包"
    win.set_language(lang)
    assert wizard.windowTitle() == "Export packet"
    assert wizard.identity_page.title() == "Signing identity"
    wizard.reject()
    win.set_language("zh_CN")
