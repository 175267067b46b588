"""The rules' outcome store (rules.store): outcomes live apart from the fact log, a replay
fills it (a second replay writes nothing), a write's re-judgement updates it — a withdrawn
outcome leaves the current set and its withdrawal is kept with its cause — and after
incremental writes it equals a clean replay of the same facts — on SQLite and on PostgreSQL.
Expected outcomes come from a replay computed at test time on a fresh copy of the facts, never
from counts written here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, Source, open_log
from kg.outcome_graph import OutcomeProjection, outcome_node
from ontology.namespace import KH
from rules.replay import replay
from rules.session import RuleSession
from rules.store import OutcomeStore, persist_changes, reconcile, store_for
from tests.pg import LogBackend

MINI = Path(__file__).parents[1] / "service" / "data" / "mini"
AS_OF = date(2024, 12, 31)


def _report(pct: int, when: date, period: str = "9T/2024") -> Fact:
    key = f"obs-store-budget_revenue-{period.replace('/', '-')}"
    return Fact("observation", key, {
        "id": key, "indicator": "budget_revenue", "period": period, "value": f"{pct * 100}",
        "pct_of_plan": str(pct), "unit": "tỷ đồng", "kind": "actual",
        "plan_basis": "ke_hoach", "footnote": False, "as_of": when.isoformat()},
        Source("api:test"), as_of=when)


@pytest.fixture
def log(log_backend: LogBackend) -> Iterator[Any]:
    """The mini dataset's log, once per backend (SQLite file, PostgreSQL schema): the store's
    tables and SQL are the same on both."""
    handle = open_log(log_backend.target())
    load_into(handle, MINI)
    yield handle
    handle.close()


def _normal(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))


def _stored(store: OutcomeStore) -> dict[str, dict[str, Any]]:
    return {o.id: o.payload for o in store.current(AS_OF)}


def _clean_replay(log: Any, tmp: Path) -> dict[str, dict[str, Any]]:
    """What a replay of the same asserted facts concludes, on a fresh database."""
    with open_log(tmp / "clean.db") as fresh:
        fresh.append([Fact(f.kind, f.key, f.payload, f.source, f.as_of) for f in log.read()])
        return {o.id: _normal(o.to_dict())
                for o in replay(fresh, AS_OF, persist=False).outcomes}


def test_a_replay_fills_the_store_not_the_log_and_a_second_writes_nothing(log: Any) -> None:
    kinds_before = log.counts()
    first = replay(log, AS_OF, persist=False)
    assert first.outcomes
    assert reconcile(log, first.outcomes, AS_OF, log.last_seq()) == len(first.outcomes)
    assert log.counts() == kinds_before  # the log holds only asserted facts
    store = store_for(log)
    assert _stored(store) == {o.id: _normal(o.to_dict()) for o in first.outcomes}
    mark = store.generation(AS_OF)
    again = replay(log, AS_OF, persist=False).outcomes
    assert reconcile(log, again, AS_OF, log.last_seq()) == 0
    assert store.generation(AS_OF) == mark  # nothing rewritten, readers need not re-read
    # a later date with no set of its own: nothing changed since, the set before answers
    assert store.current(date(2025, 1, 5)) == store.current(AS_OF)
    assert store.generation(date(2025, 1, 5)) == mark
    assert store.current(date(2024, 1, 1)) == []  # before any set: the store knows nothing
    alert = next(o for o in first.outcomes if o.kind != "status_change")
    assert store.get(alert.id).outcome() == alert  # read back as the rules wrote it
    assert {o.id for o in store.current(subject=alert.subject.id)} >= {alert.id}


def test_a_backdated_fact_withdraws_an_outcome_with_its_cause(log: Any,
                                                             tmp_path: Path) -> None:
    session = RuleSession.start(log, AS_OF)
    reconcile(log, session.result().outcomes, AS_OF, log.last_seq())
    store = store_for(log)
    lagging = log.append([_report(40, date(2024, 10, 5))])
    raised = session.judge_facts([log.get("observation", lagging[0].fact.key)])
    assert persist_changes(log, raised, AS_OF) > 0
    alerts = {o.id for o in raised.added if o.kind != "status_change"}
    assert alerts and alerts <= set(_stored(store))
    # the figure is corrected, dated the same day (backdated): the lagging alert no longer holds
    held = store.catch_up(AS_OF, None).mark
    fixed = log.append([_report(95, date(2024, 10, 5))])
    dropped = session.judge_facts([log.get("observation", fixed[0].fact.key)])
    cause = fixed[0].fact.id
    assert {o.id for o in dropped.withdrawn} >= alerts
    persist_changes(log, dropped, AS_OF, log.last_seq())
    assert not alerts & set(_stored(store))
    assert all(store.get(i) is None for i in alerts)
    caught = store.catch_up(AS_OF, held)  # what a reader holding the set before catches up
    assert not caught.whole
    assert {g["id"] for g in caught.drop} == {o.id for o in dropped.withdrawn}
    assert {o["id"] for o in caught.put} == {o.id for o in (*dropped.added, *dropped.revised)}
    put, gone = store.changed(AS_OF, held[1])  # the same, decoded (a same-set reader)
    assert ({o.id for o in put}, gone) == ({o["id"] for o in caught.put}, caught.drop)
    history = {w["id"]: w for w in store.withdrawals() if w["id"] in alerts}
    assert set(history) == alerts
    assert all(w["withdrawn_by"] == [cause] and w["withdrawn_as_of"] == AS_OF.isoformat()
               for w in history.values())
    assert _stored(store) == _clean_replay(log, tmp_path)


def test_incremental_writes_leave_the_store_equal_to_a_clean_replay(
        log: Any, tmp_path: Path) -> None:
    session = RuleSession.start(log, AS_OF)
    reconcile(log, session.result().outcomes, AS_OF, log.last_seq())
    writes = [[_report(40, date(2024, 10, 5))], [_report(30, date(2024, 7, 5), "6T/2024")],
              [_report(70, date(2024, 12, 5), "11T/2024")], [_report(99, date(2024, 10, 5))]]
    for facts in writes:
        stored = log.append(facts)
        changes = session.judge_facts([log.get(s.fact.kind, s.fact.key) for s in stored])
        persist_changes(log, changes, AS_OF, log.last_seq())
        assert _stored(store_for(log)) == _clean_replay(log, tmp_path / str(log.last_seq()))


def test_a_replay_older_than_the_set_writes_nothing(log: Any) -> None:
    before = log.last_seq()
    old = replay(log, AS_OF, persist=False).outcomes
    log.append([_report(40, date(2024, 10, 5))])
    reconcile(log, replay(log, AS_OF, persist=False).outcomes, AS_OF, log.last_seq())
    newer = _stored(store_for(log))
    assert reconcile(log, old, AS_OF, before) == 0
    assert _stored(store_for(log)) == newer


def test_sets_of_other_rule_sets_are_dropped(log: Any) -> None:
    reconcile(log, replay(log, AS_OF, persist=False).outcomes, AS_OF, log.last_seq())
    with OutcomeStore(log, ruleset="an-older-rule-set") as older:
        older.replace(AS_OF, replay(log, AS_OF, persist=False).outcomes, log.last_seq())
        assert older.current(AS_OF)
    current = store_for(log)
    assert current.drop_stale() == 1
    assert current.current(AS_OF)  # its own set stays
    with OutcomeStore(log, ruleset="an-older-rule-set") as older:
        assert older.current(AS_OF) == [] and older.dates() == []


def test_the_withdrawals_history_is_append_only(log: Any, log_backend: LogBackend) -> None:
    session = RuleSession.start(log, AS_OF)
    reconcile(log, session.result().outcomes, AS_OF)
    for pct in (40, 95):
        stored = log.append([_report(pct, date(2024, 10, 5))])
        persist_changes(log, session.judge_facts([log.get("observation", stored[0].fact.key)]),
                        AS_OF)
    assert store_for(log).withdrawals()
    conn = log_backend.raw(log.target)
    try:
        for sql in ("DELETE FROM outcome_withdrawals", "UPDATE outcome_withdrawals SET id='x'"):
            with pytest.raises(log_backend.error, match="append-only"):
                conn.execute(sql)
    finally:
        conn.close()


def test_a_graph_synced_from_the_stored_texts_decodes_only_what_changed(log: Any) -> None:
    """The plan graph re-syncs its outcome nodes from the store's texts when it cannot catch
    up with a difference (``catch_up`` of no held state): an outcome it already holds is
    recognised by its text and not projected again; one whose content changed is, with the
    decoded payload."""

    result = replay(log, AS_OF, persist=False)
    reconcile(log, result.outcomes, AS_OF, log.last_seq())
    store = store_for(log)
    decoded = [o.to_dict() for o in store.current(AS_OF)]
    texts = store.catch_up(AS_OF, None).put
    texts.sort(key=lambda t: (t["as_of"], t["id"]))
    assert [t["id"] for t in texts] == [d["id"] for d in decoded]
    plan, projection = PlanGraph.from_log(log), OutcomeProjection()
    assert projection.sync(plan, decoded) == len(decoded)
    size = len(plan)
    assert projection.sync(plan, texts) == 0  # every text is the held outcome's fingerprint
    assert len(plan) == size
    first = dict(texts[0])
    payload = json.loads(first["fingerprint"])
    payload["as_of"] = "2024-12-30"  # the same outcome, concluded on another day
    first["fingerprint"] = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    assert projection.sync(plan, [first, *texts[1:]]) == 1
    node = outcome_node(first)
    assert {str(o) for o in plan.graph.objects(node, KH.asOf)} == {"2024-12-30"}
