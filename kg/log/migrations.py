"""Named, ordered, transactional schema migrations of the SQLite fact log.

Each migration runs once, inside a transaction, and is recorded in ``_migrations``. Add new
ones at the end; never edit an applied one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = tuple[str, Callable[[sqlite3.Connection], None]]


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


def applied(conn: sqlite3.Connection, ledger: str = "_migrations") -> list[str]:
    _check_ledger(ledger)
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {ledger} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in conn.execute(f"SELECT name FROM {ledger} ORDER BY rowid")]


def _check_ledger(ledger: str) -> None:
    # The ledger name is code, never input; refuse anything that is not a plain identifier.
    if not ledger.replace("_", "").isalnum():
        raise ValueError(f"bad migration ledger name {ledger!r}")


def migrate(
    conn: sqlite3.Connection,
    migrations: list[Migration] | None = None,
    ledger: str = "_migrations",
) -> list[str]:
    """Apply pending ``migrations`` (default: the fact log's) in order, recording each in the
    ``ledger`` table; return the names applied now. Other stores in the same file (the
    service's users and audit) pass their own list and ledger."""
    done = set(applied(conn, ledger))
    ran = []
    for name, step in migrations if migrations is not None else MIGRATIONS:
        if name in done:
            continue
        # One transaction per migration; DDL included (the connection is in autocommit mode,
        # so BEGIN/COMMIT are ours, not the sqlite3 module's implicit ones).
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(
                f"INSERT INTO {ledger} (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        ran.append(name)
    return ran
