"""Regenerate docs/screenshots/ from the real app, offscreen, on the demo case.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]

For each language (zh_CN, en): the main window (evidence page with a preview), the complainant
page with its executives table, the readiness panel, the export wizard (targets page and
output page), the export result, and the verify dialog after verifying the exported packet.
Keys and the packet are made in a temporary folder; nothing touches the user's settings.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def run_until(predicate: Callable[[], bool], timeout: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def grab(widget: object, path: Path) -> None:
    """Let pending layout and paint events run (a label that just got three more lines
    has not been resized yet), then save the widget as it is on screen."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    widget.grab().save(str(path))  # type: ignore[attr-defined]


def shoot(lang: str, out: Path, work: Path) -> None:
    from evidence_app.app.demo import write_demo_case
    from evidence_app.crypto.age_keys import new_age_identity
    from evidence_app.ui.app import create_main_window

    os.environ["EVIDENCE_APP_HOME"] = str(work / "home")
    recipient_key = work / "reviewer.age"
    recipient = new_age_identity(recipient_key, "reviewer-pass-1")
    case = write_demo_case(work / "demo")
    window = create_main_window(None, lang, settings_file=work / "settings.ini")
    window.resize(1360, 860)
    window.show()
    assert window.open_case(case)
    run_until(lambda: not window.runner.busy and window.readiness.result is not None)

    window.show_page("evidence")
    page = window.evidence_page
    page.show_evidence(window.session.case.evidence[2].id)
    run_until(lambda: page.preview.view.has_page)
    run_until(lambda: not window.runner.running())
    grab(window, out / f"main-window.{lang}.png")
    grab(window.readiness, out / f"readiness.{lang}.png")

    window.show_page("complainant")
    table = window.complainant_form.executives
    table.add_row()
    for col, text in enumerate(("陈立华", "董事长", "110105194912310021")):
        item = table.table.item(0, col)
        assert item is not None
        item.setText(text)
    grab(window, out / f"complainant.{lang}.png")
    window.act_undo.trigger()  # leave the demo case as it was

    wizard = window.open_export_wizard()
    run_until(lambda: wizard.isVisible() and not wizard.targets_page.checking)
    wizard.targets_page.allow_gaps.setChecked(True)
    grab(wizard, out / f"export-wizard.{lang}.png")
    wizard.next()
    identity = wizard.identity_page
    identity.path.setText(str(work / "signing.p12"))
    identity.passphrase.setText("signing-pass-1")
    identity.confirm.setText("signing-pass-1")
    wizard.next()
    wizard.recipients_page.recipients.setPlainText(recipient)
    wizard.next()
    output = wizard.output_page
    packet = work / "demo.evpkt"
    output.path.setText(str(packet))
    output.folder_check.setChecked(True)
    output.folder_path.setText(str(work / "demo-upload"))
    grab(wizard, out / f"export-output.{lang}.png")
    done: list[object] = []
    wizard.exported.connect(done.append)
    wizard.export_failed.connect(done.append)
    wizard.next()
    run_until(lambda: bool(done), timeout=300)
    run_until(lambda: wizard.currentPage() is wizard.result_page)
    grab(wizard, out / f"export-result.{lang}.png")
    wizard.accept()

    dialog = window.open_verify_dialog()
    dialog.resize(900, 640)
    dialog.packet.setText(str(packet))
    dialog.key_file.setText(str(recipient_key))
    dialog.passphrase.setText("reviewer-pass-1")
    verified: list[object] = []
    dialog.verified.connect(verified.append)
    dialog.verify_button.click()
    run_until(lambda: bool(verified), timeout=300)
    grab(dialog, out / f"verify-dialog.{lang}.png")
    dialog.accept()
    window.runner.cancel_all()
    window.runner.wait()
    window.close()
    window.session = None


def main() -> int:
    from evidence_app.ui.app import create_application

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()  # noqa: F841  (kept alive for the run)
    for lang in ("zh_CN", "en"):
        with tempfile.TemporaryDirectory(prefix="evidence-shots-") as work:
            shoot(lang, out, Path(work))
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
