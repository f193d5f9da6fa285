"""Channel profiles: what a reporting channel's upload form accepts (data, not code).

One JSON file per channel in ``resources/channels/``, validated against
``resources/schemas/channel.schema.json`` when loaded. Channels do not publish their upload
limits, so the shipped values are conservative assumptions (``limits_verified: false``) that
a legal team can edit. An empty ``accept`` list means "no limits": files go as they are.

``case.channel`` holds a profile id; other text there (older cases, case.json written by
hand) is shown as it is and exported with the generic profile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from evidence_app.errors import UsageError, ValidationError
from evidence_app.i18n import current_language, normalise_language
from evidence_app.resources import resource_path

GENERIC = "generic"
REGULATOR = "cac-12377"


@dataclass(frozen=True)
class AcceptRule:
    media_types: tuple[str, ...]
    max_bytes: int | None
    max_long_edge: int | None = None


@dataclass(frozen=True)
class ChannelProfile:
    id: str
    version: int
    names: dict[str, str]
    notes: dict[str, str]
    limits_verified: bool
    max_files: int | None
    accept: tuple[AcceptRule, ...]

    def name(self, lang: str | None = None) -> str:
        return self.names[normalise_language(lang or current_language())]

    def note(self, lang: str | None = None) -> str:
        return self.notes[normalise_language(lang or current_language())]

    @property
    def unlimited(self) -> bool:
        return not self.accept

    def rule_for(self, media_type: str) -> AcceptRule | None:
        """The rule that accepts ``media_type``, or None if the channel takes no such file."""
        return next((r for r in self.accept if media_type in r.media_types), None)


def _parse(data: dict[str, object], source: str) -> ChannelProfile:
    import jsonschema

    schema = json.loads(resource_path("schemas", "channel.schema.json").read_text("utf-8"))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise ValidationError(
            "channels.invalid", file=source, path=where, detail=exc.message
        ) from exc
    rules = tuple(
        AcceptRule(tuple(r["media_types"]), r["max_bytes"], r.get("max_long_edge"))
        for r in data["accept"]  # type: ignore[attr-defined]
    )
    return ChannelProfile(
        id=str(data["id"]),
        version=int(data["version"]),  # type: ignore[call-overload]
        names=dict(data["name"]),  # type: ignore[call-overload]
        notes=dict(data["note"]),  # type: ignore[call-overload]
        limits_verified=bool(data["limits_verified"]),
        max_files=data["max_files"],  # type: ignore[arg-type]
        accept=rules,
    )


@cache
def load_profiles() -> dict[str, ChannelProfile]:
    """Every shipped profile by id, in a stable order (generic last)."""
    profiles: dict[str, ChannelProfile] = {}
    for path in sorted(resource_path("channels").glob("*.json")):
        profile = _parse(json.loads(path.read_text("utf-8")), path.name)
        if profile.id != path.stem:
            raise ValidationError(
                "channels.invalid", file=path.name, path="id", detail="id must match file name"
            )
        profiles[profile.id] = profile
    # The regulator's zone first, the generic profile last, the platforms by id between.
    order = sorted(profiles, key=lambda pid: (pid != REGULATOR, pid == GENERIC, pid))
    return {pid: profiles[pid] for pid in order}


def get_profile(channel: str | None, *, strict: bool = False) -> ChannelProfile:
    """The profile for ``channel``; unknown text gives the generic profile (or, with
    ``strict``, a usage error listing the known ids — for the command line)."""
    profiles = load_profiles()
    if channel and channel in profiles:
        return profiles[channel]
    if strict and channel:
        raise UsageError("channels.unknown", channel=channel, known=", ".join(profiles))
    return profiles[GENERIC]


def display_name(channel: str | None, lang: str | None = None) -> str:
    """What to call ``case.channel`` in documents: the profile's name, or the text itself."""
    if not channel:
        return ""
    profiles = load_profiles()
    return profiles[channel].name(lang) if channel in profiles else channel
