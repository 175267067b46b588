"""An agency's portfolio (danh mục việc của cơ quan): everything it leads (chủ trì) or supports
(phối hợp) — from the graph — with statuses, overdue ageing and open alerts from a replay of
the rules as of a date. Lives in ``rules`` because it needs both; ``kg`` stays free of rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.graph import PlanGraph
from rules.duties import task_scale
from rules.replay import closed_alerts, current_dimension, replay

COMPLETED = ("completed_on_time", "completed_late", "completed")


def _status(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """The subject's one current status (``rules.replay.STATUS_PRECEDENCE``)."""
    dimension = current_dimension(entry) if entry else None
    if dimension is None:
        return None
    main = entry[dimension]
    return {"dimension": dimension, "status": main["status"],
            "period": main.get("period"), "rule": main.get("rule"),
            "explanation_vi": main.get("explanation_vi"),
            "explanation_en": main.get("explanation_en")}


def _ageing(deadline: dict[str, Any] | None, status: dict[str, Any] | None,
            as_of: date) -> dict[str, Any] | None:
    """Days overdue and the ageing bucket of an open task past its (calendar) deadline."""
    if not deadline or not deadline.get("date") or deadline.get("condition"):
        return None
    if not status or status["status"] != "overdue":  # completed, continuing, in time
        return None
    days = (as_of - date.fromisoformat(deadline["date"])).days
    if days <= 0:
        return None
    return {"days_overdue": days, "bucket": task_scale().bucket(days)}


def _open_alerts(alerts: list[Any], status: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The latest open alert of each kind on a subject (a superseded one is closed), unless
    the subject is completed."""
    if status and status["status"] in COMPLETED:
        return []
    latest: dict[str, Any] = {}
    for alert in sorted((a for a in alerts if not a.superseded_by), key=lambda a: a.as_of):
        latest[alert.kind] = alert
    return [{"id": a.id, "kind": a.kind, "severity": a.severity, "as_of": a.as_of,
             "explanation_vi": a.explanation_vi, "explanation_en": a.explanation_en}
            for a in latest.values()]


def portfolio(log: Any, agency: str, as_of: date | None = None,
              plan: PlanGraph | None = None) -> dict[str, Any]:
    """What ``agency`` (id, name or alias) leads or supports, with status, ageing and alerts."""
    as_of = as_of or date.today()
    plan = plan or PlanGraph.from_log(log)
    node = plan.agency(agency)
    result = replay(log, as_of, persist=False)
    alerts_of: dict[str, list[Any]] = {}
    for alert in closed_alerts(result):
        alerts_of.setdefault(alert.subject.id, []).append(alert)
    items = []
    for item in plan.responsibilities(node):
        subject_id = item["subject"]["id"]
        status = _status(result.statuses.get(subject_id))
        items.append({"subject": item["subject"], "role": item["role"], "via": item["via"],
                      "assigned_by": (item["assigned_by"] or {}).get("id"),
                      "deadline": item["deadline"], "status": status,
                      "ageing": _ageing(item["deadline"], status, as_of)
                      if item["subject"]["kind"] == "task" else None,
                      "alerts": _open_alerts(alerts_of.get(subject_id, []), status)})
    counts: dict[str, int] = {}
    for item in items:
        key = item["status"]["status"] if item["status"] else "no_status"
        counts[key] = counts.get(key, 0) + 1
    return {"agency": plan.agency_entry(node), "as_of": as_of.isoformat(),
            "counts": counts, "items": items}
