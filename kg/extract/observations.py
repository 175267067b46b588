"""Plan-comparison facts in report sentences (số liệu so với kế hoạch).

A plan fact is a percentage of a plan or budget: "đạt 99,5% kế hoạch", "bằng 100% kế hoạch
vốn", "đạt 98,2% dự toán", "vượt 3,2%" (= 103,2 % of plan). The basis is often stated once
at the head of a list and dropped after ("..., đạt 90,1% kế hoạch; doanh thu 3.177 tỷ đồng,
đạt 73,8%"): a bare "đạt X%" after a reported value carries the basis in force; a footnote
inherits the basis of the sentence that cites it. "đạt" also introduces plain values, rates
("tỷ lệ ... đạt 98,3%") and x/y progress: without a value and a basis they are not plan
facts. The value is the last reported quantity before the percentage in the same clause
chain, so in "tháng 11 ước đạt 3.473,2 tỷ đồng, lũy kế 11 tháng 31.573,7 tỷ đồng, đạt 117,4%
kế hoạch" the percentage belongs to the cumulative figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kg.errors import ParseError
from kg.extract.bases import BASIS_PATTERN, SAME_PERIOD, basis_code, basis_family, implied_basis
from kg.extract.header import DocumentHeader
from kg.extract.model import Observation
from kg.extract.spans import PeriodSpan, QuantitySpan, find_periods, find_quantities
from kg.extract.subjects import SubjectReader, body_at
from kg.extract.text import LogicalLine
from kg.notation import Period, format_number, parse_number
from kg.notation.numbers import QUALIFIERS

VERBS: tuple[str, ...] = ("đạt", "bằng", "chiếm", "vượt", "hoàn thành", "thực hiện",
                          "giải ngân")
"""Verbs that put a percentage in relation to a basis ("đạt được 95%", "hoàn thành 100% kế
hoạch", "giải ngân 41,97% kế hoạch vốn"); only "đạt" and "vượt" carry a basis in force to
a bare percentage, the others need their basis written."""

FUTURE_WORDS: tuple[str, ...] = ("phấn đấu", "dự kiến đạt", "mục tiêu đến", "phải đạt",
                                 "mục tiêu:", "quyết tâm", "cố gắng", "nhằm đạt", "để đạt")
"""A clause holding these states a goal, not a reported fact."""

RATE_WORDS: tuple[str, ...] = ("tỷ lệ", "tỉ lệ")
"""A bare "đạt X%" of a rate is the rate itself, not a plan comparison."""

_RESULT_BEFORE = re.compile(r"(?:đến\s+nay|hiện\s+nay|mới|chỉ)\s+$", re.IGNORECASE)
"""A result after a goal in the same sentence ("phải đạt 90% kế hoạch, đến nay đạt 39,5% kế
hoạch"): the goal words do not make it a goal."""

REUSE_WORDS = 4
"""A second percentage this close to the first ("đạt 67,4% kế hoạch đầu năm, đạt 70,9% kế
hoạch sau điều chỉnh") compares the same value with another basis."""

_PCT = r"(?P<pct>[0-9][0-9.,]*)\s?%"
_VERB = "|".join(verb.replace(" ", r"\s+") for verb in VERBS)
_ANCHOR = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<verb>{_VERB})\s+"
    rf"(?:được\s+)?(?:(?:khoảng|gần|trên|hơn)\s+)?{_PCT}"
    rf"(?:\s*(?:tổng\s+)?{BASIS_PATTERN})?",
    re.IGNORECASE,
)
_PAREN = re.compile(rf"(?<=[\wÀ-ỹ])\s*\(\s*{_PCT}\s*\)")
_MENTION = re.compile(rf"{_PCT}\s*(?:tổng\s+)?{BASIS_PATTERN}", re.IGNORECASE)
_YOY = re.compile(
    r"(?P<dir>tăng|giảm)\s+(?P<pct>[0-9][0-9.,]*)\s?%"
    r"|bằng\s+(?P<eq>[0-9][0-9.,]*)\s?%\s*(?:so\s+với\s+)?cùng\s+kỳ",
    re.IGNORECASE,
)
_PERIOD_MODIFIED = re.compile(
    r"(?:kế\s+hoạch|dự\s+toán|so\s+với|cùng\s+kỳ|chương\s+trình|năm\s+học|đề\s+án)\s*$",
    re.IGNORECASE,
)
_VERBS_ONLY = re.compile(
    r"(?:(?:ước|đạt|được|thực\s+hiện|là|có|khoảng|trên|trong\s+đó|đã|thu\s+hút)\s*)*",
    re.IGNORECASE,
)
_DELIMITER = re.compile(r"[;:]|,(?=\s)|\((?!\s*[0-9])|\)")
_SENTENCE_END = re.compile(r"[.!?…](?:\s+|$)(?=[A-ZĐÀ-Ỹ0-9\"“(]|$)")
_LEAD_WORDS = re.compile(
    r"^(?:(?:trong\s+đó|cụ\s+thể|gồm|và|riêng|còn|như|với|đồng\s+thời|ngoài\s+ra)[\s:,]+)+",
    re.IGNORECASE,
)
_TRAIL_WORDS = re.compile(
    r"(?:\s+(?:ước|đạt|được|là|thực\s+hiện|có|đến|khoảng|trên|dưới|đã|cho|tính|chỉ|mới))+\s*$",
    re.IGNORECASE,
)


