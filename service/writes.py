"""From an accepted request body to the facts the log records (dữ kiện ghi vào sổ).

Bodies are already parsed and notation-checked by ``service.schemas``; here they get their
natural keys, their references are checked against what the log knows (every unknown id is
named, Vietnamese first), and they become ``kg.log.Fact``s in the dataset's row shape so the
rules read them exactly like curated rows.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel

from kg.agency_entries import AgencyEntry, build_agencies
from kg.errors import KehoachError, Place
from kg.log import Fact, Source
from kg.matching import Matcher, matcher_from_log
from kg.notation import Period
from service.errors import ApiError, field_error

# kind → (field, kind it refers to) checked on create/update.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "agency": (("succeeded_by", "agency"),),  # the parent: kg.agency_entries (name or id)
    "document": (("issuer", "agency"), ("based_on", "document"), ("implements", "document")),
    "target": (("indicator", "indicator"), ("set_by", "document"), ("assigned_by", "document")),
    "task": (("lead_agency", "agency"), ("support", "agency"), ("assigned_by", "document"),
             ("indicator", "indicator")),
    "observation": (("indicator", "indicator"),),
}
KIND_VI = {"agency": "cơ quan", "document": "văn bản", "indicator": "chỉ tiêu",
           "target": "mục tiêu", "task": "nhiệm vụ", "observation": "số liệu"}


def _source(body: Any, username: str) -> Source:
    src = getattr(body, "source", None)
    if src is not None:
        return Source(src.doc, src.line, src.quote)
    return Source(f"api:{username}")


def _payload(body: BaseModel) -> dict[str, Any]:
    data = body.model_dump(mode="json", exclude={"source"})
    return {k: v for k, v in data.items() if v is not None}


def check_references(log: Any, kind: str, payload: dict[str, Any],
                     prefix: str = "") -> list[dict[str, str]]:
    """Field errors for every reference to an id the log does not know."""
    errors = []
    for field, other in REFERENCES.get(kind, ()):
        value = payload.get(field)
        for ref in value if isinstance(value, list) else [value]:
            if ref is not None and log.get(other, ref) is None:
                errors.append(field_error(
                    f"{prefix}{field}", "unknown_reference",
                    f"trường '{prefix}{field}': không có {KIND_VI[other]} '{ref}'",
                    f"field '{prefix}{field}': unknown {other} '{ref}'"))
    return errors


def refuse(errors: list[dict[str, str]]) -> None:
    if errors:
        raise ApiError(422, "unknown_reference", errors[0]["error_vi"], errors[0]["error_en"],
                       errors)


def observation_key(payload: dict[str, Any]) -> str:
    """One figure per indicator, period, kind and plan basis: a resubmission is a version."""
    parts = [payload["indicator"], payload["period"], payload["kind"], payload["plan_basis"]]
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"obs-api-{digest}"


def observation_fact(body: BaseModel, username: str) -> Fact:
    """The fact of a reported figure, keyed by the client's ``id`` or by ``observation_key``.

    Its provenance is the submitter (``api:<username>``), never a document: a ``source`` the
    client sends is what *they* cite and is kept as ``claimed_source`` in the payload, so
    nobody can make a figure look as if the dataset's report said it."""
    payload = _payload(body)
    payload["period"] = Period.from_code(payload["period"]).code
    payload.setdefault("footnote", False)
    key = payload.get("id") or observation_key(payload)
    payload["id"] = key
    claimed = getattr(body, "source", None)
    if claimed is not None:
        payload["claimed_source"] = claimed.model_dump(mode="json", exclude_none=True)
    return Fact("observation", key, payload, Source(f"api:{username}"),
                as_of=getattr(body, "as_of", None))


def task_update_fact(task_id: str, body: BaseModel, username: str) -> Fact:
    payload = {"task": task_id, **_payload(body)}
    key = f"{task_id}@{payload['as_of']}"
    return Fact("task_update", key, {"id": key, **payload}, _source(body, username),
                as_of=getattr(body, "as_of", None))


