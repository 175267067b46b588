"""Progress and completion statements (báo cáo tiến độ nhiệm vụ) and the tasks they report on.

A later report says what became of earlier tasks: "đã khởi công Dự án tuyến cao tốc ...",
"đã ban hành Kế hoạch ...", "Hội đồng ... biểu quyết công nhận ...", "đang triển khai ...".
``statements_in`` finds such clauses in the report part of a document (never inside its task
section, where "đã ban hành" qualifies a new task); ``link`` matches each to the known open
task it is about by the overlap of content words (syllable pairs weighted by how rare they
are among the tasks), conservatively: a clause is linked only when it covers enough of one
task's distinctive words and clearly more than any other task's. ``continuing_directive``
tells a standing directive ("tiếp tục", "thường xuyên", "duy trì" ...) from a task with an
end. Nothing here guesses a completion date: the statement's report date is the evidence date.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from kg.dating import document_dates
from kg.errors import ParseError
from kg.extract.text import LogicalLine
from kg.notation import Period

COMPLETED = "completed"
IN_PROGRESS = "in_progress"

_PHRASES: tuple[tuple[str, str], ...] = (
    (r"đã\s+(?:được\s+)?hoàn\s+thành", COMPLETED),
    (r"đã\s+(?:tổ\s+chức\s+)?khởi\s+công", COMPLETED),
    (r"đã\s+(?:được\s+)?ban\s+hành", COMPLETED),
    (r"(?:đã|sau\s+đó)\s+(?:đệ\s+)?trình", COMPLETED),
    (r"đã\s+(?:được\s+)?(?:chính\s+thức\s+)?công\s+nhận", COMPLETED),
    (r"biểu\s+quyết\s+công\s+nhận", COMPLETED),
    (r"đã\s+(?:được\s+)?phê\s+duyệt", COMPLETED),
    (r"đã\s+(?:được\s+)?thành\s+lập", COMPLETED),
    (r"hoàn\s+thành\s+(?:phê\s+duyệt|trình|xây\s+dựng)", COMPLETED),
    (r"trình\s+Thủ\s+tướng\s+Chính\s+phủ\s+phê\s+duyệt", COMPLETED),
    (r"đang\s+(?:triển\s+khai|thực\s+hiện|hoàn\s+thiện|xin\s+ý\s+kiến|được\s+xin\s+ý\s+kiến)",
     IN_PROGRESS),
    (r"(?:đã\s+|xây\s+dựng\s+)dự\s+thảo|hoàn\s+thiện\s+hồ\s+sơ", IN_PROGRESS),
)
PROGRESS = re.compile("|".join(f"(?P<p{i}>{p})" for i, (p, _s) in enumerate(_PHRASES)),
                      re.IGNORECASE)
"""Statement phrases; ``đang ...`` is work in progress, never a completion."""

_PART = re.compile(r"trong\s+đó|dự\s+thảo", re.IGNORECASE)
"""Before a completion phrase: only a part is done ("trong đó"), or a draft is what goes up."""
_YEARS = re.compile(r"(?<![0-9])20[0-9]{2}(?![0-9])")
_BOUNDARY = re.compile(r"[.;:!?]\s|[.;:!?]$")
_SECTION = re.compile(r"nhiệm\s+vụ|phương\s+hướng", re.IGNORECASE)
_REVIEW = re.compile(r"tình\s+hình|kết\s+quả", re.IGNORECASE)

CONTINUING_LEADS = ("tiếp tục", "duy trì", "đẩy mạnh", "tăng cường", "thường xuyên",
                    "thực hiện tốt", "theo dõi", "nâng cao", "quản lý", "bảo đảm", "đảm bảo",
                    "chủ động", "phòng, chống", "phòng chống")
"""A directive opening with one of these is a standing one (nhiệm vụ thường xuyên): keep
doing, keep up, manage, watch — a duty with no deliverable that would end it."""
CONTINUING_ANYWHERE = ("thường xuyên", "kịp thời")
"""Words that make a directive a standing duty wherever they stand."""
_END_WORDS = re.compile(
    r"\b(?:hoàn\s+thành|trước\s+ngày|hết\s+năm|trong\s+quý|trong\s+tháng|chậm\s+nhất|"
    r"khởi\s+công|ban\s+hành|phê\s+duyệt|thành\s+lập|tổng\s+kết|sơ\s+kết|trình|đăng\s+cai|"
    r"xây\s+dựng\s+(?:kế\s+hoạch|đề\s+án|nghị\s+quyết|chương\s+trình|quy\s+hoạch|"
    r"phương\s+án)|tổ\s+chức\s+(?:hội\s+nghị|lễ|giải|cuộc\s+thi|hội\s+thi|đoàn|diễn\s+tập))\b",
    re.IGNORECASE,
)
"""A deliverable or a date in the directive: it has an end, so it is not a standing one."""

STOP_SYLLABLES = frozenset(
    "và các của cho với theo trên tại trong đến từ là được đã đang sẽ có không một những này "
    "đó khi để về như nhằm bảo đảm đảm tỉnh lạng sơn thực hiện tổ chức triển khai tập trung "
    "tiếp tục đẩy mạnh nhanh tăng cường hiệu quả tốt năm 2023 2024 2025 số ngày tháng quý "
    "công tác nhiệm vụ giải pháp kế hoạch chỉ đạo ubnd hđnd sở ban ngành cấp huyện thành phố "
    "phối hợp chủ trì trọng tâm quyết liệt đồng bộ nhất là".split())
"""Syllables too common in plan text to tell one task from another."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _syllables(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


