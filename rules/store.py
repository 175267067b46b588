"""The rules' outcome store (kho kết quả luật): what the rules conclude, kept apart from the facts.

Alerts (cảnh báo) and status changes (thay đổi trạng thái) are derived: a replay of the fact
log rebuilds them. They live here, in the log's database but in tables of their own (migrations
recorded in ``_outcome_migrations``, like the service's tables), never in the fact log — the log
holds only what people and sources asserted.

An *outcome set* is what one rule set (``RuleBook.digest``) concludes for one jurisdiction (địa
bàn) as of one date. ``replace`` writes a whole replay's result (atomically: the set becomes
exactly that; unchanged outcomes write nothing, so a second replay writes nothing);
``apply`` writes one write's re-judgement (``rules.session.Changes``: added, revised,
withdrawn). A withdrawn outcome leaves the current set at once — so the graph, trace, impact
and the alerts API all stop showing it — and a row in ``outcome_withdrawals`` (append-only)
keeps, for auditors, what was withdrawn, when, and which asserted facts caused it. A set's
rows name their payload (the outcome's ``to_dict`` as canonical JSON) by digest: each distinct
payload is kept once per jurisdiction (``outcome_payloads``) and deleted when no set names it.

``persist_changes`` and ``reconcile`` keep the shapes of the former ``rules.persist`` (the log
passed in stands for the store beside it). All SQL of the store is in this module, portable
between the log's backends (SQLite, PostgreSQL: ``?`` placeholders, ``kg.log.db.Database``);
the connection comes from ``_connect``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kg.log.db import Database
from kg.log.migrations import Migration, migrate
from rules.loader import load_rules
from rules.outcomes import Alert, StatusChange, outcome_from_dict

if TYPE_CHECKING:
    from rules.session import Changes

Outcome = Alert | StatusChange

MAX_CAUSES = 20
"""How many fact ids a withdrawal names (an import can re-judge units with thousands)."""

OUTCOME_KINDS = ("alert", "status_change")


def kind_of(outcome: Outcome) -> str:
    """The stored kind of an outcome (an alert's own ``kind`` is what it warns about)."""
    return "status_change" if isinstance(outcome, StatusChange) else "alert"


# -- schema ----------------------------------------------------------------------------------

def _sets(conn: Any) -> None:
    # One row per (jurisdiction, rule set, as-of date): what the set was computed from
    # (``upto_seq``: the log position read) and a counter bumped by every write (readers such
    # as the plan graph re-read the set only when it moved).
    conn.execute(
        """CREATE TABLE outcome_sets (
            jurisdiction TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            as_of TEXT NOT NULL,
            upto_seq INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            written_at TEXT NOT NULL,
            PRIMARY KEY (jurisdiction, ruleset, as_of))""")


_OUTCOME_COLUMNS = ("jurisdiction TEXT NOT NULL, ruleset TEXT NOT NULL, set_as_of TEXT NOT NULL, "
                    "id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, "
                    "payload TEXT NOT NULL, generation INTEGER NOT NULL")
"""The columns an outcome row and a withdrawal row share: which set, which outcome, its
content (the ``to_dict`` JSON) and the generation of the write that wrote the row."""


def _outcomes(conn: Any) -> None:
    conn.execute(f"CREATE TABLE rule_outcomes ({_OUTCOME_COLUMNS}, as_of TEXT NOT NULL, "
                 "PRIMARY KEY (jurisdiction, ruleset, set_as_of, id))")
    conn.execute("CREATE INDEX rule_outcomes_subject "
                 "ON rule_outcomes (jurisdiction, ruleset, set_as_of, subject)")


def _withdrawals(conn: Any) -> None:
    # The audit trail of withdrawals: append-only (the triggers refuse edits and deletes).
    conn.execute(f"CREATE TABLE outcome_withdrawals (seq INTEGER PRIMARY KEY, {_OUTCOME_COLUMNS}, "
                 "withdrawn_as_of TEXT NOT NULL, withdrawn_by TEXT NOT NULL, "
                 "withdrawn_by_count INTEGER NOT NULL, recorded_at TEXT NOT NULL)")
    conn.execute("CREATE INDEX outcome_withdrawals_id ON outcome_withdrawals "
                 "(jurisdiction, id, seq)")
    if isinstance(conn, sqlite3.Connection):
        for op in ("UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TRIGGER outcome_withdrawals_no_{op.lower()} BEFORE {op} ON "
                "outcome_withdrawals BEGIN SELECT RAISE(ABORT, 'withdrawals are append-only'); "
                "END")
        return
    conn.execute("CREATE FUNCTION outcome_withdrawals_append_only() RETURNS trigger "
                 "LANGUAGE plpgsql AS $$ BEGIN "
                 "RAISE EXCEPTION 'withdrawals are append-only'; END $$")
    conn.execute("CREATE TRIGGER outcome_withdrawals_no_change BEFORE UPDATE OR DELETE ON "
                 "outcome_withdrawals FOR EACH ROW "
                 "EXECUTE FUNCTION outcome_withdrawals_append_only()")


def _generation_indexes(conn: Any) -> None:
    # ``changed`` (a reader catching up after each write) asks for the rows of one set written
    # after a generation: without these it scanned the whole set — 189,000 outcomes at 1
    # province + 43 communes, ≈ 160 ms per write.
    conn.execute("CREATE INDEX rule_outcomes_generation "
                 "ON rule_outcomes (jurisdiction, ruleset, set_as_of, generation)")
    conn.execute("CREATE INDEX outcome_withdrawals_generation "
                 "ON outcome_withdrawals (jurisdiction, ruleset, set_as_of, generation)")


def _lineage(conn: Any) -> None:
    # Generations come from a counter (``outcome_counter``; the writes use one row per
    # jurisdiction, started from this one: ``_next_generation``), so a number names one state
    # of one set: a set made again after being dropped never repeats its old
    # numbers (``base``: the generation it was made at), and a set that starts from an earlier
    # one (the service's date moved) records which state it copied (``parent_as_of``,
    # ``parent_generation``) — a reader holding that state catches up with the difference
    # instead of re-reading the whole set. Existing sets get a fresh generation above every
    # number used so far: a reader's older mark re-reads them once.
    for column in ("base INTEGER", "parent_as_of TEXT", "parent_generation INTEGER"):
        conn.execute(f"ALTER TABLE outcome_sets ADD COLUMN {column}")
    conn.execute("CREATE TABLE outcome_counter (name TEXT PRIMARY KEY, "
                 "value INTEGER NOT NULL)")
    conn.execute("INSERT INTO outcome_counter (name, value) SELECT 'generation', "
                 "COALESCE(MAX(g), 0) + 1 FROM (SELECT generation AS g FROM outcome_sets "
                 "UNION ALL SELECT generation FROM outcome_withdrawals) AS every")
    conn.execute("UPDATE outcome_sets SET base = (SELECT value FROM outcome_counter), "
                 "generation = (SELECT value FROM outcome_counter)")


def _withdrawal_sequence(conn: Any) -> None:
    # A withdrawal's ``seq`` from the database, not MAX(seq) + 1 under a lock of all
    # jurisdictions: SQLite gives an INTEGER PRIMARY KEY left out the next rowid already;
    # PostgreSQL needs a sequence, started above the rows there are.
    if isinstance(conn, sqlite3.Connection):
        return
    conn.execute("CREATE SEQUENCE outcome_withdrawals_seq OWNED BY outcome_withdrawals.seq")
    conn.execute("SELECT setval('outcome_withdrawals_seq', "
                 "COALESCE((SELECT MAX(seq) FROM outcome_withdrawals), 0) + 1, false)")
    conn.execute("ALTER TABLE outcome_withdrawals ALTER COLUMN seq "
                 "SET DEFAULT nextval('outcome_withdrawals_seq')")


def payload_digest(ident: str, text: str) -> str:
    """The key a payload is kept under (``outcome_payloads.digest``): SHA-256 of the outcome's
    id and its payload text, 32 hex digits. The id is in it so that only rows of that id can
    hold the payload (``_collect`` checks those alone); PostgreSQL computes the same in
    migration 0007 (``_DIGEST_SQL``)."""
    return hashlib.sha256(f"{ident}\n{text}".encode()).hexdigest()[:32]


_DIGEST_SQL = {"sqlite": "kh_payload_digest(r.id, r.payload)",
               "postgresql": "substr(encode(sha256(convert_to(r.id || chr(10) || r.payload, "
                             "'UTF8')), 'hex'), 1, 32)"}


def _shared_payloads(conn: Any) -> None:
    # A set's rows name their payload instead of holding it: a date move copied every row of
    # the set before it, payload text included (38,724 rows, 57 MB at a province's year end,
    # 4 sets kept: a 375 MB file for 10 MB of facts), and SQLite's checkpoints wrote it all
    # again. Each distinct payload is now kept once per jurisdiction (``outcome_payloads``,
    # keyed by ``payload_digest``); the rows are keyed by a set number (``outcome_sets.set_id``)
    # instead of (jurisdiction, rule set, date): a narrow key, and a table clustered by it on
    # SQLite. The index by subject is gone: no reader asks a set by subject often (``current``
    # with ``subject`` reads the set's rows). Existing rows are converted in SQL.
    sqlite = isinstance(conn, sqlite3.Connection)
    if sqlite:
        conn.create_function("kh_payload_digest", 2, payload_digest, deterministic=True)
        conn.execute("ALTER TABLE outcome_sets ADD COLUMN set_id INTEGER")
        conn.execute("UPDATE outcome_sets SET set_id = rowid")
    else:
        conn.execute("CREATE SEQUENCE outcome_sets_set_id_seq")
        conn.execute("ALTER TABLE outcome_sets ADD COLUMN set_id BIGINT NOT NULL "
                     "DEFAULT nextval('outcome_sets_set_id_seq')")
        conn.execute("ALTER SEQUENCE outcome_sets_set_id_seq OWNED BY outcome_sets.set_id")
    conn.execute("CREATE UNIQUE INDEX outcome_sets_set_id ON outcome_sets (set_id)")
    conn.execute("CREATE TABLE outcome_payloads (jurisdiction TEXT NOT NULL, digest TEXT NOT NULL, "
                 "payload TEXT NOT NULL, PRIMARY KEY (jurisdiction, digest))")
    conn.execute("CREATE TABLE rule_outcomes_0007 (set_id BIGINT NOT NULL, id TEXT NOT NULL, "
                 "kind TEXT NOT NULL, subject TEXT NOT NULL, as_of TEXT NOT NULL, "
                 "digest TEXT NOT NULL, generation BIGINT NOT NULL, PRIMARY KEY (set_id, id))"
                 + (" WITHOUT ROWID" if sqlite else ""))
    digest = _DIGEST_SQL["sqlite" if sqlite else "postgresql"]
    conn.execute("INSERT INTO outcome_payloads (jurisdiction, digest, payload) SELECT "
                 f"r.jurisdiction, {digest}, r.payload FROM rule_outcomes r JOIN outcome_sets s ON "
                 "s.jurisdiction=r.jurisdiction AND s.ruleset=r.ruleset AND s.as_of=r.set_as_of "
                 "WHERE true ON CONFLICT DO NOTHING")
    conn.execute("INSERT INTO rule_outcomes_0007 (set_id, id, kind, subject, as_of, digest, "
                 f"generation) SELECT s.set_id, r.id, r.kind, r.subject, r.as_of, {digest}, "
                 "r.generation FROM rule_outcomes r JOIN outcome_sets s ON "
                 "s.jurisdiction=r.jurisdiction AND s.ruleset=r.ruleset AND s.as_of=r.set_as_of")
    conn.execute("DROP TABLE rule_outcomes")
    conn.execute("ALTER TABLE rule_outcomes_0007 RENAME TO rule_outcomes")
    conn.execute("CREATE INDEX rule_outcomes_generation ON rule_outcomes (set_id, generation)")


MIGRATIONS: list[Migration] = [
    ("outcomes_0001_sets", _sets),
    ("outcomes_0002_rule_outcomes", _outcomes),
    ("outcomes_0003_withdrawals", _withdrawals),
    ("outcomes_0004_generation_indexes", _generation_indexes),
    ("outcomes_0005_set_lineage", _lineage),
    ("outcomes_0006_withdrawal_sequence", _withdrawal_sequence),
    ("outcomes_0007_shared_payloads", _shared_payloads),
]

KEEP_OLDER = 3
"""How many sets older than the newest the store keeps (``OutcomeStore._retain``)."""

MAX_HOPS = 31
"""How many date moves a reader may be behind and still catch up with the difference only
(a month of daily sets); further behind, it re-reads the whole set."""


def _connect(log: Any) -> Database:
    """A connection of the store's own to the database that holds ``log`` (SQLite file or
    PostgreSQL), the one place the store gets one."""
    return log.database.connect()


WRITER = "rule_outcomes"
"""The name a store's write transaction excludes other writers of, per jurisdiction
(``rule_outcomes:<code>``): jurisdictions share no row a write touches (each has its own
generation counter; a withdrawal's ``seq`` comes from the database), so provinces in one
PostgreSQL database record their outcomes at the same time."""


# -- rows ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredOutcome:
    """One outcome of a set as stored: the plain dict every reader gets (``payload`` is the
    outcome's ``to_dict``)."""

    id: str
    kind: str
    as_of: str
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "as_of": self.as_of, "payload": self.payload}

    def outcome(self) -> Outcome:
        """The ``Alert`` / ``StatusChange`` it was written from."""
        return outcome_from_dict(self.kind, self.payload)


