"""Commands that read report text: extract (show what a report says), ingest (assert it)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.errors import KehoachError
from kg.extract import Extraction, extract_file, load_indicator_matcher
from kg.extract.ingest import IngestPlan, plan_ingest
from kg.extract.matching import IndicatorMatcher, matcher_from_log
from kg.extract.progress import KnownTask, known_tasks, link_extraction
from kg.log import default_db_path, open_log
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
        ident = o.indicator_id or f"? ({', '.join(o.candidates) or '-'})"
        typer.echo(f"  l{o.line:<5} {o.period or '?':9} {o.value or '':>12} {o.unit or '':12} "
                   f"{o.pct_of_plan:>7}% {o.plan_basis:22} {ident} — {o.indicator}")
    typer.echo(f"Văn bản dẫn chiếu / citations: {len(result.citations)}")
    for c in result.citations:
        typer.echo(f"  l{c.line:<5} {c.kind or '?'} {c.number or '(không số)'} "
                   f"{c.date or ''} {c.issuer or ''}")
    typer.echo(f"Nhiệm vụ / tasks: {len(result.tasks)}")
    for t in result.tasks:
        owner = t.agency if t.agency_stated else f"({t.agency})"
        typer.echo(f"  l{t.line:<5} {owner} | {t.deadline or t.condition or '-'} | "
                   f"{t.summary[:90]}")
    linked = {id(link.statement): link.task for link in result.links}
    typer.echo(f"Tiến độ nhiệm vụ / progress statements: {len(result.progress)} "
               f"({len(result.links)} gắn với nhiệm vụ / linked to a task)")
    for s in result.progress:
        task = linked.get(id(s), "-")
        typer.echo(f"  l{s.line:<5} {s.status:11} {task:24} {s.clause[:90]}")


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


def _matcher(log: Any, indicators: Path | None) -> IndicatorMatcher:
    if indicators is not None:
        return load_indicator_matcher(indicators)
    matcher = matcher_from_log(log)
    return matcher if matcher.names else load_indicator_matcher(DEFAULT_DATASET)


def _extract(file: Path, log: Any, indicators: Path | None) -> Extraction:
    """Extract ``file``, its progress statements linked to the log's tasks."""
    result = extract_file(file, matcher=_matcher(log, indicators))
    link_extraction(result, _log_tasks(log))
    return result


def _dry_run(file: Path, db: Path, indicators: Path | None,
             as_of: date | None) -> tuple[IngestPlan, list[dict[str, Any]]]:
    """Plan the ingest on a temporary copy of the log and replay the copy with and without
    the new facts (nothing persisted): the alerts only the new facts produce."""
    from rules.replay import replay

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "preview.db"
        if db.exists():
            shutil.copyfile(db, copy)
        with open_log(copy) as log:
            plan = plan_ingest(_extract(file, log, indicators))
            before = {a.id for a in replay(log, as_of=as_of, persist=False).alerts}
            log.append(plan.facts, submitted_by="extract-preview")
            after = replay(log, as_of=as_of, persist=False).alerts
    return plan, [a.to_dict() for a in after if a.id not in before]


def _print_plan(plan: IngestPlan, alerts: list[dict[str, Any]] | None, written: int | None) -> None:
    updates = [f for f in plan.facts if f.kind == "task_update"]
    typer.echo(f"Sẽ ghi / to assert: {len(plan.facts) - len(updates)} số liệu / observations, "
               f"{len(updates)} cập nhật nhiệm vụ / task updates")
    for fact in updates:
        typer.echo(f"  {fact.key} {fact.payload['task']} {fact.payload['status']} "
                   f"(l{fact.source.line if fact.source else '?'})")
    for fact in plan.facts:
        if fact.kind != "observation":
            continue
        p = fact.payload
        typer.echo(f"  {fact.key} {p['indicator']} {p['period']} {p['value'] or ''} "
                   f"{p['pct_of_plan']}% (l{fact.source.line if fact.source else '?'})")
    typer.echo(f"Cần xem lại (không ghi) / for review (not asserted): {len(plan.unmatched)}")
    for o in plan.unmatched:
        typer.echo(f"  l{o.line:<5} {o.indicator} — {o.pct_of_plan}% "
                   f"(gợi ý / candidates: {', '.join(o.candidates) or '-'})")
    if alerts is not None:
        typer.echo(f"Cảnh báo sẽ phát / alerts that would fire: {len(alerts)}")
        for a in alerts:
            typer.echo(f"  [{a['severity']}] {a['kind']} {a['subject']['id']}: "
                       f"{a['explanation_vi']}")
    if written is not None:
        typer.echo(f"Đã ghi / asserted: {written} mới / new")


@command
def ingest(
    file: FileArgument,
    db: DbOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ xem trước / preview only")
    ] = False,
    as_of: AsOfOption = None,
    indicators: IndicatorsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Trích xuất và ghi số liệu vào sổ dữ kiện / extract a report and assert its matched
    observations (unmatched ones are listed for review).

    Example: kehoach ingest report.txt --db /tmp/kh.db --dry-run
    """
    path = db or default_db_path()
    alerts: list[dict[str, Any]] | None = None
    written: int | None = None
    if dry_run:
        plan, alerts = _dry_run(file, path, indicators, parse_as_of(as_of))
    else:
        with open_log(path) as log:
            plan = plan_ingest(_extract(file, log, indicators))
            outcomes = log.append(plan.facts, submitted_by="extract")
            written = sum(1 for o in outcomes if o.status != "duplicate")
    if as_json:
        emit_json({**plan.to_dict(), "alerts": alerts, "asserted": written,
                   "dry_run": dry_run})
    else:
        _print_plan(plan, alerts, written)