def target_key(payload: dict[str, Any]) -> str:
    return f"{payload['indicator']}@{payload['period']}"


def entity_fact(kind: str, key: str, payload: dict[str, Any], body: BaseModel,
                username: str) -> Fact:
    return Fact(kind, key, {**payload, "id": key}, _source(body, username))


def created_payload(body: BaseModel) -> dict[str, Any]:
    return _payload(body)


def updated_payload(current: dict[str, Any], body: BaseModel) -> dict[str, Any]:
    """The current payload with the fields the update names (a new version, not an edit)."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    return {**current, **changes}


# -- agencies: one validation with the template and the CLI (kg.agency_entries) -------------

AGENCY_TEXTS = ("name", "short", "name_en", "kind", "parent", "jurisdiction", "valid_from",
                "valid_until")
AGENCY_CLEARABLE = ("short", "name_en", "parent", "jurisdiction", "valid_from", "valid_until",
                    "succeeded_by")
"""Fields an explicit ``null`` in a PATCH clears; the name and kind cannot be emptied."""


def agency_entry(body: BaseModel, username: str, key: str | None = None,
                 stored_name: str | None = None) -> AgencyEntry:
    """The ``AgencyEntry`` of a request body, as the template's row or ``kehoach agency add``
    would give it: ``key`` is the agency a PATCH updates (an explicit update), whose
    ``stored_name`` stands when the body does not send one (an explicit ``null`` is refused
    by ``build_agencies``: an agency keeps a name)."""
    data = body.model_dump(mode="json", exclude={"source"})
    texts = {name: data.get(name) for name in AGENCY_TEXTS}
    if "name" not in body.model_fields_set:
        texts["name"] = stored_name
    return AgencyEntry(**texts, place=Place(document=f"api:{username}"),
                       id=key or data.get("id"), aliases=list(data.get("aliases") or []),
                       source=_source(body, username))


def agency_fact_of(log: Any, entry: AgencyEntry, body: BaseModel) -> Fact:
    """The one agency fact of ``entry``, checked by ``kg.agency_entries.build_agencies``
    against the log's agencies (kind, jurisdiction, parent by name or id, dates, a name that
    another agency has): ``ApiError`` 409 ``agency_exists`` naming that agency, 422 naming
    the field for anything else. A ``succeeded_by`` and the nulls of a PATCH (clearing a
    field) are laid over the built payload."""
    known = matcher_from_log(log, "agency")
    built = build_agencies([entry], known)
    if built.problems:
        raise agency_refusal(built.problems, known, entry.id)
    fact = built.facts[0]
    sent = body.model_dump(mode="json", exclude_unset=True)
    cleared = {k: None for k in AGENCY_CLEARABLE if k in sent and sent[k] is None}
    extra = {"succeeded_by": sent["succeeded_by"]} if sent.get("succeeded_by") else {}
    return Fact(fact.kind, fact.key, {**fact.payload, **cleared, **extra}, fact.source)


def agency_refusal(problems: list[KehoachError], known: Matcher, own: str | None) -> ApiError:
    """409 ``agency_exists`` when every problem is a name another agency has (each item names
    it: ``agency``, ``agency_name``, and how to update it instead: ``update_with``), else 422
    naming each field, Vietnamese first."""
    items = []
    for problem in problems:
        name = problem.place.field or "body"
        item: dict[str, Any] = {
            **field_error(name, problem.code, f"trường '{name}': {problem.vi}",
                          f"field '{name}': {problem.en}"), "text": problem.text}
        others = [k for k in known.candidates(problem.text or "") if k != own]
        if problem.code == "agency_exists" and others:
            item.update(agency=others[0], agency_name=known.payload(others[0]).get("name"),
                        update_with=f"PATCH /api/v1/agencies/{others[0]}")
        items.append(item)
    exists = all(p.code == "agency_exists" for p in problems)
    first = items[0]
    return ApiError(409 if exists else 422, first["code"], first["error_vi"],
                    first["error_en"], items)
