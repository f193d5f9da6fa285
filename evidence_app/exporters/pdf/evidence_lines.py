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
                utc=utc.strftime("%H:%M:%S"),
                tsa=stamp.tsa,
            )
        )
    for check in item.metadata.get("certificate_checks") or []:
        lines.append(
            words.tr(
                f"pdf.index.certificate_{check.get('status', 'no_hash')}",
                f"exhibit {item.number}",
                number=check.get("number", ""),
                algorithm=str(check.get("algorithm", "")).upper().replace("SHA256", "SHA-256"),
            )
        )
    return lines


MAX_BODY_ON_PAGE = 1200  # the placeholder is one page: the full text stays in the original
MAX_HOPS_ON_PAGE = 8


def placeholder_extra_rows(item: EvidenceItem, words: Words) -> list[tuple[str, str]]:
    """What a web archive or an e-mail says about itself, for its exhibit page: provenance
    (URL, capture time, server IP, HTTP status, title) or headers (From, To, Date, Subject,
    Message-ID, the Received chain) and the start of the body."""
    meta = item.metadata
    where = f"exhibit {item.number}"
    rows: list[tuple[str, str]] = []

    def add(key: str, value: object) -> None:
        if value not in (None, "", []):
            rows.append((words.tr(f"pdf.meta.{key}"), words.plain(str(value), where)))

    def add_time(key: str, value: object) -> None:
        # a time the file itself records, in legal style and China time, to the second
        if value not in (None, "", []):
            rows.append((words.tr(f"pdf.meta.{key}"), words.when(str(value), seconds=True)))

    if "archive_format" in meta:
        add("archive_format", str(meta["archive_format"]).upper())
        add("archive_target_url", meta.get("archive_target_url"))
        add_time("archive_capture_time", meta.get("archive_capture_time"))
        for key in ("server_ip", "http_status", "title", "software"):
            add(f"archive_{key}", meta.get(f"archive_{key}"))
        if meta.get("archive_digests_checked"):
            add(
                "archive_digests",
                words.tr("pdf.meta.digests_ok", n=meta["archive_digests_checked"]),
            )
    if "mail_body" in meta or "mail_from" in meta:
        for key in ("from", "to", "cc", "date", "subject", "message_id"):
            add(f"mail_{key}", meta.get(f"mail_{key}"))
        hops = list(meta.get("mail_received") or [])
        for n, hop in enumerate(hops[:MAX_HOPS_ON_PAGE], start=1):
            rows.append((words.tr("pdf.meta.mail_received", n=n), words.plain(hop[:300], where)))
        if len(hops) > MAX_HOPS_ON_PAGE:
            add("mail_more_hops", len(hops) - MAX_HOPS_ON_PAGE)
        body = str(meta.get("mail_body") or "")
        if body:
            shown = body[:MAX_BODY_ON_PAGE]
            if len(body) > MAX_BODY_ON_PAGE:
                shown += words.tr("pdf.meta.body_cut")
            add("mail_body", shown)
        add("mail_attachments", "、".join(meta.get("mail_attachments") or []))
    if "video_codec" in meta:
        add("video_container", meta.get("video_container"))
        add("video_codec", meta.get("video_codec"))
        add("video_resolution", f"{meta.get('video_width')} × {meta.get('video_height')}")
        add("video_duration", _timecode(float(meta.get("video_duration") or 0)))
        add("video_fps", meta.get("video_fps") and f"{float(meta['video_fps']):.2f}")
        add_time("video_creation_time", meta.get("video_creation_time"))
    for part in meta.get("parts") or []:
        rows.append(
            (
                words.tr(f"pdf.meta.part.{part.get('role', 'attachment')}"),
                words.tr("pdf.meta.see_exhibit", number=part.get("number", ""))
                + (f"（{words.plain(str(part['name']), where)}）" if part.get("name") else ""),
            )
        )
    part_of = meta.get("part_of")
    if isinstance(part_of, dict):
        rows.append(
            (
                words.tr("pdf.meta.part_of"),
                words.tr("pdf.meta.see_exhibit", number=part_of.get("number", "")),
            )
        )
    return rows


def _timecode(seconds: float) -> str:
    whole = int(seconds)
    millis = int(seconds % 1 * 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"
