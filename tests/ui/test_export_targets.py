"""The export wizard's first page: tick the targets the packet is about; the gap count and
the Next button follow the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt

from evidence_app.demo import write_demo_case


def test_ticking_targets_changes_gaps_and_request(window, qtbot, tmp_path):
    assert window.open_case(write_demo_case(tmp_path / "demo"))
    wizard = window.open_export_wizard()
    qtbot.addWidget(wizard)
    page = wizard.targets_page
    assert page.target_ids() == ["T1", "T2", "T3"]
    assert page._missing == 1 and not page.isComplete()  # T3 lacks its ICP query
    assert "1" in page.readiness.text()

    page.list.item(2).setCheckState(Qt.CheckState.Unchecked)  # leave T3 out
    assert page.target_ids() == ["T1", "T2"]
    assert page._missing == 0 and page.isComplete()
    assert wizard.request().target_ids == ["T1", "T2"]

    for i in range(2):
        page.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert page.target_ids() == [] and not page.isComplete()
    assert page.none_selected.isVisibleTo(page) and page.none_selected.text()
    wizard.reject()
