"""One connection to the database that holds the fact log (cơ sở dữ liệu của sổ dữ kiện), the
same shape on every backend: the embedded SQLite file (``kg.log.sqlite``) or a PostgreSQL
server (``kg.log.postgres``), chosen by where it is — a file path, or a ``postgresql://`` URL.

The log, its migrations and the stores kept beside it in the same database (the service's
users, the rules' outcomes) talk to it through ``Database`` only, with ``?`` placeholders and
portable SQL; what differs (connecting, locking writers, errors, DDL types) lives in the
backend's module. Another store gets its own connection on the log's database with
``log.database.connect()`` (or ``kg.log.connect(target)``).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from kg.errors import LogError

URL_SCHEMES = ("postgresql://", "postgres://")

#: a named schema step: (name, step); the step gets the driver's own connection (``raw``)
Migration = tuple[str, Callable[[Any], None]]


def is_url(target: str | Path | None) -> bool:
    """Whether ``target`` names a PostgreSQL database (a URL) rather than a SQLite file."""
    return isinstance(target, str) and target.strip().lower().startswith(URL_SCHEMES)


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Database(ABC):
    """A connection to the log's database, shared by a process's threads.

    Every statement runs under one re-entrant lock, and ``write`` holds it for the whole
    transaction, so a thread never reads inside another thread's half-done write. Reads fetch
    every row at once: a half-read cursor would keep a read snapshot open (on SQLite it made a
    concurrent writer fail with "database is locked")."""

    dialect: str = ""
    #: bound parameters one statement may carry (multi-row INSERTs are cut to fit)
    max_params: int = 999
    #: the exceptions that mean "busy or cannot be written right now" (``log_busy``)
    busy_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.lock = threading.RLock()
        self._in_write = False

    # -- what a backend provides -----------------------------------------------------------

    @property
    @abstractmethod
    def raw(self) -> Any:
        """The driver's own connection (sqlite3 / psycopg), for migration steps."""

    @abstractmethod
    def _run(self, sql: str, args: Sequence[object]) -> list[tuple]:
        """Run one statement (``?`` placeholders) and fetch all its rows."""

    @abstractmethod
    def _begin(self, locks: Sequence[str]) -> None:
        """Start a write transaction that excludes every other writer of ``locks`` (names
        of what is written: jurisdiction codes, a migration ledger)."""

    @abstractmethod
    def hold(self, locks: Sequence[str]) -> None:
        """Inside a write transaction, also exclude other writers of ``locks`` until it ends."""

    @abstractmethod
    def connect(self) -> Database:
        """A new connection to the same database (for another store kept beside the log)."""

    @abstractmethod
    def has_table(self, name: str) -> bool:
        """Whether the database has table ``name`` (without creating anything)."""

    @abstractmethod
    def listen(self, channel: str, timeout: float) -> list[str]:
        """Wait at most ``timeout`` seconds for notifications on ``channel`` and return their
        payloads (at once when one comes). PostgreSQL: LISTEN on a connection of its own (made
        on the first call; notifications between calls are kept for the next); SQLite, which
        has none: sleeps ``timeout`` and returns [] — its readers poll."""

    @abstractmethod
    def notify(self, channel: str, payload: str = "") -> None:
        """Tell every listener of ``channel`` (PostgreSQL: ``pg_notify``, delivered when the
        current transaction commits; SQLite: nothing — its readers poll)."""

    @abstractmethod
    def close(self) -> None: ...

    # -- shared ------------------------------------------------------------------------------

    def execute(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        """Run ``sql`` (``?`` placeholders on every backend) and return all its rows."""
        with self.lock:
            return self._run(sql, args)

    def insert(self, sql: str, args: Sequence[object] = ()) -> int:
        """Run an ``INSERT ... RETURNING <id>`` and return the id."""
        return int(self.execute(sql, args)[0][0])

    @contextmanager
    def write(self, locks: Iterable[str] = ()) -> Iterator[None]:
        """One write transaction: everything inside commits together or not at all. A
        database busy past its timeout (another writer), or one that cannot be written, is
        ``LogError`` ``log_busy``: nothing was written, the caller may retry."""
        with self.lock, self.busy():
            if self._in_write:  # nested: part of the enclosing transaction
                yield
                return
            self._in_write = True
            try:
                self._begin(sorted(set(locks)))
                yield
            except BaseException:
                self._in_write = False
                self._rollback()
                raise
            self._in_write = False
            self._run("COMMIT", ())

    def _rollback(self) -> None:
        """Undo the open transaction; a connection already lost has nothing to undo, and the
        error that brought us here is the one to raise."""
        try:
            self._run("ROLLBACK", ())
        except self.busy_errors:
            pass

    @contextmanager
    def busy(self) -> Iterator[None]:
        """The backend's "locked / cannot write" errors as a clear, retryable ``LogError``."""
        try:
            yield
        except self.busy_errors as err:
            raise LogError(
                f"Sổ dữ kiện đang bận hoặc không ghi được ({err}); chưa ghi gì, hãy thử lại",
                f"The fact log is busy or cannot be written ({err}); nothing was written, "
                "retry",
                code="log_busy",
            ) from err

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
