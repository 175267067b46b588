"""API schemas per direction: ``XCreate`` / ``XUpdate`` in, ``XPublic`` out, lists in a
``{data, count}`` envelope. Figures are strings written the Vietnamese way ("4.595,5",
"7 - 7,5", "≥5") and are checked with ``kg.notation`` — the same parsers every importer uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from kg import notation
from kg.errors import KehoachError

T = TypeVar("T")
Text = Field(min_length=1, max_length=2000)
_IDENT = r"^[A-Za-z0-9_.@:\-/]+$"
Ident = Field(min_length=1, max_length=200, pattern=_IDENT)
OptIdent = Field(default=None, min_length=1, max_length=200, pattern=_IDENT)


def _notation(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A validator that reads a value with a Vietnamese notation parser; errors carry vi/en."""

    def check(value: Any) -> Any:
        if value is None:
            return None
        try:
            parse(str(value))
        except KehoachError as err:
            raise PydanticCustomError(err.code, err.en.replace("{", "(").replace("}", ")"),
                                      {"vi": err.vi}) from None
        except ValueError as err:
            raise PydanticCustomError("invalid_value", str(err).replace("{", "("),
                                      {"vi": "giá trị không hợp lệ"}) from None
        return str(value).strip()

    return check


class Page(BaseModel, Generic[T]):
    """A list envelope: ``data`` (one page: ``limit`` items from ``offset``) and ``count``,
    how many items match the request in all (tổng số khớp), so a client knows when to stop."""

    data: list[T]
    count: int


PAGE_LIMIT = 100
"""Default page size of the list routes that can grow with the data (alerts, statuses,
targets, tasks, observations); at most ``PAGE_LIMIT_MAX`` per request."""
PAGE_LIMIT_MAX = 1000


def paged(items: list[Any], limit: int, offset: int = 0) -> dict[str, Any]:
    """The ``Page`` envelope of ``items``: the page only is serialised, ``count`` is the
    number of matches."""
    return {"data": items[offset:offset + limit], "count": len(items)}


class Item(BaseModel, Generic[T]):
    data: T


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc: str = Field(min_length=1, max_length=200)
    line: int | None = Field(default=None, ge=1)
    quote: str | None = Field(default=None, max_length=2000)


class Public(BaseModel):
    """A record as the log holds it: its id, version, who sent it, its source, and every
    field of the dataset row (``data/langson/README.md``)."""

    model_config = ConfigDict(extra="allow")
    id: str
    version: int = 1
    submitted_by: str | None = None
    submitted_at: str | None = None
    source: dict[str, Any] | None = None


class AgencyPublic(Public):
    name: str | None = None
    kind: str | None = None
    parent: str | None = None


class DocumentPublic(Public):
    number: str | None = None
    title: str | None = None
    date: str | None = None


class IndicatorPublic(Public):
    name: str | None = None
    unit: str | None = None
    group: str | None = None
    lead_agency: str | None = None


class TargetPublic(Public):
    indicator: str | None = None
    period: str | None = None
    expression: str | None = None
    status: str | None = None
    verdict: str | None = None
    agency: str | None = None


class TaskPublic(Public):
    summary: str | None = None
    lead_agency: str | None = None
    deadline: str | None = None
    status: str | None = None


class ObservationPublic(Public):
    indicator: str | None = None
    period: str | None = None
    value: str | None = None
    pct_of_plan: str | None = None


