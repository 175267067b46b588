"""The national view (cả nước) over the API: the board by jurisdiction, alerts across
jurisdictions, who is responsible in each, and the trace of one id in a named jurisdiction
(``service.views.national``). Only a national service's admins, auditors and viewers may call
them (``NationalReader``: anyone else is 403 ``national_forbidden``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from service.deps import AsOf, CurrentUser, Filter, Limit, Offset, RuntimeDep
from service.schemas import PAGE_LIMIT
from service.store import User
from service.views import national

router = APIRouter(prefix="/national", tags=["national"])


async def national_reader(rt: RuntimeDep, user: CurrentUser) -> User:
    """A user who may read across jurisdictions (``national.check_national_reader``)."""
    national.check_national_reader(rt, user)
    return user


NationalReader = Annotated[User, Depends(national_reader)]
State = Annotated[Literal["open", "all"], Query(
    description="open: cảnh báo còn mở (mặc định) / still open (default); all: mọi cảnh báo "
                "đã phát / every alert raised")]


@router.get("/board", summary="Bảng theo địa bàn / the board by jurisdiction")
async def national_board(rt: RuntimeDep, _: NationalReader, as_of: AsOf) -> dict[str, Any]:
    return await run_in_threadpool(national.board, rt, as_of)


@router.get("/alerts", summary="Cảnh báo các địa bàn / alerts across jurisdictions")
async def national_alerts(rt: RuntimeDep, _: NationalReader, as_of: AsOf,
                          jurisdiction: Filter = None, agency: Filter = None,
                          kind: Filter = None, severity: Filter = None, state: State = "open",
                          limit: Limit = PAGE_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    def build() -> dict[str, Any]:
        found = national.alerts(rt, as_of, jurisdiction=jurisdiction, agency=agency,
                                kind=kind, severity=severity, state=state)
        rows = found["data"]
        return {**found, "data": rows[offset:offset + limit], "count": len(rows)}

    return await run_in_threadpool(build)


@router.get("/who", summary="Ai chịu trách nhiệm ở từng địa bàn / an agency's "
                            "responsibilities in each jurisdiction")
async def national_who(rt: RuntimeDep, _: NationalReader, as_of: AsOf,
                       agency: Annotated[str, Query(min_length=1, max_length=200,
                                                    description="Mã hoặc tên cơ quan / agency "
                                                                "code or name")]
                       ) -> dict[str, Any]:
    return await run_in_threadpool(national.who, rt, agency, as_of)


@router.get("/trace/{jurisdiction}/{ident:path}",
            summary="Truy nguyên trong một địa bàn / trace one id in a jurisdiction")
async def national_trace(jurisdiction: str, ident: str, rt: RuntimeDep, _: NationalReader,
                         as_of: AsOf) -> dict[str, Any]:
    return await run_in_threadpool(national.trace, rt, jurisdiction, ident, as_of)
