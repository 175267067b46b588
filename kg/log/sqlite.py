"""The embedded SQLite backend of the fact log: one file per office (WAL, synchronous=FULL, one
transaction per batch); the default. Everything SQLite-specific is here — the connection, the
write lock, the errors and the schema (``MIGRATIONS``); the log itself is ``kg.log.base``
(``kg.log.backends.SqliteFactLog``)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from kg.errors import LogError
from kg.log.db import Database, Migration

__all__ = ["MIGRATIONS", "SqliteDatabase", "fetch_all"]


class SqliteDatabase(Database):
    """A connection to a SQLite file in autocommit mode (``BEGIN``/``COMMIT`` are ours).
    A write transaction is ``BEGIN IMMEDIATE``: SQLite has one writer at a time per file, so
    the names a writer locks need no more; another process holding the write lock past
    ``busy_timeout`` is ``log_busy``."""

    dialect = "sqlite"
    max_params = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
    busy_errors = (sqlite3.OperationalError,)

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000,
                 conn: sqlite3.Connection | None = None) -> None:
        super().__init__(path)
        self.busy_timeout_ms = busy_timeout_ms
        if conn is not None:
            self._conn = conn
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        except sqlite3.DatabaseError as err:
            raise open_failed(path, err) from err

    @classmethod
    def wrap(cls, conn: sqlite3.Connection) -> SqliteDatabase:
        """A ``Database`` over a sqlite3 connection opened elsewhere (autocommit mode)."""
        return cls(Path(""), conn=conn)

    @property
    def raw(self) -> sqlite3.Connection:
        return self._conn

    def _run(self, sql: str, args: Sequence[object]) -> list[tuple]:
        cursor = self._conn.execute(sql, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    def _begin(self, locks: Sequence[str]) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def hold(self, locks: Sequence[str]) -> None:
        """Nothing more to lock: ``BEGIN IMMEDIATE`` already excludes every other writer."""

    def connect(self) -> SqliteDatabase:
        return SqliteDatabase(Path(self.target), self.busy_timeout_ms)

    def has_table(self, name: str) -> bool:
        return bool(self.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                 (name,)))

    def listen(self, channel: str, timeout: float) -> list[str]:
        time.sleep(timeout)
        return []

    def notify(self, channel: str, payload: str = "") -> None:
        """SQLite has no notifications: readers poll the log's last seq."""

    def close(self) -> None:
        self._conn.close()


def open_failed(path: Path, err: Exception) -> LogError:
    return LogError(f"Không mở được cơ sở dữ liệu {path}: {err}",
                    f"Cannot open database {path}: {err}", code="log_open_failed")


