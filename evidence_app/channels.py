"""Channel profiles: who receives a complaint, which targets it takes, what it requires, how
long it takes, and what its upload form accepts (data, not code; docs/upload-folder.md).

One JSON file per channel in ``resources/channels/``, validated against
``resources/schemas/channel.schema.json`` when loaded. Every fact carries either its source
(title, date, address of the public page) or the reason it is an assumption, so that the
product never passes a guess off as a platform rule. Channels do not publish their upload
limits, so the shipped limits are conservative assumptions (``limits_verified: false``). An
empty ``accept`` list means "no limits": files go as they are.

``case.channel`` holds a profile id; other text there (older cases, case.json written by
hand) is shown as it is and exported with the generic profile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any

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
class Fact:
    """One value of a profile with its provenance: ``source`` (title, date, url) or the
    ``assumption`` that stands in for one."""

    value: Any
    source: dict[str, str] | None = None
    assumption: str = ""

    @property
    def sourced(self) -> bool:
        return self.source is not None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Fact:
        return cls(data.get("value"), data.get("source"), data.get("assumption", ""))


@dataclass(frozen=True)
class Requirement:
    """A document the channel asks for; ``evidence_kind`` names the exhibit kind that meets it."""

    id: str
    evidence_kind: str
    texts: dict[str, str]
    fact: Fact

    def text(self, lang: str | None = None) -> str:
        return self.texts[normalise_language(lang or current_language())]


@dataclass(frozen=True)
class ChannelProfile:
    id: str
    version: int
    names: dict[str, str]
    notes: dict[str, str]
    limits_verified: bool
    max_files: int | None
    accept: tuple[AcceptRule, ...]
    kind: str = "generic"  # regulator | platform | generic
    addressee: Fact = Fact({"zh_CN": "受理机构", "en": "the receiving body"}, None, "unset")
    hosts: tuple[str, ...] = ()
    platform_names: tuple[str, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    facts: dict[str, Fact] = dataclass_field(default_factory=dict)

    @property
    def is_regulator(self) -> bool:
        return self.kind == "regulator"

    def addressee_name(self, lang: str | None = None) -> str:
        value = self.addressee.value
        return str(value[normalise_language(lang or current_language())])

    def processing_days(self) -> int | None:
        """Working days the channel takes to handle a complaint, when a source gives it."""
        fact = self.facts.get("processing_working_days")
        return fact.value if fact is not None and isinstance(fact.value, int) else None

    def takes(self, platform: str, url: str) -> bool:
        """Whether a target (its platform text and URL) belongs to this platform."""
        return platform_matches(self, platform, url)

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
    requirements = tuple(
        Requirement(r["id"], r["evidence_kind"], dict(r["text"]), Fact.parse(r))
        for r in data["requirements"]  # type: ignore[attr-defined]
    )
    facts = {
        key: Fact.parse(data[key])  # type: ignore[arg-type]
        for key in FACT_KEYS
    }
    return ChannelProfile(
        id=str(data["id"]),
        version=int(data["version"]),  # type: ignore[call-overload]
        names=dict(data["name"]),  # type: ignore[call-overload]
        notes=dict(data["note"]),  # type: ignore[call-overload]
        limits_verified=bool(data["limits_verified"]),
        max_files=data["max_files"],  # type: ignore[arg-type]
        accept=rules,
        kind=str(data["kind"]),
        addressee=Fact.parse(data["addressee"]),  # type: ignore[arg-type]
        hosts=tuple(data["hosts"]),  # type: ignore[arg-type]
        platform_names=tuple(data["platform_names"]),  # type: ignore[arg-type]
        requirements=requirements,
        facts=facts,
    )


FACT_KEYS = (
    "entry",
    "processing_working_days",
    "counter_notice_working_days",
    "notice_form",
    "limits",
)


def host_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def platform_matches(profile: ChannelProfile, platform: str, url: str) -> bool:
    """The target's platform text names the profile's platform, or its URL's host is one of
    the profile's hosts or a subdomain of one."""
    if platform.strip() and platform.strip() in profile.platform_names:
        return True
    host = host_of(url)
    return bool(host) and any(host == h or host.endswith("." + h) for h in profile.hosts)


def infer_platform(url: str, lang: str | None = None) -> str:
    """The platform a URL belongs to, as users name it (微博, 抖音 ...), or "" when no
    platform profile claims its host; the user can correct it."""
    host = host_of(url)
    if not host:
        return ""
    best: tuple[int, str] = (0, "")
    for profile in load_profiles().values():
        if profile.kind != "platform" or not profile.platform_names:
            continue
        for h in profile.hosts:
            if (host == h or host.endswith("." + h)) and len(h) > best[0]:
                best = (len(h), profile.platform_names[0])
    return best[1]


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
    # The national zone first, then the other CAC zones, the generic profile last, the
    # platforms by id between.
    order = sorted(
        profiles,
        key=lambda pid: (
            pid != REGULATOR,
            profiles[pid].kind != "regulator",
            pid == GENERIC,
            pid,
        ),
    )
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