def outcome_item(outcome: Outcome) -> dict[str, Any]:
    """An outcome as the plain dict the store gives its readers (``StoredOutcome.to_dict``)."""
    return {"id": outcome.id, "kind": kind_of(outcome), "as_of": outcome.as_of,
            "payload": outcome.to_dict()}


def _text(outcome: Outcome) -> str:
    return json.dumps(outcome.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_ROW_COLUMNS = ("set_id", "id", "kind", "subject", "as_of", "digest", "generation")
_WITHDRAWAL_COLUMNS = ("jurisdiction", "ruleset", "set_as_of", "id", "kind", "subject",
                       "payload", "withdrawn_as_of", "withdrawn_by", "withdrawn_by_count",
                       "generation", "recorded_at")


def _chunks(items: list[Any], size: int = 400) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (an ``IN (...)`` list within every backend's limit)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


_PAYLOAD = ("(SELECT p.payload FROM outcome_payloads p WHERE p.jurisdiction=? AND "
            "p.digest=r.digest)")
"""A row's payload text, looked up by key for each row of ``rule_outcomes r`` (its one
placeholder: the jurisdiction). Not a join: PostgreSQL, taking a jurisdiction its statistics
did not know yet for one row, drove a join from the payloads and read the set's rows again for
each (1.7 s per catch-up in a national year); a scalar subquery is always a key look-up."""


def _in(values: Sequence[Any]) -> str:
    """The placeholders of an ``IN (...)`` list of ``values``."""
    return ",".join("?" * len(values))


def _insert(conn: Database, table: str, columns: tuple[str, ...],
            rows: list[tuple[Any, ...]], tail: str = "") -> None:
    """Multi-row INSERTs of ``rows``, each statement within the backend's bound-parameter
    limit (one statement per row cost a round trip each on PostgreSQL); ``tail`` ends each
    (an ``ON CONFLICT`` clause)."""
    per = max(1, conn.max_params // len(columns))
    one = "(" + ",".join("?" * len(columns)) + ")"
    for chunk in _chunks(rows, per):
        conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                     + ",".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])


@dataclass(frozen=True)
class _SetRow:
    """One set's row: its date, generation (the state it is in), ``base`` (the generation it
    was made at) and the state of the set it started from, if any."""

    as_of: str
    generation: int
    base: int
    parent_as_of: str | None
    parent_generation: int | None


@dataclass(frozen=True)
class CatchUp:
    """What a reader of a set needs to hold its current state (``OutcomeStore.catch_up``)."""

    mark: tuple[str, int] | None
    """The state it then holds (set date, generation); None: no set answers."""
    whole: bool
    """``put`` is the whole set: whatever else the reader holds is gone."""
    put: list[dict[str, Any]]
    """Outcomes as stored: ``{id, kind, as_of, fingerprint}`` (the payload's JSON text)."""
    drop: list[dict[str, str]]
    """``{id, kind}`` of outcomes withdrawn since the state held."""


@dataclass
class _Txn:
    """One write to one set: its connection, the set's date and number, the generation the
    write gives the rows it writes, id → (kind, payload digest) of the rows it may touch, and
    (id, digest) of the rows it removed (their payloads may be named by no row now)."""

    conn: Any
    as_of: str
    set_id: int
    generation: int
    stored: dict[str, tuple[str, str]]
    loose: list[tuple[str, str]] = field(default_factory=list)


class OutcomeStore:
    """The outcome sets of one jurisdiction and one rule set, in the log's database."""

    def __init__(self, log: Any, ruleset: str | None = None) -> None:
        """The store beside ``log`` (its database, its jurisdiction). ``ruleset``: the rule
        set's digest (``RuleBook.digest``) the outcomes come from; None: the rule files' now,
        pinned for the store's life (a live session pins its rules at start too)."""
        self.jurisdiction: str = log.jurisdiction or ""
        self.ruleset: str = ruleset if ruleset is not None else load_rules().digest
        self._db = _connect(log)
        migrate(self._db, MIGRATIONS, ledger="_outcome_migrations")

    # -- plumbing ------------------------------------------------------------------------------

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self._db.execute(sql, args)

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """One transaction, one writer of the store at a time (across processes too)."""
        with self._db.write([f"{WRITER}:{self.jurisdiction}"]):
            yield self._db

    def _key(self, as_of: date | str) -> tuple[str, str, str]:
        return (self.jurisdiction, self.ruleset, str(as_of))

    def _set(self, conn: Any, as_of: str) -> tuple[int, int, int] | None:
        """(upto_seq, generation, set number) of the set of ``as_of``, None when none."""
        rows = conn.execute("SELECT upto_seq, generation, set_id FROM outcome_sets WHERE "
                            "jurisdiction=? AND ruleset=? AND as_of=?", self._key(as_of))
        return (int(rows[0][0]), int(rows[0][1]), int(rows[0][2])) if rows else None

    def _open_set(self, conn: Any, as_of: str, upto_seq: int | None,
                  retain: bool = False) -> tuple[int, int]:
        """Make sure the set of ``as_of`` exists (a new date starts from the latest earlier
        set: a session moving its clock forward only adds to what it concluded; ``retain``:
        then drop old sets, ``_retain``); the generation this write gives the rows it writes
        (the store's counter, one up) and the set's number."""
        generation = self._next_generation(conn)
        found = self._set(conn, as_of)
        if found is not None:
            return generation, found[2]
        rows = conn.execute("SELECT as_of, upto_seq, generation, set_id FROM outcome_sets WHERE "
                            "jurisdiction=? AND ruleset=? AND as_of<? ORDER BY as_of DESC "
                            "LIMIT 1", self._key(as_of))
        parent = rows[0] if rows else None
        # SQLite has one writer at a time: the next number is the highest one up; PostgreSQL's
        # jurisdictions write at the same time: its column's default is a sequence
        number = (", (SELECT COALESCE(MAX(set_id), 0) + 1 FROM outcome_sets)", ", set_id"
                  ) if self._db.dialect == "sqlite" else ("", "")
        made = conn.execute("INSERT INTO outcome_sets (jurisdiction, ruleset, as_of, upto_seq, "
                            f"generation, base, parent_as_of, parent_generation, written_at"
                            f"{number[1]}) VALUES (?,?,?,?,?,?,?,?,?{number[0]}) "
                            "RETURNING set_id",
                            (*self._key(as_of), upto_seq or (parent[1] if parent else 0),
                             generation, generation, parent[0] if parent else None,
                             parent[2] if parent else None, _now()))
        set_id = int(made[0][0])
        if parent is not None:
            # the copies keep the generation they were written at: a reader holding the
            # parent's state holds every row up to ``parent_generation`` already; the payloads
            # are not copied, only the rows naming them
            conn.execute("INSERT INTO rule_outcomes (set_id, id, kind, subject, as_of, digest, "
                         "generation) SELECT ?, id, kind, subject, as_of, digest, generation "
                         "FROM rule_outcomes WHERE set_id=?", (set_id, parent[3]))
        if retain:
            self._retain(conn, as_of)
        return generation, set_id

    def _next_generation(self, conn: Any) -> int:
        """The jurisdiction's generation counter, one up (its row made on its first write,
        above every number the store's one counter of migration 0005 gave)."""
        name = f"generation:{self.jurisdiction}"
        rows = conn.execute("UPDATE outcome_counter SET value = value + 1 WHERE name = ? "
                            "RETURNING value", (name,))
        if not rows:
            rows = conn.execute("INSERT INTO outcome_counter (name, value) SELECT ?, value + 1 "
                                "FROM outcome_counter WHERE name = 'generation' RETURNING value",
                                (name,))
        return int(rows[0][0])

    def _retain(self, conn: Any, made: str) -> None:
        """After a live session's write made the set of ``made`` (``apply``: its date moved):
        when that set is the newest, drop the sets older than it and its ``KEEP_OLDER``
        predecessors — a live service makes one set per day something changed, which would
        otherwise grow without end. Only ``apply`` drops: a whole replay (``replace``, e.g.
        ``kehoach rules replay --as-of`` a later date) never drops the set a live session
        writes its next changes to. Readers are safe: a set is read in one statement
        (``_set_rows``, ``catch_up``), so it is there whole or not at all, and a reader whose
        state was dropped re-reads the current set. The withdrawals' history is never
        dropped."""
        kept = conn.execute("SELECT as_of FROM outcome_sets WHERE jurisdiction=? AND ruleset=? "
                            "ORDER BY as_of DESC LIMIT ?",
                            (self.jurisdiction, self.ruleset, KEEP_OLDER + 1))
        if kept[0][0] != made or len(kept) <= KEEP_OLDER:
            return
        self._drop_sets(conn, "{s}ruleset=? AND {s}as_of<?", (self.ruleset, kept[-1][0]))

    def _drop_sets(self, conn: Any, where: str, args: Sequence[Any]) -> None:
        """Drop this jurisdiction's sets matching ``where`` (on ``outcome_sets``, its columns
        written ``{s}name``), their rows, and the payloads no other set of the jurisdiction
        names. The set numbers are read first and the payloads found by ``EXCEPT`` of two
        range reads by set number: linear in the jurisdiction's rows whatever plan the
        database picks (a correlated ``NOT EXISTS`` ran for minutes per date move on a
        national PostgreSQL database whose statistics lagged its growth)."""
        rows = conn.execute(f"SELECT set_id, {where.format(s='')} FROM outcome_sets WHERE "
                            "jurisdiction=?", (*args, self.jurisdiction))
        dropped = [int(r[0]) for r in rows if r[1]]
        kept = [int(r[0]) for r in rows if not r[1]]
        if not dropped:
            return
        gone = _in(dropped)
        others = f" EXCEPT SELECT digest FROM rule_outcomes WHERE set_id IN ({_in(kept)})" \
            if kept else ""
        loose = [r[0] for r in conn.execute(
            f"SELECT digest FROM rule_outcomes WHERE set_id IN ({gone}){others}",
            (*dropped, *kept))]
        self._forget(conn, loose)
        conn.execute(f"DELETE FROM rule_outcomes WHERE set_id IN ({gone})", dropped)
        conn.execute(f"DELETE FROM outcome_sets WHERE set_id IN ({gone})", dropped)

    def _stored(self, conn: Any, set_id: int, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """id → (kind, payload digest) of those of ``ids`` the set holds."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"SELECT id, kind, digest FROM rule_outcomes WHERE set_id=? "
                                    f"AND id IN ({marks})", (set_id, *chunk)):
                out[row[0]] = (row[1], row[2])
        return out

    def _texts(self, conn: Any, digests: Iterable[str]) -> dict[str, str]:
        """digest → payload text of ``digests``."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(digests))):
            out.update(conn.execute(
                "SELECT digest, payload FROM outcome_payloads WHERE jurisdiction=? AND digest "
                f"IN ({','.join('?' * len(chunk))})", (self.jurisdiction, *chunk)))
        return out

    def _delete(self, txn: _Txn, ids: list[str]) -> None:
        """Remove ``ids`` from the write's set."""
        for chunk in _chunks(ids):
            txn.conn.execute(f"DELETE FROM rule_outcomes WHERE set_id=? AND id IN "
                             f"({','.join('?' * len(chunk))})", (txn.set_id, *chunk))

    def _collect(self, txn: _Txn) -> None:
        """Delete the payloads the write's removed rows named that no row of the jurisdiction
        names any more (rows of the same id only: the digest covers the id)."""
        loose = dict(txn.loose)  # id → digest: an id is removed at most once per write
        if not loose:
            return
        sets = [int(r[0]) for r in txn.conn.execute(
            "SELECT set_id FROM outcome_sets WHERE jurisdiction=?", (self.jurisdiction,))]
        named: set[str] = set()
        for chunk in _chunks(list(loose)):  # key look-ups (set number, id): the primary key
            named.update(r[0] for r in txn.conn.execute(
                f"SELECT digest FROM rule_outcomes WHERE set_id IN ({_in(sets)}) AND id IN "
                f"({_in(chunk)})", (*sets, *chunk)))
        self._forget(txn.conn, [d for d in dict.fromkeys(loose.values()) if d not in named])

    def _forget(self, conn: Any, digests: list[str]) -> None:
        """Delete the payloads ``digests`` (no set names them any more), by key: a statement
        joining them to the rows that decide it let PostgreSQL loop over a jurisdiction its
        statistics did not know yet, re-reading the rows for each payload."""
        for chunk in _chunks(digests):
            conn.execute("DELETE FROM outcome_payloads WHERE jurisdiction=? AND digest IN "
                         f"({_in(chunk)})", (self.jurisdiction, *chunk))

    def _put(self, txn: _Txn, outcomes: Iterable[Outcome]) -> int:
        """Write the outcomes whose content changed (new ones, revised ones: their old row
        replaced); how many. Each payload is kept once (``outcome_payloads``; one already
        there is left as it is). Multi-row statements: a date move or an import writes
        thousands."""
        rows: dict[str, tuple[Any, ...]] = {}
        texts: dict[str, str] = {}
        replaced: list[str] = []
        for outcome in outcomes:
            text = _text(outcome)
            digest = payload_digest(outcome.id, text)
            old = txn.stored.get(outcome.id)
            if old is not None and old[1] == digest:
                continue
            if old is not None and outcome.id not in rows:
                replaced.append(outcome.id)
                txn.loose.append((outcome.id, old[1]))
            rows[outcome.id] = (txn.set_id, outcome.id, kind_of(outcome), outcome.subject.id,
                                outcome.as_of, digest, txn.generation)
            texts[digest] = text
            txn.stored[outcome.id] = (kind_of(outcome), digest)
        self._delete(txn, replaced)
        _insert(txn.conn, "outcome_payloads", ("jurisdiction", "digest", "payload"),
                [(self.jurisdiction, r[5], texts[r[5]]) for r in rows.values()],
                " ON CONFLICT DO NOTHING")
        _insert(txn.conn, "rule_outcomes", _ROW_COLUMNS, list(rows.values()))
        return len(rows)

    def _withdraw(self, txn: _Txn, ids: Iterable[str], when: date,
                  causes: dict[str, list[str]]) -> int:
        """Remove ``ids`` from the set, each with a row in the withdrawals' history (its
        ``seq`` given by the database: SQLite rowid, PostgreSQL sequence)."""
        gone = [i for i in dict.fromkeys(ids) if i in txn.stored]  # never stored: nothing to do
        texts = self._texts(txn.conn, [txn.stored[i][1] for i in gone])
        rows: list[tuple[Any, ...]] = []
        for ident in gone:
            kind, digest = txn.stored[ident]
            text = texts[digest]
            subject = (json.loads(text).get("subject") or {}).get("id") or ""
            by = causes.get(ident, [])
            rows.append((*self._key(txn.as_of), ident, kind, subject, text, when.isoformat(),
                         json.dumps(by[:MAX_CAUSES]), len(by), txn.generation, _now()))
        _insert(txn.conn, "outcome_withdrawals", _WITHDRAWAL_COLUMNS, rows)
        self._delete(txn, gone)
        for ident in gone:
            txn.loose.append((ident, txn.stored.pop(ident)[1]))
        return len(rows)

    def _touch(self, txn: _Txn, upto_seq: int | None) -> None:
        txn.conn.execute("UPDATE outcome_sets SET generation=?, written_at=?, "
                         "upto_seq=CASE WHEN ? > upto_seq THEN ? ELSE upto_seq END "
                         "WHERE set_id=?",
                         (txn.generation, _now(), upto_seq or 0, upto_seq or 0, txn.set_id))

    # -- writing -------------------------------------------------------------------------------

    def replace(self, as_of: date, outcomes: Iterable[Outcome],
                upto_seq: int | None = None) -> int:
        """Make the set of ``as_of`` exactly ``outcomes`` (a whole replay, up to log position
        ``upto_seq``): new and changed outcomes written, the others withdrawn (no causes: a
        replay no longer concludes them). A replay older than the set (it read less of the
        log than the set's last write) writes nothing. How many rows changed."""
        when = as_of.isoformat()
        outcomes = list(outcomes)
        with self._write() as conn:
            current = self._set(conn, when)
            if current is not None and upto_seq is not None and upto_seq < current[0]:
                return 0
            generation, set_id = self._open_set(conn, when, upto_seq)
            txn = _Txn(conn, when, set_id, generation, {
                r[0]: (r[1], r[2]) for r in conn.execute(
                    "SELECT id, kind, digest FROM rule_outcomes WHERE set_id=?", (set_id,))})
            concluded = {o.id for o in outcomes}
            written = self._withdraw(txn, [i for i in txn.stored if i not in concluded],
                                     as_of, {})
            written += self._put(txn, outcomes)
            self._collect(txn)
            if written or (upto_seq is not None and (current is None
                                                      or upto_seq > current[0])):
                self._touch(txn, upto_seq)
        return written

    def apply(self, changes: Changes, as_of: date, upto_seq: int | None = None) -> int:
        """Write one re-judgement: its added and revised outcomes, and withdraw the ones it no
        longer concludes (with ``changes.causes`` as what withdrew them). How many rows
        changed."""
        when = as_of.isoformat()
        with self._write() as conn:
            touched = [o.id for o in (*changes.added, *changes.revised, *changes.withdrawn)]
            generation, set_id = self._open_set(conn, when, upto_seq, retain=True)
            txn = _Txn(conn, when, set_id, generation, self._stored(conn, set_id, touched))
            written = self._withdraw(txn, [o.id for o in changes.withdrawn], as_of,
                                     changes.causes)
            written += self._put(txn, (*changes.added, *changes.revised))
            self._collect(txn)
            if written or upto_seq:
                self._touch(txn, upto_seq)
        return written

    def drop_stale(self) -> int:
        """Drop the outcome sets of other rule sets than this store's (a rule file changed:
        a replay with the new rules rebuilds them); the withdrawals' history stays. How many
        sets were dropped."""
        with self._write() as conn:
            gone = conn.execute("SELECT COUNT(*) FROM outcome_sets WHERE jurisdiction=? AND "
                                "ruleset<>?", (self.jurisdiction, self.ruleset))[0][0]
            if gone:
                self._drop_sets(conn, "{s}ruleset<>?", (self.ruleset,))
        return int(gone)

    # -- reading -------------------------------------------------------------------------------

    def dates(self) -> list[date]:
        """The as-of dates this rule set has a set for (oldest first)."""
        return [date.fromisoformat(r[0]) for r in self._rows(
            "SELECT as_of FROM outcome_sets WHERE jurisdiction=? AND ruleset=? ORDER BY as_of",
            (self.jurisdiction, self.ruleset))]

    def latest(self) -> date | None:
        """The latest as-of date with a set (the live session's, normally)."""
        held = self.dates()
        return held[-1] if held else None

    def holding(self, as_of: date | None = None) -> date | None:
        """The date of the set that answers for ``as_of``: the latest set on or before it
        (None: the latest of all). A live session writes a set when it starts and whenever a
        re-judgement changes something, so between two of its sets nothing changed: the
        earlier set is still what the rules conclude."""
        if as_of is None:
            return self.latest()
        rows = self._rows("SELECT MAX(as_of) FROM outcome_sets WHERE jurisdiction=? AND "
                          "ruleset=? AND as_of<=?", self._key(as_of))
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def generation(self, as_of: date | None = None) -> tuple[str, int] | None:
        """(date of the set answering for ``as_of``, its write counter) — changes whenever
        that set does or another set starts answering; None when no set does."""
        when = self.holding(as_of)
        if when is None:
            return None
        rows = self._rows("SELECT generation FROM outcome_sets WHERE jurisdiction=? AND "
                          "ruleset=? AND as_of=?", self._key(when))
        return (when.isoformat(), int(rows[0][0])) if rows else None

    def _holding_sql(self, as_of: date | None) -> tuple[str, list[Any]]:
        """The condition "this set answers for ``as_of``" (``holding``) on ``outcome_sets.as_of``,
        as SQL inside the statement that reads the set: a set dropped meanwhile (``_retain``)
        is then read whole or not at all, never half."""
        sql = "as_of = (SELECT MAX(as_of) FROM outcome_sets WHERE jurisdiction=? AND ruleset=?"
        args: list[Any] = [self.jurisdiction, self.ruleset]
        if as_of is not None:
            sql += " AND as_of<=?"
            args.append(as_of.isoformat())
        return sql + ")", args

    def _set_rows(self, as_of: date | None, **equal: str | None) -> list[tuple]:
        """(id, kind, as_of, payload text) of the set answering for ``as_of`` (``holding``;
        None: the latest set), the columns in ``equal`` restricted when given; in date then
        id order."""
        holding, args = self._holding_sql(as_of)
        sql = (f"SELECT r.id, r.kind, r.as_of, {_PAYLOAD} FROM rule_outcomes r WHERE r.set_id = "
               "(SELECT set_id FROM outcome_sets WHERE jurisdiction=? AND ruleset=? AND "
               f"{holding})")
        args = [self.jurisdiction, self.jurisdiction, self.ruleset, *args]
        for column, value in equal.items():
            if value is not None:
                sql += f" AND r.{column}=?"
                args.append(value)
        return self._rows(sql + " ORDER BY r.as_of, r.id", args)

    def current(self, as_of: date | None = None, kind: str | None = None,
                subject: str | None = None, ident: str | None = None) -> list[StoredOutcome]:
        """The outcomes of the set answering for ``as_of`` (``holding``; None: the latest set),
        optionally of one kind (``alert`` / ``status_change``), one subject or one id; in date
        then id order."""
        return [StoredOutcome(r[0], r[1], r[2], json.loads(r[3]))
                for r in self._set_rows(as_of, kind=kind, subject=subject, id=ident)]

    # -- following a set (the plan graph) --------------------------------------------------------

    def _set_row(self, where: str, args: Sequence[Any]) -> _SetRow | None:
        rows = self._rows("SELECT as_of, generation, base, parent_as_of, parent_generation "
                          f"FROM outcome_sets WHERE jurisdiction=? AND ruleset=? AND {where}",
                          (self.jurisdiction, self.ruleset, *args))
        return _SetRow(*rows[0]) if rows else None

    def catch_up(self, as_of: date, held: tuple[str, int] | None) -> CatchUp:
        """What a reader holding state ``held`` (a ``CatchUp.mark`` it was given before, or
        None) needs to hold the set answering for ``as_of`` now: nothing when it holds it
        already; the difference (outcomes written since, ``{id, kind}`` of those withdrawn
        since and not concluded again) when the current state descends from ``held`` — the
        same set written since, or a later date's set that started from it (the service's
        date moved), at most ``MAX_HOPS`` dates on; else the whole set. Outcomes come as
        stored, not decoded (``{id, kind, as_of, fingerprint}``, the payload's canonical JSON
        text), so a reader decodes only those it does not hold. Each answer is read in one
        statement: its mark is exactly the state of its rows."""
        for _ in range(3):  # a set dropped between two statements: look again
            target = self._set_row(*self._holding_sql(as_of))
            if target is None:
                return CatchUp(None, True, [], [])
            if held == (target.as_of, target.generation):
                return CatchUp(held, False, [], [])
            hops = self._bridge(target, held)
            found = (self._whole(target) if hops is None or held is None
                     else self._difference(target, held[1], hops))
            if found is not None:
                return found
        return CatchUp(None, True, [], [])

    def changed(self, as_of: date, since: int
                ) -> tuple[list[StoredOutcome], list[dict[str, str]]]:
        """What the set answering for ``as_of`` changed after generation ``since`` (its
        ``generation`` counter as a reader last saw it): the outcomes written since (new or
        revised) and the ``{id, kind}`` of those withdrawn since and not concluded again, read
        in one statement. Same set only; ``catch_up`` also follows date moves and says when
        the set must be read whole."""
        for _ in range(3):
            target = self._set_row(*self._holding_sql(as_of))
            if target is None:
                return [], []
            found = self._difference(target, since, [(target.as_of, since, None)])
            if found is not None:
                return [StoredOutcome(o["id"], o["kind"], o["as_of"],
                                      json.loads(o["fingerprint"])) for o in found.put], found.drop
        return [], []

    def _bridge(self, target: _SetRow, held: tuple[str, int] | None
                ) -> list[tuple[str, int, int | None]] | None:
        """The withdrawals a reader holding ``held`` must apply to reach ``target``'s state, as
        (set date, after generation, up to generation or None) per set on the way back from
        ``target`` to ``held``'s set — None when ``target`` does not descend from ``held``
        (another branch, a set dropped and made again, too many dates back)."""
        if held is None:
            return None
        hops: list[tuple[str, int, int | None]] = []
        step, upto = target, None
        for _ in range(MAX_HOPS + 1):
            if step.as_of < held[0]:
                return None  # a set starts only from earlier ones
            if step.as_of == held[0]:
                same = step.base <= held[1] and (upto is None or held[1] <= upto)
                return [*hops, (step.as_of, held[1], upto)] if same else None
            hops.append((step.as_of, step.base - 1, upto))  # everything since it was made
            if step.parent_as_of is None or step.parent_generation is None:
                return None
            if (step.parent_as_of, step.parent_generation) == held:
                return hops  # it started from the very state held
            parent = self._set_row("as_of=?", (step.parent_as_of,))
            if parent is None or parent.base > step.parent_generation:
                return None  # dropped, or made again since it was copied
            step, upto = parent, step.parent_generation
        return None

    def _whole(self, target: _SetRow) -> CatchUp | None:
        """The whole set of ``target``'s date with its mark, in one statement (None: the set
        is gone)."""
        rows = self._rows(
            f"SELECT s.generation, r.id, r.kind, r.as_of, {_PAYLOAD} FROM outcome_sets s "
            "LEFT JOIN rule_outcomes r ON r.set_id=s.set_id WHERE s.jurisdiction=? AND "
            "s.ruleset=? AND s.as_of=?", (self.jurisdiction, *self._key(target.as_of)))
        if not rows:
            return None
        return CatchUp((target.as_of, int(rows[0][0])), True, [
            {"id": r[1], "kind": r[2], "as_of": r[3], "fingerprint": r[4]}
            for r in rows if r[1] is not None], [])

    def _difference(self, target: _SetRow, since: int,
                    hops: list[tuple[str, int, int | None]]) -> CatchUp | None:
        """``target``'s rows written after generation ``since`` and the withdrawals of
        ``hops``, with the set's mark, in one statement (None: the set is gone or was made
        again meanwhile)."""
        parts = ["SELECT 0, NULL, NULL, NULL, NULL, generation, base FROM outcome_sets "
                 "WHERE jurisdiction=? AND ruleset=? AND as_of=?"]
        args: list[Any] = list(self._key(target.as_of))
        for set_as_of, after, upto in hops:
            parts.append("SELECT 1, id, kind, NULL, NULL, seq, generation FROM "
                         "outcome_withdrawals WHERE jurisdiction=? AND ruleset=? AND "
                         "set_as_of=? AND generation>?"
                         + ("" if upto is None else " AND generation<=?"))
            args += [*self._key(set_as_of), after, *([] if upto is None else [upto])]
        parts.append(f"SELECT 2, r.id, r.kind, r.as_of, {_PAYLOAD}, r.generation, NULL FROM "
                     "rule_outcomes r WHERE r.set_id=(SELECT set_id FROM outcome_sets WHERE "
                     "jurisdiction=? AND ruleset=? AND as_of=?) AND r.generation>?")
        args += [self.jurisdiction, *self._key(target.as_of), since]
        rows = self._rows(" UNION ALL ".join(parts), args)
        mark = [r for r in rows if r[0] == 0]
        if not mark or int(mark[0][6]) != target.base:
            return None
        put = [{"id": r[1], "kind": r[2], "as_of": r[3], "fingerprint": r[4]}
               for r in rows if r[0] == 2]
        again = {o["id"] for o in put}
        gone = {r[1]: r[2] for r in sorted((r for r in rows if r[0] == 1),
                                           key=lambda r: int(r[5]))}
        return CatchUp((target.as_of, int(mark[0][5])), False, put,
                       [{"id": i, "kind": k} for i, k in gone.items() if i not in again])

    def get(self, ident: str, as_of: date | None = None) -> StoredOutcome | None:
        """The current outcome of that id, or None (never concluded, or withdrawn)."""
        found = self.current(as_of, ident=ident)
        return found[0] if found else None

    def withdrawals(self, ident: str | None = None,
                    subject: str | None = None) -> list[dict[str, Any]]:
        """The withdrawals' history (oldest first) of this jurisdiction, all rule sets: what
        was withdrawn, as of when, by which asserted facts (``withdrawn_by``, at most
        ``MAX_CAUSES`` of ``withdrawn_by_count``)."""
        sql = ("SELECT seq, ruleset, set_as_of, id, kind, subject, payload, withdrawn_as_of, "
               "withdrawn_by, withdrawn_by_count, recorded_at FROM outcome_withdrawals "
               "WHERE jurisdiction=?")
        args: list[Any] = [self.jurisdiction]
        for column, value in (("id", ident), ("subject", subject)):
            if value is not None:
                sql += f" AND {column}=?"
                args.append(value)
        keys = ("seq", "ruleset", "set_as_of", "id", "kind", "subject", "payload",
                "withdrawn_as_of", "withdrawn_by", "withdrawn_by_count", "recorded_at")
        out = [dict(zip(keys, row, strict=True)) for row in self._rows(sql + " ORDER BY seq",
                                                                       args)]
        for row in out:
            row["payload"] = json.loads(row["payload"])
            row["withdrawn_by"] = json.loads(row["withdrawn_by"])
        return out

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> OutcomeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the doors the live session and replay use ----------------------------------------------

_BESIDE: weakref.WeakKeyDictionary[Any, OutcomeStore] = weakref.WeakKeyDictionary()
_BESIDE_LOCK = threading.Lock()


def store_for(target: Any) -> OutcomeStore:
    """``target`` if it is a store, else the store beside that log (opened once per log
    handle, with the rule files' digest of that moment)."""
    if isinstance(target, OutcomeStore):
        return target
    with _BESIDE_LOCK:
        store = _BESIDE.get(target)
        if store is None:
            store = _BESIDE[target] = OutcomeStore(target)
        return store


def persist_changes(target: Any, changes: Changes, as_of: date,
                    upto_seq: int | None = None) -> int:
    """Record what one write's re-judgement changed in the store (``OutcomeStore.apply``;
    ``target``: the store, or the log it sits beside); how many rows changed."""
    if not (changes.added or changes.revised or changes.withdrawn):
        return 0
    return store_for(target).apply(changes, as_of, upto_seq)


def reconcile(target: Any, outcomes: Iterable[Outcome], as_of: date,
              upto_seq: int | None = None) -> int:
    """Make the store's set of ``as_of`` a replay's ``outcomes`` (``OutcomeStore.replace``;
    ``target``: the store, or the log it sits beside); how many rows changed."""
    return store_for(target).replace(as_of, outcomes, upto_seq)
