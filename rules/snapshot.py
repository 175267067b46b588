"""What the log says as of a date (ảnh chụp dữ kiện tại một ngày).

A ``Snapshot`` holds the latest version of every fact visible on a date: a fact is visible
from its ``as_of`` (observations), else from the date of its source document (tasks, official
verdicts), else always (agencies, documents, indicators, targets).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.dating import as_date, document_dates
from kg.log import StoredFact
from rules.memo import Memo


def visible_from(fact: StoredFact, doc_dates: dict[str, date]) -> date | None:
    """The first date on which ``fact`` is known (None: always)."""
    if fact.kind in ("agency", "document", "indicator", "target"):
        return None
    when = fact.as_of or as_date(fact.payload.get("as_of"))
    if when is None and fact.source is not None:
        when = doc_dates.get(fact.source.doc)
    return when


@dataclass
class Snapshot:
    """Current facts by kind and key, as of ``as_of``. Filled first, then read: the sorted
    lists and the per-field groups are built on first read and kept (a snapshot of many units
    is read once per unit, so scans must not be repeated)."""

    as_of: date
    by_kind: dict[str, dict[str, StoredFact]] = field(default_factory=dict)
    _sorted: dict[str, list[StoredFact]] = field(default_factory=dict, repr=False)
    _groups: dict[tuple[str, str], dict[Any, list[StoredFact]]] = field(
        default_factory=dict, repr=False)
    _chains: dict[tuple[str | None, ...], list[dict[str, Any]]] = field(
        default_factory=dict, repr=False)
    _derived: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    # the caller's memo of per-fact readings keyed by content (a session's, kept across its
    # snapshots: the same fact version is read on every date its unit is judged)
    memo: Memo[Any] | None = field(default=None, repr=False)

    def all(self, kind: str) -> list[StoredFact]:
        if kind not in self._sorted:
            facts = self.by_kind.get(kind, {})
            self._sorted[kind] = [facts[k] for k in sorted(facts)]
        return self._sorted[kind]

    def with_field(self, kind: str, name: str, value: Any) -> list[StoredFact]:
        """The facts of ``kind`` whose payload ``name`` equals ``value`` (key order)."""
        groups = self._groups.get((kind, name))
        if groups is None:
            groups = self._groups[(kind, name)] = {}
            for fact in self.all(kind):
                groups.setdefault(fact.payload.get(name), []).append(fact)
        return groups.get(value, [])

    def derived(self, name: Hashable, build: Callable[[Snapshot], Any]) -> Any:
        """``build(self)``, built on first read and kept under ``name`` (a grouping several
        measure families read, e.g. the pace groups; or a small reading its measures ask again
        and again, keyed with its arguments, e.g. an agency's name on the snapshot's date):
        read-only for its callers."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def get(self, kind: str, key: str | None) -> StoredFact | None:
        return self.by_kind.get(kind, {}).get(key) if key else None

    def payload(self, kind: str, key: str | None) -> dict[str, Any]:
        fact = self.get(kind, key)
        return fact.payload if fact else {}


def take_snapshot(facts: list[StoredFact], as_of: date,
                  doc_dates: dict[str, date] | None = None) -> Snapshot:
    """The latest visible version of each (kind, key) on ``as_of`` (facts in seq order)."""
    doc_dates = doc_dates if doc_dates is not None else document_dates(facts)
    snap = Snapshot(as_of)
    for fact in facts:
        when = visible_from(fact, doc_dates)
        if when is not None and when > as_of:
            continue
        snap.by_kind.setdefault(fact.kind, {})[fact.key] = fact
    return snap


def chain_of(snap: Snapshot, doc_ids: list[str | None]) -> list[dict[str, Any]]:
    """The documents behind a target: set_by/assigned_by, then based_on/implements upward
    (built once per snapshot and start documents; callers share it read-only)."""
    start = tuple(doc_ids)
    if start not in snap._chains:
        snap._chains[start] = _walk_chain(snap, doc_ids)
    return snap._chains[start]


def _walk_chain(snap: Snapshot, doc_ids: list[str | None]) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    queue = [d for d in doc_ids if d]
    seen: set[str] = set()
    while queue:
        doc_id = queue.pop(0)
        if doc_id in seen:
            continue
        seen.add(doc_id)
        doc = snap.payload("document", doc_id)
        chain.append({"id": doc_id, "number": doc.get("number"), "title": doc.get("title"),
                      "date": str(doc["date"]) if doc.get("date") else None,
                      "issuer": doc.get("issuer")})
        queue += list(doc.get("based_on") or []) + list(doc.get("implements") or [])
    return chain


def source_of(fact: StoredFact | None) -> list[dict[str, Any]]:
    if fact is None or fact.source is None:
        return []
    return [{"fact": fact.id, "doc": fact.source.doc, "line": fact.source.line,
             "quote": fact.source.quote}]
