"""The fact log on each backend, and the one place that picks a backend from where the
database is: a file path (SQLite, the embedded default) or a ``postgresql://`` URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kg.log.base import BaseFactLog
from kg.log.db import Database, is_url
from kg.log.sqlite import MIGRATIONS as SQLITE_MIGRATIONS
from kg.log.sqlite import SqliteDatabase, open_failed

__all__ = ["PostgresFactLog", "SqliteFactLog", "connect"]


class SqliteFactLog(BaseFactLog):
    """The fact log in one SQLite file (``path``), confined to one jurisdiction (see
    ``BaseFactLog``)."""

    MIGRATIONS = SQLITE_MIGRATIONS

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


class PostgresFactLog(BaseFactLog):
    """The fact log in a PostgreSQL database (``url``), confined to one jurisdiction (see
    ``BaseFactLog``)."""

    def __init__(self, url: str, jurisdiction: str | None = None,
                 lock_timeout_ms: int = 10_000) -> None:
        import psycopg

        from kg.log import postgres

        self.MIGRATIONS = postgres.MIGRATIONS
        db = postgres.PostgresDatabase(url, lock_timeout_ms)
        try:
            super().__init__(db, jurisdiction)
        except psycopg.Error as err:  # e.g. no right to create the tables
            db.close()
            raise postgres.open_failed(url, err) from err
        except BaseException:
            db.close()
            raise


def connect(target: str | Path) -> Database:
    """A connection to the database at ``target`` — a ``postgresql://`` URL (PostgreSQL) or a
    file path (SQLite, created with its folder if missing) — for a store kept beside the log."""
    if is_url(target):
        from kg.log.postgres import PostgresDatabase

        return PostgresDatabase(str(target).strip())
    return SqliteDatabase(Path(target).expanduser())
