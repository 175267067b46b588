"""The web application factory (ứng dụng web): ``create_app(settings) -> FastAPI``.

Nothing happens at import. The factory opens the fact log and the service tables, mounts the
API (``/api/v1``), the web pages and ``/static``, installs the one error handler, the CSRF
check on every route and the audit middleware (every write and refused write is recorded:
who, when, what, from where).
Its lifespan starts the runtime (records the start replay's conclusions, builds the plan
graph) before the first request, and while live-stream listeners are connected follows the
log every ``follow_seconds`` so alerts caused by another worker process reach them.
``kehoach serve --workers N`` gives uvicorn ``service.serving.app_from_environment``, which
builds this app in each worker process from the ``KEHOACH_*`` environment.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from service import errors
from service.api.main import build_router
from service.auditing import AuditWrites
from service.csrf import csrf_protect
from service.limits import BodySizeLimit
from service.nfc import NfcQuery
from service.runtime import Runtime
from service.security import decoy_hash
from service.settings import Settings, get_settings
from service.web.routes import build_web

STATIC_DIR = Path(__file__).resolve().parent / "static"


async def follow_log(runtime: Runtime, every: float) -> None:
    """While anyone listens to the live stream, catch up with the log (other processes'
    writes) and publish what they caused."""
    while True:
        await asyncio.sleep(every)
        if runtime.events.listeners:
            await run_in_threadpool(runtime.follow)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runtime.start)
        await run_in_threadpool(decoy_hash)  # unknown-user log-ins then cost one verify
        follower = asyncio.create_task(follow_log(runtime, settings.follow_seconds))
        try:
            yield
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
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
        # Every route: a cookie-authenticated state change needs the same origin and the
        # CSRF token (service/csrf.py); bearer-token calls pass untouched.
        dependencies=[Depends(csrf_protect)],
    )
    app.state.runtime = runtime
    app.state.settings = settings
    errors.install(app)
    # The size limit sits inside the audit (added first, so it wraps less): an oversized body
    # is refused before any route reads it, and the refusal is still audited.
    app.add_middleware(BodySizeLimit, max_json_bytes=settings.max_json_bytes,
                       max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(AuditWrites)
    app.add_middleware(NfcQuery)  # outermost: routes, filters and the audit see NFC
    app.include_router(build_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(build_web(app))
    return app
