"""The export wizard's first page: tick the targets the packet is about; the gap count and
the Next button follow the selection."""

from __future__ import annotations

from kit.wizard import wait_for_check
from PySide6.QtCore import Qt

from evidence_app.app.demo import write_demo_case


def test_ticking_targets_changes_gaps_and_request(window, qtbot, tmp_path):
    assert window.open_case(write_demo_case(tmp_path / "demo"))
    wizard = window.open_export_wizard()
    qtbot.addWidget(wizard)
    page = wizard.targets_page
    assert page.checking and not page.isComplete()  # the check runs off the UI thread
    wait_for_check(wizard, qtbot.waitUntil)
    assert page.target_ids() == ["T1", "T2", "T3"]
    assert page._missing == 1 and not page.isComplete()  # T3 lacks its ICP query
    assert "1" in page.readiness.text()

    page.list.item(2).setCheckState(Qt.CheckState.Unchecked)  # leave T3 out
    wait_for_check(wizard, qtbot.waitUntil)
    assert page.target_ids() == ["T1", "T2"]
    assert page._missing == 0 and page.isComplete()
    assert wizard.request().target_ids == ["T1", "T2"]

    for i in range(2):
        page.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert page.target_ids() == [] and not page.isComplete()
    assert page.none_selected.isVisibleTo(page) and page.none_selected.text()
    wizard.reject()


def test_export_two_targets_with_channel_and_upload_folder(window, qtbot, tmp_path, mocker):
    import json

    assert window.open_case(write_demo_case(tmp_path / "demo"))
    key_path = tmp_path / "lawyer.age"
    mocker.patch("evidence_app.ui.dialogs.save_file", return_value=key_path)
    mocker.patch("evidence_app.ui.dialogs.ask_new_passphrase", return_value="recipient-pass-1")
    wizard = window.open_export_wizard()
    qtbot.addWidget(wizard)
    wizard.targets_page.list.item(2).setCheckState(Qt.CheckState.Unchecked)
    wait_for_check(wizard, qtbot.waitUntil)
    wizard.next()
    identity = wizard.identity_page
    identity.path.setText(str(tmp_path / "signing.p12"))
    identity.passphrase.setText("signing-pass-1")
    identity.confirm.setText("signing-pass-1")
    wizard.next()
    with qtbot.waitSignal(wizard.recipients_page.key_generated, timeout=60000):
        qtbot.mouseClick(wizard.recipients_page.generate, Qt.MouseButton.LeftButton)
    wizard.next()
    output = wizard.output_page
    assert output.channel_id() == "cac-12377"  # the demo case's channel
    output.path.setText(str(tmp_path / "p.evpkt"))
    output.channel.setCurrentIndex(output.channel.findData("weibo"))
    assert "假设" in output.channel_note.text()  # limits are assumptions, said so
    output.folder_check.setChecked(True)
    output.folder_path.setText(str(tmp_path / "upload"))
    assert output.isComplete()
    with qtbot.waitSignal(wizard.exported, timeout=120000) as exported:
        wizard.next()
    result = exported.args[0]
    assert result.upload_folder is not None and result.upload_folder.channel == "weibo"
    assert "upload" in wizard.result_page.text.text()
    manifest = json.loads((tmp_path / "upload" / "manifest.json").read_text("utf-8"))
    assert [t["id"] for t in manifest["case"]["targets"]] == ["T1", "T2"]
    assert (tmp_path / "upload" / "manifest.json.p7s").is_file()  # signed by the identity
    qtbot.waitUntil(lambda: window.session.case.channel == "weibo", timeout=10000)
    wizard.accept()
