"""Footnotes of a report (chú thích nguồn): one numbered note per fact a figure comes from.

Every figure printed in a report cites the fact it was read from; the note gives the source
document (the seed code and its title), the line and the verbatim quote, plus which fields of
that fact the report used — so an auditor can open the document at that line and check it.
"""

from __future__ import annotations

from typing import Any

from kg.log import StoredFact
from rules.snapshot import Snapshot


class Footnotes:
    """Collects notes in first-cited order; ``cite`` returns the note numbers to print."""

    def __init__(self, snap: Snapshot) -> None:
        self._titles = _document_titles(snap)
        self._by_fact: dict[str, dict[str, Any]] = {}
        self.items: list[dict[str, Any]] = []

    def cite(self, fact: StoredFact | None, field: str) -> list[int]:
        """Note number(s) for ``field`` of ``fact`` (empty when the fact has no source)."""
        if fact is None or fact.source is None:
            return []
        note = self._by_fact.get(fact.id)
        if note is None:
            note = self._new(fact)
        if field not in note["fields"]:
            note["fields"].append(field)
        return [note["n"]]

    def _new(self, fact: StoredFact) -> dict[str, Any]:
        src = fact.source
        assert src is not None
        note = {
            "n": len(self.items) + 1, "fact": fact.id, "kind": fact.kind, "key": fact.key,
            "doc": src.doc, "document": self._titles.get(src.doc), "line": src.line,
            "quote": src.quote, "fields": [],
        }
        self._by_fact[fact.id] = note
        self.items.append(note)
        return note


def _document_titles(snap: Snapshot) -> dict[str, str]:
    """Seed code ("004") → the title of that source document."""
    titles = {}
    for doc in snap.all("document"):
        if doc.key.startswith("seed-") and doc.payload.get("title"):
            titles[doc.key.removeprefix("seed-")] = str(doc.payload["title"])
    return titles


def describe(note: dict[str, Any]) -> str:
    """One line an auditor reads: "004 (title), dòng 81: «6,33» — verdict-2024-I.1: ước"."""
    where = note["doc"] if not note.get("document") else f"{note['doc']} ({note['document']})"
    line = f", dòng {note['line']}" if note.get("line") else ""
    quote = f": «{note['quote']}»" if note.get("quote") else ""
    fields = ", ".join(note.get("fields") or [])
    return f"{where}{line}{quote} — {note['key']}" + (f": {fields}" if fields else "")
