"""The rules' outcomes kept in the outcome store and the graph agree with a clean replay
(issue 13, case 9; issue 18: outcomes apart from facts): after writes that supersede a report,
backdate one, or change an agency, the store's current alerts and status changes are exactly
what a replay of the same facts concludes, with the same content, and the plan graph (SPARQL,
trace, impact) shows the same. The replay is computed at test time from a fresh copy of the
asserted facts, never counted."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import GraphError
from kg.log import Fact, Source, open_log
from kg.project import split_iri
from ontology.namespace import KH
from rules.outcomes import outcome_from_dict
from rules.replay import replay
from rules.session import Changes
from rules.store import store_for
from service.runtime import Runtime
from service.settings import Settings
from tests.pg import LogBackend
from tests.service.conftest import BACKENDS, SECRET

STORAGE = BACKENDS  # the mini-database tests on SQLite and PostgreSQL (conftest)

AS_OF = date(2024, 12, 31)
Outcomes = dict[tuple[str, str], dict[str, Any]]
Copy = Callable[[], Path | str]  # a new copy of the mini database per call


def _runtime(db: Path | str) -> Runtime:
    rt = Runtime(Settings(db=db, secret_key=SECRET, as_of=AS_OF))
    rt.start()
    return rt


@pytest.fixture
def mini_db(seeded: Path | str, service_backend: LogBackend
            ) -> Iterator[Copy]:
    """A new copy of the seeded mini database per call, on this test's backend (SQLite and
    PostgreSQL: ``STORAGE``); the data/langson tests stay on SQLite."""
    made: list[Path | str] = []

    def copy() -> Path | str:
        made.append(service_backend.copy(seeded, "mini"))
        return made[-1]

    yield copy
    for target in made:
        service_backend.drop(target)


@pytest.fixture
def langson(langson_db: Path, tmp_path: Path) -> Iterator[Runtime]:
    shutil.copy(langson_db, tmp_path / "kehoach.db")
    rt = _runtime(tmp_path / "kehoach.db")
    yield rt
    rt.close()


def _observation(indicator: str, period: str, pct: int, when: date,
                 key: str | None = None) -> Fact:
    """A report in the dataset's row shape, as the API stores it."""
    key = key or f"obs-test-{indicator}-{period.replace('/', '-')}"
    return Fact("observation", key, {
        "id": key, "indicator": indicator, "period": period, "value": f"{pct * 100}",
        "pct_of_plan": str(pct), "unit": "tỷ đồng", "kind": "actual",
        "plan_basis": "ke_hoach", "footnote": False, "as_of": when.isoformat()},
        Source("api:test"), as_of=when)


