"""Import of the planning office's CSV/XLSX template (nhập mẫu biểu) through
``kg.template``: all rows or none; every bad row named with sheet, row and field."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile

from kg.template import check_file
from service.deps import Admin, IdempotencyDep, RuntimeDep
from service.errors import ApiError, error_responses
from service.schemas import WriteResult

router = APIRouter(prefix="/imports", tags=["imports"])
SUFFIXES = {".csv", ".xlsx"}


@router.post("", response_model=WriteResult, status_code=201,
             summary="Nhập tệp mẫu CSV/XLSX / import a template file",
             responses=error_responses({
                 400: "Thân multipart hỏng (bad_request) / a malformed multipart body",
                 415: "Không phải tệp .csv hoặc .xlsx (unsupported_file) / not a .csv or .xlsx "
                      "file"}))
def import_template(request: Request, rt: RuntimeDep, user: Admin, idem: IdempotencyDep,
                    file: Annotated[UploadFile, File(
                        description="CSV or XLSX template (a .csv or .xlsx file name)",
                        json_schema_extra={"format": "binary"})],
                    kind: Annotated[str | None, Query(max_length=40)] = None) -> Any:
    name = Path(file.filename or "upload.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ApiError(415, "unsupported_file", "chỉ nhận tệp .csv hoặc .xlsx",
                       "only .csv or .xlsx files are accepted")
    data = file.file.read(rt.settings.max_upload_bytes + 1)
    if len(data) > rt.settings.max_upload_bytes:
        raise ApiError(413, "too_large", "tệp quá lớn", "file too large")
    request.state.audit_target = f"import:{name}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = check_file(rt.log, path, kind)
    return idem.run({"file": name, "bytes": data.hex()[:10000], "kind": kind}, lambda: {
        "ok": True, **rt.write(result.facts, user.username, idem.key or f"import:{name}")
        .to_dict()}, 201)
