"""The rules vocabulary (từ vựng luật): the registry rule files may combine.

Python declares the testable facts (measures posted to the engine, with their fields), the
operators per field type, the actions, the statuses and severities — each with vi/en labels.
``rules/definitions/*.yaml`` only combine these names; the loader rejects anything else.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kg.notation.numbers import format_number


@dataclass(frozen=True)
class Label:
    vi: str
    en: str


@dataclass(frozen=True)
class FieldSpec:
    """One field of a measure: its type (number | bool | string) and labels."""

    type: str
    label: Label


@dataclass(frozen=True)
class FactSpec:
    """A measure kind (loại số đo) the engine receives, and the status dimension it rates."""

    name: str
    label: Label
    dimension: str | None
    fields: dict[str, FieldSpec] = field(default_factory=dict)


def _f(type_: str, vi: str, en: str) -> FieldSpec:
    return FieldSpec(type_, Label(vi, en))


COMMON_FIELDS: dict[str, FieldSpec] = {
    "subject_id": _f("string", "mã đối tượng", "subject id"),
    "subject_name": _f("string", "tên đối tượng", "subject name"),
    "subject_kind": _f("string", "loại đối tượng", "subject kind"),
    "period": _f("string", "kỳ", "period"),
    "agency": _f("string", "mã cơ quan chủ trì", "lead agency id"),
    "agency_name": _f("string", "tên cơ quan chủ trì (tên hiện tại, \"trước đây …\" sau sáp "
                      "nhập; \"chưa xác định\" khi không có)",
                      "lead agency's name in Vietnamese text"),
    "agency_name_en": _f("string", "tên cơ quan chủ trì cho câu tiếng Anh",
                         "lead agency's name in English text (\"formerly …\", \"not stated\")"),
    "as_of": _f("string", "ngày đánh giá (ISO, cho máy)", "evaluated as of (ISO)"),
    "as_of_date": _f("string", "ngày đánh giá (dd/mm/yyyy)", "evaluated as of (dd/mm/yyyy)"),
    "as_of_ord": _f("number", "ngày đánh giá (số thứ tự)", "as-of date ordinal"),
}
"""Fields every measure carries (usable in conditions and explanation templates). Ids and ISO
dates are for conditions and machines; what a person reads has its own field: a name, a date
dd/mm/yyyy (in both languages, as the pages write dates), an English count with its plural."""

MEASURE_KINDS: dict[str, Label] = {
    "cumulative": Label("lũy kế (dòng cộng dồn trong năm: thu, chi, giải ngân, lượt khách)",
                        "cumulative flow summed through the year (revenue, spending, visitors)"),
    "level": Label("mức (tỷ lệ, cơ cấu, số hiện có: đo tại một thời điểm)",
                   "level, rate or share (measured at a point in time)"),
    "growth_rate": Label("tốc độ tăng (so với cùng kỳ năm trước)",
                         "growth rate (against the same period last year)"),
    "reduction": Label("mức giảm (số vụ, tỷ lệ cần giảm X% so với cùng kỳ)",
                       "a reduction (a count to cut by X % against the same period)"),
    "per_capita": Label("bình quân đầu người (hoặc trên vạn dân)",
                        "per-capita ratio (or per 10,000 people)"),
}
"""How an indicator is judged (cách đánh giá chỉ tiêu, field ``measure`` of an indicator):
only a cumulative flow is paced by date (m/12 or the seasonal profile); a level, a growth rate
and a per-capita ratio are judged on the latest figure against the target as it stands; a
reduction on its change against the same period last year. When the data does not say, the
kind is inferred (``rules.subjects.measure_kind``)."""

PACED_KINDS = frozenset({"cumulative"})
"""Kinds a share of the annual plan by date means something for."""

FACTS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("verdict", Label("kết quả thực hiện chỉ tiêu", "target verdict"), "verdict", {
            "outcome": _f("string", "đánh giá (exceeded/achieved/not_achieved)", "verdict"),
            "expected": _f("bool", "là số ước", "is an estimate"),
            "actual": _f("string", "thực hiện", "actual as written"),
            "plan": _f("string", "kế hoạch", "plan as written"),
            "direction": _f("string", "chiều chỉ tiêu", "direction"),
        }),
        FactSpec("pace", Label("tiến độ lũy kế", "cumulative pace"), "pace", {
            "ratio": _f("number", "tỷ lệ thực hiện / kỳ vọng", "actual ÷ expected"),
            "annual_share": _f("number", "tỷ lệ so kế hoạch năm", "share of annual plan"),
            "period_complete": _f("bool", "đã hết kỳ kế hoạch", "plan period over"),
            "months": _f("number", "số tháng", "months elapsed"),
            "method": _f("string", "cách tính kỳ vọng", "expectation method"),
            "pct": _f("string", "% kế hoạch", "% of plan"),
            "expected_pct": _f("string", "% kỳ vọng", "expected % of plan"),
        }),
        FactSpec("level", Label("mức hiện tại so với mục tiêu", "current level against the target"),
                 "level", {
            "measure": _f("string", "cách đánh giá chỉ tiêu", "measure kind"),
            "outcome": _f("string", "mức hiện tại so với mục tiêu (exceeded/achieved/"
                          "not_achieved)", "current figure against the target"),
            "wrong_way": _f("bool", "đi ngược mục tiêu (số cần giảm lại tăng)",
                            "moving the wrong way (a count to reduce rose)"),
            "current": _f("string", "mức hiện tại (hoặc thay đổi so với cùng kỳ)",
                          "current figure (or change against the same period)"),
            "plan": _f("string", "mục tiêu", "target as written"),
            "expected": _f("bool", "là số ước", "is an estimate"),
        }),
        FactSpec("progress", Label("tiến độ nhiều năm (CAGR)", "multi-year progress (CAGR)"),
                 "progress", {
            "ratio": _f("number", "tỷ lệ tăng trưởng kép thực tế / cần đạt", "CAGR ratio"),
        }),
        FactSpec("task", Label("nhiệm vụ", "task"), "task", {
            "completed": _f("bool", "đã hoàn thành", "completed"),
            "has_due": _f("bool", "có hạn theo lịch", "has a calendar deadline"),
            "conditional": _f("bool", "hạn có điều kiện", "conditional deadline"),
            "days_late": _f("number", "số ngày trễ", "days late"),
            "days_late_en": _f("string", "số ngày trễ, tiếng Anh", "days late (\"1 day\")"),
            "days_overdue": _f("number", "số ngày quá hạn", "days overdue"),
            "days_overdue_en": _f("string", "số ngày quá hạn, tiếng Anh",
                                  "days overdue (\"1 day\", \"2 days\")"),
            "days_to_due": _f("number", "số ngày còn lại", "days to deadline"),
            "days_left_vi": _f("string", "thời gian còn lại (\"còn 14 ngày\", \"đến hạn hôm "
                               "nay\")", "time left in Vietnamese"),
            "days_left_en": _f("string", "thời gian còn lại, tiếng Anh",
                               "time left (\"1 day left\", \"due today\")"),
            "deadline": _f("string", "thời hạn (như văn bản viết, hoặc dd/mm/yyyy)",
                           "deadline as written (or dd/mm/yyyy)"),
            "continuing": _f("bool", "nhiệm vụ thường xuyên", "continuing task"),
            "completed_date_known": _f("bool", "nguồn nêu ngày hoàn thành",
                                       "the source states the completion date"),
            "completed_reported": _f("string", "ngày ghi nhận hoàn thành (dd/mm/yyyy)",
                                     "date the completion is recorded (dd/mm/yyyy)"),
            "overdue_since": _f("string", "quá hạn từ ngày (dd/mm/yyyy)",
                                "overdue since (dd/mm/yyyy)"),
        }),
        FactSpec("report_due", Label("báo cáo đến hạn", "report due"), None, {
            "reported": _f("bool", "đã báo cáo", "reported"),
            "days_past_due": _f("number", "số ngày quá hạn báo cáo", "days past due"),
            "days_past_due_en": _f("string", "số ngày quá hạn báo cáo, tiếng Anh",
                                   "days past due (\"1 day\")"),
            "due": _f("string", "hạn báo cáo (dd/mm/yyyy)", "report due date (dd/mm/yyyy)"),
            "basis_vi": _f("string", "căn cứ của hạn báo cáo", "basis of the due date (vi)"),
            "basis_en": _f("string", "căn cứ của hạn báo cáo (tiếng Anh)",
                           "basis of the due date (en)"),
        }),
        FactSpec("pct_check", Label("kiểm tra % kế hoạch", "plan-percentage check"), None, {
            "diff_points": _f("number", "chênh lệch (điểm %)", "difference (points)"),
            "reported_pct": _f("string", "% báo cáo", "reported %"),
            "computed_pct": _f("string", "% tính lại", "recomputed %"),
        }),
        FactSpec("verdict_check", Label("đối chiếu đánh giá chính thức", "official verdict check"),
                 None, {
            "agrees": _f("bool", "khớp", "agrees"),
            "official": _f("string", "đánh giá chính thức (như bảng ghi)",
                           "official verdict as written"),
            "official_en": _f("string", "đánh giá chính thức, tiếng Anh",
                              "official verdict in English"),
            "computed": _f("string", "đánh giá tính lại (exceeded/achieved/not_achieved)",
                           "computed verdict code"),
            "computed_vi": _f("string", "đánh giá tính lại (Vượt, Đạt, Không đạt)",
                              "computed verdict in Vietnamese"),
            "computed_en": _f("string", "đánh giá tính lại, tiếng Anh",
                              "computed verdict in English"),
            "plan": _f("string", "kế hoạch", "plan"),
            "actual": _f("string", "ước thực hiện", "estimate"),
        }),
        FactSpec("clock", Label("đồng hồ: ngày đánh giá", "the clock: the as-of date"), None),
        FactSpec("status", Label("trạng thái hiện có (trước lần xét này)",
                                 "the status held before this judgement"), None, {
            "dimension": _f("string", "chiều trạng thái (verdict, pace, level, …)",
                            "status dimension"),
            "status": _f("string", "trạng thái (mã)", "status code"),
        }),
        FactSpec("status_set", Label("trạng thái vừa đặt", "a status just set"), None, {
            "dimension": _f("string", "chiều trạng thái", "status dimension"),
            "status": _f("string", "trạng thái mới (mã)", "new status code"),
        }),
        FactSpec("period_status", Label("trạng thái của một kỳ báo cáo (lịch sử)",
                                        "the status of one reporting period (history)"), None, {
            "dimension": _f("string", "chiều trạng thái", "status dimension"),
            "status": _f("string", "trạng thái của kỳ (mã; superseded = đã bị thay)",
                         "the period's status code (superseded: replaced by a verdict)"),
            "rank": _f("number", "thứ tự kỳ: 0 = kỳ gần nhất, 1 = kỳ trước đó, …",
                       "period order: 0 = the latest, 1 = the one before, …"),
            "badness": _f("number", "mức xấu của trạng thái: 0 đúng tiến độ, 1 có nguy cơ, "
                          "2 chậm tiến độ", "how bad the status is: 0 on track, 1 at risk, "
                          "2 off track"),
        }),
        FactSpec("lagging", Label("chậm tiến độ liên tiếp", "consecutive lagging"), None, {
            "periods": _f("number", "số kỳ liên tiếp", "consecutive periods"),
            "periods_en": _f("string", "số kỳ liên tiếp, tiếng Anh",
                             "consecutive periods (\"2 periods\")"),
            "last_status": _f("string", "trạng thái gần nhất (mã)", "latest status code"),
            "last_status_vi": _f("string", "trạng thái gần nhất", "latest status in Vietnamese"),
            "last_status_en": _f("string", "trạng thái gần nhất, tiếng Anh",
                                 "latest status in English"),
            "supervisor": _f("string", "mã cơ quan cấp trên", "supervising body id"),
            "supervisor_name": _f("string", "tên cơ quan cấp trên", "supervising body's name"),
            "supervisor_name_en": _f("string", "tên cơ quan cấp trên cho câu tiếng Anh",
                                     "supervising body's name in English text"),
        }),
    )
}

OPERATORS: dict[str, tuple[Label, str, tuple[str, ...]]] = {
    "eq": (Label("bằng", "equals"), "", ("number", "bool", "string")),
    "ne": (Label("khác", "differs from"), "$neq", ("number", "bool", "string")),
    "lt": (Label("nhỏ hơn", "less than"), "$lt", ("number",)),
    "lte": (Label("không lớn hơn", "at most"), "$lte", ("number",)),
    "gt": (Label("lớn hơn", "greater than"), "$gt", ("number",)),
    "gte": (Label("không nhỏ hơn", "at least"), "$gte", ("number",)),
    "in": (Label("là một trong", "is one of"), "$mt", ("string",)),
}
"""Operator name → (labels, durable_rules operator ("" = equality), field types)."""

ACTIONS: dict[str, Label] = {
    "set_status": Label("đặt trạng thái", "set the subject's status"),
    "raise_alert": Label("phát cảnh báo", "raise an alert (and set the status if given)"),
    "record_status_change": Label("ghi thay đổi trạng thái",
                                  "record a status change (the status that was just set)"),
    "escalate": Label("báo cáo cấp trên", "escalate to the supervising body (an alert citing "
                      "the reports of the lagging periods)"),
}
"""The registered actions by name (``rules.actions.ACTIONS`` holds their functions and refuses,
at import, to differ from these names)."""


@dataclass(frozen=True)
class Needs:
    """What a rule naming an action must give: keys of ``then`` and the fact it is about."""

    keys: tuple[str, ...] = ()
    fact: str | None = None


_NEEDS: dict[str, Needs] = {
    "set_status": Needs(("status",)),
    "raise_alert": Needs(("alert",)),
    "record_status_change": Needs((), "status_set"),
    "escalate": Needs(("alert",), "lagging"),
}


def action_needs(name: str) -> Needs:
    """What a rule naming the registered action ``name`` must give (the loader checks it)."""
    return _NEEDS[name]

UNIT_FACTS = ("clock", "status", "period_status")
"""Facts of a unit's state the engine holds besides the measures (sự kiện của đơn vị): the
clock, the statuses held before the judgement, the history of reporting periods."""

DERIVED_FACTS = ("status_set",)
"""Facts actions add to a unit's state while it is judged (chained rules read them)."""

