"""Raw template rows → validated facts (dữ kiện), the same kinds and payload shapes as
``data/langson`` (agency, indicator, target, observation, task, task_update).

Names are matched to the log's indicators, agencies and documents (``kg.matching``). Ids are
deterministic, so importing the same file twice writes nothing new: targets
``<indicator>@<period>``, observations ``obs-<hash of indicator, period, kind, as_of, basis>``,
tasks ``task-<hash of the task text and lead agency>``; agencies the id their name gives
(``kg.agency_entries``: a known name is an update only when the row names its id). Every
problem names its sheet, row and field; the caller writes nothing when there is one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg import notation
from kg.agency_entries import AgencyEntry, build_agencies
from kg.errors import KehoachError, Place
from kg.log import Fact, Source
from kg.matching import Matcher, fold, matcher_from_log, slug
from kg.notation.bounds import check_date, check_pct_of_plan, check_year
from kg.search import search
from kg.template.columns import SHEET_KINDS, Column
from kg.template.errors import row_problem
from kg.template.read import RawRow, RawSheet

LEVEL_NAME_STARTS = ("ty le", "co cau", "chi so", "do che phu", "binh quan", "so giuong",
                     "so bac sy", "so bac si")
GROWTH_NAME_STARTS = ("toc do tang",)
REDUCTION_NAME_STARTS = ("giam ",)
CUMULATIVE_UNIT_WORDS = {"dong", "usd", "luot", "khach", "tan", "ha", "m3", "kwh", "cay",
                         "doanh nghiep", "lao dong", "nguoi", "du an", "hop tac xa", "km"}


def infer_measure(unit: str | None, name: str) -> str:
    """How an indicator adds up through the year when the row does not say (cách tính).

    A name opening with "giảm" is a reduction (judged on the change against the same period,
    rules/README.md); "bình quân đầu người" or a unit per person is a per-capita ratio; a name
    opening with "tốc độ tăng" is a growth rate; a percentage or per-unit rate ("%",
    "bác sỹ/vạn dân") or a name opening with "tỷ lệ", "cơ cấu", "chỉ số", "độ che phủ",
    "bình quân" is a level; a unit of money, visits, mass, area, people or firms ("tỷ đồng",
    "triệu USD", "nghìn lượt", "tấn", "ha", "doanh nghiệp", "lao động") is a cumulative flow;
    anything else (counts of communes, schools: stocks) is a level.
    """
    folded_name, folded_unit = fold(name), fold(unit or "")
    if folded_name.startswith(REDUCTION_NAME_STARTS):
        return "reduction"
    if "dau nguoi" in folded_name or ("/" in (unit or "") and folded_unit.endswith(" nguoi")):
        return "per_capita"
    if folded_name.startswith(GROWTH_NAME_STARTS):
        return "growth_rate"
    if "%" in (unit or "") or "/" in (unit or "") or folded_name.startswith(LEVEL_NAME_STARTS):
        return "level"
    words = set(folded_unit.split())
    if words & CUMULATIVE_UNIT_WORDS or folded_unit in CUMULATIVE_UNIT_WORDS:
        return "cumulative"
    return "level"


@dataclass
class Known:
    """What the log already knows, for matching names: indicators, agencies, documents."""

    indicators: Matcher
    agencies: Matcher
    documents: dict[str, list[str]] = field(default_factory=dict)  # number → document ids
    failed_agencies: dict[str, Place] = field(default_factory=dict)  # folded name → bad row

    def document_id(self, number: str | None) -> str | None:
        ids = self.documents.get(_number_key(number)) if number else None
        return ids[0] if ids and len(ids) == 1 else None


def _number_key(number: str) -> str:
    try:
        return notation.parse_document_number(number).format()
    except KehoachError:
        return fold(number)


def known_from_log(log: Any) -> Known:
    documents: dict[str, list[str]] = {}
    for doc in log.current("document"):
        if isinstance(doc.payload.get("number"), str):
            documents.setdefault(_number_key(doc.payload["number"]), []).append(doc.key)
    return Known(matcher_from_log(log, "indicator"), matcher_from_log(log, "agency"), documents)


class _Row:
    """One raw row being read: values by column, problems collected."""

    def __init__(self, sheet: RawSheet, raw: RawRow) -> None:
        self.sheet, self.raw = sheet, raw
        self.kind = SHEET_KINDS[sheet.kind]
        self.problems: list[KehoachError] = []
        for col in self.kind.required():
            if not raw.cells.get(col.key) and col.key not in raw.unreadable:
                self.fail(col.key, f"thiếu giá trị bắt buộc của cột '{col.vi}'",
                          f"required value of column '{col.vi}' ({col.key}) is missing",
                          "missing_value")

    def text(self, key: str) -> str | None:
        return self.raw.cells.get(key) or None

    def fail(self, key: str | None, vi: str, en: str, code: str, text: str | None = None) -> None:
        self.problems.append(row_problem(self.sheet.name, self.raw.number, key, vi, en, code,
                                         text))

    def parse(self, key: str, parser: Callable[[str], Any]) -> Any:
        text = self.text(key)
        if text is None:
            return None
        try:
            return parser(text)
        except KehoachError as err:
            self.fail(key, err.vi, err.en, err.code, text)
        return None

    def choose(self, key: str) -> str | None:
        text = self.text(key)
        if text is None:
            return None
        column: Column = self.kind.column(key)
        value = column.choose(text)
        if value is None:
            words = ", ".join(column.choice_words())
            self.fail(key, f"giá trị '{text}' không thuộc danh sách: {words}",
                      f"value '{text}' is not one of: {words}", "not_a_choice", text)
        return value

    def agency(self, key: str, text: str | None, known: Known) -> str | None:
        """The id of the agency ``text`` names: in the log or in this file's agencies sheet."""
        if text is None:
            return None
        if known.agencies.candidates(text):
            return self.lookup(key, text, known.agencies, None, ("cơ quan", "agency"))
        place = known.failed_agencies.get(fold(text))
        if place is not None:
            self.fail(key, f"cơ quan '{text}' ở {place.document} hàng {place.row} có lỗi",
                      f"agency '{text}' of {place.document} row {place.row} has errors",
                      "agency_row_invalid", text)
            return None
        near = ", ".join(hit.key for hit in search(text, known.agencies.items())[:3])
        hint_vi, hint_en = (f"; gần giống: {near}", f"; close: {near}") if near else ("", "")
        self.fail(key, f"không tìm thấy cơ quan '{text}' (tên, bí danh hoặc mã) trong CSDL hay "
                  f"bảng 'Cơ quan' của tệp; hãy thêm nó vào bảng đó{hint_vi}",
                  f"unknown agency '{text}' (name, alias or id): not in the database nor in the "
                  f"file's 'Cơ quan' (agencies) sheet; add it there{hint_en}", "unknown_agency",
                  text)
        return None

    def lookup(self, key: str, text: str, matcher: Matcher, unit: str | None,
               what: tuple[str, str], required: bool = True) -> str | None:
        """The id ``text`` names; an ambiguous name is settled by ``unit`` when it can be.
        Unknown names are a problem when ``required``; ambiguous ones always are."""
        found = matcher.candidates(text)
        if len(found) > 1 and unit:
            found = [k for k in found if fold(matcher.payload(k).get("unit") or "") == fold(unit)]
        if len(found) == 1:
            return found[0]
        if found or matcher.candidates(text):
            ids = ", ".join(found or matcher.candidates(text))
            self.fail(key, f"tên {what[0]} '{text}' ứng với nhiều mã ({ids}); hãy ghi mã",
                      f"{what[1]} name '{text}' matches several ids ({ids}); write the id",
                      f"ambiguous_{what[1]}", text)
        elif required:
            near = ", ".join(hit.key for hit in search(text, matcher.items())[:3])
            hint_vi, hint_en = (f"; gần giống: {near}", f"; close: {near}") if near else ("", "")
            self.fail(key, f"không tìm thấy {what[0]} '{text}' (tên, bí danh hoặc mã){hint_vi}",
                      f"unknown {what[1]} '{text}' (name, alias or id){hint_en}",
                      f"unknown_{what[1]}", text)
        return None

    def source(self) -> Source:
        doc, quote = self.text("source"), self.text("quote")
        return Source(doc or self.sheet.name, None if doc else self.raw.number,
                      quote or " | ".join(self.raw.written))


