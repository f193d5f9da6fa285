"""Dates in evidence fields and targets: ISO 8601, with or without time and zone."""

from __future__ import annotations

import calendar
import datetime as _dt


def moment(value: str) -> tuple[_dt.datetime, bool] | None:
    """A parsed ISO date or date-time, and whether it was a bare date."""
    text = (value or "").strip()
    try:
        return _dt.datetime.fromisoformat(text), len(text) <= 10
    except ValueError:
        return None


def earlier(a: tuple[_dt.datetime, bool], b: tuple[_dt.datetime, bool]) -> bool:
    (da, a_date), (db, b_date) = a, b
    if a_date or b_date:  # a bare date: compare days only
        return da.date() < db.date()
    if (da.tzinfo is None) != (db.tzinfo is None):  # mixed: compare wall-clock times
        da, db = da.replace(tzinfo=None), db.replace(tzinfo=None)
    return da < db


def months_before(day: _dt.date, months: int) -> _dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return _dt.date(year, month0 + 1, min(day.day, last))
