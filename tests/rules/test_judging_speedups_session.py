"""What the judging keeps between judgements (issue 18) still follows the facts: a session
that kept a unit's change points, a pace reading or a fact's visible date answers as a fresh
replay of the same log, and judging leaves the garbage collector as it found it."""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import pytest

from kg.log import Fact, Source
from rules.replay import replay
from rules.session import RuleSession

BASE = [
    Fact("agency", "ubnd-tinh", {"id": "ubnd-tinh", "name": "UBND tỉnh",
                                 "kind": "provincial_committee", "parent": None}),
    Fact("agency", "so-a", {"id": "so-a", "name": "Sở A", "kind": "department",
                            "parent": "ubnd-tinh"}),
    Fact("document", "nq-1", {"id": "nq-1", "number": "1/NQ-HĐND", "date": "2022-12-10",
                              "title": "kế hoạch 2023", "based_on": [], "implements": []}),
    Fact("indicator", "ind-a", {"id": "ind-a", "name": "Thu ngân sách", "unit": "tỷ đồng",
                                "direction": "increase", "measure": "cumulative",
                                "lead_agency": "so-a"}),
]


def _target(plan: str) -> Fact:
    return Fact("target", "ind-a@2023", {"id": "ind-a@2023", "indicator": "ind-a",
                                         "period": "2023", "expression": plan,
                                         "unit": "tỷ đồng", "set_by": "nq-1"})


def _report(key: str, period: str, value: str, when: date) -> Fact:
    """A cumulative figure without its % of plan: its pace is value ÷ the target's plan."""
    return Fact("observation", key, {"id": key, "indicator": "ind-a", "period": period,
                                     "value": value, "unit": "tỷ đồng", "kind": "actual",
                                     "as_of": when.isoformat()},
                source=Source("r1", 1, f"đạt {value} tỷ đồng"), as_of=when)


def _task(deadline: date) -> Fact:
    return Fact("task", "task-1", {"id": "task-1", "summary": "Nhiệm vụ 1", "lead_agency": "so-a",
                                   "deadline": deadline.isoformat(), "condition": None},
                source=Source("r1", 100, "x"))


def _same_as_replay(session: RuleSession, log: Any) -> None:
    full = replay(log, session.clock, persist=False)
    mine = session.result()
    assert mine.statuses == full.statuses
    assert sorted(repr(o.to_dict()) for o in mine.outcomes) == sorted(
        repr(o.to_dict()) for o in full.outcomes)


def test_a_new_plan_rejudges_the_pace_kept_for_the_same_report(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_target("100"), _report("obs-1", "6T/2023", "60",
                                                     date(2023, 7, 5))])
    session = RuleSession.start(fresh_log, date(2023, 7, 20))
    pace = session.statuses()["ind-a@2023"]["pace"]
    assert (pace["status"], "60,0%" in pace["explanation_vi"]) == ("on_track", True)
    # the same report, read against a doubled plan: 30 % of the year by June lags
    stored = fresh_log.append([_target("200")])
    session.judge_facts([o.fact for o in stored])
    after = session.statuses()["ind-a@2023"]["pace"]
    assert (after["status"], "30,0%" in after["explanation_vi"]) == ("off_track", True)
    _same_as_replay(session, fresh_log)


def test_a_moved_deadline_moves_the_dates_the_task_is_judged_on(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_task(date(2023, 8, 31))])
    session = RuleSession.start(fresh_log, date(2023, 7, 10))
    session.advance(date(2023, 7, 20))  # the unit's change points are kept from here on
    stored = fresh_log.append([_task(date(2023, 7, 25))])
    session.judge_facts([o.fact for o in stored])
    session.advance(date(2023, 12, 31))
    # the one overdue alert, renewed on the day the task passed 120 days after its NEW
    # deadline (a session still on the old dates would renew it only when advanced: 31/12)
    overdue = [(o.as_of, o.details["bucket"]) for o in session.result().alerts
               if o.kind == "overdue"]
    assert overdue == [("2023-11-23", "gt_120")]
    _same_as_replay(session, fresh_log)


@pytest.mark.parametrize("enabled", [True, False])
def test_judging_leaves_the_collector_as_it_found_it(fresh_log: Any, enabled: bool) -> None:
    fresh_log.append(BASE + [_target("100"), _task(date(2023, 8, 31))])
    try:
        if not enabled:
            gc.disable()
        session = RuleSession.start(fresh_log, date(2023, 7, 10))
        assert gc.isenabled() is enabled
        stored = fresh_log.append([_report("obs-1", "6T/2023", "40", date(2023, 7, 5))])
        session.judge_facts([o.fact for o in stored])
        assert gc.isenabled() is enabled
        session.advance(date(2023, 9, 30))
        assert gc.isenabled() is enabled
        assert [o.kind for o in session.result().alerts if o.kind == "overdue"] == ["overdue"]
    finally:
        gc.enable()
