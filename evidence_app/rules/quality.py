"""Data quality as gaps: malformed fields, and captures that come from another host.

A date typed as ``2026/12/01 8:00`` or a URL without its scheme is marked red in the form, but
a form is not a check: the complaint would go out with a date the platform cannot read. So
every field the model's own validation refuses for its *format* (presence is the packs'
business) becomes a line naming the field, and a capture whose source URL is on another host
than its target's does not count for that target unless the user says why it belongs there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_app.model import Case, EvidenceItem, Problem, Target
from evidence_app.rules.sites import same_platform, site

# Problems that are not about a value's form: presence is checked by the packs' requirements
# (and the listed company's code by its own advisory), so reporting them again would double.
_NOT_FORMAT = frozenset({"validation.required", "validation.listed_needs_code"})
_INDEXED = re.compile(r"^(targets|evidence)\[(\d+)\](?:\.(.*))?$")


@dataclass(frozen=True)
class Malformed:
    """One malformed value: where it lives (case, a target, an exhibit) and its fix path."""

    scope: str  # "case", "target", "evidence"
    field: str  # the field's name for display: "target.published_at", "captured_at" ...
    fix_path: str
    value: str
    problem: str  # the validation message key
    target: Target | None = None
    evidence: EvidenceItem | None = None


def malformed_fields(case: Case, required_fields: dict[str, tuple[str, ...]]) -> list[Malformed]:
    """Every value of the case whose form is wrong.

    ``required_fields`` maps an evidence kind to its required fields: those are already
    reported by the exhibit's own completeness line, so they are left out here.
    """
    out: list[Malformed] = []
    for p in case.validate():
        if p.key in _NOT_FORMAT:
            continue
        found = _locate(case, p, required_fields)
        if found is not None:
            out.append(found)
    return out


def _locate(
    case: Case, p: Problem, required_fields: dict[str, tuple[str, ...]]
) -> Malformed | None:
    m = _INDEXED.match(p.path)
    if m is None:  # complainant.*, filer.*
        value = _read_dotted(case, p.path)
        return Malformed("case", re.sub(r"\[\d+\]", "", p.path), p.path, value, p.key)
    kind, index, rest = m.group(1), int(m.group(2)), m.group(3) or ""
    if kind == "targets":
        target = case.targets[index]
        value = str(getattr(target, rest, "")) if rest else ""
        return Malformed(
            "target",
            f"target.{rest}",
            f"targets.{target.id}.{rest}",
            value,
            p.key,
            target=target,
        )
    item = case.evidence[index]
    if rest.startswith("fields."):
        name = rest[len("fields.") :]
        if name in required_fields.get(item.kind.value, ()):
            return None  # the exhibit's completeness line names it already
        return Malformed(
            "evidence",
            name,
            f"evidence.{item.id}.{rest}",
            item.fields.get(name, ""),
            p.key,
            evidence=item,
        )
    # Not a field value: an unknown target id, a redaction outside the page.
    return Malformed(
        "evidence",
        rest.split("[")[0],
        f"evidence.{item.id}.{rest}",
        str(p.params.get("id", "")),
        p.key,
        evidence=item,
    )


def _read_dotted(case: Case, path: str) -> str:
    obj: object = case
    for part in re.split(r"\.", path):
        name, _, idx = part.partition("[")
        obj = getattr(obj, name, "")
        if idx:
            seq = obj if isinstance(obj, list) else []
            i = int(idx.rstrip("]"))
            obj = seq[i] if i < len(seq) else ""
    return obj if isinstance(obj, str) else ""


# --- the source of a capture --------------------------------------------------------------


@dataclass(frozen=True)
class HostMismatch:
    target: Target
    evidence: EvidenceItem
    source_site: str
    target_site: str


def host_mismatches(case: Case, kinds: tuple[str, ...]) -> list[HostMismatch]:
    """Exhibits of ``kinds`` linked to a target with a URL whose source URL is on another
    site, and that give no ``related_reason``. A target without URL (located otherwise) and
    an exhibit without a well-formed source URL are not compared: the first has nothing to
    compare with, the second is reported by its own field check."""
    out: list[HostMismatch] = []
    by_id = {t.id: t for t in case.targets}
    for e in case.evidence:
        if e.kind.value not in kinds or e.fields.get("related_reason", "").strip():
            continue
        source = site(e.fields.get("source_url", ""))
        if source is None:
            continue
        for tid in e.target_ids:
            target = by_id.get(tid)
            if target is None:
                continue
            wanted = site(target.url)
            if wanted is not None and not same_platform(wanted, source):
                out.append(HostMismatch(target, e, source, wanted))
    return out
