"""Start-up of the desktop app: ``run_app`` for the command line, ``create_main_window``
for tests and embedding."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from evidence_app import i18n
from evidence_app.ui.demo_case import APP_DIR_ENV, ensure_demo_case, user_data_dir

__all__ = ["APP_DIR_ENV", "ensure_demo_case", "user_data_dir"]


def has_display() -> bool:
    """False on Linux/BSD without a display server and no QT_QPA_PLATFORM chosen: Qt would
    abort the process instead of failing cleanly."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def settings_path() -> Path | None:
    """An INI file under $EVIDENCE_APP_HOME when set (tests, portable use); else None, which
    means the platform's native settings store."""
    override = os.environ.get(APP_DIR_ENV)
    return Path(override) / "settings.ini" if override else None


def tune_interpreter() -> None:
    """Background jobs run Python too; a short GIL switch interval lets the UI thread take
    its turn within about a millisecond instead of five (fewer visible stalls)."""
    sys.setswitchinterval(0.001)


def create_application(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    tune_interpreter()
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        QCoreApplication.setOrganizationName("EvidenceApp")
        QCoreApplication.setApplicationName("EvidenceApp")
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    return app


def create_main_window(
    case_path: Path | None = None,
    lang: str | None = None,
    *,
    settings_file: Path | None = None,
    open_demo: bool = False,
):  # type: ignore[no-untyped-def]
    """A main window with translators installed (QApplication must exist)."""
    from evidence_app.ui.main_window import MainWindow
    from evidence_app.ui.settings import Settings
    from evidence_app.ui.translation import Translators

    tune_interpreter()
    settings = Settings(settings_file if settings_file is not None else settings_path())
    translators = Translators()
    translators.apply(lang or settings.language or i18n.current_language())
    window = MainWindow(settings, translators)
    if case_path is not None:
        window.open_case(case_path)
    elif open_demo:
        window.open_demo_case()
    return window


def run_app(case_path: Path | None, lang: str | None) -> int:
    """Run the desktop app until its window closes; the exit code for the command line."""
    if not has_display():
        i18n.set_language(lang or i18n.current_language())
        print(i18n.tr("ui.no_display"), file=sys.stderr)
        return 1
    import multiprocessing

    multiprocessing.freeze_support()
    app = create_application()
    # An explicit --lang (or EVIDENCE_APP_LANG) wins; otherwise the saved choice; otherwise
    # the default. The command line passes the default when nothing was chosen.
    from evidence_app.ui.settings import Settings

    saved = Settings(settings_path()).language
    explicit = "--lang" in " ".join(sys.argv) or bool(os.environ.get(i18n.LANG_ENV))
    chosen = lang if (explicit or not saved) else saved
    window = create_main_window(case_path, chosen, open_demo=case_path is None)
    window.show()
    return int(app.exec())
