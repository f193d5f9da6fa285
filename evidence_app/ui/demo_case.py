"""Where the desktop app keeps its demo case: the user's data folder, written on first use.
Kept apart from start-up (``ui/app.py``) so the window can open the demo case without
importing the module that creates the window."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_ENV = "EVIDENCE_APP_HOME"


def user_data_dir() -> Path:
    """Where the demo case lives: $EVIDENCE_APP_HOME, else the platform's app-data folder."""
    override = os.environ.get(APP_DIR_ENV)
    if override:
        return Path(override) / "data"
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(location or Path.home()) / "evidence-app"


def ensure_demo_case() -> Path:
    """The demo case in the user's data folder, written on first use."""
    from evidence_app.app.demo import DEMO_CASE_NAME, write_demo_case
    from evidence_app.store.case_store import CASE_SUFFIX, DB_NAME

    folder = user_data_dir() / "demo"
    case = folder / (DEMO_CASE_NAME + CASE_SUFFIX)
    if (case / DB_NAME).is_file():
        return case
    return write_demo_case(folder)
