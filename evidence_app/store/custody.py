"""The hash-chained custody log (保管链).

Every change to a case appends one entry: sequence number, UTC time, actor, action, subject,
details (which include the SHA-256 of the subject's new state) and the previous entry's hash.
An entry's hash is the SHA-256 of its canonical JSON (sorted keys, no spaces, UTF-8) without
the ``hash`` field, so anyone can re-compute the chain from ``custody.jsonl`` alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def state_hash(value: Any) -> str:
    """SHA-256 of an entity's canonical JSON: recorded in the log, re-checked by audit."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


@dataclass
class CustodyEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any] = field(default_factory=dict)
    prev: str = GENESIS
    hash: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
            "prev": self.prev,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def to_json_line(self) -> str:
        return canonical_json({**self.body(), "hash": self.hash}).decode("utf-8")


@dataclass
class ChainBreak:
    seq: int
    reason: str  # "hash" (entry altered), "link" (prev mismatch), "sequence" (gap or reorder)


def verify_chain(entries: list[CustodyEntry]) -> ChainBreak | None:
    """The first broken entry of the chain, or None when it is intact."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return ChainBreak(entry.seq, "sequence")
        if entry.prev != prev:
            return ChainBreak(entry.seq, "link")
        if entry.compute_hash() != entry.hash:
            return ChainBreak(entry.seq, "hash")
        prev = entry.hash
    return None
