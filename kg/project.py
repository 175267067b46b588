"""Project facts of the log onto RDF triples (chiếu dữ kiện lên đồ thị), one function per kind.

Every node is typed by the kehoach ontology (``KH``) and reuses W3C terms where they fit:
SKOS labels, ORG for agencies, RDF Data Cube for observations, PROV for provenance, ELI through
the ontology's own sub-properties (``kh:basedOn ⊑ eli:based_on`` ...). Each fact becomes a
set of triples. Triples about the fact's own node belong to that fact alone (a new version
replaces them); triples about another node — a period, an indicator's ``kh:hasTarget``, a
task's deadline — are shared and ``PlanGraph`` counts them, so a period stays while any fact
still uses it. A projector may say something about another fact's node only with a predicate
that fact's own projector never uses (``kh:hasTarget`` on an indicator), which keeps that
ownership unambiguous. High-volume kinds (``UNLABELLED_KINDS``: observations, alerts, status
changes) carry no label repeating their id, and values that repeat across facts (dates, units,
rule ids, referenced IRIs, period triples) are built once and shared.

Data IRIs are ``https://kehoach.dev/id/<kind>/<key>`` (``entity_iri``). External terms are
used only where their domain and range hold (docs/ontology.md has the alignment table):
responsibility is ``kh:leadAgency`` / ``kh:supportingAgency`` plus a qualified
``kh:Responsibility`` node (agency, role), never ``prov:wasAttributedTo`` (authorship); the
agency an outcome is addressed to is ``kh:responsibleAgency``, not ``org:organization`` (whose
domain is ``org:Membership``); ``kh:sourceDocument`` (⊑ ``prov:hadPrimarySource``) is only on
facts read from a source sentence — a document or agency is ``kh:mentionedIn`` the document
naming it, and that document ``eli:cites`` a document it names; documents carry ``eli:number``
(not unique), ``eli:id_local`` (our key) and ``eli:type_document`` (a SKOS concept); codes
(status, alert kind, period kind, role, observation status) are SKOS concepts with
``skos:notation``; report figures are ``qb:Observation`` in one ``qb:DataSet`` per report. A
task's indicator is ``dcterms:subject`` (``kh:forIndicator`` has domain Target ⊔ Observation).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import yaml
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.namespace import TIME, XSD

from kg.errors import KehoachError
from kg.jurisdictions import jurisdiction_of
from kg.log import StoredFact
from kg.notation import Period, parse_expression, parse_number, parse_quantity
from kg.notation.docnumbers import parse_document_number
from ontology.namespace import DCTERMS, ELI, KH, KH_IRI, ORG, PROV, QB, SKOS
from ontology.terms import DOCUMENT_TYPE_CODES, NOTATIONS, QUDT_UNIT, UNITS

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]

DATA_IRI = "https://kehoach.dev/id/"
SAFE = "-_.~@"  # characters a key keeps as they are in its IRI
_SAFE_KEY = re.compile(r"[A-Za-z0-9_.~@-]*")

AGENCY_CLASSES: dict[str, URIRef] = {
    "department": KH.Agency, "provincial_body": KH.Agency, "central_branch": KH.Agency,
    "provincial_committee": KH.PeoplesCommittee, "district_committee": KH.PeoplesCommittee,
    "commune_committee": KH.PeoplesCommittee, "provincial_council": KH.PeoplesCouncil,
    "party_committee": KH.PartyCommittee, "party_standing_board": KH.PartyCommittee,
    "party_politburo": KH.PartyCommittee,
}
"""Agency kind (data/langson README) → ontology class; other kinds are ``kh:Organization``."""

DIRECTIONS = {"increase": KH.direction_increase, "decrease": KH.direction_decrease,
              "band": KH.direction_band, "maintain": KH.direction_maintain}
VERDICTS = {"Vượt": KH.verdict_exceeded, "Đạt": KH.verdict_achieved,
            "Không đạt": KH.verdict_not_achieved}
SOURCED_KINDS = frozenset({"observation", "target", "task", "indicator", "verdict"})
"""Kinds read from a sentence of their source document (``kh:sourceDocument``); documents and
agencies are only ``kh:mentionedIn`` it."""
TYPE_CLASSES = {"L": KH.Law, "NĐ": KH.Decree, "TT": KH.Circular}
"""Document type code → class, for documents the data types only generically."""


def _concepts(prefix: str) -> dict[str, URIRef]:
    """``skos:notation`` → concept, for the concepts whose name starts with ``prefix`` (IRIs
    built from the term table, not the generated namespace, so a stale ``namespace.py`` cannot
    stop ``kehoach ontology build`` from regenerating it)."""
    return {code: URIRef(f"{KH_IRI}{name}") for name, code in NOTATIONS.items()
            if name.startswith(prefix)}


STATUSES = {**_concepts("verdict_"), **_concepts("task_"), **_concepts("pace_")}
"""Status code (rules' ``status``/``previous``) → concept; pace, task and verdict codes differ."""
ALERT_KINDS = {k: v for k, v in _concepts("alert_").items() if "." not in k}
PERIOD_KINDS = _concepts("period_")
ROLES = _concepts("role_")
OBSERVATION_STATUSES = _concepts("obs_")
DOCUMENT_TYPES = {code: URIRef(f"{KH_IRI}doctype_{slug}")
                  for code, slug in DOCUMENT_TYPE_CODES.items()}
REPORT_STRUCTURE = URIRef(f"{KH_IRI}ReportStructure")
"""The Data Cube structure of report figures (ontology/cube.ttl, outside the OWL ontology)."""
TARGET_STRUCTURE = URIRef(f"{KH_IRI}TargetStructure")
INDICATOR_SCHEME = URIRef(f"{DATA_IRI}scheme/indicators")
"""The indicators as a code list (the Data Cube's ``kh:forIndicator`` dimension values)."""
_INDICATOR_SCHEME_TRIPLES: tuple[Triple, ...] = (
    (INDICATOR_SCHEME, RDF.type, SKOS.ConceptScheme),
    (INDICATOR_SCHEME, RDFS.label, Literal("Chỉ tiêu", lang="vi")),
    (INDICATOR_SCHEME, RDFS.label, Literal("Indicators", lang="en")))
TARGET_DATASET = URIRef(f"{DATA_IRI}dataset/targets")
_TARGET_DATASET_TRIPLES: tuple[Triple, ...] = (
    (TARGET_DATASET, RDF.type, QB.DataSet), (TARGET_DATASET, QB.structure, TARGET_STRUCTURE),
    (TARGET_STRUCTURE, RDF.type, QB.DataStructureDefinition))
"""The one data set of the plan's targets (a target fact is its qb:Observation; a target a
report merely implies is not: it has no value)."""

PLAN_BASES = {"ke_hoach": KH.basis_plan, "ke_hoach_dau_nam": KH.basis_plan,
              "ke_hoach_dieu_chinh": KH.basis_adjusted_plan, "du_toan": KH.basis_budget,
              "du_toan_trung_uong": KH.basis_budget, "du_toan_tinh": KH.basis_budget}


def entity_iri(kind: str, key: str) -> URIRef:
    """The IRI of a fact's subject: ``entity_iri("target", "grdp_growth@2024")``."""
    key = str(key)
    return URIRef(f"{DATA_IRI}{kind}/{key if _SAFE_KEY.fullmatch(key) else quote(key, safe=SAFE)}")


@lru_cache(maxsize=1 << 17)
def ref_iri(kind: str, key: str) -> URIRef:
    """``entity_iri`` for a node other facts point at (indicator, document, agency, target):
    recent ones are shared, so a million references do not each hold a copy of the IRI."""
    return entity_iri(kind, key)


def split_iri(node: Any) -> tuple[str, str] | None:
    """``(kind, key)`` of a data IRI, None for anything else."""
    text = str(node)
    if not text.startswith(DATA_IRI) or "/" not in text[len(DATA_IRI):]:
        return None
    kind, key = text[len(DATA_IRI):].split("/", 1)
    return kind, unquote(key)


def seed_document(doc_code: str) -> URIRef:
    """The source document of a provenance code ("002" → document ``seed-002``)."""
    return ref_iri("document", f"seed-{doc_code}")


def _date(value: Any) -> Literal | None:
    return _date_literal(str(value)) if value else None


@lru_cache(maxsize=8192)
def _date_literal(text: str) -> Literal | None:
    """One shared ``xsd:date`` literal per day (report dates repeat across thousands of facts)."""
    try:
        return Literal(date.fromisoformat(text), datatype=XSD.date)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _line(number: int) -> Literal:
    return Literal(number)


@lru_cache(maxsize=8192)
def _plain(text: str) -> Literal:
    """A shared plain literal for values that repeat across facts (rule ids, kinds)."""
    return Literal(text)


def _decimal(value: Decimal | None) -> Literal | None:
    return None if value is None else Literal(value, datatype=XSD.decimal)


def _number(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return parse_number(str(text))
    except KehoachError:
        return None


def _opt(s: Any, p: URIRef, o: Any) -> list[Triple]:
    return [] if o is None else [(s, p, o)]


def _refs(s: Any, p: URIRef, kind: str, keys: Any) -> list[Triple]:
    values = keys if isinstance(keys, list) else [keys]
    return [(s, p, ref_iri(kind, str(k))) for k in values if k]


@lru_cache(maxsize=1024)
def _activity(agent: str, at: datetime) -> tuple[URIRef, tuple[Triple, ...]]:
    """The write that stored a batch of facts (one ``append``: same agent, same time) as a
    ``prov:Activity`` associated with its agent; built once and shared by the batch."""
    node = entity_iri("activity", f"{agent}@{at.isoformat()}")
    who = entity_iri("agent", agent)
    return node, ((node, RDF.type, PROV.Activity),
                  (node, PROV.startedAtTime, Literal(at, datatype=XSD.dateTime)),
                  (node, PROV.wasAssociatedWith, who), (who, RDF.type, PROV.Agent),
                  (who, RDFS.label, Literal(agent)))


def _provenance(fact: StoredFact, node: URIRef) -> list[Triple]:
    """The current version's number and the activity that generated it (who, when); a rule
    outcome's activity is the rule's run, with the rule as its plan (``_rule_activity``)."""
    rule = fact.payload.get("rule") if fact.kind in OUTCOME_KINDS else None
    if isinstance(rule, dict) and rule.get("id"):
        activity, triples = _rule_activity(str(fact.submitted_by), fact.submitted_at,
                                           str(rule["id"]), str(rule.get("version") or ""))
    else:
        activity, triples = _activity(str(fact.submitted_by), fact.submitted_at)
    return [(node, _VERSION, _line(fact.version)), (node, _GENERATED, activity), *triples]


RULES_DIR = Path(__file__).resolve().parents[1] / "rules" / "definitions"
"""Where the rule files are (read for their titles and file names only; the rule id and
version come from the outcome)."""


@lru_cache(maxsize=1)
def _rule_files() -> dict[str, tuple[str, dict[str, str], str]]:
    """Rule id → (file, title by language, version in the file), read from the rule files."""
    out: dict[str, tuple[str, dict[str, str], str]] = {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        rules = data.get("rules") if isinstance(data, dict) else None
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, dict) and rule.get("id"):
                title = rule.get("title") if isinstance(rule.get("title"), dict) else {}
                out[str(rule["id"])] = (f"rules/definitions/{path.name}",
                                        {k: str(v) for k, v in title.items()},
                                        str(rule.get("version", "")))
    return out


@lru_cache(maxsize=512)
def rule_plan(rule_id: str, version: str) -> tuple[URIRef, tuple[Triple, ...]]:
    """A rule at one version as a ``prov:Plan`` (``/id/rule/<id>/v<version>``): labelled with
    its title when the rule file still holds that version, with ``kh:ruleId``,
    ``kh:ruleVersion`` and ``kh:ruleFile`` (luật nghiệp vụ và phiên bản)."""
    node = URIRef(f"{DATA_IRI}rule/{quote(rule_id, safe=SAFE)}/v{quote(version, safe=SAFE)}")
    file, title, current = _rule_files().get(rule_id, (None, {}, None))
    out: list[Triple] = [(node, _TYPE, PROV.Plan), (node, _TYPE, KH.Rule),
                         (node, KH.ruleId, _plain(rule_id)),
                         (node, KH.ruleVersion, _plain(version))]
    for lang in ("vi", "en"):
        name = title.get(lang) if current == version else None
        out.append((node, RDFS.label, Literal(f"{name} ({rule_id} v{version})" if name
                                              else f"{rule_id} v{version}", lang=lang)))
    out += _opt(node, KH.ruleFile, _plain(file) if file else None)
    return node, tuple(out)


@lru_cache(maxsize=1024)
def _rule_activity(agent: str, at: datetime, rule_id: str,
                   version: str) -> tuple[URIRef, tuple[Triple, ...]]:
    """One rule's run within a write (same agent, same time): a ``prov:Activity`` with a
    qualified association whose ``prov:hadPlan`` is the rule at its version; informed by the
    write that stored its outcomes. Shared by every outcome of that rule in the batch."""
    write, write_triples = _activity(agent, at)
    node = URIRef(f"{write}/{quote(rule_id, safe=SAFE)}/v{quote(version, safe=SAFE)}")
    association, who = URIRef(f"{node}/association"), entity_iri("agent", agent)
    plan, plan_triples = rule_plan(rule_id, version)
    return node, ((node, _TYPE, PROV.Activity),
                  (node, PROV.startedAtTime, Literal(at, datatype=XSD.dateTime)),
                  (node, PROV.wasAssociatedWith, who), (node, PROV.wasInformedBy, write),
                  (node, PROV.qualifiedAssociation, association),
                  (association, _TYPE, PROV.Association), (association, PROV.agent, who),
                  (association, PROV.hadPlan, plan), *plan_triples, *write_triples)


def _common(fact: StoredFact, node: URIRef, label: Any) -> list[Triple]:
    out: list[Triple] = [(node, DCTERMS.identifier, Literal(fact.key))]
    out += _provenance(fact, node)
    if label and fact.kind not in UNLABELLED_KINDS:
        out += [(node, RDFS.label, Literal(str(label), lang="vi")),
                (node, SKOS.prefLabel, Literal(str(label), lang="vi"))]
    src = fact.source
    if src is not None:
        doc = seed_document(src.doc) if src.doc != "basis" else None
        if doc is not None and doc != node:  # a seed document is not its own source
            out.append((node, KH.sourceDocument if fact.kind in SOURCED_KINDS
                        else KH.mentionedIn, doc))
        out += _opt(node, KH.sourceLine, None if src.line is None else _line(int(src.line)))
        out += _opt(node, KH.sourceQuote, Literal(src.quote, lang="vi") if src.quote else None)
        if doc is not None and doc != node and src.quote and fact.kind in SOURCED_KINDS:
            passage, passage_triples = _passage(str(doc), src.line, str(src.quote))
            out += [(node, KH.sourcePassage, passage), *passage_triples]
    return out


OA = Namespace("http://www.w3.org/ns/oa#")
"""W3C Web Annotation vocabulary (a quote as a text-quote selector on its document)."""


@lru_cache(maxsize=1 << 14)
def _passage(doc: str, line: int | None, text: str) -> tuple[URIRef, tuple[Triple, ...]]:
    """The sentence a fact was read from (đoạn trích nguồn) as an ``oa:SpecificResource`` of
    its document with an ``oa:TextQuoteSelector``: ``oa:exact`` the quote (@vi) and
    ``kh:sourceLine`` its line. Keyed by document, line and quote, so facts read from the same
    sentence share it."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    here = doc[len(DATA_IRI):] if doc.startswith(DATA_IRI) else quote(doc, safe=SAFE)
    node = URIRef(f"{DATA_IRI}passage/{here}/{'' if line is None else int(line)}/{digest}")
    selector = URIRef(f"{node}/selector")
    out: list[Triple] = [(node, _TYPE, OA.SpecificResource), (node, OA.hasSource, URIRef(doc)),
                         (node, OA.hasSelector, selector),
                         (selector, _TYPE, OA.TextQuoteSelector),
                         (selector, OA.exact, Literal(text, lang="vi"))]
    out += _opt(selector, KH.sourceLine, None if line is None else _line(int(line)))
    return node, tuple(out)


def _period(code: Any) -> tuple[URIRef | None, list[Triple]]:
    node, triples = _period_triples(str(code))
    return node, list(triples)


@lru_cache(maxsize=4096)
def _period_triples(code: str) -> tuple[URIRef | None, tuple[Triple, ...]]:
    """A period's node and triples, built once per code and shared by every fact using it."""
    try:
        period = Period.from_code(code)
    except (KehoachError, ValueError):
        return None, ()
    node = entity_iri("period", period.code)
    cls = KH.Period if period.kind in ("year", "multi_year") else KH.ReportingPeriod
    kind = PERIOD_KINDS.get(f"{period.kind}_{period.months}" if period.kind == "cumulative"
                            else period.kind) or PERIOD_KINDS.get(period.kind)
    start, end = _date(period.start.isoformat()), _date(period.end.isoformat())
    triples = ((node, RDF.type, cls), (node, RDFS.label, Literal(period.code)),
               (node, KH.startDate, start), (node, KH.endDate, end), (node, KH.periodKind, kind),
               *_interval(node, start, end))
    if period.kind not in ("year", "multi_year"):  # the year it falls in (OWL-Time)
        year, year_triples = _period_triples(str(period.year))
        triples += ((node, TIME.intervalIn, year), *year_triples) if year is not None else ()
    return node, triples


def _interval(node: URIRef, start: Literal | None, end: Literal | None) -> tuple[Triple, ...]:
    """The period as an OWL-Time interval: beginning and end instants (one node per day)."""
    out: list[Triple] = []
    for link, day in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
        if day is not None:
            instant = URIRef(f"{DATA_IRI}instant/{day}")
            out += [(node, link, instant), (instant, RDF.type, TIME.Instant),
                    (instant, TIME.inXSDDate, day)]
    return tuple(out)


UNIT_SCHEME = URIRef(f"{DATA_IRI}scheme/units")
"""The unit code list (``ontology.terms.UNITS``): the Data Cube's unit attribute values."""
_UNIT_SCHEME_TRIPLES: tuple[Triple, ...] = (
    (UNIT_SCHEME, RDF.type, SKOS.ConceptScheme),
    (UNIT_SCHEME, RDFS.label, Literal("Đơn vị tính", lang="vi")),
    (UNIT_SCHEME, RDFS.label, Literal("Units of measure", lang="en")))


def unit_key(text: str) -> str:
    """How a unit is compared with the code list: case, spacing and "m³"/"m3" do not matter."""
    return " ".join(text.replace("³", "3").casefold().split())


_UNITS_BY_TEXT = {unit_key(written): unit for unit in UNITS
                  for written in (unit.vi, *unit.aliases)}


def _unit(node: URIRef, text: Any) -> list[Triple]:
    """The unit as written (``kh:unit``) and, when the code list knows it, as its concept
    (``kh:unitOfMeasure``); an unknown unit stays a literal."""
    if not text:
        return []
    concept, triples = _unit_concept(unit_key(str(text)))
    return [(node, KH.unit, _plain(str(text))), *_opt(node, KH.unitOfMeasure, concept),
            *triples]


@lru_cache(maxsize=256)
def _unit_concept(key: str) -> tuple[URIRef | None, tuple[Triple, ...]]:
    """A unit's concept (``/id/unit/<code>``) and its triples, shared by every fact using it:
    labels (vi as written, en), notation, scheme and the QUDT unit it matches."""
    unit = _UNITS_BY_TEXT.get(key)
    if unit is None:
        return None, ()
    node = entity_iri("unit", unit.code)
    out: list[Triple] = [(node, _TYPE, SKOS.Concept), (node, SKOS.inScheme, UNIT_SCHEME),
                         (node, SKOS.prefLabel, Literal(unit.vi, lang="vi")),
                         (node, SKOS.prefLabel, Literal(unit.en, lang="en")),
                         (node, SKOS.notation, Literal(unit.code)), *_UNIT_SCHEME_TRIPLES]
    out += [(node, SKOS.altLabel, Literal(a, lang="vi")) for a in unit.aliases]
    out += _opt(node, SKOS.closeMatch, URIRef(f"{QUDT_UNIT}{unit.qudt}") if unit.qudt else None)
    return node, tuple(out)


def _bounds(node: URIRef, text: Any) -> list[Triple]:
    try:
        expr = parse_expression(str(text))
    except KehoachError:
        return []
    out = _opt(node, KH.lowerBound, _decimal(expr.low))
    out += _opt(node, KH.upperBound, _decimal(expr.high))
    # a strict bound ('>3', 'trên 90%') says so; a closed one writes nothing (flags only when
    # they hold: most targets are closed, and every triple counts in a national graph)
    if expr.low is not None and not expr.low_inclusive:
        out.append((node, KH.lowerOpen, _TRUE))
    if expr.high is not None and not expr.high_inclusive:
        out.append((node, KH.upperOpen, _TRUE))
    return out


_TRUE = Literal(True)


def agency_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out = [(node, RDF.type, AGENCY_CLASSES.get(str(p.get("kind")), KH.Organization)),
           (node, DCTERMS.type, Literal(str(p.get("kind"))))]
    out += _opt(node, SKOS.prefLabel, Literal(p["name_en"], lang="en") if p.get("name_en")
                else None)
    out += [(node, SKOS.altLabel, Literal(str(a), lang="vi")) for a in p.get("aliases") or []]
    out += _refs(node, KH.subOrganizationOf, "agency", p.get("parent"))
    out += _refs(node, KH.succeededBy, "agency", p.get("succeeded_by"))
    out += _opt(node, KH.validFrom, _date(p.get("valid_from")))
    out += _opt(node, KH.validUntil, _date(p.get("valid_until")))
    return out + _changes(node, p)


def _changes(node: URIRef, p: dict[str, Any]) -> list[Triple]:
    """The agency's history (merged, absorbed, abolished) as ``org:ChangeEvent`` nodes: date,
    what changed, the successor when merged into it, and the legal basis as the data words it
    (the decree is named there; its text is not a document of the data set)."""
    out: list[Triple] = []
    here = str(node)[len(DATA_IRI):]
    for i, entry in enumerate(p.get("history") or [], 1):
        if not isinstance(entry, dict):
            continue
        change = URIRef(f"{DATA_IRI}change/{here}/{i}")
        text = str(entry.get("change") or "")
        out += [(node, ORG.changedBy, change), (change, _TYPE, ORG.ChangeEvent),
                (change, ORG.originalOrganization, node)]
        out += _opt(change, DCTERMS.date, _date(entry.get("date")))
        out += _opt(change, DCTERMS.description, Literal(text, lang="en") if text else None)
        if text.startswith("merged into") and p.get("succeeded_by"):
            out.append((change, ORG.resultingOrganization,
                        ref_iri("agency", str(p["succeeded_by"]))))
        basis = (entry.get("source") or {}).get("basis") if isinstance(
            entry.get("source"), dict) else None
        out += _opt(change, RDFS.comment, Literal(str(basis), lang="en") if basis else None)
    return out


def _party_number(number: Any) -> bool:
    try:
        return parse_document_number(str(number)).grammar == "party"
    except KehoachError:
        return False


def document_class(payload: dict[str, Any]) -> URIRef:
    """The document's class: the data's ``class`` made specific by its type code and number —
    a generic document of type L is a Law, NĐ a Decree; a resolution numbered in the Party
    grammar (49-NQ/TU) a PartyResolution."""
    try:
        cls = getattr(KH, str(payload.get("class") or "LegalDocument"))
    except AttributeError:
        cls = KH.LegalDocument
    if cls == KH.LegalDocument:
        cls = TYPE_CLASSES.get(str(payload.get("type")), cls)
    number = payload.get("number_normalised") or payload.get("number")
    if cls == KH.Resolution and number and _party_number(number):
        cls = KH.PartyResolution
    return cls


def _citations(fact: StoredFact, node: URIRef) -> list[Triple]:
    """``eli:cites`` from every document naming this one (its source and ``also_cited``)."""
    docs = [fact.source.doc] if fact.source is not None else []
    docs += [str(c["doc"]) for c in fact.payload.get("also_cited") or []
             if isinstance(c, dict) and c.get("doc")]
    citing = {seed_document(d) for d in docs if d and d != "basis"}
    return [(d, ELI.cites, node) for d in sorted(citing) if d != node]


def document_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, document_class(p)),
                         (node, ELI.id_local, Literal(fact.key))]
    number = p.get("number_normalised") or p.get("number")
    out += _opt(node, KH.documentNumber, Literal(str(number)) if number else None)
    if p.get("number_normalised") and p.get("number"):
        out.append((node, DCTERMS.alternative, Literal(str(p["number"]))))  # as written
    out += _opt(node, DCTERMS.title, Literal(p["title"], lang="vi") if p.get("title") else None)
    out += _opt(node, ELI.type_document, DOCUMENT_TYPES.get(str(p.get("type"))))
    out += _opt(node, KH.issuedOn, _date(p.get("date")))
    out += _citations(fact, node)
    out += _refs(node, KH.issuedBy, "agency", p.get("issuer"))
    out += _refs(node, KH.basedOn, "document", p.get("based_on"))
    out += _refs(node, KH.implements, "document", p.get("implements"))
    return out


