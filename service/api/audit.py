"""The audit log (nhật ký kiểm toán): every write and refused write; read by admin and
auditor; nobody can edit it (the table refuses UPDATE and DELETE)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from service.deps import Inspector, StoreDep
from service.schemas import AuditRecord, Page

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=Page[AuditRecord], summary="Nhật ký kiểm toán / audit log")
def list_audit(store: StoreDep, _: Inspector,
               username: Annotated[str | None, Query(max_length=200)] = None,
               outcome: Annotated[str | None, Query(pattern="^(ok|refused|error)$")] = None,
               after: Annotated[int, Query(ge=0, le=2**62)] = 0,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    rows = store.audit_records(username=username, outcome=outcome, after=after, limit=limit)
    return {"data": rows, "count": len(rows)}
