"""Typed UI settings stored per platform through QSettings; defaults in one place.

Stored: language, window geometry/state, recent cases, last folders. Never passphrases or
keys. ``SCHEMA_VERSION`` plus ``_MIGRATIONS`` upgrade older stores in order. The object is
passed to the windows that need it (no singleton), so tests give each run its own file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from evidence_app.i18n import normalise_language

ORGANISATION = "EvidenceApp"
APPLICATION = "EvidenceApp"
SCHEMA_VERSION = 1
MAX_RECENT = 10


def _migrate_0_to_1(qs: QSettings) -> None:
    # Version 0 (unversioned, pre-release) stored the language under "lang".
    if qs.contains("lang") and not qs.contains("ui/language"):
        qs.setValue("ui/language", qs.value("lang"))
    qs.remove("lang")


_MIGRATIONS: list[Callable[[QSettings], None]] = [_migrate_0_to_1]


def _int(value: object, default: int) -> int:
    """QSettings hands back strings from INI files and anything a user typed into them."""
    try:
        return int(str(value))
    except ValueError:
        return default


class Settings:
    """Settings in a QSettings store: the platform's native one, or an INI file given."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._qs = QSettings(
                QSettings.Format.NativeFormat,
                QSettings.Scope.UserScope,
                ORGANISATION,
                APPLICATION,
            )
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._migrate()

    def _migrate(self) -> None:
        version = _int(self._qs.value("schema", 0), 0)
        for step in range(version, SCHEMA_VERSION):
            _MIGRATIONS[step](self._qs)
        if version != SCHEMA_VERSION:
            self._qs.setValue("schema", SCHEMA_VERSION)

    def sync(self) -> None:
        self._qs.sync()

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    # --- language ----------------------------------------------------------------------------

    @property
    def language(self) -> str | None:
        value = self._qs.value("ui/language", "")
        return normalise_language(str(value)) if value else None

    @language.setter
    def language(self, lang: str) -> None:
        self._qs.setValue("ui/language", normalise_language(lang))

    # --- window ------------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    # --- recent cases and folders ------------------------------------------------------------

    def recent_cases(self) -> list[Path]:
        value = self._qs.value("cases/recent", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        return [Path(str(v)) for v in value if v]

    def add_recent_case(self, path: Path) -> None:
        items = [p for p in self.recent_cases() if p != path]
        items.insert(0, path)
        self._qs.setValue("cases/recent", [str(p) for p in items[:MAX_RECENT]])

    def remove_recent_case(self, path: Path) -> None:
        self._qs.setValue("cases/recent", [str(p) for p in self.recent_cases() if p != path])

    def last_folder(self, purpose: str) -> str:
        return str(self._qs.value(f"folders/{purpose}", "") or "")

    def set_last_folder(self, purpose: str, folder: str) -> None:
        self._qs.setValue(f"folders/{purpose}", folder)

    @property
    def capture_delay(self) -> int:
        return _int(self._qs.value("capture/delay", 3), 3)

    @capture_delay.setter
    def capture_delay(self, seconds: int) -> None:
        self._qs.setValue("capture/delay", int(seconds))
