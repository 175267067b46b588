"""Tasks on evidence (issue 14): on data/langson, a task reported done is never overdue, a
standing directive is never overdue, one overdue task has one alert quoting its deadline's
source — through the Python API and ``kehoach alerts --json``."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import open_log
from rules.duties import is_continuing, task_scale
from rules.replay import ReplayResult, current_statuses, replay
from service.cli.app import build_app

AS_OFS = (date(2023, 6, 30), date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31))
FACTS = load_dataset(DEFAULT_DATASET)
TASKS = {f.key: f for f in FACTS if f.kind == "task"}
UPDATES = [f for f in FACTS if f.kind == "task_update"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, langson_db: Path) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "langson.db"
    shutil.copy(langson_db, path)  # data/langson loaded once per session; the CLI may store
    return path


@pytest.fixture(scope="module")
def results(db: Path) -> Iterator[dict[date, ReplayResult]]:
    with open_log(db) as log:
        yield {as_of: replay(log, as_of, persist=False) for as_of in AS_OFS}


def _rows(result: ReplayResult) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in current_statuses(result)}


def _completed_by(as_of: date) -> dict[str, date]:
    """Task → the date of its first completion evidence visible on ``as_of``."""
    out: dict[str, date] = {}
    for update in UPDATES:
        when = date.fromisoformat(update.payload["as_of"])
        if update.payload["status"] == "completed" and when <= as_of:
            out[update.payload["task"]] = min(when, out.get(update.payload["task"], when))
    return out


@pytest.mark.parametrize(("task", "quote"), [
    ("task-003-038", "đã khởi công Dự án tuyến cao tốc cửa khẩu Hữu Nghị - Chi Lăng"),
    ("task-003-036", "biểu quyết công nhận CVĐC Lạng Sơn là CVĐC toàn cầu UNESCO"),
    ("task-003-005", "Trình Thủ tướng Chính phủ phê duyệt Quy hoạch tỉnh"),
    ("task-002-004", "Tỉnh đã tổ chức Hội nghị công bố Quy hoạch tỉnh"),
])
def test_work_later_reports_call_done_is_completed_not_overdue(results, task, quote) -> None:
    row = _rows(results[date(2024, 12, 31)])[task]
    assert row["status"] == "completed", row
    assert "nguồn không nêu ngày" in row["explanation"]
    assert any(u.payload["task"] == task and quote in (u.source.quote or "") for u in UPDATES)


def test_the_bot_expressway_is_overdue_until_the_report_that_says_it_started(results) -> None:
    """Due 31/12/2023, started by the 6-month 2024 report: overdue in between, with one
    alert that stops at the evidence date."""
    assert _rows(results[date(2023, 12, 31)])["task-003-038"]["status"] == "due_soon"
    assert _rows(results[date(2024, 6, 30)])["task-003-038"]["status"] == "completed"
    alerts = [a for a in results[date(2024, 12, 31)].alerts
              if a.kind == "overdue" and a.subject.id == "task-003-038"]
    assert len(alerts) == 1 and alerts[0].as_of < "2024-06-30"


def test_standing_directives_are_never_overdue(results) -> None:
    row = _rows(results[date(2024, 12, 31)])["task-003-026"]
    assert row["status"] == "in_progress" and "thường xuyên" in row["explanation"]
    assert not [a for a in results[date(2024, 12, 31)].alerts
                if a.subject.id == "task-003-026"]


@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_no_overdue_task_has_completion_evidence_on_or_before_the_as_of(results, as_of) -> None:
    done = _completed_by(as_of)
    rows = _rows(results[as_of])
    wrong = [t for t, when in done.items() if rows.get(t, {}).get("status") == "overdue"]
    assert wrong == []
    late_alerts = [a.id for a in results[as_of].alerts if a.kind == "overdue"
                   and a.subject.id in done and a.as_of >= done[a.subject.id].isoformat()]
    assert late_alerts == []


@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_one_overdue_alert_per_task_with_its_age_and_deadline_source(results, as_of) -> None:
    overdue = [a for a in results[as_of].alerts if a.kind == "overdue"]
    assert all(n == 1 for n in Counter(a.subject.id for a in overdue).values())
    scale = task_scale()
    for alert in overdue:
        task = TASKS[alert.subject.id]
        assert not is_continuing(task.payload) and not task.payload.get("condition")
        details = alert.details
        assert details["bucket"] == scale.bucket(details["days_overdue"]) is not None
        assert details["days_overdue"] == (
            date.fromisoformat(alert.as_of) - date.fromisoformat(task.payload["deadline"])).days
        assert any(s["quote"] == task.source.quote and s["line"] == task.source.line
                   for s in alert.sources), alert.id
        where = details["deadline_source"]  # where the deadline is written, among the quotes
        assert any((s["doc"], s["line"], s["quote"]) == (where["doc"], where["line"],
                                                         where["quote"]) for s in alert.sources)
        written = str(task.payload["deadline_text"]).lower().removeprefix("trong ")
        assert task.source.doc == "000" or any(
            written in str(s["quote"]).lower() for s in alert.sources), alert.id


def test_overdue_tasks_at_the_end_of_2024(results) -> None:
    rows = _rows(results[date(2024, 12, 31)])
    overdue = {t for t, r in rows.items() if r["status"] == "overdue"}
    alerts = {a.subject.id for a in results[date(2024, 12, 31)].alerts if a.kind == "overdue"}
    assert overdue <= alerts  # every overdue task has its one alert
    assert len(alerts) < 300  # was 912 alerts (four buckets, standing directives, done work)


def test_kehoach_alerts_json_gives_one_alert_per_task(db: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(build_app(), ["alerts", "--json", "--kind", "overdue", "--as-of",
                                    "2024-12-31", "--db", str(db)])
    assert r.exit_code == 0, r.output
    alerts = json.loads(r.output)
    subjects = [a["subject"]["id"] for a in alerts]
    assert len(subjects) == len(set(subjects)) > 0
    assert "task-003-026" not in subjects
    assert all(a["sources"] and a["details"]["bucket"] for a in alerts)
    done = _completed_by(date(2024, 12, 31))
    assert all(a["as_of"] < done[a["subject"]["id"]].isoformat()
               for a in alerts if a["subject"]["id"] in done)
    # raised before the evidence, closed by it: superseded by the completion
    closed = {a["subject"]["id"]: a["superseded_by"] for a in alerts if a["subject"]["id"] in done}
    assert closed and all(by and by["status"].startswith("completed") for by in closed.values())
    assert all(a["superseded_by"] is None for a in alerts if a["subject"]["id"] not in done)
    statuses = runner.invoke(build_app(), ["status", "--json", "--as-of", "2024-12-31",
                                           "--db", str(db)])
    rows = {row["id"]: row for row in json.loads(statuses.output)}
    assert rows["task-003-038"]["status"] == "completed"
    assert rows["task-003-026"]["status"] == "in_progress"


def test_the_task_scale_is_read_from_tasks_yaml() -> None:
    scale = task_scale()
    assert scale.due_soon_days == 14
    assert [scale.bucket(d) for d in (0, 1, 30, 31, 90, 91, 120, 121, 999)] == [
        None, "le_30", "le_30", "31_90", "31_90", "91_120", "91_120", "gt_120", "gt_120"]
    assert scale.offsets == (-14, 0, 1, 31, 91, 121)


def test_every_deadline_source_is_verbatim_at_its_line() -> None:
    from kg.provenance import check_rows

    rows = [{"id": t.key, "source": t.payload["deadline_source"]} for t in TASKS.values()
            if t.payload.get("deadline_source")]
    assert len(rows) > 300 and check_rows(rows) == []
    # the deadline's text is in the task's own quote or in its deadline source
    for task in TASKS.values():
        written = str(task.payload.get("deadline_text") or "").lower()
        if not written or task.payload.get("condition"):
            continue
        quotes = [task.source.quote or ""] + [str(
            (task.payload.get("deadline_source") or {}).get("quote") or "")]
        heading = " ".join(quotes).lower()
        assert written.removeprefix("trong ") in heading or task.source.doc == "000", task.key


def test_a_session_dates_task_changes_by_its_pinned_rule_sets_thresholds(tmp_path: Path) -> None:
    """The dates a task's judgement can change come from the rule set the session judges by
    (pinned at start), not from the rule files: with a 7-day warning window in the pinned set,
    a task due on 31/12 turns due soon on 24/12 — in the per-unit replay as in the sweep (the
files' 14-day window would date it 28/12, the clock: no change point on 24/12)."""
    from kg.log import Fact, Source
    from rules.engine import ENGINES
    from rules.loader import DEFINITIONS_DIR, load_rules
    from rules.outcomes import StatusChange
    from rules.session import RuleSession

    files = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, files)
    tasks = files / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert "due_soon_days: 14" in text
    tasks.write_text(text.replace("due_soon_days: 14", "due_soon_days: 7"), encoding="utf-8")
    engine = ENGINES.get(load_rules(files))
    log = open_log(tmp_path / "kehoach.db")
    log.append([
        Fact(kind="agency", key="so-tai-chinh", payload={
            "id": "so-tai-chinh", "name": "Sở Tài chính", "kind": "department"}),
        Fact(kind="task", key="task-w", payload={
            "id": "task-w", "summary": "Nộp báo cáo", "lead_agency": "so-tai-chinh",
            "deadline": "2023-12-31", "condition": None},
            source=Source("002", 181, "x"))], submitted_by="test")
    dated = []
    for sweep in (False, True):
        session = RuleSession.start(log, date(2023, 12, 28), engine=engine, sweep=sweep)
        assert session.scale.due_soon_days == 7
        dated.append([(o.as_of, o.status) for o in session.result().outcomes
                      if isinstance(o, StatusChange) and o.dimension == "task"])
    log.close()
    for changes in dated:  # the sweep judges on the calendar's dates too: compare due soon
        assert [when for when, status in changes if status == "due_soon"] == ["2023-12-24"]
