"""Commands over the knowledge graph: who, trace, impact, sparql, export, check; and an agency's
portfolio (``agency``), registered by the ``kehoach agency`` group (service/cli/agency.py)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from kg.draw import to_dot, to_svg, trace_text
from kg.graph import PlanGraph
from kg.log import open_existing_log
from kg.queries import MAX_SECONDS, QUERIES, bind_params, run_query, run_sparql
from kg.validate import REASONER_BUDGET_S, check_graph
from kg.wording import document_words, vn_date
from service.cli.options import AsOfOption, DbOption, JsonOption, command, emit_json, parse_as_of

EXPORT_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}


class TraceFormat(StrEnum):
    json = "json"
    text = "text"
    dot = "dot"
    svg = "svg"


class ExportFormat(StrEnum):
    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"


def register(app: typer.Typer) -> None:
    # ``agency`` (the portfolio) is reached through the ``kehoach agency`` group
    # (service/cli/agency.py: ``agency show`` and ``agency NAME``).
    for name, fn in (("who", who), ("trace", trace), ("impact", impact), ("sparql", sparql),
                     ("export", export), ("check", check)):
        app.command(name)(fn)


def _plan(db: object) -> PlanGraph:
    """The log's plan facts with the rules' outcomes the outcome store holds (its latest set:
    the live service's, or the last ``kehoach demo``'s)."""
    from rules.trace import plan_graph

    with open_existing_log(db) as log:  # type: ignore[arg-type]
        return plan_graph(log)


def _names(entries: list[dict]) -> str:
    def one(e: dict) -> str:
        text = f"{e['name'] or e['id']}{' (suy ra/implied)' if e.get('implied') else ''}"
        now = e.get("current") or {}
        if now.get("id") and now["id"] != e["id"]:
            text += f" → nay/now {now['name'] or now['id']}"
        return text

    return ", ".join(one(e) for e in entries) or "—"


@command
def who(text: Annotated[str, typer.Argument(help="Mã hoặc cụm từ / id or phrase")],
        db: DbOption = None, as_json: JsonOption = False,
        limit: Annotated[int, typer.Option(min=1, max=500, help="Số kết quả / results shown")] = 20,
        offset: Annotated[int, typer.Option(min=0, help="Bỏ qua / results skipped")] = 0,
        as_of: AsOfOption = None) -> None:
    """Ai chịu trách nhiệm / who leads and supports a task, target or indicator, with its
    current status and open alerts as of --as-of (the same evaluation as `kehoach alerts`).

    The phrase must appear as written (words together); typed with diacritics, they must
    match; without, they are ignored. Best matches first; the total is always said.

    Example: kehoach who "giải ngân vốn đầu tư công" --json --limit 5
    """
    from rules.portfolio import status_label
    from rules.portfolio import who as who_answer
    from rules.replay import replay

    when = parse_as_of(as_of)
    with open_existing_log(db) as log:
        plan = PlanGraph.from_log(log)
        page = who_answer(plan, replay(log, when, persist=False), text, limit, offset, when)
    if as_json:
        return emit_json(page)
    rows = page["data"]
    shown = f"{offset + 1}–{offset + len(rows)}" if rows else "0"
    typer.echo(f"{shown} / {page['total']} kết quả / results"
               + ("" if offset + len(rows) >= page["total"] else
                  f" (xem tiếp / more: --offset {offset + len(rows)})"))
    for r in rows:
        deadline = r["deadline"] or {}
        typer.echo(f"{r['subject']['name']} [{r['subject']['id']}]\n"
                   f"  chủ trì/lead: {_names(r['lead'])}\n  phối hợp/support: "
                   f"{_names(r['support'])}\n  giao bởi/assigned by: "
                   f"{document_words(r['assigned_by']) if r['assigned_by'] else '—'}\n"
                   f"  thời hạn/deadline: {deadline.get('text') or '—'} "
                   f"({vn_date(deadline.get('date')) or '—'})\n"
                   f"  trạng thái/status: {status_label((r['status'] or {}).get('status'))}"
                   f"; cảnh báo đang mở/open alerts: {len(r['alerts'])}")


@command
def agency(name: Annotated[str, typer.Argument(help="Mã hoặc tên cơ quan / agency id or name")],
           db: DbOption = None, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """Danh mục việc của cơ quan / an agency's portfolio with statuses and open alerts.

    Example: kehoach agency "Sở Tài chính" --as-of 2024-12-31 --json
    """
    from rules.portfolio import portfolio, status_label

    with open_existing_log(db) as log:
        data = portfolio(log, name, parse_as_of(as_of))
    if as_json:
        return emit_json(data)
    ag = data["agency"]
    typer.echo(f"{ag['name']} [{ag['id']}] — tại ngày {vn_date(data['as_of'])}: "
               f"{len(data['items'])} việc, {len(data['alerts'])} cảnh báo đang mở")
    typer.echo("  " + "; ".join(f"{status_label(k)}: {n}" for k, n in
                                sorted(data["counts"].items(), key=lambda kv: -kv[1])))
    ageing = [f"{data['ageing_labels'].get(k, k)}: {n}"
              for k, n in data["overdue_ageing"].items() if n]
    if ageing:
        typer.echo("  quá hạn theo tuổi / overdue ageing: " + ", ".join(ageing))
    roles = {"lead": "chủ trì", "implied_lead": "chủ trì (suy ra)", "support": "phối hợp"}
    for item in data["items"]:
        status = (item["status"] or {}).get("status")
        typer.echo(f"  [{roles.get(item['role'], item['role']):16}] {status_label(status):22} "
                   f"{item['subject']['name'] or item['subject']['id']}"
                   + (f" ({item['status_of']})" if item.get("status_of") and
                      item["status_of"] != item["subject"]["id"] else ""))


class Lang(StrEnum):
    vi = "vi"
    en = "en"


@command
def trace(ident: Annotated[str, typer.Argument(
              help="Mã chỉ tiêu, nhiệm vụ, số liệu, cảnh báo, văn bản / any id shown")],
          db: DbOption = None, as_of: AsOfOption = None, as_json: JsonOption = False,
          fmt: Annotated[TraceFormat, typer.Option("--format", help="json|text|dot|svg")] = (
              TraceFormat.text),
          lang: Annotated[Lang, typer.Option(help="Ngôn ngữ / language")] = Lang.vi) -> None:
    """Truy nguyên đến văn bản gốc / trace back to the root documents.

    Any id the system shows: a target (implied ones too: the report sentence and the annual
    plan inferred), task, observation, official row, document, or an alert or status change
    (its rule, thresholds and the facts it used, as of --as-of).

    Example: kehoach trace grdp_growth@2024 --format svg > trace.svg
    """
    from rules.replay import replay
    from rules.trace import plan_graph
    from rules.trace import trace as trace_any

    with open_existing_log(db) as log:
        outcome_like = ":" in ident or "|" in ident  # alert and status-change ids
        evaluation = replay(log, parse_as_of(as_of), persist=False) if outcome_like else None
        plan = plan_graph(log, evaluation.outcomes if evaluation is not None else None)
    data = trace_any(plan, evaluation, ident)
    if as_json or fmt is TraceFormat.json:
        return emit_json(data)
    if fmt is TraceFormat.dot:
        return typer.echo(to_dot(data, lang.value), nl=False)
    if fmt is TraceFormat.svg:
        return typer.echo(to_svg(data, lang.value), nl=False)
    typer.echo(trace_text(data, lang.value), nl=False)


IMPACT_HEADINGS = {"documents": ("văn bản căn cứ vào", "documents based on it"),
                   "targets": ("chỉ tiêu", "targets"),
                   "inferred_targets": ("chỉ tiêu suy ra (kế hoạch năm suy luận)",
                                        "implied targets (annual plan inferred)"),
                   "tasks": ("nhiệm vụ", "tasks"), "observations": ("số liệu", "figures"),
                   "alerts": ("cảnh báo", "alerts")}


@command
def impact(doc: Annotated[str, typer.Argument(help="Mã hoặc số văn bản / document id or number")],
           db: DbOption = None, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """Những gì bắt nguồn từ văn bản / everything derived from a document, with the alerts
    the rules raise on it as of --as-of (the same evaluation as `kehoach alerts`).

    Example: kehoach impact 29/NQ-HĐND --as-of 2023-12-31 --json
    """
    from rules.replay import replay
    from rules.trace import impact as impact_of
    from rules.trace import plan_graph

    with open_existing_log(db) as log:
        evaluation = replay(log, parse_as_of(as_of), persist=False)
        plan = plan_graph(log, evaluation.outcomes)
    data = impact_of(plan, evaluation, doc)
    if as_json:
        return emit_json(data)
    typer.echo(document_words(data["document"]) + f"  [{data['document']['id']}]")
    for key, (vi, en) in IMPACT_HEADINGS.items():
        items = data.get(key) or []
        typer.echo(f"  {vi} / {en}: {len(items)}" + ("  " if items else "")
                   + "; ".join(_item_words(plan, x) for x in items[:10])
                   + (" …" if len(items) > 10 else ""))


def _item_words(plan: PlanGraph, item: dict[str, Any]) -> str:
    """An impacted item as people name it, its id last in brackets as a key."""
    from rules.vocabulary import ALERT_KINDS

    if item.get("kind") == "alert":
        kind = item.get("alert_kind") or ""
        label = ALERT_KINDS[kind].vi if kind in ALERT_KINDS else kind
        subject = str(item.get("subject") or "")
        return f"{label}: " + _named(_target_words(plan, subject), subject)
    if item.get("kind") == "document":
        return _named(document_words(item), item["id"])
    name = item.get("name")
    if item.get("kind") == "target":
        name = _target_words(plan, item["id"]) or name
    return _named(name, item["id"])


def _named(name: str | None, key: str) -> str:
    return f"{name} [{key}]" if name and name != key else f"[{key}]"


def _target_words(plan: PlanGraph, subject: str) -> str | None:
    node = plan.node(subject, ("target",)) if "@" in subject else None
    return plan.target_name(node) if node is not None else None


@command
def sparql(query: Annotated[str | None, typer.Argument(help="Truy vấn SPARQL (chỉ đọc)")] = None,
           named: Annotated[str | None, typer.Option("--named", help="Truy vấn đặt tên")] = None,
           bind: Annotated[list[str] | None, typer.Option("--bind", help="tham số=giá trị")] = None,
           timeout: Annotated[float, typer.Option(
               "--timeout", min=0.1, max=3600,
               help="Giới hạn thời gian (giây), quá thì dừng / wall-clock limit, seconds")
           ] = MAX_SECONDS,
           db: DbOption = None) -> None:
    """Truy vấn SPARQL chỉ đọc / run a read-only SPARQL query or a named one (JSON out).

    Example: kehoach sparql --named targets_of_indicator --bind indicator=grdp_growth
    """
    plan = _plan(db)
    if named:
        raw = dict(b.split("=", 1) for b in bind or [] if "=" in b)
        return emit_json(run_query(plan, named, **bind_params(plan, named, raw)))
    if not query:
        return emit_json({name: {"file": q.file, "params": q.params, "vi": q.vi, "en": q.en}
                          for name, q in QUERIES.items()})
    emit_json(run_sparql(plan, query, max_seconds=timeout))


@command
def export(fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.ttl,
           db: DbOption = None) -> None:
    """Xuất toàn bộ đồ thị (bản thể luận + dữ liệu) / export ontology + data.

    Example: kehoach export --format ttl > kehoach.ttl
    """
    from kg.validate import ontology_graph

    whole = ontology_graph() + _plan(db).graph
    for prefix, ns in _plan_prefixes():
        whole.bind(prefix, ns)
    typer.echo(whole.serialize(format=EXPORT_FORMATS[fmt.value]), nl=False)


def _plan_prefixes() -> list[tuple[str, str]]:
    from ontology.namespace import PREFIXES

    return [*PREFIXES.items(), ("khd", "https://kehoach.dev/id/")]


def _replayed_plan(db: object, as_of: str | None) -> tuple[PlanGraph, int]:
    """The graph a rules run would leave, without storing anything: the log's plan facts plus
    the outcomes of a replay up to ``as_of`` (not the store's). Returns the graph and how many
    outcomes it holds."""
    from rules.replay import replay
    from rules.trace import plan_graph

    with open_existing_log(db) as log:  # type: ignore[arg-type]
        outcomes = replay(log, parse_as_of(as_of), persist=False).outcomes
        return plan_graph(log, outcomes), len(outcomes)


@command
def check(db: DbOption = None, as_json: JsonOption = False,
          reasoner: Annotated[bool, typer.Option(help="Chạy HermiT / run HermiT")] = True,
          budget: Annotated[float, typer.Option(help="Giới hạn giây cho HermiT")] = (
              REASONER_BUDGET_S),
          replay: Annotated[bool, typer.Option(
              help="Chạy lại luật (không lưu) và kiểm tra cả kết quả / replay the rules "
                   "(nothing stored) and check their outcomes too")] = False,
          as_of: AsOfOption = None) -> None:
    """Kiểm tra SHACL, suy luận OWL, vòng lặp / SHACL, reasoner, cycles (exit 1 on findings).

    The graph is the log's facts with the outcomes the store holds; ``--replay`` checks the graph a
    rules run up to ``--as-of`` would leave, outcomes included, without writing.

    Example: kehoach check --json; kehoach check --replay --as-of 2024-12-31
    """
    if replay:
        plan, replayed = _replayed_plan(db, as_of)
    else:
        plan, replayed = _plan(db), None
    report = check_graph(plan, reasoner=reasoner, budget_s=budget)
    if as_json:
        emit_json({**report.to_dict(), "graph": {"triples": len(plan),
                                                 "replayed_outcomes": replayed}})
    else:
        for finding in report.findings:
            typer.echo(f"[{finding.check}/{finding.code}] {finding.message}")
        typer.echo(f"{len(report.findings)} vấn đề / findings; {report.checks}")
    if not report.ok:
        raise typer.Exit(1)
