"""生成文书: generate a document to sign and seal (情况说明, 授权委托书, 真实性承诺书, the
executive's 授权书, a channel's notice) prefilled for one channel, and import its signed,
sealed scan back linked to what was generated (exporters/paperwork.py; the same code as
``evidence-app paperwork``). A one-page document is made in well under a second: it is made
on the UI thread, with the case's store the session holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.channels import load_profiles
from evidence_app.exporters.paperwork import DOCUMENT_KINDS, DOCUMENTS, generate, link_generated
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.text import clean


class PaperworkDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperwork_dialog")
        self.setWindowTitle(tr("ui.paperwork.title"))
        self.session = session
        self.generated: Any = None
        self.document = QComboBox(self)
        for doc in DOCUMENTS:
            self.document.addItem(tr(f"pdf.template.{doc}.title"), doc)
        self.channel = QComboBox(self)
        profiles = load_profiles()
        for pid, profile in profiles.items():
            self.channel.addItem(profile.name(), pid)
        current = self.channel.findData(session.case.channel)
        self.channel.setCurrentIndex(max(current, 0))
        self.note = QLabel(tr("ui.paperwork.note"), self)
        self.note.setWordWrap(True)
        self.outcome_label = QLabel("", self)
        self.outcome_label.setWordWrap(True)
        self.generate_button = QPushButton(tr("ui.paperwork.generate"), self)
        self.generate_button.clicked.connect(self.ask_and_generate)
        self.scan_button = QPushButton(tr("ui.paperwork.import_scan"), self)
        self.scan_button.clicked.connect(self.ask_and_import)
        form = QFormLayout()
        form.addRow(tr("ui.paperwork.document"), self.document)
        form.addRow(tr("ui.paperwork.channel"), self.channel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.generate_button)
        layout.addWidget(self.scan_button)
        layout.addWidget(self.outcome_label)
        layout.addWidget(buttons)

    def doc_id(self) -> str:
        return str(self.document.currentData())

    def ask_and_generate(self) -> None:
        name = f"{self.doc_id()}.pdf"
        path = dialogs.save_file(self, tr("ui.paperwork.save_as"), name, "PDF (*.pdf)")
        if path is not None:
            self.generate_to(path)

    def generate_to(self, path: Path) -> bool:
        try:
            self.generated = generate(
                self.session.store, self.doc_id(), path, channel=self.channel.currentData()
            )
        except Exception as exc:
            dialogs.show_error(self, tr("ui.paperwork.failed"), exc)
            return False
        self.outcome_label.setText(
            tr(
                "ui.paperwork.done",
                path=clean(str(self.generated.path)),
                pages=self.generated.pages,
                sha256=self.generated.sha256,
            )
        )
        return True

    def ask_and_import(self) -> None:
        path = dialogs.open_file(self, tr("ui.paperwork.import_scan"))
        if path is not None:
            self.import_scan(path)

    def import_scan(self, path: Path) -> bool:
        from evidence_app.intake import import_files

        doc = self.doc_id()
        (outcome,) = import_files(
            self.session.store,
            [path],
            kind=DOCUMENT_KINDS[doc],
            title=tr(f"pdf.template.{doc}.title"),
        )
        if outcome.item is None:
            dialogs.show_error(self, tr("ui.paperwork.failed"), outcome.error)
            return False
        linked = link_generated(self.session.store, outcome.item, doc)
        self.session.reload()
        key = "ui.paperwork.linked" if linked else "ui.paperwork.not_linked"
        self.outcome_label.setText(tr(key, number=outcome.item.number))
        return linked
