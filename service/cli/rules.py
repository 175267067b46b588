"""Commands of the rules engine: ``demo``, ``status``, ``alerts``, ``rules``.

Each command reads its options, calls one library function (``rules.replay``,
``rules.catalogue``) and formats the result; no domain logic here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from kg.dataset import DEFAULT_DATASET, load_into
from kg.log import open_existing_log, open_log
from rules.catalogue import export_catalogue
from rules.filters import resolve_alert_filters
from rules.outcomes import Alert, StatusChange
from rules.replay import alerts, current_statuses, replay, summarize
from service.cli.options import AsOfOption, DbOption, JsonOption, command, emit_json, parse_as_of

TASK_KIND = "task"


def _timeline(console: Console, outcomes: list[Any]) -> None:
    """One line per target event; task events counted per date, so the story stays readable."""
    console.rule("Diễn biến / timeline")
    task_counts: dict[tuple[str, str], int] = {}
    shown: set[tuple[str, str, str]] = set()
    for o in sorted(outcomes, key=lambda o: (o.as_of, isinstance(o, StatusChange), o.subject.id)):
        status = o.kind if isinstance(o, Alert) else o.status
        if o.subject.kind == TASK_KIND:
            key = (o.as_of, status)
            if isinstance(o, StatusChange):
                task_counts[key] = task_counts.get(key, 0) + 1
            continue
        if (o.as_of, o.subject.id, status) in shown:
            continue  # the alert already told this status change
        shown.add((o.as_of, o.subject.id, status))
        mark = "⚠" if isinstance(o, Alert) and o.severity in ("high", "critical") else "•"
        period = f" {o.period}" if o.period else ""
        console.print(f"{o.as_of} {mark} [bold]{status:<15}[/bold] {o.subject.name[:48]}{period}"
                      f" — {o.agency or '—'}\n             {o.explanation_vi[:150]}",
                      highlight=False)
    for (day, status), count in sorted(task_counts.items()):
        console.print(f"{day} • nhiệm vụ / tasks → [bold]{status}[/bold]: {count}",
                      highlight=False)


def _summary(console: Console, summary: dict[str, dict[str, int]]) -> None:
    for title, counts in (("Cảnh báo theo loại / alerts by kind", summary["by_kind"]),
                          ("Cảnh báo theo cơ quan / alerts by agency", summary["by_agency"])):
        table = Table(title=title)
        table.add_column("")
        table.add_column("số/count", justify="right")
        for key, count in counts.items():
            table.add_row(key, str(count))
        console.print(table)


def demo(db: DbOption = None, as_of: AsOfOption = None,
         dataset: Annotated[Path, typer.Option(help="Thư mục dữ liệu / dataset")] = DEFAULT_DATASET,
         ) -> None:
    """Nạp dữ liệu Lạng Sơn vào CSDL mới, phát lại báo cáo theo thời gian / load
    data/langson into a fresh db, replay the reports in date order.
    Example: kehoach demo --as-of 2024-12-31"""
    path = db or Path(tempfile.mkdtemp(prefix="kehoach-demo-")) / "kehoach.db"
    console = Console()
    with open_log(path) as log:
        load_into(log, dataset)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Phát lại / replaying", total=None)
            result = replay(log, parse_as_of(as_of), persist=True,
                            progress=lambda d, i, n: bar.update(task, completed=i, total=n,
                                                                description=f"{d}"))
    _timeline(console, result.outcomes)
    _summary(console, summarize(result.outcomes))
    console.print(f"CSDL / db: {path} — {result.appended} kết quả mới / new outcomes stored")


def status(db: DbOption = None, as_of: AsOfOption = None, json: JsonOption = False) -> None:
    """Trạng thái mỗi chỉ tiêu và nhiệm vụ / status of every target and task.
    Example: kehoach status --json --as-of 2023-12-31"""
    with open_existing_log(db) as log:
        rows = current_statuses(log, parse_as_of(as_of))
    if json:
        emit_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['id']}\t{row['status'] or '—'}\t{row['verdict'] or '—'}\t"
                   f"{row['agency'] or '—'}")


def alerts_command(db: DbOption = None, as_of: AsOfOption = None, json: JsonOption = False,
                   agency: Annotated[str | None, typer.Option(
                       help="Cơ quan: mã, tên, tên tắt / agency id, name or short name")] = None,
                   kind: Annotated[str | None, typer.Option(help="Loại / alert kind")] = None,
                   ) -> None:
    """Cảnh báo / alerts (an unknown agency or kind is an error naming the close ones).
    Example: kehoach alerts --json --agency 'Sở Công Thương'
    """
    with open_existing_log(db) as log:
        wanted = resolve_alert_filters(log, agency, kind)
        rows = alerts(log, parse_as_of(as_of), agency=wanted.agency, kind=wanted.kind)
    if json:
        emit_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['as_of']}\t{row['kind']}\t{row['subject']['id']}\t"
                   f"{row['explanation_vi']}")


def rules_command(json: JsonOption = False) -> None:
    """Danh mục luật / the rules catalogue. Example: kehoach rules --json"""
    catalogue = export_catalogue()
    if json:
        emit_json(catalogue)
        return
    for rule in catalogue["rules"]:
        typer.echo(f"{rule['id']} v{rule['version']}\t{rule['severity']}\t{rule['title']['vi']}")


def register(app: typer.Typer) -> None:
    app.command("demo")(command(demo))
    app.command("status")(command(status))
    app.command("alerts")(command(alerts_command))
    app.command("rules")(command(rules_command))
