"""The report's sections after the indicator table: lagging indicators (chỉ tiêu chậm tiến độ)
and tasks (tình hình thực hiện nhiệm vụ).

Statuses are the rules engine's (``rules.replay`` statuses); the numbers beside them (days
overdue, ageing bucket, pace figures and their facts) are the measures the engine judged on
the same date (``rules.duties.task_measures``, ``rules.subjects.pace_measures``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.errors import KehoachError
from kg.notation.periods import Period, parse_period
from rules.duties import bucket_labels, task_measures, task_scale
from rules.replay import ReplayResult
from rules.report.sources import Footnotes
from rules.snapshot import Snapshot, as_date, document_dates, visible_from
from rules.subjects import Measure, level_measures, pace_measures, progress_measures
from rules.vocabulary import STATUSES

LAGGING_STATUSES: tuple[str, ...] = ("off_track", "at_risk")
"""Pace/progress statuses listed as lagging, worst first."""

TASK_STATES: dict[str, str] = {
    "completed_on_time": "completed_on_time",
    "completed_late": "completed_late",
    "completed": "completed",
    "in_progress": "in_progress",
    "due_soon": "in_progress",
    "overdue": "overdue",
}
"""Rule status → one of the four states of QĐ 42/2014/QĐ-TTg (due soon is still in time)."""

TASK_STATE_ORDER: tuple[str, ...] = ("completed_on_time", "completed_late", "completed",
                                     "in_progress", "overdue")


def _within(code: str | None, period: Period) -> bool:
    try:
        inner = parse_period(str(code)) if code else None
    except KehoachError:
        return False
    return inner is not None and period.start <= inner.start and inner.end <= period.end


def _agency_name(snap: Snapshot, agency: str | None) -> str | None:
    if not agency:
        return None
    payload = snap.payload("agency", agency)
    return payload.get("short") or payload.get("name") or agency


# --- lagging indicators ----------------------------------------------------------------

def lagging_section(snap: Snapshot, result: ReplayResult, period: Period,
                    notes: Footnotes) -> list[dict[str, Any]]:
    """Targets whose current pace, level or multi-year progress is at risk / off track in
    ``period`` (a status superseded by a verdict is not lagging any more)."""
    measures: dict[str, Measure] = {
        m.event["subject_id"]: m
        for m in pace_measures(snap) + level_measures(snap) + progress_measures(snap)}
    out = []
    for subject_id, entry in sorted(result.statuses.items()):
        for dimension in ("pace", "level", "progress"):
            status = entry.get(dimension)
            if not status or status["status"] not in LAGGING_STATUSES:
                continue
            if status.get("superseded_by"):
                continue
            if not _within(status["period"], period):
                continue
            measure = measures.get(subject_id)
            agency = entry["agency"] or (measure.event["agency"] if measure else None) or None
            cited = [n for f in (measure.facts if measure else []) if f.kind == "observation"
                     for n in notes.cite(f, "mức hiện tại" if dimension == "level"
                                         else "tiến độ")]
            out.append({
                "subject": subject_id, "name": entry["name"], "dimension": dimension,
                "period": status["period"], "status": status["status"],
                "status_vi": STATUSES[dimension][status["status"]].vi, "rule": status["rule"],
                "explanation": status["explanation_vi"], "agency": agency,
                "agency_name": _agency_name(snap, agency), "notes": cited,
                "agency_reason": None if agency else _no_agency_reason(snap, subject_id),
            })
    out.sort(key=lambda r: (LAGGING_STATUSES.index(r["status"]), r["name"]))
    return out


def _no_agency_reason(snap: Snapshot, subject_id: str) -> str:
    """Why a lagging row has no agency: what the data lacks, said once per row."""
    if snap.get("target", subject_id) is None:
        return ("chỉ tiêu chỉ có trong báo cáo, không có trong văn bản giao chỉ tiêu; "
                "nguồn không nêu cơ quan chủ trì")
    return "văn bản giao chỉ tiêu và danh mục chỉ tiêu không nêu cơ quan chủ trì"


# --- tasks ---------------------------------------------------------------------------------

def _task_in_period(task: Any, period: Period, doc_dates: dict[str, date]) -> bool:
    """A task belongs to the period of its deadline; without a calendar deadline, to the
    period in which it was assigned (the date of its source document)."""
    due = as_date(task.payload.get("deadline"))
    when = due or visible_from(task, doc_dates)
    return when is not None and period.start <= when <= period.end


def task_section(snap: Snapshot, result: ReplayResult, period: Period,
                 notes: Footnotes) -> dict[str, Any]:
    """Counts by state and overdue ageing per lead agency, and the overdue tasks."""
    doc_dates = document_dates(snap.all("document"))
    timings = {m.event["subject_id"]: m for m in task_measures(snap)}
    by_agency: dict[str, dict[str, Any]] = {}
    overdue = []
    for task in snap.all("task"):
        status = (result.statuses.get(task.key) or {}).get("task")
        if status is None or not _task_in_period(task, period, doc_dates):
            continue
        state = TASK_STATES.get(status["status"], "in_progress")
        agency = task.payload.get("lead_agency")
        row = by_agency.setdefault(agency, _agency_row(agency, _agency_name(snap, agency)))
        row["states"][state] += 1
        row["total"] += 1
        measure = timings.get(task.key)
        bucket = measure.details.get("bucket") if measure else None
        if state == "overdue" and measure is not None:
            if bucket:
                row["buckets"][bucket] += 1
            overdue.append(_overdue_row(snap, task, measure, bucket, notes))
    rows = sorted(by_agency.values(), key=lambda r: (-r["states"]["overdue"], r["name"] or ""))
    overdue.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    return {
        "states": [{"key": s, "vi": STATUSES["task"][s].vi, "en": STATUSES["task"][s].en}
                   for s in TASK_STATE_ORDER],
        "buckets": [{"key": k, "vi": v} for k, v in bucket_labels().items()],
        "by_agency": rows,
        "totals": _totals(rows),
        "overdue": overdue,
    }


def _agency_row(agency: str | None, name: str | None) -> dict[str, Any]:
    return {"agency": agency, "name": name or "—", "total": 0,
            "states": {s: 0 for s in TASK_STATE_ORDER},
            "buckets": {name: 0 for name, _f, _l in task_scale().buckets}}


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = _agency_row(None, "Tổng cộng")
    for row in rows:
        total["total"] += row["total"]
        for key in total["states"]:
            total["states"][key] += row["states"][key]
        for key in total["buckets"]:
            total["buckets"][key] += row["buckets"][key]
    return total


def _overdue_row(snap: Snapshot, task: Any, measure: Measure, bucket: str | None,
                 notes: Footnotes) -> dict[str, Any]:
    tp = task.payload
    agency = tp.get("lead_agency")
    return {
        "id": task.key, "summary": tp.get("summary"), "agency": agency,
        "agency_name": _agency_name(snap, agency), "lead_implied": bool(tp.get("lead_implied")),
        "deadline": tp.get("deadline"), "deadline_text": tp.get("deadline_text"),
        "days_overdue": int(measure.event["days_overdue"]), "bucket": bucket,
        "bucket_vi": bucket_labels().get(bucket or ""), "notes": notes.cite(task, "nhiệm vụ"),
    }