def content_pairs(text: str) -> set[str]:
    """Pairs of neighbouring syllables (most Vietnamese words are two syllables), without
    pairs made only of common syllables."""
    words = _syllables(text)
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
            if not (a in STOP_SYLLABLES and b in STOP_SYLLABLES)}


@lru_cache(maxsize=65536)
def continuing_directive(summary: str, target: str | None = None) -> bool:
    """True for a standing directive: it opens with one of ``CONTINUING_LEADS`` ("tiếp tục",
    "duy trì", "đẩy mạnh", "tăng cường", "thực hiện tốt", "theo dõi", "quản lý" …) or says
    "thường xuyên" / "kịp thời" (not "chi thường xuyên", recurrent spending) — and names no
    quantified target and no deliverable or date that would end it (``_END_WORDS``: hoàn
    thành, ban hành, khởi công, phê duyệt, trình, xây dựng kế hoạch/đề án …)."""
    text = " ".join(_fold(summary).split())
    text = re.sub(r"\b(?:chi|kinh\s+phí)\s+thường\s+xuyên\b", " ", text)  # recurrent spending
    if target or not text:
        return False
    lead = text.startswith(CONTINUING_LEADS)
    anywhere = any(re.search(rf"\b{w}\b", text) for w in CONTINUING_ANYWHERE)
    if not (lead or anywhere):
        return False
    return not _END_WORDS.search(text)


@dataclass
class ProgressStatement:
    """A clause of a report saying a piece of work is done (``completed``) or under way
    (``in_progress``); ``phrase`` is the words that say so, ``quote`` the verbatim clause."""

    status: str
    phrase: str
    clause: str
    line: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _status(match: re.Match[str]) -> str:
    index = int(next(k for k, v in match.groupdict().items() if v is not None)[1:])
    return _PHRASES[index][1]


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start:end``: from the previous sentence or clause boundary to the
    next one."""
    before = [m.end() for m in _BOUNDARY.finditer(text, 0, start)]
    after = _BOUNDARY.search(text, end)
    return (before[-1] if before else 0), (after.start() + 1 if after else len(text))


def _clause_status(text: str, start: int, matches: list[re.Match[str]]) -> re.Match[str]:
    """The phrase that says what a clause reports: a completion, unless it only concerns a
    part ("trong đó đã hoàn thành ..." — among the work, one piece is done: in progress);
    else the first phrase."""
    for match in matches:
        if _status(match) == COMPLETED and not _PART.search(text, start, match.start()):
            return match
    return matches[0]


def statements_in_line(line: LogicalLine) -> list[ProgressStatement]:
    """Progress statements of one logical line (a paragraph or a footnote), one per clause."""
    text = line.clean.text
    clauses: dict[tuple[int, int], list[re.Match[str]]] = {}
    for match in PROGRESS.finditer(text):
        clauses.setdefault(_clause(text, match.start(), match.end()), []).append(match)
    out: list[ProgressStatement] = []
    for (start, end), matches in clauses.items():
        clause = " ".join(text[start:end].split()).rstrip(" ;.:")
        if len(clause.split()) < 4:
            continue
        match = _clause_status(text, start, matches)
        status = _status(match)
        if status == COMPLETED and _PART.search(text, start, match.start()):
            status = IN_PROGRESS
        quote, line_no = line.quote(start, end)
        out.append(ProgressStatement(status, " ".join(match[0].split()), clause, line_no,
                                     quote.rstrip(" ;.:")))
    return out


def statements_in(lines: Iterable[LogicalLine]) -> list[ProgressStatement]:
    """Progress statements of a report's review part: a task section (a heading naming
    "nhiệm vụ" or "phương hướng", not "tình hình"/"kết quả") is skipped up to the next
    review heading."""
    out: list[ProgressStatement] = []
    in_tasks = False
    for line in lines:
        if line.heading:
            text = " ".join(line.text.split())
            if _SECTION.search(text) and not _REVIEW.search(text):
                in_tasks = True
            elif _REVIEW.search(text):
                in_tasks = False
            continue
        if not in_tasks:
            out.extend(statements_in_line(line))
    return out


@dataclass(frozen=True)
class KnownTask:
    """A task a statement may report on: its id, summary and the date it was assigned."""

    id: str
    summary: str
    assigned_on: date | None = None
    deadline: date | None = None


@dataclass
class TaskLink:
    """A statement linked to the task it reports on, with the match score (0–1) and the
    runner-up task's score."""

    statement: ProgressStatement
    task: str
    score: float
    runner_up: float

    def to_dict(self) -> dict[str, Any]:
        return {**self.statement.to_dict(), "task": self.task, "score": round(self.score, 3),
                "runner_up": round(self.runner_up, 3)}


