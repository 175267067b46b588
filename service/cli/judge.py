"""``kehoach judge``: the one process that runs the rules for API workers that do not judge
(``kehoach serve --judge external``); see ``service.judge``. ``--all-jurisdictions`` judges
every jurisdiction of the database in this one process (``service.judge.JudgeAll``)."""

from __future__ import annotations

import signal
import threading
from datetime import date
from types import FrameType
from typing import Annotated

import typer

from kg.log import default_db_path, open_log
from service import heap
from service.cli.options import (
    AsOfOption,
    DbOption,
    JurisdictionOption,
    command,
    jurisdiction_code,
    parse_as_of,
)
from service.judge import Judge, JudgeAll


@command
def judge(db: DbOption = None,
          as_of: AsOfOption = None,
          jurisdiction: JurisdictionOption = None,
          poll: Annotated[float, typer.Option(min=0.01, help="Trên SQLite: đọc sổ mỗi ... giây "
                                              "(PostgreSQL: được báo ngay, LISTEN/NOTIFY) / "
                                              "SQLite: read the log every ... seconds "
                                              "(PostgreSQL wakes on NOTIFY)")] = 0.2,
          all_jurisdictions: Annotated[bool, typer.Option(
              "--all-jurisdictions",
              help="Xét mọi địa bàn của cơ sở dữ liệu trong một tiến trình (kể cả địa bàn có "
                   "dữ kiện sau khi khởi động) / judge every jurisdiction of the database in "
                   "this one process (and those whose first facts come later)")] = False,
          ) -> None:
    """Xét luật cho các tiến trình phục vụ / judge for the API workers (one per database and
    jurisdiction).

    Follows the fact log, runs the rules, stores their outcomes and announces new alerts to
    every `kehoach serve --judge external` worker. Stops on SIGINT/SIGTERM.

    Example: kehoach judge --db postgresql://kehoach@db/kehoach --jurisdiction lang-son
    Example: kehoach judge --db postgresql://kehoach@db/kehoach --all-jurisdictions
    """
    fixed = parse_as_of(as_of)
    heap.enable()  # a long-lived process: its heap is the rules sessions it keeps
    if all_jurisdictions:
        if jurisdiction:
            raise typer.BadParameter(
                "chọn --jurisdiction hoặc --all-jurisdictions, không cả hai / give "
                "--jurisdiction or --all-jurisdictions, not both",
                param_hint="--all-jurisdictions")
        judge_every_jurisdiction(db, fixed, poll)
        return
    log = open_log(db or default_db_path(), jurisdiction=jurisdiction_code(jurisdiction))
    judging = Judge(log, lambda: fixed or date.today(), poll=poll)
    stop = _stop_on_signals()
    try:
        judging.start()
        typer.echo(f"Xét luật / judging: {log.jurisdiction or '-'} · {log.database.dialect} "
                   f"· log position {log.last_seq()}"
                   + (f" · as of {fixed.isoformat()}" if fixed else ""))
        judging.run(stop)
    finally:
        judging.close()
        log.close()


def _stop_on_signals() -> threading.Event:
    """An event set by SIGINT/SIGTERM: the judging loop ends after its pass."""
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopping)
    return stop


def judge_every_jurisdiction(db: str | None, fixed: date | None, poll: float) -> None:
    """``kehoach judge --all-jurisdictions``: one ``Judge`` per jurisdiction, one process."""
    log = open_log(db or default_db_path())
    judging = JudgeAll(log, lambda: fixed or date.today(), poll=poll)
    stop = _stop_on_signals()
    try:
        started = judging.add_new()
        typer.echo(f"Xét luật mọi địa bàn / judging every jurisdiction: "
                   f"{', '.join(started) or '-'} · {log.database.dialect}"
                   + (f" · as of {fixed.isoformat()}" if fixed else ""))
        for code, why in judging.skipped.items():
            typer.echo(f"Bỏ qua / skipped {code}: {why}", err=True)
        judging.run(stop)
    finally:
        judging.close()
        log.close()
