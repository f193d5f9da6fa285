"""Rules engine and rule packs: what each complaint still lacks, with the clause that asks for it.

Public API (other parts depend on exactly these names)::

    check_case(case, packs=None, *, today=None) -> CheckResult
    load_packs(ids=None) -> list[RulePack]          # default: every pack under resources/rules/
    load_pack_file(path) -> RulePack
    describe(item, lang=None) -> str                # one line in zh_CN or en

Packs are data (resources/rules/*.json, schema resources/schemas/rulepack.schema.json); how to
write one is in docs/rule-packs.md, the JSON form of a result in docs/check-json.md.
"""

from evidence_app.rules.describe import describe, kind_name, message
from evidence_app.rules.engine import check_case
from evidence_app.rules.errors import RulePackError, UnknownPackError
from evidence_app.rules.loader import load_pack_file, load_packs
from evidence_app.rules.pack import RulePack
from evidence_app.rules.result import CheckItem, CheckResult

__all__ = [
    "CheckItem",
    "CheckResult",
    "RulePack",
    "RulePackError",
    "UnknownPackError",
    "check_case",
    "describe",
    "kind_name",
    "load_pack_file",
    "load_packs",
    "message",
]
