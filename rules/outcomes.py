"""Outcomes of the rules engine (kết quả): alerts and status changes, with provenance.

Both serialise with ``to_dict`` to the JSON every front door prints and the fact log stores
(kinds ``alert`` and ``status_change``). Ids are deterministic, so replaying the same log gives
the same ids and the log reports them as duplicates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Subject:
    """What a status or alert is about: a target, a task, an indicator report, a row."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Alert:
    """A fired alert (cảnh báo) with everything an auditor needs to check it."""

    id: str
    kind: str
    severity: str
    subject: Subject
    agency: str | None
    period: str | None
    as_of: str
    rule: dict[str, Any]
    facts: list[str]
    thresholds: dict[str, float]
    explanation_vi: str
    explanation_en: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    chain: list[dict[str, Any]] = field(default_factory=list)
    status: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StatusChange:
    """A subject's status on one dimension changed (thay đổi trạng thái)."""

    id: str
    subject: Subject
    dimension: str
    status: str
    previous: str | None
    agency: str | None
    period: str | None
    as_of: str
    rule: dict[str, Any]
    facts: list[str]
    thresholds: dict[str, float]
    explanation_vi: str
    explanation_en: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "status_change"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind}
