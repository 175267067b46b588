"""API schemas per direction: ``XCreate`` / ``XUpdate`` in, ``XPublic`` out, lists in a
``{data, count}`` envelope. Figures are strings written the Vietnamese way ("4.595,5",
"7 - 7,5", "≥5") and are checked with ``kg.notation`` — the same parsers every importer uses.

Every request body (``Body``) is put in Unicode NFC before anything reads it, and is checked
for plausibility: dates are ISO ``YYYY-MM-DD`` strings only (never a unix timestamp such as
``0``), report dates and period years lie in the plan span (``kg.notation.plan_years``,
2000–2100 by default), the percentage of plan in ``PCT_OF_PLAN_RANGE``, and a task's
``progress`` is a JSON integer (``true`` is refused).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kg import notation
from kg.agencies import ID_PATTERN
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


def _plausible_period(code: str) -> notation.Period:
    period = notation.Period.from_code(code)
    for year in (period.year, period.end_year):
        if year is not None:
            notation.check_year(year, code)
    return period


def _plausible_pct(text: str) -> None:
    notation.check_pct_of_plan(notation.parse_number(text), text)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def strict_date(value: Any) -> Any:
    """Only an ISO date string (or a date): FastAPI/pydantic would otherwise read ``0`` or
    ``1700000000`` as a unix timestamp."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_strict", "a date is written YYYY-MM-DD",
                              {"vi": "ngày phải có dạng YYYY-MM-DD"})


def plausible_date(value: dt.date | None) -> dt.date | None:
    """``value`` if its year is in the plan span (the error carries vi/en like the parsers')."""
    if value is not None:
        _notation(lambda _text: notation.check_date(value))(value.isoformat())
    return value


