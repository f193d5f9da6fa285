"""The embedded case store: SQLite + content-addressed blobs + custody log."""

from evidence_app.store.case_store import AuditReport, CaseStore, case_path

__all__ = ["AuditReport", "CaseStore", "case_path"]
