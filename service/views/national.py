"""The national view (cả nước): reads across the jurisdictions (địa bàn) of one shared database —
the board by province, alerts, who is responsible, the trace of one outcome — each jurisdiction
read on its own: its facts through a log handle confined to it (``log.within``), its alerts and
statuses as its judge stored them (``rules.judged``: the outcome store's set and the status
snapshot of the rule set this service runs). Nothing is judged here.

A jurisdiction the judge has not judged as of the asked date is said to be so ("chưa xét / not
judged yet", with the date it was last judged, if any) — never shown as having no alerts. Every
row carries its jurisdiction, and no jurisdiction's facts or outcomes are read under another's
code.

Who may read across jurisdictions: only users of a national service (its jurisdiction's kind is
in ``NATIONAL_KINDS``) whose role is in ``NATIONAL_ROLES``; see ``check_national_reader``.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from kg.errors import LogError
from kg.graph import PlanGraph
from kg.jurisdictions import jurisdiction_of
from kg.jurisdictions import resolve as resolve_jurisdiction
from kg.log.scope import check_code
from kg.matching import UnknownName
from rules.filters import alert_concerns, resolve_agency, resolve_alert_filters
from rules.judged import Judged, JudgedReader, NotJudged
from rules.memo import Cache
from rules.results import closed_alerts
from rules.status_store import StatusStore
from rules.trace import plan_graph
from rules.trace import trace as trace_any
from service.errors import ApiError, field_error
from service.runtime import Runtime
from service.store import User
from service.views.board import SEVERITY_ORDER, STATUS_ORDER

NATIONAL_KINDS = ("nation",)
"""Kinds of jurisdiction (data/jurisdictions.yaml) whose service may read across the others:
the nation's. A province's or a ministry's service reads its own jurisdiction only."""
DERIVED_CACHE = 256
"""Views derived from a jurisdiction's judged state (its alert rows, its board counts), kept
until its log or its judged set moves: two per jurisdiction and date."""
PLAN_CACHE = 2
"""Plan graphs kept for traces (a province's is built in seconds and holds its whole plan: a
couple are kept, keyed by jurisdiction, log position and the judged set)."""
NATIONAL_ROLES = ("admin", "auditor", "viewer")
"""Roles that may read across jurisdictions on a national service. A reporter reports for one
agency of one jurisdiction and is refused (its agency code means nothing in another one)."""


def national_roles(rt: Any) -> tuple[str, ...]:
    """The roles that may read across jurisdictions on this service (none on a province's:
    the pages show their national link only to those)."""
    code = getattr(getattr(rt, "log", None), "jurisdiction", None)
    place = jurisdiction_of(code) if code else None
    return NATIONAL_ROLES if place is not None and place.kind in NATIONAL_KINDS else ()


def check_national_reader(rt: Runtime, user: User) -> None:
    """Let through a national service's admins, auditors and viewers; anyone else is 403
    ``national_forbidden`` (the API's error shape, both languages)."""
    if not national_roles(rt):
        here = rt.log.jurisdiction or "-"
        raise ApiError(
            403, "national_forbidden",
            f"dịch vụ này phục vụ địa bàn '{here}'; chỉ người dùng của dịch vụ cả nước "
            "(--jurisdiction viet-nam) được xem các địa bàn khác",
            f"this service serves jurisdiction '{here}'; only users of the national service "
            "(--jurisdiction viet-nam) may read other jurisdictions")
    if user.role not in NATIONAL_ROLES:
        raise ApiError(
            403, "national_forbidden",
            f"vai trò '{user.role}' không được xem số liệu các địa bàn (cần: "
            f"{', '.join(NATIONAL_ROLES)})",
            f"role '{user.role}' may not read across jurisdictions (needs: "
            f"{', '.join(NATIONAL_ROLES)})")


def _is_code(text: str) -> bool:
    try:
        check_code(text)
    except LogError:
        return False
    return True


def _shared(store: Any, code: str) -> Any:
    """A reader of ``store``'s tables for another jurisdiction, on the same connection (one
    connection per store, not per jurisdiction: a national database has dozens). Readers only:
    the copy is never written through nor closed."""
    other = copy.copy(store)
    other.jurisdiction = code
    return other


