"""The embedded SQLite fact log: one file per office (WAL, synchronous=FULL, one transaction
per batch); the default backend. Everything SQLite-specific is here and in
``kg.log.migrations`` (its schema); the log itself is ``kg.log.base``."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from kg.errors import LogError
from kg.log.base import BaseFactLog
from kg.log.db import Database
from kg.log.migrations import MIGRATIONS

__all__ = ["SqliteDatabase", "SqliteFactLog", "fetch_all"]


class SqliteDatabase(Database):
    """A connection to a SQLite file in autocommit mode (``BEGIN``/``COMMIT`` are ours).
    A write transaction is ``BEGIN IMMEDIATE``: SQLite has one writer at a time per file, so
    the names a writer locks need no more; another process holding the write lock past
    ``busy_timeout`` is ``log_busy``."""

    dialect = "sqlite"
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

    def close(self) -> None:
        self._conn.close()


def open_failed(path: Path, err: Exception) -> LogError:
    return LogError(f"Không mở được cơ sở dữ liệu {path}: {err}",
                    f"Cannot open database {path}: {err}", code="log_open_failed")


class SqliteFactLog(BaseFactLog):
    """The fact log in one SQLite file (``path``), confined to one jurisdiction (see
    ``BaseFactLog``)."""

    MIGRATIONS = MIGRATIONS

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000,
                 jurisdiction: str | None = None) -> None:
        self.path = path
        db = SqliteDatabase(path, busy_timeout_ms)
        try:
            super().__init__(db, jurisdiction)
        except sqlite3.DatabaseError as err:  # not a database, or a broken one
            db.close()
            raise open_failed(path, err) from err
        except BaseException:
            db.close()
            raise


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