@dataclass
class _Anchor:
    start: int
    end: int
    verb: str
    pct: str
    basis: str | None
    basis_text: str | None


@dataclass
class _Context:
    """What one logical line knows while it is read: the basis in force and the last fact."""

    line: LogicalLine
    quantities: list[QuantitySpan]
    periods: list[PeriodSpan]
    sentences: list[int]
    basis: tuple[str, str] | None = None
    subjects: SubjectReader | None = None
    last: Observation | None = None
    last_end: int = -1
    last_period: Period | None = None


def _pct_value(anchor: _Anchor) -> str | None:
    try:
        number = parse_number(anchor.pct)
    except ParseError:
        return None
    if anchor.verb == "vượt":
        return format_number(Decimal(100) + number)
    return anchor.pct


def _anchors(text: str) -> list[_Anchor]:
    found = [
        _Anchor(m.start(), m.end(), " ".join(m["verb"].lower().split()), m["pct"],
                basis_code(m["basis"]) if m["basis"] else None, m["basis"])
        for m in _ANCHOR.finditer(text)
    ]
    taken = {(a.start, a.end) for a in found}
    for m in _PAREN.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            found.append(_Anchor(m.start(), m.end(), "(", m["pct"], None, None))
    return sorted(found, key=lambda a: a.start)


def _sentence_start(ctx: _Context, position: int) -> int:
    starts = [s for s in ctx.sentences if s <= position]
    return starts[-1] if starts else 0


def period_at(line: LogicalLine, position: int, default: Period | None,
              header: DocumentHeader | None = None) -> Period | None:
    """The period written in the clause around ``position`` (see ``basis_at``), if any: a
    footnote cited there reports on the same period."""
    text = line.clean.text
    begin, limit = clause_bounds(text, position)
    periods = [p for p in find_periods(text[begin:limit], default, *_dating(header))
               if not _PERIOD_MODIFIED.search(text[begin:begin + p.start])]
    before = [p for p in periods if begin + p.start <= position]
    chosen = before[-1:] or periods[:1]
    return chosen[0].period if chosen else None


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text, 0, position)]
    begin = max(starts[-1], text.rfind(";", 0, position) + 1)
    end_match = _SENTENCE_END.search(text, position)
    limit = end_match.start() if end_match else len(text)
    semicolon = text.find(";", position)
    return begin, (min(limit, semicolon) if semicolon >= 0 else limit)


def basis_at(line: LogicalLine, position: int) -> tuple[str, str] | None:
    """The plan basis stated in the clause around ``position`` of ``line.clean.text`` (the
    clause runs between semicolons or sentence ends): the last one before ``position``, else
    the first one after it. A footnote cited there inherits it."""
    text = line.clean.text
    begin, limit = clause_bounds(text, position)
    mentions = [(m.start(), basis_code(m["basis"]), m["basis"])
                for m in _MENTION.finditer(text, begin, limit)]
    mentions = [m for m in mentions if m[1] != SAME_PERIOD]
    before = [m for m in mentions if m[0] <= position]
    if before:
        return before[-1][1], before[-1][2]
    return (mentions[0][1], mentions[0][2]) if mentions else None


