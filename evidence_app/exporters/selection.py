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
