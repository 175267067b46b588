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

from kg.log import Fact, Source
from kg.notation import Period
from service.errors import ApiError, field_error

# kind → (field, kind it refers to) checked on create/update.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "agency": (("parent", "agency"), ("succeeded_by", "agency")),
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
