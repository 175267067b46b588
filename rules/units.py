"""Units (đơn vị xét): the smallest closed groups of facts whose measures depend only on each
other, kept as a union-find over unit ids.

- an indicator (chỉ tiêu) with its targets, observations and official verdict rows; indicators
  whose verdict rows or targets share a row of one table (nhóm chỉ tiêu) are one unit; an
  observation without an indicator forms a unit with the others of the same text;
- a task (nhiệm vụ) with its updates.

Agencies and documents belong to no unit: every unit reads them.
"""

from __future__ import annotations

from datetime import date

from kg.log import StoredFact

FactKey = tuple[str, str]


def unit_ids(fact: StoredFact) -> list[str]:
    """The unit ids a fact belongs to (all of them are merged into one unit)."""
    p = fact.payload
    if fact.kind == "indicator":
        return [f"i:{fact.key}"]
    if fact.kind == "target":
        # targets sharing a row of one document's table are judged together (one Đánh giá
        # cell for the row); the document keeps two places' tables apart
        return [f"i:{fact.key.split('@')[0]}"] + ([f"i:{p['indicator']}"]
                                                  if p.get("indicator") else []) + (
            [f"row:{p.get('set_by')}|{p.get('period')}|{p['row']}"] if p.get("row") else [])
    if fact.kind == "observation":
        return [f"i:{p['indicator']}" if p.get("indicator")
                else f"i:text:{p.get('indicator_text') or fact.key}"]
    if fact.kind == "verdict":
        row = f"row:{p.get('table')}|{p.get('row')}"
        return [row] + ([f"i:{p['indicator']}"] if p.get("indicator") else [])
    if fact.kind == "task_update":
        return [f"t:{p.get('task') or p.get('task_id') or '?' + fact.key}"]
    return [f"{fact.kind[0]}:{fact.key}"]


class Units:
    """The units of a log: root → its fact keys and the subjects its measures judged."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.keys: dict[str, set[FactKey]] = {}
        self.subjects: dict[str, set[str]] = {}
        self.merged: set[str] = set()  # roots that absorbed a unit already holding facts
        self.unions = 0  # how many merges so far (a caller sees whether one happened)

    def find(self, unit: str) -> str:
        while self.parent.get(unit, unit) != unit:
            unit = self.parent[unit]
        return unit

    def union(self, units: list[str]) -> tuple[str, list[str]]:
        """Merge ``units``; returns the root and the former roots it absorbed."""
        roots = sorted({self.find(u) for u in units})
        root = roots[0]
        self.parent.setdefault(root, root)
        for other in roots[1:]:
            # a unit id never seen before (a target's first table row) re-roots nothing
            if other in self.parent or other in self.keys:
                self.unions += 1
            if root in self.keys and other in self.keys:
                self.merged.add(root)
            self.parent[other] = root
            self.keys.setdefault(root, set()).update(self.keys.pop(other, set()))
            self.subjects.setdefault(root, set()).update(self.subjects.pop(other, set()))
        return root, roots[1:]

    def roots(self) -> list[str]:
        return sorted(self.keys)

    def rerooted(self, touched: dict[str, date]) -> dict[str, date]:
        """``touched`` (unit → earliest date) by current root, keeping the earliest date."""
        out: dict[str, date] = {}
        for unit, when in touched.items():
            root = self.find(unit)
            out[root] = min(when, out.get(root, date.max))
        return out