def indicator_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, KH.Indicator), (node, RDF.type, SKOS.Concept),
                         (node, SKOS.inScheme, INDICATOR_SCHEME),
                         (node, SKOS.notation, Literal(fact.key)), *_INDICATOR_SCHEME_TRIPLES]
    out += _opt(node, SKOS.prefLabel, Literal(p["name_en"], lang="en") if p.get("name_en")
                else None)
    out += [(node, SKOS.altLabel, Literal(str(a), lang="vi")) for a in p.get("aliases") or []]
    out += _unit(node, p.get("unit"))
    out += _opt(node, KH.direction, DIRECTIONS.get(str(p.get("direction"))))
    out += _refs(node, KH.leadAgency, "agency", p.get("lead_agency"))
    return out + _responsibilities(node, fact.kind, fact.key, p)


_AGENCY_AT = len(f"{DATA_IRI}agency/")
# predicates of the hot paths, looked up once (a closed namespace's attribute costs a call)
_TYPE, _QUALIFIED, _RESPONSIBILITY = RDF.type, KH.qualifiedResponsibility, KH.Responsibility
_AGENCY, _ROLE, _VERSION, _GENERATED = KH.agency, KH.role, KH.version, PROV.wasGeneratedBy
_USED_VERSION, _SPECIALIZES = KH.usedVersion, PROV.specializationOf


