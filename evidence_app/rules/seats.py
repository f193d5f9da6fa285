"""Where a platform is seated (属地), for the routing hint of guidance (十四).

(十四) has each province's CAC office handle quickly the infringing information on platforms
seated in its province and forward the rest (非属地) to the central CAC. The table is data
(``resources/rules/seats/platform-seats.json``, each entry with its source, and ``verified``
false where it is the app's assumption); a platform is found by its name or its URL's site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from evidence_app.model import Complainant, Target
from evidence_app.resources import resource_path
from evidence_app.rules.sites import site


@dataclass(frozen=True)
class Seat:
    province: str  # without 省/市/自治区: 上海, 北京, 广东
    verified: bool
    source: str


@cache
def _table() -> tuple[tuple[frozenset[str], frozenset[str], Seat], ...]:
    path = resource_path("rules", "seats", "platform-seats.json")
    data = json.loads(path.read_text("utf-8"))
    return tuple(
        (
            frozenset(n.casefold() for n in p["names"]),
            frozenset(p["hosts"]),
            Seat(p["province"], bool(p["verified"]), p["source"]),
        )
        for p in data["platforms"]
    )


def province(name: str) -> str:
    """``上海市`` → ``上海``; ``广东省`` → ``广东``; ``广西壮族自治区`` → ``广西``."""
    name = name.strip()
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def seat_of(target: Target) -> Seat | None:
    host = site(target.url) if target.url else None
    name = target.platform.strip().casefold()
    for names, hosts, seat in _table():
        if (host and host in hosts) or (name and name in names):
            return seat
    return None


def is_remote(target: Target, complainant: Complainant) -> bool:
    """The platform's seat is known, the enterprise's province too, and they differ."""
    seat = seat_of(target)
    home = province(complainant.province)
    return seat is not None and bool(home) and seat.province != home
