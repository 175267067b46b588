"""Diacritics-insensitive search (tìm kiếm không dấu) over names people write.

A phrase matches a text when every word of the phrase's fold (NFD, combining marks removed,
"đ" → "d", lower case, punctuation as spaces — ``kg.matching.fold``) occurs, in order, as whole
words of the text's fold: "ke hoach dau tu", "Kế hoạch và Đầu tư" and "KẾ HOẠCH ĐẦU TƯ" all
find "Sở Kế hoạch và Đầu tư".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.matching import fold

__all__ = ["Hit", "Index", "fold", "matches", "score", "search"]


def _words(text: str) -> list[str]:
    return fold(text).split()


def matches(phrase: str, text: str) -> bool:
    """True when every word of ``phrase`` appears, in order, among the words of ``text``."""
    return score(phrase, text) > 0


def score(phrase: str, text: str) -> float:
    """0 when ``phrase`` does not match ``text``; otherwise higher for closer matches
    (3 exact, 2 contiguous words, 1 words in order with gaps)."""
    return _score(_words(phrase), _words(text))


def _score(wanted: list[str], words: list[str]) -> float:
    if not wanted or not words:
        return 0.0
    if wanted == words:
        return 3.0
    n = len(wanted)
    if any(words[i:i + n] == wanted for i in range(len(words) - n + 1)):
        return 2.0
    it = iter(words)
    return 1.0 if all(w in it for w in wanted) else 0.0


@dataclass(frozen=True)
class Hit:
    """One search result: the item's key, the text that matched and how well."""

    key: str
    text: str
    score: float


class Index:
    """Items (key, texts) folded once, searched many times."""

    def __init__(self, items: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._items = [(key, [(t, _words(t)) for t in texts if t]) for key, texts in items]

    def search(self, phrase: str) -> list[Hit]:
        """Items matching ``phrase``, best first (ties by key); each item once."""
        wanted = _words(phrase)
        hits: list[Hit] = []
        for key, texts in self._items:
            best = max(((_score(wanted, words), t) for t, words in texts), default=(0.0, ""))
            if best[0] > 0:
                hits.append(Hit(key, best[1], best[0]))
        return sorted(hits, key=lambda h: (-h.score, h.key))


def search(phrase: str, items: Iterable[tuple[str, Iterable[str]]]) -> list[Hit]:
    """Items (key, texts) matching ``phrase``, best first (ties by key); each item once."""
    return Index(items).search(phrase)
