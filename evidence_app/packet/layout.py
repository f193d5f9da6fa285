"""Packet format 1: member names, naming of exhibits, and the limits a reader enforces.

See docs/packet-format.md. Member names are relative POSIX paths of at most two components:
the fixed top-level files, ``evidence/<name>``, ``forms/<name>`` and
``timestamps/<name>``. Anything else (absolute paths, ``..``, backslashes, drive letters,
control characters, directories) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evidence_app.errors import VerificationFailed
from evidence_app.model import EvidenceItem

FORMAT_NAME = "evidence-app-packet"
FORMAT_VERSION = 1
PACKET_SUFFIX = ".evpkt"
KEY_FILE_SUFFIX = ".key.age"  # the passphrase-protected identity beside a passphrase packet

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
COMPLAINT = "complaint.pdf"
CUSTODY = "custody.jsonl"
VERIFY_TXT = "VERIFY.txt"
EVIDENCE_DIR = "evidence"
FORMS_DIR = "forms"
TIMESTAMPS_DIR = "timestamps"  # RFC 3161 replies and their trust anchors
TOP_LEVEL = frozenset({MANIFEST, SIGNATURE, COMPLAINT, CUSTODY, VERIFY_TXT})
SIGNED_MEMBERS = (MANIFEST, SIGNATURE)  # the two members the manifest does not list

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/avif": "avif",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
    "text/plain": "txt",
    "application/wacz": "wacz",
    "multipart/related": "mhtml",
    "message/rfc822": "eml",
}


@dataclass(frozen=True)
class Limits:
    """What a reader accepts from a packet it did not make (hostile input)."""

    max_members: int = 10_000
    max_member_size: int = 64 * 1024**3
    max_total_size: int = 256 * 1024**3
    max_manifest_size: int = 16 * 1024 * 1024
    max_signature_size: int = 256 * 1024
    max_custody_size: int = 64 * 1024 * 1024
    max_name_bytes: int = 255


DEFAULT_LIMITS = Limits()


def packet_key_path(packet: str) -> str:
    return packet + KEY_FILE_SUFFIX


PREVIOUS_KEY_INFIX = ".prev-"


def previous_key_paths(packet: str) -> list[str]:
    """Hidden copies of a replaced key file (``.NAME.key.age.prev-*``) that a crash during a
    re-export may have left: one of them opens the packet still in place (see
    writer._put_in_place). A successful export removes them."""
    import glob

    key = Path(packet_key_path(packet))
    pattern = glob.escape(str(key.with_name(f".{key.name}{PREVIOUS_KEY_INFIX}"))) + "*"
    return sorted(glob.glob(pattern))


def safe_title(title: str, max_chars: int = 60) -> str:
    """A file-name-safe form of a title: NFC, no control or reserved characters, no path
    separators, no leading/trailing dots or spaces; Chinese is kept."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(
        ch
        for ch in text
        if unicodedata.category(ch)[0] != "C"  # controls, format chars (bidi overrides)
    )
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text[:max_chars].rstrip(" .") or "untitled"


def extension_for(item: EvidenceItem) -> str:
    if item.media_type == "application/warc":  # plain or gzip: the name says which
        return "warc.gz" if item.original_name.lower().endswith(".gz") else "warc"
    ext = _EXTENSIONS.get(item.media_type)
    if ext:
        return ext
    suffix = PurePosixPath(item.original_name.replace("\\", "/")).suffix.lower().lstrip(".")
    return suffix if re.fullmatch(r"[a-z0-9]{1,8}", suffix) else "bin"


def evidence_member(item: EvidenceItem) -> str:
    return f"{EVIDENCE_DIR}/{item.label}-{safe_title(item.title)}.{extension_for(item)}"


def check_member_name(name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse any member name a careless extractor could turn into a write outside its
    folder, or that format 1 does not define."""

    def bad(why: str) -> VerificationFailed:
        return VerificationFailed("packet.bad_member_name", name=_printable(name), why=why)

    if not name or len(name.encode("utf-8")) > limits.max_name_bytes:
        raise bad("length")
    if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
        raise bad("absolute")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise bad("control character")
    if unicodedata.normalize("NFC", name) != name:
        raise bad("not NFC")
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise bad("path traversal")
    if len(parts) == 1:
        if name not in TOP_LEVEL:
            raise bad("unknown top-level file")
    elif len(parts) == 2:
        if (
            parts[0] not in (EVIDENCE_DIR, FORMS_DIR, TIMESTAMPS_DIR)
            or parts[1].strip(" .") != parts[1]
        ):
            raise bad("unknown folder")
        if _UNSAFE.search(parts[1]):
            raise bad("reserved character")
    else:
        raise bad("too deep")


def _printable(name: str) -> str:
    """A member name safe to show: control characters made visible."""
    return "".join(ch if unicodedata.category(ch)[0] != "C" else f"\\x{ord(ch):02x}" for ch in name)
