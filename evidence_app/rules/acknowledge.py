"""Acknowledging an advisory with a reason, so that it no longer counts as open.

A (十七) advisory asks the user to judge whether the matter is a rights dispute; once they
have, and said why (e.g. "审计报告证明不存在欠薪，摘录为谣言原文"), the line stays visible with
the reason beside it but is no longer open. The duplicate-report guard, though required, may
be answered the same way (a re-report after a rejection, with new evidence). The reason goes
on the custody log (``CaseStore.acknowledge``) and travels in the packet with the case.
"""

from __future__ import annotations

from collections.abc import Iterable

from evidence_app.errors import EvidenceError
from evidence_app.model import Acknowledgement, Case
from evidence_app.rules.result import CheckItem, CheckResult

MIN_REASON = 4  # characters: a reason, not "ok"


class AcknowledgeError(EvidenceError):
    """The line cannot be acknowledged (unknown, not acknowledgeable, no real reason)."""


def acknowledgement(
    result: CheckResult, key: str, reason: str, *, at: str, by: str = ""
) -> Acknowledgement:
    """The acknowledgement of the line ``key`` of ``result``, checked; store it with
    ``CaseStore.acknowledge``."""
    item = result.item(key)
    if item is None:
        raise AcknowledgeError("rules.ack.unknown", line=key)
    if not item.acknowledgeable or item.status == "satisfied":
        raise AcknowledgeError("rules.ack.not_acknowledgeable", line=key)
    if len(reason.strip()) < MIN_REASON:
        raise AcknowledgeError("rules.ack.needs_reason", min=MIN_REASON)
    return Acknowledgement(key=key, reason=reason.strip(), at=at, by=by)


def apply(case: Case, items: Iterable[CheckItem]) -> None:
    """Mark the lines the case's acknowledgements answer (the latest one for a key wins).

    An acknowledgement whose line no longer appears simply stays in the case: if the line
    comes back (the same key), it is answered again.
    """
    latest = {a.key: a for a in case.acknowledgements}
    if not latest:
        return
    for item in items:
        ack = latest.get(item.key)
        if ack is not None and item.acknowledgeable and item.status != "satisfied":
            item.acknowledged = {"reason": ack.reason, "at": ack.at, "by": ack.by}
