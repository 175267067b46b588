"""What an evaluation of the log gives (kết quả đánh giá) and how people see it: outcomes in
time order and the statuses per subject (``ReplayResult``), one status row per target and task,
alerts closed by a later status, filtered by agency or kind.

Read by the replay, the live session and every view; it depends on no step of the rules, so
the judging modules (``rules.session``, ``rules.replay``) can both build on it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from rules.filters import alert_concerns
from rules.outcomes import Alert, StatusChange
from rules.vocabulary import STATUSES

if TYPE_CHECKING:  # the type only: results depend on no step of the rules
    from rules.loader import RuleBook


@dataclass
class ReplayResult:
    """What a replay produced: outcomes in time order and the final status per subject;
    ``rules``: the rule set that judged (bộ luật — the session's pinned one; None when the
    result was read back from stores), so a trace names that set's rules, not the files'."""

    outcomes: list[Alert | StatusChange] = field(default_factory=list)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    appended: int = 0
    rules: RuleBook | None = field(default=None, compare=False, repr=False)

    @property
    def alerts(self) -> list[Alert]:
        """The alerts as raised (and persisted); ``closed_alerts`` marks the superseded ones."""
        return [o for o in self.outcomes if isinstance(o, Alert)]

    @property
    def changes(self) -> list[StatusChange]:
        return [o for o in self.outcomes if isinstance(o, StatusChange)]


STATUS_PRECEDENCE = ("verdict", "task", "level", "pace", "progress")
"""Which dimension's status is a subject's one current status (thứ tự ưu tiên trạng thái): the
verdict on a whole-period figure or estimate (latest evidence: the period's end) replaces the
level or pace of a part of the period; a level and a pace never meet on one target (a target is
judged by its measure kind); the multi-year progress comes last. The others stay in the entry
marked ``superseded_by`` (and in the history of status changes)."""


def current_dimension(entry: dict[str, Any]) -> str | None:
    """The dimension holding the subject's current status (``STATUS_PRECEDENCE``)."""
    return next((d for d in STATUS_PRECEDENCE if isinstance(entry.get(d), dict)
                 and entry[d].get("status")), None)


def latest_versions(outcomes: list[Alert | StatusChange]) -> list[Alert | StatusChange]:
    """One outcome per id, its latest version, where that version was produced (an overdue
    alert is renewed when its task moves to the next age bucket)."""
    last = {o.id: i for i, o in enumerate(outcomes)}
    return [o for i, o in enumerate(outcomes) if last[o.id] == i]


def _status_label(dimension: str | None, status: str | None) -> dict[str, str] | None:
    """The status as its own dimension names it ("Mức hiện tại chưa đạt mục tiêu" for a level
    at risk, "Có nguy cơ chậm" for a pace): one code, several dimensions."""
    label = STATUSES.get(dimension or "", {}).get(status or "")
    return {"vi": label.vi, "en": label.en} if label else None


def status_rows(statuses: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per target and task from a result's statuses (see ``current_statuses``): ONE
    current status (``status``, of ``dimension``, by ``STATUS_PRECEDENCE``), its explanation,
    the verdict when there is one, and the statuses it superseded."""
    rows = []
    for subject_id, entry in sorted(statuses.items()):
        dimension = current_dimension(entry)
        main = entry[dimension] if dimension else {}
        verdict = entry.get("verdict") or {}
        rows.append({
            "id": subject_id, "kind": entry["kind"], "name": entry["name"],
            "period": main.get("period") or verdict.get("period"),
            "status": main.get("status"), "dimension": dimension,
            "status_label": _status_label(dimension, main.get("status")),
            "verdict": verdict.get("status"),
            "expected": verdict.get("expected"), "agency": entry["agency"],
            "explanation": main.get("explanation_vi"),
            "explanation_en": main.get("explanation_en"),
            "superseded": [{"dimension": d, "status": entry[d]["status"],
                            "period": entry[d].get("period")}
                           for d in STATUS_PRECEDENCE if d != dimension
                           and isinstance(entry.get(d), dict) and entry[d].get("status")],
        })
    return rows


def superseding(alert: Alert, statuses: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """What closed an alert: an alert that set a status is open only while that status (same
    rule, period and status) is its subject's current one; otherwise the current status that
    superseded it. Alerts without a status (missing reports, discrepancies, data quality,
    escalations) stay open (None)."""
    if not alert.status:
        return None
    entry = statuses.get(alert.subject.id) or {}
    dimension = current_dimension(entry)
    now = entry.get(dimension) if dimension else None
    if now is None or (now["status"] == alert.status and now["rule"] == alert.rule["id"]
                       and (now.get("period") or None) == alert.period):
        return None
    return {"dimension": dimension, "status": now["status"], "period": now.get("period"),
            "rule": now["rule"]}


def _closed(alert: Alert, statuses: dict[str, dict[str, Any]]) -> Alert:
    by = superseding(alert, statuses)
    return alert if by == alert.superseded_by else replace(alert, superseded_by=by)


def closed_alerts(result: ReplayResult) -> list[Alert]:
    """A result's alerts as shown to people: each marked ``superseded_by`` (closed, no longer
    an open alert) when the status it set is no longer its subject's current status. The log
    keeps them as raised."""
    return [_closed(a, result.statuses) for a in result.alerts]


def filter_alerts(rows: list[dict[str, Any]], agency: str | None = None,
                  kind: str | None = None) -> list[dict[str, Any]]:
    return [a for a in rows if (agency is None or alert_concerns(a, agency))
            and (kind is None or a["kind"] == kind)]
