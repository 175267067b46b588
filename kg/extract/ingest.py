"""Turn an extraction into facts for the log (ghi số liệu trích xuất vào sổ dữ kiện).

What is asserted, and where:

- **Observations** whose indicator was matched and whose period is known; the others are
  listed for review, never guessed.
- **Targets** a plan, resolution or decision sets, as ``<indicator>@<period>``; an indicator
  the jurisdiction does not know is *proposed* as a new one (created only when the caller says
  so), a target already in the log is never overwritten by a document restating it.
- **Tasks** with the lead (chủ trì) and support (phối hợp) agencies matched to the
  jurisdiction's agencies; an agency it does not know is *proposed* as a new one, never mapped
  onto a known one.
- **Task updates**: progress statements linked to a known task, dated by the report's period
  end (the evidence date).

**Whose fact it is** (địa bàn): every fact belongs to one jurisdiction — an observation to its
subject's ("Bộ Y tế đạt 30%") or else to the issuer's, a task to its lead's, a target to the
issuer's. Facts of the jurisdiction the command runs in are asserted; facts of another one are
routed there only when the caller asks (``route``), otherwise listed and left out; a fact whose
jurisdiction cannot be told is left for review. A document of another jurisdiction is never
mixed into this one.

Each fact carries its provenance — ``Source(doc=file name, line, quote)``. Keys are stable per
file and position (``obs-x-<file>-<nnn>``, ``task-x-<file>-<nnn>``, ``upd-x-<file>-<nnn>``), so
ingesting the same file twice asserts nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.agencies import agency_fact, propose_agency
from kg.errors import KehoachError, ParseError
from kg.extract.jurisdiction import ALL_MINISTRIES, ALL_PROVINCES, EVERYONE
from kg.extract.model import Extraction, Observation, Target, Task
from kg.extract.progress import report_date
from kg.log import Fact, Source
from kg.matching import Matcher, fold, slug
from kg.notation import Period, parse_date, parse_document_number, parse_expression

KEY_PREFIX = "obs-x"
"""Prefix of keys of extracted observations (hand-curated ones use ``obs-<doc>``)."""
UPDATE_PREFIX = "upd-x"
"""Prefix of keys of extracted task updates (hand-curated ones use ``upd-<doc>``)."""
TASK_PREFIX = "task-x"
"""Prefix of keys of extracted tasks (hand-curated ones use ``task-<doc>``)."""
DOCUMENT_PREFIX = "doc-x"
"""Prefix of the key of the ingested document itself."""

PROVINCIAL_ISSUERS = frozenset({"ubnd tinh", "uy ban nhan dan tinh"})
"""Folded names of a province's people's committee without the province named."""

COLLECTIVE_KINDS: dict[str, tuple[str, ...]] = {
    ALL_PROVINCES: ("province",), ALL_MINISTRIES: ("ministry", "central_body"),
    EVERYONE: ("province", "ministry", "central_body"),
}
"""A collective addressee ("UBND các tỉnh", "các bộ, ngành") → the jurisdiction kinds it
includes."""

TYPE_CLASSES: dict[str, str] = {
    "NQ": "Resolution", "QĐ": "Decision", "CT": "Directive", "CV": "OfficialLetter",
    "KH": "Plan", "CTr": "Programme", "ĐA": "Scheme", "BC": "Report",
}
"""Document type code (ký hiệu loại văn bản) → ontology class; others are LegalDocument."""



@dataclass
class Known:
    """What one jurisdiction's log already holds: its agencies, indicators, target keys."""

    agencies: Matcher
    indicators: Matcher
    targets: set[str] = field(default_factory=set)


@dataclass
class Review:
    """An item read from the document and not asserted, with the reason (vi + en)."""

    kind: str
    line: int
    text: str
    reason_vi: str
    reason_en: str
    jurisdiction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line, "text": self.text,
                "reason_vi": self.reason_vi, "reason_en": self.reason_en,
                "jurisdiction": self.jurisdiction}