class Nation:
    """What the national view holds for one service: a judged-state reader per jurisdiction
    (kept, so a read catches up with the judge instead of re-reading every set)."""

    def __init__(self, rt: Runtime) -> None:
        # a weak reference: the service's runtime owns this (``_NATIONS`` is keyed by it),
        # and a strong one would keep both alive after the service closed
        self._rt = weakref.ref(rt)
        self.ruleset = rt.live.engine.book.digest  # the rule set this service runs
        self._lock = threading.Lock()
        self._readers: dict[str, JudgedReader] = {}
        self._statuses: StatusStore | None = None
        self._plans: Cache[PlanGraph] = Cache(PLAN_CACHE)
        self._derived: Cache[Any] = Cache(DERIVED_CACHE)

    def derived(self, name: str, code: str, found: Judged, compute: Callable[[], Any]) -> Any:
        """``compute()`` cached per (name, jurisdiction, judged date and content, log
        position): shared by every caller — read-only."""
        key = (name, code, found.as_of, found.tag, found.upto_seq, self.log(code).last_seq())
        return self._derived.get(key, compute)

    @property
    def rt(self) -> Runtime:
        rt = self._rt()
        if rt is None:
            raise RuntimeError("the service this national view belonged to is gone")
        return rt

    def plan(self, code: str, found: Judged | None) -> PlanGraph:
        """The plan graph of ``code``'s facts with its judged outcomes as nodes, rebuilt
        only when its log or its judged set moved."""
        log = self.log(code)
        key = (code, log.last_seq(), found.tag if found is not None else None)
        outcomes = found.result.outcomes if found is not None else []
        return self._plans.get(key, lambda: plan_graph(log, outcomes))

    def places(self) -> dict[str, dict[str, Any]]:
        """code → {code, name, name_en, kind, facts, total} of every jurisdiction holding
        facts, by code (the unscoped legacy log ``''`` is no jurisdiction: left out)."""
        out = {}
        for code, kinds in sorted(self.rt.log.jurisdictions().items()):
            if not code or not sum(kinds.values()):
                continue
            known = jurisdiction_of(code)
            out[code] = {"code": code, "name": known.full_name if known else code,
                         "name_en": known.name_en if known else code,
                         "kind": known.kind if known else None,
                         "facts": dict(kinds), "total": sum(kinds.values())}
        return out

    def code(self, text: str, field: str, status: int = 404) -> str:
        """The jurisdiction ``text`` names (its code, or a name of the reference list) among
        those the database holds; else ``unknown_jurisdiction`` naming the held ones."""
        held = self.places()
        wanted = text.strip()
        if wanted not in held and not _is_code(wanted):
            found = resolve_jurisdiction(wanted)  # a name: "Lạng Sơn", "tỉnh Đồng Nai"
            wanted = found.code if found is not None else wanted
        if wanted in held:
            return wanted
        known = ", ".join(held) or "-"
        vi = (f"trường '{field}': cơ sở dữ liệu không có địa bàn '{text}' (có: {known})")
        en = (f"field '{field}': the database holds no jurisdiction '{text}' (it holds: "
              f"{known})")
        raise ApiError(status, "unknown_jurisdiction", vi, en,
                       [field_error(field, "unknown_jurisdiction", vi, en)])

    def log(self, code: str) -> Any:
        """The service's log confined to ``code`` (same connection; never closed here)."""
        return self.rt.log.within(code)

    def reader(self, code: str) -> JudgedReader:
        with self._lock:
            found = self._readers.get(code)
            if found is None:
                if self._statuses is None:
                    self._statuses = StatusStore(self.rt.log, self.ruleset)
                    weakref.finalize(self.rt, self._statuses.close)  # its own connection
                found = self._readers[code] = JudgedReader(
                    _shared(self.rt.live.outcomes, code), _shared(self._statuses, code))
            return found

    def judged(self, code: str, when: date) -> Judged | None:
        """What the judge stored for ``code`` as of ``when``; None: not judged that date."""
        try:
            return self.reader(code).read(when)
        except NotJudged:
            return None

    def judgement(self, code: str, when: date, found: Judged | None) -> dict[str, Any]:
        """Whether ``code`` is judged as of ``when``: ``judged`` (up to which log position,
        and whether facts came after it) or ``not_judged`` with the date it was last judged
        (None: never)."""
        if found is None:
            outcomes = self.reader(code).outcomes
            last = outcomes.holding(when) or outcomes.latest()
            return {"state": "not_judged", "as_of": when.isoformat(),
                    "judged_as_of": last.isoformat() if last else None,
                    "upto_seq": None, "pending_facts": None}
        behind = self.log(code).last_seq() > found.upto_seq
        return {"state": "judged", "as_of": when.isoformat(),
                "judged_as_of": when.isoformat(), "upto_seq": found.upto_seq,
                "pending_facts": behind}



_NATIONS: weakref.WeakKeyDictionary[Runtime, Nation] = weakref.WeakKeyDictionary()
_NATIONS_LOCK = threading.Lock()


