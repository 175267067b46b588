"""The national view (cả nước) over the API: the board by jurisdiction, alerts across
jurisdictions, who is responsible in each, and the trace of one id in a named jurisdiction
(``service.views.national``). Only a national service's admins, auditors and viewers may call
them (``NationalReader``: anyone else is 403 ``national_forbidden``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from service.deps import AsOf, CurrentUser, Filter, Limit, Offset, RuntimeDep
from service.schemas import PAGE_LIMIT, AlertPublic
from service.store import User
from service.views import national

router = APIRouter(prefix="/national", tags=["national"])


class Judgement(BaseModel):
    """Whether a jurisdiction is judged as of the date asked (what its judge stored)."""

    state: Literal["judged", "not_judged"] = Field(
        description="judged: đã xét / judged; not_judged: chưa xét — trạng thái và cảnh báo "
                    "chưa biết (null), không phải là không có / statuses and alerts unknown "
                    "(null), not absent")
    as_of: str = Field(description="Ngày được hỏi / the date asked (YYYY-MM-DD)")
    judged_as_of: str | None = Field(description="Ngày xét gần nhất / the date it was last "
                                                 "judged (null: never)")
    upto_seq: int | None = Field(description="Vị trí sổ dữ kiện đã xét đến / log position "
                                             "judged up to")
    pending_facts: bool | None = Field(description="Có dữ kiện mới hơn chưa xét / newer "
                                                   "facts not judged yet")


class BoardRow(BaseModel):
    """One jurisdiction on the national board."""

    code: str
    name: str
    name_en: str
    kind: str | None
    facts: dict[str, int] = Field(description="Số dữ kiện theo loại / facts per kind")
    total: int
    targets: int
    tasks: int
    judgement: Judgement
    statuses: dict[str, dict[str, int]] | None = Field(
        description="target/task → trạng thái → số / status → count (null: not judged)")
    open_alerts: dict[str, int] | None = Field(
        description="Cảnh báo đang mở theo mức độ / open alerts by severity (null: not judged)")
    open_alert_count: int | None


class NationalBoard(BaseModel):
    as_of: str
    data: list[BoardRow]
    not_judged: list[str] = Field(description="Mã các địa bàn chưa xét / codes not judged")


class NationalAlert(AlertPublic):
    """An alert with the jurisdiction it belongs to."""

    jurisdiction: str
    jurisdiction_name: str
    jurisdiction_name_en: str
    agency_name: str | None = Field(description="Tên cơ quan ở địa bàn đó / the agency's name "
                                                "in that jurisdiction")


class NotJudged(Judgement):
    code: str
    name: str
    name_en: str


class NationalAlerts(BaseModel):
    as_of: str
    data: list[NationalAlert]
    count: int = Field(description="Số cảnh báo khớp / matching alerts (all pages)")
    not_judged: list[NotJudged] = Field(description="Địa bàn chưa xét: cảnh báo chưa biết / "
                                                    "jurisdictions whose alerts are unknown")


class WhoRow(BaseModel):
    """An agency's responsibilities in one jurisdiction."""

    model_config = ConfigDict(extra="allow")
    jurisdiction: str
    jurisdiction_name: str
    jurisdiction_name_en: str
    judgement: Judgement
    agency: dict[str, Any]
    tasks: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    open_alerts: list[AlertPublic] | None


class NationalWho(BaseModel):
    as_of: str
    query: str
    data: list[WhoRow]


async def national_reader(rt: RuntimeDep, user: CurrentUser) -> User:
    """A user who may read across jurisdictions (``national.check_national_reader``)."""
    national.check_national_reader(rt, user)
    return user


NationalReader = Annotated[User, Depends(national_reader)]
State = Annotated[Literal["open", "all"], Query(
    description="open: cảnh báo còn mở (mặc định) / still open (default); all: mọi cảnh báo "
                "đã phát / every alert raised")]


@router.get("/board", response_model=NationalBoard,
            summary="Bảng theo địa bàn / the board by jurisdiction")
async def national_board(rt: RuntimeDep, _: NationalReader, as_of: AsOf) -> dict[str, Any]:
    return await run_in_threadpool(national.board, rt, as_of)


@router.get("/alerts", response_model=NationalAlerts,
            summary="Cảnh báo các địa bàn / alerts across jurisdictions")
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


@router.get("/who", response_model=NationalWho,
            summary="Ai chịu trách nhiệm ở từng địa bàn / an agency's responsibilities in "
                    "each jurisdiction")
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