_QUALIFIER = re.compile(r"(?<![\wÀ-ỹ])(?:của|thuộc|gồm|với)\s+$", re.IGNORECASE)
"""A count after these qualifies the figure before it ("3.821 tỷ đồng của 120 dự án"): it
is not the figure's value."""


def _value(ctx: _Context, start: int, end: int) -> QuantitySpan | None:
    """The last reported quantity in ``start:end``; one written in parentheses ("08 trường
    (tăng 02 trường so với cùng kỳ)") or qualifying another ("của 120 dự án") only when there
    is no other."""
    text = ctx.line.clean.text
    values = [q for q in ctx.quantities if q.is_value and start <= q.start and q.end <= end]
    outside = [q for q in values
               if text.count("(", start, q.start) <= text.count(")", start, q.start)]
    chosen = outside or values
    if len(chosen) > 1 and _QUALIFIER.search(text, max(0, chosen[-1].start - 12),
                                             chosen[-1].start):
        chosen = chosen[:-1]
    return chosen[-1] if chosen else None


def _clause_start(text: str, start: int, end: int) -> int:
    """Where the clause holding ``end`` begins: after the last ";", ":" or "," (a comma
    followed by a space; "5.020,69" holds a decimal comma) between ``start`` and ``end``."""
    cuts = [m.end() for m in _DELIMITER.finditer(text, start, end)]
    return cuts[-1] if cuts else start


def _period(ctx: _Context, start: int, value: tuple[int, int],
            default: Period | None) -> Period | None:
    """The period of the value at ``value``: the last one written in its clause, else in
    the clauses before it up to a ";" ("hết năm 2024, ước thu hút khoảng 4.160 nghìn
    lượt"), else the report's. A period naming a plan or a comparison ("kế hoạch 6 tháng
    cuối năm", "so với tháng 11/2022") is not the value's period."""
    text = ctx.line.clean.text
    semicolon = text.rfind(";", start, value[0])
    scope = semicolon + 1 if semicolon >= 0 else start
    clause = _clause_start(text, scope, value[0])
    usable = [p for p in ctx.periods if scope <= p.start and p.end <= value[1]
              and not _PERIOD_MODIFIED.search(text, max(0, p.start - 20), p.start)]
    near = [p for p in usable if p.start >= clause]
    chosen = near or usable
    period = chosen[-1].period if chosen else default
    earlier = _SAME_PERIOD_OF.search(text, scope, value[0])
    if earlier and period is not None and not _COMPARED_TO.search(
            text, max(0, earlier.start() - 12), earlier.start()):
        return _in_year(period, int(earlier["year"]))
    return period


_SAME_PERIOD_OF = re.compile(r"(?<![\wÀ-ỹ])cùng\s+kỳ\s+(?:năm\s+)?(?P<year>(?:19|20)[0-9]{2})",
                             re.IGNORECASE)
_COMPARED_TO = re.compile(r"(?:so\s+với|với|bằng|hơn)\s+$", re.IGNORECASE)


def _in_year(period: Period, year: int) -> Period:
    """``period`` moved to ``year``: a figure of "cùng kỳ năm 2022" in a 6-month report of
    2023 is of 6T/2022 (a span of years, or a day that year lacks, stays as it is)."""
    if period.kind == "multi_year" or period.year == year:
        return period
    try:
        return Period.from_code(period.code.replace(str(period.year), str(year)))
    except ParseError:
        return period


def _yoy(text: str, start: int, end: int) -> str | None:
    match = _YOY.search(text, start, end)
    if not match:
        return None
    try:
        if match["eq"]:
            return format_number(parse_number(match["eq"]) - Decimal(100))
        number = parse_number(match["pct"])
    except ParseError:
        return None
    return format_number(-number) if match["dir"].lower() == "giảm" else match["pct"]


def _name_of(ctx: _Context, start: int, end: int) -> str:
    """A clause without its periods, lead words ("trong đó") and trailing verbs ("ước đạt")."""
    text = ctx.line.clean.text
    pieces, position = [], start
    for period in ctx.periods:
        if start <= period.start and period.end <= end:
            pieces.append(text[position:period.start])
            position = period.end
    pieces.append(text[position:end])
    name = " ".join(" ".join(pieces).replace("**", " ").split())
    name = _LEAD_WORDS.sub("", name)
    name = _TRAIL_WORDS.sub("", name).strip(" ,;:-")
    return re.sub(r"^(?:ước|đạt|được|thực\s+hiện)\s+", "", name, flags=re.IGNORECASE).strip()


