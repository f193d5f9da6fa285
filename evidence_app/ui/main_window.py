"""The main window's shell: it builds the navigator and pages, the readiness and import
docks and the status-bar progress, lays them out, follows the language, and closes cleanly.
The rest of the window is assembled from parts, one concept each: actions and menus
(``window_actions``), the case controller (``case_controller``), fix-link navigation
(``fix_navigation``) and drop/paste/capture intake (``window_intake``). It holds no case logic
of its own."""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from evidence_app.app.warmup import warm_up
from evidence_app.i18n import tr
from evidence_app.ui import dialogs
from evidence_app.ui.case_controller import CaseController
from evidence_app.ui.evidence_page import EvidencePage
from evidence_app.ui.exports_page import ExportsPage
from evidence_app.ui.fix_navigation import FixNavigation
from evidence_app.ui.follow_up_page import FollowUpPage
from evidence_app.ui.forms.complainant_form import ComplainantForm
from evidence_app.ui.forms.filer_form import FilerForm
from evidence_app.ui.forms.statement_form import StatementForm
from evidence_app.ui.import_log import ImportLog
from evidence_app.ui.intake_controller import IntakeController
from evidence_app.ui.job_runner import JobRunner
from evidence_app.ui.navigator import Navigator
from evidence_app.ui.progress_bar import JobProgress
from evidence_app.ui.readiness_panel import ReadinessPanel
from evidence_app.ui.screen_capture import ScreenCapturer
from evidence_app.ui.session import CaseSession
from evidence_app.ui.settings import Settings
from evidence_app.ui.targets_page import TargetsPage
from evidence_app.ui.text import clean
from evidence_app.ui.translation import Translators
from evidence_app.ui.window_actions import WindowActions
from evidence_app.ui.window_intake import WindowIntake


