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
keeps, for auditors, what was withdrawn, when, and which asserted facts caused it.

``persist_changes`` and ``reconcile`` keep the shapes of the former ``rules.persist`` (the log
passed in stands for the store beside it). All SQL of the store is in this module, portable
between the log's backends (SQLite, PostgreSQL: ``?`` placeholders, ``kg.log.db.Database``);
the connection comes from ``_connect``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


MIGRATIONS: list[Migration] = [
    ("outcomes_0001_sets", _sets),
    ("outcomes_0002_rule_outcomes", _outcomes),
    ("outcomes_0003_withdrawals", _withdrawals),
    ("outcomes_0004_generation_indexes", _generation_indexes),
]


def _connect(log: Any) -> Database:
    """A connection of the store's own to the database that holds ``log`` (SQLite file or
    PostgreSQL), the one place the store gets one."""
    return log.database.connect()


WRITER = "rule_outcomes"
"""The name a store's write transaction excludes other writers of (all jurisdictions: the
withdrawals' sequence is one)."""


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


@dataclass
class _Txn:
    """One write to one set: its connection, the set's date, the generation the write gives
    the rows it writes, and id → (kind, payload text) of the rows it may touch."""

    conn: Any
    as_of: str
    generation: int
    stored: dict[str, tuple[str, str]]


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
        with self._db.write([WRITER]):
            yield self._db

    def _key(self, as_of: date | str) -> tuple[str, str, str]:
        return (self.jurisdiction, self.ruleset, str(as_of))

    def _set(self, conn: Any, as_of: str) -> tuple[int, int] | None:
        rows = conn.execute("SELECT upto_seq, generation FROM outcome_sets WHERE jurisdiction=? "
                            "AND ruleset=? AND as_of=?", self._key(as_of))
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    def _open_set(self, conn: Any, as_of: str, upto_seq: int | None) -> int:
        """Make sure the set of ``as_of`` exists (a new date starts from the latest earlier
        set: a session moving its clock forward only adds to what it concluded); the
        generation this write gives the rows it writes."""
        held = self._set(conn, as_of)
        if held is not None:
            return held[1] + 1
        rows = conn.execute("SELECT as_of, upto_seq FROM outcome_sets WHERE jurisdiction=? AND "
                            "ruleset=? AND as_of<? ORDER BY as_of DESC LIMIT 1",
                            self._key(as_of))
        row = rows[0] if rows else None
        conn.execute("INSERT INTO outcome_sets (jurisdiction, ruleset, as_of, upto_seq, "
                     "generation, written_at) VALUES (?,?,?,?,0,?)",
                     (*self._key(as_of), upto_seq or (row[1] if row else 0), _now()))
        if row is not None:
            conn.execute("INSERT INTO rule_outcomes (jurisdiction, ruleset, set_as_of, id, kind, "
                         "subject, as_of, payload, generation) SELECT jurisdiction, ruleset, ?, "
                         "id, kind, subject, as_of, payload, 0 FROM rule_outcomes WHERE "
                         "jurisdiction=? AND ruleset=? AND set_as_of=?",
                         (as_of, *self._key(row[0])))
        return 1

    def _stored(self, conn: Any, as_of: str, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """id → (kind, payload text) of those of ``ids`` the set holds."""
        out: dict[str, tuple[str, str]] = {}
        ids = list(ids)
        for i in range(0, len(ids), 400):
            chunk = ids[i:i + 400]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                    f"SELECT id, kind, payload FROM rule_outcomes WHERE jurisdiction=? AND "
                    f"ruleset=? AND set_as_of=? AND id IN ({marks})",
                    (*self._key(as_of), *chunk)):
                out[row[0]] = (row[1], row[2])
        return out

    def _put(self, txn: _Txn, outcomes: Iterable[Outcome]) -> int:
        written = 0
        for outcome in outcomes:
            text = _text(outcome)
            old = txn.stored.get(outcome.id)
            if old is not None and old[1] == text:
                continue
            if old is not None:
                txn.conn.execute("DELETE FROM rule_outcomes WHERE jurisdiction=? AND ruleset=? "
                                 "AND set_as_of=? AND id=?", (*self._key(txn.as_of), outcome.id))
            txn.conn.execute("INSERT INTO rule_outcomes (jurisdiction, ruleset, set_as_of, id, "
                             "kind, subject, as_of, payload, generation) "
                             "VALUES (?,?,?,?,?,?,?,?,?)",
                             (*self._key(txn.as_of), outcome.id, kind_of(outcome),
                              outcome.subject.id, outcome.as_of, text, txn.generation))
            txn.stored[outcome.id] = (kind_of(outcome), text)
            written += 1
        return written

    def _withdraw(self, txn: _Txn, ids: Iterable[str], when: date,
                  causes: dict[str, list[str]]) -> int:
        """Remove ``ids`` from the set, each with a row in the withdrawals' history."""
        seq = int(txn.conn.execute("SELECT MAX(seq) FROM outcome_withdrawals")[0][0] or 0)
        written = 0
        for ident in ids:
            if ident not in txn.stored:
                continue  # never stored: nothing to withdraw
            kind, text = txn.stored.pop(ident)
            subject = (json.loads(text).get("subject") or {}).get("id") or ""
            by = causes.get(ident, [])
            seq += 1
            txn.conn.execute(
                "INSERT INTO outcome_withdrawals (seq, jurisdiction, ruleset, set_as_of, id, "
                "kind, subject, payload, withdrawn_as_of, withdrawn_by, withdrawn_by_count, "
                "generation, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (seq, *self._key(txn.as_of), ident, kind, subject, text, when.isoformat(),
                 json.dumps(by[:MAX_CAUSES]), len(by), txn.generation, _now()))
            txn.conn.execute("DELETE FROM rule_outcomes WHERE jurisdiction=? AND ruleset=? AND "
                             "set_as_of=? AND id=?", (*self._key(txn.as_of), ident))
            written += 1
        return written

    def _touch(self, txn: _Txn, upto_seq: int | None) -> None:
        txn.conn.execute("UPDATE outcome_sets SET generation=?, written_at=?, "
                         "upto_seq=CASE WHEN ? > upto_seq THEN ? ELSE upto_seq END "
                         "WHERE jurisdiction=? AND ruleset=? AND as_of=?",
                         (txn.generation, _now(), upto_seq or 0, upto_seq or 0,
                          *self._key(txn.as_of)))

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
            txn = _Txn(conn, when, self._open_set(conn, when, upto_seq), {
                r[0]: (r[1], r[2]) for r in conn.execute(
                    "SELECT id, kind, payload FROM rule_outcomes WHERE jurisdiction=? AND "
                    "ruleset=? AND set_as_of=?", self._key(when))})
            concluded = {o.id for o in outcomes}
            written = self._withdraw(txn, [i for i in txn.stored if i not in concluded],
                                     as_of, {})
            written += self._put(txn, outcomes)
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
            txn = _Txn(conn, when, self._open_set(conn, when, upto_seq),
                       self._stored(conn, when, touched))
            written = self._withdraw(txn, [o.id for o in changes.withdrawn], as_of,
                                     changes.causes)
            written += self._put(txn, (*changes.added, *changes.revised))
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
            for table in ("rule_outcomes", "outcome_sets"):
                conn.execute(f"DELETE FROM {table} WHERE jurisdiction=? AND ruleset<>?",
                             (self.jurisdiction, self.ruleset))
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

    def _set_rows(self, as_of: date | None, **equal: str | None) -> list[tuple]:
        """(id, kind, as_of, payload text) of the set answering for ``as_of`` (``holding``;
        None: the latest set), the columns in ``equal`` restricted when given; in date then
        id order."""
        when = self.holding(as_of)
        if when is None:
            return []
        sql = ("SELECT id, kind, as_of, payload FROM rule_outcomes WHERE jurisdiction=? AND "
               "ruleset=? AND set_as_of=?")
        args: list[Any] = list(self._key(when))
        for column, value in equal.items():
            if value is not None:
                sql += f" AND {column}=?"
                args.append(value)
        return self._rows(sql + " ORDER BY as_of, id", args)

    def current(self, as_of: date | None = None, kind: str | None = None,
                subject: str | None = None, ident: str | None = None) -> list[StoredOutcome]:
        """The outcomes of the set answering for ``as_of`` (``holding``; None: the latest set),
        optionally of one kind (``alert`` / ``status_change``), one subject or one id; in date
        then id order."""
        return [StoredOutcome(r[0], r[1], r[2], json.loads(r[3]))
                for r in self._set_rows(as_of, kind=kind, subject=subject, id=ident)]

    def stored_texts(self, as_of: date | None = None) -> list[dict[str, Any]]:
        """The set answering for ``as_of`` as stored, not decoded: ``{id, kind, as_of,
        fingerprint}`` with the payload's canonical JSON text (``_text``: sorted keys), so a
        reader that holds most of the set already (the plan graph after the service's date
        moved) compares texts and decodes only the outcomes that changed."""
        return [{"id": r[0], "kind": r[1], "as_of": r[2], "fingerprint": r[3]}
                for r in self._set_rows(as_of)]

    def changed(self, as_of: date, since: int) -> tuple[list[StoredOutcome], list[dict[str, str]]]:
        """What the set answering for ``as_of`` changed after generation ``since``: the
        outcomes written since (new or revised) and the ``{id, kind}`` of those withdrawn since
        and not concluded again — so a reader that holds the set at ``since`` catches up
        without re-reading it."""
        as_of = self.holding(as_of) or as_of
        put = [StoredOutcome(r[0], r[1], r[2], json.loads(r[3])) for r in self._rows(
            "SELECT id, kind, as_of, payload FROM rule_outcomes WHERE jurisdiction=? AND "
            "ruleset=? AND set_as_of=? AND generation>? ORDER BY as_of, id",
            (*self._key(as_of), since))]
        again = {o.id for o in put}
        gone = {r[0]: r[1] for r in self._rows(
            "SELECT id, kind FROM outcome_withdrawals WHERE jurisdiction=? AND ruleset=? AND "
            "set_as_of=? AND generation>? ORDER BY seq", (*self._key(as_of), since))}
        return put, [{"id": i, "kind": k} for i, k in gone.items() if i not in again]

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