MIN_SCORE = 0.35
"""How close (cosine of the weighted syllable pairs) a clause and a task must be to link."""
MIN_SHARED = 3
"""At least this many shared syllable pairs (a name like "cao tốc cửa khẩu" is four)."""
COMPLETED_MIN_SCORE = 0.45
"""A completion hides a task from the overdue list, so it needs a closer match than progress."""
MARGIN = 0.1
"""The best task must lead the runner-up by this much: an ambiguous clause is not linked.
Both chosen on the curated gold set (docs/extract.md): the highest score and margin that keep
task precision above 0.9."""


class TaskIndex:
    """Known tasks, indexed by their content syllable pairs (rare pairs weigh more)."""

    def __init__(self, tasks: Iterable[KnownTask]) -> None:
        self.tasks = list(tasks)
        self.pairs = {t.id: content_pairs(t.summary) for t in self.tasks}
        self.years = {t.id: set(_YEARS.findall(t.summary)) for t in self.tasks}
        counts: dict[str, int] = {}
        for pairs in self.pairs.values():
            for pair in pairs:
                counts[pair] = counts.get(pair, 0) + 1
        total = max(len(self.tasks), 1)
        self.weight = {p: math.log(1 + total / c) for p, c in counts.items()}

    def scores(self, clause: str, before: date | None = None) -> list[tuple[float, int, str]]:
        """(score, shared pairs, task id) per candidate, best first. The score is the cosine
        of the weighted pairs: high only when the clause and the task share their distinctive
        words (a long task naming three projects scores low on a clause naming one). A
        task assigned on or after ``before`` (the report's date) and a task naming only other
        years than the clause are no candidates."""
        pairs = content_pairs(clause) & set(self.weight)
        total = sum(self.weight[p] ** 2 for p in pairs)
        years = set(_YEARS.findall(clause))
        if total <= 0:
            return []
        out = []
        for task in self.tasks:
            if before is not None and task.assigned_on is not None and task.assigned_on >= before:
                continue
            if years and self.years[task.id] and not years & self.years[task.id]:
                continue
            shared = pairs & self.pairs[task.id]
            if shared:
                own = sum(self.weight[p] ** 2 for p in self.pairs[task.id])
                score = sum(self.weight[p] ** 2 for p in shared) / math.sqrt(total * own)
                out.append((score, len(shared), task.id))
        return sorted(out, reverse=True)

    def link(self, statement: ProgressStatement, before: date | None = None,
             min_score: float | None = None) -> TaskLink | None:
        """The task ``statement`` reports on, or None when no task clearly fits."""
        min_score = MIN_SCORE if min_score is None else min_score
        if statement.status == COMPLETED:
            min_score = max(min_score, COMPLETED_MIN_SCORE)
        ranked = self.scores(statement.clause, before)
        if not ranked:
            return None
        score, shared, task = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if score < min_score or shared < MIN_SHARED or score - runner_up < MARGIN:
            return None
        return TaskLink(statement, task, score, runner_up)


def link_statements(statements: Iterable[ProgressStatement], index: TaskIndex,
                    before: date | None = None) -> list[TaskLink]:
    """Links of the statements that clearly report on one known task (others are dropped)."""
    return [link for s in statements if (link := index.link(s, before)) is not None]


def known_tasks(facts: Iterable[Any]) -> list[KnownTask]:
    """The tasks of a set of facts (the dataset's or the log's current ones), each dated by
    the document that assigned it (its source document, else ``assigned_by``)."""
    facts = list(facts)
    dates = document_dates(facts)
    out = []
    for fact in facts:
        if fact.kind != "task" or not fact.payload.get("summary"):
            continue
        doc = fact.source.doc if fact.source is not None else None
        assigned = dates.get(doc or "") or dates.get(str(fact.payload.get("assigned_by") or ""))
        out.append(KnownTask(fact.key, str(fact.payload["summary"]), assigned,
                             _date(fact.payload.get("deadline"))))
    return out


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def report_date(period: str | None) -> date | None:
    """The evidence date of a report: the end of its own period ("9T/2024" → 2024-09-30)."""
    try:
        return Period.from_code(period).end if period else None
    except ParseError:
        return None


def link_extraction(extraction: Any, tasks: Iterable[KnownTask]) -> list[TaskLink]:
    """Link an extraction's progress statements to the known tasks assigned before the
    report (``extraction.links`` is set and returned)."""
    index = TaskIndex(tasks)
    extraction.links = link_statements(extraction.progress, index,
                                       report_date(extraction.period))
    return extraction.links