def _responsibilities(node: URIRef, kind: str, key: str, p: dict[str, Any]) -> list[Triple]:
    """Qualified roles: one ``kh:Responsibility`` (agency, role) per lead or supporting agency;
    its node is shared (not owned), like a task's deadline."""
    roles = [("implied_lead" if p.get("lead_implied") else "lead", p.get("lead_agency"))]
    support = p.get("support")
    roles += [("support", a) for a in (support if isinstance(support, list) else [support])]
    out: list[Triple] = []
    here = str(node)[len(DATA_IRI):]  # kind/key, already quoted
    for role, agency in roles:
        if not agency:
            continue
        who = ref_iri("agency", str(agency))
        r = URIRef(f"{DATA_IRI}responsibility/{here}/{role}/{str(who)[_AGENCY_AT:]}")
        out += [(node, _QUALIFIED, r), (r, _TYPE, _RESPONSIBILITY), (r, _AGENCY, who),
                (r, _ROLE, ROLES[role])]
    return out


def target_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, KH.Target), (node, RDF.type, QB.Observation),
                         (node, QB.dataSet, TARGET_DATASET), *_TARGET_DATASET_TRIPLES]
    if p.get("indicator"):
        ind = ref_iri("indicator", str(p["indicator"]))
        out += [(node, KH.forIndicator, ind), (ind, KH.hasTarget, node)]
    period, period_triples = _period(p.get("period"))
    out += period_triples + _opt(node, KH.forPeriod, period)
    out += _opt(node, KH.expression, Literal(str(p["expression"])) if p.get("expression")
                else None)
    out += _unit(node, p.get("unit"))
    out += _bounds(node, p.get("expression"))
    out += _refs(node, KH.setBy, "document", p.get("set_by"))
    out += _refs(node, KH.assignedBy, "document", p.get("assigned_by"))
    out += _opt(node, KH.baseline, Literal(str(p["baseline"])) if p.get("baseline") else None)
    out += _opt(node, KH.derivation, Literal(str(p["derivation"])) if p.get("derived")
                and p.get("derivation") else None)
    return out


