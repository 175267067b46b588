"""The API router: every resource router under ``/api/v1`` (one registry list).

Every operation documents, in the one error shape, the statuses any route can answer
(``COMMON_ERRORS``: not logged in, refused by role or CSRF, not found, invalid) and, for a
write, those of writing (``WRITE_ERRORS``: conflict, too large, log busy); a route's own
``responses=`` (its precise wording, 429, 415) wins over these."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from service.api import (
    alerts,
    audit,
    auth,
    catalog,
    graph,
    imports,
    jurisdictions,
    national,
    observations,
    targets,
    tasks,
)
from service.errors import error_responses
from service.figures import FiguresJSONResponse

ROUTERS = [auth.router, catalog.router, targets.router, tasks.router, observations.router,
           alerts.router, graph.router, audit.router, imports.router, jurisdictions.router,
           national.router]

COMMON_ERRORS = error_responses({
    401: "Chưa đăng nhập hoặc phiên đã hết hạn / not authenticated or session expired",
    403: "Vai trò không được phép, hoặc thiếu CSRF khi dùng cookie / role forbidden, or "
         "a cookie-authenticated write without the CSRF token",
    404: "Không tìm thấy (mã không có) / not found (no such id)",
    422: "Dữ liệu gửi lên không hợp lệ (trường nêu trong errors) / invalid request (the "
         "field is named in errors)",
})
WRITE_ERRORS = error_responses({
    409: "Xung đột: phiên bản (If-Match), Idempotency-Key dùng lại với nội dung khác, hoặc "
         "mã đã có / conflict: version (If-Match), an Idempotency-Key reused with another "
         "body, or the id exists",
    413: "Dữ liệu gửi lên quá lớn / payload too large",
    503: "Sổ ghi đang bận, thử lại / the fact log is busy, retry",
})


def document_errors(route: APIRoute) -> None:
    """Document the common (and, for a write, the write) error statuses in the error shape,
    keeping a route's own description of a status."""
    extra = {**COMMON_ERRORS, **(WRITE_ERRORS if route.methods & {"POST", "PATCH"} else {})}
    if route.path == "/auth/token":  # logging in needs no session and writes no fact
        extra = {k: v for k, v in extra.items() if k in (401, 413, 422, 429)}
        extra[429] = error_responses({429: "Quá nhiều lần / too many attempts"})[429]
    for status, described in extra.items():  # the route's wording, the common error model
        route.responses[status] = {**described, **route.responses.get(status, {})}


def build_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                document_errors(route)
        api.include_router(router, default_response_class=FiguresJSONResponse)
    return api
