"""One translation mechanism for the core, the CLI and the UI.

Messages are looked up by key in JSON catalogues under ``resources/i18n/``, one file per
domain and language (``core.zh_CN.json``, ``rules.en.json`` ...), so that each part of the
code keeps its own strings. Placeholders use ``str.format`` syntax: ``{name}``.

Chinese (zh_CN) is the default language; English (en) is the second. A key missing from the
chosen language falls back to English, then to the key itself, so that a missing translation
shows up visibly instead of crashing. ``tests/test_i18n.py`` checks both catalogues have the
same keys and placeholders, and that every key used in the code exists.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from evidence_app.resources import resource_dir

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
LANG_ENV = "EVIDENCE_APP_LANG"

_lock = threading.Lock()
_catalogues: dict[str, dict[str, str]] = {}
_current = os.environ.get(LANG_ENV, DEFAULT_LANGUAGE)


def normalise_language(lang: str | None) -> str:
    """Map user input such as ``zh``, ``zh-CN``, ``en_US`` to a supported language."""
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    if low.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def load_catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged over every domain file."""
    lang = normalise_language(lang)
    with _lock:
        if lang not in _catalogues:
            merged: dict[str, str] = {}
            for path in sorted((resource_dir() / "i18n").glob(f"*.{lang}.json")):
                with open(path, encoding="utf-8") as fh:
                    merged.update(json.load(fh))
            _catalogues[lang] = merged
        return _catalogues[lang]


def set_language(lang: str | None) -> str:
    global _current
    _current = normalise_language(lang)
    return _current


def current_language() -> str:
    return normalise_language(_current)


def tr(key: str, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the current language), filled with params."""
    lang = normalise_language(lang or current_language())
    text = load_catalogue(lang).get(key)
    if text is None and lang != "en":
        text = load_catalogue("en").get(key)
    if text is None:
        text = key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong placeholder must not hide the error being reported.
        return f"{text} {params}"


def words(message: Any, lang: str | None = None) -> str:
    """A :class:`evidence_app.messages.Message` in words (for the faces): parameters that are
    messages themselves (a refusal's reason) are worded first."""
    params = {
        name: words(value, lang) if hasattr(value, "key") and hasattr(value, "params") else value
        for name, value in message.params.items()
    }
    return tr(message.key, lang, **params)


# Alias used at call sites; extraction tests look for tr("...") and _("...").
_ = tr
