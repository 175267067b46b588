"""Request body limits (giới hạn dữ liệu gửi lên), enforced before a body is parsed.

A pure ASGI middleware: a declared ``Content-Length`` over the limit is refused at once, and a
chunked body is counted as it streams, so no route ever reads more than the limit. Uploads
(multipart) get the upload limit plus room for the form; everything else the JSON limit.
Refusals use the one error shape with status 413.

A JSON body (or one with no content type, which FastAPI reads as JSON) is read whole first —
the route would read it whole anyway — and refused naming its cause when it is not UTF-8
(422 ``invalid_encoding``, the byte offset) or nests deeper than ``MAX_JSON_DEPTH`` (422
``json_too_deep``, the limit), instead of the parser's bare "400 bad request"; then it is
handed on unchanged.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException

from kg.log import is_url, redacted
from service.errors import ApiError, body, field_error

Scope = dict[str, Any]
Message = dict[str, Any]

MULTIPART_ALLOWANCE = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised while a route reads a streamed body past the limit. An ``HTTPException`` (413), so
    FastAPI's body parsing lets it through to the one error handler instead of answering 400."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


MAX_JSON_DEPTH = 64  # arrays/objects inside one another; our bodies use fewer than 5
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


async def _send_error(scope: Scope, send: Any, status: int, code: str, vi: str, en: str,
                      **facts: Any) -> None:
    item = {**field_error("body", code, vi, en), **facts}
    payload = body(status, code, vi, en, [item] if facts else None)
    scope.setdefault("state", {})["error"] = payload  # the audit records why, as for others
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"x-error-code", code.encode()),
               (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def json_depth(data: bytes, stop: int = MAX_JSON_DEPTH) -> int:
    """How deep arrays and objects nest in ``data`` (valid UTF-8; brackets inside strings do
    not count), counted up to ``stop + 1``. Malformed JSON is measured as well as it can be
    and left to the parser to refuse."""
    depth = deepest = 0
    for byte in _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET):
        depth += 1 if byte in b"[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


def body_problem(data: bytes) -> tuple[str, str, str, dict[str, int]] | None:
    """(code, vi, en, facts) when a JSON body is not UTF-8 or nests too deep, else None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return ("invalid_encoding",
                f"dữ liệu gửi lên không phải UTF-8 hợp lệ: byte thứ {err.start} "
                f"(0x{data[err.start]:02x})",
                f"the body is not valid UTF-8: byte at offset {err.start} "
                f"(0x{data[err.start]:02x})", {"offset": err.start})
    if json_depth(data) > MAX_JSON_DEPTH:
        return ("json_too_deep",
                f"JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp mảng/đối tượng)",
                f"JSON nested too deep (at most {MAX_JSON_DEPTH} levels of arrays/objects)",
                {"max_depth": MAX_JSON_DEPTH})
    return None


def _is_json(scope: Scope) -> bool:
    if scope.get("method") not in _BODY_METHODS:
        return False
    kind = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip()
    return not kind or kind == b"application/json" or kind.endswith(b"+json")


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
            await self._refuse(scope, send, limit)
            return
        if _is_json(scope):
            await self._checked_json(scope, receive, send, limit)
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
                await self._refuse(scope, send, limit)

    async def _checked_json(self, scope: Scope, receive: Any, send: Any, limit: int) -> None:
        """Read the whole body (at most ``limit``), refuse it naming the cause, or replay it
        to the app as one message (later receives — a disconnect — go to the server)."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending its body: nobody to answer
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await self._refuse(scope, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        data = b"".join(chunks)
        problem = body_problem(data)
        if problem is not None:
            code, vi, en, facts = problem
            await _send_error(scope, send, 422, code, vi, en, **facts)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": data, "more_body": False}

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Any, limit: int) -> None:
        await _send_error(scope, send, 413, "too_large",
                          f"dữ liệu gửi lên quá lớn (tối đa {limit:,} byte)",
                          f"payload too large (at most {limit:,} bytes)")


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


def query_slots_dir(db: Path | str) -> Path:
    """Where the SPARQL slot files of the database ``db`` live: beside a SQLite file; for a
    PostgreSQL URL (no file to sit beside) in the system's temporary directory, under a digest
    of the URL without its password, so every worker of this host on that database shares
    them. The slots count one host's queries: workers on several hosts each allow
    ``sparql_per_user`` (a cap over hosts would need a table in the database)."""
    if is_url(db):
        digest = hashlib.sha256(redacted(str(db)).encode("utf-8")).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"kehoach-{digest}.sparql-slots"
    path = Path(db)
    return path.with_name(f"{path.name}.sparql-slots")
