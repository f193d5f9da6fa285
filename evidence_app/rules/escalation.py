"""Escalation when a platform misses its time limit: the step to the CAC office.

(二十) has platforms publish their 办理时限; (十九) has the CAC offices take complaints that a
platform handled a report 不及时. So when a submission has had no reply by its deadline — the
deadline written on the follow-up entry, or else the channel's published limit (from its
profile, passed in by the caller) — the follow-up page and ``follow-up due`` show the next
step: complain to the CAC (12377 enterprise zone, or the platform's provincial office).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass

from evidence_app.i18n import tr
from evidence_app.model import Case, FollowUp
from evidence_app.rules.dates import moment
from evidence_app.rules.describe import day_words
from evidence_app.rules.duplicates import SUBMITTED

REPLY = "reply"


@dataclass(frozen=True)
class Escalation:
    follow_up: FollowUp
    due: _dt.date
    days_over: int


def _day(value: str) -> _dt.date | None:
    m = moment(value)
    return m[0].date() if m else None


def overdue(
    case: Case, today: _dt.date, reply_days: Mapping[str, int] | None = None
) -> list[Escalation]:
    """Submissions past their deadline with no reply on the same channel since."""
    out: list[Escalation] = []
    limits = reply_days or {}
    for f in case.follow_ups:
        if f.event != SUBMITTED:
            continue
        sent = _day(f.date)
        due = _day(f.deadline) if f.deadline else None
        if due is None and sent is not None and f.channel in limits:
            due = sent + _dt.timedelta(days=limits[f.channel])
        if due is None or today <= due:
            continue
        replied = any(
            r.event == REPLY
            and r.channel == f.channel
            and (sent is None or (_day(r.date) or _dt.date.min) >= sent)
            for r in case.follow_ups
        )
        if not replied:
            out.append(Escalation(f, due, (today - due).days))
    return out


def describe_step(e: Escalation, lang: str | None = None) -> str:
    """The escalation step in words, citing (十九) and (二十)."""
    f = e.follow_up
    return tr(
        "rules.escalation.step",
        lang,
        channel=f.channel or "—",
        date=day_words(f.date, lang) if f.date else "—",
        reference=f.reference or "—",
        due=day_words(e.due.isoformat(), lang),
        days=e.days_over,
    )
