"""Request size limits (giới hạn dung lượng yêu cầu), enforced before a body is parsed.

A pure ASGI middleware: a declared ``Content-Length`` over the limit is refused at once, and a
chunked body is counted as it streams, so no route ever reads more than the limit. Uploads
(multipart) get the upload limit plus room for the form; everything else the JSON limit.
Refusals use the one error shape with status 413.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

from service.errors import body

Scope = dict[str, Any]
Message = dict[str, Any]

MULTIPART_ALLOWANCE = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised while a route reads a streamed body past the limit. An ``HTTPException`` (413), so
    FastAPI's body parsing lets it through to the one error handler instead of answering 400."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


def _refusal(limit: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    payload = body(413, "too_large", f"dữ liệu gửi lên quá lớn (tối đa {limit:,} byte)",
                   f"payload too large (at most {limit:,} bytes)")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return data, [(b"content-type", b"application/json"), (b"x-error-code", b"too_large"),
                  (b"content-length", str(len(data)).encode())]


class BodySizeLimit:
    def __init__(self, app: Any, max_json_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes

    def _limit(self, scope: Scope) -> int:
        headers = dict(scope.get("headers") or [])
        if headers.get(b"content-type", b"").startswith(b"multipart/"):
            return self.max_upload_bytes + MULTIPART_ALLOWANCE
        return self.max_json_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Any, limit: int) -> None:
        data, headers = _refusal(limit)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": data})
