"""Read and (planning office) write agencies, documents and indicators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from service.deps import Admin, IdempotencyDep, Reader, RuntimeDep
from service.errors import ApiError
from service.schemas import (
    AgencyCreate,
    AgencyPublic,
    AgencyUpdate,
    DocumentCreate,
    DocumentPublic,
    DocumentUpdate,
    IndicatorPublic,
    Page,
    WriteResult,
    paged,
)
from service.views import catalog
from service.writes import (
    check_references,
    created_payload,
    entity_fact,
    refuse,
    updated_payload,
)

router = APIRouter(tags=["catalogue"])
Search = Annotated[str | None, Query(max_length=200, description="Tìm theo tên / search")]
Limit = Annotated[int, Query(ge=1, le=5000)]
Offset = Annotated[int, Query(ge=0)]


@router.get("/agencies", response_model=Page[AgencyPublic], summary="Cơ quan / agencies")
def list_agencies(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                  offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "agency", q=q), limit, offset)


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
def get_agency(agency_id: str, rt: RuntimeDep, _: Reader) -> dict:
    return catalog.get_record(rt, "agency", agency_id)


@router.get("/documents", response_model=Page[DocumentPublic], summary="Văn bản / documents")
def list_documents(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                   offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "document", q=q), limit, offset)


@router.get("/documents/{document_id}", response_model=DocumentPublic)
def get_document(document_id: str, rt: RuntimeDep, _: Reader) -> dict:
    return catalog.get_record(rt, "document", document_id)


@router.get("/indicators", response_model=Page[IndicatorPublic],
            summary="Chỉ tiêu / indicators")
def list_indicators(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                    offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "indicator", q=q), limit, offset)


def create(kind: str, key: str, body, request: Request, rt: RuntimeDep, user, idem) -> dict:
    """Create a new record (409 if the id exists); one function for every catalogue kind."""
    request.state.audit_target = f"{kind}:{key}"
    payload = created_payload(body)
    refuse(check_references(rt.log, kind, payload))

    def write() -> dict:
        if rt.log.get(kind, key) is not None:
            raise ApiError(409, "already_exists", f"đã có {kind} '{key}', hãy dùng PATCH",
                           f"{kind} '{key}' already exists, use PATCH")
        fact = entity_fact(kind, key, payload, body, user.username)
        return {"ok": True, **rt.write([fact], user.username, idem.key).to_dict()}

    return idem.run(body.model_dump(mode="json"), write, 201)


def update(kind: str, key: str, body, request: Request, rt: RuntimeDep, user, idem) -> dict:
    """A new version of an existing record with the fields the body names."""
    request.state.audit_target = f"{kind}:{key}"
    current = catalog.get_record(rt, kind, key)
    payload = updated_payload({k: v for k, v in current.items() if k not in (
        "version", "submitted_by", "submitted_at", "source")}, body)
    refuse(check_references(rt.log, kind, payload))

    def write() -> dict:
        fact = entity_fact(kind, key, payload, body, user.username)
        return {"ok": True, **rt.write([fact], user.username, idem.key).to_dict()}

    return idem.run(body.model_dump(mode="json", exclude_unset=True), write)


@router.post("/agencies", response_model=WriteResult, status_code=201)
def create_agency(body: AgencyCreate, request: Request, rt: RuntimeDep, user: Admin,
                  idem: IdempotencyDep) -> dict:
    return create("agency", body.id, body, request, rt, user, idem)


@router.patch("/agencies/{agency_id}", response_model=WriteResult)
def update_agency(agency_id: str, body: AgencyUpdate, request: Request, rt: RuntimeDep,
                  user: Admin, idem: IdempotencyDep) -> dict:
    return update("agency", agency_id, body, request, rt, user, idem)


@router.post("/documents", response_model=WriteResult, status_code=201)
def create_document(body: DocumentCreate, request: Request, rt: RuntimeDep, user: Admin,
                    idem: IdempotencyDep) -> dict:
    return create("document", body.id, body, request, rt, user, idem)


@router.patch("/documents/{document_id}", response_model=WriteResult)
def update_document(document_id: str, body: DocumentUpdate, request: Request, rt: RuntimeDep,
                    user: Admin, idem: IdempotencyDep) -> dict:
    return update("document", document_id, body, request, rt, user, idem)
