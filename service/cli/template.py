"""Commands for the planning office's template: ``import`` (CSV/XLSX → fact log) and
``template`` (write the blank annotated XLSX). Thin doors over ``kg.template``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.log import open_log
from kg.template import (
    SHEET_KINDS,
    ImportProblems,
    ImportResult,
    check_file,
    import_file,
    write_template,
)
from service.cli.options import DbOption, JsonOption, command, emit_json

DEFAULT_TEMPLATE = Path("mau-nhap-lieu-kehoach.xlsx")


Kind = StrEnum("Kind", {key: key for key in SHEET_KINDS})
"""The sheet kinds ``--kind`` accepts: kg.template's registry (agencies, targets, observations,
tasks)."""


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("template")(template)


@command
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp CSV hoặc XLSX theo mẫu / CSV or XLSX file")],
    db: DbOption = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", help="Loại bảng của tệp CSV (mặc định: đoán từ tiêu đề) / kind "
                     "of a CSV file (default: detected from the headers)"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ kiểm tra, không ghi / check only")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Nhập tệp mẫu của Sở / import the planning office's template (CSV or XLSX).

    ALL-OR-NOTHING: one bad row and nothing is written; every bad row is listed with its
    sheet, row, column and a Vietnamese + English message. Good files are written in one
    transaction; re-importing the same file adds nothing.

    Headers in Vietnamese or English; columns: docs/import.md.

    Example: kehoach import so-lieu-thang-11.xlsx --db /tmp/kh.db
    """
    run_import(file, db, kind.value if kind else None, dry_run, as_json)


def run_import(file: Path, db: Path | None, kind: str | None, dry_run: bool,
               as_json: bool) -> None:
    """Check (``dry_run``) or import ``file`` as the sheet ``kind`` (None: every sheet, CSV
    detected from its headers) and print what was read or every problem (then exit 2); the
    one door of ``kehoach import`` and ``kehoach agency import``."""
    with open_log(db) as log:
        try:
            check = check_file if dry_run else import_file
            result = check(log, file, kind)
        except ImportProblems as err:
            _report_problems(err, as_json)
            raise typer.Exit(2) from None
    _report(result, dry_run, as_json)


def _report_problems(err: ImportProblems, as_json: bool) -> None:
    if as_json:
        emit_json({"written": 0, "problems": [p.to_dict() for p in err.problems]})
        return
    for problem in err.problems:
        typer.echo(f"[{problem.code}] {problem.message}", err=True)
    typer.echo(f"{len(err.problems)} lỗi, không ghi gì / {len(err.problems)} problem(s), "
               "nothing written", err=True)


def _report(result: ImportResult, dry_run: bool, as_json: bool) -> None:
    if as_json:
        emit_json({**result.to_dict(), "dry_run": dry_run})
        return
    for sheet in result.sheets:
        ignored = sheet["ignored_headers"]
        note = f" (bỏ qua cột / ignored columns: {', '.join(ignored)})" if ignored else ""
        typer.echo(f"{sheet['name']}: {sheet['kind']}, {sheet['rows']} hàng / rows{note}")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(result.kinds().items()))
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items()))
    verb = "Hợp lệ, chưa ghi / valid, not written" if dry_run else "Đã nhập / imported"
    typer.echo(f"{verb}: {len(result.facts)} facts ({kinds}); {outcomes}")


@command
def template(
    out: Annotated[
        Path, typer.Option("--out", help="Tệp XLSX sẽ ghi / XLSX file to write")
    ] = DEFAULT_TEMPLATE,
    force: Annotated[
        bool, typer.Option("--force", help="Ghi đè tệp đã có / overwrite an existing file")
    ] = False,
) -> None:
    """Ghi mẫu nhập liệu trống / write the blank, annotated XLSX template.

    Sheets: "Hướng dẫn" (every column explained, with examples), "Cơ quan" (agencies),
    "Chỉ tiêu - Mục tiêu", "Số liệu", "Nhiệm vụ". Row 1: Vietnamese headers; row 2: English
    keys; data from row 3.

    Example: kehoach template --out mau.xlsx
    """
    if out.exists() and not force:
        typer.echo(f"Lỗi / Error [template_exists]: tệp {out} đã có, dùng --force để ghi đè / "
                   f"{out} exists, use --force to overwrite", err=True)
        raise typer.Exit(2)
    path = write_template(out)
    typer.echo(f"Đã ghi mẫu / template written: {path}")
