"""The web application factory (ứng dụng web): ``create_app(settings) -> FastAPI``.

Nothing happens at import. The factory opens the fact log and the service tables, mounts the
API (``/api/v1``), the web pages and ``/static``, installs the one error handler and the
audit middleware (every write and refused write is recorded: who, when, what, from where).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from service import errors
from service.api.main import build_router
from service.limits import BodySizeLimit
from service.runtime import Runtime
from service.settings import Settings, get_settings
from service.web.routes import build_web

STATIC_DIR = Path(__file__).resolve().parent / "static"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
READ_ONLY_POSTS = {"/api/v1/sparql"}


def _outcome(status: int) -> str:
    return "ok" if status < 400 else "refused" if status < 500 else "error"


def _detail(request: Request, response: Response) -> dict:
    error = getattr(request.state, "error", None) or {}
    return {"code": error.get("code"), "error_vi": error.get("error_vi"),
            "error_en": error.get("error_en"),
            "fields": [e.get("field") for e in error.get("errors", [])],
            "replayed": response.headers.get("idempotent-replayed") == "true"}


async def audit_writes(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Record every write attempt (accepted or refused) in the append-only audit table."""
    if request.method not in WRITE_METHODS or request.url.path in READ_ONLY_POSTS:
        return await call_next(request)
    response = await call_next(request)
    user = getattr(request.state, "user", None)
    rt: Runtime = request.app.state.runtime
    rt.store.audit(
        username=user.username if user else None, role=user.role if user else None,
        action=f"{request.method} {request.url.path}",
        target=getattr(request.state, "audit_target", None),
        outcome=_outcome(response.status_code), status=response.status_code,
        client=request.client.host if request.client else None,
        idempotency_key=request.headers.get("idempotency-key"),
        detail=_detail(request, response))
    return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(
        title="kehoach API",
        version="1.0.0",
        summary="Theo dõi kế hoạch phát triển kinh tế - xã hội / socio-economic plan tracking",
        description="Đọc mục tiêu, nhiệm vụ, số liệu, cảnh báo; báo cáo số liệu và tiến độ; "
        "truy nguyên. Lỗi: `{ok, code, error_vi, error_en, errors, status}`. Ghi có thể kèm "
        "header `Idempotency-Key`. / Read targets, tasks, observations, alerts; report figures "
        "and progress; trace. Writes accept an `Idempotency-Key` header.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    errors.install(app)
    # The size limit sits inside the audit (added first, so it wraps less): an oversized body
    # is refused before any route reads it, and the refusal is still audited.
    app.add_middleware(BodySizeLimit, max_json_bytes=settings.max_json_bytes,
                       max_upload_bytes=settings.max_upload_bytes)
    app.middleware("http")(audit_writes)
    app.include_router(build_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(build_web(app))
    return app
