"""Match names as people write them to ids in the fact log (đối chiếu tên với mã).

A name matches when its *fold* equals the fold of an id, a name, a short name or an alias of
a known item: Unicode NFC, lower case, diacritics removed ("đ" → "d"), punctuation turned into
spaces, runs of spaces collapsed. "Sở Kế hoạch và Đầu tư", "so ke hoach va dau tu" and
"so-ke-hoach-va-dau-tu" are the same name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KehoachError, Place

NAME_FIELDS: tuple[str, ...] = ("name", "name_en", "short")
"""Payload fields that name an item; ``aliases`` (a list) is read as well."""

_NON_WORD = re.compile(r"[^0-9a-z%]+")


def fold(text: str) -> str:
    """The comparison form of a name: no diacritics, lower case, words joined by one space."""
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD.sub(" ", plain).split())


def slug(text: str, sep: str = "_") -> str:
    """An ASCII identifier from a name: "Tỷ lệ hộ nghèo" → "ty_le_ho_ngheo"."""
    return fold(text).replace("%", "pct").replace(" ", sep)


@dataclass
class Matcher:
    """Known items of one kind, looked up by id, name, short name or alias.

    An id always wins; a name shared by several items (two indicators named alike, in
    different units) is ambiguous: ``find`` gives None and ``candidates`` lists them.
    """

    kind: str
    _ids: dict[str, str] = field(default_factory=dict)
    _index: dict[str, list[str]] = field(default_factory=dict)
    _payloads: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, key: str, payload: dict[str, Any]) -> None:
        """Index ``key`` under its id and every name of ``payload``."""
        self._payloads[key] = payload
        self._ids.setdefault(fold(key), key)
        names = [*(payload.get(f) for f in NAME_FIELDS), *(payload.get("aliases") or [])]
        for name in names:
            folded = fold(name) if isinstance(name, str) else ""
            keys = self._index.setdefault(folded, []) if folded else []
            if folded and key not in keys:
                keys.append(key)

    def candidates(self, text: str) -> list[str]:
        """Every id ``text`` may name: its id alone, else all items of that name."""
        folded = fold(text)
        if folded in self._ids:
            return [self._ids[folded]]
        return list(self._index.get(folded, []))

    def find(self, text: str) -> str | None:
        """The one id ``text`` names, or None (unknown or ambiguous)."""
        found = self.candidates(text)
        return found[0] if len(found) == 1 else None

    def payload(self, key: str) -> dict[str, Any]:
        return self._payloads.get(key, {})

    def items(self) -> list[tuple[str, list[str]]]:
        """(id, [id, names...]) of every item, for ``kg.search.search``."""
        return [(key, [key, *(p.get(f) for f in NAME_FIELDS if isinstance(p.get(f), str)),
                       *(a for a in p.get("aliases") or [] if isinstance(a, str))])
                for key, p in self._payloads.items()]

    def __contains__(self, key: object) -> bool:
        return key in self._payloads


def matcher_from_facts(kind: str, facts: Iterable[Any]) -> Matcher:
    """A ``Matcher`` over stored facts (anything with ``key`` and ``payload``)."""
    matcher = Matcher(kind)
    for fact in facts:
        matcher.add(fact.key, fact.payload)
    return matcher


def matcher_from_log(log: Any, kind: str) -> Matcher:
    """A ``Matcher`` over the current facts of ``kind`` in a fact log."""
    return matcher_from_facts(kind, log.current(kind))


class UnknownName(KehoachError):
    """A filter or reference names nothing known; ``suggestions`` lists the closest names."""

    code = "unknown_name"

    def __init__(self, kind_vi: str, kind_en: str, text: str, suggestions: list[str],
                 field: str | None = None) -> None:
        hint = ", ".join(suggestions)
        super().__init__(
            f"không có {kind_vi} '{text}'" + (f"; có phải: {hint}?" if hint else ""),
            f"no {kind_en} '{text}'" + (f"; did you mean: {hint}?" if hint else ""),
            text=text, place=Place(field=field))
        self.suggestions = suggestions


def suggest(text: str, items: Iterable[tuple[str, list[str]]], n: int = 5) -> list[str]:
    """The items (key, names) closest to ``text``, best first, each as "Name (id)"."""
    wanted = fold(text)
    scored = []
    for key, names in items:
        folds = [fold(name) for name in names if isinstance(name, str) and name]
        best = max((difflib.SequenceMatcher(None, wanted, f).ratio() + (0.5 if wanted in f
                                                                         else 0.0)
                    for f in folds), default=0.0)
        if best >= 0.6:
            label = next((nm for nm in names[1:] if isinstance(nm, str) and nm), key)
            scored.append((-best, key, f"{label} ({key})" if label != key else key))
    return [shown for _s, _k, shown in sorted(scored)[:n]]


def resolve(matcher: Matcher, text: str, kind_vi: str, kind_en: str,
            field: str | None = None) -> str:
    """The one id ``text`` names (id, name, short name or alias), else ``UnknownName`` with
    the close names — an ambiguous name lists the ids it could mean."""
    found = matcher.candidates(text)
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownName(kind_vi, kind_en, text, found, field)
    raise UnknownName(kind_vi, kind_en, text, suggest(text, matcher.items()), field)
