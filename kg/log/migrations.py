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


MIGRATIONS: list[Migration] = [
    ("0001_create_facts", _create_facts),
    ("0002_append_only_triggers", _append_only_triggers),
    ("0003_add_batch", _add_batch),
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