class MainWindow(WindowActions, CaseController, FixNavigation, WindowIntake, QMainWindow):
    case_changed = Signal()  # a case was opened or closed
    language_changed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        translators: Translators | None = None,
        runner: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.translators = translators or Translators()
        self.runner = runner or JobRunner(self)
        self.session: CaseSession | None = None
        self.setAcceptDrops(True)
        self.setObjectName("main_window")

        self.intake = IntakeController(self.runner, self)
        self.intake.started.connect(self._track_job)
        self.intake.outcomes.connect(self._import_outcomes)
        self.intake.failed.connect(lambda exc: dialogs.show_error(self, tr("ui.error.import"), exc))
        self.capturer = ScreenCapturer(self)
        self.capturer.tick.connect(
            lambda left: self.statusBar().showMessage(tr("ui.capture.countdown", seconds=left))
        )
        self.capturer.captured.connect(self._captured)
        self.capturer.failed.connect(self._capture_failed)

        self._build_pages()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self.progress = JobProgress(self)
        self.statusBar().addPermanentWidget(self.progress)
        self.retranslate()
        self._restore_window()
        self._set_session(None)
        self._warm_up()

    def _warm_up(self) -> None:
        """Load what intake, export and verify load lazily (see evidence_app.app.warmup) in the
        background while the user looks at the window, then take everything alive so far
        out of the cyclic garbage collector's view (``gc.freeze``): full collections of the
        whole heap hold the interpreter lock for ~100 ms and showed up as window stalls."""

        def work(progress: Any, cancel: Any) -> None:
            warm_up(cancel)

        def freeze(_result: object) -> None:
            gc.collect()
            gc.freeze()

        self.runner.start(work, name="warm-up", user=False, on_finished=freeze)

    # --- construction ------------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.navigator = Navigator(self)
        self.navigator.page_selected.connect(self._show_page)
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.complainant_form = ComplainantForm(self)
        self.complainant_form.edited.connect(lambda v: self._edit(lambda s: s.set_complainant(v)))
        self.filer_form = FilerForm(self)
        self.filer_form.edited.connect(lambda v: self._edit(lambda s: s.set_filer(v)))
        self.statement_form = StatementForm(self)
        self.statement_form.edited.connect(lambda v: self._edit(lambda s: s.set_statement(v)))
        self.targets_page = TargetsPage(self)
        self.targets_page.add_requested.connect(self.add_target)
        self.targets_page.remove_requested.connect(self.remove_target)
        self.targets_page.edited.connect(lambda v: self._edit(lambda s: s.update_target(v)))
        self.evidence_page = EvidencePage(self.runner, self)
        self.evidence_page.edited.connect(lambda v: self._edit(lambda s: s.update_evidence(v)))
        self.exports_page = ExportsPage(self)
        self.exports_page.export_requested.connect(self.open_export_wizard)
        self.exports_page.verify_requested.connect(self.open_verify_dialog)
        self.follow_up_page = FollowUpPage(self)
        self.follow_up_page.edited.connect(lambda v: self._edit(lambda s: s.set_follow_ups(v)))
        self.pages: dict[str, QWidget] = {
            "empty": self.empty,
            "complainant": self.complainant_form,
            "filer": self.filer_form,
            "statement": self.statement_form,
            "targets": self.targets_page,
            "evidence": self.evidence_page,
            "exports": self.exports_page,
            "follow_up": self.follow_up_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigator)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 900])
        self.setCentralWidget(splitter)

    def _build_docks(self) -> None:
        self.readiness = ReadinessPanel(self.runner, self)
        self.readiness.fix_requested.connect(self.go_to_fix)
        self.readiness.checked.connect(
            lambda _r: self.navigator.set_missing(self.readiness.missing_count())
        )
        self.readiness_dock = QDockWidget(self)
        self.readiness_dock.setObjectName("readiness_dock")
        self.readiness_dock.setWidget(self.readiness)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.readiness_dock)
        self.import_log = ImportLog(self)
        self.import_log.evidence_activated.connect(self.show_evidence)
        self.import_dock = QDockWidget(self)
        self.import_dock.setObjectName("import_dock")
        self.import_dock.setWidget(self.import_log)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.import_dock)

    # --- language ----------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        lang = self.translators.apply(lang)
        self.settings.language = lang
        self.retranslate()
        self.language_changed.emit(lang)

    def retranslate(self) -> None:
        self._retranslate_actions()
        self.readiness_dock.setWindowTitle(tr("ui.dock.readiness"))
        self.import_dock.setWindowTitle(tr("ui.dock.import_log"))
        self.empty.setText(tr("ui.empty"))
        for widget in (
            self.navigator,
            self.complainant_form,
            self.filer_form,
            self.statement_form,
            self.targets_page,
            self.evidence_page,
            self.exports_page,
            self.follow_up_page,
            self.readiness,
            self.import_log,
            self.progress,
        ):
            widget.retranslate()
        for child in self.findChildren(QWidget):
            # Open wizard / verify dialogs follow the switch too.
            if child.property("retranslatable") and hasattr(child, "retranslate"):
                child.retranslate()
        self._update_title()

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(tr("ui.app_name"))
        else:
            title = self.session.case.title or self.session.path.stem
            self.setWindowTitle(tr("ui.window_title", case=clean(title, 80)))

    # --- case lifecycle ----------------------------------------------------------------------

    # --- pages and navigation ----------------------------------------------------------------

    def _show_page(self, page: str, target_id: str) -> None:
        if self.session is None:
            self.stack.setCurrentWidget(self.empty)
            return
        if page == "checks":
            self.show_checks()
            return
        if page == "targets":
            self.targets_page.show_target(self.session.case, target_id)
        widget = self.pages.get(page)
        if widget is not None:
            self.stack.setCurrentWidget(widget)

    def show_page(self, page: str, target_id: str = "") -> None:
        self.navigator.select(page, target_id)

    def show_checks(self) -> None:
        self.readiness_dock.show()
        self.readiness_dock.raise_()
        self.readiness.tree.setFocus()

    def show_evidence(self, evidence_id: str) -> None:
        self.show_page("evidence")
        self.evidence_page.show_evidence(evidence_id)

    # --- export and verify -------------------------------------------------------------------

    def open_export_wizard(self) -> Any:
        if self.session is None:
            return None
        from evidence_app.ui.export_wizard import ExportWizard

        wizard = ExportWizard(self.session, self.runner, self.settings, self)
        wizard.exported.connect(
            lambda _r: self.exports_page.refresh(self.session.store if self.session else None)
        )
        wizard.open()
        return wizard

    def open_verify_dialog(self) -> Any:
        from evidence_app.ui.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self.runner, self.settings, self)
        dialog.open()
        return dialog

    def open_paperwork_dialog(self) -> Any:
        from evidence_app.ui.paperwork_dialog import PaperworkDialog

        if self.session is None:
            return None
        dialog = PaperworkDialog(self.session, self)

        def refresh(_result: int) -> None:
            if self.session is not None:
                self.session.reload()

        dialog.finished.connect(refresh)
        dialog.open()
        return dialog

    def about(self) -> None:
        from evidence_app import __version__

        dialogs.show_info(self, tr("ui.action.about"), tr("ui.about", version=__version__))

    # --- window state and closing ------------------------------------------------------------

    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        else:
            # First start: docks at a sensible size once the window has its real geometry.
            QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        self.resizeDocks([self.import_dock], [130], Qt.Orientation.Vertical)
        self.resizeDocks([self.readiness_dock], [400], Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.busy:
            if not dialogs.ask_yes_no(self, tr("ui.dialog.busy_title"), tr("ui.dialog.busy_quit")):
                event.ignore()
                return
        # Housekeeping jobs too: nothing may run against a closed store.
        self.runner.cancel_all()
        self.runner.wait()
        self.capturer.cancel()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.session is not None:
            self.session.close()
            self.session = None
        event.accept()
