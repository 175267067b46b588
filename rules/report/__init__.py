"""Reports of the planning office (báo cáo): the main-indicator table, lagging indicators,
tasks and footnotes, built from the fact log and the rules, written as xlsx, docx,
Markdown or HTML.

``build_report`` returns the report as a dict (the one function both the file writers and the
web board use); ``write_report`` writes it in a format of ``REPORT_FORMATS``. Writers are
imported only when used (openpyxl / python-docx load lazily).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from rules.report.data import ReportError, ReportInputs, assemble, build_report, gather

REPORT_FORMATS: dict[str, tuple[str, str, bool]] = {
    "xlsx": ("rules.report.xlsx", "write_xlsx", True),
    "docx": ("rules.report.docx", "write_docx", True),
    "md": ("rules.report.markdown", "render_markdown", False),
    "html": ("rules.report.markdown", "render_html", False),
}
"""Format → (module, function, binary). Binary writers take (report, path); text renderers
take (report) and return a string."""

__all__ = ["REPORT_FORMATS", "ReportError", "ReportInputs", "assemble", "build_report",
           "gather", "render_text", "write_report"]


def _writer(fmt: str) -> Any:
    if fmt not in REPORT_FORMATS:
        raise ReportError(
            f"Định dạng báo cáo không hỗ trợ: '{fmt}' (có: {', '.join(REPORT_FORMATS)})",
            f"Unsupported report format '{fmt}' (known: {', '.join(REPORT_FORMATS)})",
            code="report_format", text=fmt)
    module, function, _binary = REPORT_FORMATS[fmt]
    return getattr(importlib.import_module(module), function)


def render_text(report: dict[str, Any], fmt: str) -> str:
    """Markdown or HTML text of a report."""
    if REPORT_FORMATS.get(fmt, ("", "", True))[2]:
        raise ReportError(f"'{fmt}' là định dạng nhị phân, cần tệp ghi ra",
                          f"'{fmt}' is a binary format and needs an output file",
                          code="report_format", text=fmt)
    return _writer(fmt)(report)


def write_report(report: dict[str, Any], fmt: str, path: str | Path) -> Path:
    """Write ``report`` to ``path`` in ``fmt``; returns the path."""
    path = Path(path)
    writer = _writer(fmt)
    if REPORT_FORMATS[fmt][2]:
        writer(report, path)
    else:
        path.write_text(writer(report), encoding="utf-8")
    return path
