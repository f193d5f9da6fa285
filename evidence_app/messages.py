"""One type for everything the core has to say to a person: a message key and its
parameters. Problems, audit findings, bundle warnings, intake outcomes and the export
plan's objections are all :class:`Message`; the faces (CLI, desktop app) word them with
:func:`evidence_app.i18n.tr`, in the user's language, and nowhere else. Base floor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    key: str  # a key of resources/i18n/<domain>.<lang>.json
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}
