"""One error shape, one handler (một dạng lỗi duy nhất).

Every 4xx (and the 5xx that should never happen) is
``{ok: false, code, error_vi, error_en, errors: [{field, code, error_vi, error_en}], status}``,
including FastAPI's request validation errors and Starlette's 404/405. Library errors
(``KehoachError``) are translated here: parse/dataset problems → 422, unknown → 404.
Web pages get the same dict rendered as HTML (and 401 becomes a redirect to the log-in page).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from kg.errors import KehoachError

log = logging.getLogger("kehoach.service")


class ApiError(Exception):
    """An error the API answers with: HTTP status, stable code, vi + en text, field errors."""

    def __init__(self, status: int, code: str, vi: str, en: str,
                 errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{code}: {en}")
        self.status, self.code, self.vi, self.en = status, code, vi, en
        self.errors = errors or []
        self.headers = headers


class ErrorItem(BaseModel):
    """One problem: the field (or header) it is about, its code and both texts; some codes
    add facts (``version_conflict``: ``current_version``, ``etag``)."""

    model_config = ConfigDict(extra="allow")
    field: str
    code: str
    error_vi: str
    error_en: str


class ErrorBody(BaseModel):
    """The one error shape (documented in OpenAPI for the statuses a route names)."""

    ok: bool = False
    code: str
    error_vi: str
    error_en: str
    errors: list[ErrorItem] = []
    status: int


def error_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: status → description, each answered in the error shape."""
    return {status: {"model": ErrorBody, "description": text}
            for status, text in described.items()}


def field_error(field: str, code: str, vi: str, en: str) -> dict[str, str]:
    return {"field": field, "code": code, "error_vi": vi, "error_en": en}


def body(status: int, code: str, vi: str, en: str,
         errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"ok": False, "code": code, "error_vi": vi, "error_en": en, "errors": errors or [],
            "status": status}


def not_found(kind: str, key: str) -> ApiError:
    return ApiError(404, "not_found", f"không tìm thấy {kind} '{key}'",
                    f"{kind} '{key}' not found", [field_error("id", "not_found",
                    f"không có {kind} '{key}'", f"no {kind} '{key}'")])


# Pydantic error types → Vietnamese wording (English comes from pydantic itself).
_VI = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép",
    "string_type": "phải là chuỗi ký tự",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là đúng/sai (true/false)",
    "bool_type": "phải là đúng/sai (true/false)",
    "date_from_datetime_parsing": "ngày phải có dạng YYYY-MM-DD",
    "date_parsing": "ngày phải có dạng YYYY-MM-DD",
    "date_type": "ngày phải có dạng YYYY-MM-DD",
    "string_too_short": "quá ngắn",
    "string_too_long": "quá dài",
    "too_short": "quá ít phần tử",
    "too_long": "quá nhiều phần tử",
    "literal_error": "giá trị không thuộc danh sách cho phép",
    "enum": "giá trị không thuộc danh sách cho phép",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "list_type": "phải là một danh sách",
    "json_invalid": "JSON không hợp lệ",
    "value_error": "giá trị không hợp lệ",
    "string_pattern_mismatch": "không đúng định dạng",
}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header",
                                                             "form", "cookie")]
        field = ".".join(loc) or str((err.get("loc") or ["body"])[0])
        kind = str(err.get("type", "value_error"))
        ctx_vi = err.get("ctx", {}).get("vi") if isinstance(err.get("ctx"), dict) else None
        vi = ctx_vi or _VI.get(kind, "giá trị không hợp lệ")
        out.append(field_error(field, kind, f"trường '{field}': {vi}",
                               f"field '{field}': {err.get('msg', 'invalid')}"))
    return out


_HTTP = {
    400: ("bad_request", "yêu cầu không hợp lệ", "bad request"),
    401: ("unauthorized", "chưa đăng nhập hoặc phiên đã hết hạn",
          "not authenticated or session expired"),
    403: ("forbidden", "không có quyền", "forbidden"),
    404: ("not_found", "không tìm thấy đường dẫn", "not found"),
    405: ("method_not_allowed", "phương thức không được hỗ trợ", "method not allowed"),
    409: ("conflict", "xung đột", "conflict"),
    413: ("too_large", "dữ liệu gửi lên quá lớn", "payload too large"),
    415: ("unsupported_media_type", "kiểu dữ liệu không được hỗ trợ", "unsupported media type"),
}


