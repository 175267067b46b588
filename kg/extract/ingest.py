"""Turn an extraction into facts for the log (ghi số liệu trích xuất vào sổ dữ kiện).

Only observations whose indicator was matched become facts; the others are listed for review,
never guessed. Progress statements linked to a known task (``kg.extract.progress``) become
``task_update`` facts dated by the report's period end (the evidence date). Each fact carries
its provenance — ``Source(doc=file name, line, quote)`` — and ``as_of`` is the end of its
period. Keys are stable per file and position (``obs-x-<file>-<nnn>``, ``upd-x-<file>-<nnn>``),
so ingesting the same file twice asserts nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import ParseError
from kg.extract.model import Extraction, Observation
from kg.extract.progress import report_date
from kg.log import Fact, Source
from kg.matching import slug
from kg.notation import Period

KEY_PREFIX = "obs-x"
"""Prefix of keys of extracted observations (hand-curated ones use ``obs-<doc>``)."""
UPDATE_PREFIX = "upd-x"
"""Prefix of keys of extracted task updates (hand-curated ones use ``upd-<doc>``)."""


@dataclass
class IngestPlan:
    """What ingesting a document would assert, and what it leaves for review."""

    source: str
    facts: list[Fact] = field(default_factory=list)
    unmatched: list[Observation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "facts": [
                {"kind": f.kind, "key": f.key, "payload": f.payload,
                 "source": f.source.to_dict() if f.source else None,
                 "as_of": f.as_of.isoformat() if f.as_of else None}
                for f in self.facts
            ],
            "unmatched": [
                {"indicator": o.indicator, "candidates": o.candidates, "value": o.value,
                 "pct_of_plan": o.pct_of_plan, "line": o.line, "quote": o.quote}
                for o in self.unmatched
            ],
        }


def _payload(observation: Observation) -> dict[str, Any]:
    return {
        "indicator": observation.indicator_id,
        "indicator_text": observation.indicator,
        "period": observation.period,
        "value": observation.value,
        "unit": observation.unit,
        "pct_of_plan": observation.pct_of_plan,
        "plan_basis": observation.plan_basis,
        "yoy_change_pct": observation.yoy_change_pct,
        "kind": observation.kind,
        "footnote": observation.footnote is not None,
        "note": None if observation.basis_stated else
        f"plan basis carried from the context ({observation.plan_basis_text})",
        "extracted": True,
    }


def _as_of(observation: Observation) -> Any:
    if not observation.period:
        return None
    try:
        return Period.from_code(observation.period).end
    except ParseError:
        return None


def plan_ingest(extraction: Extraction) -> IngestPlan:
    """The facts an extraction would assert (matched observations with a period) and the
    observations left for review (no indicator matched, or no period)."""
    plan = IngestPlan(extraction.source)
    stem = slug(extraction.source.rsplit(".", 1)[0], sep="-") or "text"
    for number, observation in enumerate(extraction.observations, 1):
        as_of = _as_of(observation)
        if observation.indicator_id is None or as_of is None:
            plan.unmatched.append(observation)
            continue
        payload = {**_payload(observation), "as_of": as_of.isoformat()}
        plan.facts.append(Fact(
            kind="observation",
            key=f"{KEY_PREFIX}-{stem}-{number:03d}",
            payload=payload,
            source=Source(extraction.source, observation.line, observation.quote),
            as_of=as_of,
        ))
    plan.facts.extend(task_update_facts(extraction, stem))
    return plan


def task_update_facts(extraction: Extraction, stem: str) -> list[Fact]:
    """One ``task_update`` per progress statement linked to a task, dated by the report's
    period end; none without a period (no evidence date)."""
    when = report_date(extraction.period)
    if when is None:
        return []
    facts = []
    for number, link in enumerate(extraction.links, 1):
        key = f"{UPDATE_PREFIX}-{stem}-{number:03d}"
        statement = link.statement
        facts.append(Fact("task_update", key, {
            "id": key, "task": link.task, "status": statement.status,
            "as_of": when.isoformat(), "completed_on": None, "phrase": statement.phrase,
            "score": round(link.score, 3), "extracted": True,
        }, Source(extraction.source, statement.line, statement.quote), when))
    return facts