def _digest(*parts: Any) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _expression_or_quantity(text: str) -> str:
    try:
        notation.parse_quantity(text)
    except KehoachError:
        notation.parse_expression(text)
    return text


# Plausibility at the boundary (kg.notation.bounds), as for the API: dates and period years in
# the plan span, a percentage of plan in a sane range.
def _period_in_span(text: str) -> notation.Period:
    period = notation.parse_period(text)
    check_year(period.start.year, text)
    check_year(period.end.year, text)
    return period


def _date_in_span(text: str) -> date:
    return check_date(notation.parse_date(text))


def _pct_in_range(text: str) -> Any:
    return check_pct_of_plan(notation.parse_number(text), text)


def _deadline_in_span(text: str) -> Any:
    deadline = notation.parse_deadline(text)
    if deadline.due is not None:
        check_year(deadline.due.year, text)
    return deadline


def _target_period(text: str) -> str:
    period = _period_in_span(text)
    if period.kind not in ("year", "multi_year"):
        raise KehoachError(f"kỳ kế hoạch phải là năm hoặc giai đoạn, không phải '{text}'",
                           f"a target period must be a year or several years, not '{text}'",
                           code="period_not_a_plan_period", text=text)
    return period.code


@dataclass
class _Built:
    facts: list[Fact] = field(default_factory=list)
    problems: list[KehoachError] = field(default_factory=list)
    rows_of: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, key) → row

    def add(self, row: _Row, fact: Fact) -> None:
        first = self.rows_of.get((fact.kind, fact.key))
        if first is not None:
            row.fail(None, f"trùng với hàng {first} ({fact.key})",
                     f"duplicates row {first} ({fact.key})", "duplicate_row", fact.key)
            return
        self.rows_of[(fact.kind, fact.key)] = row.raw.number
        self.facts.append(fact)


