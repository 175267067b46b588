"""Match an indicator name as written to a known indicator (đối chiếu tên chỉ tiêu).

Names are compared with the project's diacritics-insensitive search (``kg.search``: folds
with ``kg.matching.fold``, no diacritics, lower case). A name matches an indicator when it
equals the indicator's name or an alias (``score`` 3), contains one of at least three words
as contiguous whole words (``score`` 2) — the one starting first, then the longest, wins —
or, being at least four words long, is itself contiguous inside a known name. Otherwise the
indicator stays unmatched (``indicator_id`` null) and the closest names by shared words are
offered as ``candidates`` for review: never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import DatasetError, Place
from kg.extract.model import Observation, Target
from kg.search import fold, score

INDICATOR_FILES: tuple[str, ...] = ("indicators.yaml", "indicators_*.yaml")
"""Files of a dataset directory that list indicators."""

MIN_NAME_WORDS = 3
"""A short alias ("GRDP", "doanh thu") matches only as the whole name, never inside a longer
one: "doanh thu" alone would claim every revenue."""

MIN_TEXT_WORDS = 4
"""A written name of at least this many words matches a known name it is part of ("tổng mức
bán lẻ hàng hóa và doanh thu dịch vụ" → "... dịch vụ tiêu dùng")."""

EXACT, CONTIGUOUS = 3.0, 2.0
"""``kg.search.score`` levels: the whole name, its words contiguous inside the text."""

CANDIDATES = 3
STOP = frozenset({"va", "cac", "cua", "tren", "dia", "ban", "tinh", "so", "ty", "le", "tong"})


@dataclass
class IndicatorMatcher:
    """Known indicators: (fold of a name, indicator id) pairs, longest name first."""

    names: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> IndicatorMatcher:
        pairs: set[tuple[str, str]] = set()
        for row in rows:
            key = str(row.get("id") or "")
            if not key:
                continue
            names = [row.get("name"), *(row.get("aliases") or [])]
            for name in names:
                folded = fold(name) if isinstance(name, str) else ""
                if folded:
                    pairs.add((folded, key))
        return cls(sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1])))

    def match(self, text: str) -> tuple[str | None, list[str]]:
        """(indicator id or None, candidate ids when unmatched)."""
        folded = fold(text)
        if not folded:
            return None, []
        for name, key in self.names:
            if score(name, folded) == EXACT:
                return key, []
        inside = [(_position(name, folded), -len(name.split()), key) for name, key in self.names
                  if len(name.split()) >= MIN_NAME_WORDS and score(name, folded) >= CONTIGUOUS]
        if inside:
            return min(inside)[2], []
        if len(folded.split()) >= MIN_TEXT_WORDS:
            for name, key in self.names:
                if score(folded, name) >= CONTIGUOUS:
                    return key, []
        return None, self._candidates(folded)

    def _candidates(self, folded: str) -> list[str]:
        words = set(folded.split()) - STOP
        if not words:
            return []
        scored: dict[str, float] = {}
        for name, key in self.names:
            other = set(name.split()) - STOP
            if not other:
                continue
            score = len(words & other) / len(words | other)
            if score > scored.get(key, 0.0):
                scored[key] = score
        ranked = sorted((s, k) for k, s in scored.items() if s >= 0.2)
        return [k for _, k in sorted(ranked, key=lambda p: (-p[0], p[1]))][:CANDIDATES]

    def annotate(self, observation: Observation | Target) -> None:
        """Fill ``indicator_id`` or ``candidates`` of ``observation``."""
        key, candidates = self.match(observation.indicator)
        observation.indicator_id = key
        observation.candidates = [] if key else candidates


def _position(name: str, folded: str) -> int:
    """Word index where ``name`` starts inside ``folded``: the earliest match names the head
    noun ("kim ngạch xuất nhập khẩu qua địa bàn tỉnh" is a kim ngạch xuất nhập khẩu, not an
    import figure though it contains "nhập khẩu qua địa bàn tỉnh")."""
    words, wanted = folded.split(), name.split()
    for index in range(len(words) - len(wanted) + 1):
        if words[index:index + len(wanted)] == wanted:
            return index
    return len(words)


def load_indicator_matcher(directory: str | Path) -> IndicatorMatcher:
    """A matcher over the indicators*.yaml files of a dataset directory."""
    return IndicatorMatcher.from_rows(load_indicator_rows(directory))


def load_indicator_rows(directory: str | Path) -> list[dict[str, Any]]:
    """The indicator rows of the indicators*.yaml files of a dataset directory."""
    directory = Path(directory)
    rows: list[dict[str, Any]] = []
    for pattern in INDICATOR_FILES:
        for path in sorted(directory.glob(pattern)):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            except (OSError, yaml.YAMLError) as error:
                raise DatasetError(
                    f"Không đọc được danh mục chỉ tiêu: {error}",
                    f"Cannot read the indicator list: {error}",
                    code="extract_indicators", place=Place(document=str(path)),
                ) from None
            rows.extend(r for r in data if isinstance(r, dict))
    return rows
