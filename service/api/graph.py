"""Questions to the plan graph (đồ thị kế hoạch): who is responsible, an agency's portfolio,
trace up to the root documents (JSON, SVG or DOT), impact of a document, read-only SPARQL,
export, and the consistency check."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kg.draw import to_dot, to_svg
from kg.queries import QUERIES, run_sparql
from kg.validate import check_graph, ontology_graph
from service.deps import AsOf, Inspector, Reader, RuntimeDep
from service.rendering import cached_json
from service.schemas import SparqlQuery
from service.views import board

router = APIRouter(tags=["graph"])
Text = Annotated[str, Query(min_length=1, max_length=500)]


from service.views import trace as trace_views
class TraceFormat(StrEnum):
    json = "json"
    svg = "svg"
    dot = "dot"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    xml = "xml"


EXPORT = {"ttl": ("turtle", "text/turtle"), "nt": ("nt", "application/n-triples"),
          "jsonld": ("json-ld", "application/ld+json"), "xml": ("xml", "application/rdf+xml")}


@router.get("/who", response_model=dict[str, Any],
            summary="Ai chịu trách nhiệm / who is responsible (id or phrase)")
def who(rt: RuntimeDep, _: Reader, q: Text,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    def build() -> dict[str, Any]:
        page = rt.graph().who_page(q, limit, offset)
        return {**page, "count": len(page["data"])}

    return cached_json(rt, ("who", q, limit, offset), None, build)


@router.get("/agencies/{agency_id}/portfolio",
            summary="Danh mục việc của cơ quan / agency portfolio")
def portfolio(agency_id: str, rt: RuntimeDep, _: Reader, as_of: AsOf) -> dict[str, Any]:
    data = board.agency(rt, agency_id, as_of)
    plan = rt.graph()
    data["responsibilities"] = plan.responsibilities(plan.agency(agency_id))
    return data


@router.get("/trace/{ident:path}", summary="Truy nguyên tới văn bản gốc / trace to the root "
            "(any id shown: target, implied target, task, observation, document, alert, status "
            "change)",
            responses={200: {"content": {"application/json": {}, "image/svg+xml": {},
                                         "text/vnd.graphviz": {}}}})
def trace(ident: str, rt: RuntimeDep, _: Reader, as_of: AsOf,
          format: TraceFormat = TraceFormat.json,
          lang: Annotated[str, Query(pattern="^(vi|en)$")] = "vi") -> Any:
    if format is TraceFormat.json:
        return cached_json(rt, ("trace", ident), as_of,
                           lambda: trace_views.trace(rt, ident, as_of))
    data = trace_views.trace(rt, ident, as_of)
    if format is TraceFormat.svg:
        return Response(to_svg(data, lang), media_type="image/svg+xml")
    return Response(to_dot(data, lang), media_type="text/vnd.graphviz")


@router.get("/impact/{document:path}", summary="Ảnh hưởng của văn bản / impact of a document")
def impact(document: str, rt: RuntimeDep, _: Reader, as_of: AsOf) -> dict[str, Any]:
    return trace_views.impact(rt, document, as_of)


@router.get("/sparql", summary="Truy vấn đặt tên / named queries")
def named_queries(_: Inspector) -> dict[str, Any]:
    return {name: {"params": q.params, "vi": q.vi, "en": q.en} for name, q in QUERIES.items()}


@router.post("/sparql", summary="SPARQL chỉ đọc / read-only SPARQL")
def sparql(body: SparqlQuery, rt: RuntimeDep, _: Inspector) -> dict[str, Any]:
    return run_sparql(rt.graph(), body.query)


@router.get("/export", summary="Xuất đồ thị / export ontology + data",
            responses={200: {"content": {"text/turtle": {}}}})
def export(rt: RuntimeDep, _: Inspector, format: ExportFormat = ExportFormat.ttl) -> Response:
    fmt, media = EXPORT[format.value]
    whole = ontology_graph() + rt.graph().graph
    for prefix, ns in rt.graph().graph.namespaces():
        whole.bind(prefix, ns)
    return Response(whole.serialize(format=fmt), media_type=media)


@router.get("/check", summary="Kiểm tra SHACL và vòng lặp / SHACL + cycle checks")
def check(rt: RuntimeDep, _: Inspector) -> dict[str, Any]:
    return check_graph(rt.graph(), reasoner=False).to_dict()
