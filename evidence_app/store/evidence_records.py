"""The case store's exhibits: adding one (its original committed first), changing its
description, withdrawing and restoring it. Each change runs in one transaction with its
custody entry. Part of :class:`evidence_app.store.case_store.CaseStore`."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from evidence_app import model
from evidence_app.errors import StoreError
from evidence_app.model import EvidenceItem
from evidence_app.store.blobs import BlobStore, StagedBlob
from evidence_app.store.clock import Clock, iso
from evidence_app.store.custody import CustodyEntry, state_hash


class EvidenceRecords:
    if TYPE_CHECKING:
        _conn: sqlite3.Connection
        _lock: threading.RLock
        clock: Clock
        blobs: BlobStore
        _tx: Callable[[], AbstractContextManager[None]]

        def _append(self, action: str, subject: str, details: dict[str, Any]) -> CustodyEntry: ...

    # --- evidence ----------------------------------------------------------------------------

    def _write_evidence_row(self, evidence_id: str, data: dict[str, Any]) -> None:
        self._conn.execute(
            "UPDATE evidence SET data=? WHERE id=?",
            (json.dumps(data, ensure_ascii=False), evidence_id),
        )

    def add_evidence(self, staged: StagedBlob, item: EvidenceItem) -> EvidenceItem:
        """Commit a staged blob and record it as a new exhibit, atomically with its log entry.

        ``item.sha256`` and ``item.size`` are taken from the staged blob; the exhibit number is
        the next free one unless ``item.number`` is set.
        """
        self.blobs.commit(staged)
        item.sha256 = staged.sha256
        item.size = staged.size
        item.id = item.id or "E" + uuid.uuid4().hex[:12]
        item.imported_at = item.imported_at or iso(self.clock())
        with self._tx():
            if not item.number:
                row = self._conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM evidence")
                item.number = row.fetchone()[0]
            data = self._insert_evidence(item)
            self._append(
                "evidence.import",
                f"evidence:{item.id}",
                {
                    "sha256": item.sha256,
                    "size": item.size,
                    "name": item.original_name,
                    "state": state_hash(data),
                },
            )
        return item

    def update_evidence(self, item: EvidenceItem) -> None:
        """Change an exhibit's description (title, kind, fields, links, redactions).

        The stored original and its hash cannot change: a different file is a new exhibit.
        """
        with self._tx():
            row = self._conn.execute(
                "SELECT sha256, number FROM evidence WHERE id=?", (item.id,)
            ).fetchone()
            if row is None:
                raise StoreError("store.no_such_evidence", id=item.id)
            if row[0] != item.sha256:
                raise StoreError("store.original_immutable", id=item.id)
            data = model.to_dict(item)
            try:
                self._conn.execute(
                    "UPDATE evidence SET number=?, data=? WHERE id=?",
                    (item.number, json.dumps(data, ensure_ascii=False), item.id),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError("store.duplicate_exhibit", number=item.number) from exc
            self._append("evidence.update", f"evidence:{item.id}", {"state": state_hash(data)})

    def remove_evidence(self, evidence_id: str) -> None:
        """Withdraw an exhibit from the case. Its blob stays (the log still refers to it)."""
        with self._tx():
            row = self._conn.execute(
                "SELECT sha256 FROM evidence WHERE id=?", (evidence_id,)
            ).fetchone()
            if row is None:
                raise StoreError("store.no_such_evidence", id=evidence_id)
            self._conn.execute("DELETE FROM evidence WHERE id=?", (evidence_id,))
            self._append(
                "evidence.remove", f"evidence:{evidence_id}", {"sha256": row[0], "state": None}
            )

    def _insert_evidence(self, item: EvidenceItem) -> dict[str, Any]:
        """Insert the exhibit's row (inside a transaction); its number must be free."""
        data = model.to_dict(item)
        try:
            self._conn.execute(
                "INSERT INTO evidence (id, number, sha256, data) VALUES (?, ?, ?, ?)",
                (item.id, item.number, item.sha256, json.dumps(data, ensure_ascii=False)),
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError("store.duplicate_exhibit", number=item.number) from exc
        return data

    def restore_evidence(self, item: EvidenceItem) -> None:
        """Put a withdrawn exhibit back, as it was (same id and number: undo of a removal).
        Its original must still be in the store, unaltered in size; a number taken since
        by another exhibit is refused."""
        path = self.blobs.path_for(item.sha256)
        if not path.is_file() or path.stat().st_size != item.size:
            raise StoreError("store.blob_gone", number=item.number, sha256=item.sha256)
        with self._tx():
            data = self._insert_evidence(item)
            self._append(
                "evidence.restore",
                f"evidence:{item.id}",
                {"sha256": item.sha256, "state": state_hash(data)},
            )
