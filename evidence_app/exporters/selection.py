"""Export part of a case: the targets the user picked and the evidence that concerns them.

A complaint often goes to one platform about one account while the case holds several.
The selection keeps the chosen targets, every exhibit linked to at least one of them, and
every exhibit linked to no target at all (the company's licence, the authorisation, the
truth guarantee: they support every complaint). Exhibit numbers are kept as they are in the
case — the statement may cite "证据 5", and the packet's 证据 5 must be the case's — so a
selection can leave gaps in the numbering; the evidence index lists what is included.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from evidence_app.errors import UsageError
from evidence_app.model import Case


def select_targets(case: Case, target_ids: Sequence[str] | None) -> Case:
    """A copy of ``case`` reduced to ``target_ids`` (``None`` or all of them: the whole case).
    Unknown ids are refused; an empty selection is refused (a complaint needs a target)."""
    if target_ids is None:
        return case
    wanted = list(dict.fromkeys(target_ids))
    known = {t.id for t in case.targets}
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UsageError("export.unknown_target", ids=", ".join(unknown))
    if not wanted and case.targets:
        raise UsageError("export.no_target_selected")
    if set(wanted) == known:
        return case
    chosen = set(wanted)
    subset = copy.deepcopy(case)
    subset.targets = [t for t in subset.targets if t.id in chosen]
    kept = []
    for item in subset.evidence:
        if not item.target_ids:
            kept.append(item)
        elif chosen.intersection(item.target_ids):
            item.target_ids = [t for t in item.target_ids if t in chosen]
            kept.append(item)
    subset.evidence = kept
    return subset


def channel_targets(case: Case, channel: str | None) -> list[str]:
    """The targets a channel's complaint is about by default: for a CAC zone (and the generic
    profile) every target; for a platform the targets on that platform (by the target's
    platform text, or its URL's host when the text names no known platform). A platform with
    none of the case's targets is refused: its complaint would be about nothing."""
    from evidence_app.channels import get_profile

    profile = get_profile(channel)
    if profile.kind != "platform":
        return [t.id for t in case.targets]
    ids = [t.id for t in case.targets if profile.takes(t.platform, t.url)]
    if case.targets and not ids:
        raise UsageError("export.no_target_on_channel", channel=profile.name())
    return ids


def select_for_channel(
    case: Case, channel: str | None, target_ids: Sequence[str] | None = None
) -> Case:
    """The part of ``case`` that goes to ``channel`` (a profile id; default: the case's):
    ``target_ids`` when the user picked them, else the channel's own targets; the copy
    names the channel it goes to (``case.channel``), so the PDF, the manifest, the forms and
    the custody entry of this export all say the same, whatever an earlier export used."""
    from evidence_app.channels import get_profile

    profile = get_profile(channel or case.channel)
    if channel and channel not in (profile.id,):
        profile = get_profile(channel, strict=True)
    chosen = list(target_ids) if target_ids is not None else channel_targets(case, profile.id)
    selected = select_targets(case, chosen)
    if selected is case:
        selected = copy.deepcopy(case)
    # A case whose channel is free text (older cases) keeps it when no profile was chosen.
    if channel or profile.id != "generic" or not case.channel:
        selected.channel = profile.id
    return selected
