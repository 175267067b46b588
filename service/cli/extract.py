"""Commands that read report text: extract (show what a report says), ingest (assert it)."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.errors import KehoachError
from kg.extract import (
    Extraction,
    extract_file,
    extract_lines,
    load_indicator_matcher,
    logical_lines,
    read_document,
)
from kg.extract.ingest import IngestContext, IngestPlan, Known, plan_ingest
from kg.extract.jurisdiction import HEADER_PIECES, agency_jurisdiction, read_jurisdiction
from kg.extract.matching import IndicatorMatcher, load_indicator_rows
from kg.extract.progress import KnownTask, known_tasks, link_extraction
from kg.jurisdictions import jurisdiction_of
from kg.log import Fact, default_db_path, open_log
from kg.matching import matcher_from_facts
from kg.wording import vn_date
from rules.portfolio import status_label
from rules.vocabulary import ALERT_KINDS
from service.cli.options import AsOfOption, DbOption, JsonOption, command, emit_json, parse_as_of

FileArgument = Annotated[
    Path, typer.Argument(help="Báo cáo .txt, .md hoặc .docx / report file", exists=True,
                         dir_okay=False, readable=True)
]
IndicatorsOption = Annotated[
    Path | None,
    typer.Option("--indicators", help="Thư mục có indicators*.yaml / dataset directory with "
                 "indicators*.yaml (default: data/langson; ingest: the fact log's indicators)"),
]


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    app.command("ingest")(ingest)


def _print_extraction(result: Extraction) -> None:
    typer.echo(f"{result.source}: kỳ / period {result.period or '?'}")
    typer.echo(f"Số liệu so với kế hoạch / plan facts: {len(result.observations)}")
    for o in result.observations:
        ident = _ident(o.indicator_id, o.candidates)
        whose = f" [{o.subject}]" if o.subject else ""
        typer.echo(f"  l{o.line:<5} {o.period or '?':9} {o.value or '':>12} {o.unit or '':12} "
                   f"{o.pct_of_plan or '':>7}% {o.plan_basis_text or '':22} {ident} — "
                   f"{o.indicator}{whose}")
    typer.echo(f"Văn bản dẫn chiếu / citations: {len(result.citations)}")
    for c in result.citations:
        typer.echo(f"  l{c.line:<5} {c.kind or '?'} {c.number or '(không số)'} "
                   f"{vn_date(c.date) or ''} {c.issuer or ''}")
    typer.echo(f"Chỉ tiêu kế hoạch / targets: {len(result.targets)}")
    for g in result.targets:
        ident = _ident(g.indicator_id, g.candidates)
        typer.echo(f"  l{g.line:<5} {g.period or '?':9} {g.expression:>14} {g.unit or '':12} "
                   f"{ident} — {g.indicator}")
    typer.echo(f"Nhiệm vụ / tasks: {len(result.tasks)}")
    for t in result.tasks:
        owner = t.agency if t.agency_stated else f"({t.agency})"
        typer.echo(f"  l{t.line:<5} {owner} | {vn_date(t.deadline) or t.condition or '-'} | "
                   f"{t.summary[:90]}")
    linked = {id(link.statement): link.task for link in result.links}
    typer.echo(f"Tiến độ nhiệm vụ / progress statements: {len(result.progress)} "
               f"({len(result.links)} gắn với nhiệm vụ / linked to a task)")
    for s in result.progress:
        task = f"[{linked[id(s)]}]" if id(s) in linked else "-"
        typer.echo(f"  l{s.line:<5} {status_label(s.status):24} {task:28} {s.clause[:90]}")


def _dataset_tasks(directory: Path) -> list[KnownTask]:
    """Known tasks of a dataset directory (none when it holds no valid dataset)."""
    try:
        return known_tasks(load_dataset(directory))
    except KehoachError:
        return []


def _log_tasks(log: Any) -> list[KnownTask]:
    return known_tasks(log.current("document") + log.current("task"))


@command
def extract(file: FileArgument, as_json: JsonOption = False,
            indicators: IndicatorsOption = None) -> None:
    """Đọc báo cáo thành số liệu, văn bản dẫn chiếu, nhiệm vụ / read a report into
    observations, citations and tasks.

    Example: kehoach extract data/langson/sources/002_7fc097a99f4f5691.txt --json
    """
    matcher = load_indicator_matcher(indicators or DEFAULT_DATASET)
    result = extract_file(file, matcher=matcher)
    link_extraction(result, _dataset_tasks(indicators or DEFAULT_DATASET))
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_extraction(result)


def _catalogue(indicators: Path | None) -> dict[str, dict[str, Any]]:
    """The indicator definitions a document may name beyond the log's: ``--indicators`` or
    the shipped list (data/langson's catalogue of common socio-economic indicators)."""
    rows = load_indicator_rows(indicators or DEFAULT_DATASET)
    return {str(r["id"]): r for r in rows if r.get("id")}


def _ingest_matcher(log: Any, catalogue: dict[str, dict[str, Any]]) -> IndicatorMatcher:
    """The log's indicators, then the catalogue's for names the log does not define."""
    own = [{"id": f.key, **f.payload} for f in log.current("indicator")]
    known = {row["id"] for row in own}
    extra = [row for key, row in catalogue.items() if key not in known]
    return IndicatorMatcher.from_rows([*own, *extra])


@dataclass
class _Read:
    """A document read for ingest: its extraction, header lines, jurisdiction and the
    indicator catalogue it was matched against (read once: the plan proposes from it too)."""

    extraction: Extraction
    header: list[tuple[int, str]]
    reading: Any
    catalogue: dict[str, dict[str, Any]]


def _read(file: Path, log: Any, indicators: Path | None) -> _Read:
    """Extract ``file`` (progress statements linked to the log's tasks) and read whose
    document it is."""
    text = read_document(file)
    lines = logical_lines(text)
    catalogue = _catalogue(indicators)
    result = extract_lines(lines, source=file.name, matcher=_ingest_matcher(log, catalogue),
                           text=text)
    link_extraction(result, _log_tasks(log))
    header = [(line.first_line, line.text) for line in lines
              if line.first_line <= HEADER_PIECES]
    return _Read(result, header, read_jurisdiction(lines), catalogue)


def _known(path: Path, scope: str | None) -> Any:
    """What the log of each jurisdiction already holds, opened once per jurisdiction."""
    cache: dict[str | None, Known] = {}

    def known(code: str | None) -> Known:
        if code not in cache:
            with open_log(path, jurisdiction=code or scope) as log:
                cache[code] = Known(matcher_from_facts("agency", log.current("agency")),
                                    matcher_from_facts("indicator", log.current("indicator")),
                                    {f.key for f in log.current("target")})
        return cache[code]

    return known


def _plan(read: _Read, path: Path, scope: str | None, create_missing: bool,
          route: bool) -> IngestPlan:
    reading = read.reading
    evidence = ({"line": reading.line, "quote": reading.quote}
                if reading is not None and reading.code else None)
    ctx = IngestContext(
        scope=scope, known=_known(path, scope),
        issuer=reading.code if reading is not None else None, issuer_evidence=evidence,
        agency_jurisdiction=agency_jurisdiction, create_missing=create_missing, route=route,
        kind_of=_kind_of, catalogue=read.catalogue)
    return plan_ingest(read.extraction, ctx, read.header)


def _kind_of(code: str | None) -> str | None:
    found = jurisdiction_of(code) if code else None
    return found.kind if found is not None else None


def _refuse_foreign(plan: IngestPlan) -> None:
    """A document of another jurisdiction with nothing in it for this one (no fact, nothing
    even left for review here) is refused, naming whose it is and the evidence."""
    if plan.issuer is None or plan.issuer == plan.scope or plan.facts or any(
            r.jurisdiction == plan.scope for r in plan.review):
        return
    whose = _jurisdiction_name(plan.issuer)
    evidence = plan.issuer_evidence or {}
    line, quote = evidence.get("line"), evidence.get("quote")
    raise KehoachError(
        f"Văn bản thuộc địa bàn {whose}" + (f" (dòng {line}: \"{quote}\")" if line else "")
        + f", không phải {_jurisdiction_name(plan.scope)}; không ghi gì. Dùng --route để "
        "ghi vào địa bàn của nó",
        f"The document belongs to {whose}" + (f" (line {line}: \"{quote}\")" if line else "")
        + f", not {_jurisdiction_name(plan.scope)}; nothing written. Use --route to file it "
        "under its own jurisdiction",
        code="foreign_document", text=plan.source)


def _jurisdiction_name(code: str | None) -> str:
    """"Tỉnh Đồng Nai (dong-nai)": the name people read, the code they type."""
    found = jurisdiction_of(code) if code else None
    return f"{found.name} ({code})" if found is not None else (code or "?")


def _dry_run(file: Path, db: Path, indicators: Path | None, as_of: date | None,
             create_missing: bool, route: bool,
             ) -> tuple[IngestPlan, list[dict[str, Any]]]:
    """Plan the ingest on a temporary copy of the log and replay this jurisdiction's copy
    with and without the new facts (nothing persisted): the alerts only the new facts
    produce."""
    from rules.replay import replay

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "preview.db"
        if db.exists():
            shutil.copyfile(db, copy)
        with open_log(copy) as log:
            plan = _plan(_read(file, log, indicators), copy, log.jurisdiction,
                         create_missing, route)
            before = {a.id for a in replay(log, as_of=as_of, persist=False).alerts}
            log.append(plan.facts, submitted_by="extract-preview")
            after = replay(log, as_of=as_of, persist=False).alerts
    return plan, [a.to_dict() for a in after if a.id not in before]


def _print_plan(plan: IngestPlan, alerts: list[dict[str, Any]] | None,
                written: dict[str, int] | None) -> None:
    where = plan.issuer or "không rõ / unknown"
    evidence = plan.issuer_evidence
    typer.echo(f"Địa bàn của văn bản / document's jurisdiction: {where}"
               + (f" (dòng {evidence['line']}: \"{evidence['quote']}\")" if evidence else ""))
    typer.echo(f"Ghi vào / asserting into: {plan.scope}")
    by_kind = Counter(f.kind for f in plan.facts)
    typer.echo("Sẽ ghi / to assert: " + (", ".join(
        f"{n} {_KIND_WORDS.get(k, k)}" for k, n in sorted(by_kind.items())) or "0"))
    for fact in plan.facts:
        typer.echo(f"  {_fact_line(fact)}")
    for code, facts in sorted(plan.routed.items()):
        if facts:
            typer.echo(f"Chuyển sang địa bàn / routed to {code}: {len(facts)}")
            for fact in facts:
                typer.echo(f"  {_fact_line(fact)}")
    if plan.proposed:
        typer.echo(f"Đề xuất mới / proposed new: {len(plan.proposed)}")
        for fact in plan.proposed:
            typer.echo(f"  {_KIND_WORDS.get(fact.kind, fact.kind)} {fact.payload.get('name')} "
                       f"[{fact.key}] (l{fact.source.line if fact.source else '?'})")
    typer.echo(f"Cần xem lại (không ghi) / for review (not asserted): "
               f"{len(plan.unmatched) + len(plan.review)}")
    for o in plan.unmatched:
        typer.echo(f"  l{o.line:<5} {o.indicator} — {o.pct_of_plan or ''}% "
                   f"(gợi ý / candidates: {_ident(None, o.candidates)})")
    for r in plan.review:
        typer.echo(f"  l{r.line:<5} {r.text[:70]} — {r.reason_vi}")
    if alerts is not None:
        typer.echo(f"Cảnh báo sẽ phát / alerts that would fire: {len(alerts)}")
        for a in alerts:
            kind = ALERT_KINDS[a["kind"]].vi if a["kind"] in ALERT_KINDS else a["kind"]
            typer.echo(f"  {kind}: {a['explanation_vi']} [{a['subject']['id']}]")
    if written is not None:
        typer.echo("Đã ghi / asserted: " + ", ".join(
            f"{n} mới / new ({code})" for code, n in sorted(written.items())))


_KIND_WORDS = {"observation": "số liệu", "task": "nhiệm vụ", "task_update": "cập nhật nhiệm vụ",
               "target": "chỉ tiêu", "indicator": "chỉ tiêu (danh mục)", "agency": "cơ quan",
               "document": "văn bản"}


def _fact_line(fact: Fact) -> str:
    """A fact to assert, in words; ids last in brackets as keys."""
    p, line = fact.payload, fact.source.line if fact.source else "?"
    if fact.kind == "observation":
        return (f"{p.get('indicator_text') or ''} [{p['indicator']}] {p['period']} "
                f"{p['value'] or ''} {p['pct_of_plan'] or ''}% (l{line}) [{fact.key}]")
    if fact.kind == "task_update":
        return f"[{p['task']}] {status_label(p['status'])} (l{line}) [{fact.key}]"
    if fact.kind == "task":
        due = vn_date(p["deadline"]) or p["condition"] or "-"
        return (f"{str(p['summary'])[:70]} | [{p['lead_agency']}] | {due} (l{line}) "
                f"[{fact.key}]")
    if fact.kind == "target":
        return (f"{p.get('indicator_text') or ''} {p['period']}: {p['expression']} "
                f"{p['unit'] or ''} (l{line}) [{fact.key}]")
    return f"{p.get('name') or p.get('number') or ''} (l{line}) [{fact.key}]"


def _write(log: Any, plan: IngestPlan) -> dict[str, int]:
    """Append the plan's facts — this jurisdiction's and the routed ones — in one
    transaction; the count of new facts per jurisdiction."""
    routed = {code: facts for code, facts in plan.routed.items() if facts}
    if not routed:
        outcomes = {plan.scope or "": log.append(plan.facts, submitted_by="extract")}
    elif not plan.scope:
        raise KehoachError(
            "Cơ sở dữ liệu chưa có địa bàn mặc định; hãy chọn --jurisdiction trước khi "
            "chuyển số liệu sang địa bàn khác",
            "The database has no default jurisdiction; choose --jurisdiction before routing "
            "facts to other jurisdictions", code="no_jurisdiction", text=plan.source)
    else:
        outcomes = log.append_routed({plan.scope: plan.facts, **routed},
                                     submitted_by="extract")
    return {code: sum(1 for o in found if o.status != "duplicate")
            for code, found in outcomes.items()}


def _ident(key: str | None, candidates: list[str]) -> str:
    """A matched indicator as a bracketed key, else '?' with the candidates' keys."""
    if key:
        return f"[{key}]"
    return "? " + (" ".join(f"[{c}]" for c in candidates) or "-")


@command
def ingest(
    file: FileArgument,
    db: DbOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ xem trước / preview only")
    ] = False,
    as_of: AsOfOption = None,
    indicators: IndicatorsOption = None,
    create_missing: Annotated[bool, typer.Option(
        "--create-missing", help="Tạo cơ quan, chỉ tiêu mới được đề xuất / create the "
        "proposed new agencies and indicators")] = False,
    route: Annotated[bool, typer.Option(
        "--route", help="Ghi số liệu, nhiệm vụ của địa bàn khác vào địa bàn đó / file facts "
        "of other jurisdictions under their own")] = False,
    as_json: JsonOption = False,
) -> None:
    """Trích xuất và ghi văn bản vào sổ dữ kiện / extract a document and assert its facts:
    matched observations, targets, tasks and task updates of this jurisdiction (others are
    listed for review; a document of another jurisdiction is refused unless --route).

    Example: kehoach ingest report.txt --db /tmp/kh.db --dry-run
    """
    path = db or default_db_path()
    alerts: list[dict[str, Any]] | None = None
    written: dict[str, int] | None = None
    if dry_run:
        plan, alerts = _dry_run(file, path, indicators, parse_as_of(as_of), create_missing,
                                route)
        if not route:
            _refuse_foreign(plan)  # the preview says what ingest would do: refuse it
    else:
        with open_log(path) as log:
            plan = _plan(_read(file, log, indicators), path, log.jurisdiction,
                         create_missing, route)
            if not route:
                _refuse_foreign(plan)
            written = _write(log, plan)
    if as_json:
        emit_json({**plan.to_dict(), "alerts": alerts,
                   "asserted": sum(written.values()) if written is not None else None,
                   "asserted_by_jurisdiction": written, "dry_run": dry_run})
    else:
        _print_plan(plan, alerts, written)