STATUS_BADNESS: dict[str, int] = {"achieved_early": 0, "on_track": 0, "at_risk": 1,
                                  "off_track": 2}
"""How bad a period's status is (``period_status.badness``): a scale of the status codes, so
a rule can say "worse than the period before" by comparing numbers."""

STATUSES: dict[str, dict[str, Label]] = {
    "verdict": {
        "exceeded": Label("Vượt", "exceeded"),
        "achieved": Label("Đạt", "achieved"),
        "not_achieved": Label("Không đạt", "not achieved"),
    },
    "pace": {
        "on_track": Label("Đúng tiến độ", "on track"),
        "at_risk": Label("Có nguy cơ chậm", "at risk"),
        "off_track": Label("Chậm tiến độ", "off track"),
        "achieved_early": Label("Hoàn thành trước hạn", "achieved early"),
    },
    "level": {
        "on_track": Label("Mức hiện tại đạt mục tiêu", "current level meets the target"),
        "at_risk": Label("Mức hiện tại chưa đạt mục tiêu", "current level below the target"),
        "off_track": Label("Đi ngược mục tiêu", "moving away from the target"),
    },
    "task": {
        "completed_on_time": Label("Hoàn thành đúng hạn", "completed on time"),
        "completed_late": Label("Hoàn thành quá hạn", "completed late"),
        "completed": Label("Hoàn thành (nguồn không nêu ngày, báo cáo sau hạn)",
                           "completed (date not stated, reported after the deadline)"),
        "in_progress": Label("Đang thực hiện, trong hạn", "in progress"),
        "overdue": Label("Quá hạn", "overdue"),
        "due_soon": Label("Sắp đến hạn", "due soon"),
    },
}
STATUSES["progress"] = STATUSES["pace"]

