"""The report as data (rules.report.build_report / gather + assemble) on the Lạng Sơn dataset:
the 004 tables reproduced row by row, computed vs official verdicts, footnotes that point at
the source lines, lagging indicators and task counts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from kg.dataset import DEFAULT_DATASET
from kg.errors import KehoachError
from kg.log import open_log
from rules.duties import completion, is_continuing
from rules.report import ReportError, assemble, build_report, gather

AS_OF = date(2025, 2, 15)  # 46 days after the 2024 tasks' deadline of 31/12/2024


@pytest.fixture(scope="module")
def inputs(langson_db):
    log = open_log(langson_db)  # read only
    yield gather(log, AS_OF)
    log.close()


@pytest.fixture(scope="module")
def reports(inputs):
    return {p: assemble(inputs, p) for p in ("2024", "2021-2025", "2025")}


def members(report):
    return [(row, m) for g in report["indicators"] for row in g["rows"] for m in row["members"]]


def official_rows(table):
    rows = yaml.safe_load((DEFAULT_DATASET / "verdicts.yaml").read_text(encoding="utf-8"))
    return [r for r in rows if str(r["table"]) == table]


@pytest.mark.parametrize("table, count", [("2024", 31), ("2021-2025", 29)])
def test_reproduces_the_official_table_row_by_row(reports, table, count):
    expected = official_rows(table)
    got = members(reports[table])
    assert len(got) == len(expected) == count
    for (row, m), official in zip(got, expected, strict=True):
        assert (m["indicator"], m["row"]) == (official["indicator"], official["row"])
        assert row["number"] == official["row"].split(".")[1]
        assert m["plan"]["display"] == official["plan"]
        # "(-4,33)" is written with brackets; the Vietnamese display form is "-4,33"
        assert m["estimate"]["display"] == official["estimate"].strip("()")
        assert m["official"] == official["verdict"]


def test_groups_are_numbered_like_the_documents(reports):
    assert [(g["label"], g["title"]) for g in reports["2024"]["indicators"]] == [
        ("I", "Các chỉ tiêu kinh tế"), ("II", "Các chỉ tiêu xã hội"),
        ("III", "Các chỉ tiêu môi trường")]
    assert [g["label"] for g in reports["2025"]["indicators"]] == ["a", "b", "c"]
    shared = reports["2024"]["indicators"][0]["rows"][1]
    assert shared["row"] == "I.2" and len(shared["members"]) == 4


def test_vietnamese_number_format_and_numbers_for_spreadsheets(reports):
    by_ind = {m["indicator"]: m for _r, m in members(reports["2024"])}
    tourists = by_ind["tourists"]
    assert tourists["estimate"]["display"] == "4.160"
    assert (tourists["estimate"]["number"], tourists["estimate"]["decimals"]) == (4160.0, 0)
    grdp = by_ind["grdp_growth"]
    assert grdp["plan"]["display"] == "7 - 7,5" and grdp["plan"]["number"] is None
    assert (grdp["estimate"]["number"], grdp["estimate"]["decimals"]) == (6.33, 2)
    assert by_ind["local_budget_expenditure"]["estimate"]["display"] == "14.665,8"


def test_computed_verdicts_come_from_the_rules(reports):
    by_ind = {m["indicator"]: m for _r, m in members(reports["2024"])}
    assert by_ind["grdp_growth"]["verdict"] == "not_achieved"
    assert by_ind["grdp_growth"]["verdict_rule"] == "verdicts.not_achieved"
    assert by_ind["tourists"]["verdict_vi"] == "Vượt"
    assert by_ind["local_export_growth"]["verdict_vi"] == "Đạt"
    assert reports["2024"]["summary"]["computed"] == {"exceeded": 7, "achieved": 15,
                                                       "not_achieved": 9}


def test_marks_exactly_the_known_verdict_contradictions(reports):
    known = yaml.safe_load((DEFAULT_DATASET / "KNOWN_INCONSISTENCIES").read_text("utf-8"))
    expected = {k["ref"] for k in known if k["kind"] == "verdict_contradiction"
                and str(k["ref"]).startswith("verdict-")}
    marked = {m["official_row"] for p in ("2024", "2021-2025")
              for _r, m in members(reports[p]) if m["agrees"] is False}
    assert marked == expected
    road = next(m for _r, m in members(reports["2024"]) if m["official_row"] == "verdict-2024-II.2")
    assert (road["official"], road["compared_vi"], road["compared_scope"]) == (
        "Vượt", "Không đạt", "member")
    health = next(m for _r, m in members(reports["2021-2025"])
                  if m["official_row"] == "verdict-2021-2025-II.5")
    assert (health["compared"], health["compared_scope"]) == ("not_achieved", "row")


def test_plan_2025_has_targets_and_last_year_but_no_results(reports):
    plan = reports["2025"]
    assert plan["kind"] == "plan" and plan["summary"]["indicators"] == 30
    assert [c["key"] for c in plan["columns"]] == ["tt", "name", "plan", "previous"]
    by_ind = {m["indicator"]: m for _r, m in members(plan)}
    assert by_ind["grdp_growth"]["plan"]["display"] == "7,5 - 8"
    assert by_ind["grdp_growth"]["previous"]["display"] == "6,33"  # the 2024 estimate
    assert by_ind["total_social_investment"]["plan"]["display"] == "khoảng 40 - 41"
    assert by_ind["traffic_accident_reduction"]["plan"]["display"] == "≥5"
    assert all(m["estimate"] is None and m["verdict"] is None for m in by_ind.values())


def _source_line(doc: str, line: int) -> str:
    path = next((DEFAULT_DATASET / "sources").glob(f"{doc}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    following = next((x for x in lines[line:] if x.strip()), "")
    return " ".join(f"{lines[line - 1]} {following}".split())


@pytest.mark.parametrize("period", ["2024", "2021-2025", "2025"])
def test_every_figure_has_a_footnote_that_points_at_its_source_line(reports, period):
    report = reports[period]
    notes = {n["n"]: n for n in report["footnotes"]}
    assert sorted(notes) == list(range(1, len(notes) + 1))
    for _row, m in members(report):
        for key in ("plan", "previous", "estimate"):
            if m[key]:
                assert m[key]["notes"], (m["indicator"], key)
                assert all(n in notes for n in m[key]["notes"])
    for note in notes.values():
        if re.fullmatch(r"\d{3}", note["doc"]):
            assert " ".join(note["quote"].split()) in _source_line(note["doc"], note["line"])


def test_grdp_estimate_cites_004_line_81(reports):
    grdp = next(m for _r, m in members(reports["2024"]) if m["indicator"] == "grdp_growth")
    cited = [n for n in reports["2024"]["footnotes"] if n["n"] in grdp["estimate"]["notes"]]
    assert [(n["doc"], n["line"], n["quote"]) for n in cited] == [("004", 81, "6,33")]


def test_lagging_section_lists_at_risk_and_off_track_of_the_period(reports):
    lagging = reports["2024"]["lagging"]
    assert lagging and {x["status"] for x in lagging} <= {"at_risk", "off_track"}
    assert all(x["period"].endswith("2024") and x["explanation"] for x in lagging)
    statuses = [x["status"] for x in lagging]
    assert statuses == sorted(statuses, key=["off_track", "at_risk"].index)
    ntp = next(x for x in lagging if x["subject"] == "ntp_disbursement@2024")
    assert ntp["status_vi"] == "Chậm tiến độ" and ntp["notes"]
    # every row names its agency, or says why there is none (issue 17)
    assert all(bool(x["agency_name"]) != bool(x["agency_reason"]) for x in lagging)
    assert any(x["agency_reason"] for x in lagging)


def test_task_section_counts_states_and_overdue_ageing(inputs, reports):
    tasks = reports["2024"]["tasks"]
    in_2024 = [t for t in inputs.snapshot.all("task")
               if str(t.payload.get("deadline") or "").startswith("2024")]
    # overdue: the 2024 tasks with an end (not standing directives) and no completion evidence
    due = {t.key for t in in_2024 if not is_continuing(t.payload)
           and completion(inputs.snapshot, t.key).done is None}
    overdue = tasks["overdue"]
    assert {t["id"] for t in overdue} == due
    assert len(overdue) == tasks["totals"]["states"]["overdue"] < len(in_2024)
    assert all(t["days_overdue"] == (AS_OF - date(2024, 12, 31)).days for t in overdue)
    assert {t["bucket"] for t in overdue} == {"31_90"}
    totals = tasks["totals"]
    assert totals["total"] == sum(totals["states"].values())
    assert totals["total"] == sum(r["total"] for r in tasks["by_agency"])
    assert totals["buckets"]["31_90"] == len(overdue)
    assert [s["key"] for s in tasks["states"]] == [
        "completed_on_time", "completed_late", "completed", "in_progress", "overdue"]


def test_older_tasks_are_further_overdue(reports):
    overdue = reports["2021-2025"]["tasks"]["overdue"]
    days = [t["days_overdue"] for t in overdue]
    assert days == sorted(days, reverse=True)
    first = overdue[0]
    expected = (AS_OF - date.fromisoformat(first["deadline"])).days
    assert first["days_overdue"] == expected and first["bucket"] == "gt_120"


def test_unknown_or_malformed_period_is_refused(inputs, tmp_path):
    with pytest.raises(ReportError) as err:
        assemble(inputs, "2019")
    assert err.value.code == "report_error" and "2019" in err.value.vi
    with open_log(Path(tmp_path) / "empty.db") as log, pytest.raises(KehoachError) as err:
        build_report(log, "năm 2024")
    assert err.value.code == "period_code"
