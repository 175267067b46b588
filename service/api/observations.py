"""Observations (số liệu báo cáo): read; assert one or a batch — a reporter only for
indicators their agency leads, and only onto observations of those indicators (a client
``id`` naming another agency's figure is refused). The response lists the alerts and status
changes caused."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from service.deps import (
    Filter,
    IdempotencyDep,
    Limit,
    Offset,
    OwnedObservation,
    OwnedObservations,
    Reader,
    RuntimeDep,
    write_observations,
)
from service.deps import Writer as WriterUser
from service.schemas import PAGE_LIMIT, ObservationPublic, Page, WriteResult, paged
from service.views import catalog
from service.writes import observation_fact

router = APIRouter(prefix="/observations", tags=["observations"])


@router.get("", response_model=Page[ObservationPublic], summary="Số liệu / observations")
def list_observations(rt: RuntimeDep, _: Reader, indicator: Filter = None,
                      period: Filter = None,
                      limit: Limit = PAGE_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    rows = rt.derived(("observations", indicator, period), None,
                      lambda _evaluation: catalog.list_kind(rt, "observation",
                                                            indicator=indicator, period=period))
    return paged(rows, limit, offset)


@router.get("/{observation_id}", response_model=ObservationPublic)
def get_observation(observation_id: str, rt: RuntimeDep, _: Reader) -> dict[str, Any]:
    return catalog.get_record(rt, "observation", observation_id)


@router.post("", response_model=WriteResult, status_code=201,
             summary="Báo cáo một số liệu / assert one observation")
def add_observation(body: OwnedObservation, request: Request, rt: RuntimeDep,
                    user: WriterUser, idem: IdempotencyDep) -> dict:
    fact = observation_fact(body, user.username)
    request.state.audit_target = f"observation:{fact.key}"
    return idem.run(body.model_dump(mode="json"), lambda: {
        "ok": True, **write_observations(rt, user, [fact], ["id"], idem.key).to_dict()}, 201)


@router.post("/batch", response_model=WriteResult, status_code=201,
             summary="Báo cáo nhiều số liệu (tất cả hoặc không) / assert a batch, all or none")
def add_observations(body: OwnedObservations, request: Request, rt: RuntimeDep,
                     user: WriterUser, idem: IdempotencyDep) -> dict:
    facts = [observation_fact(item, user.username) for item in body.items]
    request.state.audit_target = ",".join(f"observation:{f.key}" for f in facts)[:1000]
    fields = [f"items.{n}.id" for n in range(len(facts))]
    return idem.run(body.model_dump(mode="json"), lambda: {
        "ok": True, **write_observations(rt, user, facts, fields, idem.key).to_dict()}, 201)
