"""Language switching: the app's catalogues (``evidence_app.i18n``) plus Qt's own strings.

Qt's standard buttons and dialogs (OK, Cancel, file dialogs) come from ``qtbase_<lang>.qm``
bundled with PySide6. There is one such translator per application (several windows share
it), so it hangs off the QApplication and is swapped when the language changes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from evidence_app import i18n

_QT_TRANSLATOR = "evidence_app_qt_translator"


def _qt_translator_for(lang: str) -> QTranslator | None:
    app = QCoreApplication.instance()
    if app is None:
        return None
    old = app.findChild(QTranslator, _QT_TRANSLATOR)
    if old is not None:
        app.removeTranslator(old)
        old.setParent(None)
        old.deleteLater()
    if lang == "en":
        return None  # Qt's built-in strings are English
    translator = QTranslator(app)
    translator.setObjectName(_QT_TRANSLATOR)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{lang}", folder):
        translator.setParent(None)
        return None
    app.installTranslator(translator)
    return translator


class Translators:
    """Applies a language to the core's catalogues and to Qt's own strings."""

    def __init__(self) -> None:
        self.qt_loaded = False

    def apply(self, lang: str | None) -> str:
        lang = i18n.set_language(lang)
        self.qt_loaded = _qt_translator_for(lang) is not None
        QLocale.setDefault(QLocale("zh_CN" if lang == "zh_CN" else "en_US"))
        return lang