# Library error codes answered with another status than 422 (a trace or impact of no such
# document is a 404, as any unknown id; a worker whose judge has not judged its date yet is
# unavailable for rules answers, not wrong — 503 with a retry hint).
_LIBRARY_STATUS = {"unknown_document": 404, "log_busy": 503, "version_conflict": 409,
                   "query_timeout": 422, "query_cancelled": 499, "not_judged": 503}
_RETRY_AFTER = {"not_judged": "5"}


def _from_library(err: KehoachError) -> ApiError:
    status = 404 if err.code.endswith("not_found") else _LIBRARY_STATUS.get(err.code, 422)
    field = err.place.field or "body"
    where = {k: v for k, v in err.place.__dict__.items() if v is not None}
    item = {**field_error(field, err.code, err.vi, err.en), **where, "text": err.text}
    problems = getattr(err, "problems", None)
    items = [{**field_error(p.place.field or "body", p.code, p.vi, p.en),
              **{k: v for k, v in p.place.__dict__.items() if v is not None}, "text": p.text}
             for p in problems] if problems else [item]
    retry = _RETRY_AFTER.get(err.code)
    return ApiError(status, err.code, err.vi, err.en, items,
                    headers={"Retry-After": retry} if retry else None)


def to_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, RequestValidationError):
        errors = _validation_errors(exc)
        first = errors[0] if errors else field_error("body", "invalid", "không hợp lệ", "invalid")
        return ApiError(422, "validation_error",
                        f"dữ liệu gửi lên không hợp lệ: {first['error_vi']}",
                        f"invalid request: {first['error_en']}", errors)
    if isinstance(exc, StarletteHTTPException):
        code, vi, en = _HTTP.get(exc.status_code, ("http_error", "lỗi yêu cầu", "request error"))
        return ApiError(exc.status_code, code, vi, en, headers=getattr(exc, "headers", None))
    if isinstance(exc, KehoachError):
        return _from_library(exc)
    log.exception("unhandled error", exc_info=exc)
    return ApiError(500, "internal_error", "lỗi hệ thống, đã ghi nhận", "internal error, logged")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


def allowed_methods(request: Request) -> str:
    """The ``Allow`` of a 405: every method some route of this path answers. Starlette names
    only the first route whose path matched; a path served by several routes (``GET`` and
    ``POST /agencies``) needs them all. Of the templates that match, the most literal wins
    (``/observations/batch``, not ``/observations/{observation_id}``), as in the OpenAPI."""
    path = request.scope.get("path", "")
    found: dict[int, set[str]] = {}
    for route in iter_route_contexts(request.app.routes):
        methods = getattr(route, "methods", None)
        if not methods:
            continue
        regex, _format, params = compile_path(route.path)
        if regex.match(path):
            found.setdefault(len(params), set()).update(methods)
    methods = found[min(found)] if found else set()
    return ", ".join(sorted(methods - {"HEAD"} if "GET" in methods else methods))


async def handle(request: Request, exc: Exception) -> Response:
    """The one handler: every error becomes the one shape (JSON, or a page for the web)."""
    err = to_api_error(exc)
    if err.status == 405:
        err.headers = {**(err.headers or {}), "Allow": allowed_methods(request)}
    payload = body(err.status, err.code, err.vi, err.en, err.errors)
    request.state.error = payload  # the audit middleware records why a write was refused
    if _wants_html(request):
        if err.status == 401:
            target = quote(str(request.url.path) + ("?" + request.url.query
                                                    if request.url.query else ""))
            return RedirectResponse(f"/login?next={target}", status_code=303)
        render = getattr(request.app.state, "render_error", None)
        if render is not None:
            return render(request, payload)
    headers = {**(err.headers or {}), "X-Error-Code": err.code}
    return JSONResponse(payload, status_code=err.status, headers=headers)


def install(app: FastAPI) -> None:
    for kind in (ApiError, RequestValidationError, StarletteHTTPException, KehoachError,
                 Exception):
        app.add_exception_handler(kind, handle)
