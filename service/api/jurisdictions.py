"""The jurisdictions the database holds (địa bàn: tỉnh, bộ, cả nước) with their fact counts —
the national view's starting point. The service itself works on one of them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kg.log import jurisdiction_rows
from service.deps import Reader, RuntimeDep

router = APIRouter(tags=["jurisdictions"])


class JurisdictionCount(BaseModel):
    """One jurisdiction of the database and how many facts it holds."""

    code: str = Field(description="Mã địa bàn / jurisdiction code (lang-son, bo-tai-chinh); "
                                  "'' is the unscoped log: facts written before jurisdictions "
                                  "in a database without a default")
    name: str | None = Field(description="Tên (danh mục data/jurisdictions.yaml) / name in "
                                         "the reference list (null: not in it)")
    name_en: str | None = Field(description="Tên tiếng Anh / English name")
    kind: str | None = Field(description="nation | province | ministry | central_body")
    facts: dict[str, int] = Field(description="Số dữ kiện (khóa khác nhau) theo loại / "
                                              "distinct keys per fact kind")
    total: int = Field(ge=0, description="Tổng số dữ kiện / all its facts")


class JurisdictionList(BaseModel):
    """The database's jurisdictions, the one this service works on and the default."""

    current: str = Field(description="Địa bàn của dịch vụ này / the jurisdiction this service "
                                     "works on ('' : the unscoped log)")
    default: str | None = Field(description="Địa bàn mặc định của cơ sở dữ liệu / the "
                                            "database's default jurisdiction (null: none set)")
    data: list[JurisdictionCount]


@router.get("/jurisdictions", response_model=JurisdictionList,
            summary="Các địa bàn trong cơ sở dữ liệu / jurisdictions in the database")
def list_jurisdictions(rt: RuntimeDep, _: Reader) -> dict:
    return jurisdiction_rows(rt.log)
