"""Extra lines under an exhibit's row in the 证据目录: its trusted timestamps (RFC 3161).

The time is shown in Beijing time (the reader's) with the UTC value the token states, and
the authority as its certificate names it; a demo authority's tokens say so.
"""

from __future__ import annotations

import datetime as _dt

from evidence_app.exporters.pdf.words import Words
from evidence_app.model import EvidenceItem

BEIJING = _dt.timezone(_dt.timedelta(hours=8))
# Tokens made by the demo case's own authority carry this in their TSA name.
DEMO_TSA_MARK = "DEMO"


def index_extra_lines(item: EvidenceItem, words: Words) -> list[str]:
    lines: list[str] = []
    for stamp in item.timestamps:
        try:
            utc = _dt.datetime.fromisoformat(stamp.gen_time.replace("Z", "+00:00"))
        except ValueError:
            continue
        local = utc.astimezone(BEIJING)
        key = "pdf.index.timestamp_demo" if DEMO_TSA_MARK in stamp.tsa else "pdf.index.timestamp"
        lines.append(
            words.tr(
                key,
                f"exhibit {item.number}",
                date=words.date(local),
                time=local.strftime("%H:%M:%S"),
                utc=stamp.gen_time,
                tsa=stamp.tsa,
            )
        )
    return lines
