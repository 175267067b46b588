"""Dependencies written once (phụ thuộc dùng chung): the runtime, the current user (bearer
token or session cookie), role checks, and the ownership checks ``OwnedObservation``,
``OwnedObservations`` and ``OwnedTask`` — a reporter may write only for targets and tasks
whose lead agency is their own; anything else is 403 (and the audit middleware records it).
Ownership is checked twice for observations: on the body's ``indicator`` (here, before the
route runs) and on the object the write will land on (``write_observations``, under the
writer lock): a client ``id`` naming another agency's observation is 403, one naming an
observation of another indicator is 409 ``id_other_indicator`` for everyone.

The dependencies every read runs (runtime, user, role, as-of date) are ``async def``: they
take microseconds (a token check, one indexed user lookup) and FastAPI would otherwise send
each ``def`` dependency to the thread pool — four thread hops per request before the route.
Dependencies that read the fact log (ownership, idempotency) stay ``def``: the log's lock may
be held by a write, which must never stall the event loop.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer

from kg.log import Fact
from service.errors import ApiError, field_error, not_found
from service.runtime import Runtime, WriteOutcome
from service.schemas import (
    PAGE_LIMIT_MAX,
    ObservationBatch,
    ObservationCreate,
    PlanDate,
)
from service.security import read_token
from service.store import PENDING, ServiceStore, User

Filter = Annotated[str | None, Query(max_length=200)]
"""A list filter (agency, kind, period ...): any text up to 200 characters."""
Limit = Annotated[int, Query(ge=1, le=PAGE_LIMIT_MAX, description="Số mục mỗi trang / page size")]
Offset = Annotated[int, Query(ge=0, description="Bỏ qua bao nhiêu mục / items to skip")]

SESSION_COOKIE = "kehoach_session"
IDEMPOTENCY_WAIT_SECONDS = 30.0
IDEMPOTENCY_POLL_SECONDS = 0.05
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_store(rt: RuntimeDep) -> ServiceStore:
    return rt.store


StoreDep = Annotated[ServiceStore, Depends(get_store)]


def unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", "chưa đăng nhập hoặc phiên đã hết hạn",
                    "not authenticated or the session has expired",
                    headers={"WWW-Authenticate": "Bearer"})


async def optional_user(request: Request, rt: RuntimeDep,
                  token: Annotated[str | None, Depends(oauth2)] = None) -> User | None:
    """The user of the bearer token or the session cookie, or None."""
    token = token or request.cookies.get(SESSION_COOKIE)
    claims = read_token(token, rt.settings.secret_key) if token else None
    user = rt.store.get_user(str(claims.get("sub"))) if claims else None
    if user is None or user.disabled:
        return None
    request.state.user = user
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def current_user(user: OptionalUser) -> User:
    if user is None:
        raise unauthorized()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(*roles: str) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through only users with one of ``roles``."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ApiError(403, "role_forbidden",
                           f"vai trò '{user.role}' không được làm việc này (cần: "
                           f"{', '.join(roles)})",
                           f"role '{user.role}' may not do this (needs: {', '.join(roles)})")
        return user

    return check


Reader = CurrentUser
Writer = Annotated[User, Depends(require("admin", "reporter"))]
Admin = Annotated[User, Depends(require("admin"))]
Inspector = Annotated[User, Depends(require("admin", "auditor"))]


async def as_of_param(as_of: Annotated[PlanDate | None, Query(
        description="Đánh giá tại ngày / evaluate as of (YYYY-MM-DD, within the plan span)")
        ] = None) -> date | None:
    """``YYYY-MM-DD`` only: a bare number (``?as_of=0``, a unix time) is 422, as is a year
    outside the plan span."""
    return as_of


AsOf = Annotated[date | None, Depends(as_of_param)]


# -- ownership: written once ------------------------------------------------------------------

def ensure_owner(user: User, agency: str | None, what: str, field: str) -> None:
    """Admins write anything; a reporter only what their own agency leads."""
    if user.role == "admin" or (user.role == "reporter" and agency and agency == user.agency):
        return
    raise ApiError(
        403, "not_owner",
        f"'{what}' do cơ quan '{agency or 'chưa xác định'}' chủ trì, không phải cơ quan của "
        f"bạn ('{user.agency}')",
        f"'{what}' is led by '{agency or 'unknown'}', not your agency ('{user.agency}')",
        [field_error(field, "not_owner", f"trường '{field}': không thuộc cơ quan của bạn",
                     f"field '{field}': not your agency's")])


def indicator_owner(rt: Runtime, indicator_id: str, field: str) -> str | None:
    """The lead agency of an indicator (and so of its targets)."""
    fact = rt.log.get("indicator", indicator_id)
    if fact is None:
        raise ApiError(422, "unknown_reference",
                       f"trường '{field}': không có chỉ tiêu '{indicator_id}'",
                       f"field '{field}': unknown indicator '{indicator_id}'",
                       [field_error(field, "unknown_reference",
                                    f"trường '{field}': không có chỉ tiêu '{indicator_id}'",
                                    f"field '{field}': unknown indicator '{indicator_id}'")])
    return fact.payload.get("lead_agency")


def owned_observation(body: ObservationCreate, user: Writer, rt: RuntimeDep) -> ObservationCreate:
    ensure_owner(user, indicator_owner(rt, body.indicator, "indicator"), body.indicator,
                 "indicator")
    return body


def owned_observations(body: ObservationBatch, user: Writer, rt: RuntimeDep) -> ObservationBatch:
    if len(body.items) > rt.settings.max_batch:
        raise ApiError(413, "batch_too_large", f"tối đa {rt.settings.max_batch} dòng mỗi lần",
                       f"at most {rt.settings.max_batch} rows per batch")
    for n, item in enumerate(body.items):
        field = f"items.{n}.indicator"
        ensure_owner(user, indicator_owner(rt, item.indicator, field), item.indicator, field)
    return body


def owned_task(task_id: str, user: Writer, rt: RuntimeDep) -> dict[str, Any]:
    fact = rt.log.get("task", task_id)
    if fact is None:
        raise not_found("task", task_id)
    ensure_owner(user, fact.payload.get("lead_agency"), task_id, "task_id")
    return {"id": fact.key, **fact.payload}


def _lead_of(rt: Runtime, indicator_id: str | None) -> str | None:
    fact = rt.log.get("indicator", indicator_id) if indicator_id else None
    return fact.payload.get("lead_agency") if fact is not None else None


def check_stored_observation(rt: Runtime, user: User, fact: Fact, field: str,
                             batch: dict[str, str | None]) -> None:
    """Refuse a write landing on an observation that is not the user's to change.

    The key comes from the client's ``id`` (or the natural key): if an observation is stored
    under it, a reporter must lead its indicator (403 ``not_owner``, whatever the body's
    ``indicator`` says), and nobody may re-point it to another indicator (409
    ``id_other_indicator``: send it without ``id`` or with a new one). An admin may give a
    stored figure with no indicator yet (an unmatched row of a report) its indicator.
    ``batch`` holds the keys already written by earlier items of the same request."""
    now = fact.payload.get("indicator")
    stored = rt.log.get("observation", fact.key)
    if fact.key in batch:
        was: str | None = batch[fact.key]
    elif stored is not None:
        was = stored.payload.get("indicator")
        if user.role != "admin":
            ensure_owner(user, _lead_of(rt, was), fact.key, field)
    else:
        batch[fact.key] = now
        return
    if was is not None and was != now:
        vi = (f"trường '{field}': số liệu '{fact.key}' thuộc chỉ tiêu '{was}', không thể chuyển "
              f"sang '{now}' (bỏ 'id' hoặc dùng mã mới)")
        en = (f"field '{field}': observation '{fact.key}' belongs to indicator '{was}' and "
              f"cannot be re-pointed to '{now}' (omit 'id' or use a new one)")
        raise ApiError(409, "id_other_indicator", vi, en,
                       [field_error(field, "id_other_indicator", vi, en)])
    batch[fact.key] = now


def write_observations(rt: Runtime, user: User, facts: Sequence[Fact], fields: Sequence[str],
                       key: str | None) -> WriteOutcome:
    """Check every fact against what is stored under its key, then write them all — under
    the writer lock, so no write of this process lands between the check and the append."""
    with rt.write_lock:
        batch: dict[str, str | None] = {}
        for fact, field in zip(facts, fields, strict=True):
            check_stored_observation(rt, user, fact, field, batch)
        return rt.write(facts, user.username, key)


OwnedObservation = Annotated[ObservationCreate, Depends(owned_observation)]
OwnedObservations = Annotated[ObservationBatch, Depends(owned_observations)]
OwnedTask = Annotated[dict[str, Any], Depends(owned_task)]


# -- idempotency ------------------------------------------------------------------------------

class Idempotent:
    """Runs a write once per client key: the same key and body returns the stored response;
    the same key with another body is 409. The key is claimed in the service tables before the
    write runs, so two requests with one key — in two threads or two worker processes — never
    both write: the second waits for the first's response (409 ``idempotency_in_progress``
    if it takes longer than ``IDEMPOTENCY_WAIT_SECONDS``)."""

    def __init__(self, request: Request, rt: Runtime, user: User, key: str | None) -> None:
        self.request, self.rt, self.user, self.key = request, rt, user, key
        request.state.idempotency_key = key

    def run(self, body: Any, write: Callable[[], dict[str, Any]],
            status: int = 200) -> dict[str, Any] | JSONResponse:
        if not self.key:
            return write()
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(
            f"{self.request.method} {self.request.url.path}\n{text}".encode()).hexdigest()
        deadline = time.monotonic() + IDEMPOTENCY_WAIT_SECONDS
        while not self.rt.store.claim(self.user.username, self.key, digest):
            stored = self.rt.store.recall(self.user.username, self.key)
            if stored is not None and stored.request_hash != digest:
                raise _conflict("idempotency_conflict", "khóa Idempotency-Key đã dùng cho một "
                                "yêu cầu khác", "Idempotency-Key already used with a different "
                                "request")
            if stored is not None and stored.status != PENDING:
                return JSONResponse(stored.response, status_code=stored.status,
                                    headers={"Idempotent-Replayed": "true"})
            if time.monotonic() > deadline:
                raise _conflict("idempotency_in_progress", "yêu cầu cùng khóa Idempotency-Key "
                                "đang được xử lý, hãy gửi lại sau", "a request with this "
                                "Idempotency-Key is still running, retry later")
            time.sleep(IDEMPOTENCY_POLL_SECONDS)  # pending elsewhere, or released: try again
        try:
            result = write()
        except BaseException:
            self.rt.store.release(self.user.username, self.key)
            raise
        self.rt.store.remember(self.user.username, self.key, digest, status, result)
        return result


def _conflict(code: str, vi: str, en: str) -> ApiError:
    return ApiError(409, code, vi, en, [field_error("Idempotency-Key", code, vi, en)])


def idempotent(request: Request, rt: RuntimeDep, user: CurrentUser,
               key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200,
                                                 description="Khóa ghi lặp / client key")] = None
               ) -> Idempotent:
    return Idempotent(request, rt, user, key)


IdempotencyDep = Annotated[Idempotent, Depends(idempotent)]
