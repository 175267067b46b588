"""An agency's portfolio (danh mục việc của cơ quan): everything it leads (chủ trì) or supports
(phối hợp) — from the graph — with statuses, overdue ageing and open alerts from an evaluation
of the rules as of a date. Lives in ``rules`` because it needs both; ``kg`` stays free of rules.

One function per question, called by the CLI, the API and the pages alike:
``agency_alerts`` (the open alerts that concern an agency — as lead, or as the supervisor an
escalation goes to: ``rules.filters.alert_concerns``), ``overdue_ageing`` (its overdue tasks by
age bucket, from the one overdue alert per task) and ``portfolio``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.graph import PlanGraph
from rules.duties import bucket_labels, task_scale
from rules.filters import alert_concerns
from rules.outcomes import Alert
from rules.replay import ReplayResult, closed_alerts, current_dimension, replay
from rules.vocabulary import STATUSES

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


def agency_alerts(evaluation: ReplayResult, agency: str) -> list[Alert]:
    """The open alerts (not superseded) that concern ``agency`` (an id), in raising order."""
    return [a for a in closed_alerts(evaluation)
            if not a.superseded_by and alert_concerns(a, agency)]


def overdue_ageing(evaluation: ReplayResult, agency: str) -> dict[str, int]:
    """How many of the tasks ``agency`` leads are overdue, by age bucket (every bucket of the
    scale in order, zeros included) — read from the one open overdue alert per task."""
    counts = {name: 0 for name, _first, _last in task_scale().buckets
              if name != "not_overdue"}
    for alert in agency_alerts(evaluation, agency):
        bucket = (alert.details or {}).get("bucket")
        if alert.kind == "overdue" and alert.agency == agency and bucket in counts:
            counts[bucket] += 1
    return counts


def _indicator_status(evaluation: ReplayResult, indicator: str,
                      as_of: date) -> tuple[str | None, dict[str, Any] | None]:
    """An indicator's status: that of its target for the as-of year, else its latest target
    before it (the id, the status)."""
    prefix = f"{indicator}@"
    targets = sorted(k for k in evaluation.statuses if k.startswith(prefix))
    year = str(as_of.year)
    this_year = [k for k in targets if k.removeprefix(prefix) == year]
    begun = [k for k in targets if k.removeprefix(prefix)[:4] <= year]
    chosen = (this_year or begun or [None])[-1]
    return chosen, _status(evaluation.statuses.get(chosen)) if chosen else None


def portfolio(log: Any, agency: str, as_of: date | None = None,
              plan: PlanGraph | None = None,
              evaluation: ReplayResult | None = None) -> dict[str, Any]:
    """What ``agency`` (id, name or alias) leads or supports, with status, ageing and alerts.
    ``plan`` and ``evaluation`` are built from ``log`` when not given (the service passes its
    own, so the API, the pages and the CLI answer from the same evaluation)."""
    as_of = as_of or date.today()
    plan = plan or PlanGraph.from_log(log)
    node = plan.agency(agency)
    agency_id = plan.info(node)["id"]
    result = evaluation if evaluation is not None else replay(log, as_of, persist=False)
    alerts_of: dict[str, list[Any]] = {}
    for alert in closed_alerts(result):
        alerts_of.setdefault(alert.subject.id, []).append(alert)
    items = []
    for item in plan.responsibilities(node):
        subject_id = item["subject"]["id"]
        status_of = subject_id
        if item["subject"]["kind"] == "indicator":
            status_of, status = _indicator_status(result, subject_id, as_of)
        else:
            status = _status(result.statuses.get(subject_id))
        items.append({"subject": item["subject"], "role": item["role"], "via": item["via"],
                      "assigned_by": (item["assigned_by"] or {}).get("id"),
                      "deadline": item["deadline"], "status": status, "status_of": status_of,
                      "ageing": _ageing(item["deadline"], status, as_of)
                      if item["subject"]["kind"] == "task" else None,
                      "alerts": _open_alerts(alerts_of.get(status_of or subject_id, []),
                                             status)})
    counts: dict[str, int] = {}
    for item in items:
        key = item["status"]["status"] if item["status"] else "no_status"
        counts[key] = counts.get(key, 0) + 1
    return {"agency": plan.agency_entry(node), "as_of": as_of.isoformat(),
            "counts": counts, "items": items,
            "alerts": [a.to_dict() for a in agency_alerts(result, agency_id)],
            "overdue_ageing": overdue_ageing(result, agency_id),
            "ageing_labels": bucket_labels()}


def status_label(status: str | None, lang: str = "vi") -> str:
    """A status code in words ("Có nguy cơ chậm"); "chưa có số liệu" for none."""
    if not status or status == "no_status":
        return "chưa có số liệu" if lang != "en" else "no data yet"
    for labels in STATUSES.values():
        if status in labels:
            return labels[status].vi if lang != "en" else labels[status].en
    return status


def who(plan: PlanGraph, evaluation: ReplayResult | None, text: str, limit: int = 20,
        offset: int = 0, as_of: date | None = None) -> dict[str, Any]:
    """``PlanGraph.who_page`` with each subject's current status and open alerts from the
    evaluation (the same one as the alert list, so their counts agree)."""
    page = plan.who_page(text, limit, offset)
    if evaluation is None:
        return page
    open_of: dict[str, list[str]] = {}
    for alert in closed_alerts(evaluation):
        if not alert.superseded_by:
            open_of.setdefault(alert.subject.id, []).append(alert.id)
    rows = []
    for row in page["data"]:
        subject = row["subject"]
        status_of = subject["id"]
        if subject["kind"] == "indicator":
            status_of, status = _indicator_status(evaluation, subject["id"],
                                                  as_of or date.today())
        else:
            status = _status(evaluation.statuses.get(subject["id"]))
        rows.append({**row, "status": status, "status_of": status_of,
                     "alerts": open_of.get(status_of or "", [])})
    return {**page, "data": rows}

