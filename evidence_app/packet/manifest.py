"""manifest.json: what a packet contains, signed as exact bytes (see docs/packet-format.md).

Written as UTF-8 JSON (sorted keys, two-space indent, trailing newline). The reader parses it
strictly: valid UTF-8, no duplicate keys, the format name and version, and every file entry
with a legal unique path, a non-negative size and a lower-case SHA-256. An original's entry
also carries its SM3 (GB/T 32905) digest, for receivers who check with 国密 algorithms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from evidence_app import boundedjson
from evidence_app.errors import VerificationFailed
from evidence_app.packet import layout

_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass
class FileEntry:
    path: str
    size: int
    sha256: str
    sm3: str = ""  # originals only (evidence/...); absent from the JSON when empty

    def to_json_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": self.path, "size": self.size, "sha256": self.sha256}
        if self.sm3:
            entry["sm3"] = self.sm3
        return entry


@dataclass
class Manifest:
    files: list[FileEntry]
    created_at: str = ""
    app: dict[str, Any] = field(default_factory=dict)
    rule_packs: dict[str, Any] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    check: dict[str, Any] = field(default_factory=dict)
    custody: dict[str, Any] = field(default_factory=dict)
    format_version: int = layout.FORMAT_VERSION

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": layout.FORMAT_NAME,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "app": self.app,
            "rule_packs": self.rule_packs,
            "case": self.case,
            "check": self.check,
            "custody": self.custody,
            "files": [f.to_json_dict() for f in self.files],
        }

    def to_bytes(self) -> bytes:
        text = json.dumps(self.to_json_dict(), ensure_ascii=False, sort_keys=True, indent=2)
        return (text + "\n").encode("utf-8")

    def entry(self, path: str) -> FileEntry | None:
        return next((f for f in self.files if f.path == path), None)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _fail(why: str) -> VerificationFailed:
    return VerificationFailed("packet.manifest_invalid", why=why)


def parse_manifest(data: bytes, limits: layout.Limits = layout.DEFAULT_LIMITS) -> Manifest:
    if len(data) > limits.max_manifest_size:
        raise _fail("too large")
    try:
        # bounded: a re-signed manifest nested 100,000 deep is a named failure, not a crash
        raw = boundedjson.loads(data, object_pairs_hook=_no_duplicates)
    except boundedjson.JsonBoundsError as exc:
        raise _fail(f"{exc.reason} at {exc.path}: {exc.detail}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    if not isinstance(raw, dict) or raw.get("format") != layout.FORMAT_NAME:
        raise _fail("not an evidence packet manifest")
    version = raw.get("format_version")
    if version != layout.FORMAT_VERSION:
        raise VerificationFailed(
            "packet.unsupported_version", version=str(version), supported=layout.FORMAT_VERSION
        )
    files_raw = raw.get("files")
    if not isinstance(files_raw, list) or len(files_raw) > limits.max_members:
        raise _fail("files is not a list (or too long)")
    files: list[FileEntry] = []
    seen: set[str] = set()
    for item in files_raw:
        if not isinstance(item, dict) or set(item) - {"sm3"} != {"path", "size", "sha256"}:
            raise _fail("bad file entry")
        path, size, sha = item["path"], item["size"], item["sha256"]
        sm3 = item.get("sm3", "")
        if not isinstance(path, str) or path in layout.SIGNED_MEMBERS:
            raise _fail("bad file path")
        layout.check_member_name(path, limits)
        if path in seen:
            raise _fail(f"duplicate path {path}")
        seen.add(path)
        if type(size) is not int or not 0 <= size <= limits.max_member_size:
            raise _fail(f"bad size for {path}")
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            raise _fail(f"bad sha256 for {path}")
        if "sm3" in item and (not isinstance(sm3, str) or not _SHA.fullmatch(sm3)):
            raise _fail(f"bad sm3 for {path}")
        files.append(FileEntry(path, size, sha, sm3))
    for required in (layout.COMPLAINT, layout.CUSTODY, layout.VERIFY_TXT):
        if required not in seen:
            raise _fail(f"{required} not listed")
    sections: dict[str, dict[str, Any]] = {}
    for name in ("app", "rule_packs", "case", "check", "custody"):
        value = raw.get(name, {})
        if not isinstance(value, dict):
            raise _fail(f"{name} is not an object")
        sections[name] = value
    created = raw.get("created_at", "")
    return Manifest(
        files=files,
        created_at=created if isinstance(created, str) else "",
        format_version=version,
        **sections,
    )
