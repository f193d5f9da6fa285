"""Constants shared by the tests (import as ``from testenv import ...``; conftest modules are
not importable reliably when several test folders have one)."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from netguard_impl import NetworkBlocked

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# A copy of ../shared/corpus (Pillow and pypdf test files, the age CCTV vectors) with its
# README and licences, so that the suite runs from a clone alone.
CORPUS = TESTS / "data" / "corpus"
FROZEN = _dt.datetime(2026, 11, 29, 8, 30, 0, tzinfo=_dt.UTC)

__all__ = ["CORPUS", "FROZEN", "REPO", "TESTS", "NetworkBlocked"]
