"""SPARQL over the plan graph: named prepared queries and read-only ad-hoc queries.

``QUERIES`` is the registry of named queries (truy vấn đặt tên): each is a ``.rq`` file in this
folder with its parameters and a Vietnamese + English description. They are parsed once per
process (``prepared``) and bound with ``initBindings`` — never string-formatted.

``run_sparql`` accepts SELECT / ASK / CONSTRUCT / DESCRIBE only: text that parses as a SPARQL
Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE ...) is refused, and so are ``SERVICE``
clauses and ``FROM`` / ``FROM NAMED`` (rdflib would fetch them over the network). It is
evaluated in a child process killed at a wall-clock limit (``kg.queries.bounded``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from pyparsing import ParseException
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query

from kg.errors import Place
from kg.project import entity_iri, split_iri
from kg.queries.bounded import QueryCancelled, QueryError, QueryTimeout, run_bounded
from ontology.namespace import PREFIXES

QUERY_DIR = Path(__file__).resolve().parent
INIT_NS = {**PREFIXES, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
           "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
           "xsd": "http://www.w3.org/2001/XMLSchema#", "khd": "https://kehoach.dev/id/"}


@dataclass(frozen=True)
class NamedQuery:
    """A prepared query: ``file`` in kg/queries, ``params`` name → kind of value bound."""

    name: str
    file: str
    params: dict[str, str]
    vi: str
    en: str

    @property
    def text(self) -> str:
        return (QUERY_DIR / self.file).read_text(encoding="utf-8")


# Parameter kinds: "indicator" / "document" / "agency" — an id (or a name / number, resolved
# by the graph) bound as the node's IRI; "literal" — bound as a plain literal.
QUERIES: dict[str, NamedQuery] = {q.name: q for q in (
    NamedQuery("targets_of_indicator", "targets_of_indicator.rq", {"indicator": "indicator"},
               "Các chỉ tiêu kế hoạch của một chỉ tiêu", "Targets of an indicator"),
    NamedQuery("targets_of_document", "targets_of_document.rq", {"document": "document"},
               "Chỉ tiêu kế hoạch do văn bản đặt hoặc giao",
               "Targets set or assigned by a document"),
    NamedQuery("tasks_led_by", "tasks_led_by.rq", {"agency": "agency"},
               "Nhiệm vụ do cơ quan chủ trì (nêu rõ hoặc suy ra)",
               "Tasks an agency leads (stated or implied)"),
    NamedQuery("documents_derived_from", "documents_derived_from.rq", {"document": "document"},
               "Văn bản căn cứ hoặc triển khai văn bản này (bắc cầu)",
               "Documents based on or implementing this one (transitively)"),
    NamedQuery("observations_of_indicator", "observations_of_indicator.rq",
               {"indicator": "indicator"}, "Số liệu báo cáo của chỉ tiêu, kèm nguồn",
               "Report observations of an indicator, with their source"),
    NamedQuery("agencies_by_kind", "agencies_by_kind.rq", {"kind": "literal"},
               "Cơ quan theo loại, kèm cơ quan kế thừa", "Agencies of a kind, with successors"),
)}


@cache
def prepared(name: str) -> Query:
    """The parsed, prepared form of a named query (parsed once per process)."""
    return prepareQuery(_named(name).text, initNs=INIT_NS)


def _named(name: str) -> NamedQuery:
    if name not in QUERIES:
        raise QueryError(f"Không có truy vấn tên '{name}' (có: {', '.join(QUERIES)})",
                         f"No named query '{name}' (known: {', '.join(QUERIES)})",
                         code="unknown_query", text=name, place=Place(field="name"))
    return QUERIES[name]


def bind_params(plan: Any, name: str, raw: dict[str, str]) -> dict[str, Any]:
    """Turn ``{param: text}`` into rdflib terms, resolving ids, names and document numbers."""
    spec = _named(name)
    missing = set(spec.params) - set(raw)
    unknown = set(raw) - set(spec.params)
    if missing or unknown:
        raise QueryError(f"Tham số sai cho '{name}': cần {sorted(spec.params)}",
                         f"Wrong parameters for '{name}': expected {sorted(spec.params)}",
                         code="bad_parameters", text=", ".join(sorted(raw)))
    bound: dict[str, Any] = {}
    for param, kind in spec.params.items():
        text = raw[param]
        if kind == "literal":
            bound[param] = Literal(text)
        elif kind == "document":
            bound[param] = plan.document(text)
        elif kind == "agency":
            bound[param] = plan.agency(text)
        else:
            bound[param] = plan.node(text, (kind,)) or entity_iri(kind, text)
    return bound


def run_query(plan: Any, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Rows of a named query, its parameters bound with ``initBindings``."""
    _named(name)
    result = plan.graph.query(prepared(name), initBindings=bindings)
    return [_row(result.vars, row) for row in result]


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, URIRef):
        parts = split_iri(value)
        if parts:
            return parts[1]
        text = str(value)
        for prefix, ns in INIT_NS.items():
            if prefix != "khd" and text.startswith(ns):
                return f"{prefix}:{text[len(ns):]}"
        return text
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, Decimal):  # xsd:decimal (bounds, % of plan): a JSON number, never
            return float(py)         # "84.5" text a client might read as Vietnamese notation
        return py if isinstance(py, bool | int | float | str) else str(value)
    return str(value)


