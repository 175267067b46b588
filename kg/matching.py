"""Match names as people write them to ids in the fact log (đối chiếu tên với mã).

A name matches when its *fold* equals the fold of an id, a name, a short name or an alias of
a known item: Unicode NFC, lower case, diacritics removed ("đ" → "d"), punctuation turned into
spaces, runs of spaces collapsed. "Sở Kế hoạch và Đầu tư", "so ke hoach va dau tu" and
"so-ke-hoach-va-dau-tu" are the same name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
