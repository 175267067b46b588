"""``kehoach national``: every jurisdiction of the database side by side (cả nước).

Each jurisdiction is judged on its own facts only (its scoped log, replayed as of the date);
the view reads across them and never mixes one's facts into another's judgement.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import typer

from kg.log import jurisdiction_rows, open_existing_log
from rules.portfolio import status_label
from rules.replay import alerts, current_statuses, replay
from rules.vocabulary import SEVERITIES
from service.cli.options import AsOfOption, DbOption, JsonOption, command, emit_json, parse_as_of


def jurisdiction_summary(db: Any, code: str, as_of: date | None) -> dict[str, Any]:
    """One jurisdiction as of a date: its targets' and tasks' statuses and its open alerts
    by severity (closed ones — superseded by a later status — are not counted)."""
    with open_existing_log(db, jurisdiction=code or None) as log:
        result = replay(log, as_of=as_of, persist=False)
        statuses = current_statuses(result)
        rows = alerts(result)
    open_rows = [a for a in rows if not a.get("superseded_by")]
    return {
        "statuses": dict(sorted(Counter(s["status"] or "no_status" for s in statuses).items())),
        "open_alerts": dict(sorted(Counter(a["severity"] for a in open_rows).items())),
        "open_alert_count": len(open_rows),
    }


def national(db: DbOption = None, as_of: AsOfOption = None, json: JsonOption = False) -> None:
    """Cả nước / the national view: each jurisdiction in the database (province, ministry,
    the nation) with its statuses and open alerts as of a date, each judged on its own facts.

    Example: kehoach national --as-of 31/12/2025 --json
    """
    when = parse_as_of(as_of)
    with open_existing_log(db) as log:
        listing = jurisdiction_rows(log)
    rows = []
    for row in listing["data"]:
        if not row["total"]:
            continue
        rows.append({**{k: row[k] for k in ("code", "name", "name_en", "kind", "total")},
                     "targets": row["facts"].get("target", 0),
                     "tasks": row["facts"].get("task", 0),
                     **jurisdiction_summary(db, row["code"], when)})
    if json:
        emit_json({"as_of": when, "data": rows})
        return
    for row in rows:
        name = row["name"] or row["code"] or "(chưa gắn địa bàn / unscoped)"
        severity = ", ".join(f"{n} {SEVERITIES[k].vi if k in SEVERITIES else k}"
                             for k, n in row["open_alerts"].items()) or "không có"
        states = "; ".join(f"{status_label(k)}: {n}" for k, n in row["statuses"].items())
        typer.echo(f"{name} ({row['code']}): {row['targets']} chỉ tiêu, {row['tasks']} nhiệm "
                   f"vụ — cảnh báo đang mở: {severity}" + (f" — {states}" if states else ""))


def register(app: typer.Typer) -> None:
    app.command("national")(command(national))