StrictDate = Annotated[dt.date, BeforeValidator(strict_date)]
"""A date written ``YYYY-MM-DD`` (any year)."""
def plan_date_pattern() -> str:
    """The ``pattern`` of a plan date in the schema: ``YYYY-MM-DD`` with the year in the plan
    span (read when the OpenAPI document is built), so the schema refuses what validation
    refuses (``0422-11-17``, ``0``)."""
    first, last = notation.plan_years()
    years = "|".join(str(year) for year in range(first, last + 1))
    return rf"^({years})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class _InPlanSpan:
    """Schema-only marker: adds the plan-span ``pattern`` beside ``format: date``."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = handler(core_schema)
        schema["pattern"] = plan_date_pattern()
        return schema


PlanDate = Annotated[dt.date, BeforeValidator(strict_date), AfterValidator(plausible_date),
                     _InPlanSpan()]
"""A date written ``YYYY-MM-DD`` within the plan span (``kg.notation.plan_years``); the
schema says so (``format: date`` and a ``pattern`` naming the span's years)."""


class Body(BaseModel):
    """A request body: unknown fields refused, every text in NFC before it is validated."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        return notation.nfc_all(data)


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


class SourceIn(Body):
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


Figure = Field(default=None, description="Số đọc từ chữ bên cạnh / the number parsed from "
               "the text beside it (service/figures.py)")


class TargetPublic(Public):
    indicator: str | None = None
    period: str | None = None
    expression: str | None = None
    expression_number: float | None = Figure
    expression_low: float | None = Field(default=None, description="cận dưới / lower bound "
                                         "(null: none)")
    expression_high: float | None = Field(default=None, description="cận trên / upper bound "
                                          "(null: none)")
    baseline_number: float | None = Figure
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
    value_number: float | None = Figure
    pct_of_plan: str | None = None
    pct_of_plan_number: float | None = Figure
    yoy_change_pct_number: float | None = Figure
    same_period_last_year_pct_number: float | None = Figure


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
    judged: bool = Field(default=True, description="false: a `kehoach judge` process judges "
                         "this service's writes and had not judged this one within "
                         "KEHOACH_JUDGE_WAIT_SECONDS — its alerts reach the live stream when it "
                         "does; none is claimed absent")


class ObservationCreate(Body):
    """A reported figure (số liệu báo cáo), written as the agency writes it. ``source`` is
    the reporter's own citation: it is kept as their claim (``claimed_source``), the fact's
    provenance is the submitter (``api:<username>``)."""
    id: str | None = OptIdent
    indicator: str = Ident
    period: str = Field(min_length=1, max_length=40, description='e.g. "9T/2024", "2024"')
    value: str | None = Field(default=None, max_length=100, description='e.g. "4.595,5"')
    unit: str | None = Field(default=None, max_length=100)
    pct_of_plan: str | None = Field(default=None, max_length=40, description='e.g. "76,6"')
    plan_basis: str = Field(default="ke_hoach", max_length=40)
    kind: Literal["actual", "estimate"] = "actual"
    as_of: PlanDate
    yoy_change_pct: str | None = Field(default=None, max_length=40)
    same_period_last_year_pct: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=2000)
    reported_verdict: Literal["Đạt", "Vượt", "Không đạt"] | None = Field(
        default=None, description='the report\'s own Đánh giá, as written: "Đạt", "Vượt", '
        '"Không đạt" (checked against the figures like the official tables)')
    source: SourceIn | None = None

    _value = field_validator("value")(_notation(notation.parse_quantity))
    _pct = field_validator("pct_of_plan")(_notation(_plausible_pct))
    _numbers = field_validator("yoy_change_pct", "same_period_last_year_pct")(
        _notation(notation.parse_number))
    _period = field_validator("period")(_notation(_plausible_period))


class ObservationBatch(Body):
    items: list[ObservationCreate] = Field(min_length=1, max_length=500)


class TaskUpdateCreate(Body):
    """Progress or completion of a task (cập nhật tiến độ nhiệm vụ)."""
    status: Literal["not_started", "in_progress", "completed"]
    as_of: PlanDate
    progress: int | None = Field(default=None, ge=0, le=100, strict=True,
                                 description="percent done (an integer, never true/false)")
    completed_on: PlanDate | None = None
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("completed_on")
    @classmethod
    def _completed_by_as_of(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        as_of = info.data.get("as_of")
        if value is not None and as_of is not None and value > as_of:
            raise PydanticCustomError(
                "completed_after_as_of",
                f"completed_on ({value}) is after as_of ({as_of}): a report cannot tell of a "
                "later completion", {"vi": f"ngày hoàn thành ({value}) sau ngày báo cáo ({as_of})"})
        return value


AgencyText = Annotated[str, Field(min_length=1, max_length=2000)]
AGENCY_KIND = ("Loại: mã, nhãn hoặc từ ('department', 'sở', 'UBND huyện') / kind: code, label "
               "or word (kg.agencies.AGENCY_KINDS)")
AGENCY_PARENT = "Cơ quan cấp trên, mã hoặc tên / parent agency, id or name"
AGENCY_JURISDICTION = ("Địa bàn, mã hoặc tên ('dong-nai', 'Bộ Tài chính') / the agency's "
                       "jurisdiction, code or name (data/jurisdictions.yaml)")


class AgencyCreate(Body):
    """Một cơ quan mới, kiểm tra như bảng "Cơ quan" của mẫu / a new agency, checked as the
    template's agencies sheet and ``kehoach agency add`` check it (docs/import.md)."""

    id: str | None = Field(default=None, min_length=1, max_length=200,
                           pattern=f"^{ID_PATTERN.pattern}$",
                           description="Mã muốn đặt: chữ thường không dấu, số, '-' (mặc định: "
                           "từ tên) / the id wanted: lowercase ASCII, digits, '-' (default: "
                           "made from the name)")
    name: str = Text
    short: str | None = Field(default=None, min_length=1, max_length=200)
    kind: str | None = Field(default=None, min_length=1, max_length=60,
                             description=AGENCY_KIND + "; default: the name's head word")
    name_en: str | None = Field(default=None, max_length=500)
    parent: str | None = Field(default=None, min_length=1, max_length=2000,
                               description=AGENCY_PARENT)
    jurisdiction: str | None = Field(default=None, min_length=1, max_length=200,
                                     description=AGENCY_JURISDICTION)
    aliases: list[AgencyText] = Field(default_factory=list, max_length=50,
                                      description="Tên gọi khác / other names")
    valid_from: StrictDate | None = None
    valid_until: StrictDate | None = None
    succeeded_by: str | None = OptIdent
    source: SourceIn | None = None


class AgencyUpdate(Body):
    """Sửa một cơ quan (cập nhật tường minh) / the explicit update of an agency: the fields
    sent replace, ``aliases`` are added, ``null`` clears an optional field."""

    name: str | None = Field(default=None, min_length=1, max_length=2000)
    short: str | None = Field(default=None, min_length=1, max_length=200)
    kind: str | None = Field(default=None, min_length=1, max_length=60, description=AGENCY_KIND)
    name_en: str | None = Field(default=None, max_length=500)
    parent: str | None = Field(default=None, min_length=1, max_length=2000,
                               description=AGENCY_PARENT)
    jurisdiction: str | None = Field(default=None, min_length=1, max_length=200,
                                     description=AGENCY_JURISDICTION)
    aliases: list[AgencyText] | None = Field(default=None, max_length=50,
                                             description="Tên gọi khác, thêm vào / other "
                                             "names, added")
    valid_from: StrictDate | None = None
    valid_until: StrictDate | None = None
    succeeded_by: str | None = OptIdent


class DocumentCreate(Body):
    id: str = Ident
    title: str = Text
    type: str | None = Field(default=None, max_length=10)
    number: str | None = Field(default=None, max_length=100)
    issuer: str | None = OptIdent
    date: StrictDate | None = None
    based_on: list[str] = Field(default_factory=list, max_length=50)
    implements: list[str] = Field(default_factory=list, max_length=50)
    source: SourceIn | None = None

    _number = field_validator("number")(_notation(notation.parse_document_number))


class DocumentUpdate(Body):
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    number: str | None = Field(default=None, max_length=100)
    date: StrictDate | None = None
    based_on: list[str] | None = Field(default=None, max_length=50)
    implements: list[str] | None = Field(default=None, max_length=50)

    _number = field_validator("number")(_notation(notation.parse_document_number))


class TargetCreate(Body):
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
    _period = field_validator("period")(_notation(_plausible_period))
    _baseline = field_validator("baseline")(_notation(notation.parse_quantity))


class TargetUpdate(Body):
    expression: str | None = Field(default=None, min_length=1, max_length=100)
    unit: str | None = Field(default=None, max_length=100)
    set_by: str | None = OptIdent
    assigned_by: str | None = OptIdent
    baseline: str | None = Field(default=None, max_length=100)

    _expression = field_validator("expression")(_notation(notation.parse_expression))
    _baseline = field_validator("baseline")(_notation(notation.parse_quantity))


class TaskCreate(Body):
    id: str = Ident
    summary: str = Text
    lead_agency: str = Ident
    support: list[str] = Field(default_factory=list, max_length=50)
    deadline_text: str | None = Field(default=None, max_length=200)
    deadline: PlanDate | None = None
    condition: str | None = Field(default=None, max_length=500)
    assigned_by: str | None = OptIdent
    target: str | None = Field(default=None, max_length=100)
    indicator: str | None = OptIdent
    source: SourceIn | None = None


class TaskUpdate(Body):
    summary: str | None = Field(default=None, min_length=1, max_length=2000)
    lead_agency: str | None = OptIdent
    support: list[str] | None = Field(default=None, max_length=50)
    deadline_text: str | None = Field(default=None, max_length=200)
    deadline: PlanDate | None = None
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


class SparqlQuery(Body):
    query: str = Field(min_length=1, max_length=20000)
