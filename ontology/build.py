"""Build the kehoach ontology (bản thể học) with owlready2 from the term table in
``ontology.terms``, and write the committed artefacts: ``kehoach.owl`` (RDF/XML, written by
owlready2), ``kehoach.ttl`` (Turtle, converted with rdflib) and the closed namespace module
``namespace.py``. Nothing is built at import time: call ``build_ontology()``.
"""

from __future__ import annotations

import io
import textwrap
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import owlready2
import rdflib

from ontology.errors import OntologyError
from ontology.terms import (
    CLASSES,
    CONCEPTS,
    DATA_PROPERTIES,
    DISJOINT,
    EXTERNAL,
    NOTATIONS,
    OBJECT_PROPERTIES,
    SCHEMES,
    Term,
)

KH_IRI = "https://kehoach.dev/ontology#"
ONTOLOGY_IRI = "https://kehoach.dev/ontology"
ONTOLOGY_DIR = Path(__file__).resolve().parent
TTL_NAME, OWL_NAME, NAMESPACE_NAME = "kehoach.ttl", "kehoach.owl", "namespace.py"
VERSION = "0.1.0"

_DATATYPES: dict[str, type] = {"str": str, "float": float, "int": int, "bool": bool}
# HermiT only knows the OWL 2 datatype map, which lacks xsd:date: a date range (or a date
# value) makes it abort. Date properties therefore carry no rdfs:range; SHACL checks them.
_DATE_NOTE = [
    owlready2.locstr("Giá trị kiểu xsd:date; không khai báo rdfs:range vì HermiT không hỗ trợ "
                     "xsd:date; kiểm tra bằng SHACL.", "vi"),
    owlready2.locstr("Values are xsd:date; no rdfs:range is declared because HermiT does not "
                     "support xsd:date; SHACL checks it.", "en"),
]
_EXTERNAL_CLASSES = ("org:Organization", "org:OrganizationalUnit", "org:Membership",
                     "prov:Entity", "prov:Activity", "qb:Observation", "eli:LegalResource",
                     "skos:Concept", "skos:ConceptScheme", "dcterms:PeriodOfTime",
                     "time:ProperInterval")
_EXTERNAL_OBJECT_PROPS = ("org:subOrganizationOf", "prov:wasDerivedFrom",
                          "prov:hadPrimarySource", "eli:based_on", "eli:implements",
                          "eli:passed_by", "skos:inScheme")
_EXTERNAL_DATA_PROPS = ("eli:number", "eli:date_document")
_EXTERNAL_ANNOTATIONS = ("skos:definition", "skos:prefLabel", "skos:notation",
                         "dcterms:source")


@dataclass(frozen=True)
class GeneratedFiles:
    """Paths of the artefacts ``generate`` wrote."""

    ttl: Path
    owl: Path
    namespace: Path


class _Builder:
    """Holds the world, the ontology and the name → entity map while building."""

    def __init__(self) -> None:
        self.world = owlready2.World()
        self.onto = self.world.get_ontology(KH_IRI)
        self.entities: dict[str, Any] = {}

    def resolve(self, name: str) -> Any:
        try:
            return self.entities[name]
        except KeyError:
            raise OntologyError(
                "unknown_term", f"Thuật ngữ không xác định '{name}'",
                f"unknown term '{name}'") from None

    def new(self, name: str, bases: tuple[Any, ...]) -> Any:
        prefix, _, local = name.rpartition(":")
        namespace = self.onto.get_namespace(EXTERNAL[prefix]) if prefix else self.onto
        with namespace:
            entity = types.new_class(local, bases)
        self.entities[name] = entity
        return entity

    def annotate(self, entity: Any, term: Term) -> None:
        """rdfs:label and skos:definition in vi and en, dcterms:source when known."""
        entity.label = [owlready2.locstr(term.vi, "vi"), owlready2.locstr(term.en, "en")]
        self.resolve("skos:definition")[entity] = [owlready2.locstr(term.def_vi, "vi"),
                                                   owlready2.locstr(term.def_en, "en")]
        if term.source:
            self.resolve("dcterms:source")[entity] = [term.source]


def _declare_external(b: _Builder) -> None:
    for name in _EXTERNAL_CLASSES:
        b.new(name, (owlready2.Thing,))
    for name in _EXTERNAL_OBJECT_PROPS:
        b.new(name, (owlready2.ObjectProperty,))
    for name in _EXTERNAL_DATA_PROPS:
        b.new(name, (owlready2.DataProperty,))
    for name in _EXTERNAL_ANNOTATIONS:
        b.new(name, (owlready2.AnnotationProperty,))


def _add_classes(b: _Builder) -> None:
    for term in CLASSES:  # parents are listed before children in the table
        bases = tuple(b.resolve(p) for p in term.parents) or (owlready2.Thing,)
        b.annotate(b.new(term.name, bases), term)
    with b.onto:
        for group in DISJOINT:
            owlready2.AllDisjoint([b.resolve(name) for name in group])


