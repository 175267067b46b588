"""Following the outcome store across date moves (issue 18): a set made for a later date starts
from the one before, so a reader holding that state (the service's plan graph) catches up with
the difference only — never showing a withdrawn outcome nor missing a new one — and re-reads
the whole set whenever the store cannot vouch for the difference (another branch, a set
dropped or made again). Old sets are dropped beyond ``KEEP_OLDER``. On SQLite and PostgreSQL;
expected graphs come from a whole re-projection of the store's current set at test time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, open_log
from kg.outcome_graph import OutcomeProjection, outcome_node
from rules.replay import replay
from rules.session import RuleSession
from rules.store import KEEP_OLDER, OutcomeStore, persist_changes, reconcile
from tests.pg import LogBackend
from tests.rules.test_outcome_store import MINI, _report

OCTOBER, NOVEMBER, DECEMBER = date(2024, 10, 31), date(2024, 11, 30), date(2024, 12, 31)


@pytest.fixture
def log(log_backend: LogBackend) -> Iterator[Any]:
    handle = open_log(log_backend.target())
    load_into(handle, MINI)
    yield handle
    handle.close()


def _whole(log: Any, store: OutcomeStore, when: date) -> set:
    """The graph a fresh reader builds: the log's facts and the store's current set of
    ``when``, projected whole."""
    plan = PlanGraph.from_log(log)
    OutcomeProjection(log.jurisdiction).sync(plan, [o.to_dict() for o in store.current(when)])
    return set(plan.graph)


def _write(log: Any, session: RuleSession, store: OutcomeStore, when: date,
           *facts: Fact) -> set[str]:
    """Append ``facts`` and record what the session concludes at ``when`` (moving its clock
    first, as the live session does); the ids withdrawn."""
    moved = session.advance_changes(when)
    persist_changes(store, moved, when, log.last_seq())
    stored = log.append(list(facts))
    changes = session.judge_facts([log.get(s.fact.kind, s.fact.key) for s in stored])
    persist_changes(store, changes, when, log.last_seq())
    return {o.id for o in (*moved.withdrawn, *changes.withdrawn)}


def test_a_date_move_then_a_backdated_correction_is_caught_up_by_difference(log: Any) -> None:
    store = OutcomeStore(log)
    session = RuleSession.start(log, OCTOBER)
    reconcile(store, session.result().outcomes, OCTOBER, log.last_seq())
    plan, projection = PlanGraph.from_log(log), OutcomeProjection(log.jurisdiction)
    _write(log, session, store, OCTOBER, _report(40, date(2024, 9, 30), "9T/2024"))
    plan.refresh(log)
    projection.follow(plan, store, OCTOBER)
    lagging = {o.id for o in store.current(OCTOBER)
               if o.kind == "alert" and "budget_revenue@2024:9T/2024" in o.id}
    assert lagging and {outcome_node(o.to_dict()) for o in store.current(OCTOBER)
                        if o.id in lagging} <= set(plan.graph.subjects())
    october = projection.version

    # the service's date moves: November's set starts from October's state
    _write(log, session, store, NOVEMBER, _report(45, date(2024, 10, 31), "10T/2024"))
    caught = store.catch_up(NOVEMBER, october)
    assert not caught.whole and caught.mark is not None and caught.mark[0] == "2024-11-30"
    assert len(caught.put) < len(store.current(NOVEMBER))  # the difference, not the set
    plan.refresh(log)
    projection.follow(plan, store, NOVEMBER)
    assert set(plan.graph) == _whole(log, store, NOVEMBER)

    # September's figure corrected, dated the same day (backdated): its alert is withdrawn
    november = projection.version
    withdrawn = _write(log, session, store, NOVEMBER, _report(95, date(2024, 9, 30), "9T/2024"))
    assert lagging <= withdrawn
    assert not store.catch_up(NOVEMBER, november).whole
    plan.refresh(log)
    projection.follow(plan, store, NOVEMBER)
    assert set(plan.graph) == _whole(log, store, NOVEMBER)
    assert not {outcome_node({"kind": "alert", "id": i}) for i in lagging} & set(
        plan.graph.subjects())


def test_a_reader_two_date_moves_behind_catches_up_by_difference(log: Any) -> None:
    store = OutcomeStore(log)
    session = RuleSession.start(log, OCTOBER)
    reconcile(store, session.result().outcomes, OCTOBER, log.last_seq())
    plan, projection = PlanGraph.from_log(log), OutcomeProjection(log.jurisdiction)
    projection.follow(plan, store, OCTOBER)
    _write(log, session, store, NOVEMBER, _report(40, date(2024, 9, 30), "9T/2024"))
    _write(log, session, store, DECEMBER, _report(95, date(2024, 9, 30), "9T/2024"),
           _report(30, date(2024, 11, 30), "11T/2024"))
    assert not store.catch_up(DECEMBER, projection.version).whole
    plan.refresh(log)
    projection.follow(plan, store, DECEMBER)
    assert set(plan.graph) == _whole(log, store, DECEMBER)


def test_a_reader_on_another_branch_rereads_the_whole_set(log: Any) -> None:
    """October's set written after November's started from it (a replay of October recorded
    later): a reader holding that October state cannot reach November by a difference."""
    store = OutcomeStore(log)
    session = RuleSession.start(log, OCTOBER)
    reconcile(store, session.result().outcomes, OCTOBER, log.last_seq())
    _write(log, session, store, NOVEMBER, _report(40, date(2024, 9, 30), "9T/2024"))
    log.append([_report(95, date(2024, 9, 30), "9T/2024")])
    reconcile(store, replay(log, OCTOBER, persist=False).outcomes, OCTOBER, log.last_seq())
    plan, projection = PlanGraph.from_log(log), OutcomeProjection(log.jurisdiction)
    projection.follow(plan, store, OCTOBER)
    assert store.catch_up(NOVEMBER, projection.version).whole
    projection.follow(plan, store, NOVEMBER)
    assert set(plan.graph) == _whole(log, store, NOVEMBER)


def test_a_live_sessions_date_moves_drop_old_sets_and_a_set_made_again_is_reread(
        log: Any) -> None:
    store = OutcomeStore(log)
    days = [date(2024, 7, 31), date(2024, 8, 31), date(2024, 9, 30), OCTOBER, NOVEMBER,
            DECEMBER]
    session = RuleSession.start(log, days[0])
    reconcile(store, session.result().outcomes, days[0], log.last_seq())
    plan, projection = PlanGraph.from_log(log), OutcomeProjection(log.jurisdiction)
    projection.follow(plan, store, days[0])
    for day in days[1:]:  # a lagging report each month: each month's set has a new alert
        _write(log, session, store, day, _report(30, day, f"{day.month}T/2024"))
    assert store.dates() == days[-KEEP_OLDER - 1:]  # the newest and KEEP_OLDER before it
    assert store.current(days[0]) == []  # dropped: the store no longer answers for it
    # a whole replay (a later date, an older one) drops nothing
    later = date(2025, 1, 31)
    for day in (later, days[0]):
        reconcile(store, replay(log, day, persist=False).outcomes, day, log.last_seq())
    assert store.dates() == [days[0], *days[-KEEP_OLDER - 1:], later]
    # the reader held July's set as first made: July's set made again is read whole
    assert store.catch_up(days[0], projection.version).whole
    plan.refresh(log)
    projection.follow(plan, store, days[0])
    assert set(plan.graph) == _whole(log, store, days[0])
