"""The main window's case controller: opening, creating and closing a case (one session at
a time, never while a job runs against it), and the edits the pages ask for — each through
the session, whose undo stack and custody log record it; a refused edit is shown, and the
form keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from evidence_app.i18n import tr
from evidence_app.model import Case
from evidence_app.ui import dialogs
from evidence_app.ui.demo_case import ensure_demo_case
from evidence_app.ui.session import CaseSession
from evidence_app.ui.text import clean
from evidence_app.ui.window_parts import WindowParts


class CaseController(WindowParts):
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

    def _edit(self, change: Callable[[CaseSession], object]) -> None:  # type: ignore[override]
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
