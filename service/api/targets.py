"""Targets (mục tiêu kế hoạch) and indicators' series; the planning office creates and
updates targets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.api.catalog import EDIT_ERRORS, READ_ETAG, IfMatch, create, tagged, update
from service.deps import Admin, AsOf, Filter, IdempotencyDep, Limit, Offset, Reader, RuntimeDep
from service.rendering import cached_json
from service.schemas import (
    PAGE_LIMIT,
    Page,
    TargetCreate,
    TargetPublic,
    TargetUpdate,
    WriteResult,
    paged,
)
from service.views import board, catalog
from service.writes import target_key

router = APIRouter(tags=["targets"])


@router.get("/targets", response_model=Page[TargetPublic],
            summary="Mục tiêu và trạng thái / targets with status")
def list_targets(rt: RuntimeDep, _: Reader, as_of: AsOf, agency: Filter = None,
                 status: Filter = None, indicator: Filter = None, period: Filter = None,
                 limit: Limit = PAGE_LIMIT, offset: Offset = 0) -> Response:
    def build() -> dict[str, Any]:
        rows = rt.derived(("targets", agency, status, indicator, period), as_of,
                          lambda _evaluation: catalog.targets(rt, as_of, agency=agency,
                                                              status=status,
                                                              indicator=indicator,
                                                              period=period))
        return paged(rows, limit, offset)

    return cached_json(rt, ("targets", agency, status, indicator, period, limit, offset),
                       as_of, build, Page[TargetPublic])


@router.get("/targets/{target_id}", response_model=TargetPublic, responses=READ_ETAG)
def get_target(target_id: str, response: Response, rt: RuntimeDep, _: Reader,
               as_of: AsOf) -> dict[str, Any]:
    tagged(rt, "target", target_id, response)  # the tag read first: never newer than the body
    return next(t for t in catalog.targets(rt, as_of) if t["id"] == target_id)


@router.post("/targets", response_model=WriteResult, status_code=201)
def create_target(body: TargetCreate, request: Request, rt: RuntimeDep, user: Admin,
                  idem: IdempotencyDep) -> dict:
    key = body.id or target_key(body.model_dump())
    return create("target", key, body, request, rt, user, idem)


@router.patch("/targets/{target_id}", response_model=WriteResult, responses=EDIT_ERRORS)
def update_target(target_id: str, body: TargetUpdate, request: Request, response: Response,
                  rt: RuntimeDep, user: Admin, idem: IdempotencyDep,
                  if_match: IfMatch = None) -> dict:
    return update("target", target_id, body, request, response, rt, user, idem, if_match)


@router.get("/indicators/{indicator_id}", summary="Chỉ tiêu, mục tiêu, số liệu và chuỗi "
            "thực hiện / indicator with targets, observations, series")
def get_indicator(indicator_id: str, rt: RuntimeDep, _: Reader, as_of: AsOf) -> dict[str, Any]:
    return board.indicator(rt, indicator_id, as_of)
