"""The open case as seen by the UI: the store, the latest snapshot, and undoable edits.

Widgets never write to the store directly: they ask the session, which wraps each change in
a ``QUndoCommand`` (so Edit > Undo reverts it through the same store calls) and emits
``changed`` after the snapshot is reloaded. Store failures propagate to the caller, which
shows them; the snapshot is only replaced after a successful write, so what the user typed
stays in the form.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from evidence_app.i18n import tr
from evidence_app.model import (
    Case,
    Complainant,
    EvidenceItem,
    Filer,
    FollowUp,
    Statement,
    Target,
)
from evidence_app.store import CaseStore
from evidence_app.ui.job_runner import JobRunner


class _Command(QUndoCommand):
    """Runs ``redo_fn`` / ``undo_fn`` against the store, then refreshes the session."""

    def __init__(
        self,
        session: CaseSession,
        text: str,
        redo_fn: Callable[[], None],
        undo_fn: Callable[[], None],
    ) -> None:
        super().__init__(text)
        self._session = session
        self._redo = redo_fn
        self._undo = undo_fn

    def redo(self) -> None:
        self._redo()
        self._session.reload()

    def undo(self) -> None:
        self._undo()
        self._session.reload()


class CaseSession(QObject):
    changed = Signal()  # the snapshot ``case`` was replaced

    def __init__(self, store: CaseStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.case: Case = store.load()
        self.undo_stack = QUndoStack(self)

    @classmethod
    def open(cls, path: Path, parent: QObject | None = None) -> CaseSession:
        return cls(CaseStore.open(path), parent)

    @classmethod
    def create(cls, path: Path, title: str, parent: QObject | None = None) -> CaseSession:
        return cls(CaseStore.create(path, title), parent)

    @property
    def path(self) -> Path:
        return self.store.root

    def close(self) -> None:
        self.undo_stack.clear()
        self.store.close()

    def reload(self) -> None:
        self.case = self.store.load()
        self.changed.emit()

    def reload_in_background(self, runner: JobRunner) -> None:
        """Reload on a worker thread (reading a large case takes tens of milliseconds),
        then show the snapshot; for changes made elsewhere, such as the custody record of
        an export written by the export helper process."""
        store = self.store
        runner.start(lambda _p, _c: store.load(), on_finished=self.set_case, user=False)

    def set_case(self, case: Case) -> None:
        """A snapshot loaded elsewhere (by a background job after an import)."""
        self.case = case
        self.changed.emit()

    def _push(self, text: str, redo_fn: Callable[[], None], undo_fn: Callable[[], None]) -> None:
        # Run once first so that a failing write raises to the caller and is not recorded.
        redo_fn()
        command = _Command(self, text, redo_fn, undo_fn)
        command._redo = _Once(redo_fn)
        self.undo_stack.push(command)

    # --- singleton sections ------------------------------------------------------------------

    def set_complainant(self, value: Complainant) -> None:
        before = copy.deepcopy(self.case.complainant)
        after = copy.deepcopy(value)
        if before == after:
            return
        self._push(
            tr("ui.undo.complainant"),
            lambda: self.store.set_complainant(after),
            lambda: self.store.set_complainant(before),
        )

    def set_filer(self, value: Filer) -> None:
        before, after = copy.deepcopy(self.case.filer), copy.deepcopy(value)
        if before == after:
            return
        self._push(
            tr("ui.undo.filer"),
            lambda: self.store.set_filer(after),
            lambda: self.store.set_filer(before),
        )

    def set_statement(self, value: Statement) -> None:
        before, after = copy.deepcopy(self.case.statement), copy.deepcopy(value)
        if before == after:
            return
        self._push(
            tr("ui.undo.statement"),
            lambda: self.store.set_statement(after),
            lambda: self.store.set_statement(before),
        )

    def set_follow_ups(self, value: list[FollowUp]) -> None:
        before, after = copy.deepcopy(self.case.follow_ups), copy.deepcopy(value)
        if before == after:
            return
        self._push(
            tr("ui.undo.follow_ups"),
            lambda: self.store.set_follow_ups(after),
            lambda: self.store.set_follow_ups(before),
        )

    # --- targets -----------------------------------------------------------------------------

    def add_target(self, target: Target | None = None) -> Target:
        new = copy.deepcopy(target) if target else Target()
        added = self.store.add_target(new)
        kept = copy.deepcopy(added)

        def redo() -> None:
            self.store.add_target(copy.deepcopy(kept))

        def undo() -> None:
            self.store.remove_target(kept.id)

        command = _Command(self, tr("ui.undo.add_target", id=kept.id), redo, undo)
        command._redo = _Once(redo)
        self.undo_stack.push(command)
        return added

    def update_target(self, target: Target) -> None:
        before = copy.deepcopy(self.case.target(target.id))
        after = copy.deepcopy(target)
        if before is None or before == after:
            return
        self._push(
            tr("ui.undo.target", id=target.id),
            lambda: self.store.update_target(after),
            lambda: self.store.update_target(before),
        )

    def remove_target(self, target_id: str) -> None:
        target = copy.deepcopy(self.case.target(target_id))
        if target is None:
            return
        linked = copy.deepcopy(self.case.evidence_for(target_id))

        def undo() -> None:
            self.store.add_target(copy.deepcopy(target))
            for item in linked:
                self.store.update_evidence(item)

        self._push(
            tr("ui.undo.remove_target", id=target_id),
            lambda: self.store.remove_target(target_id),
            undo,
        )

    # --- evidence ----------------------------------------------------------------------------

    def update_evidence(self, item: EvidenceItem, text: str | None = None) -> None:
        before = next((e for e in self.case.evidence if e.id == item.id), None)
        if before is None:
            return
        before = copy.deepcopy(before)
        after = copy.deepcopy(item)
        if before == after:
            return
        self._push(
            text or tr("ui.undo.evidence", label=after.label),
            lambda: self.store.update_evidence(after),
            lambda: self.store.update_evidence(before),
        )

    def remove_evidence(self, ids: list[str]) -> None:
        """Withdraw exhibits, undoably: originals stay in the store (and in the custody
        log), so undo puts the same exhibits back with their ids and numbers."""
        wanted = set(ids)
        removed = [copy.deepcopy(e) for e in self.case.evidence if e.id in wanted]
        if not removed:
            return

        def redo() -> None:
            for item in removed:
                self.store.remove_evidence(item.id)

        def undo() -> None:
            for item in removed:
                self.store.restore_evidence(copy.deepcopy(item))

        labels = ", ".join(e.label for e in removed)
        self._push(tr("ui.undo.remove_evidence", labels=labels), redo, undo)

    def evidence(self, evidence_id: str) -> EvidenceItem | None:
        return next((e for e in self.case.evidence if e.id == evidence_id), None)


class _Once:
    """The first ``redo`` after a push only refreshes: the change was already written."""

    def __init__(self, real: Callable[[], None]) -> None:
        self._real = real
        self._first = True

    def __call__(self) -> None:
        if self._first:
            self._first = False
            return
        self._real()
