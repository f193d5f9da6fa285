"""The one frozen test time (2026-11-29 08:30 UTC) and a picklable clock stopped at it."""

from __future__ import annotations

import datetime as _dt

from evidence_app.store.case_store import FixedClock

FROZEN = _dt.datetime(2026, 11, 29, 8, 30, 0, tzinfo=_dt.UTC)
FROZEN_CLOCK = FixedClock(FROZEN)
