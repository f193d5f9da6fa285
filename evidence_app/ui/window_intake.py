"""Getting files into the open case from the window: the import dialogs, paste, drop and
screen capture. Each hands paths or an image to the intake controller, which runs the import
as a job; outcomes land in the import log and the status bar."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication

from evidence_app.i18n import tr
from evidence_app.intake import ImportOutcome
from evidence_app.model import EvidenceKind
from evidence_app.ui import dialogs
from evidence_app.ui.job_runner import Job
from evidence_app.ui.window_parts import WindowParts


class WindowIntake(WindowParts):
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
