"""The incremental rules session: asserting facts one by one gives what a full replay gives."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import Fact, Source, open_log
from rules.replay import ReplayResult, alerts, current_statuses, replay
from rules.session import RuleSession

AS_OF = date(2024, 3, 31)


def _agency(key: str, parent: str | None = "ubnd-tinh", name: str | None = None) -> Fact:
    return Fact("agency", key, {"id": key, "name": name or key, "kind": "department",
                                "parent": parent})


BASE = [
    _agency("ubnd-tinh", None), _agency("so-a"), _agency("so-b"),
    Fact("document", "nq-1", {"id": "nq-1", "number": "1/NQ-HĐND", "date": "2022-12-10",
                              "title": "kế hoạch 2023", "based_on": [], "implements": []}),
    Fact("document", "seed-r1", {"id": "seed-r1", "date": "2023-07-05", "title": "Báo cáo"}),
]


def _indicator(key: str, agency: str, measure: str = "cumulative") -> Fact:
    return Fact("indicator", key, {"id": key, "name": f"Chỉ tiêu {key}", "unit": "tỷ đồng",
                                   "direction": "increase", "measure": measure,
                                   "lead_agency": agency})


def _target(indicator: str, plan: str) -> Fact:
    key = f"{indicator}@2023"
    return Fact("target", key, {"id": key, "indicator": indicator, "period": "2023",
                                "expression": plan, "unit": "tỷ đồng", "set_by": "nq-1"})


def _observation(n: int, indicator: str, period: str, pct: int, when: date) -> Fact:
    key = f"obs-{n}"
    return Fact("observation", key, {"id": key, "indicator": indicator, "period": period,
                                     "value": str(pct), "pct_of_plan": str(pct),
                                     "unit": "tỷ đồng", "kind": "actual",
                                     "as_of": when.isoformat()},
                source=Source("r1", n, f"đạt {pct}% kế hoạch"), as_of=when)


def _task(n: int, deadline: date, agency: str) -> Fact:
    key = f"task-{n}"
    return Fact("task", key, {"id": key, "summary": f"Nhiệm vụ {n}", "lead_agency": agency,
                              "deadline": deadline.isoformat(), "condition": None},
                source=Source("r1", 100 + n, "x"))


def _done(n: int, when: date) -> Fact:
    return Fact("task_update", f"upd-{n}", {"task": f"task-{n}", "status": "completed",
                                            "completed_on": when.isoformat(),
                                            "as_of": when.isoformat()}, as_of=when)


def _verdict(indicator: str, row: str, plan: str, estimate: str, word: str) -> Fact:
    key = f"v-{indicator}"
    return Fact("verdict", key, {"id": key, "table": "2023", "row": row, "indicator": indicator,
                                 "plan": plan, "estimate": estimate, "verdict": word},
                source=Source("r1", 200, "x"), as_of=date(2023, 12, 20))


PERIODS = {"3T/2023": date(2023, 4, 5), "6T/2023": date(2023, 7, 5),
           "9T/2023": date(2023, 10, 5), "11T/2023": date(2023, 12, 5),
           "2023": date(2023, 12, 20)}


@st.composite
def plan_logs(draw: st.DrawFn) -> list[Fact]:
    """A small plan: indicators with targets, cumulative reports, tasks, an official row."""
    facts: list[Fact] = []
    indicators = ["ind-a", "ind-b", "ind-c"][:draw(st.integers(1, 3))]
    for ind in indicators:
        facts += [_indicator(ind, draw(st.sampled_from(["so-a", "so-b"]))), _target(ind, "100")]
    n = 0
    for ind in indicators:
        for period in draw(st.lists(st.sampled_from(sorted(PERIODS)), unique=True, max_size=4)):
            n += 1
            facts.append(_observation(n, ind, period, draw(st.integers(20, 110)),
                                      PERIODS[period] + timedelta(draw(st.integers(0, 20)))))
    if draw(st.booleans()):
        facts += [_verdict(ind, "1", "100", "95", draw(st.sampled_from(["Đạt", "Không đạt"])))
                  for ind in indicators]
    for k in range(draw(st.integers(0, 3))):
        deadline = date(2023, 6, 30) + timedelta(draw(st.integers(0, 240)))
        facts.append(_task(k, deadline, "so-a"))
        if draw(st.booleans()):
            facts.append(_done(k, deadline + timedelta(draw(st.integers(-30, 60)))))
    if draw(st.booleans()):
        facts.append(_agency("so-b", name="Sở B (sau sáp nhập)"))
    return facts


def _compare(session: RuleSession, full: ReplayResult) -> None:
    mine = session.result()
    assert {a.id for a in mine.alerts} == {a.id for a in full.alerts}
    assert mine.statuses == full.statuses
    # every outcome with its content: status histories too (no A → B → A left by a re-judged
    # unit), since the outcome store keeps exactly these (rules.store)
    _same_outcomes(mine, full)


def _reference(log: Any, as_of: date) -> ReplayResult:
    """The slow reference: every unit judged on every evaluation date of the log."""
    return RuleSession.start(log, as_of, sweep=True).result()


def _same_outcomes(mine: ReplayResult, full: ReplayResult) -> None:
    assert sorted(o.to_dict().items().__repr__() for o in mine.outcomes) == sorted(
        o.to_dict().items().__repr__() for o in full.outcomes)
    assert mine.statuses == full.statuses


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=plan_logs(), data=st.data())
def test_asserting_facts_in_any_order_gives_the_replay(facts: list[Fact], data: Any) -> None:
    order = data.draw(st.permutations(facts))
    cut = data.draw(st.integers(0, len(order)))
    start = date(2023, 1, 1) + timedelta(data.draw(st.integers(0, 200)))
    with tempfile.TemporaryDirectory() as tmp:
        log = open_log(Path(tmp) / "kehoach.db")
        log.append(BASE + list(order[:cut]))
        session = RuleSession.start(log, start)
        for fact in order[cut:]:
            if data.draw(st.booleans()):
                session.advance(session.clock + timedelta(data.draw(st.integers(1, 60))))
            session.assert_facts([o.fact for o in log.append([fact])])
        session.advance(max(AS_OF, session.clock))
        full = replay(log, session.clock, persist=False)
        _same_outcomes(full, _reference(log, session.clock))
        log.close()
    _compare(session, full)


def test_assert_observation_returns_its_alert_and_status(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100")])
    session = RuleSession.start(fresh_log, date(2023, 12, 5))
    stored = fresh_log.append([_observation(1, "ind-a", "11T/2023", 60, date(2023, 12, 5))])
    outcomes = session.assert_facts([o.fact for o in stored])
    kinds = {(o.kind, o.subject.id) for o in outcomes}
    assert ("off_track", "ind-a@2023") in kinds
    assert ("status_change", "ind-a@2023") in kinds
    assert session.assert_facts([o.fact for o in stored]) == []
    assert [r["status"] for r in session.current_statuses() if r["id"] == "ind-a@2023"] == [
        "off_track"]


def test_fact_after_the_clock_waits_for_advance(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100")])
    session = RuleSession.start(fresh_log, date(2023, 6, 1))
    stored = fresh_log.append([_observation(1, "ind-a", "6T/2023", 20, date(2023, 7, 5))])
    assert session.assert_facts([o.fact for o in stored]) == []
    assert session.alerts(kind="off_track") == []
    later = session.advance(date(2023, 7, 10))
    assert [o.as_of for o in later if o.kind == "off_track"] == ["2023-07-05"]
    assert [a["subject"]["id"] for a in session.alerts(agency="so-a", kind="off_track")] == [
        "ind-a@2023"]


def test_advance_raises_overdue_on_the_threshold_date(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_task(1, date(2023, 8, 31), "so-a")])
    session = RuleSession.start(fresh_log, date(2023, 7, 10))
    outcomes = session.advance(date(2023, 12, 31))
    # one alert per overdue task: its latest version carries the age bucket it reached
    overdue = [o for o in session.result().alerts if o.kind == "overdue"]
    assert [(o.as_of, o.details["bucket"], o.severity) for o in overdue] == [
        ("2023-12-30", "gt_120", "critical")]
    assert {o.id for o in outcomes if o.kind == "overdue"} == {o.id for o in overdue}
    row = next(r for r in session.current_statuses() if r["id"] == "task-1")
    assert row["status"] == "overdue" and "122" in row["explanation"]


def test_backdated_report_rejudges_its_subject_as_a_replay_would(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100"),
                             _observation(2, "ind-a", "9T/2023", 60, date(2023, 10, 5))])
    session = RuleSession.start(fresh_log, date(2023, 12, 31))
    assert not [a for a in session.result().alerts if a.kind == "escalated"]
    stored = fresh_log.append([_observation(1, "ind-a", "6T/2023", 35, date(2023, 7, 5))])
    outcomes = session.assert_facts([o.fact for o in stored])
    assert [(o.kind, o.as_of) for o in outcomes if o.kind == "escalated"] == [
        ("escalated", "2023-10-05")]
    _compare(session, replay(fresh_log, date(2023, 12, 31), persist=False))


def test_current_statuses_and_alerts_accept_a_result_or_a_session(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100"),
                             _observation(1, "ind-a", "11T/2023", 60, date(2023, 12, 5))])
    result = replay(fresh_log, date(2023, 12, 31), persist=False)
    session = RuleSession.start(fresh_log, date(2023, 12, 31))
    from_log = current_statuses(fresh_log, date(2023, 12, 31))
    assert current_statuses(result) == from_log == current_statuses(session)
    assert alerts(result, kind="off_track") == alerts(session, kind="off_track") == alerts(
        fresh_log, date(2023, 12, 31), kind="off_track") != []


@pytest.mark.slow
def test_langson_reports_asserted_one_by_one_give_the_replay(tmp_path: Path) -> None:
    facts = load_dataset(DEFAULT_DATASET)
    late = sorted((f for f in facts if f.kind == "observation" and f.source
                   and f.source.doc in ("001", "002")), key=lambda f: f.as_of or date.min)
    log = open_log(tmp_path / "kehoach.db")
    log.append([f for f in facts if f not in late], submitted_by="dataset")
    session = RuleSession.start(log, late[0].as_of)
    for fact in late:
        session.advance(fact.as_of or session.clock)
        session.assert_facts([o.fact for o in log.append([fact])])
    session.advance(date(2024, 12, 31))
    full = replay(log, date(2024, 12, 31), persist=False)
    reference = _reference(log, date(2024, 12, 31))
    log.close()
    assert len(late) > 100 and full.alerts
    _compare(session, full)
    _compare(session, reference)
    _same_outcomes(full, reference)


def test_report_moved_to_another_year_leaves_that_year_as_a_replay_would(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100"),
                             _observation(1, "ind-a", "6T/2023", 35, date(2023, 7, 5))])
    session = RuleSession.start(fresh_log, date(2024, 3, 31))
    moved = Fact("observation", "obs-1", {**_observation(1, "ind-a", "6T/2023", 35,
                                                         date(2023, 7, 5)).payload,
                                          "period": "1T/2024", "as_of": "2024-02-05"},
                 source=Source("r1", 1, "đạt 35% kế hoạch"), as_of=date(2024, 2, 5))
    session.assert_facts([o.fact for o in fresh_log.append([moved])])
    _compare(session, replay(fresh_log, date(2024, 3, 31), persist=False))
    later = fresh_log.append([_observation(2, "ind-a", "9T/2023", 70, date(2023, 10, 5))])
    session.assert_facts([o.fact for o in later])
    _compare(session, replay(fresh_log, date(2024, 3, 31), persist=False))


def test_outcome_dicts_hold_every_field(fresh_log: Any) -> None:
    from dataclasses import asdict

    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100"),
                             _observation(1, "ind-a", "6T/2023", 35, date(2023, 7, 5)),
                             _task(1, date(2023, 8, 31), "so-a")])
    outcomes = RuleSession.start(fresh_log, date(2023, 12, 31)).result().outcomes
    assert {o.kind for o in outcomes} >= {"status_change", "overdue", "due_soon"}
    for outcome in outcomes:
        expected = asdict(outcome) | ({"kind": "status_change"}
                                      if outcome.kind == "status_change" else {})
        assert outcome.to_dict() == expected


def test_a_reporting_year_opened_earlier_rejudges_other_indicators_from_scratch(
        fresh_log: Any) -> None:
    """An early report of one indicator moves the opening of 2023 for every reporting
    indicator: the others are re-judged from scratch, not on top of their later state."""
    fresh_log.append(BASE + [_indicator("ind-a", "so-a"), _target("ind-a", "100"),
                             _indicator("ind-b", "so-b"), _target("ind-b", "100"),
                             _observation(1, "ind-a", "6T/2023", 30, date(2023, 7, 5)),
                             _observation(2, "ind-a", "9T/2023", 74, date(2023, 10, 5))])
    session = RuleSession.start(fresh_log, date(2023, 12, 31))
    early = fresh_log.append([_observation(3, "ind-b", "3T/2023", 25, date(2023, 3, 1))])
    session.assert_facts([o.fact for o in early])
    _compare(session, replay(fresh_log, date(2023, 12, 31), persist=False))


def test_a_task_update_resent_later_keeps_the_first_completion_in_history(
        fresh_log: Any) -> None:
    """Both updates come after the task's last threshold (deadline + 121 days): the second
    re-judges from its own date on, and must start from the state the first one left."""
    fresh_log.append(BASE + [_task(1, date(2023, 6, 1), "so-a")])
    session = RuleSession.start(fresh_log, date(2023, 12, 31))
    for when in (date(2023, 10, 18), date(2023, 11, 28)):
        session.assert_facts([o.fact for o in fresh_log.append([_done(1, when)])])
        _compare(session, replay(fresh_log, date(2023, 12, 31), persist=False))
