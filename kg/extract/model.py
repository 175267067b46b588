"""What ``extract`` returns: observations (số liệu), citations (văn bản được dẫn) and tasks
(nhiệm vụ), each with the source line and a verbatim quote."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Observation:
    """A reported figure. ``pct_of_plan`` is as written ("vượt 3,2%" → "103,2");
    ``plan_basis`` is a code of ``PLAN_BASES``; ``kind`` is actual or estimate ("ước")."""

    indicator: str
    indicator_id: str | None
    candidates: list[str]
    period: str | None
    period_kind: str | None
    value: str | None
    unit: str | None
    pct_of_plan: str | None
    plan_basis: str | None
    plan_basis_text: str | None
    basis_stated: bool
    yoy_change_pct: str | None
    kind: str
    footnote: int | None
    line: int
    quote: str
    subject: str | None = None
    """Whose figure it is when the sentence or table row names someone other than the
    issuer ("Bộ Y tế", "tỉnh Đắk Lắk"), as written; None for the issuer's own figures."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Citation:
    """A cited document: kind as written (Nghị quyết, Quyết định ...), number in canonical
    form, ISO date, issuer and subject as written."""

    kind: str | None
    number: str | None
    date: str | None
    issuer: str | None
    subject: str | None
    line: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Task:
    """A forward-looking task. ``agency_stated`` is False when the sentence names no subject
    and the issuing body is implied; ``deadline`` is ISO or None (conditions never fall due)."""

    summary: str
    agency: str | None
    agency_stated: bool
    deadline_text: str | None
    deadline: str | None
    condition: str | None
    target: str | None
    line: int
    quote: str
    support: list[str] = field(default_factory=list)
    """Agencies that phối hợp (support), as written."""
    continuing: bool = False
    """A standing directive ("thường xuyên", "tiếp tục") with no date to fall due."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Target:
    """A target a plan, resolution or decision sets (chỉ tiêu, mục tiêu): the indicator as
    written (matched to a known one like observations, never guessed), the expression as
    written ("trên 90", "7 - 7,5", "≥ 95") without the unit, the unit, and the period code
    ("2025", "2026-2030")."""

    indicator: str
    indicator_id: str | None
    candidates: list[str]
    expression: str
    unit: str | None
    period: str | None
    line: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything read from one document; ``period`` is the report's own period code."""

    source: str
    period: str | None
    observations: list[Observation] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    progress: list[Any] = field(default_factory=list)  # ProgressStatement (kg.extract.progress)
    links: list[Any] = field(default_factory=list)  # TaskLink: a statement → the task it reports on

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "period": self.period,
            "observations": [o.to_dict() for o in self.observations],
            "citations": [c.to_dict() for c in self.citations],
            "tasks": [t.to_dict() for t in self.tasks],
            "targets": [t.to_dict() for t in self.targets],
            "progress": [s.to_dict() for s in self.progress],
            "task_updates": [link.to_dict() for link in self.links],
        }
