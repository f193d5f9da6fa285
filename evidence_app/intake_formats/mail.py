"""E-mails (.eml, RFC 5322) as evidence: headers shown, body rendered, attachments linked.

Extortion demands and threats often arrive by e-mail. ``inspect_eml`` reads From, To, Cc,
Date, Subject, Message-ID and the Received chain (the servers the message passed, newest
first, as the message carries them), a plain-text rendering of the body for the bundle, and
the attachments, which intake imports as exhibits linked to the e-mail. Parsing uses the
standard library's ``email`` package with its modern policy, within size and count limits.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from evidence_app.errors import IntakeRefused

EML = "message/rfc822"
MAX_PARSE = 256 * 1024 * 1024
MAX_ATTACHMENTS = 200
MAX_BODY_CHARS = 20_000
MAX_RECEIVED = 50
_HEADER_LINE = re.compile(rb"^[A-Za-z0-9-]{1,64}:[ \t]")
_MAIL_HEADERS = (b"\nfrom:", b"\nreceived:", b"\nmessage-id:", b"\nreturn-path:")


def sniff(head: bytes) -> str | None:
    """An e-mail: header lines from the first byte, and headers only mail has."""
    if not _HEADER_LINE.match(head):
        return None
    top = b"\n" + head[:8192].lower()
    if b"content-type: multipart/related" in top:
        return None  # an MHTML page snapshot (webarchive)
    if sum(1 for h in _MAIL_HEADERS if h in top) >= 2 or (
        b"\nfrom:" in top and (b"\ndate:" in top or b"\nsubject:" in top)
    ):
        return EML
    return None


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def inspect_eml(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_PARSE:
        raise IntakeRefused("intake.archive_too_large_to_read", limit=MAX_PARSE)
    try:
        with open(path, "rb") as fh:
            message = email.message_from_binary_file(fh, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        headers = {
            "from": _text(message.get("From")),
            "to": _text(message.get("To")),
            "cc": _text(message.get("Cc")),
            "date": _text(message.get("Date")),
            "subject": _text(message.get("Subject")),
            "message_id": _text(message.get("Message-ID")),
        }
        received = [_text(r) for r in (message.get_all("Received") or [])][:MAX_RECEIVED]
        body = _body(message)
        parts = []
        for n, part in enumerate(message.iter_attachments(), start=1):
            if n > MAX_ATTACHMENTS:
                raise IntakeRefused("intake.mail_too_many_attachments", limit=MAX_ATTACHMENTS)
            payload: Any = part.get_payload(decode=True)
            inner: Any = part.get_payload()
            if isinstance(inner, list) and part.get_content_type() == EML:
                payload = inner[0].as_bytes()  # a forwarded message
            if not payload:
                continue
            name = part.get_filename() or f"attachment-{n}"
            parts.append(("attachment", name, bytes(payload)))
    except IntakeRefused:
        raise
    except (RecursionError, ValueError, TypeError, LookupError, AssertionError) as exc:
        raise IntakeRefused("intake.mail_unreadable", detail=str(exc)[:160]) from exc
    meta: dict[str, Any] = {f"mail_{k}": v for k, v in headers.items() if v}
    meta["mail_received"] = received
    meta["mail_body"] = body
    meta["mail_attachments"] = [name for _role, name, _data in parts]
    when = message.get("Date")
    if when is not None and getattr(when, "datetime", None) is not None:
        meta["mail_date_iso"] = when.datetime.isoformat()
    if headers["subject"]:
        meta["_title"] = headers["subject"]
    if parts:
        meta["_parts"] = parts
    return meta


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):
        raw = part.get_payload(decode=True) or b""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if part.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", "", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = "\n".join(line.rstrip() for line in str(text).splitlines()).strip()
    return text[:MAX_BODY_CHARS]