def report_dataset(doc: URIRef) -> tuple[URIRef, tuple[Triple, ...]]:
    """The ``qb:DataSet`` of one report's figures and its triples (shared, built once)."""
    return _dataset(str(doc))


@lru_cache(maxsize=4096)
def _dataset(doc: str) -> tuple[URIRef, tuple[Triple, ...]]:
    parts = split_iri(doc)
    node = entity_iri("dataset", parts[1] if parts else doc)
    return node, ((node, RDF.type, QB.DataSet), (node, QB.structure, REPORT_STRUCTURE),
                  (REPORT_STRUCTURE, RDF.type, QB.DataStructureDefinition),
                  (node, DCTERMS.source, URIRef(doc)))


def observation_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, KH.Observation)]
    if fact.source is not None and fact.source.doc != "basis":
        dataset, dataset_triples = report_dataset(seed_document(fact.source.doc))
        out += [(node, QB.dataSet, dataset), *dataset_triples]
    out += _opt(node, KH.observationStatus, OBSERVATION_STATUSES.get(str(p.get("kind"))))
    out += _refs(node, KH.forIndicator, "indicator", p.get("indicator"))
    period, period_triples = _period(p.get("period"))
    out += period_triples + _opt(node, KH.forPeriod, period)
    if p.get("value") not in (None, ""):
        out.append((node, KH.expression, Literal(str(p["value"]))))
        try:
            out.append((node, KH.observedValue, Literal(parse_quantity(str(p["value"])).value,
                                                        datatype=XSD.decimal)))
        except KehoachError:
            pass
    out += _unit(node, p.get("unit"))
    out += _opt(node, KH.pctOfPlan, _decimal(_number(p.get("pct_of_plan"))))
    out += _opt(node, KH.planBasis, PLAN_BASES.get(str(p.get("plan_basis"))))
    return out


