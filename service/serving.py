"""The app a ``kehoach serve`` worker process runs (tiến trình phục vụ): uvicorn calls
``app_from_environment`` in each of its ``--workers`` processes; every worker builds its own
app from the ``KEHOACH_*`` environment ``kehoach serve`` set (same database, date, signing key,
judge mode).

Each response names the process that answered (``X-Kehoach-Worker``: its pid): behind a
reverse proxy that tells an operator, and the multi-worker test, which worker holds a
connection — a live stream is held by one worker for its whole life.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.app import create_app
from service.settings import Settings

WORKER_HEADER = b"x-kehoach-worker"


class WorkerHeader:
    """Pure ASGI middleware (streams pass through untouched): adds ``X-Kehoach-Worker``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.pid = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (WORKER_HEADER, self.pid)]
            await send(message)

        await self.app(scope, receive, named)


def app_from_environment() -> FastAPI:
    """The app of one worker process, from the ``KEHOACH_*`` environment (uvicorn factory)."""
    app = create_app(Settings())
    app.add_middleware(WorkerHeader)
    return app
