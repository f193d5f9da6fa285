"""The export wizard's first pages: which targets go into the packet, and the signing
identity (a new one, or an existing PKCS#12 file). Passphrases are read here and handed to
the job; none is stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.text import clean

MIN_PASSPHRASE = 8


def passphrase_row(parent: QWidget) -> tuple[QLineEdit, QLineEdit]:
    first = QLineEdit(parent)
    first.setEchoMode(QLineEdit.EchoMode.Password)
    second = QLineEdit(parent)
    second.setEchoMode(QLineEdit.EchoMode.Password)
    return first, second


class ExportTargetsPage(QWizardPage):
    """Which targets go into the packet (all, by default), and whether gaps may go too."""

    selection_changed = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget(self)
        self.readiness = QLabel(self)
        self.readiness.setWordWrap(True)
        self.allow_gaps = QCheckBox(self)
        self.allow_gaps.toggled.connect(self.completeChanged)
        self.none_selected = QLabel(self)
        self.none_selected.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.none_selected)
        layout.addWidget(self.readiness)
        layout.addWidget(self.allow_gaps)
        for target in session.case.targets:
            name = target.account_name or target.platform or target.url
            entry = QListWidgetItem(f"{target.id}  {clean(name, 60)}")
            entry.setData(Qt.ItemDataRole.UserRole, target.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(entry)
        self.list.itemChanged.connect(lambda _item: self.selection_changed.emit())
        self._missing = 0
        self._checking = False
        self._check_error = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.targets.title"))
        self.setSubTitle(tr("ui.export.targets.subtitle"))
        self.allow_gaps.setText(tr("ui.export.allow_gaps"))
        self._update_readiness()

    def set_checking(self) -> None:
        """A check of the ticked targets is running: not complete until it reports."""
        self._checking = True
        self._check_error = ""
        self._update_readiness()

    def set_missing(self, missing: int) -> None:
        self._checking = False
        self._check_error = ""
        self._missing = missing
        self._update_readiness()

    def set_check_failed(self, detail: str) -> None:
        """The check itself failed: say why, and do not let the export start blind."""
        self._checking = False
        self._check_error = detail
        self._update_readiness()

    @property
    def checking(self) -> bool:
        return self._checking

    def _update_readiness(self) -> None:
        if self._checking:
            self.readiness.setText(tr("ui.export.checking"))
            self.readiness.setStyleSheet("color: #555;")
        elif self._check_error:
            self.readiness.setText(tr("ui.export.check_failed", detail=self._check_error))
            self.readiness.setStyleSheet("color: #b00020;")
        elif self._missing:
            self.readiness.setText(tr("ui.export.gaps", missing=self._missing))
            self.readiness.setStyleSheet("color: #b00020;")
        else:
            self.readiness.setText(tr("ui.export.no_gaps"))
            self.readiness.setStyleSheet("color: #1b7f3b;")
        self.allow_gaps.setVisible(bool(self._missing) and not self._checking)
        has_targets = self.list.count() > 0
        self.none_selected.setText(tr("ui.export.targets.none") if has_targets else "")
        self.none_selected.setVisible(has_targets and not self.target_ids())
        self.completeChanged.emit()

    def target_ids(self) -> list[str]:
        """The ticked targets, in case order."""
        entries = [self.list.item(i) for i in range(self.list.count())]
        return [
            e.data(Qt.ItemDataRole.UserRole)
            for e in entries
            if e is not None and e.checkState() == Qt.CheckState.Checked
        ]

    def isComplete(self) -> bool:
        if self._checking or self._check_error:
            return False
        if self.list.count() and not self.target_ids():
            return False
        return not self._missing or self.allow_gaps.isChecked()


class IdentityPage(QWizardPage):
    def __init__(self, session: CaseSession, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.new_radio = QRadioButton(self)
        self.existing_radio = QRadioButton(self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.new_radio)
        self.group.addButton(self.existing_radio)
        self.new_radio.setChecked(True)
        self.name = QLineEdit(session.case.complainant.name, self)
        self.uscc = QLineEdit(session.case.complainant.uscc, self)
        self.path = QLineEdit(self)
        default_dir = Path(settings.last_folder("keys") or session.path.parent)
        self.path.setText(str(default_dir / "signing-identity.p12"))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        self.passphrase, self.confirm = passphrase_row(self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.name_label, self.uscc_label = QLabel(self), QLabel(self)
        self.path_label, self.pass_label, self.confirm_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.uscc_label, self.uscc)
        self.form.addRow(self.path_label, path_row)
        self.form.addRow(self.pass_label, self.passphrase)
        self.form.addRow(self.confirm_label, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_radio)
        layout.addWidget(self.existing_radio)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        for widget in (self.name, self.uscc, self.path, self.passphrase, self.confirm):
            widget.textChanged.connect(self._changed)
        self.new_radio.toggled.connect(self._changed)
        self.retranslate()
        self._changed()

    def retranslate(self) -> None:
        self.setTitle(tr("ui.export.identity.title"))
        self.setSubTitle(tr("ui.export.identity.subtitle"))
        self.new_radio.setText(tr("ui.export.identity.new"))
        self.existing_radio.setText(tr("ui.export.identity.existing"))
        self.name_label.setText(tr("ui.export.identity.name"))
        self.uscc_label.setText(tr("ui.field.uscc"))
        self.path_label.setText(tr("ui.export.identity.path"))
        self.pass_label.setText(tr("ui.export.passphrase"))
        self.confirm_label.setText(tr("ui.export.confirm"))
        self.browse.setText(tr("ui.button.browse"))
        self._changed()

    @property
    def creating(self) -> bool:
        return self.new_radio.isChecked()

    def _browse(self) -> None:
        if self.creating:
            path = dialogs.save_file(self, tr("ui.export.identity.path"), self.path.text(), "*.p12")
        else:
            path = dialogs.open_file(
                self, tr("ui.export.identity.path"), self.path.text(), "*.p12 *.pfx"
            )
        if path is not None:
            self.path.setText(str(path))

    def _changed(self) -> None:
        creating = self.creating
        for widget in (
            self.name,
            self.uscc,
            self.confirm,
            self.name_label,
            self.uscc_label,
            self.confirm_label,
        ):
            widget.setVisible(creating)
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        from evidence_app.validators import is_valid_uscc

        path = self.path.text().strip()
        if not path:
            return tr("ui.export.need_path")
        if self.creating:
            if not self.name.text().strip():
                return tr("ui.export.identity.need_name")
            if not is_valid_uscc(self.uscc.text().strip()):
                return tr("validation.uscc")
            if Path(path).exists():
                return tr("ui.export.identity.exists")
            if len(self.passphrase.text()) < MIN_PASSPHRASE:
                return tr("ui.export.passphrase_short", min=MIN_PASSPHRASE)
            if self.passphrase.text() != self.confirm.text():
                return tr("ui.export.passphrase_mismatch")
        else:
            if not Path(path).is_file():
                return tr("ui.export.identity.missing")
            if not self.passphrase.text():
                return tr("ui.export.passphrase_needed")
        return ""

    def isComplete(self) -> bool:
        return not self._problem()