@dataclass
class IngestPlan:
    """What ingesting a document would assert, where, and what it leaves for review.

    ``facts`` go to ``scope`` (the jurisdiction the command runs in); ``routed`` holds the
    facts of other jurisdictions by code (written only when routing is asked for);
    ``proposed`` the new agencies and indicators the facts need (in ``facts``/``routed``
    only when creating them was asked for)."""

    source: str
    scope: str | None = None
    issuer: str | None = None
    issuer_evidence: dict[str, Any] | None = None
    facts: list[Fact] = field(default_factory=list)
    routed: dict[str, list[Fact]] = field(default_factory=dict)
    proposed: list[Fact] = field(default_factory=list)
    unmatched: list[Observation] = field(default_factory=list)
    review: list[Review] = field(default_factory=list)

    def facts_for(self, code: str | None) -> list[Fact]:
        return self.facts if code == self.scope else self.routed.setdefault(code or "", [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "jurisdiction": self.scope,
            "issuer_jurisdiction": self.issuer,
            "issuer_evidence": self.issuer_evidence,
            "facts": [_fact_dict(f) for f in self.facts],
            "routed": {code: [_fact_dict(f) for f in facts]
                       for code, facts in sorted(self.routed.items()) if facts},
            "proposed": [_fact_dict(f) for f in self.proposed],
            "unmatched": [
                {"indicator": o.indicator, "candidates": o.candidates, "value": o.value,
                 "pct_of_plan": o.pct_of_plan, "line": o.line, "quote": o.quote}
                for o in self.unmatched
            ],
            "review": [r.to_dict() for r in self.review],
        }


def _fact_dict(fact: Fact) -> dict[str, Any]:
    return {"kind": fact.kind, "key": fact.key, "payload": fact.payload,
            "source": fact.source.to_dict() if fact.source else None,
            "as_of": fact.as_of.isoformat() if fact.as_of else None}


@dataclass
class IngestContext:
    """Where the document is being ingested and how the caller wants it done.

    ``known(code)`` gives what the log of jurisdiction ``code`` already holds;
    ``agency_jurisdiction(name, issuer)`` tells whose a named body is (None: cannot tell);
    ``create_missing`` creates proposed agencies and indicators; ``route`` writes facts of
    other jurisdictions there instead of leaving them out."""

    scope: str | None
    known: Callable[[str | None], Known]
    issuer: str | None = None
    issuer_evidence: dict[str, Any] | None = None
    agency_jurisdiction: Callable[[str, str | None], str | None] = lambda _n, _i: None
    create_missing: bool = False
    route: bool = False
    kind_of: Callable[[str | None], str | None] = lambda _c: None
    """The kind of a jurisdiction (province, ministry, nation, central_body)."""
    catalogue: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Indicator definitions the matcher may name beyond the log's (a national list): one
    met in the document and missing from the jurisdiction is proposed from it."""


_ELSEWHERE_WORDS: dict[str, tuple[str, str]] = {
    "observation": ("số liệu", "a figure"), "task": ("nhiệm vụ", "a task"),
    "target": ("chỉ tiêu", "a target"), "task_update": ("cập nhật nhiệm vụ", "a task update"),
    "indicator": ("chỉ tiêu (danh mục)", "an indicator"), "agency": ("cơ quan", "an agency"),
    "document": ("văn bản", "a document"),
}
"""What a fact left out as another jurisdiction's is called in the review (vi, en)."""


def _elsewhere(kind: str, line: int, text: str, where: str) -> Review:
    """The review of a fact of another jurisdiction (địa bàn khác), left out: filed there
    only with ``--route``. Tasks and targets are checked before their agencies and
    indicators are looked up, so nothing is ever proposed in a jurisdiction not asked for."""
    vi, en = _ELSEWHERE_WORDS[kind]
    return Review(kind, line, text,
                  f"{vi} của địa bàn khác ({where}); dùng --route để ghi vào đó",
                  f"{en} of another jurisdiction ({where}); use --route to file it there",
                  where)


# ---------------------------------------------------------------- observations


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


def _as_of(observation: Observation) -> date | None:
    if not observation.period:
        return None
    try:
        return Period.from_code(observation.period).end
    except ParseError:
        return None


def _place(ctx: IngestContext, named: str | None) -> str | None:
    """The jurisdiction of a fact about ``named`` (None: the issuer's own)."""
    if not named:
        return ctx.issuer or ctx.scope
    code = ctx.agency_jurisdiction(named, ctx.issuer or ctx.scope)
    if code is None and ctx.issuer is None:
        # no evidence the document is anyone else's: a body it names without a place is
        # taken as the jurisdiction's own, as the document is
        return ctx.scope
    if code in COLLECTIVE_KINDS:
        # addressed to every province (ministry): ours when we are one, else nobody's in
        # particular — filing it under 34 provinces is not what the document asks
        return ctx.scope if ctx.kind_of(ctx.scope) in COLLECTIVE_KINDS[code] else None
    return code


def _observations(extraction: Extraction, ctx: IngestContext, plan: IngestPlan,
                  stem: str) -> None:
    for number, observation in enumerate(extraction.observations, 1):
        as_of = _as_of(observation)
        if observation.indicator_id is None or as_of is None:
            plan.unmatched.append(observation)
            continue
        where = _place(ctx, observation.subject)
        if where is None:
            plan.review.append(Review(
                "observation", observation.line, observation.quote,
                f"không rõ số liệu của địa bàn nào ('{observation.subject}')",
                f"cannot tell whose figure it is ('{observation.subject}')"))
            continue
        if not _has_indicator(observation, where, ctx, plan, extraction.source):
            plan.review.append(Review(
                "observation", observation.line, observation.quote,
                f"chỉ tiêu {observation.indicator_id} chưa có ở địa bàn {where}; dùng "
                "--create-missing để tạo",
                f"indicator {observation.indicator_id} is not defined in {where}; use "
                "--create-missing to create it", where))
            continue
        payload = {**_payload(observation), "as_of": as_of.isoformat()}
        if observation.subject:
            payload["subject_text"] = observation.subject
        plan.facts_for(where).append(Fact(
            kind="observation", key=f"{KEY_PREFIX}-{stem}-{number:03d}", payload=payload,
            source=Source(extraction.source, observation.line, observation.quote), as_of=as_of))


def _has_indicator(observation: Observation, where: str | None, ctx: IngestContext,
                   plan: IngestPlan, source: str) -> bool:
    """Whether the observation's indicator is defined in ``where`` — after creating it from
    the catalogue when asked (a proposal otherwise)."""
    if where != ctx.scope and not ctx.route:
        return True  # left out below, as another jurisdiction's fact
    known = ctx.known(where)
    key = observation.indicator_id or ""
    if key in known.indicators:
        return True
    definition = ctx.catalogue.get(key)
    if definition is None:
        return False
    payload = {k: v for k, v in definition.items() if k != "source"}
    payload["from_catalogue"] = True
    fact = Fact("indicator", key, payload,
                Source(source, observation.line, observation.quote))
    if all(p.key != key or p.kind != "indicator" for p in plan.proposed):
        plan.proposed.append(fact)
    if not ctx.create_missing:
        return False
    plan.facts_for(where).insert(0, fact)
    known.indicators.add(key, payload)
    return True


# ---------------------------------------------------------------- agencies


GROUP_WORDS: tuple[str, ...] = ("cac", "nhung", "moi", "toan the")
"""Words that make a name a class of bodies ("các sở, ngành", "mọi cơ quan"), not one."""


def is_group(name: str) -> bool:
    """A name that designates a group of bodies ("các sở, ban, ngành", "UBND các huyện"),
    which is not one agency to create or to hold responsible."""
    words = fold(name).split()
    return bool(words) and (words[0] in GROUP_WORDS or " ".join(words[:2]) in GROUP_WORDS
                            or "cac" in words[:3])


def _agency(name: str, code: str | None, ctx: IngestContext, plan: IngestPlan,
            known: Known, line: int, quote: str, source: str) -> str | None:
    """The id of agency ``name`` in jurisdiction ``code``: a known one, or a proposed new one
    (created with ``create_missing``; None otherwise). An ambiguous name is never chosen."""
    found = known.agencies.candidates(name)
    if len(found) == 1:
        return found[0]
    if is_group(name):
        return None
    if found:
        plan.review.append(Review("agency", line, name,
                                  f"tên cơ quan '{name}' trùng nhiều cơ quan: {', '.join(found)}",
                                  f"agency name '{name}' matches several: {', '.join(found)}",
                                  code))
        return None
    try:
        proposed = propose_agency(name, code, known.agencies, document=source, line=line,
                                  quote=quote)
    except KehoachError:
        return None
    fact = agency_fact(proposed)
    fact.payload["proposed_by_extraction"] = True
    if all(p.key != fact.key or p.kind != "agency" for p in plan.proposed):
        plan.proposed.append(fact)
    if not ctx.create_missing:
        return None
    plan.facts_for(code).insert(0, fact)
    known.agencies.add(fact.key, fact.payload)
    return fact.key


# ---------------------------------------------------------------- tasks


def _task_place(task: Task, ctx: IngestContext) -> str | None:
    if not task.agency_stated or not task.agency:
        return ctx.issuer or ctx.scope
    return _place(ctx, task.agency)


def _tasks(extraction: Extraction, ctx: IngestContext, plan: IngestPlan, stem: str,
           document: str | None) -> None:
    for number, task in enumerate(extraction.tasks, 1):
        where = _task_place(task, ctx)
        if where is None:
            plan.review.append(Review(
                "task", task.line, task.summary,
                f"không rõ cơ quan chủ trì '{task.agency}' thuộc địa bàn nào",
                f"cannot tell whose jurisdiction the lead '{task.agency}' is in"))
            continue
        if where != ctx.scope and not ctx.route:
            plan.review.append(_elsewhere("task", task.line, task.summary, where))
            continue
        known = ctx.known(where)
        lead_name = task.agency or ""
        if not task.agency_stated and fold(lead_name) in PROVINCIAL_ISSUERS \
                and ctx.kind_of(where) != "province":
            # the reader's fallback owner of a provincial report, in a document that is not
            # a province's: nobody was named — say so rather than blame a UBND tỉnh
            plan.review.append(Review(
                "task", task.line, task.summary,
                "văn bản không nêu cơ quan chủ trì", "the document names no lead", where))
            continue
        lead = _agency(lead_name, where, ctx, plan, known, task.line, task.quote,
                       extraction.source) if lead_name else None
        if lead is None and is_group(lead_name):
            plan.review.append(Review(
                "task", task.line, task.summary,
                f"cơ quan chủ trì là một nhóm ('{lead_name}'), không phải một cơ quan",
                f"the lead is a group of bodies ('{lead_name}'), not one agency", where))
            continue
        if lead is None:
            plan.review.append(Review(
                "task", task.line, task.summary,
                f"cơ quan chủ trì '{lead_name or '?'}' chưa có trong danh mục; dùng "
                "--create-missing để tạo",
                f"lead agency '{lead_name or '?'}' is not known; use --create-missing to "
                "create it", where))
            continue
        support = [_agency(name, where, ctx, plan, known, task.line, task.quote,
                           extraction.source) for name in task.support]
        key = f"{TASK_PREFIX}-{stem}-{number:03d}"
        plan.facts_for(where).append(Fact("task", key, {
            "id": key, "summary": task.summary, "lead_agency": lead,
            "lead_implied": not task.agency_stated,
            "support": [s for s in support if s],
            "support_text": list(task.support),
            "deadline_text": task.deadline_text, "deadline": task.deadline,
            "condition": task.condition, "continuing": task.continuing,
            "assigned_by": document, "target": None, "indicator": None, "extracted": True,
        }, Source(extraction.source, task.line, task.quote)))


# ---------------------------------------------------------------- targets


def _direction(target: Target) -> tuple[str, str]:
    """How a new indicator is judged, read from how its target is written (chiều đánh giá),
    with the reason."""
    expression = parse_expression(target.expression)
    if fold(target.indicator).startswith(("giam", "ha ")):
        return "decrease", "the indicator's name says giảm"
    if expression.kind in ("lt", "le"):
        return "decrease", f"the target is an upper bound ({target.expression})"
    if expression.kind == "range":
        return "band", f"the target is a range ({target.expression})"
    return "increase", f"the target is a floor or a level to reach ({target.expression})"


def _indicator(target: Target, ctx: IngestContext, plan: IngestPlan, known: Known,
               code: str | None, source: str) -> str | None:
    if target.indicator_id:
        return target.indicator_id
    found = known.indicators.candidates(target.indicator)
    if len(found) == 1:
        return found[0]
    key = slug(target.indicator)
    if found or not key:
        return None
    from kg.template import infer_measure  # the template's reading of how a figure adds up

    direction, why = _direction(target)
    payload = {"id": key, "name": " ".join(target.indicator.split()), "name_en": None,
               "unit": target.unit, "direction": direction, "direction_basis": why,
               "measure": infer_measure(target.unit, target.indicator), "group": None,
               "lead_agency": None, "aliases": [], "proposed_by_extraction": True}
    fact = Fact("indicator", key, payload, Source(source, target.line, target.quote))
    if all(p.key != key or p.kind != "indicator" for p in plan.proposed):
        plan.proposed.append(fact)
    if not ctx.create_missing:
        return None
    plan.facts_for(code).insert(0, fact)
    known.indicators.add(key, payload)
    return key


def _unit_clash(target: Target, indicator: dict[str, Any]) -> str | None:
    """The indicator's unit when the target is written in another one ("trên 95% dự toán"
    for an indicator in tỷ đồng is a share of the plan, not a level of the indicator)."""
    theirs = indicator.get("unit")
    if not theirs or not target.unit or fold(str(theirs)) == fold(target.unit):
        return None
    return str(theirs)


def _targets(extraction: Extraction, ctx: IngestContext, plan: IngestPlan,
             document: str | None) -> None:
    seen: set[str] = set()
    for target in extraction.targets:
        where = ctx.issuer or ctx.scope
        if target.period is None:
            plan.review.append(Review("target", target.line, target.quote,
                                      "chỉ tiêu không rõ năm/giai đoạn",
                                      "a target without its year or period", where))
            continue
        if where != ctx.scope and not ctx.route:
            plan.review.append(_elsewhere("target", target.line, target.quote, where))
            continue
        known = ctx.known(where)
        try:
            indicator = _indicator(target, ctx, plan, known, where, extraction.source)
        except (ParseError, KehoachError):
            indicator = None
        if indicator is None:
            plan.review.append(Review(
                "target", target.line, target.quote,
                f"chỉ tiêu '{target.indicator}' chưa có; dùng --create-missing để tạo",
                f"indicator '{target.indicator}' is not known; use --create-missing to "
                "create it", where))
            continue
        stated = _unit_clash(target, known.indicators.payload(indicator))
        if stated:
            plan.review.append(Review(
                "target", target.line, target.quote,
                f"đơn vị của chỉ tiêu ({target.unit}) khác đơn vị của {indicator} ({stated})",
                f"the target's unit ({target.unit}) differs from {indicator}'s ({stated})",
                where))
            continue
        key = f"{indicator}@{target.period}"
        if key in known.targets or key in seen:
            plan.review.append(Review(
                "target", target.line, target.quote,
                f"chỉ tiêu {key} đã có; văn bản nêu lại không thay đổi nó",
                f"target {key} exists already; a document restating it does not change it",
                where))
            continue
        seen.add(key)
        plan.facts_for(where).append(Fact("target", key, {
            "id": key, "indicator": indicator, "indicator_text": target.indicator,
            "period": target.period, "expression": target.expression, "unit": target.unit,
            "set_by": document, "assigned_by": None, "lead_agency": None, "baseline": None,
            "derived": False, "derivation": None, "row": None, "extracted": True,
        }, Source(extraction.source, target.line, target.quote)))


# ---------------------------------------------------------------- the document itself


_NUMBER_LINE = re.compile(r"(?:^|\|)[\s*#]*(?:Số|SỐ)\s*:\s*([0-9][^\s,;*|]*)")
"""The header's own "Số: 179/KH-UBND" (a line or a header-table cell that opens with it —
never a citation in a sentence)."""
_PLACE_DATE = re.compile(r",\s*ngày\s+([0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4})",
                         re.IGNORECASE)


def document_fact(extraction: Extraction, header: list[tuple[int, str]]) -> Fact:
    """The ingested document as a ``document`` fact: its number and date when its header
    states them ("Số: 179/KH-UBND", "Đồng Nai, ngày 15 tháng 10 năm 2025"), its class from
    the number's type code."""
    stem = slug(extraction.source.rsplit(".", 1)[0], sep="-") or "text"
    number = when = None
    line_no, quote = 1, extraction.source
    for no, text in header:
        found = _NUMBER_LINE.search(text)
        if number is None and found:
            try:
                number = parse_document_number(found[1])
                line_no, quote = no, found[0].strip()
            except ParseError:
                pass
        dated = _PLACE_DATE.search(text)
        if when is None and dated:
            try:
                when = parse_date(dated[1])
            except ParseError:
                pass
    payload = {
        "id": f"{DOCUMENT_PREFIX}-{stem}",
        "number": number.format() if number else None,
        "type": number.doc_type if number else None,
        "class": TYPE_CLASSES.get(number.doc_type or "", "LegalDocument") if number
        else "LegalDocument",
        "issuer": None, "date": when.isoformat() if when else None,
        "title": extraction.source, "based_on": [], "implements": [], "extracted": True,
    }
    return Fact("document", payload["id"], payload, Source(extraction.source, line_no, quote))


# ---------------------------------------------------------------- the plan


def plan_ingest(extraction: Extraction, ctx: IngestContext | None = None,
                header: list[tuple[int, str]] | None = None) -> IngestPlan:
    """The facts an extraction would assert, by jurisdiction, and what it leaves for review.

    Without ``ctx`` (the older call) only observations and task updates are planned, all for
    the log the caller holds."""
    stem = slug(extraction.source.rsplit(".", 1)[0], sep="-") or "text"
    if ctx is None:
        ctx = IngestContext(scope=None, known=lambda _c: Known(Matcher("agency"),
                                                              Matcher("indicator")))
        plan = IngestPlan(extraction.source)
        _observations(extraction, ctx, plan, stem)
        plan.facts.extend(task_update_facts(extraction, stem))
        return plan
    plan = IngestPlan(extraction.source, ctx.scope, ctx.issuer, ctx.issuer_evidence)
    doc = document_fact(extraction, header or [])
    _observations(extraction, ctx, plan, stem)
    _targets(extraction, ctx, plan, doc.key)
    _tasks(extraction, ctx, plan, stem, doc.key)
    # the document itself goes wherever a task or target it sets or assigns goes
    for code in [ctx.scope, *plan.routed]:
        facts = plan.facts_for(code)
        if any(f.kind in ("task", "target") for f in facts):
            facts.insert(0, doc)
    plan.facts.extend(task_update_facts(extraction, stem))
    if not ctx.route:
        for code in [c for c in plan.routed if c != ctx.scope]:
            for fact in plan.routed.pop(code):
                plan.review.append(_elsewhere(
                    fact.kind, fact.source.line if fact.source and fact.source.line else 0,
                    str(fact.payload.get("indicator_text") or fact.key), code))
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