def _normal(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload as the log stores it (JSON)."""
    return json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))


def _live(rt: Runtime) -> Outcomes:
    """The outcome store's current outcomes (the set of the service's date)."""
    return {(o.kind, o.id): o.payload for o in store_for(rt.log).current(AS_OF)}


def _replayed(rt: Runtime, tmp: Path) -> Outcomes:
    """A clean replay of the same asserted facts, on a fresh log."""
    copy = tmp / "replay.db"
    copy.unlink(missing_ok=True)
    with open_log(copy) as log:
        log.append([Fact(f.kind, f.key, f.payload, f.source, f.as_of)
                    for f in rt.log.read()])
        result = replay(log, AS_OF, persist=False)
    return {("alert" if o in result.alerts else "status_change", o.id): _normal(o.to_dict())
            for o in result.outcomes}


def _in_graph(rt: Runtime) -> set[tuple[str, str]]:
    rows = rt.graph().graph.query(
        "SELECT ?n ?c WHERE { VALUES ?c { kh:Alert kh:StatusChange } ?n a ?c }",
        initNs={"kh": KH})
    kinds = {KH.Alert: "alert", KH.StatusChange: "status_change"}
    return {(kinds[c], split_iri(n)[1]) for n, c in rows}


def _assert_consistent(rt: Runtime, tmp: Path) -> Outcomes:
    live, replayed = _live(rt), _replayed(rt, tmp)
    assert sorted(set(live) - set(replayed)) == []  # nothing outlives its facts
    assert sorted(set(replayed) - set(live)) == []
    assert [k for k in live if live[k] != replayed[k]] == []
    assert set(live) == _in_graph(rt)
    return live


def test_a_superseded_report_withdraws_its_alert_and_status_change(
        langson: Runtime, tmp_path: Path) -> None:
    _assert_consistent(langson, tmp_path)
    first = langson.write([_observation("budget_revenue", "11T/2024", 70, date(2024, 12, 5))],
                          "test", None)
    raised = {a["id"] for a in first.alerts if a["subject"]["id"] == "budget_revenue@2024"}
    changed = {c["id"] for c in first.status_changes}
    assert raised and changed
    assert raised <= {key for kind, key in _assert_consistent(langson, tmp_path)
                      if kind == "alert"}

    second = langson.write([_observation("budget_revenue", "11T/2024", 99, date(2024, 12, 5))],
                           "test", None)
    live = _assert_consistent(langson, tmp_path)
    gone = raised - {key for _kind, key in live}
    assert gone, "the on-track version no longer supports the lagging alert"
    assert changed - {key for _kind, key in live}  # the status went back: no A → B → A
    cause = second.to_dict()["facts"][0]["id"]
    graph = langson.graph()
    store = store_for(langson.log)
    for alert_id in gone:
        assert store.get(alert_id, AS_OF) is None
        withdrawal = store.withdrawals(ident=alert_id)[-1]
        assert withdrawal["withdrawn_by"] == [cause]
        assert withdrawal["withdrawn_as_of"] == AS_OF.isoformat()
        assert withdrawal["payload"]["id"] == alert_id  # as it was raised
        with pytest.raises(GraphError):
            graph.trace(alert_id)
    impact = graph.impact("nq-hdnd-ke-hoach-2024")
    assert not gone & {a["id"] for a in impact["alerts"]}
    assert impact["alerts"]  # the document's other alerts are still there

    # a third version concludes the lagging alert again: current once more
    langson.write([_observation("budget_revenue", "11T/2024", 70, date(2024, 12, 5))],
                  "test", None)
    live = _assert_consistent(langson, tmp_path)
    assert raised <= {key for kind, key in live if kind == "alert"}


def test_a_backdated_report_rejudges_history_and_the_log_follows(
        langson: Runtime, tmp_path: Path) -> None:
    langson.write([_observation("budget_revenue", "9T/2024", 40, date(2024, 10, 5))],
                  "test", None)
    _assert_consistent(langson, tmp_path)
    langson.write([_observation("budget_revenue", "6T/2024", 30, date(2024, 7, 5))],
                  "test", None)
    _assert_consistent(langson, tmp_path)
    langson.write([_observation("budget_revenue", "9T/2024", 95, date(2024, 10, 5))],
                  "test", None)
    _assert_consistent(langson, tmp_path)


def test_start_withdraws_what_an_older_run_left_behind(mini_db: Copy, tmp_path: Path) -> None:
    db = mini_db()
    rt = _runtime(db)
    live = _assert_consistent(rt, tmp_path)
    (kind, key), payload = next((k, p) for k, p in live.items() if k[0] == "alert")
    stale = outcome_from_dict(kind, {**payload, "id": f"{key}:stale"})
    assert store_for(rt.log).apply(Changes(added=[stale]), AS_OF) == 1
    rt.close()
    rt = _runtime(db)  # a later start (another version of the rules, an older run)
    _assert_consistent(rt, tmp_path)
    assert [w["withdrawn_by"] for w in store_for(rt.log).withdrawals(ident=stale.id)] == [[]]
    rt.close()


def test_another_worker_following_the_log_records_no_second_withdrawal(
        mini_db: Copy, tmp_path: Path) -> None:
    db = mini_db()
    one, two = _runtime(db), _runtime(db)
    raised = one.write([_observation("budget_revenue", "11T/2024", 40, date(2024, 12, 5))],
                       "a", None)
    two.follow()
    one.write([_observation("budget_revenue", "11T/2024", 99, date(2024, 12, 5))], "a", None)
    two.follow()  # concludes the same withdrawals: already made, nothing recorded twice
    store = store_for(two.log)
    gone = [a["id"] for a in raised.alerts if store.get(a["id"], AS_OF) is None]
    assert gone
    assert [len(store.withdrawals(ident=i)) for i in gone] == [1] * len(gone)
    _assert_consistent(two, tmp_path)
    one.close()
    two.close()


def test_live_listeners_hear_the_withdrawal(mini_db: Copy, tmp_path: Path) -> None:
    db = mini_db()
    rt = _runtime(db)

    async def listen() -> list[dict[str, Any]]:
        key, listener = rt.events.subscribe()
        first = rt.write([_observation("budget_revenue", "11T/2024", 40, date(2024, 12, 5))],
                         "a", None)
        rt.write([_observation("budget_revenue", "11T/2024", 99, date(2024, 12, 5))], "a", None)
        await asyncio.sleep(0)
        rt.events.unsubscribe(key)
        heard = []
        while not listener.queue.empty():
            heard.append(listener.queue.get_nowait())
        return [m for m in heard if m["event"] == "withdrawn"
                and m["data"]["id"] in {a["id"] for a in first.alerts}]

    withdrawn = asyncio.run(listen())
    rt.close()
    assert withdrawn
    assert {m["data"]["kind"] for m in withdrawn} == {"alert"}
    assert all(m["data"]["agency"] == "so-tai-chinh" for m in withdrawn)


INDICATORS = ("budget_revenue", "tourists")
PERIODS = ("6T/2024", "9T/2024", "11T/2024")


@st.composite
def writes(draw: st.DrawFn) -> list[list[Fact]]:
    """A few writes: report versions (same key, new figure or date), a task update, an
    agency renamed (every unit re-judged)."""
    out: list[list[Fact]] = []
    for _ in range(draw(st.integers(1, 5))):
        choice = draw(st.sampled_from(["report", "report", "report", "task", "agency"]))
        when = date(2024, 6, 30) + timedelta(draw(st.integers(0, 184)))
        if choice == "report":
            out.append([_observation(draw(st.sampled_from(INDICATORS)),
                                     draw(st.sampled_from(PERIODS)),
                                     draw(st.integers(10, 120)), when)])
        elif choice == "task":
            status = draw(st.sampled_from(["in_progress", "completed"]))
            out.append([Fact("task_update", "task-001-002@test", {
                "id": "task-001-002@test", "task": "task-001-002", "status": status,
                "as_of": when.isoformat(),
                **({"completed_on": when.isoformat()} if status == "completed" else {})},
                Source("api:test"), as_of=when)])
        else:
            out.append([Fact("agency", "so-y-te", {
                "id": "so-y-te", "name": f"Sở Y tế {draw(st.integers(1, 3))}",
                "kind": "department", "parent": "ubnd-tinh"}, Source("api:test"))])
    return out


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sequence=writes())
def test_random_writes_keep_the_store_and_graph_equal_to_a_replay(
        mini_db: Copy, tmp_path: Path, sequence: list[list[Fact]]) -> None:
    db = mini_db()
    rt = _runtime(db)
    try:
        for facts in sequence:
            rt.write(facts, "test", None)
            _assert_consistent(rt, tmp_path)
    finally:
        rt.close()
