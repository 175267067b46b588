"""A level reached against a target in the same sentence (mức đạt được so với mục tiêu).

Notices and reports set a target and then say where things stand: "phủ sóng 5G trên phạm vi
toàn quốc, phải đạt 90% trong năm 2025 (đến nay mới đạt 39,5%)". The figure after "đến nay /
hiện nay / mới / chỉ đạt" is an observation of the level itself: its value is the percentage
(unit %), it has no % of plan, and its period is the one its clause writes ("đến nay" is the
issue date, ``kg.extract.spans``). Only a clause that states the target first ("phải đạt",
"phấn đấu", "mục tiêu", "chỉ tiêu" with a percentage) is read, and a percentage followed by a
plan basis is left to ``kg.extract.observations`` (a plan comparison).
"""

from __future__ import annotations

import re

from kg.extract.bases import BASIS_PATTERN
from kg.extract.header import DocumentHeader
from kg.extract.model import Observation
from kg.extract.observations import clause_bounds
from kg.extract.spans import find_periods
from kg.extract.subjects import SubjectReader
from kg.extract.text import LogicalLine
from kg.notation import Period

_RESULT = re.compile(
    r"(?<![\wÀ-ỹ])(?:(?:đến\s+nay|hiện\s+nay|hiện)\s+(?:mới\s+|chỉ\s+)?|mới\s+|chỉ\s+)đạt\s+"
    r"(?:(?:khoảng|gần|trên|hơn)\s+)?(?P<pct>[0-9][0-9.,]*)\s?%",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"(?<![\wÀ-ỹ])(?:phải\s+đạt|phấn\s+đấu(?:\s+đạt)?|mục\s+tiêu|chỉ\s+tiêu)\s+[^;%]{0,40}?"
    r"[0-9][0-9.,]*\s?%",
    re.IGNORECASE,
)
_BASIS_AFTER = re.compile(rf"\s*(?:tổng\s+)?{BASIS_PATTERN}", re.IGNORECASE)
_MARKERS = re.compile(r"\*\*|\(\s*[0-9]{1,2}\s*\)|^[\s,;:.\-–]+")


def _period(text: str, end: int, default: Period | None,
            header: DocumentHeader | None) -> Period | None:
    year, today = (header.year, header.date) if header else (None, None)
    found = [p for p in find_periods(text[:end], default, year, today)]
    return found[-1].period if found else default


def levels_in(line: LogicalLine, default: Period | None, header: DocumentHeader | None = None,
              subjects: SubjectReader | None = None) -> list[Observation]:
    """The levels stated against a target in ``line`` (see the module docstring)."""
    text = line.clean.text
    found: list[Observation] = []
    for match in _RESULT.finditer(text):
        if _BASIS_AFTER.match(text, match.end()):
            continue
        begin, _limit = clause_bounds(text, match.start())
        target = _TARGET.search(text, begin, match.start())
        if target is None:
            continue
        indicator = " ".join(_MARKERS.sub(" ", text[begin:target.start()]).split()).strip(" ,;:")
        period = _period(text[begin:], match.end() - begin, default, header)
        quote, line_no = line.quote(target.start(), match.end())
        found.append(Observation(
            indicator=indicator, indicator_id=None, candidates=[],
            period=period.code if period else None,
            period_kind=period.kind if period else None,
            value=match["pct"], unit="%", pct_of_plan=None, plan_basis=None,
            plan_basis_text=None, basis_stated=False, yoy_change_pct=None, kind="actual",
            footnote=line.footnote, line=line_no, quote=quote,
            subject=subjects.in_sentence(text[begin:target.start()]) if subjects else None,
        ))
    return found
