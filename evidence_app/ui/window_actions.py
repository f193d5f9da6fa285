"""The main window's actions, menus and shortcuts, the recent-cases menu and the undo
state: what the user can ask for, and the words on it. The slots live in the other parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from evidence_app.i18n import current_language, tr
from evidence_app.ui.text import clean
from evidence_app.ui.window_parts import WindowParts


class WindowActions(WindowParts):
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
        self._case_actions = []
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
        self.act_paperwork = a(None, self.open_paperwork_dialog, True)
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
        self.menu_file.addActions([self.act_export, self.act_paperwork, self.act_verify])
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

    def _update_undo(self, *_args: Any) -> None:
        stack = self.session.undo_stack if self.session else None
        self.act_undo.setEnabled(bool(stack and stack.canUndo()))
        self.act_redo.setEnabled(bool(stack and stack.canRedo()))

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

    def _retranslate_actions(self) -> None:
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
            self.act_paperwork: "ui.action.paperwork",
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
        (self.act_zh if current_language() == "zh_CN" else self.act_en).setChecked(True)
