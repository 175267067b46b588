"""Search over names people write (tìm kiếm theo cụm từ).

``score``/``search`` (used to match names while reading documents) are diacritics-insensitive:
a phrase matches a text when every word of the phrase's fold (NFD, combining marks removed,
"đ" → "d", lower case, punctuation as spaces — ``kg.matching.fold``) occurs, in order, as whole
words of the text's fold: "ke hoach dau tu", "Kế hoạch và Đầu tư" and "KẾ HOẠCH ĐẦU TƯ" all
find "Sở Kế hoạch và Đầu tư".

``Index.search(..., phrase=True)`` is the search a person types into (``who``, agency names):
the words must stand together, as a phrase — Vietnamese words are several syllables, so
"giải ngân" must not match "giải pháp ngăn ngừa" — and a query written with diacritics is
matched with them ("giải ngân" does not find "ngân sách", nor "giai ngan" typed without them
miss anything: a query without diacritics is folded, like the text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kg.matching import fold

__all__ = ["Hit", "Index", "fold", "has_diacritics", "matches", "score", "search"]

_NON_WORD = re.compile(r"[^\w%]+")


def _words(text: str) -> list[str]:
    return fold(text).split()


def _exact_words(text: str) -> list[str]:
    """Words as written (NFC, lower case, punctuation as spaces), diacritics kept."""
    if not isinstance(text, str):
        return []
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower().replace("_", " ")).split()


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries Vietnamese diacritics (or "đ"): then they must match."""
    return fold(text).split() != _exact_words(text)


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


def _phrase_score(wanted: list[str], words: list[str]) -> float:
    """3 the whole text, 2.5 the text starts with the phrase, 2 the phrase inside, else 0."""
    if not wanted or not words:
        return 0.0
    if wanted == words:
        return 3.0
    n = len(wanted)
    if words[:n] == wanted:
        return 2.5
    return 2.0 if any(words[i:i + n] == wanted for i in range(1, len(words) - n + 1)) else 0.0


class Index:
    """Items (key, texts) folded once, searched many times."""

    def __init__(self, items: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._items = [(key, [(t, _words(t), _exact_words(t)) for t in texts if t])
                       for key, texts in items]

    def search(self, phrase: str, *, as_phrase: bool = False) -> list[Hit]:
        """Items matching ``phrase``, best first (ties by key); each item once.

        ``as_phrase``: the words must be contiguous, and diacritics count when the query has
        them (the search a person types; see the module docstring)."""
        if not as_phrase:
            wanted = _words(phrase)
            return self._rank((key, [(t, _score(wanted, w)) for t, w, _e in texts])
                              for key, texts in self._items)
        accented = has_diacritics(phrase)
        wanted = _exact_words(phrase) if accented else _words(phrase)
        return self._rank((key, [(t, _phrase_score(wanted, e if accented else w))
                                 for t, w, e in texts]) for key, texts in self._items)

    @staticmethod
    def _rank(scored: Iterable[tuple[str, list[tuple[str, float]]]]) -> list[Hit]:
        hits: list[Hit] = []
        for key, texts in scored:
            best_score, best_text = max(((s, t) for t, s in texts), default=(0.0, ""))
            if best_score > 0:
                hits.append(Hit(key, best_text, best_score))
        return sorted(hits, key=lambda h: (-h.score, h.key))


def search(phrase: str, items: Iterable[tuple[str, Iterable[str]]]) -> list[Hit]:
    """Items (key, texts) matching ``phrase``, best first (ties by key); each item once."""
    return Index(items).search(phrase)
