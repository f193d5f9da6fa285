"""Sites: the registrable name of a URL, and the sites that belong to one platform.

A capture of ``m.weibo.cn`` shows the same post as ``weibo.com``: the platforms in the seats
table (``resources/rules/seats/platform-seats.json``) list their hosts, and any two of one
platform's hosts count as the same site.
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import urlsplit

from evidence_app import validators
from evidence_app.resources import resource_path

# Second-level labels under which a registrable name takes three labels (example.com.cn).
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co"})


def site(url: str) -> str | None:
    """The registrable name of a URL's host (``m.weibo.com`` → ``weibo.com``), or None."""
    if not validators.is_valid_url(url):
        return None
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    if not host:
        return None
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@cache
def _platform_of_site() -> dict[str, int]:
    path = resource_path("rules", "seats", "platform-seats.json")
    data = json.loads(path.read_text("utf-8"))
    out: dict[str, int] = {}
    for n, p in enumerate(data["platforms"]):
        for host in p["hosts"]:
            name = site(f"https://{host}/")
            if name:
                out[name] = n
    return out


def same_platform(a: str, b: str) -> bool:
    """Two registrable names are one site, or two sites of one listed platform."""
    if a == b:
        return True
    known = _platform_of_site()
    return a in known and known.get(b) == known[a]
