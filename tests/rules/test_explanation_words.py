"""What an explanation is made of (issue 17): agencies by name on the judgement date, dates
dd/mm/yyyy, numbers with a decimal comma, English counts with their plural — computed once
where the measure is built, never patched by a page."""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.log import Fact
from rules.snapshot import Snapshot, take_snapshot
from rules.subjects import agency_words, day_words
from rules.vocabulary import count_en, explain


def _snapshots(log: Any, *days: date) -> list[Snapshot]:
    log.append([Fact("agency", "so-cu", {"id": "so-cu", "name": "Sở Cũ", "valid_until":
                                         "2025-02-28", "succeeded_by": "so-moi"}),
                Fact("agency", "so-moi", {"id": "so-moi", "name": "Sở Mới",
                                          "valid_from": "2025-03-01"})])
    facts = list(log.read())
    return [take_snapshot(facts, day) for day in days]


def test_an_agency_is_named_as_it_is_on_the_judgement_date(fresh_log: Any) -> None:
    before, after = _snapshots(fresh_log, date(2024, 12, 31), date(2025, 3, 1))
    assert agency_words(before, "so-cu") == "Sở Cũ"
    assert agency_words(after, "so-cu") == "Sở Mới (trước đây Sở Cũ)"
    assert agency_words(after, "so-cu", "en") == "Sở Mới (formerly Sở Cũ)"
    assert agency_words(after, "so-moi") == "Sở Mới"
    assert agency_words(after, None) == "chưa xác định"
    assert agency_words(after, "", "en") == "not stated"
    assert agency_words(after, "so-la") == "so-la"  # the log does not describe it: as written


def test_dates_numbers_and_counts_as_a_person_reads_them() -> None:
    assert day_words(date(2024, 7, 5)) == "05/07/2024" and day_words("2023-12-31") == "31/12/2023"
    assert day_words(None) == "—" and day_words("—") == "—"
    assert count_en(1, "day") == "1 day" and count_en(0, "day") == "0 days"
    assert count_en(2, "period") == "2 periods" and count_en(1204, "day") == "1.204 days"
    event = {"ratio": 0.8703, "diff": 2.305, "days": 1204, "flag": True, "name": "Sở A"}
    assert explain("{name}: {ratio:.3f}, {diff:.2f}, {days}, {flag}", event) == \
        "Sở A: 0,870, 2,31, 1.204, True"


def _escalations(log: Any, agencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from rules.casefiles import load_cases
    from rules.replay import replay
    from tests.rules.factories import to_fact

    rows = [r for r in load_cases()["escalation"]["facts"] if r["kind"] != "agency"]
    log.append([to_fact(r) for r in rows + agencies])
    result = replay(log, date(2023, 12, 1), persist=False)
    return [a.to_dict() for a in result.alerts if a.kind == "escalated"]


def test_escalation_goes_to_the_provincial_committee_the_log_describes(fresh_log: Any) -> None:
    committee = {"kind": "agency", "key": "ubnd-dong-nai", "payload": {
        "id": "ubnd-dong-nai", "name": "UBND tỉnh Đồng Nai", "kind": "provincial_committee",
        "parent": None}}
    lead = {"kind": "agency", "key": "so-cong-thuong", "payload": {
        "id": "so-cong-thuong", "name": "Sở Công Thương", "kind": "department", "parent": None}}
    [alert] = _escalations(fresh_log, [committee, lead])
    assert alert["details"]["supervisor"] == "ubnd-dong-nai"
    assert "báo cáo UBND tỉnh Đồng Nai, cơ quan chủ trì Sở Công Thương" in alert["explanation_vi"]


def test_escalation_without_any_agency_names_no_id(fresh_log: Any) -> None:
    [alert] = _escalations(fresh_log, [])
    assert alert["details"]["supervisor"] == "ubnd-tinh"  # the filter key stays an id
    assert "báo cáo UBND tỉnh, cơ quan chủ trì so-cong-thuong" in alert["explanation_vi"]
    assert "escalated to UBND tỉnh, lead agency so-cong-thuong" in alert["explanation_en"]
