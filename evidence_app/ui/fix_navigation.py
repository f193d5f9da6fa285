"""Fix-link navigation: a readiness line's "fix" jumps to the form field or the kind of
evidence that satisfies it. Paths are parsed once, by the model's :class:`FieldPath`."""

from __future__ import annotations

from typing import Any

from evidence_app.fieldpath import FieldPath
from evidence_app.i18n import tr
from evidence_app.model import EvidenceKind
from evidence_app.ui.text import enum_name
from evidence_app.ui.window_parts import WindowParts


class FixNavigation(WindowParts):
    def go_to_fix(self, fix: dict[str, Any]) -> None:
        """Jump to what fixes a requirement: a form field, or the kind of evidence."""
        if self.session is None:
            return
        kind = fix.get("kind")
        if kind == "evidence":
            self.show_page("evidence")
            self.evidence_page.filter_kind(str(fix.get("evidence_kind") or ""))
            target_id = str(fix.get("target_id") or "")
            self.statusBar().showMessage(
                tr(
                    "ui.fix.add_evidence",
                    kind=self._kind_name(str(fix.get("evidence_kind") or "")),
                    target=target_id or "—",
                ),
                15000,
            )
            return
        if kind == "field":
            self.focus_path(str(fix.get("path") or ""))

    @staticmethod
    def _kind_name(kind: str) -> str:
        try:
            return enum_name(EvidenceKind(kind))
        except ValueError:
            return kind

    def focus_path(self, path: str) -> bool:
        """Show and focus the form field a path names, in either spelling
        (``targets[0].url`` or ``targets.T1.url``; see :class:`FieldPath`)."""
        case = self.session.case if self.session else None
        if case is None:
            return False
        where = FieldPath.parse(path)
        section, rest = where.section, where.field
        if section in ("complainant", "filer", "statement"):
            self.show_page(section)
            form = {
                "complainant": self.complainant_form,
                "filer": self.filer_form,
                "statement": self.statement_form,
            }[section]
            return form.focus_field(rest) if rest else True
        if section == "targets":
            if not where.key:
                self.show_page("targets")
                return True
            target = where.target(case)
            if target is None:
                return False
            self.show_page("targets", target.id)
            return self.targets_page.form.focus_field(rest) if rest else True
        if section == "evidence":
            item = where.evidence(case)
            if item is None:
                self.show_page("evidence")
                return not where.key
            self.show_evidence(item.id)
            return self.evidence_page.form.focus_field(rest) if rest else True
        return False