def fetch_all(conn: sqlite3.Connection, lock: threading.Lock | threading.RLock, sql: str,
              args: Sequence[object] = ()) -> list[tuple]:
    """Run a read under the writer's lock and fetch every row (for stores that keep their own
    sqlite3 connection: a half-read cursor kept a read snapshot open and made a concurrent
    ``BEGIN IMMEDIATE`` fail with "database is locked")."""
    with lock:
        cursor = conn.execute(sql, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()


# -- the schema ---------------------------------------------------------------------------------

def _create_facts(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE facts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload TEXT NOT NULL,
            source_doc TEXT,
            source_line INTEGER,
            source_quote TEXT,
            submitted_by TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            as_of TEXT,
            content_hash TEXT NOT NULL,
            UNIQUE (kind, key, version)
        )
        """
    )
    conn.execute("CREATE INDEX facts_kind_key ON facts (kind, key, version)")
    conn.execute("CREATE INDEX facts_hash ON facts (kind, key, content_hash)")


def _append_only_triggers(conn: sqlite3.Connection) -> None:
    # The log is the system of record: the database itself refuses edits and deletes.
    conn.execute(
        "CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts "
        "BEGIN SELECT RAISE(ABORT, 'fact log is append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts "
        "BEGIN SELECT RAISE(ABORT, 'fact log is append-only'); END"
    )


def _add_batch(conn: sqlite3.Connection) -> None:
    # Client-supplied idempotency key of the write that brought the fact (API, import).
    conn.execute("ALTER TABLE facts ADD COLUMN batch TEXT")
    conn.execute("CREATE INDEX facts_batch ON facts (batch)")


_FACT_COLUMNS = ("seq, kind, key, version, payload, source_doc, source_line, source_quote, "
                 "submitted_by, submitted_at, as_of, content_hash, batch")


def _add_jurisdiction(conn: sqlite3.Connection) -> None:
    # A fact's identity becomes (jurisdiction, kind, key): the same key may exist in two
    # jurisdictions. SQLite cannot change a table's UNIQUE constraint, so the table is
    # rebuilt (its documented procedure): every row copied with its seq, in '' (written
    # before jurisdictions: the default jurisdiction's, see kg.log.base), the sequence
    # kept, the indexes and the append-only triggers made again.
    conn.execute(
        """
        CREATE TABLE facts_scoped (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            jurisdiction TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload TEXT NOT NULL,
            source_doc TEXT,
            source_line INTEGER,
            source_quote TEXT,
            submitted_by TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            as_of TEXT,
            content_hash TEXT NOT NULL,
            batch TEXT,
            UNIQUE (jurisdiction, kind, key, version)
        )
        """
    )
    conn.execute(f"INSERT INTO facts_scoped ({_FACT_COLUMNS}) "
                 f"SELECT {_FACT_COLUMNS} FROM facts ORDER BY seq")
    last = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='facts'").fetchone()
    conn.execute("DROP TABLE facts")  # its indexes and triggers go with it
    conn.execute("ALTER TABLE facts_scoped RENAME TO facts")
    if last is not None:  # never reuse a seq, even one of a rolled-back past
        conn.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name='facts'",
                     (last[0],))
    conn.execute("CREATE INDEX facts_batch ON facts (batch)")
    _append_only_triggers(conn)
    # The database's own settings (its default jurisdiction), each written once: the
    # jurisdiction legacy rows belong to must never move once facts were read as its.
    conn.execute("CREATE TABLE log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TRIGGER log_meta_no_update BEFORE UPDATE ON log_meta "
        "BEGIN SELECT RAISE(ABORT, 'log settings are written once'); END"
    )
    conn.execute(
        "CREATE TRIGGER log_meta_no_delete BEFORE DELETE ON log_meta "
        "BEGIN SELECT RAISE(ABORT, 'log settings are written once'); END"
    )


def _index_jurisdiction_seq(conn: sqlite3.Connection) -> None:
    # A jurisdiction's last seq and its facts after a seq (how every reader follows the log)
    # without scanning the other jurisdictions' rows.
    conn.execute("CREATE INDEX facts_jurisdiction_seq ON facts (jurisdiction, seq)")


_RULE_OUTPUTS = "kind IN ('alert', 'status_change')"


def _rule_outputs_out_of_facts(conn: sqlite3.Connection) -> None:
    # Alerts and status changes leave the log for the outcome store (rules.store): old rows of
    # them are moved, whole, to legacy_rule_outputs (same columns, append-only too). The one
    # place facts are deleted: facts_no_delete is dropped and made again inside this
    # migration's transaction, so no other statement ever runs without it.
    conn.execute("CREATE TABLE legacy_rule_outputs AS SELECT * FROM facts WHERE 0")
    conn.execute(f"INSERT INTO legacy_rule_outputs SELECT * FROM facts WHERE {_RULE_OUTPUTS} "
                 "ORDER BY seq")
    conn.execute("DROP TRIGGER facts_no_delete")
    conn.execute(f"DELETE FROM facts WHERE {_RULE_OUTPUTS}")
    _refuse(conn, "facts", "DELETE", "fact log is append-only")
    for op in ("UPDATE", "DELETE"):
        _refuse(conn, "legacy_rule_outputs", op, "fact log is append-only")


def _refuse(conn: sqlite3.Connection, table: str, op: str, why: str) -> None:
    conn.execute(f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                 f"BEGIN SELECT RAISE(ABORT, '{why}'); END")


MIGRATIONS: list[Migration] = [
    ("0001_create_facts", _create_facts),
    ("0002_append_only_triggers", _append_only_triggers),
    ("0003_add_batch", _add_batch),
    ("0004_add_jurisdiction", _add_jurisdiction),
    ("0005_index_jurisdiction_seq", _index_jurisdiction_seq),
    ("0006_rule_outputs_out_of_facts", _rule_outputs_out_of_facts),
]