def _union(b: _Builder, names: tuple[str, ...]) -> list[Any]:
    if not names:
        return []
    classes = [b.resolve(name) for name in names]
    return [classes[0] if len(classes) == 1 else owlready2.Or(classes)]


def _add_properties(b: _Builder) -> None:
    for term in (*OBJECT_PROPERTIES, *DATA_PROPERTIES):
        kind = owlready2.ObjectProperty if term.kind == "object" else owlready2.DataProperty
        extra = [owlready2.TransitiveProperty] * term.transitive
        extra += [owlready2.FunctionalProperty] * term.functional
        local_parents = tuple(b.resolve(p) for p in term.parents if ":" not in p)
        prop = b.new(term.name, (*local_parents, kind, *extra))
        with b.onto:
            prop.is_a.extend(b.resolve(p) for p in term.parents if ":" in p)
            prop.domain = _union(b, term.domain)
            if term.range == "date":
                prop.comment = _DATE_NOTE
            elif term.range:
                prop.range = ([_DATATYPES[term.range]] if term.kind == "data"
                              else [b.resolve(term.range)])
        b.annotate(prop, term)


def _add_concepts(b: _Builder) -> None:
    concept, scheme_cls = b.resolve("skos:Concept"), b.resolve("skos:ConceptScheme")
    in_scheme = b.resolve("skos:inScheme")
    for term in (*SCHEMES, *CONCEPTS):
        with b.onto:
            individual = (scheme_cls if term.scheme is None else concept)(term.name)
        if term.scheme is not None:
            in_scheme[individual] = [b.resolve(term.scheme)]
        b.entities[term.name] = individual
        b.annotate(individual, term)
        b.resolve("skos:prefLabel")[individual] = [owlready2.locstr(term.vi, "vi"),
                                                   owlready2.locstr(term.en, "en")]
        notation = term.notation or NOTATIONS.get(term.name)
        if notation:
            b.resolve("skos:notation")[individual] = [notation]


def _add_header(b: _Builder) -> None:
    b.onto.metadata.label = [owlready2.locstr("Bản thể học kehoach", "vi"),
                             owlready2.locstr("kehoach ontology", "en")]
    b.onto.metadata.comment = [
        owlready2.locstr("Văn bản, chương trình, nhiệm vụ, cơ quan, chỉ tiêu, thời hạn, số "
                         "liệu, cảnh báo của kế hoạch phát triển kinh tế - xã hội tỉnh.", "vi"),
        owlready2.locstr("Documents, programmes, tasks, agencies, indicators, deadlines, "
                         "observations and alerts of a province's socio-economic plan.", "en")]
    b.onto.metadata.versionInfo = [VERSION]


def build_ontology() -> owlready2.Ontology:
    """Build the ontology in a fresh ``owlready2.World`` and return it."""
    b = _Builder()
    _declare_external(b)
    _add_classes(b)
    _add_properties(b)
    _add_concepts(b)
    _add_header(b)
    return b.onto


# --- writing ----------------------------------------------------------------------------------

def _prefixes() -> dict[str, str]:
    return {"kh": KH_IRI, **EXTERNAL}


def _owl_bytes(onto: owlready2.Ontology) -> bytes:
    buffer = io.BytesIO()
    onto.save(buffer, format="rdfxml")
    return buffer.getvalue()


def to_graph(onto: owlready2.Ontology) -> rdflib.Graph:
    """The ontology as an rdflib graph, with the kh and vocabulary prefixes bound."""
    graph = rdflib.Graph().parse(data=_owl_bytes(onto), format="xml")
    for prefix, iri in _prefixes().items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def _write_bytes(path: Path, data: bytes) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as err:
        raise OntologyError(
            "write_failed", f"Không ghi được tệp {path}: {err.strerror}",
            f"cannot write {path}: {err.strerror}") from err
    return path


def write(directory: Path | str = ONTOLOGY_DIR,
          onto: owlready2.Ontology | None = None) -> tuple[Path, Path]:
    """Write ``kehoach.ttl`` and ``kehoach.owl`` into ``directory``; return their paths."""
    onto = onto or build_ontology()
    directory = Path(directory)
    owl = _write_bytes(directory / OWL_NAME, _owl_bytes(onto))
    turtle = to_graph(onto).serialize(format="turtle", encoding="utf-8")
    return _write_bytes(directory / TTL_NAME, turtle), owl


def write_namespace(directory: Path | str = ONTOLOGY_DIR,
                    onto: owlready2.Ontology | None = None) -> Path:
    """Write the generated closed-namespace module ``namespace.py`` into ``directory``."""
    text = render_namespace_module(onto or build_ontology())
    return _write_bytes(Path(directory) / NAMESPACE_NAME, text.encode("utf-8"))


def generate(directory: Path | str = ONTOLOGY_DIR) -> GeneratedFiles:
    """Build once and write every committed artefact (.ttl, .owl, namespace.py)."""
    onto = build_ontology()
    ttl, owl = write(directory, onto)
    return GeneratedFiles(ttl=ttl, owl=owl, namespace=write_namespace(directory, onto))


