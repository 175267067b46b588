"""Request size limits (giới hạn dung lượng yêu cầu), enforced before a body is parsed.

A pure ASGI middleware: a declared ``Content-Length`` over the limit is refused at once, and a
chunked body is counted as it streams, so no route ever reads more than the limit. Uploads
(multipart) get the upload limit plus room for the form; everything else the JSON limit.
Refusals use the one error shape with status 413.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException

from service.errors import ApiError, body

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


# --- concurrent SPARQL queries per user -------------------------------------------------------

@contextmanager
def query_slot(directory: Path, username: str, slots: int, retry_after: float) -> Iterator[None]:
    """Hold one of ``slots`` per-user slots while a query runs, or refuse with 429 and
    ``Retry-After``. A slot is an exclusive ``flock`` on a small file in ``directory`` (next
    to the database): shared by every worker process of one database, and released by the
    kernel if the holder dies."""
    directory.mkdir(parents=True, exist_ok=True)
    user = hashlib.sha256(username.encode("utf-8")).hexdigest()[:16]
    for n in range(slots):
        fd = os.open(directory / f"{user}-{n}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)  # also for the forked query child's copy of fd
            os.close(fd)
        return
    wait = str(max(1, math.ceil(retry_after)))
    raise ApiError(429, "too_many_queries",
                   f"bạn đang chạy {slots} truy vấn SPARQL cùng lúc (tối đa {slots}); hãy thử "
                   f"lại sau {wait} giây",
                   f"you already run {slots} SPARQL queries at once (at most {slots}); retry "
                   f"in {wait} s", headers={"Retry-After": wait})


def query_slots_dir(db: Path) -> Path:
    """Where the SPARQL slot files of the database ``db`` live."""
    return db.with_name(f"{db.name}.sparql-slots")
