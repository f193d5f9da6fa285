"""Where the data files (rule packs, fonts, translations, schemas) live.

From a source checkout they are in ``resources/`` at the repository root; in an installed
wheel they are packaged as ``evidence_app/_resources``; in a frozen build (PyInstaller) they
sit beside the executable's bundle.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resource_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = [here / "_resources", here.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "resources")
    for candidate in candidates:
        if (candidate / "i18n").is_dir():
            return candidate
    raise FileNotFoundError("resources directory not found next to evidence_app")


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
