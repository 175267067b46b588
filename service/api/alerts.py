"""Alerts (cảnh báo) and statuses (trạng thái): filtered lists, one alert with its
explanation, and the live Server-Sent Events stream of new alerts and status changes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from service.deps import AsOf, Filter, Limit, Offset, Reader, RuntimeDep
from service.events import sse_frame
from service.rendering import cached_json, judged_headers
from service.schemas import PAGE_LIMIT, AlertPublic, Page, StatusPublic, paged
from service.views import board, catalog

router = APIRouter(tags=["alerts"])


@router.get("/alerts", response_model=Page[AlertPublic],
            summary="Cảnh báo (lọc theo cơ quan, loại, mức độ, kỳ, ngày) / alerts")
def list_alerts(rt: RuntimeDep, _: Reader, as_of: AsOf, agency: Filter = None,
                kind: Filter = None, severity: Filter = None, period: Filter = None,
                subject: Filter = None, limit: Limit = PAGE_LIMIT,
                offset: Offset = 0) -> Response:
    def build() -> dict[str, Any]:
        rows = board.alerts(rt, as_of, agency=agency, kind=kind, severity=severity,
                            period=period, subject=subject)
        return paged(rows, limit, offset)

    # without an agency filter the page reads the evaluation alone (an agency's name is
    # resolved against the log's agencies): kept until the rules' answers move
    return cached_json(rt, ("alerts", agency, kind, severity, period, subject, limit, offset),
                       as_of, build, Page[AlertPublic], judged_only=agency is None)


@router.get("/alerts/stream", summary="Luồng cảnh báo trực tiếp (SSE) / live alerts stream",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream_alerts(request: Request, rt: RuntimeDep, _: Reader,
                        agency: Filter = None) -> StreamingResponse:
    key, listener = rt.events.subscribe()
    keepalive = rt.settings.sse_keepalive_seconds

    async def frames() -> AsyncIterator[str]:
        try:
            yield "retry: 3000\n\n" + sse_frame("ready", {"listeners": rt.events.listeners})
            while True:
                try:
                    message = await asyncio.wait_for(listener.queue.get(), keepalive)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield ": keep-alive\n\n"
                    continue
                data = message["data"]
                if agency and data.get("agency") != agency:
                    continue
                yield sse_frame(message["event"], data, str(data.get("id")))
        finally:
            rt.events.unsubscribe(key)

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/alerts/{alert_id:path}", response_model=AlertPublic,
            summary="Một cảnh báo với giải thích và nguồn / one alert")
def get_alert(alert_id: str, response: Response, rt: RuntimeDep, _: Reader,
              as_of: AsOf) -> dict[str, Any]:
    found = board.alert(rt, alert_id, as_of)
    response.headers.update(judged_headers(rt, as_of))
    return found


@router.get("/statuses", response_model=Page[StatusPublic],
            summary="Trạng thái mục tiêu và nhiệm vụ / statuses")
def list_statuses(rt: RuntimeDep, _: Reader, as_of: AsOf, agency: Filter = None,
                  kind: Filter = None, status: Filter = None, limit: Limit = PAGE_LIMIT,
                  offset: Offset = 0) -> Response:
    def build() -> dict[str, Any]:
        return paged(catalog.statuses(rt, as_of, agency=agency, kind=kind, status=status),
                     limit, offset)

    return cached_json(rt, ("statuses", agency, kind, status, limit, offset), as_of, build,
                       Page[StatusPublic], judged_only=True)  # status rows only, no fact


@router.get("/board", summary="Bảng theo dõi / overview board")
def get_board(response: Response, rt: RuntimeDep, _: Reader, as_of: AsOf) -> dict[str, Any]:
    shown = board.board(rt, as_of)
    response.headers.update(judged_headers(rt, as_of))
    return shown


@router.get("/labels", summary="Nhãn tiếng Việt / English của trạng thái, cảnh báo")
def get_labels(_: Reader) -> dict[str, Any]:
    return board.labels()
