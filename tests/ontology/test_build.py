"""The ontology build: the committed .ttl/.owl/namespace.py are complete and not stale."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import typer
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from typer.testing import CliRunner

import service.cli.ontology as ontology_cli
from ontology.build import (
    NAMESPACE_NAME,
    ONTOLOGY_DIR,
    OWL_NAME,
    TTL_NAME,
    build_ontology,
    describe,
    generate,
    render_namespace_module,
    write,
)
from ontology.errors import OntologyError
from ontology.namespace import ELI, KH

REQUIRED_CLASSES = (
    "LegalDocument Resolution Decision Directive OfficialLetter Plan Programme "
    "NationalTargetProgramme Scheme Report Organization Agency PeoplesCommittee PeoplesCouncil "
    "PartyCommittee Indicator Target Task Deadline Observation Alert StatusChange"
).split()
REQUIRED_PROPERTIES = (
    "issuedBy issuedOn documentNumber basedOn implements setBy assignedBy leadAgency "
    "supportingAgency hasTarget hasDeadline forPeriod direction observedValue pctOfPlan "
    "derivedFrom forIndicator expression unit planBasis status verdict sourceDocument "
    "sourceLine sourceQuote validFrom validUntil succeededBy subOrganizationOf tracesTo"
).split()
ORG_NS = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV_NS = rdflib.Namespace("http://www.w3.org/ns/prov#")
QB_NS = rdflib.Namespace("http://purl.org/linked-data/cube#")


@pytest.fixture(scope="module")
def committed() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / TTL_NAME, format="turtle")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("onto")).ttl.parent


def _langs(graph: rdflib.Graph, subject: rdflib.URIRef, predicate: rdflib.URIRef) -> set:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, rdflib.Literal)}


def _kh_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept,
             SKOS.ConceptScheme)
    return {s for k in kinds for s in graph.subjects(RDF.type, k)
            if isinstance(s, rdflib.URIRef) and str(s).startswith(str(KH))}


def test_committed_ttl_has_required_classes_and_properties(committed: rdflib.Graph) -> None:
    for name in REQUIRED_CLASSES:
        assert (KH[name], RDF.type, OWL.Class) in committed, name
    for name in REQUIRED_PROPERTIES:
        kinds = set(committed.objects(KH[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


def test_every_term_has_vi_en_label_and_definition(committed: rdflib.Graph) -> None:
    terms = _kh_terms(committed)
    assert len(terms) > 90
    for term in terms:
        assert _langs(committed, term, RDFS.label) >= {"vi", "en"}, term
        assert _langs(committed, term, SKOS.definition) >= {"vi", "en"}, term


def test_definitions_name_defining_documents(committed: rdflib.Graph) -> None:
    def source(name: str) -> str:
        return " ".join(committed.objects(KH[name], rdflib.DCTERMS.source))

    assert "30/2020/NĐ-CP" in source("Decision")
    assert "42/2014/QĐ-TTg" in source("Task")
    assert "42/2014/QĐ-TTg" in source("task_completed_late")


def test_aligned_with_w3c_vocabularies(committed: rdflib.Graph) -> None:
    expected = [
        (KH.Organization, RDFS.subClassOf, ORG_NS.Organization),
        (KH.Agency, RDFS.subClassOf, ORG_NS.OrganizationalUnit),
        (KH.Observation, RDFS.subClassOf, QB_NS.Observation),
        (KH.LegalDocument, RDFS.subClassOf, ELI.LegalResource),
        (KH.Report, RDFS.subClassOf, PROV_NS.Entity),
        (KH.Alert, RDFS.subClassOf, PROV_NS.Entity),
        (KH.StatusChange, RDFS.subClassOf, PROV_NS.Entity),
        (KH.subOrganizationOf, RDFS.subPropertyOf, ORG_NS.subOrganizationOf),
        (KH.documentNumber, RDFS.subPropertyOf, ELI.number),
        (KH.implements, RDFS.subPropertyOf, ELI.implements),
        (KH.issuedOn, RDFS.subPropertyOf, ELI.date_document),
        (KH.derivedFrom, RDFS.subPropertyOf, PROV_NS.wasDerivedFrom),
        (KH.basedOn, RDFS.subPropertyOf, KH.tracesTo),
        (KH.tracesTo, RDF.type, OWL.TransitiveProperty),
    ]
    missing = [t for t in expected if t not in committed]
    assert not missing


def test_concept_schemes_hold_their_codes(committed: rdflib.Graph) -> None:
    def codes(scheme: str) -> set[str]:
        return {str(c).removeprefix(str(KH))
                for c in committed.subjects(SKOS.inScheme, KH[scheme])}

    assert codes("DirectionScheme") == {
        "direction_increase", "direction_decrease", "direction_band", "direction_maintain"}
    assert codes("VerdictScheme") == {
        "verdict_exceeded", "verdict_achieved", "verdict_not_achieved"}
    assert codes("TaskStatusScheme") == {
        "task_completed_on_time", "task_completed_late", "task_completed", "task_in_progress",
        "task_overdue", "task_due_soon"}
    assert _langs(committed, KH.verdict_exceeded, SKOS.prefLabel) == {"vi", "en"}


def test_build_is_deterministic_across_worlds() -> None:
    first, second = build_ontology(), build_ontology()
    assert first.world is not second.world
    assert render_namespace_module(first) == render_namespace_module(second)


@pytest.mark.parametrize("name", [TTL_NAME, OWL_NAME])
def test_committed_graph_not_stale(rebuilt: Path, name: str) -> None:
    fmt = "turtle" if name.endswith(".ttl") else "xml"
    fresh = rdflib.Graph().parse(rebuilt / name, format=fmt)
    stored = rdflib.Graph().parse(ONTOLOGY_DIR / name, format=fmt)
    if not isomorphic(fresh, stored):
        diff = len(set(to_isomorphic(fresh)) ^ set(to_isomorphic(stored)))
        pytest.fail(f"ontology/{name} is stale ({diff} triples differ): "
                    "run `kehoach ontology build`")


def test_committed_namespace_module_not_stale(rebuilt: Path) -> None:
    fresh = (rebuilt / NAMESPACE_NAME).read_text(encoding="utf-8")
    assert (ONTOLOGY_DIR / NAMESPACE_NAME).read_text(encoding="utf-8") == fresh, (
        "ontology/namespace.py is stale: run `kehoach ontology build`")


def test_namespace_module_lists_every_term(committed: rdflib.Graph) -> None:
    text = (ONTOLOGY_DIR / NAMESPACE_NAME).read_text(encoding="utf-8")
    declared = {line.split(":")[0].strip() for line in text.splitlines()
                if line.endswith(": URIRef")}
    assert declared == {str(t).removeprefix(str(KH)) for t in _kh_terms(committed)}


def test_write_to_unwritable_place_raises_ontology_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OntologyError) as info:
        write(blocker / "sub")
    assert info.value.code == "write_failed"


def _cli() -> typer.Typer:
    app = typer.Typer()
    ontology_cli.register(app)
    return app


def test_cli_build_writes_three_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["ontology", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {TTL_NAME, OWL_NAME, NAMESPACE_NAME}


def test_cli_show_json_counts_terms() -> None:
    import json

    result = CliRunner().invoke(_cli(), ["ontology", "show", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["counts"]["class"] >= len(REQUIRED_CLASSES)
    assert info["counts"] == describe()["counts"]
    target = next(t for t in info["terms"] if t["name"] == "Target")
    assert target["label_vi"] == "Chỉ tiêu kế hoạch"


def test_cli_show_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["ontology", "show", "--ttl", str(tmp_path / "x.ttl")])
    assert result.exit_code == 2
    assert "read_failed" in result.output
