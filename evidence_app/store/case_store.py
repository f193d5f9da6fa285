"""The embedded case store: ``NAME.evcase/`` = ``case.sqlite`` + ``blobs/`` + ``thumbs/``.

SQLite in WAL mode holds the case data as one JSON document per entity (complainant, filer,
statement, each target, each evidence item) and the custody log. Every change runs in one
transaction together with its custody entry, so the log and the data never disagree, and a
crash at any moment leaves either the old or the new state. Blobs are committed to disk
before the transaction that references them; a crash in between leaves an unreferenced blob,
which is harmless and reported by ``audit`` as such.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import json
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app import model
from evidence_app.errors import StoreError
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.model import Case, Complainant, EvidenceItem, Filer, Statement, Target
from evidence_app.store.blobs import BlobStore, StagedBlob
from evidence_app.store.custody import GENESIS, CustodyEntry, state_hash, verify_chain

SCHEMA_VERSION = 1
CASE_SUFFIX = ".evcase"
DB_NAME = "case.sqlite"
EXPORT_WORK_DIR = ".export-tmp"  # private work folder of a running export

Clock = Callable[[], _dt.datetime]


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def iso(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one moment (tests, reproducible output). Unlike a lambda it can be
    pickled, so it can travel with a job to the helper process."""

    at: _dt.datetime

    def __call__(self) -> _dt.datetime:
        return self.at


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still record something
        return "unknown"


# Each migration takes the schema from version N-1 to N. Append, never edit.
_MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE case_info (key TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE targets (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX evidence_sha ON evidence(sha256);
    CREATE TABLE custody (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    """,
]

# Singleton case sections stored in case_info, with their model classes.
_SECTIONS: dict[str, type] = {
    "complainant": Complainant,
    "filer": Filer,
    "statement": Statement,
}


@dataclass
class AuditProblem:
    key: str  # message key, e.g. audit.blob_mismatch
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class AuditReport:
    entries: int = 0
    blobs_checked: int = 0
    bytes_checked: int = 0
    problems: list[AuditProblem] = field(default_factory=list)
    notes: list[AuditProblem] = field(default_factory=list)  # harmless findings
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def case_path(path: str | os.PathLike[str]) -> Path:
    """Normalise a case argument: ``foo`` and ``foo.evcase`` both mean ``foo.evcase/``."""
    p = Path(path)
    return p if p.suffix == CASE_SUFFIX else p.with_name(p.name + CASE_SUFFIX)


class CaseStore:
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
            conn = sqlite3.connect(root / DB_NAME, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(root, conn, clock, actor or default_actor())
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError("store.corrupt", path=str(root), detail=str(exc)) from exc
        return store

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError("store.too_new", version=version, supported=SCHEMA_VERSION)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._tx():
                for statement in _MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version={target}")

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
        item.sm3 = staged.sm3
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
                    "sm3": item.sm3,
                    "size": item.size,
                    "name": item.original_name,
                    "state": state_hash(data),
                },
            )
        return item

    def update_evidence(
        self,
        item: EvidenceItem,
        *,
        action: str = "evidence.update",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Change an exhibit's description (title, kind, fields, links, redactions, trusted
        timestamps). ``action`` and ``details`` name the change in the custody log when it is
        more than an edit (a timestamp token attached: what it says is logged beside it).

        The stored original and its hashes cannot change: a different file is a new exhibit.
        """
        with self._tx():
            row = self._conn.execute(
                "SELECT sha256, data FROM evidence WHERE id=?", (item.id,)
            ).fetchone()
            if row is None:
                raise StoreError("store.no_such_evidence", id=item.id)
            if row[0] != item.sha256 or (json.loads(row[1]).get("sm3") or "") != item.sm3:
                raise StoreError("store.original_immutable", id=item.id)
            data = model.to_dict(item)
            try:
                self._conn.execute(
                    "UPDATE evidence SET number=?, data=? WHERE id=?",
                    (item.number, json.dumps(data, ensure_ascii=False), item.id),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError("store.duplicate_exhibit", number=item.number) from exc
            self._append(
                action, f"evidence:{item.id}", {**(details or {}), "state": state_hash(data)}
            )

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
        re-hash every blob the case refers to."""
        report = AuditReport()
        entries = self.custody_log()
        report.entries = len(entries)
        report.head = entries[-1].hash if entries else GENESIS
        broken = verify_chain(entries)
        if broken is not None:
            report.problems.append(
                AuditProblem(f"audit.chain_{broken.reason}", {"seq": broken.seq})
            )

        # The last logged state of each subject must match what is stored now.
        last_state: dict[str, Any] = {}
        for entry in entries:
            if "state" in entry.details:
                last_state[entry.subject] = entry.details["state"]
        with self._lock:
            current: dict[str, Any] = {}
            for key in ("title", "complainant", "filer", "statement", "follow_ups", "channel"):
                value = self._get_info(key)
                if value is not None:
                    current[key] = value
            for tid, raw in self._conn.execute("SELECT id, data FROM targets"):
                current[f"target:{tid}"] = json.loads(raw)
            evidence_rows = self._conn.execute("SELECT id, sha256, data FROM evidence").fetchall()
            for eid, _sha, raw in evidence_rows:
                current[f"evidence:{eid}"] = json.loads(raw)
        for subject, value in sorted(current.items()):
            logged = last_state.get(subject)
            if logged is None or logged != state_hash(value):
                report.problems.append(AuditProblem("audit.record_changed", {"subject": subject}))
        for subject, logged in sorted(last_state.items()):
            if logged is not None and subject not in current and subject != "case":
                report.problems.append(AuditProblem("audit.record_missing", {"subject": subject}))

        total = len(evidence_rows)
        referenced: set[str] = set()
        for done, (eid, sha, raw) in enumerate(evidence_rows, start=1):
            cancel.raise_if_cancelled()
            referenced.add(sha)
            record = json.loads(raw)
            number = record.get("number")
            path = self.blobs.path_for(sha)
            if not path.is_file():
                report.problems.append(
                    AuditProblem("audit.blob_missing", {"number": number, "sha256": sha})
                )
            elif not self.blobs.verify(sha, cancel, sm3=record.get("sm3") or ""):
                report.problems.append(
                    AuditProblem("audit.blob_mismatch", {"number": number, "sha256": sha})
                )
            else:
                report.blobs_checked += 1
                report.bytes_checked += path.stat().st_size
            progress(done, total, eid)
        # Timestamp replies and their trust anchors are blobs too (exhibits' tokens, and the
        # tokens over exported manifests that only the log names).
        attached = {
            (t.get(k), row_number)
            for _eid, _sha, raw in evidence_rows
            for row_number in [json.loads(raw).get("number")]
            for t in json.loads(raw).get("timestamps") or []
            for k in ("token_sha256", "root_sha256")
        }
        attached |= {
            (e.details.get(k), None)
            for e in entries
            if e.action == "timestamp.manifest"
            for k in ("token_sha256", "root_sha256")
        }
        for sha, number in sorted(attached, key=lambda a: str(a)):
            if not isinstance(sha, str) or sha in referenced:
                continue
            referenced.add(sha)
            if not self.blobs.verify(sha, cancel):
                report.problems.append(
                    AuditProblem("audit.timestamp_blob", {"number": number or "-", "sha256": sha})
                )
        orphans = [d for d in self.blobs.all_digests() if d not in referenced]
        if orphans:
            report.notes.append(AuditProblem("audit.orphan_blobs", {"count": len(orphans)}))
        return report