ALERT_KINDS: dict[str, Label] = {
    "not_achieved": Label("Không đạt chỉ tiêu", "target not achieved"),
    "at_risk": Label("Có nguy cơ chậm tiến độ", "at risk"),
    "off_track": Label("Chậm tiến độ", "off track"),
    "achieved_early": Label("Hoàn thành trước hạn", "achieved early"),
    "overdue": Label("Nhiệm vụ quá hạn", "task overdue"),
    "due_soon": Label("Nhiệm vụ sắp đến hạn", "task due soon"),
    "missing_report": Label("Thiếu báo cáo", "missing report"),
    "discrepancy": Label("Số liệu không khớp", "discrepancy"),
    "escalated": Label("Báo cáo cấp trên", "escalated"),
    "data_quality": Label("Số liệu cần kiểm tra", "data-quality finding"),
    "slipping": Label("Tiến độ xấu dần", "pace slipping"),
}

SEVERITIES: dict[str, Label] = {
    "info": Label("thông tin", "info"),
    "warning": Label("cảnh báo", "warning"),
    "high": Label("nghiêm trọng", "high"),
    "critical": Label("rất nghiêm trọng", "critical"),
}


def field_spec(fact: str, name: str) -> FieldSpec | None:
    """The spec of a field of a measure kind (its own or a common field)."""
    spec = FACTS.get(fact)
    if spec is None:
        return None
    return spec.fields.get(name) or COMMON_FIELDS.get(name)


