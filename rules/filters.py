"""Filters people type (bộ lọc): an agency by id, name, short name or alias, an alert kind, a
severity — resolved once, here, for the CLI, the API and the pages. An unknown value is an
error that names the close ones (``kg.matching.UnknownName``), never an empty answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.matching import UnknownName, matcher_from_log, resolve, suggest
from rules.vocabulary import ALERT_KINDS, SEVERITIES


@dataclass(frozen=True)
class AlertFilters:
    """Resolved alert filters: ids and codes, each None when not asked for."""

    agency: str | None = None
    kind: str | None = None
    severity: str | None = None


def _code(value: str, known: list[str], vi: str, en: str, field: str) -> str:
    wanted = value.strip().lower()
    if wanted in known:
        return wanted
    raise UnknownName(vi, en, value, suggest(value, [(k, [k]) for k in known]) or known,
                      field)


def resolve_agency(log: Any, text: str, field: str = "agency") -> str:
    """The agency id ``text`` names (id, name, short name or alias)."""
    return resolve(matcher_from_log(log, "agency"), text, "cơ quan", "agency", field)


def resolve_alert_filters(log: Any, agency: str | None = None, kind: str | None = None,
                          severity: str | None = None) -> AlertFilters:
    """Filters as typed → ids and codes; ``UnknownName`` for anything that names nothing."""
    kinds, severities = sorted(ALERT_KINDS), sorted(SEVERITIES)
    return AlertFilters(
        agency=resolve_agency(log, agency) if agency else None,
        kind=_code(kind, kinds, "loại cảnh báo", "alert kind", "kind") if kind else None,
        severity=_code(severity, severities, "mức độ", "severity", "severity")
        if severity else None)


def alert_concerns(alert: Any, agency: str) -> bool:
    """An alert (an ``Alert`` or its dict) concerns an agency when it leads the subject or is
    the supervisor an escalation is sent to (cơ quan chủ quản) — the one rule every alert list
    uses (CLI, API, pages, portfolio)."""
    if isinstance(alert, dict):
        lead, details = alert.get("agency"), alert.get("details") or {}
    else:
        lead, details = alert.agency, alert.details or {}
    return agency in (lead, details.get("supervisor"))
