"""Finding dispute phrases in context, for the (十七) advisories.

Single words (工资, 合同, 曝光, 消费者) flagged the demo's own rumour as a labour dispute and
"误导消费者" as a consumer dispute. So the packs list phrases (拖欠工资, 劳动仲裁, 合同纠纷),
and a phrase does not count where its clause denies it or reports it as someone else's claim
(从未拖欠工资, 谣传……拖欠工资, 拖欠工资一说纯属捏造). Each match keeps the clause it was found in,
so that the line shows the words the user has to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_app.rules.pack import KeywordGroup, KeywordTest

# A clause ends at sentence punctuation, a comma or a line break (ASCII and full width).
_CLAUSE_END = re.compile(r"[。！？!?；;，,\n]")
_SNIPPET = 40  # characters of a clause shown around a match


@dataclass(frozen=True)
class PhraseMatch:
    group: str
    phrase: str
    snippet: str  # the clause the phrase was found in, trimmed


def _clauses(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    for m in _CLAUSE_END.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


def _trim(clause: str, at: int, length: int) -> str:
    clause = clause.strip()
    if len(clause) <= _SNIPPET:
        return clause
    begin = max(0, min(at - (_SNIPPET - length) // 2, len(clause) - _SNIPPET))
    text = clause[begin : begin + _SNIPPET]
    return ("…" if begin else "") + text + ("…" if begin + _SNIPPET < len(clause) else "")


def _excluded(group: KeywordGroup, clause: str, at: int, phrase: str) -> bool:
    for longer in group.exclude:
        pos = clause.find(longer)
        while pos != -1:
            if pos <= at and at + len(phrase) <= pos + len(longer):
                return True
            pos = clause.find(longer, pos + 1)
    return False


def _negated(test: KeywordTest, clause: str, at: int, phrase: str) -> bool:
    """A longer negation anywhere before the phrase in its clause; a single character
    (无, 未, 不) only right before it — 无欠薪 is a denial, 无良老板拖欠工资 is not."""
    before = clause[:at]
    after = clause[at + len(phrase) :]
    for w in test.negations_before:
        if before.endswith(w) if len(w) == 1 else w in before:
            return True
    return any(w in after for w in test.negations_after)


def find(test: KeywordTest, text: str) -> list[PhraseMatch]:
    """The phrases of ``test`` that ``text`` asserts, one match per group and phrase."""
    found: list[PhraseMatch] = []
    seen: set[tuple[str, str]] = set()
    low = text.casefold()
    for offset, clause in _clauses(low):
        for group in test.groups:
            for phrase in group.words:
                p = phrase.casefold()
                at = clause.find(p)
                while at != -1:
                    if not _excluded(group, clause, at, p) and not _negated(test, clause, at, p):
                        if (group.id, phrase) not in seen:
                            seen.add((group.id, phrase))
                            original = text[offset : offset + len(clause)]
                            found.append(PhraseMatch(group.id, phrase, _trim(original, at, len(p))))
                        break
                    at = clause.find(p, at + 1)
    return found


def by_group(matches: list[PhraseMatch]) -> dict[str, list[PhraseMatch]]:
    out: dict[str, list[PhraseMatch]] = {}
    for m in matches:
        out.setdefault(m.group, []).append(m)
    return out
