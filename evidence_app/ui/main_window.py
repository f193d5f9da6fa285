"""The main window: menus and shortcuts, the navigator and pages, the readiness and import
docks, and the status-bar progress. It wires widgets to the session and the core; it holds
no case logic of its own."""

from __future__ import annotations

import datetime as _dt
import gc
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from evidence_app.app.warmup import warm_up
from evidence_app.i18n import tr
from evidence_app.intake import ImportOutcome
from evidence_app.model import Case, EvidenceKind
from evidence_app.ui import dialogs
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
from evidence_app.ui.text import clean
from evidence_app.ui.translation import Translators


class MainWindow(QMainWindow):
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

    def _action(self, shortcut: Any = None, slot: Any = None, needs_case: bool = False) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        if needs_case:
            self._case_actions.append(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self._case_actions: list[QAction] = []
        a = self._action
        self.act_new = a(QKeySequence.StandardKey.New, self.new_case)
        self.act_open = a(QKeySequence.StandardKey.Open, self.open_case_dialog)
        self.act_demo = a(None, self.open_demo_case)
        self.act_close_case = a(None, self.close_case, True)
        self.act_import = a("Ctrl+I", self.import_files_dialog, True)
        self.act_import_folder = a("Ctrl+Shift+I", self.import_folder_dialog, True)
        self.act_paste = a(QKeySequence.StandardKey.Paste, self.paste_image, True)
        self.act_capture = a("Ctrl+Shift+S", self.capture_screen, True)
        self.act_export = a("Ctrl+E", self.open_export_wizard, True)
        self.act_verify = a("Ctrl+Shift+V", self.open_verify_dialog)
        self.act_quit = a(QKeySequence.StandardKey.Quit, self.close)
        self.act_add_target = a("Ctrl+T", self.add_target, True)
        self.act_remove_evidence = a(None, self.remove_selected_evidence, True)
        self.act_check = a("F5", self.show_checks, True)
        self.act_undo = QAction(self)
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.triggered.connect(self.undo)
        self.act_redo = QAction(self)
        self.act_redo.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )
        self.act_redo.triggered.connect(self.redo)
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.lang_group = QActionGroup(self)
        self.act_zh = QAction("中文", self, checkable=True)
        self.act_en = QAction("English", self, checkable=True)
        for action, lang in ((self.act_zh, "zh_CN"), (self.act_en, "en")):
            self.lang_group.addAction(action)
            action.triggered.connect(lambda _c=False, lang=lang: self.set_language(lang))
        self.act_about = a(None, self.about)
        for page in self.evidence_page_actions():
            self.evidence_page.add_action_button(page)
        self.evidence_page.finish_buttons()

    def evidence_page_actions(self) -> list[QAction]:
        return [self.act_import, self.act_import_folder, self.act_paste, self.act_capture]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = QMenu(self)
        self.menu_recent = QMenu(self)
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        self.menu_file.addActions([self.act_new, self.act_open])
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addActions([self.act_demo, self.act_close_case])
        self.menu_file.addSeparator()
        self.menu_file.addActions(self.evidence_page_actions())
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_export, self.act_verify])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = QMenu(self)
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_edit.addSeparator()
        self.menu_edit.addActions([self.act_add_target, self.act_remove_evidence])
        self.menu_view = QMenu(self)
        self.menu_view.addAction(self.readiness_dock.toggleViewAction())
        self.menu_view.addAction(self.import_dock.toggleViewAction())
        self.menu_view.addAction(self.act_check)
        self.menu_lang = QMenu(self)
        self.menu_lang.addActions([self.act_zh, self.act_en])
        self.menu_view.addMenu(self.menu_lang)
        self.menu_help = QMenu(self)
        self.menu_help.addAction(self.act_about)
        for menu in (self.menu_file, self.menu_edit, self.menu_view, self.menu_help):
            bar.addMenu(menu)

    # --- language ----------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        lang = self.translators.apply(lang)
        self.settings.language = lang
        self.retranslate()
        self.language_changed.emit(lang)

    def retranslate(self) -> None:
        from evidence_app.i18n import current_language

        texts = {
            self.act_new: "ui.action.new",
            self.act_open: "ui.action.open",
            self.act_demo: "ui.action.demo",
            self.act_close_case: "ui.action.close_case",
            self.act_import: "ui.action.import",
            self.act_import_folder: "ui.action.import_folder",
            self.act_paste: "ui.action.paste",
            self.act_capture: "ui.action.capture",
            self.act_export: "ui.action.export",
            self.act_verify: "ui.action.verify",
            self.act_quit: "ui.action.quit",
            self.act_add_target: "ui.action.add_target",
            self.act_remove_evidence: "ui.action.remove_evidence",
            self.act_check: "ui.action.check",
            self.act_about: "ui.action.about",
        }
        for action, key in texts.items():
            action.setText(tr(key))
        self.act_undo.setText(tr("ui.action.undo"))
        self.act_redo.setText(tr("ui.action.redo"))
        self.act_capture.setToolTip(tr("ui.capture.tip", seconds=self.settings.capture_delay))
        self.menu_file.setTitle(tr("ui.menu.file"))
        self.menu_recent.setTitle(tr("ui.menu.recent"))
        self.menu_edit.setTitle(tr("ui.menu.edit"))
        self.menu_view.setTitle(tr("ui.menu.view"))
        self.menu_lang.setTitle(tr("ui.menu.language"))
        self.menu_help.setTitle(tr("ui.menu.help"))
        self.readiness_dock.setWindowTitle(tr("ui.dock.readiness"))
        self.import_dock.setWindowTitle(tr("ui.dock.import_log"))
        self.empty.setText(tr("ui.empty"))
        (self.act_zh if current_language() == "zh_CN" else self.act_en).setChecked(True)
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

    def _set_session(self, session: CaseSession | None) -> None:
        if self.session is not None:
            self.session.changed.disconnect(self._case_updated)
            self.session.close()
        self.session = session
        self.intake.session = session
        for action in self._case_actions:
            action.setEnabled(session is not None)
        if session is not None:
            session.changed.connect(self._case_updated)
            session.undo_stack.canUndoChanged.connect(self._update_undo)
            session.undo_stack.canRedoChanged.connect(self._update_undo)
            self.settings.add_recent_case(session.path)
        self.evidence_page.set_session(session)
        self.exports_page.refresh(session.store if session else None)
        self.import_log.clear()
        self._case_updated()
        self._update_undo()
        if session is None:
            self.stack.setCurrentWidget(self.empty)
        else:
            self.navigator.select("complainant")
            self._show_page("complainant", "")
        self.case_changed.emit()

    def _case_updated(self) -> None:
        case: Case | None = self.session.case if self.session else None
        self.navigator.set_case(case)
        self.complainant_form.set_object(case.complainant if case else None, "complainant")
        self.filer_form.set_object(case.filer if case else None, "filer")
        self.statement_form.set_object(case.statement if case else None, "statement")
        self.targets_page.show_target(case, self.targets_page.target_id)
        self.evidence_page.set_case(case)
        self.follow_up_page.set_follow_ups(case.follow_ups if case else [])
        self.readiness.set_case(case)
        self._update_title()

    def _update_undo(self, *_args: Any) -> None:
        stack = self.session.undo_stack if self.session else None
        self.act_undo.setEnabled(bool(stack and stack.canUndo()))
        self.act_redo.setEnabled(bool(stack and stack.canRedo()))

    def open_case(self, path: Path) -> bool:
        try:
            session = CaseSession.open(path, self)
        except Exception as exc:
            dialogs.show_error(self, tr("ui.error.open_case", path=clean(str(path))), exc)
            return False
        self._set_session(session)
        return True

    def create_case(self, path: Path, title: str) -> bool:
        try:
            session = CaseSession.create(path, title, self)
        except Exception as exc:
            dialogs.show_error(self, tr("ui.error.create_case", path=clean(str(path))), exc)
            return False
        self._set_session(session)
        return True

    def new_case(self) -> None:
        if not self._can_leave_case():
            return
        path = dialogs.save_file(
            self, tr("ui.dialog.new_case"), self.settings.last_folder("cases"), "*.evcase"
        )
        if path is None:
            return
        title = dialogs.ask_text(self, tr("ui.dialog.new_case"), tr("ui.dialog.case_title"))
        if title is None:
            return
        self.settings.set_last_folder("cases", str(path.parent))
        self.create_case(path, title)

    def open_case_dialog(self) -> None:
        if not self._can_leave_case():
            return
        path = dialogs.open_folder(
            self, tr("ui.dialog.open_case"), self.settings.last_folder("cases")
        )
        if path is not None:
            self.settings.set_last_folder("cases", str(path.parent))
            self.open_case(path)

    def open_demo_case(self) -> None:
        from evidence_app.ui.app import ensure_demo_case

        if not self._can_leave_case():
            return
        try:
            path = ensure_demo_case()
        except Exception as exc:
            dialogs.show_error(self, tr("ui.error.demo"), exc)
            return
        self.open_case(path)

    def close_case(self) -> None:
        if self._can_leave_case():
            self._set_session(None)

    def _can_leave_case(self) -> bool:
        if not self.runner.busy:
            return True
        if not dialogs.ask_yes_no(self, tr("ui.dialog.busy_title"), tr("ui.dialog.busy_leave")):
            return False
        self.runner.cancel_all()
        self.runner.wait()
        return True

    def _fill_recent(self) -> None:
        self.menu_recent.clear()
        for path in self.settings.recent_cases():
            action = self.menu_recent.addAction(clean(str(path), 120))
            action.triggered.connect(lambda _c=False, p=path: self._open_recent(p))
        if self.menu_recent.isEmpty():
            self.menu_recent.addAction(tr("ui.menu.no_recent")).setEnabled(False)

    def _open_recent(self, path: Path) -> None:
        if not self._can_leave_case():
            return
        if not self.open_case(path):
            self.settings.remove_recent_case(path)

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

    def go_to_fix(self, fix: dict[str, Any]) -> None:
        """Jump to what fixes a requirement: a form field, or the kind of evidence."""
        if self.session is None:
            return
        kind = fix.get("kind")
        if kind == "evidence":
            self.show_page("evidence")
            self.evidence_page.filter_kind(str(fix.get("evidence_kind") or ""))
            target_id = str(fix.get("target_id") or "")
            self.statusBar().showMessage(
                tr(
                    "ui.fix.add_evidence",
                    kind=self._kind_name(str(fix.get("evidence_kind") or "")),
                    target=target_id or "—",
                ),
                15000,
            )
            return
        if kind == "field":
            self.focus_path(str(fix.get("path") or ""))

    @staticmethod
    def _kind_name(kind: str) -> str:
        from evidence_app.ui.text import enum_name

        try:
            return enum_name(EvidenceKind(kind))
        except ValueError:
            return kind

    def focus_path(self, path: str) -> bool:
        """Show and focus the form field a path names. Accepts validation paths
        (``complainant.uscc``, ``targets[0].url``, ``evidence[2].title``) and rule fix paths
        (``targets.T1.url``, ``evidence.E0123.fields.source_url``, ``targets``)."""
        case = self.session.case if self.session else None
        if case is None:
            return False
        section, key, rest = split_path(path)
        if section in ("complainant", "filer", "statement"):
            self.show_page(section)
            form = {
                "complainant": self.complainant_form,
                "filer": self.filer_form,
                "statement": self.statement_form,
            }[section]
            return form.focus_field(rest) if rest else True
        if section == "targets":
            if not key:
                self.show_page("targets")
                return True
            target = case.target(key)
            if target is None and key.isdigit() and int(key) < len(case.targets):
                target = case.targets[int(key)]
            if target is None:
                return False
            self.show_page("targets", target.id)
            return self.targets_page.form.focus_field(rest) if rest else True
        if section == "evidence":
            item = next((e for e in case.evidence if e.id == key), None)
            if item is None and key.isdigit() and int(key) < len(case.evidence):
                item = case.evidence[int(key)]
            if item is None:
                self.show_page("evidence")
                return bool(not key)
            self.show_evidence(item.id)
            return self.evidence_page.form.focus_field(rest) if rest else True
        return False

    # --- edits -------------------------------------------------------------------------------

    def _edit(self, change: Any) -> None:
        if self.session is None:
            return
        try:
            change(self.session)
        except Exception as exc:
            # The form keeps what was typed; the store is unchanged.
            dialogs.show_error(self, tr("ui.error.save"), exc)

    def undo(self) -> None:
        if self.session is not None:
            self._edit(lambda s: s.undo_stack.undo())

    def redo(self) -> None:
        if self.session is not None:
            self._edit(lambda s: s.undo_stack.redo())

    def add_target(self) -> None:
        if self.session is None:
            return
        try:
            target = self.session.add_target()
        except Exception as exc:
            dialogs.show_error(self, tr("ui.error.save"), exc)
            return
        self.show_page("targets", target.id)
        self.targets_page.form.focus_field("url")

    def remove_target(self, target_id: str) -> None:
        if self.session is None:
            return
        if dialogs.ask_yes_no(
            self, tr("ui.dialog.remove_target"), tr("ui.dialog.remove_target_text", id=target_id)
        ):
            self._edit(lambda s: s.remove_target(target_id))
            self.show_page("targets")

    def remove_selected_evidence(self) -> None:
        ids = self.evidence_page.selected_ids()
        if self.session is None or not ids:
            return
        labels = ", ".join(e.label for e in self.session.case.evidence if e.id in set(ids))
        if dialogs.ask_yes_no(
            self,
            tr("ui.dialog.remove_evidence"),
            tr("ui.dialog.remove_evidence_text", labels=labels),
        ):
            self._edit(lambda s: s.remove_evidence(ids))

    # --- intake ------------------------------------------------------------------------------

    def _track_job(self, job: Job) -> None:
        self.progress.track(job)

    def import_paths(self, paths: list[Path]) -> Job | None:
        if self.session is None or not paths:
            return None
        self.import_dock.show()
        target = self.navigator.current_target()
        return self.intake.import_paths(paths, target_ids=[target] if target else None)

    def import_files_dialog(self) -> None:
        paths = dialogs.open_files(
            self, tr("ui.dialog.import"), self.settings.last_folder("import")
        )
        if paths:
            self.settings.set_last_folder("import", str(paths[0].parent))
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        path = dialogs.open_folder(
            self, tr("ui.dialog.import_folder"), self.settings.last_folder("import")
        )
        if path is not None:
            self.settings.set_last_folder("import", str(path))
            self.import_paths([path])

    def paste_image(self) -> Job | None:
        if self.session is None:
            return None
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            return self.import_paths(self._local_paths(mime))
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.statusBar().showMessage(tr("ui.paste.nothing"), 8000)
            return None
        self.import_dock.show()
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.intake.import_image(image, tr("ui.paste.name", stamp=stamp) + ".png")

    def capture_screen(self) -> None:
        if self.session is None or self.capturer.active:
            return
        self.showMinimized()
        self.capturer.start(self.settings.capture_delay, self.screen())

    def _captured(self, image: Any, fields: dict[str, str]) -> None:
        self.showNormal()
        self.statusBar().showMessage(tr("ui.capture.done"), 5000)
        stamp = fields["captured_at"].replace(":", "").replace("-", "")[:15]
        self.import_dock.show()
        self.intake.import_image(
            image,
            tr("ui.capture.name", stamp=stamp) + ".png",
            kind=EvidenceKind.CAPTURE,
            fields=fields,
        )

    def _capture_failed(self) -> None:
        self.showNormal()
        dialogs.show_error(self, tr("ui.error.capture"))

    def _import_outcomes(self, outcomes: list[ImportOutcome]) -> None:
        self.import_log.add_outcomes(outcomes)
        refused = sum(1 for o in outcomes if o.status == "refused")
        imported = [o for o in outcomes if o.status == "imported" and o.item is not None]
        self.statusBar().showMessage(
            tr("ui.import.done", imported=len(imported), refused=refused), 10000
        )
        if refused:
            self.import_dock.show()
            self.import_dock.raise_()
        if imported and imported[-1].item is not None:
            if self.stack.currentWidget() is self.evidence_page:
                self.evidence_page.show_evidence(imported[-1].item.id)

    @staticmethod
    def _local_paths(mime: QMimeData) -> list[Path]:
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if self.session is not None and (mime.hasUrls() or mime.hasImage()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self.session is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.handle_drop(event.mimeData())
        event.acceptProposedAction()

    def handle_drop(self, mime: QMimeData) -> Job | None:
        if self.session is None:
            return None
        paths = self._local_paths(mime) if mime.hasUrls() else []
        if paths:
            return self.import_paths(paths)
        if mime.hasImage():
            stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.import_dock.show()
            return self.intake.import_image(
                mime.imageData(), tr("ui.paste.name", stamp=stamp) + ".png"
            )
        return None

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


def split_path(path: str) -> tuple[str, str, str]:
    """``targets[0].url`` / ``targets.T1.url`` → ("targets", "0" / "T1", "url");
    ``complainant.uscc`` → ("complainant", "", "uscc")."""
    head, _, rest = path.partition(".")
    if "[" in head:
        section, _, key = head.partition("[")
        return section, key.rstrip("]"), rest
    if head in ("targets", "evidence") and rest:
        key, _, rest = rest.partition(".")
        return head, key, rest
    return head, "", rest
