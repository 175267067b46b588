"""Measure kinds decide how a target is judged; one current status per target (issue 14).

The examples of issue 14 on data/langson, through the Python API and ``kehoach status``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import Fact, Source, open_log
from rules.replay import ReplayResult, alerts, current_statuses, replay
from rules.subjects import infer_kind
from service.cli.app import build_app
from tests.rules.factories import to_fact

DATES = (date(2023, 7, 20), date(2023, 12, 31), date(2024, 10, 20), date(2024, 12, 31))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(tmp_path_factory.mktemp("kinds")) / "kehoach.db"
    log = open_log(path)
    log.append(load_dataset(DEFAULT_DATASET), submitted_by="dataset")
    log.close()
    return path


@pytest.fixture(scope="module")
def results(db: Path) -> dict[date, ReplayResult]:
    log = open_log(db)
    out = {d: replay(log, d, persist=False) for d in DATES}
    log.close()
    return out


def _row(result: ReplayResult, subject: str) -> dict[str, Any]:
    return next(r for r in current_statuses(result) if r["id"] == subject)


def _alerts(result: ReplayResult, subject: str) -> list[dict[str, Any]]:
    return [a for a in alerts(result) if a["subject"]["id"] == subject]


def test_grdp_growth_is_judged_as_it_stands_not_paced(results: dict[date, ReplayResult]
                                                      ) -> None:
    row = _row(results[date(2023, 12, 31)], "grdp_growth@2023")
    assert (row["status"], row["dimension"]) == ("at_risk", "level")
    assert "mức hiện tại 5,32%" in row["explanation"] and "7 - 7,5%" in row["explanation"]
    assert "kế hoạch" not in row["explanation"] and "73,4" not in row["explanation"]
    assert row["status_label"]["vi"] == "Mức hiện tại chưa đạt mục tiêu"
    assert not any(a["rule"]["id"].startswith("pace.")
                   for a in _alerts(results[date(2023, 12, 31)], "grdp_growth@2023"))


@pytest.mark.parametrize(("subject", "when", "figure"), [
    ("trained_labour_rate@2023", date(2023, 12, 31), "60,39%"),
    ("rural_clean_water_rate@2023", date(2023, 12, 31), "97,5%"),
    ("trained_labour_rate@2024", date(2024, 10, 20), "63,48%"),
    ("rural_clean_water_rate@2024", date(2024, 10, 20), "98,3%"),
    ("village_cultural_house_rate@2024", date(2024, 10, 20), "72%"),
])
def test_levels_get_no_monthly_pace(results: dict[date, ReplayResult], subject: str,
                                    when: date, figure: str) -> None:
    entry = results[when].statuses[subject]
    assert "pace" not in entry
    assert entry["level"]["status"] == "at_risk"
    assert f"mức hiện tại {figure}" in entry["level"]["explanation_vi"]
    assert "kỳ vọng" not in entry["level"]["explanation_vi"]


def test_social_insurance_figure_of_another_definition_is_not_judged(
        results: dict[date, ReplayResult]) -> None:
    for result in results.values():
        entry = result.statuses.get("social_insurance_coverage@2024", {})
        assert "pace" not in entry and "level" not in entry
        assert not any("48,3" in a["explanation_vi"] or "20,3" in a["explanation_vi"]
                       for a in _alerts(result, "social_insurance_coverage@2024"))


@pytest.mark.parametrize(("subject", "change"), [
    ("traffic_accident_reduction@2024", "+41,1%"),
    ("criminal_offence_reduction@2024", "+75,2%"),
])
def test_reductions_are_judged_on_the_change(results: dict[date, ReplayResult], subject: str,
                                             change: str) -> None:
    result = results[date(2024, 10, 20)]
    level = result.statuses[subject]["level"]
    assert level["status"] == "off_track" and change in level["explanation_vi"]
    shown = " ".join(a["explanation_vi"] for a in _alerts(result, subject))
    assert "6.660" not in shown and "12.966" not in shown and "kế hoạch năm" not in shown
    wrong_way = [a for a in _alerts(result, subject)
                 if a["rule"]["id"] == "level.reduction_wrong_way"]
    assert wrong_way and wrong_way[0]["sources"][0]["quote"]


def test_traffic_accidents_at_year_end_are_not_achieved(results: dict[date, ReplayResult]
                                                        ) -> None:
    row = _row(results[date(2024, 12, 31)], "traffic_accident_reduction@2024")
    assert (row["status"], row["dimension"]) == ("not_achieved", "verdict")
    assert {"dimension": "level", "status": "off_track", "period": "9T/2024"} in row["superseded"]


def test_one_current_status_the_verdict_supersedes_pace(results: dict[date, ReplayResult]
                                                        ) -> None:
    result = results[date(2024, 12, 31)]
    row = _row(result, "local_budget_expenditure@2024")
    assert (row["status"], row["dimension"]) == ("exceeded", "verdict")
    pace = result.statuses["local_budget_expenditure@2024"]["pace"]
    assert pace["superseded_by"]["status"] == "exceeded"
    at_risk = [a for a in _alerts(result, "local_budget_expenditure@2024")
               if a["kind"] == "at_risk"]
    assert at_risk and all(a["superseded_by"]["status"] == "exceeded" for a in at_risk)
    retail = _row(result, "retail_sales@2024")
    assert retail["dimension"] == "verdict" and retail["status"] != "at_risk"


def test_the_verdict_status_change_says_what_it_superseded(db: Path) -> None:
    log = open_log(db)
    result = replay(log, date(2024, 12, 31), persist=False)
    log.close()
    change = next(c for c in result.changes if c.subject.id == "local_budget_expenditure@2024"
                  and c.dimension == "pace" and c.period == "9T/2024")
    assert change.details["superseded_by"]["status"] == "exceeded"


def test_eleven_month_figure_replaces_the_six_month_pace(results: dict[date, ReplayResult]
                                                         ) -> None:
    result = results[date(2023, 12, 31)]
    row = _row(result, "public_medical_examinations@2023")
    assert row["status"] == "on_track" and row["period"] == "11T/2023"
    old = [a for a in _alerts(result, "public_medical_examinations@2023")
           if a["period"] == "6T/2023"]
    assert old and all(a["superseded_by"] for a in old)


@pytest.mark.parametrize(("measure", "unit", "name", "kind"), [
    (None, "%", "Giảm tai nạn giao thông", "reduction"),
    (None, "triệu đồng/người", "GRDP bình quân đầu người", "per_capita"),
    (None, "triệu đồng/người", "GRDP", "per_capita"),
    (None, "%", "Tốc độ tăng GRDP", "growth_rate"),
    (None, "%", "Tỷ lệ hộ nghèo", "level"),
    (None, "tỷ đồng", "Thu ngân sách", "cumulative"),
    ("level", "tỷ đồng", "Thu ngân sách", "level"),
])
def test_measure_kind_inferred_when_missing_and_overridable(measure: str | None, unit: str,
                                                            name: str, kind: str) -> None:
    assert infer_kind(measure, unit, name) == kind


def test_status_json_shows_one_status_per_target(db: Path) -> None:
    r = CliRunner().invoke(build_app(), ["status", "--json", "--as-of", "2024-12-31",
                                         "--db", str(db)])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    rows = rows if isinstance(rows, list) else rows.get("statuses", rows.get("rows"))
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows)
    assert by_id["local_budget_expenditure@2024"]["status"] == "exceeded"
    assert by_id["grdp_growth@2024"]["status"] == "not_achieved"
    assert by_id["traffic_accident_reduction@2024"]["status"] == "not_achieved"


def test_alerts_json_closes_superseded_alerts_and_keeps_open_ones(db: Path) -> None:
    r = CliRunner().invoke(build_app(), ["alerts", "--json", "--as-of", "2024-12-31",
                                         "--db", str(db)])
    assert r.exit_code == 0, r.output
    rows = {a["id"]: a for a in json.loads(r.output)}
    closed = rows["at_risk:local_budget_expenditure@2024:9T/2024"]
    assert closed["superseded_by"] == {"dimension": "verdict", "status": "exceeded",
                                       "period": "2024", "rule": "verdicts.exceeded"}
    assert rows["not_achieved:grdp_growth@2024:2024"]["superseded_by"] is None
    assert not any(a.get("superseded_by") for a in rows.values() if not a["status"])


def test_a_pace_superseded_by_the_year_verdict_is_not_escalated(
        results: dict[date, ReplayResult]) -> None:
    """004 gives the 2024 year estimate (exceeded) before the 9-month report: the 6- and
    9-month paces it superseded are no consecutive lagging to escalate."""
    result = results[date(2024, 12, 31)]
    assert not [a for a in _alerts(result, "local_budget_expenditure@2024")
                if a["kind"] == "escalated"]
    assert [a for a in _alerts(result, "local_budget_expenditure@2023")
            if a["kind"] == "escalated"]


def test_an_imported_year_actual_replaces_the_pace(tmp_path: Path, db: Path) -> None:
    """retail_sales@2024 stayed at risk after an actual of 101,3 % was imported: the actual
    for the whole year is the latest evidence, its verdict the one current status."""
    path = tmp_path / "copy.db"
    path.write_bytes(db.read_bytes())
    log = open_log(path)
    log.append([Fact("observation", "obs-import-001", {
        "id": "obs-import-001", "indicator": "retail_sales", "period": "2024",
        "value": "41.018,1", "unit": "tỷ đồng", "pct_of_plan": "101,3", "plan_basis": "ke_hoach",
        "kind": "actual", "as_of": "2024-12-31"},
        Source(doc="template", line=2, quote="41.018,1"), date(2024, 12, 31))],
        submitted_by="test")
    result = replay(log, date(2025, 1, 10), persist=False)
    log.close()
    row = _row(result, "retail_sales@2024")
    assert (row["status"], row["dimension"]) == ("exceeded", "verdict")
    assert {"dimension": "pace", "status": "at_risk", "period": "9T/2024"} in row["superseded"]
    assert all(a["superseded_by"] for a in _alerts(result, "retail_sales@2024")
               if a["kind"] in ("at_risk", "not_achieved"))


@pytest.mark.parametrize(("comparable", "flagged"), [(None, True), (False, False)])
def test_a_figure_of_another_definition_is_never_checked_or_judged_against_the_target(
        fresh_log: Any, comparable: bool | None, flagged: bool) -> None:
    obs = {"id": "obs-x", "indicator": "insured", "period": "9T/2024", "value": "20,3",
           "unit": "%", "pct_of_plan": "90", "plan_basis": "ke_hoach", "kind": "actual",
           "as_of": "2024-09-30"}
    if comparable is not None:
        obs["comparable_with_target"] = comparable
    fresh_log.append([to_fact(r) for r in (
        {"kind": "indicator", "key": "insured", "payload": {
            "id": "insured", "name": "Tỷ lệ tham gia bảo hiểm xã hội", "unit": "%",
            "direction": "increase", "measure": "level", "lead_agency": None}},
        {"kind": "target", "key": "insured@2024", "payload": {
            "id": "insured@2024", "indicator": "insured", "period": "2024",
            "expression": "42", "unit": "%"}},
        {"kind": "observation", "key": "obs-x", "as_of": "2024-09-30", "payload": obs,
         "source": {"doc": "001", "line": 893, "quote": "đạt 20,3%"}})])
    result = replay(fresh_log, date(2024, 10, 1), persist=False)
    kinds = {a.kind for a in result.alerts}
    assert ("discrepancy" in kinds) is flagged
    assert ("level" in result.statuses.get("insured@2024", {})) is flagged
