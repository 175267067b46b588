"""The audit middleware (ghi nhật ký kiểm toán): every write attempt, accepted or refused, is
one row of the append-only ``service_audit`` table — who, role, when, method + path, target,
outcome, status, client address, idempotency key, error code and message.

A pure ASGI middleware: reads (GET, HEAD, OPTIONS and the read-only ``POST /sparql``) pass
straight through untouched — they were never audited and now cost nothing here either (a
``BaseHTTPMiddleware`` ran every request through a task group and a memory stream). A write is
recorded when its response starts and before the client receives it (so no client holds an
answer the audit lacks), in a worker thread so the commit's fsync never blocks the event loop;
a write whose route raised is recorded as ``error`` (500) before the exception goes on to the
server's error handler.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from service.runtime import Runtime

Scope = dict[str, Any]
Message = dict[str, Any]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_POSTS = frozenset({"/api/v1/sparql"})


def audited(scope: Scope) -> bool:
    """Whether a request is a write the audit log records."""
    return (scope["type"] == "http" and scope["method"] in WRITE_METHODS
            and scope["path"] not in READ_ONLY_POSTS)


def outcome(status: int) -> str:
    return "ok" if status < 400 else "refused" if status < 500 else "error"


def _detail(state: dict[str, Any], replayed: bool) -> dict[str, Any]:
    error = state.get("error") or {}
    return {"code": error.get("code"), "error_vi": error.get("error_vi"),
            "error_en": error.get("error_en"),
            "fields": [e.get("field") for e in error.get("errors", [])],
            "replayed": replayed}


def _header(headers: Any, name: bytes) -> str | None:
    for key, value in headers or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class AuditWrites:
    """Record every write attempt in the audit table (the app's runtime owns the store)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if not audited(scope):
            await self.app(scope, receive, send)
            return
        recorded = False

        async def recording_send(message: Message) -> None:
            nonlocal recorded
            if message["type"] == "http.response.start":  # recorded before the client hears
                recorded = True
                replayed = _header(message.get("headers"), b"idempotent-replayed") == "true"
                await self._record(scope, message["status"], replayed)
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except Exception:
            if not recorded:
                await self._record(scope, 500, False)
            raise

    @staticmethod
    async def _record(scope: Scope, status: int, replayed: bool) -> None:
        state: dict[str, Any] = scope.get("state") or {}
        user = state.get("user")
        runtime: Runtime = scope["app"].state.runtime
        client = scope.get("client")
        await run_in_threadpool(
            runtime.store.audit,
            username=user.username if user else None, role=user.role if user else None,
            action=f"{scope['method']} {scope['path']}", target=state.get("audit_target"),
            outcome=outcome(status), status=status, client=client[0] if client else None,
            idempotency_key=_header(scope.get("headers"), b"idempotency-key"),
            detail=_detail(state, replayed))
