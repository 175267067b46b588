"""Errors of the template importer (nhập mẫu biểu): a file that cannot be read at all raises
``TemplateError``; rows that are wrong are collected and raised together as ``ImportProblems``
(nothing is written when there is one)."""

from __future__ import annotations

from kg.errors import DatasetError, KehoachError, Place


class TemplateError(DatasetError):
    """The template file as a whole is unreadable: encoding, format, header, missing column."""

    code = "template_error"


class ImportProblems(TemplateError):
    """Several rows are wrong; ``problems`` lists each one (file/sheet, row, field, message)."""

    def __init__(self, problems: list[KehoachError]) -> None:
        self.problems = problems
        head = problems[0]
        super().__init__(
            f"{len(problems)} lỗi trong tệp nhập, không ghi gì; lỗi đầu: {head.message}",
            f"{len(problems)} problem(s) in the import file, nothing written; first: "
            f"{head.message}",
            code="import_invalid",
        )


def row_problem(sheet: str, row: int, field: str | None, vi: str, en: str, code: str,
                text: str | None = None) -> TemplateError:
    """A problem of one row (hàng) and field of a sheet or CSV file."""
    return TemplateError(vi, en, code=code, text=text,
                         place=Place(document=sheet, row=row, field=field))
