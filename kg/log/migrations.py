"""Named, ordered, transactional schema migrations, recorded in a ledger table — the runner
shared by every backend and every store kept in the log's database (the service's tables, the
rules' outcomes), and the SQLite fact log's own migrations (PostgreSQL's are in
``kg.log.postgres``).

Each migration runs once, inside a write transaction, and is recorded in its ledger
(``_migrations`` for the log). Add new ones at the end; never edit an applied one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kg.log.db import Database

Migration = tuple[str, Callable[[Any], None]]  # the step gets the driver's connection (db.raw)


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
    # before jurisdictions: the default jurisdiction's, see kg.log.sqlite), the sequence
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


MIGRATIONS: list[Migration] = [
    ("0001_create_facts", _create_facts),
    ("0002_append_only_triggers", _append_only_triggers),
    ("0003_add_batch", _add_batch),
    ("0004_add_jurisdiction", _add_jurisdiction),
    ("0005_index_jurisdiction_seq", _index_jurisdiction_seq),
]


def applied(conn: sqlite3.Connection | Database, ledger: str = "_migrations") -> list[str]:
    """The names of the migrations recorded in ``ledger``, in the order they ran (the ledger
    is created if missing)."""
    db = _database(conn)
    _check_ledger(ledger)
    with db.write([f"ledger:{ledger}"]):
        db.execute(f"CREATE TABLE IF NOT EXISTS {ledger} "
                   "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    order = "rowid" if db.dialect == "sqlite" else "applied_at, name"
    return [row[0] for row in db.execute(f"SELECT name FROM {ledger} ORDER BY {order}")]


def _check_ledger(ledger: str) -> None:
    # The ledger name is code, never input; refuse anything that is not a plain identifier.
    if not ledger.replace("_", "").isalnum():
        raise ValueError(f"bad migration ledger name {ledger!r}")


def _database(conn: sqlite3.Connection | Database) -> Database:
    """A ``Database`` for ``conn`` (a raw sqlite3 connection in autocommit mode is wrapped)."""
    if isinstance(conn, Database):
        return conn
    from kg.log.sqlite import SqliteDatabase

    return SqliteDatabase.wrap(conn)


def migrate(
    conn: sqlite3.Connection | Database,
    migrations: list[Migration] | None = None,
    ledger: str = "_migrations",
) -> list[str]:
    """Apply pending ``migrations`` (default: the SQLite fact log's) in order, recording each
    in the ``ledger`` table; return the names applied now. Other stores in the same database
    (the service's users and audit, the rules' outcomes) pass their own list and ledger.

    Each migration is one write transaction, DDL included (both backends roll DDL back), that
    excludes other writers of the same ledger; the ledger is read again inside it, so two
    processes opening a new database at once apply each migration once."""
    db = _database(conn)
    done = set(applied(db, ledger))
    ran = []
    for name, step in migrations if migrations is not None else MIGRATIONS:
        if name in done:
            continue
        with db.write([f"ledger:{ledger}"]):
            if db.execute(f"SELECT 1 FROM {ledger} WHERE name = ?", (name,)):
                continue  # another process applied it meanwhile
            step(db.raw)
            db.execute(f"INSERT INTO {ledger} (name, applied_at) VALUES (?, ?)",
                       (name, datetime.now(UTC).isoformat(timespec="microseconds")))
        ran.append(name)
    return ran
