"""Outcomes of the rules engine (kết quả): alerts and status changes, with provenance.

Both serialise with ``to_dict`` to the JSON every front door prints and the outcome store
keeps (``rules.store``, kinds ``alert`` and ``status_change``; ``outcome_from_dict`` reads it
back). Ids are deterministic, so replaying the same log gives the same ids and the store finds
nothing new to write. ``to_dict`` is written out field by field
(``dataclasses.asdict`` deep-copies and was a measured cost on every write and read): the
top-level lists and dicts are fresh copies, the items inside them (source and chain entries,
detail values) are shared with the outcome — treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Subject:
    """What a status or alert is about: a target, a task, an indicator report, a row."""

    id: str
    name: str
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind}


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
    # set when read (rules.replay.closed_alerts), stored None: the status it set is no longer
    # its subject's current one — the alert is closed, this names what replaced it
    superseded_by: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "severity": self.severity,
                "subject": self.subject.to_dict(), "agency": self.agency,
                "period": self.period, "as_of": self.as_of, "rule": dict(self.rule),
                "facts": list(self.facts), "thresholds": dict(self.thresholds),
                "explanation_vi": self.explanation_vi, "explanation_en": self.explanation_en,
                "sources": list(self.sources), "chain": list(self.chain),
                "status": self.status, "details": dict(self.details),
                "superseded_by": self.superseded_by}


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
        return {"id": self.id, "subject": self.subject.to_dict(),
                "dimension": self.dimension, "status": self.status, "previous": self.previous,
                "agency": self.agency, "period": self.period, "as_of": self.as_of,
                "rule": dict(self.rule), "facts": list(self.facts),
                "thresholds": dict(self.thresholds), "explanation_vi": self.explanation_vi,
                "explanation_en": self.explanation_en, "details": dict(self.details),
                "kind": self.kind}


def _subject_of(data: dict[str, Any]) -> Subject:
    subject = data.get("subject") or {}
    return Subject(str(subject.get("id") or ""), str(subject.get("name") or ""),
                   str(subject.get("kind") or ""))


def outcome_from_dict(kind: str, data: dict[str, Any]) -> Alert | StatusChange:
    """The outcome ``to_dict`` wrote (as the outcome store keeps it): ``kind`` is the stored
    kind, ``alert`` or ``status_change``."""
    if kind == "status_change":
        return StatusChange(
            id=data["id"], subject=_subject_of(data), dimension=data["dimension"],
            status=data["status"], previous=data.get("previous"), agency=data.get("agency"),
            period=data.get("period"), as_of=data["as_of"], rule=dict(data.get("rule") or {}),
            facts=list(data.get("facts") or []), thresholds=dict(data.get("thresholds") or {}),
            explanation_vi=data.get("explanation_vi") or "",
            explanation_en=data.get("explanation_en") or "",
            details=dict(data.get("details") or {}))
    return Alert(
        id=data["id"], kind=data["kind"], severity=data["severity"], subject=_subject_of(data),
        agency=data.get("agency"), period=data.get("period"), as_of=data["as_of"],
        rule=dict(data.get("rule") or {}), facts=list(data.get("facts") or []),
        thresholds=dict(data.get("thresholds") or {}),
        explanation_vi=data.get("explanation_vi") or "",
        explanation_en=data.get("explanation_en") or "",
        sources=list(data.get("sources") or []), chain=list(data.get("chain") or []),
        status=data.get("status"), details=dict(data.get("details") or {}),
        superseded_by=data.get("superseded_by"))
