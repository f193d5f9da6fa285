"""Web archives as evidence: WARC, WACZ and MHTML, with their provenance read automatically.

What a legal reader needs from a capture is where and when: the target URL, the capture time
(WARC-Date, or the MHTML snapshot's Date), the server's IP address where the crawler recorded
it, the HTTP status and the page title. ``read_archive`` returns them as
:class:`Provenance`, plus the archive's own screenshot record when it has one (ArchiveWeb.page
and Browsertrix store ``urn:screenshot:``/``urn:view:`` records), which intake turns into a
linked image exhibit that the bundle shows as the page.

Every WARC first passes the bounded structural scan (:mod:`warc_scan`); only then does warcio
(the Webrecorder project's reader) parse it. A WACZ is a ZIP: member names are checked for
path tricks (zip-slip), sizes and compression ratios bounded, and every digest its
``datapackage.json`` lists is re-computed and must match.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from evidence_app.errors import IntakeRefused
from evidence_app.intake_formats.warc_scan import ArchiveLimits, refuse, scan_warc

WARC = "application/warc"
WACZ = "application/wacz"
MHTML = "multipart/related"
_SCREENSHOT_PREFIXES = ("urn:screenshot:", "urn:view:", "urn:thumbnail:")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
MAX_WACZ_MEMBERS = 10_000
MAX_DATAPACKAGE = 16 * 1024 * 1024
MAX_MHTML_PARSE = 256 * 1024 * 1024


@dataclass
class Provenance:
    format: str  # warc / wacz / mhtml
    target_url: str = ""
    capture_time: str = ""  # ISO 8601 as the archive states it
    server_ip: str = ""
    http_status: int | None = None
    title: str = ""
    records: int = 0
    software: str = ""
    digests_checked: int = 0  # WACZ: files whose datapackage digest was re-computed
    screenshot: bytes | None = None
    screenshot_type: str = ""

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"archive_format": self.format}
        for name in ("target_url", "capture_time", "server_ip", "title", "software"):
            if getattr(self, name):
                meta[f"archive_{name}"] = getattr(self, name)
        if self.http_status is not None:
            meta["archive_http_status"] = self.http_status
        if self.records:
            meta["archive_records"] = self.records
        if self.digests_checked:
            meta["archive_digests_checked"] = self.digests_checked
        meta["archive_has_screenshot"] = self.screenshot is not None
        return meta


def sniff(head: bytes) -> str | None:
    """WARC (plain or gzip), or MHTML, from the first bytes; WACZ is recognised later (it is a
    ZIP holding datapackage.json)."""
    if head.startswith(b"WARC/1."):
        return WARC
    if head[:2] == b"\x1f\x8b":
        import zlib

        try:
            start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return None
        return WARC if start.startswith(b"WARC/1.") else None
    top = head[:4096].lower()
    if b"content-type: multipart/related" in top and (
        b"snapshot-content-location:" in top or b"mime-version:" in top
    ):
        return MHTML
    return None


def is_wacz(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "datapackage.json" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_archive(path: Path, media_type: str, limits: ArchiveLimits | None = None) -> Provenance:
    limits = limits or ArchiveLimits()
    if media_type == WARC:
        prov = Provenance("warc")
        prov.records = scan_warc(lambda: open(path, "rb"), path.stat().st_size, limits)
        with open(path, "rb") as fh:
            _read_warc(fh, prov, limits)
        return prov
    if media_type == WACZ:
        return _read_wacz(path, limits)
    if media_type == MHTML:
        return _read_mhtml(path)
    raise ValueError(media_type)


def _read_warc(fh: BinaryIO, prov: Provenance, limits: ArchiveLimits, page: str = "") -> None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(fh):
            _take(record, prov, limits, page)
    except ArchiveLoadFailed as exc:
        raise refuse("truncated", detail=str(exc)[:160]) from exc


def _take(record: Any, prov: Provenance, limits: ArchiveLimits, page: str) -> None:
    kind = record.rec_type
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind == "warcinfo" and not prov.software:
        body = record.content_stream().read(64 * 1024)
        found = re.search(rb"^software:\s*(.+)$", body, re.M | re.I)
        prov.software = found.group(1).decode("utf-8", "replace").strip() if found else ""
        return
    if kind not in ("response", "resource"):
        return
    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
        record.rec_headers.get_header("Content-Type") or ""
    )
    if uri.startswith(_SCREENSHOT_PREFIXES) and ctype.startswith(("image/png", "image/jpeg")):
        if prov.screenshot is None or uri.startswith("urn:screenshot:"):
            data = record.content_stream().read(limits.max_screenshot + 1)
            if len(data) <= limits.max_screenshot:
                prov.screenshot, prov.screenshot_type = data, ctype.split(";")[0]
        return
    if kind != "response" or not ctype.startswith("text/html"):
        return
    # The page: the one the WACZ names, else the first HTML response.
    if prov.target_url and not (page and uri == page and prov.target_url != page):
        return
    prov.target_url = uri
    prov.capture_time = record.rec_headers.get_header("WARC-Date") or ""
    prov.server_ip = record.rec_headers.get_header("WARC-IP-Address") or ""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    prov.http_status = int(status) if status and str(status).isdigit() else None
    if not prov.title:
        prov.title = _title(record.content_stream().read(limits.max_title_read), ctype)


def _title(body: bytes, ctype: str) -> str:
    found = _TITLE.search(body)
    if not found:
        return ""
    charset = re.search(r"charset=([\w-]+)", ctype, re.I)
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    encoding = charset.group(1) if charset else meta.group(1).decode() if meta else "utf-8"
    try:
        text = found.group(1).decode(encoding, "replace")
    except LookupError:
        text = found.group(1).decode("utf-8", "replace")
    return " ".join(html.unescape(text).split())[:300]


# --- WACZ ------------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return not (
        not name
        or name.startswith("/")
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name)
        or any(p in ("..", ".") for p in parts)
        or any(ord(c) < 32 for c in name)
    )


def _read_wacz(path: Path, limits: ArchiveLimits) -> Provenance:
    prov = Provenance("wacz")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse("wacz_invalid", detail=str(exc)[:160]) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_WACZ_MEMBERS:
            raise refuse("too_many_records", limit=MAX_WACZ_MEMBERS)
        total = 0
        for info in infos:
            if not _safe_member(info.filename):
                raise refuse("zip_slip", name=info.filename[:120])
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > limits.expansion_ratio:
                if info.file_size > limits.min_expanded:
                    raise refuse("bomb", limit=limits.expansion_ratio)
        if total > limits.max_expanded:
            raise refuse("bomb", limit=limits.max_expanded)
        package = _datapackage(zf)
        prov.digests_checked = _check_digests(zf, package)
        page_url, page_title = _first_page(zf)
        opened = _members(zf, lambda n: n.startswith("archive/") and ".warc" in n)
        for _name, opener, size in opened:
            prov.records += scan_warc(opener, size, limits)
            with opener() as fh:
                _read_warc(fh, prov, limits, page=page_url)
        if page_url and not prov.target_url:
            prov.target_url = page_url
        if page_title:
            prov.title = page_title
    return prov


def _members(
    zf: zipfile.ZipFile, wanted: Callable[[str], bool]
) -> Iterator[tuple[str, Callable[[], AbstractContextManager[BinaryIO]], int]]:
    for info in zf.infolist():
        if wanted(info.filename) and not info.is_dir():

            @contextmanager
            def opener(name: str = info.filename) -> Iterator[BinaryIO]:
                with zf.open(name) as fh:
                    yield fh  # type: ignore[misc]

            yield info.filename, opener, info.compress_size or info.file_size


def _datapackage(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = zf.getinfo("datapackage.json")
        if info.file_size > MAX_DATAPACKAGE:
            raise ValueError("datapackage.json too large")
        data = zf.read(info)
        package = json.loads(data.decode("utf-8"))
        if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
            raise ValueError("no resources list")
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise refuse("wacz_invalid", detail=str(exc)[:160]) from exc
    digest_file = "datapackage-digest.json"
    if digest_file in zf.namelist():
        try:
            stated = json.loads(zf.read(digest_file).decode("utf-8")).get("hash", "")
        except ValueError as exc:
            raise refuse("wacz_invalid", detail=str(exc)[:160]) from exc
        if stated and stated != "sha256:" + hashlib.sha256(data).hexdigest():
            raise refuse("wacz_digest", name="datapackage.json")
    return package


def _check_digests(zf: zipfile.ZipFile, package: dict[str, Any]) -> int:
    checked = 0
    names = set(zf.namelist())
    for resource in package["resources"]:
        if not isinstance(resource, dict):
            raise refuse("wacz_invalid", detail="bad resource entry")
        name, stated = str(resource.get("path", "")), str(resource.get("hash", ""))
        if name not in names:
            raise refuse("wacz_missing", name=name[:120])
        algorithm, _sep, value = stated.partition(":")
        if algorithm not in ("sha256", "md5", "sha1"):
            raise refuse("wacz_invalid", detail=f"unsupported hash for {name[:120]}")
        digest = hashlib.new(algorithm)
        size = 0
        try:
            with zf.open(name) as fh:
                while chunk := fh.read(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # CRC errors, truncation
            raise refuse("truncated", detail=str(exc)[:160]) from exc
        if digest.hexdigest() != value.lower() or (
            "bytes" in resource and resource["bytes"] != size
        ):
            raise refuse("wacz_digest", name=name[:120])
        checked += 1
    return checked


def _first_page(zf: zipfile.ZipFile) -> tuple[str, str]:
    """The first page of pages/pages.jsonl (its first line is a header)."""
    try:
        with zf.open("pages/pages.jsonl") as fh:
            for _ in range(1000):
                line = fh.readline(1024 * 1024)
                if not line:
                    break
                entry = json.loads(line)
                if isinstance(entry, dict) and entry.get("url"):
                    return str(entry["url"]), str(entry.get("title", ""))[:300]
    except (KeyError, ValueError):
        pass
    return "", ""


# --- MHTML -----------------------------------------------------------------------------------


def _read_mhtml(path: Path) -> Provenance:
    if path.stat().st_size > MAX_MHTML_PARSE:
        raise refuse("too_large_to_read", limit=MAX_MHTML_PARSE)
    with open(path, "rb") as fh:
        message = email.message_from_binary_file(fh, policy=email.policy.default)
    if message.get_content_type() != "multipart/related":
        raise IntakeRefused("intake.archive_not_mhtml")
    prov = Provenance("mhtml")
    prov.target_url = str(message.get("Snapshot-Content-Location", "") or "")
    prov.title = " ".join(str(message.get("Subject", "") or "").split())[:300]
    date = message.get("Date")
    if date is not None and getattr(date, "datetime", None) is not None:
        prov.capture_time = date.datetime.isoformat()
    parts = list(message.iter_parts())  # type: ignore[attr-defined]
    prov.records = len(parts)
    for part in parts:
        if part.get_content_type() == "text/html":
            if not prov.target_url:
                prov.target_url = str(part.get("Content-Location", "") or "")
            if not prov.title:
                body: Any = part.get_payload(decode=True)
                if isinstance(body, bytes):
                    prov.title = _title(body[: 2 * 1024 * 1024], str(part.get("Content-Type", "")))
            break
    return prov
