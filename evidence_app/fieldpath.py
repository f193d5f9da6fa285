"""One grammar for "where in a case": the path a validation problem or a rule's fix names.

Two spellings reach the faces: validation paths index records by position
(``targets[0].url``, ``evidence[2].title``) and rule fix paths by id (``targets.T1.url``,
``evidence.E0123.fields.source_url``). Both parse into one :class:`FieldPath`, so a face
that jumps to a field, and a command that edits one, read the same thing. Model floor:
imports nothing above the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidence_app.model import Case, EvidenceItem, Target

#: Sections whose records are addressed by id or position.
RECORD_SECTIONS = ("targets", "evidence")


@dataclass(frozen=True)
class FieldPath:
    section: str  # "complainant", "filer", "statement", "targets", "evidence", ...
    key: str = ""  # record id ("T1") or position ("0"); "" when the section has no records
    field: str = ""  # the rest, possibly dotted ("fields.source_url"); "" for the record

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        """``targets[0].url`` / ``targets.T1.url`` → ("targets", "0" / "T1", "url");
        ``complainant.uscc`` → ("complainant", "", "uscc"); ``targets`` → ("targets", "", "")."""
        head, _, rest = text.strip().partition(".")
        if "[" in head:
            section, _, key = head.partition("[")
            return cls(section, key.rstrip("]"), rest)
        if head in RECORD_SECTIONS and rest:
            key, _, rest = rest.partition(".")
            return cls(head, key, rest)
        return cls(head, "", rest)

    def __str__(self) -> str:
        return ".".join(part for part in (self.section, self.key, self.field) if part)

    def target(self, case: Case) -> Target | None:
        """The target named by id, else by position; None if neither."""
        if self.section != "targets" or not self.key:
            return None
        found = case.target(self.key)
        if found is None and self.key.isdigit() and int(self.key) < len(case.targets):
            found = case.targets[int(self.key)]
        return found

    def evidence(self, case: Case) -> EvidenceItem | None:
        """The exhibit named by id, else by position; None if neither."""
        if self.section != "evidence" or not self.key:
            return None
        found = next((e for e in case.evidence if e.id == self.key), None)
        if found is None and self.key.isdigit() and int(self.key) < len(case.evidence):
            found = case.evidence[int(self.key)]
        return found