def _target_row(row: _Row, known: Known, out: _Built) -> None:
    name = row.text("indicator") or ""
    period = row.parse("period", _target_period)
    row.parse("target", notation.parse_expression)
    row.parse("baseline", notation.parse_expression)
    direction, measure, group = row.choose("direction"), row.choose("measure"), row.choose("group")
    agency = row.agency("agency", row.text("agency"), known)
    unit = row.text("unit")
    indicator = (row.lookup("indicator", name, known.indicators, unit,
                            ("chỉ tiêu", "indicator"), required=False) if name else None)
    if name and indicator is None and not known.indicators.candidates(name):
        indicator = _new_indicator(row, known, out, name, unit, direction,
                                   measure or infer_measure(unit, name), group, agency)
    if row.problems or indicator is None:
        return
    key = f"{indicator}@{period}"
    out.add(row, Fact("target", key, {
        "id": key, "indicator": indicator, "period": period, "expression": row.text("target"),
        "unit": unit or known.indicators.payload(indicator).get("unit"),
        "set_by": known.document_id(row.text("source")), "assigned_by": None,
        "lead_agency": agency, "baseline": row.text("baseline"), "derived": False,
        "derivation": None, "row": None,
    }, row.source()))


def _new_indicator(row: _Row, known: Known, out: _Built, name: str, unit: str | None,
                   direction: str | None, measure: str, group: str | None,
                   agency: str | None) -> str | None:
    if not unit or not direction:
        row.fail("unit" if not unit else "direction",
                 f"chỉ tiêu mới '{name}' cần đơn vị và chiều đánh giá",
                 f"new indicator '{name}' needs a unit and a direction", "new_indicator_incomplete",
                 name)
        return None
    key = slug(name)
    if not key or row.problems:
        if not key:
            row.fail("indicator", f"tên chỉ tiêu không dùng được: '{name}'",
                     f"unusable indicator name: '{name}'", "indicator_name", name)
        return None
    payload = {"id": key, "name": name, "name_en": None, "unit": unit, "direction": direction,
               "measure": measure, "group": group, "lead_agency": agency, "aliases": []}
    known.indicators.add(key, payload)
    out.add(row, Fact("indicator", key, payload, row.source()))
    return key


