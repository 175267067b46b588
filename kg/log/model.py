"""Facts as they enter and leave the log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Kinds of fact the log holds; the registry read by the loader, the rules and the docs.
FACT_KINDS: dict[str, tuple[str, str]] = {
    "agency": ("cơ quan, đơn vị", "agency"),
    "document": ("văn bản", "document"),
    "indicator": ("chỉ tiêu", "indicator"),
    "target": ("mục tiêu kế hoạch", "target"),
    "verdict": ("đánh giá chính thức", "official verdict"),
    "observation": ("số liệu báo cáo", "report observation"),
    "task": ("nhiệm vụ", "task"),
    "task_update": ("cập nhật nhiệm vụ", "task update"),
}

# The rules' conclusions: once kinds of the log, now kept in the outcome store (rules.store);
# the log refuses them (``rule_output_kind``) and migration 0006 (PostgreSQL: 0005) moved any
# old rows of them to ``legacy_rule_outputs``.
RULE_OUTPUT_KINDS: dict[str, tuple[str, str]] = {
    "alert": ("cảnh báo", "alert"),
    "status_change": ("thay đổi trạng thái", "status change"),
}


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: document (or file), line, verbatim quote."""

    doc: str
    line: int | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "line": self.line, "quote": self.quote}


@dataclass(frozen=True)
class Fact:
    """A fact to assert: ``kind`` + natural ``key`` identify it; ``payload`` is its content.

    ``replaces`` (an edit's precondition, not content): the version this assertion was made
    from (0: none yet). The log refuses the batch with ``VersionConflict`` when its latest
    version of (kind, key) is another — a compare-and-set, so two edits made from one version
    cannot both land and silently drop each other's change."""

    kind: str
    key: str
    payload: dict[str, Any]
    source: Source | None = None
    as_of: date | None = None
    replaces: int | None = field(default=None, compare=False)

    def content_hash(self) -> str:
        """Hash of what makes two assertions the same fact (not who sent it or when)."""
        return self.serialized()[1]

    def serialized(self) -> tuple[str, str]:
        """(payload as stored JSON, content hash). The hash is the SHA-256 of
        ``{"as_of", "payload", "source"}`` dumped with sorted keys; the payload's text is
        that document's middle, so it is dumped once and reused (same hashes as ever)."""
        payload = json.dumps(self.payload, sort_keys=True, ensure_ascii=False, default=str)
        source = self.source.to_dict() if self.source else None
        as_of = self.as_of.isoformat() if self.as_of else None
        text = (f'{{"as_of": {json.dumps(as_of)}, "payload": {payload}, "source": '
                f'{json.dumps(source, sort_keys=True, ensure_ascii=False)}}}')
        return payload, hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredFact:
    """A fact as recorded: one version of one (kind, key) of one jurisdiction."""

    seq: int
    kind: str
    key: str
    version: int
    payload: dict[str, Any]
    source: Source | None
    submitted_by: str
    submitted_at: datetime
    as_of: date | None
    content_hash: str
    batch: str | None = field(default=None)
    jurisdiction: str = field(default="")  # whose fact: the scope it was read in

    @property
    def id(self) -> str:
        """Unique per version, e.g. ``observation:obs-002-001#v1``."""
        return f"{self.kind}:{self.key}#v{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "kind": self.kind,
            "key": self.key,
            "version": self.version,
            "payload": self.payload,
            "source": self.source.to_dict() if self.source else None,
            "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.isoformat(),
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }


@dataclass(frozen=True)
class AppendOutcome:
    """What happened to one asserted fact: ``new``, ``version`` (changed content) or
    ``duplicate`` (already there, nothing written)."""

    status: str
    fact: StoredFact
