"""What the main window's parts share: the widgets the shell builds and the few methods one
part calls on another. The main window is one ``QMainWindow`` assembled from parts, each in
its own module (actions and menus, case controller, fix navigation, drop/paste/capture
intake); every part derives from :class:`WindowParts` so the type checker sees the whole
window while each module holds one concept."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QStackedWidget

    from evidence_app.ui.evidence_page import EvidencePage
    from evidence_app.ui.exports_page import ExportsPage
    from evidence_app.ui.follow_up_page import FollowUpPage
    from evidence_app.ui.forms.complainant_form import ComplainantForm
    from evidence_app.ui.forms.filer_form import FilerForm
    from evidence_app.ui.forms.statement_form import StatementForm
    from evidence_app.ui.import_log import ImportLog
    from evidence_app.ui.intake_controller import IntakeController
    from evidence_app.ui.job_runner import Job, JobRunner
    from evidence_app.ui.navigator import Navigator
    from evidence_app.ui.progress_bar import JobProgress
    from evidence_app.ui.readiness_panel import ReadinessPanel
    from evidence_app.ui.screen_capture import ScreenCapturer
    from evidence_app.ui.session import CaseSession
    from evidence_app.ui.settings import Settings
    from evidence_app.ui.targets_page import TargetsPage
    from evidence_app.ui.translation import Translators

    _Base = QMainWindow
else:
    _Base = object


class WindowParts(_Base):
    """Declarations only (no behaviour): the shell in ``main_window`` assigns these."""

    if TYPE_CHECKING:
        case_changed: Signal
        settings: Settings
        translators: Translators
        runner: JobRunner
        session: CaseSession | None
        intake: IntakeController
        capturer: ScreenCapturer
        navigator: Navigator
        stack: QStackedWidget
        empty: QLabel
        complainant_form: ComplainantForm
        filer_form: FilerForm
        statement_form: StatementForm
        targets_page: TargetsPage
        evidence_page: EvidencePage
        exports_page: ExportsPage
        follow_up_page: FollowUpPage
        readiness: ReadinessPanel
        readiness_dock: QDockWidget
        import_log: ImportLog
        import_dock: QDockWidget
        progress: JobProgress
        menu_recent: QMenu
        act_undo: QAction
        act_redo: QAction
        lang_group: QActionGroup
        _case_actions: list[QAction]

        # Methods one part calls on another.
        def show_page(self, page: str, target_id: str = "") -> None: ...
        def _show_page(self, page: str, target_id: str) -> None: ...
        def show_evidence(self, evidence_id: str) -> None: ...
        def _update_title(self) -> None: ...
        def _update_undo(self, *_args: object) -> None: ...
        def import_paths(self, paths: list[Path]) -> Job | None: ...
        def open_case(self, path: Path) -> bool: ...
        def _can_leave_case(self) -> bool: ...
        def _edit(self, change: object) -> None: ...

        # The slots the actions call, each defined by one part.
        def new_case(self) -> None: ...
        def open_case_dialog(self) -> None: ...
        def open_demo_case(self) -> None: ...
        def close_case(self) -> None: ...
        def import_files_dialog(self) -> None: ...
        def import_folder_dialog(self) -> None: ...
        def paste_image(self) -> Job | None: ...
        def capture_screen(self) -> None: ...
        def open_export_wizard(self) -> object: ...
        def open_verify_dialog(self) -> object: ...
        def open_paperwork_dialog(self) -> object: ...
        def add_target(self) -> None: ...
        def remove_selected_evidence(self) -> None: ...
        def show_checks(self) -> None: ...
        def undo(self) -> None: ...
        def redo(self) -> None: ...
        def set_language(self, lang: str) -> None: ...
        def about(self) -> None: ...