# --- catalogue and namespace module --------------------------------------------------------------

_SKOS = rdflib.Namespace(EXTERNAL["skos"])
_KINDS: tuple[tuple[str, rdflib.URIRef], ...] = (
    ("class", rdflib.OWL.Class),
    ("object_property", rdflib.OWL.ObjectProperty),
    ("data_property", rdflib.OWL.DatatypeProperty),
    ("concept_scheme", _SKOS.ConceptScheme),
    ("concept", _SKOS.Concept),
)


@dataclass(frozen=True)
class TermInfo:
    """One kh: term as the graph describes it."""

    name: str
    kind: str
    label_vi: str
    label_en: str
    definition_en: str


def _text(graph: rdflib.Graph, subject: rdflib.URIRef, predicate: rdflib.URIRef,
          lang: str) -> str:
    for value in graph.objects(subject, predicate):
        if isinstance(value, rdflib.Literal) and value.language == lang:
            return str(value)
    return ""


def catalogue(graph: rdflib.Graph) -> list[TermInfo]:
    """Every kh: term of ``graph``, grouped by kind (in ``_KINDS`` order), sorted by name."""
    found: list[TermInfo] = []
    for kind, rdf_type in _KINDS:
        names = sorted(str(s)[len(KH_IRI):] for s in graph.subjects(rdflib.RDF.type, rdf_type)
                       if str(s).startswith(KH_IRI))
        for name in names:
            iri = rdflib.URIRef(KH_IRI + name)
            found.append(TermInfo(
                name, kind, _text(graph, iri, rdflib.RDFS.label, "vi"),
                _text(graph, iri, rdflib.RDFS.label, "en"),
                _text(graph, iri, _SKOS.definition, "en")))
    return found


def describe(ttl_path: Path | str = ONTOLOGY_DIR / TTL_NAME) -> dict[str, Any]:
    """Counts per kind and the terms of a written ontology (the committed .ttl by default)."""
    try:
        graph = rdflib.Graph().parse(ttl_path, format="turtle")
    except (OSError, SyntaxError) as err:
        raise OntologyError(
            "read_failed", f"Không đọc được bản thể học {ttl_path}: {err}",
            f"cannot read ontology {ttl_path}: {err}") from err
    terms = catalogue(graph)
    counts = {kind: sum(t.kind == kind for t in terms) for kind, _ in _KINDS}
    return {"iri": KH_IRI, "path": str(ttl_path), "counts": counts,
            "terms": [t.__dict__ for t in terms]}


_MODULE_HEAD = '''"""The closed namespace of the kehoach ontology (không gian tên đóng):
``KH.Target`` is an IRI, ``KH.Targt`` raises AttributeError instead of minting a wrong one.
Also the shared vocabulary namespaces (rdflib's, plus ELI) and prefixes, in one place.

GENERATED by ``kehoach ontology build`` from ``ontology/build.py`` — do not edit.
"""

from rdflib.namespace import DCTERMS, ORG, PROV, QB, SKOS, TIME, DefinedNamespace, Namespace
from rdflib.term import URIRef

KH_PREFIX = "kh"
KH_IRI = "{iri}"
ELI = Namespace("{eli}")
OA = Namespace("http://www.w3.org/ns/oa#")  # W3C Web Annotation (text-quote selectors)

__all__ = [
    "DCTERMS",
    "ELI",
    "KH",
    "KH_IRI",
    "KH_PREFIX",
    "OA",
    "ORG",
    "PREFIXES",
    "PROV",
    "QB",
    "SKOS",
    "TIME",
]


class KH(DefinedNamespace):
    """kehoach ontology terms; per kind:
    {counts}.
    """

    _fail = True
    _NS = Namespace(KH_IRI)'''

_MODULE_TAIL = '''

# prefix -> namespace IRI, for ``graph.bind(prefix, iri)``.
PREFIXES: dict[str, str] = {
    KH_PREFIX: KH_IRI,
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "eli": str(ELI),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "time": str(TIME),
    "oa": str(OA),
}
'''


def _render_term(term: TermInfo) -> list[str]:
    head = f"{term.name} — {term.label_en} / {term.label_vi}: {term.definition_en}"
    wrapped = textwrap.wrap(head, width=94)
    return [f"    # {line}" for line in wrapped] + [f"    {term.name}: URIRef"]


def render_namespace_module(onto: owlready2.Ontology) -> str:
    """The source text of ``ontology/namespace.py`` for ``onto``."""
    terms = catalogue(to_graph(onto))
    counts = ", ".join(f"{sum(t.kind == k for t in terms)} {k}" for k, _ in _KINDS)
    lines = [_MODULE_HEAD.format(iri=KH_IRI, eli=EXTERNAL["eli"], counts=counts)]
    for kind, _ in _KINDS:
        lines.append(f"\n    # --- {kind} ---")
        for term in (t for t in terms if t.kind == kind):
            lines.extend(_render_term(term))
    return "\n".join(lines) + "\n" + _MODULE_TAIL
