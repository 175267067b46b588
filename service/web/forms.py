"""The reporter's form (biểu mẫu báo cáo số liệu): the same schema, ownership check and write
as ``POST /api/v1/observations``; errors come back per field, Vietnamese first."""

from __future__ import annotations

from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from service.deps import ensure_owner, indicator_owner, write_observations
from service.errors import ApiError, to_api_error
from service.runtime import Runtime
from service.schemas import ObservationCreate
from service.store import User
from service.writes import observation_fact

FORM_FIELDS = ("indicator", "period", "value", "unit", "pct_of_plan", "kind", "as_of", "note")


def own_indicators(rt: Runtime, user: User) -> list[dict[str, Any]]:
    """The indicators a user may report: a reporter's agency's, or all for the admin."""
    rows = [{"id": f.key, **f.payload} for f in rt.log.current("indicator")]
    if user.role == "admin":
        return rows
    return [r for r in rows if user.role == "reporter" and r.get("lead_agency") == user.agency]


def report_context(rt: Runtime, user: User, fields: dict[str, str],
                   errors: list[dict[str, Any]],
                   result: dict[str, Any] | None = None,
                   message: dict[str, str] | None = None) -> dict[str, Any]:
    by_field: dict[str, list[dict[str, Any]]] = {}
    for err in errors:
        by_field.setdefault(str(err.get("field", "body")).split(".")[0], []).append(err)
    return {"indicators": own_indicators(rt, user), "fields": fields, "errors": errors,
            "by_field": by_field, "result": result, "message": message,
            "can_write": user.role in ("admin", "reporter")}


def inline_errors(err: ApiError) -> list[dict[str, Any]]:
    return err.errors or [{"field": "body", "code": err.code, "error_vi": err.vi,
                           "error_en": err.en}]


def _clean(fields: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: fields[k].strip() for k in FORM_FIELDS
                            if fields.get(k, "").strip()}
    data.setdefault("kind", "actual")
    return data


async def submit_observation(rt: Runtime, user: User, fields: dict[str, str]) -> dict[str, Any]:
    """Validate, check ownership, write; raises ``ApiError`` with per-field errors."""
    if user.role not in ("admin", "reporter"):
        raise ApiError(403, "role_forbidden", "vai trò của bạn không được báo cáo số liệu",
                       "your role may not report figures")
    try:
        body = ObservationCreate(**_clean(fields))
    except ValidationError as exc:
        raise to_api_error(RequestValidationError(exc.errors())) from None
    ensure_owner(user, indicator_owner(rt, body.indicator, "indicator"), body.indicator,
                 "indicator")
    fact = observation_fact(body, user.username)
    outcome = await run_in_threadpool(write_observations, rt, user, [fact], ["indicator"], None)
    return {"ok": True, **outcome.to_dict()}
