"""生成文书 in the real window: the menu action opens the dialog; it generates the chosen
document for the chosen channel and links the sealed scan imported back."""

from __future__ import annotations

import subprocess

from PIL import Image
from PySide6.QtWidgets import QFileDialog

from evidence_app.app.demo import write_demo_case


def test_generate_and_import_scan(window, tmp_path, qtbot, monkeypatch):
    path = write_demo_case(tmp_path / "demo")
    assert window.open_case(path)
    assert window.act_paperwork.text() == "生成文书…"
    dialog = window.open_paperwork_dialog()
    qtbot.waitExposed(dialog)
    dialog.document.setCurrentIndex(dialog.document.findData("truth_guarantee"))
    dialog.channel.setCurrentIndex(dialog.channel.findData("weibo"))
    out = tmp_path / "承诺书.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), "")))
    dialog.generate_button.click()
    assert out.is_file() and dialog.generated.channel == "weibo"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "真实性承诺书" in text and "微博" in text
    scan = tmp_path / "scan.png"
    Image.new("RGB", (600, 800), "white").save(scan)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(scan), "")))
    dialog.scan_button.click()
    item = max(window.session.case.evidence, key=lambda e: e.number)
    assert item.generated_from["sha256"] == dialog.generated.sha256
    assert "关联" in dialog.outcome_label.text()
    dialog.close()
