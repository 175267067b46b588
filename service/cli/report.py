"""``kehoach report``: the planning office's report of a period, as xlsx, docx, md or html
(a thin door over ``rules.report.build_report`` / ``write_report``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.log import open_existing_log
from rules.report import REPORT_FORMATS, build_report, render_text, write_report
from service.cli.options import AsOfOption, DbOption, command, parse_as_of


def register(app: typer.Typer) -> None:
    app.command("report")(report)


@command
def report(
    period: Annotated[str, typer.Option(
        "--period", help="Kỳ báo cáo / period: 2024, 2025, 2021-2025")],
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="Định dạng / format: " + ", ".join(REPORT_FORMATS))] = "md",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Tệp ghi ra / output file (md, html: stdout when omitted; "
        "xlsx, docx: report-<period>.<format>)")] = None,
    db: DbOption = None,
) -> None:
    """Lập báo cáo chỉ tiêu, nhiệm vụ của một kỳ / write the report of a period.

    Example: kehoach report --period 2024 --format xlsx --out bao-cao-2024.xlsx
    """
    if fmt not in REPORT_FORMATS:
        raise typer.BadParameter(
            f"'{fmt}' không hỗ trợ / not supported; dùng / use: {', '.join(REPORT_FORMATS)}",
            param_hint="--format")
    when = parse_as_of(as_of)
    with open_existing_log(db) as log:
        data = build_report(log, period, when)
    if out is None and not REPORT_FORMATS[fmt][2]:
        typer.echo(render_text(data, fmt), nl=False)
        return
    path = write_report(data, fmt, out or Path(f"report-{data['period']}.{fmt}"))
    s = data["summary"]
    typer.echo(f"Đã ghi / written {path}: {s['indicators']} chỉ tiêu / indicators, "
               f"{len(data['lagging'])} chậm tiến độ / lagging, "
               f"{len(data['tasks']['overdue'])} nhiệm vụ quá hạn / overdue tasks, "
               f"{len(s['disagreements'])} đánh giá khác văn bản / official verdicts disputed")
