"""The plan graph uses reused vocabularies by their definitions (issue 21): ELI numbers, ids,
types and citations; no ORG/PROV misuse; SKOS codes with notations; report figures in a
Data Cube data set; official verdict rows apart from figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS as rdflib_dcterms
from rdflib.namespace import ORG, PROV, QB, SKOS

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, Source, StoredFact, open_log
from kg.project import (
    REPORT_STRUCTURE,
    TARGET_DATASET,
    TARGET_STRUCTURE,
    entity_iri,
    fact_triples,
)
from ontology.namespace import ELI, KH
from tests.kg.test_validate import DATA


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> PlanGraph:
    log = open_log(tmp_path_factory.mktemp("vocab") / "kh.db")
    load_into(log, DATA)
    return PlanGraph.from_log(log)


def _doc(key: str):
    return entity_iri("document", key)


def test_documents_are_typed_by_kind(plan):
    g = plan.graph
    counts = {cls: len(set(g.subjects(RDF.type, KH[cls])))
              for cls in ("Law", "Decree", "PartyResolution")}
    # 4 decrees of the data set and 45/2025/NĐ-CP, the legal basis of the 2025 mergers
    assert counts == {"Law": 11, "Decree": 5, "PartyResolution": 17}
    assert (_doc("nq-29-hdnd-2022"), RDF.type, KH.Resolution) in g  # a state resolution


def test_document_number_is_eli_number_and_key_is_id_local(plan):
    g = plan.graph
    doc = _doc("nq-29-hdnd-2022")
    assert g.value(doc, KH.documentNumber) == Literal("29/NQ-HĐND")
    assert g.value(doc, ELI.id_local) == Literal("nq-29-hdnd-2022")
    kind = g.value(doc, ELI.type_document)
    assert kind == KH.doctype_resolution
    shared = [n for n in g.subjects(KH.documentNumber, Literal("29-NQ/TW"))]
    assert len(shared) == 2  # a number is not an identifier


def test_document_type_concepts_come_from_the_ontology():
    from kg.validate import ontology_graph

    onto = ontology_graph()
    assert str(onto.value(KH.doctype_law, SKOS.notation)) == "L"
    assert (KH.doctype_law, SKOS.inScheme, KH.DocumentTypeScheme) in onto


def test_citations_are_eli_cites_and_documents_have_no_primary_source(plan):
    g = plan.graph
    seed = _doc("seed-000")
    assert (seed, ELI.cites, _doc("nq-29-hdnd-2022")) in g
    assert (seed, ELI.cites, seed) not in g
    for cls in (KH.LegalDocument, KH.Organization, KH.Agency, KH.Law, KH.Report):
        for node in g.subjects(RDF.type, cls):
            assert g.value(node, KH.sourceDocument) is None, node
    assert g.value(_doc("nq-29-hdnd-2022"), KH.mentionedIn) == seed
    assert g.value(seed, KH.mentionedIn) is None  # never its own source


def test_no_org_or_prov_misuse(plan):
    g = plan.graph
    assert not list(g.triples((None, ORG.organization, None)))
    assert not list(g.triples((None, PROV.wasAttributedTo, None)))
    assert not list(g.triples((None, PROV.hadPrimarySource, None)))


def test_indicator_lead_is_a_qualified_responsibility(plan):
    g = plan.graph
    ind = entity_iri("indicator", "grdp_growth")
    lead = g.value(ind, KH.leadAgency)
    assert lead is not None
    [resp] = list(g.objects(ind, KH.qualifiedResponsibility))
    assert (g.value(resp, KH.agency), g.value(resp, KH.role)) == (lead, KH.role_lead)


def test_quotes_are_language_tagged(plan):
    from ontology.namespace import OA

    quotes = [*plan.graph.objects(None, KH.sourceQuote), *plan.graph.objects(None, OA.exact)]
    assert quotes and all(q.language == "vi" for q in quotes)


def test_periods_carry_their_kind(plan):
    g = plan.graph
    assert g.value(entity_iri("period", "2024"), KH.periodKind) == KH.period_year
    assert g.value(entity_iri("period", "9T/2024"), KH.periodKind) == KH.period_nine_month
    assert g.value(entity_iri("period", "11T/2023"), KH.periodKind) == KH.period_year_to_date


def test_targets_keep_baseline_and_derivation(plan):
    g = plan.graph
    assert g.value(entity_iri("target", "grdp_growth@2024"), KH.baseline) == Literal("7,0")
    derived = entity_iri("target", "local_export_value@2024")
    assert "obs-001-010" in str(g.value(derived, KH.derivation))


def test_figures_form_one_data_set_per_report(plan):
    g = plan.graph
    figures = set(g.subjects(RDF.type, KH.Observation))
    datasets = {g.value(f, QB.dataSet) for f in figures}
    assert None not in datasets and len(datasets) == 4
    for ds in datasets:
        assert (ds, RDF.type, QB.DataSet) in g
        assert g.value(ds, QB.structure) == REPORT_STRUCTURE
    obs = entity_iri("observation", "obs-001-001")
    assert g.value(obs, KH.observationStatus) == KH.obs_estimate
    assert g.value(obs, QB.dataSet) == entity_iri("dataset", "seed-001")


def test_targets_form_one_data_set(plan):
    g = plan.graph
    targets = set(g.subjects(RDF.type, KH.Target))
    assert len(targets) > 100
    assert {g.value(t, QB.dataSet) for t in targets} == {TARGET_DATASET}
    assert all((t, RDF.type, QB.Observation) in g for t in targets)
    assert g.value(TARGET_DATASET, QB.structure) == TARGET_STRUCTURE
    assert (TARGET_STRUCTURE, RDF.type, QB.DataStructureDefinition) in g


def test_official_verdicts_are_not_observations(plan):
    g = plan.graph
    rows = set(g.subjects(RDF.type, KH.OfficialVerdict))
    assert len(rows) == 60
    assert not rows & set(g.subjects(RDF.type, KH.Observation))
    row = entity_iri("verdict", "verdict-2024-I.1")
    assert g.value(row, KH.verdict) == KH.verdict_not_achieved
    assert g.value(row, KH.planExpression) == Literal("7 - 7,5")


def _stored(kind: str, key: str, payload: dict) -> StoredFact:
    return StoredFact(seq=1, kind=kind, key=key, version=1, payload=payload, source=None,
                      submitted_by="test", submitted_at=datetime.now(UTC),
                      as_of=None, content_hash="x")


def _outcome(fact_kind: str, **payload) -> list:
    from kg.outcome_graph import outcome_triples

    return outcome_triples(_rule_output("o1", fact_kind, {
        "rule": {"id": "r", "version": 1}, "agency": "so-y-te", **payload}))


def _rule_output(key: str, kind: str, payload: dict, as_of: str = "2024-06-30") -> dict:
    """A rule outcome as the outcome store hands it to the graph (``kg.outcome_graph``)."""
    return {"id": key, "kind": kind, "as_of": as_of, "payload": {"as_of": as_of, **payload}}


def _put(plan: PlanGraph, *outcomes: dict) -> PlanGraph:
    from kg.outcome_graph import outcome_node, outcome_triples

    for item in outcomes:
        plan.put_node(outcome_node(item), outcome_triples(item))
    return plan


def test_every_status_and_alert_kind_of_the_rules_has_a_concept():
    from kg.project import ALERT_KINDS, STATUSES
    from rules.vocabulary import ALERT_KINDS as RULE_ALERT_KINDS
    from rules.vocabulary import STATUSES as RULE_STATUSES

    codes = {code for statuses in RULE_STATUSES.values() for code in statuses}
    assert codes <= set(STATUSES), codes - set(STATUSES)
    assert set(RULE_ALERT_KINDS) <= set(ALERT_KINDS), set(RULE_ALERT_KINDS) - set(ALERT_KINDS)


def test_outcomes_use_concepts_and_a_kehoach_agency_property():
    node = entity_iri("status_change", "o1")
    triples = set(_outcome("status_change", status="overdue", previous="due_soon",
                           subject={"id": "task-1", "kind": "task"}))
    assert (node, KH.status, KH.task_overdue) in triples
    assert (node, KH.previousStatus, KH.task_due_soon) in triples
    assert (node, KH.responsibleAgency, entity_iri("agency", "so-y-te")) in triples
    assert not [t for t in triples if t[1] == ORG.organization]
    alert = set(_outcome("alert", kind="missing_report",
                         subject={"id": "grdp_growth", "kind": "indicator"}))
    anode = entity_iri("alert", "o1")
    assert (anode, KH.alertKind, KH.alert_missing_report) in alert
    assert (anode, KH.concerns, entity_iri("indicator", "grdp_growth")) in alert


def test_an_implied_target_is_typed_and_keeps_its_type_across_versions(tmp_path):
    log = open_log(tmp_path / "kh.db")
    alert = {"rule": {"id": "pace", "version": 1}, "kind": "at_risk",
             "subject": {"id": "ind@2025", "kind": "target"}, "facts": []}
    plan = _put(PlanGraph.from_log(log), _rule_output("a1", "alert", alert))
    target = entity_iri("target", "ind@2025")
    assert (target, RDF.type, KH.Target) in plan.graph
    assert plan.graph.value(target, QB.dataSet) is None  # implied: no value, no data set
    log.append([Fact("target", "ind@2025", {"id": "ind@2025", "period": "2025",
                                            "expression": "5"}, Source("001", 2, "y"))])
    plan.refresh(log)
    moved = _rule_output("a1", "alert", {**alert, "kind": "off_track",
                                         "subject": {"id": "x@2025", "kind": "target"}})
    _put(plan, moved)
    assert (target, RDF.type, KH.Target) in plan.graph  # the target fact owns it now
    assert set(plan.graph) == set(_put(PlanGraph.from_log(log), moved).graph)


def test_each_fact_says_which_version_and_which_write_produced_it(tmp_path):
    log = open_log(tmp_path / "kh.db")
    target = {"id": "ind@2025", "period": "2025", "expression": "5"}
    log.append([Fact("target", "ind@2025", target, Source("001", 1, "x"))],
               submitted_by="loader")
    plan = PlanGraph.from_log(log)
    g, node = plan.graph, entity_iri("target", "ind@2025")
    first = g.value(node, PROV.wasGeneratedBy)
    assert int(g.value(node, KH.version)) == 1
    assert (first, RDF.type, PROV.Activity) in g
    assert g.value(first, PROV.wasAssociatedWith) == entity_iri("agent", "loader")
    assert g.value(first, PROV.startedAtTime).datatype.endswith("#dateTime")
    log.append([Fact("target", "ind@2025", {**target, "expression": "6"},
                     Source("001", 1, "x"))], submitted_by="an-editor")
    plan.refresh(log)
    second = g.value(node, PROV.wasGeneratedBy)
    assert int(g.value(node, KH.version)) == 2 and second != first
    assert g.value(second, PROV.wasAssociatedWith) == entity_iri("agent", "an-editor")
    assert (first, None, None) not in g  # no fact's current version came from it any more
    assert set(g) == set(PlanGraph.from_log(log).graph)


def _docs_query(target: str) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "ontology.md").read_text("utf-8")
    query = text.split("```sparql", 1)[1].split("```", 1)[0]
    return query.replace("grdp_growth@2024", target)


def test_the_documented_query_answers_for_stated_and_implied_targets(tmp_path):
    log = open_log(tmp_path / "kh.db")
    load_into(log, DATA)
    alert = {"rule": {"id": "pace.achieved_early", "version": 1}, "kind": "achieved_early",
             "subject": {"id": "industrial_salt_output@2023", "kind": "target"},
             "facts": ["observation:obs-002-018#v1"]}
    plan = _put(PlanGraph.from_log(log), _rule_output("a1", "alert", alert, "2023-12-31"))
    stated = list(plan.graph.query(_docs_query("grdp_growth@2024")))
    assert {(str(r.setBy).rsplit("/", 1)[-1], str(r.assignedBy).rsplit("/", 1)[-1])
            for r in stated} == {("nq-hdnd-ke-hoach-2024", "qd-ubnd-giao-chi-tieu-2024")}
    assert all(str(r.targetBy).endswith("/agent/dataset") for r in stated)
    implied = list(plan.graph.query(_docs_query("industrial_salt_output@2023")))
    figures = {(str(r.figure).rsplit("/", 1)[-1], str(r.report).rsplit("/", 1)[-1], int(r.line))
               for r in implied}
    assert ("obs-002-018", "seed-002", 51) in figures
    assert all(r.setBy is None and str(r.figureBy).endswith("/agent/dataset") for r in implied)


def test_agency_mergers_are_org_change_events(plan):
    g = plan.graph
    old = entity_iri("agency", "so-ke-hoach-va-dau-tu")
    [change] = list(g.objects(old, ORG.changedBy))
    assert (change, RDF.type, ORG.ChangeEvent) in g
    assert g.value(change, ORG.originalOrganization) == old
    assert g.value(change, ORG.resultingOrganization) == entity_iri("agency", "so-tai-chinh")
    assert str(g.value(change, rdflib_dcterms.date)) == "2025-03-01"
    assert "45/2025/NĐ-CP" in str(g.value(change, RDFS.comment))  # the data's words, kept
    # the decree that made it is a document node: typed by kind, eli:number, type, date
    decree = g.value(change, KH.legalBasis)
    assert decree == entity_iri("document", "ref-45-2025-nd-cp")
    assert (decree, RDF.type, KH.Decree) in g and g.value(decree, ELI.type_document) == \
        KH.doctype_decree
    assert str(g.value(decree, KH.documentNumber)) == "45/2025/NĐ-CP"
    assert str(g.value(decree, KH.issuedOn)) == "2025-02-28"
    # every merger of 01/3/2025 names it: one node, shared
    changes = set(g.subjects(KH.legalBasis, decree))
    assert len(changes) >= 8 and all((c, RDF.type, ORG.ChangeEvent) in g for c in changes)
    # a national resolution named in the basis too, with its own kind
    assert (entity_iri("document", "ref-176-2025-qh15"), RDF.type, KH.Resolution) in g


def test_indicators_are_a_code_list(plan):
    g = plan.graph
    ind = entity_iri("indicator", "grdp_growth")
    scheme = g.value(ind, SKOS.inScheme)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert (ind, RDF.type, SKOS.Concept) in g and str(g.value(ind, SKOS.notation)) == \
        "grdp_growth"
    assert set(g.subjects(SKOS.inScheme, scheme)) == set(g.subjects(RDF.type, KH.Indicator))


def test_periods_are_owl_time_intervals_in_their_year(plan):
    from rdflib.namespace import TIME

    g = plan.graph
    month, ytd = entity_iri("period", "T11/2023"), entity_iri("period", "11T/2023")
    for period in (ytd,) + ((month,) if (month, None, None) in g else ()):
        assert g.value(period, TIME.intervalIn) == entity_iri("period", "2023")
    begin = g.value(ytd, TIME.hasBeginning)
    assert (begin, RDF.type, TIME.Instant) in g
    assert str(g.value(begin, TIME.inXSDDate)) == "2023-01-01"
    assert str(g.value(g.value(ytd, TIME.hasEnd), TIME.inXSDDate)) == "2023-11-30"


def test_an_outcome_names_the_exact_fact_version_it_used(tmp_path):
    log = open_log(tmp_path / "kh.db")
    obs = {"id": "o1", "indicator": "ind", "period": "6T/2025", "value": "10", "kind": "actual"}
    log.append([Fact("observation", "o1", obs, Source("001", 1, "x"))])
    log.append([Fact("observation", "o1", {**obs, "value": "12"}, Source("001", 1, "x"))])
    plan = _put(PlanGraph.from_log(log), _rule_output("a1", "alert", {
        "rule": {"id": "pace", "version": 1}, "kind": "at_risk",
        "facts": ["observation:o1#v1"]}))
    g, alert, fact = plan.graph, entity_iri("alert", "a1"), entity_iri("observation", "o1")
    used = g.value(alert, KH.usedVersion)
    assert g.value(used, PROV.specializationOf) == fact
    assert int(g.value(used, KH.version)) == 1 and int(g.value(fact, KH.version)) == 2
    stale = """PREFIX kh: <https://kehoach.dev/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?outcome WHERE { ?outcome kh:usedVersion ?v . ?v prov:specializationOf ?f ;
            kh:version ?n . ?f kh:version ?now FILTER (?n < ?now) }"""
    assert [r.outcome for r in g.query(stale)] == [alert]


def test_a_figure_to_a_day_has_its_own_period_kind_in_the_year():
    # "tính đến hết ngày 27/11/2025" (issue 16): lũy kế đến ngày, inside the year 2025
    triples = fact_triples(_stored("observation", "obs-x-1", {
        "indicator": "public_investment_disbursement", "period": "LK27/11/2025",
        "value": "528.870,2", "unit": "tỷ đồng", "pct_of_plan": "57,9", "kind": "actual",
        "as_of": "2025-11-27"}))
    period = entity_iri("period", "LK27/11/2025")
    assert (period, KH.periodKind, KH.period_to_date) in triples
    assert (KH.period_to_date, SKOS.notation, Literal("to_date")) not in triples  # in the TBox
    years = [o for s, p, o in triples if s == period and str(p).endswith("intervalIn")]
    assert years == [entity_iri("period", "2025")]


def test_facts_say_which_jurisdiction_they_belong_to(plan):
    # issue 16: every plan, target, observation, task and agency belongs to a jurisdiction
    g = plan.graph
    lang_son = entity_iri("jurisdiction", "lang-son")
    assert (lang_son, RDF.type, KH.Jurisdiction) in g
    for kind, key in (("agency", "so-tai-chinh"), ("target", "grdp_growth@2024"),
                      ("task", "task-001-001"), ("document", "seed-004")):
        assert g.value(entity_iri(kind, key), KH.inJurisdiction) == lang_son, (kind, key)


def test_an_outcome_was_generated_by_a_run_of_its_rule_as_a_plan(tmp_path):
    # the rule at its version is the prov:Plan of the activity that generated the outcome
    alert = {"rule": {"id": "pace.off_track", "version": 1}, "kind": "off_track",
             "subject": {"id": "ind@2025", "kind": "target"}, "facts": []}
    g = _put(PlanGraph(), _rule_output("a1", "alert", alert), _rule_output("a2", "alert", {
        **alert, "rule": {"id": "tasks.overdue_gt_120", "version": 7}, "kind": "overdue"})).graph
    run = g.value(entity_iri("alert", "a1"), PROV.wasGeneratedBy)
    assert (run, RDF.type, PROV.Activity) in g
    assert g.value(run, PROV.wasAssociatedWith) == entity_iri("agent", "rules")
    association = g.value(run, PROV.qualifiedAssociation)
    assert g.value(association, PROV.agent) == entity_iri("agent", "rules")
    plan = g.value(association, PROV.hadPlan)
    assert str(plan) == "https://kehoach.dev/id/rule/pace.off_track/v1"
    assert (plan, RDF.type, PROV.Plan) in g and (plan, RDF.type, KH.Rule) in g
    assert str(g.value(plan, KH.ruleFile)) == "rules/definitions/pace.yaml"
    assert str(g.value(plan, KH.ruleVersion)) == "1"
    assert Literal("Chậm tiến độ (pace.off_track v1)", lang="vi") in set(
        g.objects(plan, RDFS.label))
    # another rule (at a version the file no longer holds): another run, another plan
    other = g.value(g.value(g.value(entity_iri("alert", "a2"), PROV.wasGeneratedBy),
                            PROV.qualifiedAssociation), PROV.hadPlan)
    assert str(other).endswith("/rule/tasks.overdue_gt_120/v7")
    assert str(g.value(other, RDFS.label)) == "tasks.overdue_gt_120 v7"
    # both runs belong to the one write that stored the outcomes
    writes = {g.value(g.value(entity_iri("alert", k), PROV.wasGeneratedBy), PROV.wasInformedBy)
              for k in ("a1", "a2")}
    assert len(writes) == 1 and (writes.pop(), RDF.type, PROV.Activity) in g


def test_a_quote_is_a_text_quote_selector_on_its_document(plan):
    # W3C Web Annotation: the sentence a figure was read from, with its line, on its report
    from rdflib import Namespace

    oa = Namespace("http://www.w3.org/ns/oa#")
    g, obs = plan.graph, entity_iri("observation", "obs-002-018")
    passage = g.value(obs, KH.sourcePassage)
    assert (passage, RDF.type, oa.SpecificResource) in g
    assert g.value(passage, oa.hasSource) == g.value(obs, KH.sourceDocument) == \
        entity_iri("document", "seed-002")
    selector = g.value(passage, oa.hasSelector)
    assert (selector, RDF.type, oa.TextQuoteSelector) in g
    exact = g.value(selector, oa.exact)
    assert exact.language == "vi" and int(g.value(selector, KH.sourceLine)) == 51
    # the quote and line are said once, on the selector; the fact's source reads them there
    assert g.value(obs, KH.sourceQuote) is None and g.value(obs, KH.sourceLine) is None
    assert plan.source(obs) == {"doc": "002", "line": 51, "quote": str(exact)}
    # documents and agencies are only mentioned in a document: no passage they derive from,
    # their line and quote are their own
    agency = entity_iri("agency", "so-tai-chinh")
    assert g.value(agency, KH.sourcePassage) is None
    assert plan.source(agency)["quote"] == str(g.value(agency, KH.sourceQuote))
    # no sourced fact keeps a quote of its own beside a document: it has a passage instead
    assert not set(g.subjects(KH.sourceQuote, None)) & set(g.subjects(KH.sourceDocument, None))
    assert len(set(g.subjects(KH.sourcePassage, None))) > 900


def test_units_are_concepts_of_a_unit_code_list(plan):
    # "tỷ đồng" as written stays; the figure and its indicator point at the unit's concept
    g = plan.graph
    scheme = entity_iri("scheme", "units")
    billion = entity_iri("unit", "ty_dong")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert (billion, SKOS.inScheme, scheme) in g and str(g.value(billion, SKOS.notation)) == \
        "ty_dong"
    figures = [n for n in g.subjects(KH.unitOfMeasure, billion)]
    assert figures and all(str(g.value(n, KH.unit)) == "tỷ đồng" for n in figures)
    assert {split for n in figures if (split := str(n).split("/id/")[1].split("/")[0])} >= {
        "observation", "indicator"}
    assert g.value(entity_iri("unit", "percent"), SKOS.closeMatch) == \
        URIRef("http://qudt.org/vocab/unit/PERCENT")
    assert g.value(entity_iri("unit", "ha"), SKOS.closeMatch) == \
        URIRef("http://qudt.org/vocab/unit/HA")
    assert g.value(billion, SKOS.closeMatch) is None  # no QUDT unit for it: none written


def test_a_unit_is_read_whatever_its_spacing_and_an_unknown_one_stays_a_literal():
    def units(text: str) -> list:
        triples = fact_triples(_stored("observation", "o", {"indicator": "x", "unit": text}))
        return [o for s, p, o in triples if p == KH.unitOfMeasure]

    assert units("Nghìn  m3") == units("nghìn m³") == [entity_iri("unit", "nghin_m3")]
    assert units("bác sĩ/vạn dân") == [entity_iri("unit", "bac_sy_van_dan")]
    assert units("con/hộ") == []  # not in the code list: the literal only
    assert Literal("con/hộ") in {o for s, p, o in fact_triples(
        _stored("observation", "o", {"unit": "con/hộ"})) if p == KH.unit}


def test_the_data_cube_unit_attribute_is_the_concept():
    from pathlib import Path

    from rdflib import Graph

    cube = Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "cube.ttl")
    attributes = set(cube.objects(None, QB.attribute))
    assert KH.unitOfMeasure in attributes and KH.unit not in attributes
    assert cube.value(KH.unitOfMeasure, QB.codeList) == entity_iri("scheme", "units")


def test_flags_are_written_only_when_they_hold():
    # a strict bound and a conditional deadline say so; closed bounds and dated deadlines
    # write no 'false' (a national graph pays for every triple)
    def flags(kind: str, payload: dict) -> dict:
        return {str(p).rsplit("#", 1)[-1]: o.toPython() for s, p, o in
                fact_triples(_stored(kind, "k", payload))
                if p in (KH.lowerOpen, KH.upperOpen, KH.conditional)}

    assert flags("target", {"period": "2025", "expression": "trên 90"}) == {"lowerOpen": True}
    assert flags("target", {"period": "2025", "expression": "<3"}) == {"upperOpen": True}
    assert flags("target", {"period": "2025", "expression": "7 - 7,5"}) == {}
    assert flags("task", {"lead_agency": "so-y-te", "deadline": "2025-12-31"}) == {}
    assert flags("task", {"lead_agency": "so-y-te",
                          "condition": "sau khi Thủ tướng phê duyệt"}) == {"conditional": True}
