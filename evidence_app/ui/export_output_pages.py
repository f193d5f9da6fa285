"""The export wizard's last pages: where the packet (and optionally the channel's upload
folder) goes, the progress of the running export with its Cancel, and the result."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_app.channels import GENERIC, load_profiles
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean

PACKET_SUFFIX = ".evpkt"


class OutputPage(QWizardPage):
    def __init__(self, session: CaseSession, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = QLineEdit(self)
        folder = Path(settings.last_folder("export") or session.path.parent)
        stamp = _dt.date.today().isoformat()
        title = clean(session.case.title or "case", 40).replace("/", "_").replace("\\", "_")
        self.path.setText(str(folder / f"{title}-{stamp}{PACKET_SUFFIX}"))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        # The channel the complaint goes to: its profile shapes forms/ and the upload folder.
        self.channel_label = QLabel(self)
        self.channel = QComboBox(self)
        profiles = load_profiles()
        for profile_id in profiles:
            self.channel.addItem("", profile_id)
        current = session.case.channel if session.case.channel in profiles else GENERIC
        self.channel.setCurrentIndex(self.channel.findData(current))
        self.channel_note = QLabel(self)
        self.channel_note.setWordWrap(True)
        self.channel_note.setStyleSheet("color: #555;")
        self.folder_check = QCheckBox(self)
        self.folder_path = QLineEdit(self)
        self.folder_path.setText(str(self.out_path().with_suffix("")) + "-upload")
        self.folder_path.setEnabled(False)
        self.folder_check.toggled.connect(self.folder_path.setEnabled)
        self.folder_check.toggled.connect(self._changed)
        self.folder_path.textChanged.connect(self._changed)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.channel_label)
        layout.addWidget(self.channel)
        layout.addWidget(self.channel_note)
        layout.addWidget(self.folder_check)
        layout.addWidget(self.folder_path)
        layout.addStretch(1)
        self.path.textChanged.connect(self._changed)
        self.setCommitPage(True)  # after this, Back makes no sense: the export runs
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.output.title"))
        self.setSubTitle(tr("ui.export.output.subtitle"))
        self.browse.setText(tr("ui.button.browse"))
        self.channel_label.setText(tr("ui.export.channel.label"))
        profiles = load_profiles()
        for i in range(self.channel.count()):
            self.channel.setItemText(i, profiles[self.channel.itemData(i)].name())
        self.folder_check.setText(tr("ui.export.folder.check"))
        self._channel_changed()
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("ui.export.start"))
        self._changed()

    def _browse(self) -> None:
        path = dialogs.save_file(
            self, tr("ui.export.output.title"), self.path.text(), "*" + PACKET_SUFFIX
        )
        if path is not None:
            if path.suffix != PACKET_SUFFIX:
                path = path.with_name(path.name + PACKET_SUFFIX)
            self.path.setText(str(path))

    def out_path(self) -> Path:
        return Path(self.path.text().strip())

    def channel_id(self) -> str:
        return str(self.channel.currentData() or GENERIC)

    def upload_folder(self) -> Path | None:
        text = self.folder_path.text().strip()
        return Path(text) if self.folder_check.isChecked() and text else None

    def _channel_changed(self) -> None:
        self.channel_note.setText(load_profiles()[self.channel_id()].note())

    def _problem(self) -> str:
        text = self.path.text().strip()
        if not text:
            return tr("ui.export.need_path")
        path = Path(text)
        if path.exists():
            return tr("ui.export.output.exists")
        if not path.parent.is_dir():
            return tr("ui.export.output.no_folder")
        if self.folder_check.isChecked():
            folder = self.upload_folder()
            if folder is None:
                return tr("ui.export.need_path")
            if folder.exists():
                return tr("ui.export.folder.exists")
            if not folder.parent.is_dir():
                return tr("ui.export.output.no_folder")
        return ""

    def _changed(self) -> None:
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._problem()


class ProgressPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.done = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.progress.title"))
        self.cancel_button.setText(tr("ui.button.cancel"))

    def isComplete(self) -> bool:
        return self.done


class ResultPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.ok = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.result.title") if self.ok else tr("ui.export.failed.title"))