def _indicator_text(ctx: _Context, start: int, end: int) -> tuple[str, int]:
    """The name of what is measured: the clause before the value; when that clause holds
    only a period or verbs ("lũy kế 11 tháng ước đạt"), the subject of the sentence (its
    words before the first value: "Tổng kim ngạch xuất nhập khẩu qua địa bàn tỉnh"); a
    value right after a colon is named before it ("Vốn nước ngoài: 135 tỷ đồng")."""
    text = ctx.line.clean.text
    offset = _clause_start(text, start, end)
    name = _name_of(ctx, offset, end)
    if not name and offset > start and text[offset - 1] == ":":
        head = max(start, *(text.rfind(c, start, offset - 1) + 1 for c in ";:"))
        name, offset = _name_of(ctx, head, offset - 1), head
    if _VERBS_ONLY.fullmatch(name) and offset > start:
        first = [q.start for q in ctx.quantities if q.is_value and start <= q.start < end]
        offset = start
        name = _name_of(ctx, start, min(first) if first else end)
    begin = text.find(name.split(" ")[0], offset) if name else offset
    return name, (begin if begin >= 0 else offset)


def _is_goal(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in FUTURE_WORDS)


def _accept(ctx: _Context, anchor: _Anchor, window: str, value: QuantitySpan | None,
            head: str) -> tuple[str, str] | None:
    """The basis of ``anchor`` if it is a plan fact, else None."""
    if anchor.basis == SAME_PERIOD:
        return None
    if anchor.basis:
        return anchor.basis, anchor.basis_text or ""
    implied = implied_basis(window) if anchor.verb in ("đạt", "vượt") else None
    if ctx.basis is None or (implied and basis_family(implied[0]) != basis_family(ctx.basis[0])):
        return implied  # "; giải ngân ... chỉ đạt 41,97%" after a budget line's "dự toán"
    if anchor.verb == "(":
        return ctx.basis if value is None and ":" in head else None
    lowered = window.lower()
    if value is None and anchor.verb == "đạt" and body_at(window.strip(" ;,.-+")):
        return ctx.basis  # "...kế hoạch vốn; huyện Krông Pắc đạt 30,5%": the body's share
    if anchor.verb not in ("đạt", "vượt") or value is None or value.progress_of:
        return None
    if any(word in lowered for word in RATE_WORDS):
        return None
    return ctx.basis


def _rate_without_value(ctx: _Context, start: int, anchor: _Anchor) -> bool:
    """Whether the clause right before ``anchor`` names a rate and holds no value of its own
    ("(27.429,6 tỷ đồng), ước tỷ lệ giải ngân đạt 59,7%"): the percentage is the rate, the
    amount before is another figure."""
    text = ctx.line.clean.text
    clause = _clause_start(text, start, anchor.start)
    words = text[clause:anchor.start].lower()
    if not any(word in words for word in RATE_WORDS):
        return False
    return not any(q.is_value and clause <= q.start < anchor.start for q in ctx.quantities)


