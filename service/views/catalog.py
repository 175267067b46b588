"""Lists and records of the catalogue (danh mục): agencies, documents, indicators, targets,
tasks, observations — the latest version of each, with its source and status."""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.log import StoredFact
from service.errors import not_found
from service.runtime import Runtime

KINDS = {"agencies": "agency", "documents": "document", "indicators": "indicator",
         "targets": "target", "tasks": "task", "observations": "observation"}


def record(fact: StoredFact) -> dict[str, Any]:
    """A stored fact as the API shows it: its row fields plus id, version, who, source."""
    return {**fact.payload, "id": fact.key, "version": fact.version,
            "submitted_by": fact.submitted_by, "submitted_at": fact.submitted_at.isoformat(),
            "source": fact.source.to_dict() if fact.source else None}


def get_record(rt: Runtime, kind: str, key: str) -> dict[str, Any]:
    fact = rt.log.get(kind, key)
    if fact is None:
        raise not_found(kind, key)
    return record(fact)


def page(items: list[dict[str, Any]], limit: int | None = None,
         offset: int = 0) -> dict[str, Any]:
    total = len(items)
    chosen = items[offset:offset + limit] if limit is not None else items[offset:]
    return {"data": chosen, "count": len(chosen), "total": total}


def status_index(rt: Runtime, as_of: date | None) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rt.statuses(as_of)}


def indicator_agencies(rt: Runtime) -> dict[str, str | None]:
    return {f.key: f.payload.get("lead_agency") for f in rt.log.current("indicator")}


def list_kind(rt: Runtime, kind: str, *, agency: str | None = None, q: str | None = None,
              indicator: str | None = None, period: str | None = None) -> list[dict[str, Any]]:
    rows = [record(f) for f in rt.log.current(kind)]
    if agency:
        rows = [r for r in rows if agency in (r.get("lead_agency"), r.get("issuer"),
                                              r.get("parent"), r.get("id"))
                or agency in (r.get("support") or [])]
    if indicator:
        rows = [r for r in rows if r.get("indicator") == indicator]
    if period:
        rows = [r for r in rows if str(r.get("period")) == period]
    if q:
        needle = q.casefold()
        rows = [r for r in rows if needle in " ".join(
            str(r.get(k) or "") for k in ("id", "name", "title", "summary", "number",
                                          "indicator_text")).casefold()]
    return rows


def targets(rt: Runtime, as_of: date | None = None, *, agency: str | None = None,
            status: str | None = None, indicator: str | None = None,
            period: str | None = None) -> list[dict[str, Any]]:
    """Targets with their indicator's group and lead agency and their current status."""
    statuses = status_index(rt, as_of)
    indicators = {f.key: f.payload for f in rt.log.current("indicator")}
    rows = []
    for row in list_kind(rt, "target", indicator=indicator, period=period):
        ind = indicators.get(row.get("indicator") or "", {})
        st = statuses.get(row["id"], {})
        row.update(name=ind.get("name"), group=ind.get("group"), unit=row.get("unit") or
                   ind.get("unit"), agency=ind.get("lead_agency"), status=st.get("status"),
                   verdict=st.get("verdict"), status_period=st.get("period"),
                   explanation=st.get("explanation"), explanation_en=st.get("explanation_en"))
        rows.append(row)
    if agency:
        rows = [r for r in rows if r["agency"] == agency]
    if status:
        rows = [r for r in rows if status in (r["status"], r["verdict"])]
    return rows


def tasks(rt: Runtime, as_of: date | None = None, *, agency: str | None = None,
          status: str | None = None) -> list[dict[str, Any]]:
    statuses = status_index(rt, as_of)
    rows = []
    for row in list_kind(rt, "task", agency=agency):
        st = statuses.get(row["id"], {})
        row.update(status=st.get("status"), explanation=st.get("explanation"),
                   explanation_en=st.get("explanation_en"))
        rows.append(row)
    if status:
        rows = [r for r in rows if r["status"] == status]
    return rows


def statuses(rt: Runtime, as_of: date | None = None, *, agency: str | None = None,
             kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    rows = rt.statuses(as_of)
    return [r for r in rows if (not agency or r["agency"] == agency)
            and (not kind or r["kind"] == kind) and (not status or status in
                                                     (r["status"], r["verdict"]))]