def verdict_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    """An official table row (Đánh giá): the document's own verdict on an indicator, with its
    plan, estimate and baseline as written — not a measured figure (no qb:Observation)."""
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, KH.OfficialVerdict)]
    out += _refs(node, KH.forIndicator, "indicator", p.get("indicator"))
    out += _opt(node, KH.expression, Literal(str(p["estimate"])) if p.get("estimate") else None)
    out += _opt(node, KH.planExpression, Literal(str(p["plan"])) if p.get("plan") else None)
    out += _opt(node, KH.baseline, Literal(str(p["baseline"])) if p.get("baseline") else None)
    out += _opt(node, KH.verdict, VERDICTS.get(str(p.get("verdict"))))
    return out


def task_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    p = fact.payload
    out: list[Triple] = [(node, RDF.type, KH.Task)]
    lead = KH.impliedLeadAgency if p.get("lead_implied") else KH.leadAgency
    out += _refs(node, lead, "agency", p.get("lead_agency"))
    out += _refs(node, KH.supportingAgency, "agency", p.get("support"))
    out += _refs(node, KH.assignedBy, "document", p.get("assigned_by"))
    out += _refs(node, DCTERMS.subject, "indicator", p.get("indicator"))
    out += _responsibilities(node, fact.kind, fact.key, p)
    if p.get("deadline") or p.get("deadline_text") or p.get("condition"):
        deadline = entity_iri("deadline", fact.key)
        text = p.get("deadline_text") or p.get("condition")
        out += [(node, KH.hasDeadline, deadline), (deadline, RDF.type, KH.Deadline)]
        out += _opt(deadline, KH.conditional, _TRUE if p.get("condition") else None)
        out += _opt(deadline, KH.expression, Literal(str(text)) if text else None)
        out += _opt(deadline, KH.dueOn, _date(p.get("deadline")))
        out += _opt(deadline, RDFS.comment, Literal(str(p["condition"]), lang="vi")
                    if p.get("condition") else None)
    return out