def nation(rt: Runtime) -> Nation:
    """The service's ``Nation`` (made on the first national read)."""
    with _NATIONS_LOCK:
        found = _NATIONS.get(rt)
        if found is None:
            found = _NATIONS[rt] = Nation(rt)
        return found


def _ordered(counts: Counter[str], order: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])))


def summary(nat: Nation, place: dict[str, Any], when: date) -> dict[str, Any]:
    """One jurisdiction on the national board: its targets and tasks by status and its open
    alerts by severity as its judge concluded them as of ``when`` (None while not judged)."""
    found = nat.judged(place["code"], when)
    row: dict[str, Any] = {**place, "targets": place["facts"].get("target", 0),
                           "tasks": place["facts"].get("task", 0),
                           "judgement": nat.judgement(place["code"], when, found),
                           "statuses": None, "open_alerts": None, "open_alert_count": None}
    if found is None:
        return row
    row.update(nat.derived("summary", place["code"], found,
                           lambda: _counts(nat, place["code"], found)))
    return row


def _counts(nat: Nation, code: str, found: Judged) -> dict[str, Any]:
    """A judged jurisdiction's targets and tasks by status and open alerts by severity."""
    by_kind: dict[str, Counter[str]] = {"target": Counter(), "task": Counter()}
    judged = set()
    for status in found.rows:
        judged.add(status["id"])
        by_kind.setdefault(status["kind"], Counter())[status["status"] or "no_data"] += 1
    log = nat.log(code)
    for kind in ("target", "task"):  # a plan item no rule has judged yet has no data
        unjudged = sum(1 for f in log.current(kind) if f.key not in judged)
        if unjudged:
            by_kind[kind]["no_data"] += unjudged
    open_rows = [a for a in alert_rows(nat, code, found) if not a["superseded_by"]]
    return {"statuses": {k: _ordered(v, STATUS_ORDER) for k, v in by_kind.items()},
            "open_alerts": _ordered(Counter(a["severity"] for a in open_rows), SEVERITY_ORDER),
            "open_alert_count": len(open_rows)}


def alert_rows(nat: Nation, code: str, found: Judged) -> list[dict[str, Any]]:
    """Every alert the judge raised in ``code`` (closed ones marked ``superseded_by``) with
    its jurisdiction and its agency's name there; built once per judged state, read-only."""
    def build() -> list[dict[str, Any]]:
        known = jurisdiction_of(code)
        names = {f.key: f.payload.get("name") for f in nat.log(code).current("agency")}
        return [{**a.to_dict(), "jurisdiction": code,
                 "jurisdiction_name": known.full_name if known else code,
                 "jurisdiction_name_en": known.name_en if known else code,
                 "agency_name": names.get(a.agency or "")}
                for a in closed_alerts(found.result)]

    return nat.derived("alerts", code, found, build)


def board(rt: Runtime, as_of: date | None = None) -> dict[str, Any]:
    """Every jurisdiction of the database side by side as of a date (the service's date by
    default), each as its own judge concluded."""
    when = rt.as_of(as_of)
    nat = nation(rt)
    rows = [summary(nat, place, when) for place in nat.places().values()]
    return {"as_of": when.isoformat(), "data": rows,
            "not_judged": [r["code"] for r in rows if r["judgement"]["state"] != "judged"]}


def _agency_in(log: Any, text: str) -> str | None:
    """The agency ``text`` names in one jurisdiction (id, name, short name, alias), None
    when it names none there (or is ambiguous there)."""
    try:
        return resolve_agency(log, text)
    except UnknownName:
        return None


def _no_agency(text: str) -> ApiError:
    vi = f"trường 'agency': không địa bàn nào có cơ quan '{text}'"
    en = f"field 'agency': no jurisdiction has an agency '{text}'"
    return ApiError(422, "unknown_name", vi, en, [field_error("agency", "unknown_name", vi, en)])


