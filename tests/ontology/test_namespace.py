"""The closed namespace ``KH``: known terms resolve, typos raise, vocabularies live in one place."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import ORG, PROV, QB, SKOS

from ontology import namespace
from ontology.namespace import ELI, KH, KH_IRI, KH_PREFIX, PREFIXES


def test_known_term_resolves_to_kh_iri() -> None:
    assert KH.Target == URIRef("https://kehoach.dev/ontology#Target")
    assert KH["tracesTo"] == URIRef(KH_IRI + "tracesTo")
    assert KH.task_overdue == URIRef(KH_IRI + "task_overdue")


@pytest.mark.parametrize("typo", ["Targt", "target", "traceTo", "task_overdu"])
def test_misspelt_term_raises(typo: str) -> None:
    with pytest.raises(AttributeError):
        getattr(KH, typo)
    with pytest.raises(AttributeError):
        KH[typo]


def test_prefixes_bind_kh_and_reused_vocabularies() -> None:
    assert KH_PREFIX == "kh"
    assert PREFIXES["kh"] == KH_IRI
    assert PREFIXES["eli"] == str(ELI) == "http://data.europa.eu/eli/ontology#"
    for prefix, vocabulary in {"org": ORG, "prov": PROV, "qb": QB, "skos": SKOS}.items():
        assert PREFIXES[prefix] == str(vocabulary)


def test_reexported_vocabularies_are_rdflibs_own() -> None:
    assert namespace.ORG is ORG and namespace.SKOS is SKOS and namespace.QB is QB