SUBJECT_KINDS = {"task": "task", "target": "target", "indicator": "indicator",
                 "observation": "observation", "verdict_row": "verdict"}
"""Rules' subject kind → the fact kind of its node."""


def _subject_node(subject: Any) -> URIRef | None:
    if isinstance(subject, dict) and subject.get("id") and subject.get("kind"):
        kind = SUBJECT_KINDS.get(str(subject["kind"]))
        return None if kind is None else ref_iri(kind, str(subject["id"]))
    return None


def _concern(node: URIRef, subject: Any) -> list[Triple]:
    """``kh:concerns`` the subject's node. A target subject may be implied by a report figure
    (``indicator@year`` with no target fact): it is typed ``kh:Target`` here, a shared triple
    (``PlanGraph`` keeps a type both owned and shared until neither holds it)."""
    target = _subject_node(subject)
    if target is None:
        return []
    out: list[Triple] = [(node, KH.concerns, target)]
    if subject["kind"] == "target":
        out.append((target, RDF.type, KH.Target))
    return out


def _derived(node: URIRef, fact_ids: Any) -> list[Triple]:
    """``prov:wasDerivedFrom`` each fact used, and ``kh:usedVersion`` the exact version
    (``kind:key#vN``): a version node, ``prov:specializationOf`` the fact, shared by every
    outcome that used it (the fact's own node holds only its current ``kh:version``)."""
    out = []
    for fid in fact_ids or []:
        kind, _, rest = str(fid).partition(":")
        if rest:
            key, _, number = rest.partition("#v")
            fact = ref_iri(kind, key)
            out.append((node, PROV.wasDerivedFrom, fact))
            if number.isdigit():
                out += _version(fact, int(number), node)
    return out


