"""Questions to the plan graph (đồ thị kế hoạch): who is responsible, an agency's portfolio,
trace up to the root documents (JSON, SVG or DOT), impact of a document, read-only SPARQL,
export, and the consistency check."""

from __future__ import annotations

import asyncio
import inspect
import threading
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kg.draw import to_dot, to_svg
from kg.queries import QUERIES, NamedQuery, bind_params, run_query, run_sparql
from kg.validate import check_graph, ontology_graph
from rules.portfolio import who as who_answer
from service.deps import AsOf, Inspector, Reader, RuntimeDep
from service.errors import error_responses
from service.limits import query_slot, query_slots_dir
from service.rendering import cached_json
from service.schemas import SparqlQuery
from service.views import board
from service.views import trace as trace_views

router = APIRouter(tags=["graph"])
Text = Annotated[str, Query(min_length=1, max_length=500)]
DISCONNECT_POLL_SECONDS = 0.25


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
        page = who_answer(rt.graph(), rt.evaluation(None), q, limit, offset, rt.as_of(None))
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


@router.post("/sparql", summary="SPARQL chỉ đọc / read-only SPARQL", responses=error_responses({
    422: "Truy vấn sai, bị từ chối, hoặc quá thời gian (query_timeout) / refused, invalid, or "
         "stopped at the time limit (query_timeout, KEHOACH_SPARQL_SECONDS)",
    429: "Đã chạy đủ số truy vấn cùng lúc (too_many_queries, Retry-After) / the user's "
         "concurrent queries are at the cap (KEHOACH_SPARQL_PER_USER)"}))
async def sparql(body: SparqlQuery, request: Request, rt: RuntimeDep,
                 user: Inspector) -> dict[str, Any]:
    """Evaluated in a child process killed after ``sparql_seconds`` or when the client
    disconnects (``kg.queries.run_sparql``); at most ``sparql_per_user`` at once per user."""
    settings = rt.settings
    with query_slot(query_slots_dir(settings.db), user.username, settings.sparql_per_user,
                    settings.sparql_seconds):
        plan = await run_in_threadpool(rt.graph)
        gone = threading.Event()
        watcher = asyncio.create_task(_watch_disconnect(request, gone))
        try:
            return await run_in_threadpool(run_sparql, plan, body.query,
                                           max_seconds=settings.sparql_seconds,
                                           cancelled=gone.is_set)
        finally:
            watcher.cancel()


# What a named query's parameter is, for its description in the OpenAPI document.
PARAM_WORDS = {"indicator": "mã chỉ tiêu / indicator id, e.g. budget_revenue",
               "document": "mã hoặc số văn bản / document id or number, e.g. 29/NQ-HĐND",
               "agency": "mã, tên hoặc tên tắt cơ quan / agency id, name or short name",
               "literal": "giá trị như viết / the value as written"}


def _named_route(spec: NamedQuery) -> None:
    """``GET /sparql/<name>``: one operation per named query, its parameters required query
    parameters (bound with ``initBindings`` by ``kg.queries``, never formatted into text)."""

    def endpoint(rt: RuntimeDep, _: Inspector, **raw: str) -> dict[str, Any]:
        plan = rt.graph()
        rows = run_query(plan, spec.name, **bind_params(plan, spec.name, raw))
        return {"query": spec.name, "params": raw, "rows": rows, "count": len(rows)}

    keyword = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("rt", keyword, annotation=RuntimeDep),
        inspect.Parameter("_", keyword, annotation=Inspector),
        *(inspect.Parameter(param, keyword, annotation=Annotated[str, Query(
            min_length=1, max_length=500, description=PARAM_WORDS[kind])])
          for param, kind in spec.params.items())])
    router.add_api_route(
        f"/sparql/{spec.name}", endpoint, methods=["GET"], name=f"sparql_{spec.name}",
        response_model=dict[str, Any], summary=f"{spec.vi} / {spec.en}",
        description="Truy vấn đặt tên (kg/queries) / a named query: "
                    "`{query, params, rows, count}`, rows as `POST /sparql` gives bindings.",
        responses=error_responses({
            404: "Không có văn bản này (unknown_document) / no such document",
            422: "Không có cơ quan này, hoặc số văn bản trùng nhiều văn bản (unknown_agency, "
                 "ambiguous_document) / no such agency, or a number naming several "
                 "documents"}))


for _spec in QUERIES.values():
    _named_route(_spec)


async def _watch_disconnect(request: Request, gone: threading.Event) -> None:
    """Set ``gone`` when the client closes the connection (polled: the query runs in a
    thread that checks the flag)."""
    while not await request.is_disconnected():
        await asyncio.sleep(DISCONNECT_POLL_SECONDS)
    gone.set()


@router.get("/export", summary="Xuất đồ thị / export ontology + data", response_class=Response,
            responses={200: {
                "description": "Đồ thị theo `format` / the graph in the asked `format`",
                "content": {media: {} for _fmt, media in EXPORT.values()}}})
def export(rt: RuntimeDep, _: Inspector, format: ExportFormat = ExportFormat.ttl) -> Response:
    fmt, media = EXPORT[format.value]
    whole = ontology_graph() + rt.graph().graph
    for prefix, ns in rt.graph().graph.namespaces():
        whole.bind(prefix, ns)
    return Response(whole.serialize(format=fmt), media_type=media)


@router.get("/check", summary="Kiểm tra SHACL và vòng lặp / SHACL + cycle checks")
def check(rt: RuntimeDep, _: Inspector) -> dict[str, Any]:
    return check_graph(rt.graph(), reasoner=False).to_dict()