def _observation_row(row: _Row, known: Known, out: _Built) -> None:
    name = row.text("indicator")
    indicator = (row.lookup("indicator", name, known.indicators, None,
                            ("chỉ tiêu", "indicator")) if name else None)
    period = row.parse("period", _period_in_span)
    row.parse("value", _expression_or_quantity)
    row.parse("pct_of_plan", _pct_in_range)
    kind, basis = row.choose("kind"), row.choose("plan_basis")
    verdict = row.choose("reported_verdict")
    as_of: date | None = row.parse("as_of", _date_in_span)
    if period is not None and as_of is not None and as_of < period.start:
        row.fail("as_of", f"ngày số liệu {as_of:%d/%m/%Y} trước khi kỳ {period.code} bắt đầu",
                 f"as-of date {as_of} is before period {period.code} starts", "as_of_early")
    if row.problems or indicator is None or period is None or as_of is None:
        return
    basis = basis or ("ke_hoach" if row.text("pct_of_plan") else None)
    key = "obs-" + _digest(indicator, period.code, kind, as_of.isoformat(), basis)
    out.add(row, Fact("observation", key, {
        "id": key, "indicator": indicator, "indicator_text": name, "period": period.code,
        "value": row.text("value"), "unit": known.indicators.payload(indicator).get("unit"),
        "pct_of_plan": row.text("pct_of_plan"), "plan_basis": basis, "yoy_change_pct": None,
        "same_period_last_year_pct": None, "kind": kind, "as_of": as_of.isoformat(),
        "footnote": False, "note": None, "reported_verdict": verdict,
    }, row.source(), as_of))


def _task_row(row: _Row, known: Known, out: _Built) -> None:
    summary = row.text("task")
    lead = row.agency("agency", row.text("agency"), known)
    support_text = row.text("support") or ""
    support = [row.agency("support", part.strip(), known)
               for part in support_text.split(";") if part.strip()]
    deadline = row.parse("deadline", _deadline_in_span)
    done: date | None = row.parse("completed_on", _date_in_span)
    if row.problems or summary is None or lead is None or deadline is None:
        return
    key = "task-" + _digest(fold(summary), lead)
    source = row.source()
    out.add(row, Fact("task", key, {
        "id": key, "summary": summary, "lead_agency": lead, "lead_implied": False,
        "support": support, "deadline_text": deadline.text,
        "deadline": deadline.due.isoformat() if deadline.due else None,
        "condition": deadline.condition, "assigned_by": known.document_id(row.text("assigned_by")),
        "assigned_by_text": row.text("assigned_by"), "target": None, "indicator": None,
    }, source))
    if done is not None:
        out.add(row, Fact("task_update", f"{key}:completed", {
            "task": key, "status": "completed", "completed_on": done.isoformat(),
        }, source, done))


ROW_BUILDERS: dict[str, Callable[[_Row, Known, _Built], None]] = {
    "targets": _target_row, "observations": _observation_row, "tasks": _task_row,
}


def _agency_sheets(sheets: list[RawSheet], known: Known, out: _Built) -> None:
    """Every agencies sheet at once (a parent may be named by a later row): rows with their
    required values go to ``kg.agency_entries.build_agencies``."""
    entries: list[AgencyEntry] = []
    for sheet in sheets:
        for raw in sheet.rows:
            row = _Row(sheet, raw)
            out.problems.extend(row.problems)
            if row.problems:
                continue
            aliases = [a.strip() for a in (row.text("aliases") or "").split(";") if a.strip()]
            entries.append(AgencyEntry(
                row.text("name"), Place(document=sheet.name, row=raw.number), id=row.text("id"),
                short=row.text("short"), name_en=row.text("name_en"), kind=row.text("kind"),
                parent=row.text("parent"), jurisdiction=row.text("jurisdiction"),
                aliases=aliases, valid_from=row.text("valid_from"),
                valid_until=row.text("valid_until"), source=row.source()))
    built = build_agencies(entries, known.agencies)
    out.facts.extend(built.facts)
    out.problems.extend(built.problems)
    known.failed_agencies.update(built.failed)


def build_facts(sheets: Iterable[RawSheet], known: Known) -> tuple[list[Fact], list[KehoachError]]:
    """Facts of every row (agencies first, so the other sheets can name new agencies; targets
    next, so observations can name new indicators) and every problem found."""
    out = _Built()
    ordered = sorted(sheets, key=lambda s: list(SHEET_KINDS).index(s.kind))
    agency_sheets = [s for s in ordered if s.kind == "agencies"]
    if agency_sheets:
        _agency_sheets(agency_sheets, known, out)
    for sheet in ordered:
        if sheet.kind == "agencies":
            continue
        for raw in sheet.rows:
            row = _Row(sheet, raw)
            ROW_BUILDERS[sheet.kind](row, known, out)
            out.problems.extend(row.problems)
    return out.facts, out.problems