def _version(fact: URIRef, number: int, user: URIRef) -> list[Triple]:
    version = URIRef(f"{DATA_IRI}version/{str(fact)[len(DATA_IRI):]}/{number}")
    return [(user, _USED_VERSION, version), (version, _TYPE, PROV.Entity),
            (version, _SPECIALIZES, fact), (version, _VERSION, _line(number))]


WITHDRAWN = "withdrawn"
"""Payload flag of a rule outcome the rules no longer conclude (``rules.persist``): its key's
latest version says so, and the graph drops the outcome's triples (the log keeps its history)."""


def is_withdrawn(fact: StoredFact) -> bool:
    """A withdrawn alert or status change (every other fact: False)."""
    return fact.kind in OUTCOME_KINDS and bool(fact.payload.get(WITHDRAWN))


def outcome_triples(fact: StoredFact, node: URIRef) -> list[Triple]:
    """Alerts and status changes written back by the rules (kinds ``alert``, ``status_change``).

    The graph keeps what links an outcome to the plan — subject, rule, date, kind, agency, the
    facts it derives from (``trace``, ``impact``, SPARQL); the explanation text stays in the
    log and is served by the alerts API (a unique literal per outcome is most of its memory).
    """
    p = fact.payload
    cls = KH.Alert if fact.kind == "alert" else KH.StatusChange
    out: list[Triple] = [(node, RDF.type, cls)]
    out += _concern(node, p.get("subject"))
    rule = p.get("rule") or {}
    out += _opt(node, KH.ruleId, _plain(str(rule["id"])) if rule.get("id") else None)
    out += _opt(node, KH.ruleVersion, _plain(str(rule["version"])) if rule.get("version")
                else None)
    out += _opt(node, KH.asOf, _date(p.get("as_of")))
    if fact.kind == "alert":
        out += _opt(node, KH.alertKind, ALERT_KINDS.get(str(p.get("kind"))))
    else:
        out += _opt(node, KH.status, STATUSES.get(str(p.get("status"))))
        out += _opt(node, KH.previousStatus, STATUSES.get(str(p.get("previous"))))
    out += _refs(node, KH.responsibleAgency, "agency", p.get("agency"))
    return out + _derived(node, p.get("facts"))


