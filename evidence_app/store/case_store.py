"""The embedded case store: ``NAME.evcase/`` = ``case.sqlite`` + ``blobs/`` + ``thumbs/``.

SQLite in WAL mode holds the case data as one JSON document per entity (complainant, filer,
statement, each target, each evidence item) and the custody log. Every change runs in one
transaction together with its custody entry, so the log and the data never disagree, and a
crash at any moment leaves either the old or the new state. Blobs are committed to disk
before the transaction that references them; a crash in between leaves an unreferenced blob,
which is harmless and reported by ``audit`` as such.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evidence_app import model
from evidence_app.errors import StoreError
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.model import Case, Complainant, EvidenceItem, Filer, Statement, Target
from evidence_app.store.audit import AuditProblem, AuditReport, AuditSnapshot, run_audit
from evidence_app.store.blobs import BlobStore
from evidence_app.store.clock import Clock, FixedClock, default_actor, iso, utc_now
from evidence_app.store.custody import GENESIS, CustodyEntry, state_hash
from evidence_app.store.evidence_records import EvidenceRecords
from evidence_app.store.schema import DB_NAME, SCHEMA_VERSION, connect, migrate

CASE_SUFFIX = ".evcase"
EXPORT_WORK_DIR = ".export-tmp"  # private work folder of a running export

__all__ = [
    "CASE_SUFFIX",
    "DB_NAME",
    "EXPORT_WORK_DIR",
    "SCHEMA_VERSION",
    "AuditProblem",
    "AuditReport",
    "CaseStore",
    "Clock",
    "FixedClock",
    "case_path",
    "default_actor",
    "iso",
    "utc_now",
]


# Singleton case sections stored in case_info, with their model classes.
_SECTIONS: dict[str, type] = {
    "complainant": Complainant,
    "filer": Filer,
    "statement": Statement,
}


def case_path(path: str | os.PathLike[str]) -> Path:
    """Normalise a case argument: ``foo`` and ``foo.evcase`` both mean ``foo.evcase/``."""
    p = Path(path)
    return p if p.suffix == CASE_SUFFIX else p.with_name(p.name + CASE_SUFFIX)


class CaseStore(EvidenceRecords):
    """One open case. Thread-safe: one connection guarded by a lock (SQLite serialises writes
    anyway; reads are fast enough for thousands of items)."""

    def __init__(self, root: Path, conn: sqlite3.Connection, clock: Clock, actor: str) -> None:
        self.root = root
        self._conn = conn
        self._lock = threading.RLock()
        self.clock = clock
        self.actor = actor
        self.blobs = BlobStore(root / "blobs")
        self.thumbs_dir = root / "thumbs"

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        title: str = "",
        *,
        clock: Clock = utc_now,
        actor: str | None = None,
    ) -> CaseStore:
        root = case_path(path)
        if (root / DB_NAME).exists():
            raise StoreError("store.exists", path=str(root))
        root.mkdir(parents=True, exist_ok=True)
        (root / "blobs").mkdir(exist_ok=True)
        store = cls._connect(root, clock, actor)
        with store._tx():
            now = iso(clock())
            store._put_info("title", title)
            store._put_info("created_at", now)
            store._append("case.create", "case", {"schema": SCHEMA_VERSION})
            store._append("case.title", "title", {"state": state_hash(title)})
        return store

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: Clock = utc_now,
        actor: str | None = None,
        clean_up: bool = True,
    ) -> CaseStore:
        """Open an existing case. ``clean_up=False`` is for a second opener inside the same
        session (the desktop app's export helper process): leftovers may then belong to work
        the first opener is doing right now, so they are not touched."""
        root = case_path(path)
        if not (root / DB_NAME).is_file():
            raise StoreError("store.not_found", path=str(root))
        store = cls._connect(root, clock, actor)
        if clean_up:
            store.blobs.clean_staging()
            # An export killed mid-way may have left its plaintext work folder (complaint.pdf
            # before signing): evidence must not linger outside the store.
            shutil.rmtree(root / EXPORT_WORK_DIR, ignore_errors=True)
        return store

    @classmethod
    def _connect(cls, root: Path, clock: Clock, actor: str | None) -> CaseStore:
        try:
            conn = connect(root)
            store = cls(root, conn, clock, actor or default_actor())
            with store._lock:
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError("store.corrupt", path=str(root), detail=str(exc)) from exc
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[None]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    # --- custody log -------------------------------------------------------------------------

    def _append(self, action: str, subject: str, details: dict[str, Any]) -> CustodyEntry:
        row = self._conn.execute(
            "SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
        entry = CustodyEntry(
            seq=seq,
            at=iso(self.clock()),
            actor=self.actor,
            action=action,
            subject=subject,
            details=details,
            prev=prev,
        )
        entry.hash = entry.compute_hash()
        self._conn.execute(
            "INSERT INTO custody (seq, at, actor, action, subject, details, prev, hash)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.subject,
                json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
                entry.prev,
                entry.hash,
            ),
        )
        return entry

    def custody_log(self) -> list[CustodyEntry]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, at, actor, action, subject, details, prev, hash FROM custody"
                " ORDER BY seq"
            ).fetchall()
        return [
            CustodyEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7]) for r in rows
        ]

    def custody_head(self) -> str:
        with self._lock:
            row = self._conn.execute(
                "SELECT hash FROM custody ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else GENESIS

    # --- reading -----------------------------------------------------------------------------

    def _get_info(self, key: str) -> Any:
        row = self._conn.execute("SELECT data FROM case_info WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _put_info(self, key: str, value: Any) -> None:
        self._conn.execute(
            "INSERT INTO case_info (key, data) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET data=excluded.data",
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
        )

    def load(self) -> Case:
        """The whole case as one snapshot (consistent: read in one transaction)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                case = Case(
                    title=self._get_info("title") or "",
                    channel=self._get_info("channel") or "",
                    created_at=self._get_info("created_at") or "",
                    complainant=model.from_dict(Complainant, self._get_info("complainant")),
                    filer=model.from_dict(Filer, self._get_info("filer")),
                    statement=model.from_dict(Statement, self._get_info("statement")),
                    follow_ups=[
                        model.from_dict(model.FollowUp, f)
                        for f in (self._get_info("follow_ups") or [])
                    ],
                    targets=[
                        model.from_dict(Target, json.loads(r[0]))
                        for r in self._conn.execute("SELECT data FROM targets ORDER BY position")
                    ],
                    evidence=[
                        model.from_dict(EvidenceItem, json.loads(r[0]))
                        for r in self._conn.execute("SELECT data FROM evidence ORDER BY number")
                    ],
                )
            finally:
                self._conn.execute("COMMIT")
        return case

    def evidence_by_sha(self, sha256: str) -> EvidenceItem | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM evidence WHERE sha256=? ORDER BY number LIMIT 1", (sha256,)
            ).fetchone()
        return model.from_dict(EvidenceItem, json.loads(row[0])) if row else None

    def get_evidence(self, evidence_id: str) -> EvidenceItem:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM evidence WHERE id=?", (evidence_id,)
            ).fetchone()
        if row is None:
            raise StoreError("store.no_such_evidence", id=evidence_id)
        return model.from_dict(EvidenceItem, json.loads(row[0]))

    # --- writing case sections ---------------------------------------------------------------

    def set_title(self, title: str) -> None:
        with self._tx():
            self._put_info("title", title)
            self._append("case.title", "title", {"state": state_hash(title)})

    def set_channel(self, channel: str) -> None:
        with self._tx():
            self._put_info("channel", channel)
            self._append("case.channel", "channel", {"state": state_hash(channel)})

    def _set_section(self, key: str, value: Any) -> None:
        data = model.to_dict(value)
        with self._tx():
            self._put_info(key, data)
            self._append(f"{key}.update", key, {"state": state_hash(data)})

    def set_complainant(self, complainant: Complainant) -> None:
        self._set_section("complainant", complainant)

    def set_filer(self, filer: Filer) -> None:
        self._set_section("filer", filer)

    def set_statement(self, statement: Statement) -> None:
        self._set_section("statement", statement)

    def set_follow_ups(self, follow_ups: list[model.FollowUp]) -> None:
        self._set_section("follow_ups", follow_ups)

    # --- targets -----------------------------------------------------------------------------

    def add_target(self, target: Target) -> Target:
        with self._tx():
            if not target.id:
                ids = {r[0] for r in self._conn.execute("SELECT id FROM targets")}
                n = len(ids) + 1
                while f"T{n}" in ids:
                    n += 1
                target.id = f"T{n}"
            elif self._conn.execute("SELECT 1 FROM targets WHERE id=?", (target.id,)).fetchone():
                raise StoreError("store.duplicate_target", id=target.id)
            position = self._conn.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM targets")
            data = model.to_dict(target)
            self._conn.execute(
                "INSERT INTO targets (id, position, data) VALUES (?, ?, ?)",
                (target.id, position.fetchone()[0], json.dumps(data, ensure_ascii=False)),
            )
            self._append("target.add", f"target:{target.id}", {"state": state_hash(data)})
        return target

    def update_target(self, target: Target) -> None:
        data = model.to_dict(target)
        with self._tx():
            cur = self._conn.execute(
                "UPDATE targets SET data=? WHERE id=?",
                (json.dumps(data, ensure_ascii=False), target.id),
            )
            if cur.rowcount != 1:
                raise StoreError("store.no_such_target", id=target.id)
            self._append("target.update", f"target:{target.id}", {"state": state_hash(data)})

    def remove_target(self, target_id: str) -> None:
        with self._tx():
            cur = self._conn.execute("DELETE FROM targets WHERE id=?", (target_id,))
            if cur.rowcount != 1:
                raise StoreError("store.no_such_target", id=target_id)
            self._append("target.remove", f"target:{target_id}", {"state": None})
            # Unlink the target from evidence that pointed at it.
            for eid, raw in self._conn.execute("SELECT id, data FROM evidence").fetchall():
                item = json.loads(raw)
                if target_id in item.get("target_ids", []):
                    item["target_ids"] = [t for t in item["target_ids"] if t != target_id]
                    self._write_evidence_row(eid, item)
                    self._append("evidence.update", f"evidence:{eid}", {"state": state_hash(item)})

    def record_event(self, action: str, details: dict[str, Any]) -> None:
        """Log something that changes no data (an export, a verification)."""
        with self._tx():
            self._append(action, "case", details)

    def thumbnail_path(self, sha256: str) -> Path:
        return self.thumbs_dir / f"{sha256}.png"

    # --- audit -------------------------------------------------------------------------------

    def audit(
        self,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> AuditReport:
        """Walk the custody chain, compare every record with its last logged state, and
        re-hash every blob the case refers to (see :mod:`evidence_app.store.audit`)."""
        entries = self.custody_log()
        with self._lock:
            current: dict[str, Any] = {}
            for key in ("title", "complainant", "filer", "statement", "follow_ups", "channel"):
                value = self._get_info(key)
                if value is not None:
                    current[key] = value
            for tid, raw in self._conn.execute("SELECT id, data FROM targets"):
                current[f"target:{tid}"] = json.loads(raw)
            evidence: list[tuple[str, str, int | None]] = []
            for eid, sha, raw in self._conn.execute("SELECT id, sha256, data FROM evidence"):
                data = json.loads(raw)
                current[f"evidence:{eid}"] = data
                evidence.append((eid, sha, data.get("number")))
        return run_audit(AuditSnapshot(entries, current, evidence), self.blobs, progress, cancel)
