"""Driving the export wizard like a user, for tests, benchmarks and the screenshot script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def wait_for_check(wizard: Any, wait_until: Callable[..., None], timeout_ms: int = 20000) -> None:
    """Until the targets page has the gap count of the ticked targets (the check runs as a
    job). ``wait_until`` is ``qtbot.waitUntil`` in tests or a script's own event-loop waiter;
    either way it fails at its deadline."""
    wait_until(lambda: not wizard.targets_page.checking, timeout=timeout_ms)
