"""Case builders: the demo case (the richest fixture), and an empty case with a frozen clock."""

from __future__ import annotations

from pathlib import Path

from evidence_app.app.demo import write_demo_case
from evidence_app.store import CaseStore
from kit.clock import FROZEN_CLOCK


def demo_case(folder: Path) -> Path:
    """The demo case (three targets, seven exhibits, one deliberate gap) in ``folder``."""
    return write_demo_case(folder)


def empty_case(path: Path, title: str = "测试案件") -> Path:
    """A new, empty case at ``path`` whose custody log is stamped with the frozen time."""
    with CaseStore.create(path, title, clock=FROZEN_CLOCK) as store:
        return store.root
