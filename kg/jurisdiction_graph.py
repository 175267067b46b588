"""The jurisdictions reference list as RDF (phạm vi quản lý trong đồ thị): one
``kh:Jurisdiction`` node per row of data/jurisdictions.yaml, and the 2025 rearrangements as
``org:ChangeEvent`` nodes, as ``kg.project`` writes agency history.

A change event (``/id/change/jurisdiction/<code>/<date>``) has ``dcterms:date``, the units that
went into it (``org:originalOrganization``: the absorbed units and the one that kept its name,
when it existed before), the unit that came out (``org:resultingOrganization``) and its legal
basis (``dcterms:source``: "Nghị quyết 202/2025/QH15 ngày 12/06/2025 của Quốc hội").
Facts point at a jurisdiction with ``kh:inJurisdiction`` (``jurisdiction_iri(code)``).
"""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from kg.jurisdictions import Basis, Jurisdiction, Jurisdictions, default_jurisdictions
from kg.project import DATA_IRI, Triple
from ontology.namespace import DCTERMS, KH, ORG, SKOS


def jurisdiction_iri(code: str) -> URIRef:
    """The node of jurisdiction ``code``: ``/id/jurisdiction/lang-son``."""
    return URIRef(f"{DATA_IRI}jurisdiction/{code}")


def _basis_text(basis: Basis) -> str:
    return f"{basis.type} {basis.number} ngày {basis.date:%d/%m/%Y} của {basis.issuer}"


def _node_triples(item: Jurisdiction) -> list[Triple]:
    node = jurisdiction_iri(item.code)
    out: list[Triple] = [
        (node, RDF.type, KH.Jurisdiction),
        (node, SKOS.prefLabel, Literal(item.full_name, lang="vi")),
        (node, SKOS.prefLabel, Literal(item.name_en, lang="en")),
        (node, SKOS.notation, Literal(item.code)),
    ]
    out += [(node, SKOS.altLabel, Literal(alias, lang="vi")) for alias in item.aliases]
    if item.valid_from:
        out.append((node, KH.validFrom, Literal(item.valid_from, datatype=XSD.date)))
    if item.valid_until:
        out.append((node, KH.validUntil, Literal(item.valid_until, datatype=XSD.date)))
    if item.succeeded_by:
        out.append((node, KH.succeededBy, jurisdiction_iri(item.succeeded_by)))
    return out


def _change_triples(item: Jurisdiction, reg: Jurisdictions) -> list[Triple]:
    if not item.predecessors or item.changed_on is None:
        return []
    node = jurisdiction_iri(item.code)
    change = URIRef(f"{DATA_IRI}change/jurisdiction/{item.code}/{item.changed_on.isoformat()}")
    before = list(item.predecessors)
    if item.valid_from is None or item.valid_from < item.changed_on:
        before.append(item.code)  # the unit that kept its name went into the change too
    out: list[Triple] = [(change, RDF.type, ORG.ChangeEvent),
                         (change, DCTERMS.date, Literal(item.changed_on, datatype=XSD.date)),
                         (change, ORG.resultingOrganization, node)]
    for code in before:
        out += [(change, ORG.originalOrganization, jurisdiction_iri(code)),
                (jurisdiction_iri(code), ORG.changedBy, change)]
    basis = reg.bases.get(item.basis or "")
    if basis is not None:
        out.append((change, DCTERMS.source, Literal(_basis_text(basis), lang="vi")))
    return out


def jurisdiction_triples(registry: Jurisdictions | None = None) -> list[Triple]:
    """Every jurisdiction of ``registry`` (the shipped list by default) and its changes."""
    reg = registry or default_jurisdictions()
    out: list[Triple] = []
    for item in reg.items.values():
        out += _node_triples(item) + _change_triples(item, reg)
    return out
