"""Named, ordered, transactional schema migrations, recorded in a ledger table: the runner
shared by every backend and every store kept in the log's database (the service's tables, the
rules' outcomes). The fact log's own migrations are its backend's (``kg.log.sqlite``,
``kg.log.postgres``); ``MIGRATIONS`` here is SQLite's, the default.

Each migration runs once, inside a write transaction, and is recorded in its ledger
(``_migrations`` for the log). Add new ones at the end; never edit an applied one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from kg.log.db import Database, Migration
from kg.log.sqlite import MIGRATIONS, SqliteDatabase

__all__ = ["MIGRATIONS", "Migration", "applied", "migrate"]

def applied(conn: sqlite3.Connection | Database, ledger: str = "_migrations") -> list[str]:
    """The names of the migrations recorded in ``ledger``, in the order they ran (the ledger
    is created if missing)."""
    db = _database(conn)
    _check_ledger(ledger)
    if not db.has_table(ledger):  # a write transaction only when there is something to write
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
    return conn if isinstance(conn, Database) else SqliteDatabase.wrap(conn)


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
