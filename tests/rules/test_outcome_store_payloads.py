"""The outcome store keeps each payload once (issue 18, migration
``outcomes_0007_shared_payloads``): a database written at the old schema (payload text in every
row of every set) is converted without losing a set, a row, its lineage or the withdrawals'
history, and a replay of the same facts then finds nothing to rewrite; a payload no set names
any more (revised, withdrawn, its sets dropped) is deleted, and none a set names ever is. On
SQLite and PostgreSQL; expected outcomes come from replays computed at test time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kg.dataset import load_into
from kg.log import open_log
from kg.log.migrations import migrate
from rules.replay import replay
from rules.session import RuleSession
from rules.store import KEEP_OLDER, MIGRATIONS, OutcomeStore, kind_of, reconcile
from tests.pg import LogBackend
from tests.rules.test_outcome_store import MINI, _normal, _report
from tests.rules.test_outcome_store_lineage import _write

OCTOBER, DECEMBER = date(2024, 10, 31), date(2024, 12, 31)
RULESET = "old-schema-rules"


@pytest.fixture
def log(log_backend: LogBackend) -> Iterator[Any]:
    """The mini dataset's log, once per backend (as in the store's other tests)."""
    handle = open_log(log_backend.target())
    load_into(handle, MINI)
    yield handle
    handle.close()


def _canonical(outcome: Any) -> str:
    """The payload text the store has always kept (sorted keys, UTF-8 kept)."""
    return json.dumps(outcome.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def _old_row(jurisdiction: str, when: date, outcome: Any, generation: int) -> tuple:
    return (jurisdiction, RULESET, when.isoformat(), outcome.id, kind_of(outcome),
            outcome.subject.id, _canonical(outcome), generation, outcome.as_of)


def _write_old_schema(log: Any) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """A database at migration 0006 holding what the old store wrote for a live session that
    moved from October to December, a September report corrected between: October's set
    (generation 3), December's started from it (base 4) and written at generation 5 — rows
    copied from October keep generation 3 — and a withdrawal row for each October outcome
    December no longer concludes. Returns October's and December's outcomes by id and the
    withdrawn ids."""
    log.append([_report(40, date(2024, 9, 30), "9T/2024")])  # lagging: an alert
    october = {o.id: o for o in replay(log, OCTOBER, persist=False).outcomes}
    log.append([_report(95, date(2024, 9, 30), "9T/2024")])  # corrected: withdrawn
    december = {o.id: o for o in replay(log, DECEMBER, persist=False).outcomes}
    gone = sorted(set(october) - set(december))
    assert october and december and gone  # the mini dataset's year moves on
    db = log.database.connect()
    migrate(db, MIGRATIONS[:6], ledger="_outcome_migrations")
    who = log.jurisdiction or ""
    columns = ("jurisdiction, ruleset, set_as_of, id, kind, subject, payload, generation, "
               "as_of")
    with db.write(["old-schema"]):
        for when, generation, base, parent in ((OCTOBER, 3, 3, None), (DECEMBER, 5, 4, 3)):
            db.execute("INSERT INTO outcome_sets (jurisdiction, ruleset, as_of, upto_seq, "
                       "generation, base, parent_as_of, parent_generation, written_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?)",
                       (who, RULESET, when.isoformat(), log.last_seq(), generation, base,
                        OCTOBER.isoformat() if parent else None, parent, "2024-12-31T00:00:00"))
        rows = [_old_row(who, OCTOBER, o, 3) for o in october.values()]
        rows += [_old_row(who, DECEMBER, o, 3 if o.id in october and _canonical(o)
                          == _canonical(october[o.id]) else 5) for o in december.values()]
        for row in rows:
            db.execute(f"INSERT INTO rule_outcomes ({columns}) VALUES (?,?,?,?,?,?,?,?,?)", row)
        for ident in gone:
            old = october[ident]
            db.execute("INSERT INTO outcome_withdrawals (jurisdiction, ruleset, set_as_of, id, "
                       "kind, subject, payload, generation, withdrawn_as_of, withdrawn_by, "
                       "withdrawn_by_count, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       (who, RULESET, DECEMBER.isoformat(), ident, kind_of(old),
                        old.subject.id, _canonical(old), 5, DECEMBER.isoformat(), "[]", 0,
                        "2024-12-31T00:00:00"))
        db.execute("INSERT INTO outcome_counter (name, value) VALUES (?, ?)",
                   (f"generation:{who}", 5))
    db.close()
    return october, december, gone


def _payload_rows(log: Any) -> tuple[int, int, int]:
    """(payloads kept, distinct payloads the sets' rows name, rows naming a missing one)."""
    db = log.database.connect()
    try:
        kept = db.execute("SELECT COUNT(*) FROM outcome_payloads")[0][0]
        named = db.execute("SELECT COUNT(DISTINCT digest) FROM rule_outcomes")[0][0]
        missing = db.execute(
            "SELECT COUNT(*) FROM rule_outcomes r JOIN outcome_sets s ON s.set_id=r.set_id "
            "WHERE NOT EXISTS (SELECT 1 FROM outcome_payloads p WHERE "
            "p.jurisdiction=s.jurisdiction AND p.digest=r.digest)")[0][0]
        return int(kept), int(named), int(missing)
    finally:
        db.close()


def test_an_old_schema_database_is_converted_without_losing_outcomes(log: Any) -> None:
    october, december, gone = _write_old_schema(log)
    store = OutcomeStore(log, ruleset=RULESET)  # migrates to 0007
    for when, expected in ((OCTOBER, october), (DECEMBER, december)):
        assert {o.id: o.payload for o in store.current(when)} == {
            i: _normal(o.to_dict()) for i, o in expected.items()}
        assert {o.id: (o.kind, o.as_of) for o in store.current(when)} == {
            i: (kind_of(o), o.as_of) for i, o in expected.items()}
    assert store.dates() == [OCTOBER, DECEMBER]
    assert store.generation(DECEMBER) == (DECEMBER.isoformat(), 5)
    assert sorted(w["id"] for w in store.withdrawals()) == gone
    # each distinct payload kept once, every row's payload there
    kept, named, missing = _payload_rows(log)
    assert (kept, missing) == (named, 0)
    assert kept == len({(i, _canonical(o)) for i, o in (*october.items(), *december.items())})
    # the lineage survived: a reader holding October's state catches up by difference
    caught = store.catch_up(DECEMBER, (OCTOBER.isoformat(), 3))
    assert not caught.whole and caught.mark == (DECEMBER.isoformat(), 5)
    held = {i: _canonical(o) for i, o in october.items()}
    for item in caught.drop:
        held.pop(item["id"])
    held.update({item["id"]: item["fingerprint"] for item in caught.put})
    assert held == {i: _canonical(o) for i, o in december.items()}
    # the converted digests are the store's own: the same replay rewrites nothing
    assert reconcile(store, december.values(), DECEMBER, log.last_seq()) == 0
    assert store.generation(DECEMBER) == (DECEMBER.isoformat(), 5)
    store.close()


def test_payloads_no_set_names_are_collected_and_named_ones_kept(log: Any) -> None:
    store = OutcomeStore(log)
    days = [date(2024, 7, 31), date(2024, 8, 31), date(2024, 9, 30), OCTOBER,
            date(2024, 11, 30), DECEMBER]
    session = RuleSession.start(log, days[0])
    reconcile(store, session.result().outcomes, days[0], log.last_seq())
    withdrawn: set[str] = set()
    for day in days[1:]:  # lagging then corrected reports: revisions, withdrawals, new sets
        withdrawn |= _write(log, session, store, day, _report(30, day, f"{day.month}T/2024"))
        withdrawn |= _write(log, session, store, day, _report(95, day, f"{day.month}T/2024"))
    assert withdrawn  # the corrections withdrew alerts
    assert store.dates() == days[-KEEP_OLDER - 1:]  # old sets dropped
    kept, named, missing = _payload_rows(log)
    assert (kept, missing) == (named, 0)  # none left unnamed, none named missing
    clean = {o.id: _normal(o.to_dict()) for o in replay(log, DECEMBER, persist=False).outcomes}
    assert {o.id: o.payload for o in store.current(DECEMBER)} == clean
    # the history keeps the withdrawn payloads though no set names them
    assert {w["id"] for w in store.withdrawals()} >= withdrawn
    assert all(w["payload"]["id"] == w["id"] for w in store.withdrawals())
    # another rule set's store drops this one's sets, and with them their payloads
    other = OutcomeStore(log, ruleset="another-rule-set")
    assert other.drop_stale() == len(days[-KEEP_OLDER - 1:])
    assert _payload_rows(log) == (0, 0, 0)
    other.close()