def alerts(rt: Runtime, as_of: date | None = None, *, jurisdiction: str | None = None,
           agency: str | None = None, kind: str | None = None, severity: str | None = None,
           state: str | None = "open") -> dict[str, Any]:
    """Alerts across jurisdictions, each with its ``jurisdiction`` (code and name) and its
    agency's name there (``agency_name``: the same code names another body elsewhere); most severe,
    most recent first. ``state="open"`` (default) keeps those no later status closed, ``all``
    every alert raised. ``agency`` is resolved in each jurisdiction on its own (an agency
    of that name there); ``not_judged`` names the jurisdictions whose alerts are unknown."""
    when = rt.as_of(as_of)
    nat = nation(rt)
    places = nat.places()
    if jurisdiction:
        code = nat.code(jurisdiction, "jurisdiction", 422)
        places = {code: places[code]}
    wanted = resolve_alert_filters(rt.log, None, kind, severity)
    rows: list[dict[str, Any]] = []
    not_judged, matched = [], False
    for code, place in places.items():
        chosen = _agency_in(nat.log(code), agency) if agency else None
        if agency and chosen is None:
            continue
        matched = True
        found = nat.judged(code, when)
        if found is None:
            not_judged.append(nat.judgement(code, when, None) | {
                "code": code, "name": place["name"], "name_en": place["name_en"]})
            continue
        rows += [a for a in alert_rows(nat, code, found)
                 if (state == "all" or not a.get("superseded_by"))
                 and (not chosen or alert_concerns(a, chosen))
                 and (not wanted.kind or a["kind"] == wanted.kind)
                 and (not wanted.severity or a["severity"] == wanted.severity)]
    if agency and not matched:
        raise _no_agency(agency)
    rows.sort(key=lambda a: (a["jurisdiction"], a["id"]))
    rows.sort(key=lambda a: a["as_of"], reverse=True)
    rows.sort(key=lambda a: SEVERITY_ORDER.get(a["severity"], 9))
    return {"as_of": when.isoformat(), "data": rows, "not_judged": not_judged}


def _status_of(found: Judged | None) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in found.rows} if found is not None else {}


AGENCY_FIELDS = ("name", "name_en", "kind", "parent", "succeeded_by")


def who(rt: Runtime, text: str, as_of: date | None = None) -> dict[str, Any]:
    """An agency (code or name) → in each jurisdiction that has one by that name: the agency,
    the tasks it leads or supports (``role``) and the targets of the indicators it leads
    (each with its judged status, None while the jurisdiction is not judged), and its open
    alerts (as lead or supervisor; None while not judged)."""
    when = rt.as_of(as_of)
    nat = nation(rt)
    out = []
    for code, place in nat.places().items():
        log = nat.log(code)
        agency_id = _agency_in(log, text)
        if agency_id is None:
            continue
        found = nat.judged(code, when)
        statuses = _status_of(found)
        record = log.get("agency", agency_id)
        info = record.payload if record is not None else {}
        led = {f.key for f in log.current("indicator") if f.payload.get("lead_agency")
               == agency_id}
        tasks = [{"id": f.key, "summary": f.payload.get("summary"),
                  "role": "lead" if f.payload.get("lead_agency") == agency_id else "support",
                  "deadline": f.payload.get("deadline"),
                  "status": (statuses.get(f.key) or {}).get("status")}
                 for f in log.current("task") if agency_id == f.payload.get("lead_agency")
                 or agency_id in (f.payload.get("support") or [])]
        targets = [{"id": f.key, "indicator": f.payload.get("indicator"),
                    "period": f.payload.get("period"),
                    "expression": f.payload.get("expression"),
                    "status": (statuses.get(f.key) or {}).get("status")}
                   for f in log.current("target") if f.payload.get("indicator") in led]
        out.append({"jurisdiction": code, "jurisdiction_name": place["name"],
                    "jurisdiction_name_en": place["name_en"],
                    "judgement": nat.judgement(code, when, found),
                    "agency": {"id": agency_id, **{k: info.get(k) for k in AGENCY_FIELDS}},
                    "tasks": tasks, "targets": targets,
                    "open_alerts": None if found is None else
                    [a for a in alert_rows(nat, code, found) if not a["superseded_by"]
                     and alert_concerns(a, agency_id)]})
    if not out:
        vi = f"trường 'agency': không địa bàn nào có cơ quan '{text}'"
        en = f"field 'agency': no jurisdiction has an agency '{text}'"
        raise ApiError(404, "not_found", vi, en, [field_error("agency", "not_found", vi, en)])
    return {"as_of": when.isoformat(), "query": text, "data": out}


def trace(rt: Runtime, jurisdiction: str, ident: str,
          as_of: date | None = None) -> dict[str, Any]:
    """The trace of one id (an alert, a status change, a target, a task …) in the named
    jurisdiction: its facts and its judge's stored outcomes only."""
    when = rt.as_of(as_of)
    nat = nation(rt)
    code = nat.code(jurisdiction, "jurisdiction")
    found = nat.judged(code, when)
    data = trace_any(nat.plan(code, found), found.result if found is not None else None, ident)
    place = nat.places()[code]
    return {**data, "jurisdiction": code, "jurisdiction_name": place["name"],
            "jurisdiction_name_en": place["name_en"], "judgement": nat.judgement(code, when, found)}
