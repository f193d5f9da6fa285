"""The case database's schema and its migrations, and how a connection is opened.

``PRAGMA user_version`` holds the schema version; each migration takes the schema from
version N-1 to N inside one transaction. Append migrations, never edit one: a case written
by an older version must still open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from evidence_app.errors import StoreError

SCHEMA_VERSION = 1
DB_NAME = "case.sqlite"


# Each migration takes the schema from version N-1 to N. Append, never edit.
MIGRATIONS: list[str] = [
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


def connect(root: Path) -> sqlite3.Connection:
    """A connection to the case database: WAL, full fsync, a busy wait instead of an
    immediate "database is locked", autocommit (transactions are explicit)."""
    conn = sqlite3.connect(root / DB_NAME, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to :data:`SCHEMA_VERSION`; refuse a case from a newer version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError("store.too_new", version=version, supported=SCHEMA_VERSION)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={target}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
