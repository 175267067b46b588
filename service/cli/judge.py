"""``kehoach judge``: the one process that runs the rules for API workers that do not judge
(``kehoach serve --judge external``); see ``service.judge``."""

from __future__ import annotations

import signal
import threading
from datetime import date
from types import FrameType
from typing import Annotated

import typer

from kg.log import default_db_path, open_log
from service.cli.options import (
    AsOfOption,
    DbOption,
    JurisdictionOption,
    command,
    jurisdiction_code,
    parse_as_of,
)
from service.judge import Judge


@command
def judge(db: DbOption = None,
          as_of: AsOfOption = None,
          jurisdiction: JurisdictionOption = None,
          poll: Annotated[float, typer.Option(min=0.01, help="Trên SQLite: đọc sổ mỗi ... giây "
                                              "(PostgreSQL: được báo ngay, LISTEN/NOTIFY) / "
                                              "SQLite: read the log every ... seconds "
                                              "(PostgreSQL wakes on NOTIFY)")] = 0.2,
          ) -> None:
    """Xét luật cho các tiến trình phục vụ / judge for the API workers (one per database and
    jurisdiction).

    Follows the fact log, runs the rules, stores their outcomes and announces new alerts to
    every `kehoach serve --judge external` worker. Stops on SIGINT/SIGTERM.

    Example: kehoach judge --db postgresql://kehoach@db/kehoach --jurisdiction lang-son
    """
    fixed = parse_as_of(as_of)
    log = open_log(db or default_db_path(), jurisdiction=jurisdiction_code(jurisdiction))
    judging = Judge(log, lambda: fixed or date.today(), poll=poll)
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopping)
    try:
        judging.start()
        typer.echo(f"Xét luật / judging: {log.jurisdiction or '-'} · {log.database.dialect} "
                   f"· log position {log.last_seq()}"
                   + (f" · as of {fixed.isoformat()}" if fixed else ""))
        judging.run(stop)
    finally:
        judging.close()
        log.close()
