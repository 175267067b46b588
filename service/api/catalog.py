"""Read and (planning office) write agencies, documents and indicators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from kg.errors import VersionConflict
from kg.log import Fact, StoredFact
from service.deps import Admin, IdempotencyDep, Reader, RuntimeDep
from service.errors import ApiError, error_responses, field_error, not_found
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
    agency_entry,
    agency_fact_of,
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
IfMatch = Annotated[str | None, Header(
    alias="If-Match", max_length=500,
    description="ETag của phiên bản đã đọc (GET trả về); sai phiên bản → 409 / the ETag a GET "
                "returned: the edit applies only to that version, else 409 version_conflict. "
                "Optional: without it the edit is merged onto the latest version")]
MERGE_ATTEMPTS = 20  # lost races with other processes before giving up with 409
EDIT_ERRORS = error_responses({
    404: "Không có bản ghi / no such record",
    409: "Phiên bản đã đổi (If-Match cũ): body và header ETag mang phiên bản hiện tại / "
         "version_conflict: If-Match names an older version; the current ETag is in the "
         "body (errors[0].etag) and the ETag header",
    422: "Dữ liệu không hợp lệ / invalid body or unknown reference"})
AGENCY_INVALID = ("Trường không hợp lệ (loại cơ quan, địa bàn, cơ quan cấp trên theo tên hoặc mã, "
                  "ngày), nêu trong errors / a field is invalid (kind, jurisdiction, parent by "
                  "name or id, dates), named in errors")
AGENCY_EXISTS = ("agency_exists: tên (hoặc tên viết tắt, tên khác) đã là của cơ quan khác, "
                 "errors[].agency nêu cơ quan đó")
AGENCY_WRITE_ERRORS = error_responses({
    409: f"already_exists: đã có mã này, hãy dùng PATCH / the id exists, use PATCH; "
         f"{AGENCY_EXISTS} / the name (or short name, alias) is another agency's, named in "
         "errors[].agency; or an Idempotency-Key reused with another body",
    422: AGENCY_INVALID})
AGENCY_EDIT_ERRORS = {**EDIT_ERRORS, **error_responses({
    409: "version_conflict: If-Match cũ (phiên bản và ETag hiện tại trong body và header ETag) "
         f"/ If-Match names an older version; {AGENCY_EXISTS} / the new name is another "
         "agency's, named in errors[].agency",
    422: AGENCY_INVALID})}
READ_ETAG = {200: {"headers": {"ETag": {"description": "Phiên bản (dùng cho If-Match) / the "
                                        "version, for If-Match", "schema": {"type": "string"}}}}}


@router.get("/agencies", response_model=Page[AgencyPublic], summary="Cơ quan / agencies")
def list_agencies(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                  offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "agency", q=q), limit, offset)


@router.get("/agencies/{agency_id}", response_model=AgencyPublic, responses=READ_ETAG)
def get_agency(agency_id: str, response: Response, rt: RuntimeDep, _: Reader) -> dict:
    return tagged(rt, "agency", agency_id, response)


@router.get("/documents", response_model=Page[DocumentPublic], summary="Văn bản / documents")
def list_documents(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                   offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "document", q=q), limit, offset)


@router.get("/documents/{document_id}", response_model=DocumentPublic, responses=READ_ETAG)
def get_document(document_id: str, response: Response, rt: RuntimeDep, _: Reader) -> dict:
    return tagged(rt, "document", document_id, response)


@router.get("/indicators", response_model=Page[IndicatorPublic],
            summary="Chỉ tiêu / indicators")
def list_indicators(rt: RuntimeDep, _: Reader, q: Search = None, limit: Limit = 1000,
                    offset: Offset = 0) -> dict:
    return paged(catalog.list_kind(rt, "indicator", q=q), limit, offset)


def create(kind: str, key: str | None, body, request: Request, rt: RuntimeDep, user, idem,
           make: Callable[[], Fact] | None = None) -> dict:
    """Create a new record (409 if the id exists); one function for every catalogue kind.
    ``make`` builds the fact (and may refuse it) where a kind has its own validation."""
    request.state.audit_target = f"{kind}:{key}"
    payload = created_payload(body)
    refuse(check_references(rt.log, kind, payload))

    def exists(ident: str) -> ApiError:
        return ApiError(409, "already_exists", f"đã có {kind} '{ident}', hãy dùng PATCH",
                        f"{kind} '{ident}' already exists, use PATCH",
                        [field_error("id", "already_exists", f"đã có {kind} '{ident}'",
                                     f"{kind} '{ident}' exists")])

    def write() -> dict:
        with rt.write_lock:  # the id is checked and written by one request at a time
            if key is not None and rt.log.get(kind, key) is not None:
                raise exists(key)
            fact = make() if make else entity_fact(kind, key or "", payload, body,
                                                   user.username)
            request.state.audit_target = f"{kind}:{fact.key}"
            if rt.log.get(kind, fact.key) is not None:
                raise exists(fact.key)
            return {"ok": True, **rt.write([fact], user.username, idem.key).to_dict()}

    return idem.run(body.model_dump(mode="json"), write, 201)


def etag(fact: StoredFact) -> str:
    """The entity tag of one stored version: its number and content hash (quoted, strong)."""
    return f'"{fact.version}-{fact.content_hash[:16]}"'


def tagged(rt: RuntimeDep, kind: str, key: str, response: Response) -> dict:
    """The latest record of (kind, key), its ``ETag`` set on ``response``."""
    fact = rt.log.get(kind, key)
    if fact is None:
        raise not_found(kind, key)
    response.headers["ETag"] = etag(fact)
    return catalog.record(fact)


def _matches(if_match: str, fact: StoredFact) -> bool:
    """RFC 9110 If-Match: ``*`` or a list of entity tags, compared strongly."""
    tags = [t.strip().strip('"') for t in if_match.split(",")]
    return "*" in tags or etag(fact).strip('"') in tags  # an unquoted tag is read leniently


def _conflict(kind: str, key: str, fact: StoredFact, if_match: str | None) -> ApiError:
    tag = etag(fact)
    vi = (f"{kind} '{key}' đã được sửa từ khi bạn đọc (If-Match {if_match}); phiên bản hiện "
          f"tại {fact.version}, ETag {tag}: hãy đọc lại rồi sửa")
    en = (f"{kind} '{key}' changed since you read it (If-Match {if_match}); current version "
          f"{fact.version}, ETag {tag}: read it again and edit")
    item = {**field_error("If-Match", "version_conflict", vi, en),
            "current_version": fact.version, "etag": tag}
    return ApiError(409, "version_conflict", vi, en, [item], headers={"ETag": tag})


def _merged(kind: str, key: str, fact: StoredFact, body, username: str) -> Fact:
    """The new version: the stored record with the fields the body names, made from (and
    only valid over) the stored version ``fact``."""
    current = {k: v for k, v in catalog.record(fact).items()
               if k not in ("version", "submitted_by", "submitted_at", "source")}
    payload = updated_payload(current, body)
    return replace(entity_fact(kind, key, payload, body, username), replaces=fact.version)


def update(kind: str, key: str, body, request: Request, response: Response, rt: RuntimeDep,
           user, idem, if_match: str | None = None,
           merge: Callable[[StoredFact], Fact] | None = None) -> dict:
    """A new version of an existing record with the fields the body names.

    The read-merge-write is atomic: the latest version is read and merged under the
    runtime's write lock, and the fact carries the version it replaces, which the log checks
    inside its append transaction (another worker process may have written in between). With
    ``If-Match`` naming an older version the edit is refused (409 ``version_conflict``, the
    current ETag in body and header); without it a lost race is merged again onto the new
    version, so no edit drops another's field. ``merge`` makes the new version from the
    latest stored one where a kind has its own validation (agencies)."""
    request.state.audit_target = f"{kind}:{key}"
    fact = rt.log.get(kind, key)
    if fact is None:
        raise not_found(kind, key)
    refuse(check_references(rt.log, kind, body.model_dump(mode="json", exclude_unset=True)))

    def write() -> dict:
        for _attempt in range(MERGE_ATTEMPTS):
            with rt.write_lock:  # one merge at a time in this process
                latest = rt.log.get(kind, key)
                assert latest is not None  # facts are never deleted
                if if_match is not None and not _matches(if_match, latest):
                    raise _conflict(kind, key, latest, if_match)
                new = merge(latest) if merge else _merged(kind, key, latest, body,
                                                          user.username)
                refuse(check_references(rt.log, kind, new.payload))
                try:
                    outcome = rt.write([new], user.username, idem.key)
                except VersionConflict as err:  # another process wrote since the read
                    if if_match is not None:
                        raise _conflict(kind, key, err.current, if_match) from None
                    continue
            response.headers["ETag"] = etag(outcome.appended[0].fact)
            return {"ok": True, **outcome.to_dict()}
        raise _conflict(kind, key, rt.log.get(kind, key) or fact, if_match)

    return idem.run(body.model_dump(mode="json", exclude_unset=True), write)


@router.post("/agencies", response_model=WriteResult, status_code=201,
             responses=AGENCY_WRITE_ERRORS)
def create_agency(body: AgencyCreate, request: Request, rt: RuntimeDep, user: Admin,
                  idem: IdempotencyDep) -> dict:
    """Thêm cơ quan / add an agency, checked as the template's agencies sheet and
    ``kehoach agency add`` check it (``kg.agency_entries.build_agencies``)."""
    return create("agency", getattr(body, "id", None), body, request, rt, user, idem,
                  lambda: agency_fact_of(rt.log, agency_entry(body, user.username), body))


@router.patch("/agencies/{agency_id}", response_model=WriteResult,
              responses=AGENCY_EDIT_ERRORS)
def update_agency(agency_id: str, body: AgencyUpdate, request: Request, response: Response,
                  rt: RuntimeDep, user: Admin, idem: IdempotencyDep,
                  if_match: IfMatch = None) -> dict:
    """Sửa cơ quan / update an agency: the explicit update of ``build_agencies`` (the fields
    sent replace, aliases are added, ``null`` clears an optional field)."""
    def merge(latest: StoredFact) -> Fact:
        entry = agency_entry(body, user.username, agency_id, latest.payload.get("name"))
        return replace(agency_fact_of(rt.log, entry, body), replaces=latest.version)

    return update("agency", agency_id, body, request, response, rt, user, idem, if_match,
                  merge)


@router.post("/documents", response_model=WriteResult, status_code=201)
def create_document(body: DocumentCreate, request: Request, rt: RuntimeDep, user: Admin,
                    idem: IdempotencyDep) -> dict:
    return create("document", body.id, body, request, rt, user, idem)


@router.patch("/documents/{document_id}", response_model=WriteResult, responses=EDIT_ERRORS)
def update_document(document_id: str, body: DocumentUpdate, request: Request,
                    response: Response, rt: RuntimeDep, user: Admin, idem: IdempotencyDep,
                    if_match: IfMatch = None) -> dict:
    return update("document", document_id, body, request, response, rt, user, idem, if_match)
