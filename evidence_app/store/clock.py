"""The case store's clock and actor: every custody entry says when (UTC, to the second) and
who. A clock is any ``() -> datetime``; :class:`FixedClock` stops it for tests and
reproducible output."""

from __future__ import annotations

import datetime as _dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], _dt.datetime]


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def iso(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one moment (tests, reproducible output). Unlike a lambda it can be
    pickled, so it can travel with a job to the helper process."""

    at: _dt.datetime

    def __call__(self) -> _dt.datetime:
        return self.at


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still record something
        return "unknown"
