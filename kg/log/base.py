"""What every fact log backend shares (sổ dữ kiện dùng chung cho mọi cơ sở dữ liệu): the
jurisdiction scoping, idempotent versioned appends with content hashes and ``replaces``
preconditions, and every read — written once, in portable SQL over ``kg.log.db.Database``.

A backend (``kg.log.sqlite``, ``kg.log.postgres``) only says how to connect, how writers are
excluded and which migrations make its schema (``kg.log.backends`` puts the two together);
both pass the same log test suite (tests/kg/test_log*.py).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Self

from kg.errors import LogError, VersionConflict
from kg.log.db import Database, Migration
from kg.log.migrations import migrate
from kg.log.model import AppendOutcome, Fact, StoredFact
from kg.log.rows import COLUMNS, Scope, check_fact, row_to_fact, scope_of
from kg.log.scope import LEGACY, check_code, chosen_jurisdiction

__all__ = ["BaseFactLog"]

_CHUNK = 400  # (kind, key) pairs per lookup query: 800 parameters, under SQLite's 999
_DEFAULT = "default_jurisdiction"  # log_meta row naming the database's default jurisdiction
_INSERTED = ("jurisdiction", "kind", "key", "version", "payload", "source_doc", "source_line",
             "source_quote", "submitted_by", "submitted_at", "as_of", "content_hash", "batch")
_ROW = f"({','.join('?' * len(_INSERTED))})"
_COLUMNS_F = ", ".join(f"f.{name.strip()}" for name in COLUMNS.split(","))


def _insert_values(row: StoredFact, payload: str) -> tuple[object, ...]:
    """``row``'s values in the order of ``_INSERTED``, ``payload`` the hashed JSON text."""
    src = row.source
    return (row.jurisdiction, row.kind, row.key, row.version, payload,
            src.doc if src else None, src.line if src else None, src.quote if src else None,
            row.submitted_by, row.submitted_at.isoformat(),
            row.as_of.isoformat() if row.as_of else None, row.content_hash, row.batch)


