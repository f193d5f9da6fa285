"""The duplicate-report guard: has this item already been submitted on this channel?

The enterprise zones ask that the same matter not be reported twice. A submission is known
from a follow-up entry (event ``submitted``) of this case, or of another case in the same
folder (the caller reads those: rules do not open stores). An item is the same when its URL
is the same (scheme, ``www.``, a trailing slash and the fragment ignored) or, for an item
without URL, when the platform and the locator are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from evidence_app.model import Case, Target

SUBMITTED = "submitted"


@dataclass(frozen=True)
class PriorReport:
    """One item as submitted before: where, when, under which reference."""

    channel: str
    date: str
    reference: str
    url: str = ""
    platform: str = ""
    locator: str = ""
    case_title: str = ""  # empty: this case


def item_key(url: str, platform: str = "", locator: str = "") -> str:
    """What makes two items the same report."""
    if url.strip():
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        host = host[4:] if host.startswith("www.") else host
        path = parts.path.rstrip("/")
        query = f"?{parts.query}" if parts.query else ""
        return f"url:{host}{path}{query}"
    if locator.strip():
        squeeze = re.sub(r"\s+", "", locator)
        return f"loc:{platform.strip().casefold()}|{squeeze.casefold()}"
    return ""


def reports_of(case: Case, case_title: str = "") -> list[PriorReport]:
    """The items ``case``'s follow-up log says were submitted (all targets when the entry
    names none)."""
    out: list[PriorReport] = []
    by_id = {t.id: t for t in case.targets}
    for f in case.follow_ups:
        if f.event != SUBMITTED:
            continue
        named = f.target_ids()
        targets = [by_id[t] for t in named if t in by_id] if named else case.targets
        for t in targets:
            out.append(
                PriorReport(
                    f.channel, f.date, f.reference, t.url, t.platform, t.locator, case_title
                )
            )
    return out


def earlier_reports(target: Target, channel: str, reports: list[PriorReport]) -> list[PriorReport]:
    """The submissions of the same item on ``channel`` (any channel when the case has none)."""
    key = item_key(target.url, target.platform, target.locator)
    if not key:
        return []
    return [
        r
        for r in reports
        if item_key(r.url, r.platform, r.locator) == key
        and (not channel or not r.channel or r.channel == channel)
    ]