def _observe(ctx: _Context, anchor: _Anchor, default: Period | None) -> Observation | None:
    text = ctx.line.clean.text
    sentence = _sentence_start(ctx, anchor.start)
    start = max(sentence, ctx.last_end if ctx.last_end >= sentence else sentence)
    window = text[start:anchor.start]
    if anchor.verb == "(":
        value = _value(ctx, _clause_start(text, start, anchor.start), anchor.start)
    else:
        value = _value(ctx, start, anchor.start)
    if value is not None and _rate_without_value(ctx, start, anchor):
        value = None
    relative = (QuantitySpan(value.start - start, value.end - start, value.number, value.unit,
                             value.value, False, True, value.progress_of) if value else None)
    _update_basis(ctx, sentence, start, anchor.start)
    basis = _accept(ctx, anchor, window, relative, text[sentence:anchor.start])
    if anchor.basis and anchor.basis != SAME_PERIOD:
        ctx.basis = (anchor.basis, anchor.basis_text or "")
    goal = _is_goal(text[sentence:anchor.end]) and not _RESULT_BEFORE.search(
        text, max(0, anchor.start - 20), anchor.start)
    if basis is None or goal:
        return None
    pct = _pct_value(anchor)
    if pct is None:
        return None
    reuse = (value is None and ctx.last is not None and ctx.last_end >= sentence
             and not re.search(r"[;.]", window) and len(window.split()) <= REUSE_WORDS)
    if reuse:
        name, name_at = ctx.last.indicator, start
    else:
        name, name_at = _indicator_text(ctx, sentence, value.start if value else anchor.start)
    next_stop = _next_stop(ctx, anchor.end)
    yoy = _yoy(text, value.end, anchor.start) if value else None
    yoy = yoy or _yoy(text, anchor.end, next_stop)
    span = (value.start, value.end) if value else (anchor.start, anchor.start)
    period = ctx.last_period if reuse else _period(ctx, sentence, span, default)
    quote, line_no = ctx.line.quote(name_at if not reuse else anchor.start, anchor.end)
    estimate = re.search(r"(?<![\wÀ-ỹ])ước(?![\wÀ-ỹ])", text[sentence:anchor.start], re.I)
    return Observation(
        indicator=name,
        indicator_id=ctx.last.indicator_id if reuse else None,
        candidates=[],
        period=period.code if period else None,
        period_kind=period.kind if period else None,
        value=(ctx.last.value if reuse else _written_value(text, value) if value else None),
        unit=(ctx.last.unit if reuse else value.unit if value else None),
        pct_of_plan=pct,
        plan_basis=basis[0],
        plan_basis_text=basis[1] or None,
        basis_stated=anchor.basis is not None,
        yoy_change_pct=yoy,
        kind="estimate" if estimate else "actual",
        footnote=ctx.line.footnote,
        line=line_no,
        quote=quote,
        subject=(ctx.last.subject if reuse else _subject(ctx, sentence, span[0])),
    )


def _subject(ctx: _Context, sentence: int, end: int) -> str | None:
    if ctx.subjects is None:
        return None
    return ctx.subjects.in_sentence(ctx.line.clean.text[sentence:end])


def _update_basis(ctx: _Context, sentence: int, start: int, end: int) -> None:
    """A basis stated without a verb ("dưới 75% dự toán giao:") comes into force; a basis
    holds to the end of the logical line (a list head often opens its own sentence)."""
    text = ctx.line.clean.text
    for match in _MENTION.finditer(text, start, end):
        code = basis_code(match["basis"])
        if code != SAME_PERIOD:
            ctx.basis = (code, match["basis"])


def _period_of(observation: Observation) -> Period | None:
    try:
        return Period.from_code(observation.period) if observation.period else None
    except ParseError:
        return None


def _written_value(text: str, value: QuantitySpan) -> str:
    """The value as written, with its qualifier ("trên 320,6", "khoảng 16.500")."""
    before = text[max(0, value.start - 12):value.start].lower()
    for qualifier in QUALIFIERS:
        if before.endswith(qualifier + " "):
            return f"{qualifier} {value.number}"
    return value.number


def _next_stop(ctx: _Context, position: int) -> int:
    text = ctx.line.clean.text
    stops = [q.start for q in ctx.quantities if q.is_value and q.start >= position]
    end = _SENTENCE_END.search(text, position)
    stops.append(end.start() if end else len(text))
    semicolon = text.find(";", position)
    if semicolon >= 0:
        stops.append(semicolon)
    return min(stops)


def _dating(header: DocumentHeader | None) -> tuple[int | None, date | None]:
    return (header.year, header.date) if header else (None, None)


def observations_in(line: LogicalLine, default: Period | None,
                    inherited: tuple[str, str] | None = None,
                    header: DocumentHeader | None = None,
                    subjects: SubjectReader | None = None) -> list[Observation]:
    """Plan facts of one logical line. ``inherited`` is the basis in force where a footnote
    is cited; ``header`` gives the year of a period written without one and the day "đến
    nay" stands for; ``subjects`` tells whose figure each is (``kg.extract.subjects``)."""
    text = line.clean.text
    ctx = _Context(line, find_quantities(text), find_periods(text, default, *_dating(header)),
                   [0] + [m.end() for m in _SENTENCE_END.finditer(text)], basis=inherited,
                   subjects=subjects)
    found: list[Observation] = []
    for anchor in _anchors(text):
        observation = _observe(ctx, anchor, default)
        if observation is not None:
            found.append(observation)
            ctx.last = observation
            ctx.last_period = _period_of(observation)
        ctx.last_end = anchor.end
    return found