def _label(label: Label) -> dict[str, str]:
    return {"vi": label.vi, "en": label.en}


def export_vocabulary() -> dict[str, Any]:
    """The vocabulary as JSON-ready data (for the catalogue, the docs and the board)."""
    return {
        "facts": {
            name: {
                "label": _label(spec.label),
                "dimension": spec.dimension,
                "fields": {
                    k: {"type": f.type, "label": _label(f.label)}
                    for k, f in {**spec.fields, **COMMON_FIELDS}.items()
                },
            }
            for name, spec in FACTS.items()
        },
        "operators": {
            name: {"label": _label(lbl), "types": list(types)}
            for name, (lbl, _op, types) in OPERATORS.items()
        },
        "actions": {name: _label(lbl) for name, lbl in ACTIONS.items()},
        "statuses": {
            dim: {k: _label(v) for k, v in items.items()} for dim, items in STATUSES.items()
        },
        "alert_kinds": {k: _label(v) for k, v in ALERT_KINDS.items()},
        "measure_kinds": {k: _label(v) for k, v in MEASURE_KINDS.items()},
        "severities": {k: _label(v) for k, v in SEVERITIES.items()},
    }


_FIXED = re.compile(r"\.\d+f")


class _Words(string.Formatter):
    """Numbers in an explanation as the pages write them, in both languages: thousands dot,
    decimal comma (``{ratio:.3f}`` → "0,870", ``{days_overdue}`` → "1.204")."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if (isinstance(value, bool) or not isinstance(value, int | float | Decimal)
                or (format_spec and not _FIXED.fullmatch(format_spec))):
            return super().format_field(value, format_spec)
        number = Decimal(format(value, format_spec))
        return format_number(number) if number.is_finite() else str(value)


_WORDS = _Words()

_SAMPLES: dict[str, Any] = {"number": 1.5, "bool": False, "string": "x"}


def explain(template: str, event: dict[str, Any]) -> str:
    """A rule's explanation filled from a measure's fields (cách điền lời giải thích): the
    template names fields of the vocabulary; numbers are written the Vietnamese way."""
    pieces = _pieces(template)
    if pieces is None:  # nested specs, attribute or index access: the general formatter
        return _WORDS.format(template, **event)
    out: list[str] = []
    for literal, name, spec, conversion in pieces:
        out.append(literal)
        if name is None:
            continue
        value = event[name]
        if conversion:
            value = _WORDS.convert_field(value, conversion)
        out.append(value if isinstance(value, str) and not spec
                   else _WORDS.format_field(value, spec))
    return "".join(out)


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[tuple[str, str | None, str, str | None], ...] | None:
    """A template parsed once (it is filled for every measure of every write): its literal
    text and plain ``{field:spec}`` slots; None when a slot needs the general formatter."""
    pieces = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (not name.isidentifier() or "{" in (spec or "")):
            return None
        pieces.append((literal, name, spec or "", conversion))
    return tuple(pieces)


def sample_event(fact: str) -> dict[str, Any]:
    """One value of the right type per field of ``fact`` (the loader fills every template
    with it once, so a template that cannot be filled is refused at load)."""
    spec = FACTS[fact]
    return {name: _SAMPLES[f.type] for name, f in {**COMMON_FIELDS, **spec.fields}.items()}


@lru_cache(maxsize=4096)
def count_en(number: int, noun: str) -> str:
    """An English count with its plural: (1, "day") → "1 day", (2, "day") → "2 days" (a few
    hundred distinct counts, written for every measure of every judgement: kept)."""
    return f"{format_number(Decimal(number))} {noun}{'' if number == 1 else 's'}"