class BaseFactLog:
    """Append-only fact log in one database, confined to one jurisdiction.

    A fact's identity is (jurisdiction, kind, key): the handle reads and writes only its
    jurisdiction's facts (``jurisdiction``: the code given, else ``kg.log.scope``'s choice —
    the CLI option, ``$KEHOACH_JURISDICTION`` — else the database's default, else ``''``).
    Rows written before the log knew jurisdictions (``''``) are the default jurisdiction's;
    while the database has no default they are the ``''`` scope's (the legacy, unscoped log).

    Idempotent: a fact whose (kind, key) already has the same content as its latest version in
    the jurisdiction is a duplicate and writes nothing; changed content becomes a new version,
    never an overwrite. Append-only is the database's own rule (its triggers refuse UPDATE and
    DELETE of facts), not only this class's.
    """

    #: the backend's schema, applied on open (ledger ``_migrations``)
    MIGRATIONS: list[Migration] = []

    def __init__(self, db: Database, jurisdiction: str | None = None) -> None:
        self._asked = check_code(jurisdiction) if jurisdiction else chosen_jurisdiction()
        self._db = db
        migrate(db, self.MIGRATIONS)
        self._owner = True
        self._scope_cache = self._resolve(self._read_default())

    @property
    def database(self) -> Database:
        """The connection this log reads and writes through; ``database.connect()`` gives
        another store (the rules' outcomes, the service's tables) its own connection to the
        same database, ``database.dialect`` says which backend it is."""
        return self._db

    @property
    def target(self) -> Any:
        """Where the database is: the SQLite file's path or the PostgreSQL URL."""
        return self._db.target

    # -- jurisdiction --------------------------------------------------------------------------

    @property
    def jurisdiction(self) -> str:
        """The code of the jurisdiction this handle is confined to (``''``: unscoped legacy
        log, a database without a default jurisdiction)."""
        return self._scope().code

    @property
    def asked_jurisdiction(self) -> str | None:
        """The jurisdiction chosen for this handle (argument, CLI option, environment), None
        when it only follows the database's default."""
        return self._asked

    def within(self, jurisdiction: str) -> Self:
        """A handle on the same database (connection, lock) confined to ``jurisdiction``;
        closing it leaves this one open."""
        view = copy.copy(self)
        view._owner = False
        view._asked = check_code(jurisdiction)
        view._scope_cache = view._resolve(self.default_jurisdiction())
        return view

    def default_jurisdiction(self) -> str | None:
        """The database's default jurisdiction (set once, by the first dataset load or
        ``set_default_jurisdiction``), None when none is set."""
        with self._db.lock:
            return self._read_default()

    def set_default_jurisdiction(self, code: str) -> None:
        """Make ``code`` the database's default jurisdiction: the scope of a handle opened
        without one, and the owner of the rows written before jurisdictions (''). Set once:
        another default already set, or '' rows whose keys ``code`` already has (two
        histories of one fact), are ``LogError`` (``default_jurisdiction_set`` /
        ``default_jurisdiction_conflict``); setting the same again does nothing."""
        check_code(code)
        with self._db.write([code, LEGACY]):
            self._write_default(code)
            self._scope_cache = self._resolve(self._read_default())

    def _write_default(self, code: str) -> None:
        current = self._read_default()
        if current == code:
            return
        if current is not None:
            raise LogError(
                f"Cơ sở dữ liệu đã có địa bàn mặc định '{current}'; không đổi sang '{code}'",
                f"The database's default jurisdiction is already '{current}'; it is not "
                f"changed to '{code}'",
                code="default_jurisdiction_set", text=code)
        found = self._db.execute(
            "SELECT a.kind, a.key FROM facts a JOIN facts b ON a.kind=b.kind AND a.key=b.key "
            "WHERE a.jurisdiction='' AND b.jurisdiction=? LIMIT 1", (code,))
        if found:
            clash = found[0]
            raise LogError(
                f"Không đặt được '{code}' làm địa bàn mặc định: dữ kiện cũ (chưa gắn địa bàn) "
                f"{clash[0]} '{clash[1]}' trùng khóa với dữ kiện đã ghi cho '{code}'",
                f"Cannot make '{code}' the default jurisdiction: the legacy (unscoped) fact "
                f"{clash[0]} '{clash[1]}' has the key of a fact already written for '{code}'",
                code="default_jurisdiction_conflict", text=f"{clash[0]}:{clash[1]}")
        self._db.execute("INSERT INTO log_meta (name, value) VALUES (?, ?)", (_DEFAULT, code))

    def jurisdictions(self) -> dict[str, dict[str, int]]:
        """Every jurisdiction of the database (the national view's starting point): code →
        number of distinct keys per kind, by code. Legacy rows count as the default
        jurisdiction's ('' while there is none)."""
        with self._db.lock:
            default = self._read_default() or LEGACY
            rows = self._db.execute(
                "SELECT CASE WHEN jurisdiction = '' THEN ? ELSE jurisdiction END AS owner, "
                "kind, COUNT(DISTINCT key) FROM facts GROUP BY owner, kind ORDER BY owner, kind",
                (default,))
        found: dict[str, dict[str, int]] = {}
        for code, kind, n in rows:
            found.setdefault(code, {})[kind] = n
        return found

    def _read_default(self) -> str | None:
        """The default jurisdiction (caller holds the lock)."""
        rows = self._db.execute("SELECT value FROM log_meta WHERE name=?", (_DEFAULT,))
        return rows[0][0] if rows else None

    def _resolve(self, default: str | None) -> Scope:
        return scope_of(self._asked or default or LEGACY, default)

    def _scope(self) -> Scope:
        """The handle's scope; read again while the database has no default (another process
        may set it), fixed once it has."""
        if not self._scope_cache.settled:
            with self._db.lock:
                self._scope_cache = self._resolve(self._read_default())
        return self._scope_cache

    def _scope_locked(self) -> Scope:
        """``_scope`` for a caller already holding the lock (inside a transaction)."""
        if not self._scope_cache.settled:
            self._scope_cache = self._resolve(self._read_default())
        return self._scope_cache

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
        return self._append_groups({None: facts}, submitted_by, batch, submitted_at)[None]

    def append_routed(
        self,
        groups: Mapping[str, Sequence[Fact]],
        submitted_by: str = "system",
        batch: str | None = None,
        submitted_at: datetime | None = None,
    ) -> dict[str, list[AppendOutcome]]:
        """Record each group of facts in its jurisdiction (code → facts), all of them in one
        transaction: every group or none (a document whose tasks belong to several
        jurisdictions is never half-written). Same identity, idempotency and ``replaces``
        rules as ``append``, per jurisdiction; the outcomes by code."""
        for code in groups:
            check_code(code)
        return self._append_groups(groups, submitted_by, batch, submitted_at)

    def _append_groups(
        self,
        groups: Mapping[str | None, Sequence[Fact]],
        submitted_by: str,
        batch: str | None,
        submitted_at: datetime | None,
    ) -> dict[Any, list[AppendOutcome]]:
        """Append each group (None: this handle's jurisdiction) in one transaction."""
        for facts in groups.values():
            for fact in facts:
                check_fact(fact)
        when = (submitted_at or datetime.now(UTC)).isoformat()
        done: dict[Any, list[AppendOutcome]] = {}
        before = self._scope()
        # writers of one jurisdiction take turns (PostgreSQL: so its seqs commit in order)
        locks = {before.code if code is None else code for code in groups}
        if not before.settled:
            locks.add(LEGACY)  # the default may be set meanwhile (set_default_jurisdiction)
        with self._db.write(locks):
            mine = self._scope_locked()
            if mine.code not in locks and None in groups:
                self._db.hold([mine.code])
            default = self._read_default()
            for code, facts in groups.items():
                scope = mine if code is None else scope_of(code, default)
                done[code] = self._append_in(scope, facts, submitted_by, when, batch)
        return done

    def _append_in(self, scope: Scope, facts: Sequence[Fact], submitted_by: str, when: str,
                   batch: str | None) -> list[AppendOutcome]:
        """Append ``facts`` into ``scope`` (inside the caller's transaction): decide each
        fact's outcome against the latest version (stored, or written earlier in this batch),
        then insert the new rows with a few multi-row INSERTs, not one statement per fact."""
        latest: dict[tuple[str, str], StoredFact] = self._latest(
            scope, {(f.kind, f.key) for f in facts})
        decided: list[tuple[str, StoredFact, str]] = []
        for fact in facts:
            status, stored, text = self._decide(scope.code, fact,
                                                latest.get((fact.kind, fact.key)),
                                                submitted_by, when, batch)
            latest[(fact.kind, fact.key)] = stored
            decided.append((status, stored, text))
        seqs = self._insert([(stored, text) for status, stored, text in decided
                             if status != "duplicate"])
        outcomes = []
        for status, stored, _text in decided:
            seq = seqs.get((stored.kind, stored.key, stored.version), stored.seq)
            outcomes.append(AppendOutcome(status, replace(stored, seq=seq)))
        return outcomes

    def _latest(self, scope: Scope, keys: set[tuple[str, str]]
                ) -> dict[tuple[str, str], StoredFact]:
        """The latest stored version of each (kind, key) in the scope: one query per chunk
        of keys, not one per fact (inside the append's transaction)."""
        found: dict[tuple[str, str], StoredFact] = {}
        pairs = sorted(keys)
        outer, outer_args = scope.where("f.")
        inner, inner_args = scope.where("g.")
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start:start + _CHUNK]
            values = ",".join("(?,?)" for _ in chunk)
            # driven by the wanted keys, each found through the unique index (jurisdiction,
            # kind, key, version): both planners loop over the keys. A scan of the
            # jurisdiction's facts with a subquery per row (the IN form) cost PostgreSQL 45 s of
            # 50 for 12k facts; a GROUP BY over a join cost SQLite as much.
            rows = self._db.execute(
                f"WITH wanted(kind, key) AS (VALUES {values}) "
                f"SELECT {_COLUMNS_F} FROM wanted w JOIN facts f ON {outer} "
                "AND f.kind = w.kind AND f.key = w.key AND f.version = "
                f"(SELECT MAX(g.version) FROM facts g WHERE {inner} AND g.kind = w.kind "
                "AND g.key = w.key)",
                [item for pair in chunk for item in pair] + outer_args + inner_args,
            )
            for row in rows:
                found[(row[1], row[2])] = row_to_fact(row, scope.code)
        return found

    def _decide(
        self, code: str, fact: Fact, latest: StoredFact | None, submitted_by: str, when: str,
        batch: str | None,
    ) -> tuple[str, StoredFact, str]:
        """``fact``'s outcome against ``latest``: ``duplicate`` (``latest`` itself),
        ``new`` or ``version`` (the row to write, its seq not known yet: 0); and the payload
        as the JSON text its hash was made of (what is stored)."""
        if fact.replaces is not None and (latest.version if latest else 0) != fact.replaces:
            raise VersionConflict(fact.kind, fact.key, fact.replaces, latest)
        payload, digest = fact.serialized()
        if latest is not None and latest.content_hash == digest:
            return "duplicate", latest, payload
        version = 1 if latest is None else latest.version + 1
        stored = StoredFact(seq=0, kind=fact.kind, key=fact.key, version=version,
                            payload=json.loads(payload), source=fact.source,
                            submitted_by=submitted_by,
                            submitted_at=datetime.fromisoformat(when), as_of=fact.as_of,
                            content_hash=digest, batch=batch, jurisdiction=code)
        return ("new" if version == 1 else "version"), stored, payload

    def _insert(self, rows: Sequence[tuple[StoredFact, str]]
                ) -> dict[tuple[str, str, int], int]:
        """Insert ``rows`` (each with its payload's JSON text); their seqs by (kind, key,
        version) — the identity within one jurisdiction, as RETURNING's row order is not
        promised."""
        seqs: dict[tuple[str, str, int], int] = {}
        per = max(1, self._db.max_params // len(_INSERTED))
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            values = ",".join(_ROW for _ in chunk)
            args = [value for row, text in chunk for value in _insert_values(row, text)]
            for seq, kind, key, version in self._db.execute(
                    f"INSERT INTO facts ({', '.join(_INSERTED)}) VALUES {values} "
                    "RETURNING seq, kind, key, version", args):
                seqs[(kind, key, version)] = int(seq)
        return seqs

    # -- reading -----------------------------------------------------------------------------

    def read(self, kinds: Iterable[str] | None = None, after_seq: int = 0,
             upto_seq: int | None = None, skip_kinds: Iterable[str] = ()
             ) -> Iterator[StoredFact]:
        """Every version of every fact of the jurisdiction, in the order they were recorded
        (of ``kinds``, not of ``skip_kinds``, with ``after_seq`` < seq ≤ ``upto_seq``)."""
        scope = self._scope()
        where, args = scope.where()
        sql = f"SELECT {COLUMNS} FROM facts WHERE seq > ? AND {where}"
        args = [after_seq, *args]
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
            yield row_to_fact(row, scope.code)

    def current(self, kind: str) -> list[StoredFact]:
        """The latest version of each key of ``kind``, in first-recorded order."""
        scope = self._scope()
        outer, outer_args = scope.where("f.")
        inner, inner_args = scope.where("g.")
        rows = self._rows(
            f"SELECT {_COLUMNS_F} FROM (SELECT g.key, MAX(g.version) AS version FROM facts g "
            f"WHERE {inner} AND g.kind = ? GROUP BY g.key) t JOIN facts f ON f.kind = ? "
            f"AND f.key = t.key AND f.version = t.version WHERE {outer} ORDER BY f.seq",
            [*inner_args, kind, kind, *outer_args],
        )
        return [row_to_fact(row, scope.code) for row in rows]

    def get(self, kind: str, key: str) -> StoredFact | None:
        scope = self._scope()
        where, args = scope.where()
        rows = self._rows(
            f"SELECT {COLUMNS} FROM facts WHERE {where} AND kind=? AND key=? "
            "ORDER BY version DESC LIMIT 1", [*args, kind, key],
        )
        return row_to_fact(rows[0], scope.code) if rows else None

    def history(self, kind: str, key: str) -> list[StoredFact]:
        scope = self._scope()
        where, args = scope.where()
        rows = self._rows(
            f"SELECT {COLUMNS} FROM facts WHERE {where} AND kind=? AND key=? ORDER BY version",
            [*args, kind, key],
        )
        return [row_to_fact(row, scope.code) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of distinct keys per kind in the jurisdiction (current facts, not
        versions)."""
        where, args = self._scope().where()
        rows = self._rows(
            f"SELECT kind, COUNT(DISTINCT key) FROM facts WHERE {where} GROUP BY kind", args)
        return {kind: n for kind, n in rows}

    def last_seq(self) -> int:
        """The sequence number of the jurisdiction's last recorded fact (0: none)."""
        # one indexed MAX per code (SQLite's min/max optimisation needs jurisdiction = ?)
        codes = self._scope().rows
        parts = " UNION ALL ".join("SELECT MAX(seq) AS m FROM facts WHERE jurisdiction = ?"
                                   for _ in codes)
        sql = f"SELECT COALESCE(MAX(m), 0) FROM ({parts}) AS last"
        return int(self._rows(sql, codes)[0][0])

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        return self._db.execute(sql, args)

    def close(self) -> None:
        if self._owner:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
