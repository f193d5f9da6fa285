"""Rules engine and rule packs: what each complaint still lacks, with the clause that asks for it.

Public API (other parts depend on exactly these names)::

    check_case(case, packs=None, *, today=None) -> CheckResult
    load_packs(ids=None) -> list[RulePack]          # default: every pack under resources/rules/
    load_pack_file(path) -> RulePack
    describe(item, lang=None) -> str                # one line in zh_CN or en
    acknowledgement(result, key, reason, at=...)    # a checked Acknowledgement, for
                                                    #   CaseStore.acknowledge
    reports_of(case, case_title="")                 # a case's submissions (PriorReport),
                                                    #   for check_case(prior_reports=...)
    overdue(case, today, reply_days=None)           # submissions past their deadline
    describe_step(escalation, lang=None) -> str     # the (十九) escalation step in words

Packs are data (resources/rules/*.json, schema resources/schemas/rulepack.schema.json); how to
write one is in docs/rule-packs.md, the JSON form of a result in docs/check-json.md.
"""

from evidence_app.rules.acknowledge import AcknowledgeError, acknowledgement
from evidence_app.rules.describe import describe, kind_name, message
from evidence_app.rules.duplicates import PriorReport, reports_of
from evidence_app.rules.engine import check_case
from evidence_app.rules.errors import RulePackError, UnknownPackError
from evidence_app.rules.escalation import Escalation, describe_step, overdue
from evidence_app.rules.loader import load_pack_file, load_packs
from evidence_app.rules.pack import RulePack
from evidence_app.rules.result import CheckItem, CheckResult

__all__ = [
    "AcknowledgeError",
    "CheckItem",
    "CheckResult",
    "Escalation",
    "PriorReport",
    "RulePack",
    "RulePackError",
    "UnknownPackError",
    "acknowledgement",
    "check_case",
    "describe",
    "describe_step",
    "kind_name",
    "load_pack_file",
    "load_packs",
    "message",
    "overdue",
    "reports_of",
]