class AlertPublic(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    severity: str
    subject: dict[str, Any]
    agency: str | None = None
    period: str | None = None
    as_of: str
    explanation_vi: str
    explanation_en: str


class StatusPublic(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    name: str | None = None
    status: str | None = None
    verdict: str | None = None
    agency: str | None = None
    period: str | None = None


class WriteResult(BaseModel):
    """What a write did: facts appended (new / version / duplicate) and what it caused."""

    ok: bool = True
    facts: list[dict[str, Any]]
    counts: dict[str, int]
    alerts: list[dict[str, Any]]
    status_changes: list[dict[str, Any]]


class ObservationCreate(BaseModel):
    """A reported figure (số liệu báo cáo), written as the agency writes it."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = OptIdent
    indicator: str = Ident
    period: str = Field(min_length=1, max_length=40, description='e.g. "9T/2024", "2024"')
    value: str | None = Field(default=None, max_length=100, description='e.g. "4.595,5"')
    unit: str | None = Field(default=None, max_length=100)
    pct_of_plan: str | None = Field(default=None, max_length=40, description='e.g. "76,6"')
    plan_basis: str = Field(default="ke_hoach", max_length=40)
    kind: Literal["actual", "estimate"] = "actual"
    as_of: dt.date
    yoy_change_pct: str | None = Field(default=None, max_length=40)
    same_period_last_year_pct: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=2000)
    reported_verdict: Literal["Đạt", "Vượt", "Không đạt"] | None = Field(
        default=None, description='the report\'s own Đánh giá, as written: "Đạt", "Vượt", '
        '"Không đạt" (checked against the figures like the official tables)')
    source: SourceIn | None = None

    _value = field_validator("value")(_notation(notation.parse_quantity))
    _numbers = field_validator("pct_of_plan", "yoy_change_pct", "same_period_last_year_pct")(
        _notation(notation.parse_number))
    _period = field_validator("period")(_notation(notation.Period.from_code))


class ObservationBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[ObservationCreate] = Field(min_length=1, max_length=500)


class TaskUpdateCreate(BaseModel):
    """Progress or completion of a task (cập nhật tiến độ nhiệm vụ)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["not_started", "in_progress", "completed"]
    as_of: dt.date
    progress: int | None = Field(default=None, ge=0, le=100, description="percent done")
    completed_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)


class AgencyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Ident
    name: str = Text
    kind: str = Field(min_length=1, max_length=60)
    name_en: str | None = Field(default=None, max_length=500)
    parent: str | None = OptIdent
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    succeeded_by: str | None = OptIdent
    source: SourceIn | None = None


class AgencyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=2000)
    name_en: str | None = Field(default=None, max_length=500)
    parent: str | None = OptIdent
    valid_until: dt.date | None = None
    succeeded_by: str | None = OptIdent


class DocumentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Ident
    title: str = Text
    type: str | None = Field(default=None, max_length=10)
    number: str | None = Field(default=None, max_length=100)
    issuer: str | None = OptIdent
    date: dt.date | None = None
    based_on: list[str] = Field(default_factory=list, max_length=50)
    implements: list[str] = Field(default_factory=list, max_length=50)
    source: SourceIn | None = None

    _number = field_validator("number")(_notation(notation.parse_document_number))


class DocumentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    number: str | None = Field(default=None, max_length=100)
    date: dt.date | None = None
    based_on: list[str] | None = Field(default=None, max_length=50)
    implements: list[str] | None = Field(default=None, max_length=50)

    _number = field_validator("number")(_notation(notation.parse_document_number))


class TargetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = OptIdent
    indicator: str = Ident
    period: str = Field(min_length=1, max_length=40, description='"2025", "2021-2025"')
    expression: str = Field(min_length=1, max_length=100, description='"7 - 7,5", "≥5"')
    unit: str | None = Field(default=None, max_length=100)
    set_by: str | None = OptIdent
    assigned_by: str | None = OptIdent
    baseline: str | None = Field(default=None, max_length=100)
    source: SourceIn | None = None

    _expression = field_validator("expression")(_notation(notation.parse_expression))
    _period = field_validator("period")(_notation(notation.Period.from_code))
    _baseline = field_validator("baseline")(_notation(notation.parse_quantity))


class TargetUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expression: str | None = Field(default=None, min_length=1, max_length=100)
    unit: str | None = Field(default=None, max_length=100)
    set_by: str | None = OptIdent
    assigned_by: str | None = OptIdent
    baseline: str | None = Field(default=None, max_length=100)

    _expression = field_validator("expression")(_notation(notation.parse_expression))
    _baseline = field_validator("baseline")(_notation(notation.parse_quantity))


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Ident
    summary: str = Text
    lead_agency: str = Ident
    support: list[str] = Field(default_factory=list, max_length=50)
    deadline_text: str | None = Field(default=None, max_length=200)
    deadline: dt.date | None = None
    condition: str | None = Field(default=None, max_length=500)
    assigned_by: str | None = OptIdent
    target: str | None = Field(default=None, max_length=100)
    indicator: str | None = OptIdent
    source: SourceIn | None = None


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    summary: str | None = Field(default=None, min_length=1, max_length=2000)
    lead_agency: str | None = OptIdent
    support: list[str] | None = Field(default=None, max_length=50)
    deadline_text: str | None = Field(default=None, max_length=200)
    deadline: dt.date | None = None
    condition: str | None = Field(default=None, max_length=500)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str
    agency: str | None = None


class UserPublic(BaseModel):
    username: str
    role: str
    agency: str | None = None
    disabled: bool = False


class AuditRecord(BaseModel):
    seq: int
    at: str
    username: str | None
    role: str | None
    action: str
    target: str | None
    outcome: str
    status: int
    client: str | None
    idempotency_key: str | None
    detail: dict[str, Any]


class SparqlQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=20000)
