"""Footnote markers glued to the text (dấu chú thích dính liền chữ, số).

Report exports glue the footnote number to the word before it: "2,37%⁵", "kế hoạch31",
"tỷ đồng28", "năm 202431", "(năm 2023 đạt 81,5%)15", or bracket it: "5.800 triệu USD  [3]",
"[^3]". ``strip_markers`` removes them and
remembers where each stood, so a footnote can inherit the context of the sentence citing it.
Units are not markers: "nghìn m³", "m2", "km2" stay; codes ("QH15", "Km18-Km80", "COVID-19")
are not touched because their letters are capitals or the digits are not followed by a
boundary.

The clean text also mends a few tone-mark slips of real sources that would hide a plan basis
or a period ("kể hoạch" for "kế hoạch", "lűy kế" for "lũy kế"): each is the same length as its
mend, so positions and quotes (always taken from the raw text) are unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
UNIT_WORDS_WITH_POWER: frozenset[str] = frozenset({"m", "km", "cm", "dm", "mm", "ha"})
"""Words a power digit may follow as part of a unit ("m³", "km2")."""

_END = r"(?=[\s.,;:)\]”\"'…]|$)"
_LETTER_MARKER = re.compile(rf"(?<![\w])([a-zà-ỹđ]+)([0-9]{{1,3}}){_END}")
_AFTER_SIGN = re.compile(rf"([%)”\"])([0-9]{{1,3}}){_END}")
_YEAR_MARKER = re.compile(rf"((?:năm|Năm|/)\s*(?:19|20)[0-9]{{2}})([0-9]{{1,2}}){_END}")
_BRACKET = re.compile(r"\s*\[\^?([0-9]{1,3})\]")
_SUPER = re.compile(rf"([{SUPERSCRIPTS}]+)")

_SLIP_WORDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("kể", "kê", "kề", "kệ", "kễ"), "kế", " hoạch"),
    (("lűy", "lủy", "lụy", "lúy", "lùy"), "lũy", " kế"),
    (("dư", "dừ", "dử"), "dự", " toán"),
)
SLIPS: tuple[tuple[str, str], ...] = tuple(
    pair
    for slips, right, tail in _SLIP_WORDS
    for slip in slips
    for pair in ((slip + tail, right + tail),
                 (slip.capitalize() + tail, right.capitalize() + tail))
)
"""Tone-mark slips of real sources and their mends, each the same length ("kể hoạch" →
"kế hoạch", "lűy kế" → "lũy kế", "dư toán" → "dự toán"), in lower case and capitalised."""


@dataclass
class CleanText:
    """Text without footnote markers; ``index[i]`` is the position in the raw text of
    ``text[i]``; ``markers`` lists (footnote number, position in ``text``)."""

    text: str
    index: list[int]
    raw_length: int
    markers: list[tuple[int, int]] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covering ``text[start:end]``."""
        if not self.index:
            return 0, 0
        start = min(max(start, 0), len(self.index) - 1)
        end = min(max(end, start + 1), len(self.index))
        return self.index[start], self.index[end - 1] + 1


def _super_value(digits: str) -> int:
    return int("".join(str(SUPERSCRIPTS.index(c)) for c in digits))


def _marker_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number) of every marker in ``text``."""
    spans: list[tuple[int, int, int]] = []
    for match in _SUPER.finditer(text):
        before = re.search(r"([A-Za-z]+)\s?$", text[: match.start()])
        if before and before[1].lower() in UNIT_WORDS_WITH_POWER and match[1] in ("²", "³"):
            continue
        spans.append((match.start(), match.end(), _super_value(match[1])))
    for match in _LETTER_MARKER.finditer(text):
        word = match[1]
        if word.lower() in UNIT_WORDS_WITH_POWER or len(word) < 2:
            continue
        spans.append((match.start(2), match.end(2), int(match[2])))
    for match in _BRACKET.finditer(text):
        spans.append((match.start(), match.end(), int(match[1])))
    for pattern in (_AFTER_SIGN, _YEAR_MARKER):
        for match in pattern.finditer(text):
            spans.append((match.start(2), match.end(2), int(match[2])))
    spans.sort()
    merged: list[tuple[int, int, int]] = []
    for span in spans:
        if not merged or span[0] >= merged[-1][1]:
            merged.append(span)
    return merged


def strip_markers(text: str) -> CleanText:
    """Remove footnote markers from ``text``, keeping a map back to the raw positions."""
    out: list[str] = []
    index: list[int] = []
    markers: list[tuple[int, int]] = []
    position = 0
    for start, end, number in _marker_spans(text):
        out.append(text[position:start])
        index.extend(range(position, start))
        markers.append((number, len(index)))
        position = end
    out.append(text[position:])
    index.extend(range(position, len(text)))
    return CleanText(_mend("".join(out)), index, len(text), markers)


def _mend(text: str) -> str:
    for slip, mend in SLIPS:
        text = text.replace(slip, mend)
    return text
