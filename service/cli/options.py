"""Options shared by many commands, defined once (``--db``, ``--as-of``, ``--json``,
``--jurisdiction``),
and the one place that turns library errors into CLI output and exit codes — and that puts
every text argument in Unicode NFC (``kg.notation.nfc``) before a command reads it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.errors import KehoachError
from kg.log import database_at, known_code
from kg.notation import nfc_all, parse_date
from service.figures import for_json

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Tệp cơ sở dữ liệu (SQLite) hoặc địa chỉ PostgreSQL / database file (SQLite) or "
        "PostgreSQL URL (postgresql://user@host/dbname); default $KEHOACH_DB or "
        "~/.local/share/kehoach/kehoach.db.",
        envvar="KEHOACH_DB",
        parser=database_at,  # a postgresql:// URL stays text (Path would fold its //)
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Đánh giá tại ngày / evaluate as of date (dd/mm/yyyy or "
                 "YYYY-MM-DD)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="In JSON / print JSON.")]
JURISDICTION_HELP = ("Địa bàn (tỉnh, bộ, cả nước) mà lệnh làm việc: mã hoặc tên, ví dụ "
                     "lang-son, \"Bộ Tài chính\" / the jurisdiction (province, ministry, "
                     "nation) to work on: code or name, e.g. lang-son; default "
                     "$KEHOACH_JURISDICTION, else the database's default.")
JurisdictionOption = Annotated[
    str | None,
    typer.Option("--jurisdiction", help=JURISDICTION_HELP, envvar="KEHOACH_JURISDICTION",
                 metavar="MÃ/CODE"),
]


def jurisdiction_code(text: str | None, hint: str = "--jurisdiction") -> str | None:
    """A --jurisdiction value — a code of data/jurisdictions.yaml or a name as documents
    write it ("Lạng Sơn", "Bộ Tài chính") — as its code (None when not given); anything
    else is a usage error (exit 2) naming the closest ones."""
    if not text or not text.strip():
        return None
    try:
        return known_code(text, hint)
    except KehoachError as err:
        raise typer.BadParameter(err.message, param_hint=hint) from None


def parse_as_of(text: str | None) -> date | None:
    """An --as-of date as people write it: 30/06/2024, 2024-06-30, "ngày 30 tháng 6 năm
    2024" (``kg.notation.parse_date``)."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except KehoachError:
        raise typer.BadParameter(
            f"Ngày không hợp lệ '{text}', cần dạng dd/mm/yyyy hoặc YYYY-MM-DD / invalid date "
            f"'{text}', expected dd/mm/yyyy or YYYY-MM-DD",
            param_hint="--as-of",
        ) from None


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON, every figure with its parsed number beside the text as
    written and dates in ISO (``service.figures.for_json``, as the API does)."""
    typer.echo(json.dumps(for_json(data), ensure_ascii=False, indent=2, default=str))


@contextmanager
def library_errors() -> Iterator[None]:
    """Translate a library error into a bilingual message on stderr and exit code 2."""
    try:
        yield
    except KehoachError as err:
        typer.echo(f"Lỗi / Error [{err.code}]: {err.message}", err=True)
        raise typer.Exit(2) from None


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: run a command body inside ``library_errors``, its text arguments in NFC
    (passwords are left as typed: the login compares them as they are sent)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs = {k: v if "password" in k else nfc_all(v) for k, v in kwargs.items()}
        with library_errors():
            return fn(*nfc_all(args), **kwargs)

    return wrapper