def _row(variables: Any, row: Any) -> dict[str, Any]:
    return {str(v): _plain(row[i]) for i, v in enumerate(variables)}


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def check_read_only(text: str) -> Query:
    """Parse ``text`` as a read-only SPARQL query, or raise ``QueryError`` saying why not."""
    try:
        parsed = parseQuery(text)
    except ParseException as err:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"Câu truy vấn SPARQL sai cú pháp: {err}",
                             f"SPARQL syntax error: {err}", code="sparql_syntax",
                             text=text) from None
        raise QueryError("Chỉ cho phép truy vấn đọc; lệnh cập nhật (INSERT, DELETE, LOAD, "
                         "CLEAR, DROP, CREATE ...) bị từ chối",
                         "Read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
                         "CREATE ...) is refused", code="sparql_update_refused",
                         text=text) from None
    query = translateQuery(parsed, initNs=INIT_NS)
    names = {getattr(n, "name", None) for n in _walk(query.algebra)}
    if "ServiceGraphPattern" in names:
        raise QueryError("Không cho phép SERVICE (truy vấn ra ngoài)",
                         "SERVICE (federated query) is refused", code="sparql_service_refused",
                         text=text)
    if getattr(query.algebra, "datasetClause", None):
        raise QueryError("Không cho phép FROM / FROM NAMED", "FROM / FROM NAMED is refused",
                         code="sparql_from_refused", text=text)
    return query


MAX_ROWS = 10_000
MAX_SECONDS = 10.0

__all__ = ["MAX_ROWS", "MAX_SECONDS", "QUERIES", "NamedQuery", "QueryCancelled", "QueryError",
           "QueryTimeout", "bind_params", "check_read_only", "prepared", "run_query",
           "run_sparql"]


def run_sparql(plan: Any, text: str, max_rows: int = MAX_ROWS,
               max_seconds: float = MAX_SECONDS,
               cancelled: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Run a read-only query: ``{"type": "SELECT", "vars": [...], "rows": [...],
    "truncated": bool}``, ``{"type": "ASK", "answer": bool}`` or ``{"type": "CONSTRUCT",
    "triples": [...], "truncated": bool}``. At most ``max_rows`` rows/triples come back. The
    query is checked here and evaluated in a child process (``kg.queries.bounded``) that is
    killed after ``max_seconds`` (``QueryTimeout``, code ``query_timeout``) or as soon as
    ``cancelled()`` is true (``QueryCancelled``): every query is bounded in wall-clock time and
    stops using the CPU when stopped, whether or not it returns rows."""
    query = check_read_only(text)
    return run_bounded(lambda: _evaluate(plan, query, max_rows), max_seconds, cancelled)


def _evaluate(plan: Any, query: Query, max_rows: int) -> dict[str, Any]:
    result = plan.graph.query(query)
    if result.type == "ASK":
        return {"type": "ASK", "answer": bool(result.askAnswer)}
    items = list(islice(result, max_rows + 1))
    truncated = len(items) > max_rows
    items = items[:max_rows]
    if result.type == "SELECT":
        return {"type": "SELECT", "vars": [str(v) for v in result.vars],
                "rows": [_row(result.vars, row) for row in items], "truncated": truncated}
    return {"type": result.type, "triples": [[str(t) for t in triple] for triple in items],
            "truncated": truncated}
