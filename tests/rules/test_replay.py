"""Replay through the Python API: determinism, idempotence, as-of, persisted outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from rules.engine import clock_fact, get_engine
from rules.loader import RULES_DIR
from rules.replay import alerts, current_statuses, replay
from rules.store import store_for
from tests.rules.factories import to_fact


def _seed(log: Any, family: str = "pace") -> None:
    data = yaml.safe_load((RULES_DIR / "cases" / f"{family}.yaml").read_text(encoding="utf-8"))
    log.append([to_fact(r) for r in data["facts"]])


def test_replay_twice_gives_identical_alerts(fresh_log: Any) -> None:
    _seed(fresh_log)
    first = replay(fresh_log, date(2023, 12, 31), persist=False)
    second = replay(fresh_log, date(2023, 12, 31), persist=False)
    assert [a.to_dict() for a in first.alerts] == [a.to_dict() for a in second.alerts]
    assert first.alerts


def test_replay_persists_once_then_adds_nothing(fresh_log: Any) -> None:
    _seed(fresh_log)
    counts = fresh_log.counts()
    first = replay(fresh_log, date(2023, 12, 31))
    assert first.appended == len(first.outcomes) > 0
    assert fresh_log.counts() == counts  # outcomes go to the outcome store, not the log
    store = store_for(fresh_log)
    assert {o.id for o in store.current(date(2023, 12, 31))} == {o.id for o in first.outcomes}
    second = replay(fresh_log, date(2023, 12, 31))
    assert second.appended == 0
    assert store.get(first.alerts[0].id).payload["rule"]["id"] == first.alerts[0].rule["id"]


def test_status_change_only_when_status_changes(fresh_log: Any) -> None:
    _seed(fresh_log)
    result = replay(fresh_log, date(2023, 12, 31), persist=False)
    tourists = [c for c in result.changes if c.subject.id == "tourists@2023"]
    assert [c.status for c in tourists] == ["on_track", "achieved_early"]
    assert tourists[1].previous == "on_track"


def test_replay_as_of_sees_only_known_facts(fresh_log: Any) -> None:
    _seed(fresh_log)
    early = {r["id"]: r for r in current_statuses(fresh_log, date(2023, 7, 31))}
    late = {r["id"]: r for r in current_statuses(fresh_log, date(2023, 12, 31))}
    assert "imports@2023" not in early
    assert early["tourists@2023"]["status"] == "on_track"
    assert late["tourists@2023"]["status"] == "achieved_early"
    assert late["imports@2023"]["agency"] == "so-cong-thuong"


def test_alerts_filter_by_agency_and_kind(fresh_log: Any) -> None:
    _seed(fresh_log)
    rows = alerts(fresh_log, date(2023, 12, 31), kind="off_track")
    assert [r["subject"]["id"] for r in rows] == ["disbursement@2023"]
    assert alerts(fresh_log, date(2023, 12, 31), agency="so-khong-co") == []
    alert = alerts(fresh_log, date(2023, 12, 31), kind="at_risk")[0]
    assert alert["facts"] == ["observation:obs-t-001#v1", "target:imports@2023#v1"]
    assert alert["sources"][0]["quote"].startswith("nhập khẩu")
    assert [d["id"] for d in alert["chain"]] == ["nq-29-hdnd-2022", "ke-hoach-5-nam-2021-2025"]
    assert alert["thresholds"] == {"at_risk": 0.8, "on_track": 0.95, "below_plan": 0.0,
                                   "full_plan": 1.0}


def test_get_engine_is_built_once_per_rules_version() -> None:
    assert get_engine() is get_engine()


def test_engine_measure_matching_no_rule_is_no_outcome() -> None:
    firings = get_engine().run([clock_fact(date(2021, 7, 1)), {
        "kind": "pace", "ratio": 1.2, "annual_share": 1.5, "period_complete": True}])
    assert firings == []
