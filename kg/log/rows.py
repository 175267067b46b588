"""Rows of the SQLite fact log: the columns read, a row as a ``StoredFact``, the checks of a
fact before it is written, locked reads, and what a busy database becomes (``LogError``); and a
handle's scope (``Scope``: which jurisdiction's rows it sees)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from kg.errors import LogError
from kg.log.model import FACT_KINDS, Fact, Source, StoredFact
from kg.log.scope import LEGACY

COLUMNS = (
    "seq, kind, key, version, payload, source_doc, source_line, source_quote, "
    "submitted_by, submitted_at, as_of, content_hash, batch, jurisdiction"
)


@dataclass(frozen=True)
class Scope:
    """What a handle sees: its jurisdiction ``code`` and the codes of the rows that are that
    jurisdiction's (``code``, plus ``''`` — rows written before jurisdictions — when ``code``
    is the database's default); ``settled`` once the database has a default (it never
    changes after), so the scope need not be read again."""

    code: str
    rows: tuple[str, ...]
    settled: bool

    def where(self, alias: str = "") -> tuple[str, list[object]]:
        column = f"{alias}jurisdiction"
        if len(self.rows) == 1:
            return f"{column} = ?", list(self.rows)
        return f"{column} IN ({','.join('?' * len(self.rows))})", list(self.rows)


def scope_of(code: str, default: str | None) -> Scope:
    """The scope of jurisdiction ``code`` in a database whose default is ``default``."""
    rows = (code, LEGACY) if code == default else (code,)
    return Scope(code, rows, settled=default is not None)


def fetch_all(conn: sqlite3.Connection, lock: threading.Lock, sql: str,
              args: Sequence[object] = ()) -> list[tuple]:
    """Run a read under the writer's lock and fetch every row. A connection shared by a
    server's threads must not keep a half-read cursor (an open read snapshot): it made a
    concurrent ``BEGIN IMMEDIATE`` or INSERT fail with "database is locked"."""
    with lock:
        cursor = conn.execute(sql, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()


@contextmanager
def busy_is_log_error() -> Iterator[None]:
    """Another process holding the write lock past busy_timeout (or a full disk) is a clear,
    retryable error, not a crash: nothing of the batch was written."""
    try:
        yield
    except sqlite3.OperationalError as err:
        raise LogError(
            f"Sổ dữ kiện đang bận hoặc không ghi được ({err}); chưa ghi gì, hãy thử lại",
            f"The fact log is busy or cannot be written ({err}); nothing was written, retry",
            code="log_busy",
        ) from err


def check_fact(fact: Fact) -> None:
    if fact.kind not in FACT_KINDS:
        raise LogError(
            f"Loại dữ kiện không hợp lệ '{fact.kind}'",
            f"Unknown fact kind '{fact.kind}'",
            code="unknown_fact_kind",
            text=fact.kind,
        )
    if not fact.key or not isinstance(fact.key, str):
        raise LogError(
            "Dữ kiện thiếu khóa định danh", "Fact has no key", code="missing_key", text=str(fact)
        )
    if not isinstance(fact.payload, dict):
        raise LogError(
            "Nội dung dữ kiện phải là một đối tượng",
            "Fact payload must be an object",
            code="bad_payload",
            text=repr(fact.payload)[:200],
        )


def row_to_fact(row: tuple, scope: str) -> StoredFact:
    """A stored row as a fact of the ``scope`` it was read in (a legacy '' row read in the
    default jurisdiction is that jurisdiction's)."""
    (seq, kind, key, version, payload, doc, line, quote, by, at, as_of, digest, batch,
     _stamped) = row
    return StoredFact(
        seq=seq,
        kind=kind,
        key=key,
        version=version,
        payload=json.loads(payload),
        source=Source(doc, line, quote) if doc is not None else None,
        submitted_by=by,
        submitted_at=datetime.fromisoformat(at),
        as_of=date.fromisoformat(as_of) if as_of else None,
        content_hash=digest,
        batch=batch,
        jurisdiction=scope,
    )