PROJECTORS: dict[str, Callable[[StoredFact, URIRef], list[Triple]]] = {
    "agency": agency_triples,
    "document": document_triples,
    "indicator": indicator_triples,
    "target": target_triples,
    "observation": observation_triples,
    "verdict": verdict_triples,
    "task": task_triples,
    "alert": outcome_triples,
    "status_change": outcome_triples,
}
"""Fact kind → projector. Kinds not listed (``task_update``) add no triples."""

OUTCOME_KINDS = frozenset({"alert", "status_change"})
LABEL_FIELDS = {"agency": "name", "document": "title", "indicator": "name", "task": "summary"}
UNLABELLED_KINDS = frozenset({"observation", "alert", "status_change"})
"""High-volume kinds with no name of their own: no ``rdfs:label`` / ``skos:prefLabel`` (they
would only repeat ``dcterms:identifier``); ``PlanGraph.info`` names them by their id."""


def fact_triples(fact: StoredFact, node: URIRef | None = None) -> list[Triple]:
    """All triples one stored fact contributes to the graph (empty for unprojected kinds);
    ``node`` is the fact's own IRI when the caller already has it."""
    projector = PROJECTORS.get(fact.kind)
    if projector is None or is_withdrawn(fact):  # a withdrawn outcome's version removes it
        return []
    node = entity_iri(fact.kind, fact.key) if node is None else node
    label = fact.payload.get(LABEL_FIELDS.get(fact.kind, "")) or fact.key
    return [t for t in _common(fact, node, label) + projector(fact, node)
            + _in_jurisdiction(fact, node) if t[2] is not None]


JURISDICTION_KINDS = frozenset({"agency", "document", "indicator", "target", "task",
                                "observation", "alert", "status_change"})
"""Kinds whose node says which jurisdiction it belongs to (``kh:inJurisdiction``)."""


def _in_jurisdiction(fact: StoredFact, node: URIRef) -> list[Triple]:
    code = getattr(fact, "jurisdiction", None)
    if not code or fact.kind not in JURISDICTION_KINDS:
        return []
    place, triples = _jurisdiction_node(code)
    return [(node, KH.inJurisdiction, place), *triples] if place is not None else []


@lru_cache(maxsize=256)
def _jurisdiction_node(code: str) -> tuple[URIRef | None, tuple[Triple, ...]]:
    """A jurisdiction of the shipped list (kg.jurisdictions): its node, typed and named
    (the full list with the 2025 mergers: ``kg.jurisdiction_graph``); None for a code the
    list does not hold."""
    item = jurisdiction_of(code)
    if item is None:
        return None, ()
    node = entity_iri("jurisdiction", code)
    return node, ((node, RDF.type, KH.Jurisdiction),
                  (node, SKOS.prefLabel, Literal(item.full_name, lang="vi")),
                  (node, SKOS.prefLabel, Literal(item.name_en, lang="en")),
                  (node, SKOS.notation, Literal(code)))
