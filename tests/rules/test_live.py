"""The live session (rules.live): the rule set pinned at start for every evaluation it gives,
writes judged incrementally as a replay would, off-date replays that do not wait for each other."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

import rules.session
from kg.log import Fact, Source
from rules.engine import Engine, get_engine
from rules.live import LiveSession
from rules.replay import replay

GUARD = 60  # seconds: only so a blocked read fails the test instead of hanging it
NOW = date(2023, 12, 31)

BASE = [
    Fact("agency", "ubnd-tinh", {"id": "ubnd-tinh", "name": "UBND tỉnh", "kind": "people",
                                 "parent": None}),
    Fact("agency", "so-a", {"id": "so-a", "name": "Sở A", "kind": "department",
                            "parent": "ubnd-tinh"}),
    Fact("document", "nq-1", {"id": "nq-1", "number": "1/NQ-HĐND", "date": "2022-12-10",
                              "title": "kế hoạch 2023", "based_on": [], "implements": []}),
    Fact("indicator", "ind-a", {"id": "ind-a", "name": "Chỉ tiêu A", "unit": "tỷ đồng",
                                "direction": "increase", "measure": "cumulative",
                                "lead_agency": "so-a"}),
    Fact("target", "ind-a@2023", {"id": "ind-a@2023", "indicator": "ind-a", "period": "2023",
                                  "expression": "100", "unit": "tỷ đồng", "set_by": "nq-1"}),
]


def _report(n: int, period: str, pct: int, when: date) -> Fact:
    return Fact("observation", f"obs-{n}", {
        "id": f"obs-{n}", "indicator": "ind-a", "period": period, "value": str(pct),
        "pct_of_plan": str(pct), "unit": "tỷ đồng", "kind": "actual",
        "as_of": when.isoformat()}, source=Source("r1", n, f"đạt {pct}% kế hoạch"), as_of=when)


def _alert_ids(result: Any, kind: str) -> list[str]:
    return sorted(a.id for a in result.alerts if a.kind == kind)


def test_off_date_replays_use_the_rules_pinned_at_start(fresh_log: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_log.append(BASE + [_report(1, "11T/2023", 60, date(2023, 12, 5))])
    live = LiveSession(fresh_log, lambda: NOW)
    off_track = [a for a in live.evaluation().alerts if a.kind == "off_track"]
    assert off_track
    # the rule files edited while the service runs: the off-track rule is gone
    book = live.engine.book
    edited = Engine(replace(book, rules=tuple(r for r in book.rules
                                              if r.id != off_track[0].rule["id"]),
                            digest=f"edited-{book.digest}"))
    monkeypatch.setattr(rules.session, "get_engine", lambda: edited)
    earlier = date(2023, 12, 30)
    assert _alert_ids(replay(fresh_log, earlier, persist=False), "off_track") == []
    # the live session's off-date replay judges by the rules it started with, as the
    # session itself does
    assert _alert_ids(live.evaluation(earlier), "off_track") == [a.id for a in off_track]
    row = next(r for r in live.statuses(earlier) if r["id"] == "ind-a@2023")
    assert row["status"] == next(r for r in live.statuses() if r["id"] == "ind-a@2023")[
        "status"] == "off_track"


def test_a_write_is_judged_published_and_equal_to_a_replay(fresh_log: Any) -> None:
    fresh_log.append(BASE)
    published: list[tuple[str, dict[str, Any]]] = []
    live = LiveSession(fresh_log, lambda: NOW, lambda e, d: published.append((e, d)))
    live.start()
    outcome = live.write([_report(1, "9T/2023", 30, date(2023, 10, 5))], "so-a", None)
    off_track = [a for a in outcome.alerts if a["kind"] == "off_track"]
    assert [a["subject"]["id"] for a in off_track] == ["ind-a@2023"]
    assert ("alert", off_track[0]) in published
    assert live.write([_report(1, "9T/2023", 30, date(2023, 10, 5))], "so-a", None).alerts == []
    full = replay(fresh_log, NOW, persist=False)
    assert live.statuses() == live.statuses(NOW) and live.evaluation().statuses == full.statuses
    assert sorted(a.id for a in live.evaluation().alerts) == sorted(a.id for a in full.alerts)


class _HeldLog:
    """A log whose full reads (a replay's) wait in threads named ``held*`` until released;
    counts the full reads per thread name."""

    def __init__(self, log: Any) -> None:
        self._log = log
        self.held, self.release = threading.Event(), threading.Event()
        self.full_reads: list[str] = []

    def read(self, *args: Any, **kwargs: Any) -> Any:
        name = threading.current_thread().name
        if not args and not kwargs:
            self.full_reads.append(name)
            if name.startswith("held"):
                self.held.set()
                assert self.release.wait(GUARD)
        return self._log.read(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._log, name)


def test_an_off_date_replay_does_not_wait_for_another(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_report(1, "6T/2023", 30, date(2023, 7, 5)),
                             _report(2, "9T/2023", 40, date(2023, 10, 5))])
    log = _HeldLog(fresh_log)
    live = LiveSession(log, lambda: NOW, engine=get_engine())
    got: dict[str, Any] = {}
    held = threading.Thread(name="held-1", target=lambda: got.update(
        held=live.evaluation(date(2023, 11, 1))))
    held.start()
    assert log.held.wait(GUARD)  # the replay of 1/11/2023 is under way, and stays so
    same = threading.Thread(name="held-2", target=lambda: got.update(
        same=live.evaluation(date(2023, 11, 1))))
    same.start()  # the same date: waits for that replay rather than starting another
    other_done = threading.Event()
    other = threading.Thread(name="other", target=lambda: (got.update(
        other=live.evaluation(date(2023, 8, 1)), now=live.evaluation()), other_done.set()))
    other.start()
    assert other_done.wait(GUARD), "another date's replay waited for the held one"
    assert "held" not in got and "same" not in got
    assert _alert_ids(got["other"], "off_track") == _alert_ids(
        replay(fresh_log, date(2023, 8, 1), persist=False), "off_track") != []
    log.release.set()
    for thread in (held, same, other):
        thread.join(GUARD)
    assert got["same"] is got["held"]
    assert got["held"].statuses == replay(fresh_log, date(2023, 11, 1), persist=False).statuses
    assert log.full_reads.count("held-1") == 1 and "held-2" not in log.full_reads


def test_a_reader_session_evaluates_alike_and_records_nothing(fresh_log: Any) -> None:
    fresh_log.append(BASE + [_report(1, "9T/2023", 30, date(2023, 10, 5))])
    heard: list[str] = []
    reader = LiveSession(fresh_log, lambda: NOW, lambda e, _d: heard.append(e), record=False)
    position = fresh_log.last_seq()
    reader.start()
    fresh_log.append([_report(2, "11T/2023", 40, date(2023, 12, 5))])  # another process
    assert reader.follow() != [] and heard == [] and fresh_log.last_seq() == position + 1
    full = replay(fresh_log, NOW, persist=False)
    assert reader.evaluation().statuses == full.statuses
