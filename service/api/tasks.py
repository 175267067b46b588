"""Tasks (nhiệm vụ): read with status; progress/completion by the lead agency's reporter;
the planning office creates and updates them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from service.api.catalog import EDIT_ERRORS, READ_ETAG, IfMatch, create, tagged, update
from service.deps import (
    Admin,
    AsOf,
    Filter,
    IdempotencyDep,
    Limit,
    Offset,
    OwnedTask,
    Reader,
    RuntimeDep,
    Writer,
)
from service.schemas import (
    PAGE_LIMIT,
    Page,
    TaskCreate,
    TaskPublic,
    TaskUpdate,
    TaskUpdateCreate,
    WriteResult,
    paged,
)
from service.views import catalog
from service.writes import task_update_fact

router = APIRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=Page[TaskPublic], summary="Nhiệm vụ / tasks with status")
def list_tasks(rt: RuntimeDep, _: Reader, as_of: AsOf, agency: Filter = None,
               status: Filter = None, limit: Limit = PAGE_LIMIT,
               offset: Offset = 0) -> dict[str, Any]:
    rows = rt.derived(("tasks", agency, status), as_of,
                      lambda _evaluation: catalog.tasks(rt, as_of, agency=agency, status=status))
    return paged(rows, limit, offset)


@router.get("/{task_id}", response_model=TaskPublic, responses=READ_ETAG)
def get_task(task_id: str, response: Response, rt: RuntimeDep, _: Reader,
             as_of: AsOf) -> dict[str, Any]:
    tagged(rt, "task", task_id, response)  # the tag read first: never newer than the body
    return next(t for t in catalog.tasks(rt, as_of) if t["id"] == task_id)


@router.post("/{task_id}/updates", response_model=WriteResult, status_code=201,
             summary="Báo cáo tiến độ nhiệm vụ / report task progress or completion")
def add_task_update(task: OwnedTask, body: TaskUpdateCreate, request: Request, rt: RuntimeDep,
                    user: Writer, idem: IdempotencyDep) -> dict:
    request.state.audit_target = f"task:{task['id']}"
    fact = task_update_fact(task["id"], body, user.username)
    return idem.run(body.model_dump(mode="json"), lambda: {
        "ok": True, **rt.write([fact], user.username, idem.key).to_dict()}, 201)


@router.post("", response_model=WriteResult, status_code=201)
def create_task(body: TaskCreate, request: Request, rt: RuntimeDep, user: Admin,
                idem: IdempotencyDep) -> dict:
    return create("task", body.id, body, request, rt, user, idem)


@router.patch("/{task_id}", response_model=WriteResult, responses=EDIT_ERRORS)
def update_task(task_id: str, body: TaskUpdate, request: Request, response: Response,
                rt: RuntimeDep, user: Admin, idem: IdempotencyDep,
                if_match: IfMatch = None) -> dict:
    return update("task", task_id, body, request, response, rt, user, idem, if_match)
