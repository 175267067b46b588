"""The embedded SQLite fact log (WAL, synchronous=FULL, one transaction per batch)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from kg.errors import LogError, VersionConflict
from kg.log.migrations import migrate
from kg.log.model import FACT_KINDS, AppendOutcome, Fact, Source, StoredFact

_COLUMNS = (
    "seq, kind, key, version, payload, source_doc, source_line, source_quote, "
    "submitted_by, submitted_at, as_of, content_hash, batch"
)
_CHUNK = 400  # (kind, key) pairs per lookup query: 800 parameters, under SQLite's 999


class SqliteFactLog:
    """Append-only fact log in one SQLite file.

    Idempotent: a fact whose (kind, key) already has the same content as its latest version is
    a duplicate and writes nothing; changed content becomes a new version, never an overwrite.
    """

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            migrate(self._conn)
        except sqlite3.DatabaseError as err:
            raise LogError(
                f"Không mở được cơ sở dữ liệu {path}: {err}",
                f"Cannot open database {path}: {err}",
                code="log_open_failed",
            ) from err
        self._lock = threading.Lock()

    # -- writing -----------------------------------------------------------------------------

    def append(
        self,
        facts: Sequence[Fact],
        submitted_by: str = "system",
        batch: str | None = None,
        submitted_at: datetime | None = None,
    ) -> list[AppendOutcome]:
        """Record ``facts`` in one transaction: all of them or none (one commit, one fsync,
        however many facts: group a stream into batches to write fast). A fact's ``replaces``
        precondition is checked inside that transaction, so it holds across processes."""
        for fact in facts:
            _check(fact)
        when = (submitted_at or datetime.now(UTC)).isoformat()
        outcomes: list[AppendOutcome] = []
        with self._lock, _busy_is_log_error():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                latest = self._latest({(f.kind, f.key) for f in facts})
                for fact in facts:
                    outcome = self._append_one(fact, latest.get((fact.kind, fact.key)),
                                               submitted_by, when, batch)
                    latest[(fact.kind, fact.key)] = outcome.fact
                    outcomes.append(outcome)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return outcomes

    def _latest(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], StoredFact]:
        """The latest stored version of each (kind, key): one query per chunk of keys, not
        one per fact (inside the append's transaction)."""
        found: dict[tuple[str, str], StoredFact] = {}
        pairs = sorted(keys)
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start:start + _CHUNK]
            values = ",".join("(?,?)" for _ in chunk)
            rows = self._conn.execute(
                f"WITH wanted(kind, key) AS (VALUES {values}) "
                f"SELECT {_COLUMNS} FROM facts f WHERE (kind, key) IN wanted AND version = "
                "(SELECT MAX(version) FROM facts g WHERE g.kind=f.kind AND g.key=f.key)",
                [item for pair in chunk for item in pair],
            ).fetchall()
            for row in rows:
                found[(row[1], row[2])] = _row_to_fact(row)
        return found

    def _append_one(
        self, fact: Fact, latest: StoredFact | None, submitted_by: str, when: str,
        batch: str | None,
    ) -> AppendOutcome:
        if fact.replaces is not None and (latest.version if latest else 0) != fact.replaces:
            raise VersionConflict(fact.kind, fact.key, fact.replaces, latest)
        payload, digest = fact.serialized()
        if latest is not None and latest.content_hash == digest:
            return AppendOutcome("duplicate", latest)
        version = 1 if latest is None else latest.version + 1
        src = fact.source
        cursor = self._conn.execute(
            "INSERT INTO facts (kind, key, version, payload, source_doc, source_line, "
            "source_quote, submitted_by, submitted_at, as_of, content_hash, batch) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                fact.kind,
                fact.key,
                version,
                payload,
                src.doc if src else None,
                src.line if src else None,
                src.quote if src else None,
                submitted_by,
                when,
                fact.as_of.isoformat() if fact.as_of else None,
                digest,
                batch,
            ),
        )
        stored = StoredFact(
            seq=int(cursor.lastrowid or 0),
            kind=fact.kind,
            key=fact.key,
            version=version,
            payload=json.loads(payload),
            source=src,
            submitted_by=submitted_by,
            submitted_at=datetime.fromisoformat(when),
            as_of=fact.as_of,
            content_hash=digest,
            batch=batch,
        )
        return AppendOutcome("new" if version == 1 else "version", stored)

    # -- reading -----------------------------------------------------------------------------

    def read(self, kinds: Iterable[str] | None = None, after_seq: int = 0,
             upto_seq: int | None = None, skip_kinds: Iterable[str] = ()
             ) -> Iterator[StoredFact]:
        """Every version of every fact, in the order they were recorded (of ``kinds``, not
        of ``skip_kinds``, with ``after_seq`` < seq ≤ ``upto_seq``)."""
        sql, args = f"SELECT {_COLUMNS} FROM facts WHERE seq > ?", [after_seq]
        kinds = list(kinds) if kinds is not None else None
        if kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        skip = list(skip_kinds)
        if skip:
            sql += f" AND kind NOT IN ({','.join('?' * len(skip))})"
            args += skip
        if upto_seq is not None:
            sql += " AND seq <= ?"
            args.append(upto_seq)
        for row in self._rows(sql + " ORDER BY seq", args):
            yield _row_to_fact(row)

    def current(self, kind: str) -> list[StoredFact]:
        """The latest version of each key of ``kind``, in first-recorded order."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM facts f WHERE kind=? AND version = "
            "(SELECT MAX(version) FROM facts g WHERE g.kind=f.kind AND g.key=f.key) ORDER BY seq",
            (kind,),
        )
        return [_row_to_fact(row) for row in rows]

    def get(self, kind: str, key: str) -> StoredFact | None:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM facts WHERE kind=? AND key=? ORDER BY version DESC LIMIT 1",
            (kind, key),
        )
        return _row_to_fact(rows[0]) if rows else None

    def history(self, kind: str, key: str) -> list[StoredFact]:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM facts WHERE kind=? AND key=? ORDER BY version", (kind, key)
        )
        return [_row_to_fact(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of distinct keys per kind (current facts, not versions)."""
        rows = self._rows("SELECT kind, COUNT(DISTINCT key) FROM facts GROUP BY kind")
        return {kind: n for kind, n in rows}

    def last_seq(self) -> int:
        return int(self._rows("SELECT COALESCE(MAX(seq), 0) FROM facts")[0][0])

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        return fetch_all(self._conn, self._lock, sql, args)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqliteFactLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
def _busy_is_log_error() -> Iterator[None]:
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


def _check(fact: Fact) -> None:
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


def _row_to_fact(row: tuple) -> StoredFact:
    (seq, kind, key, version, payload, doc, line, quote, by, at, as_of, digest, batch) = row
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
    )
