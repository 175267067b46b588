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

from kg.dataset import DEFAULT_DATASET, dataset_log, load_into, read_manifest
from kg.log import open_existing_log, open_log
from kg.wording import vn_date
from rules.catalogue import export_catalogue
from rules.filters import resolve_alert_filters
from rules.outcomes import Alert, StatusChange
from rules.portfolio import status_label
from rules.replay import alerts, current_statuses, replay, summarize
from rules.vocabulary import ALERT_KINDS
from service.cli.options import AsOfOption, DbOption, JsonOption, command, emit_json, parse_as_of
from service.web.wording import agency_names, date_words

TASK_KIND = "task"


def _names(log: Any) -> dict[str, str]:
    """Agency id → the name a reader knows (a merged agency: its successor's, "trước đây …")."""
    return agency_names([{**f.payload, "id": f.key} for f in log.current("agency")])


def _timeline(console: Console, outcomes: list[Any], names: dict[str, str]) -> None:
    """One line per target event and one per (date, task status) with its count, all in date
    order; statuses and kinds in words, dates dd/mm/yyyy, agencies by name."""
    console.rule("Diễn biến / timeline")
    task_counts: dict[tuple[str, str], int] = {}
    lines: list[tuple[str, int, str]] = []
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
        words = ALERT_KINDS[status].vi if isinstance(o, Alert) and status in ALERT_KINDS \
            else status_label(status)
        period = f" {o.period}" if o.period else ""
        agency = names.get(o.agency or "", o.agency or "—")
        lines.append((o.as_of, len(lines), f"{vn_date(o.as_of)} {mark} [bold]{words}[/bold]: "
                      f"{o.subject.name[:60]}{period} — {agency}\n             "
                      f"{(o.explanation_vi or '')[:150]}"))
    for (day, status), count in task_counts.items():
        lines.append((day, len(lines), f"{vn_date(day)} • nhiệm vụ / tasks → "
                      f"[bold]{status_label(status)}[/bold]: {count}"))
    for _day, _n, line in sorted(lines):
        console.print(line, highlight=False)


def _summary(console: Console, summary: dict[str, dict[str, int]],
             names: dict[str, str]) -> None:
    kinds = {k: v.vi for k, v in ALERT_KINDS.items()}
    for title, counts, words in (
            ("Cảnh báo theo loại / alerts by kind", summary["by_kind"], kinds),
            ("Cảnh báo theo cơ quan / alerts by agency", summary["by_agency"], names)):
        table = Table(title=title)
        table.add_column("")
        table.add_column("số/count", justify="right")
        for key, count in counts.items():
            table.add_row(words.get(key, key) if key else "Chưa xác định", str(count))
        console.print(table)


def demo(db: DbOption = None, as_of: AsOfOption = None,
         dataset: Annotated[Path, typer.Option(help="Thư mục dữ liệu / dataset")] = DEFAULT_DATASET,
         ) -> None:
    """Nạp dữ liệu Lạng Sơn vào CSDL mới, phát lại báo cáo theo thời gian / load
    data/langson into a fresh db, replay the reports in date order. Without --db the db is
    made in a temporary folder; the last line says where, and how to remove it.
    Example: kehoach demo --as-of 2024-12-31"""
    temporary = db is None
    path = db or Path(tempfile.mkdtemp(prefix="kehoach-demo-")) / "kehoach.db"
    console = Console()
    with open_log(path) as log:
        with console.status(f"Nạp dữ liệu / loading {dataset.name} → {path}"):
            load_into(log, dataset)
        # the replay is of the dataset's jurisdiction, whatever the database's default is
        own = dataset_log(log, read_manifest(dataset))
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Phát lại / replaying", total=None)
            result = replay(own, parse_as_of(as_of), persist=True,
                            progress=lambda d, i, n: bar.update(task, completed=i, total=n,
                                                                description=f"{d}"))
        names = _names(own)
    _timeline(console, result.outcomes, names)
    _summary(console, summarize(result.outcomes), names)
    console.print(f"CSDL / db: {path} — {result.appended} kết quả mới / new outcomes stored",
                  highlight=False)
    if temporary:
        console.print(f"CSDL tạm / temporary db: dùng tiếp với / use it with --db {path}; "
                      f"xoá / remove: rm -r {path.parent}", highlight=False)


def status(db: DbOption = None, as_of: AsOfOption = None, json: JsonOption = False) -> None:
    """Trạng thái mỗi chỉ tiêu và nhiệm vụ / status of every target and task.
    Example: kehoach status --json --as-of 2023-12-31"""
    with open_existing_log(db) as log:
        rows = current_statuses(log, parse_as_of(as_of))
        names = _names(log)
    if json:
        emit_json(rows)
        return
    for row in rows:  # in words: name, period, status, verdict, agency (id last, a key)
        verdict = status_label(row["verdict"]) if row["verdict"] else "—"
        typer.echo(f"{row['name'] or row['id']}\t{date_words(row['period']) or '—'}\t"
                   f"{status_label(row['status'])}\t{verdict}\t"
                   f"{names.get(row['agency'] or '', row['agency'] or 'Chưa xác định')}\t"
                   f"[{row['id']}]")


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
        names = _names(log)
    if json:
        emit_json(rows)
        return
    for row in rows:  # in words: date, kind, subject, agency, explanation
        kind_words = ALERT_KINDS[row["kind"]].vi if row["kind"] in ALERT_KINDS else row["kind"]
        typer.echo(f"{vn_date(row['as_of'])}\t{kind_words}\t{row['subject']['name']}\t"
                   f"{names.get(row['agency'] or '', row['agency'] or 'Chưa xác định')}\t"
                   f"{row['explanation_vi'] or ''}")


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
