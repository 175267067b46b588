"""The planning office's template (mẫu biểu nhập liệu): import CSV/XLSX, write a blank one.

- ``import_file(log, path, kind=None)``: read, validate and append in ONE transaction — all
  rows of the file or none (``ImportProblems`` lists every bad row: sheet, row, field,
  Vietnamese + English message). Re-importing the same file adds nothing.
- ``check_file(log, path, kind=None)``: the same validation, nothing written.
- ``write_template(path)``: the blank annotated XLSX template, which ``import_file`` reads.
- ``SHEET_KINDS``: the column registry (``kg.template.columns``).

Details and column lists: ``docs/import.md``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KehoachError
from kg.log import AppendOutcome, Fact
from kg.template.columns import SHEET_KINDS, Column, SheetKind
from kg.template.errors import ImportProblems, TemplateError
from kg.template.facts import build_facts, infer_measure, known_from_log
from kg.template.read import read_file
from kg.template.write import write_template

__all__ = [
    "SHEET_KINDS",
    "Column",
    "ImportProblems",
    "ImportResult",
    "SheetKind",
    "TemplateError",
    "check_file",
    "import_file",
    "infer_measure",
    "write_template",
]


@dataclass
class ImportResult:
    """What an import read and wrote."""

    file: str
    sheets: list[dict[str, Any]]  # name, kind, rows, ignored_headers
    facts: list[Fact]
    outcomes: list[AppendOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Facts by outcome (new, version, duplicate); "checked" when nothing was written."""
        if not self.outcomes:
            return {"checked": len(self.facts)} if self.facts else {}
        return dict(Counter(o.status for o in self.outcomes))

    def kinds(self) -> dict[str, int]:
        return dict(Counter(f.kind for f in self.facts))

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheets": self.sheets, "facts": len(self.facts),
                "kinds": self.kinds(), "outcomes": self.counts()}


def _sort_key(problem: KehoachError) -> tuple[str, int, str]:
    return (problem.place.document or "", problem.place.row or 0, problem.place.field or "")


def check_file(log: Any, path: str | Path, kind: str | None = None) -> ImportResult:
    """Read and validate ``path`` against what ``log`` knows; raise ``ImportProblems`` listing
    every bad row, else return the facts an import would write (nothing is written)."""
    path = Path(path)
    sheets, problems = read_file(path, kind)
    facts, more = build_facts(sheets, known_from_log(log))
    problems = sorted(problems + more, key=_sort_key)
    if problems:
        raise ImportProblems(problems)
    summary = [{"name": s.name, "kind": s.kind, "rows": len(s.rows),
                "ignored_headers": s.ignored_headers} for s in sheets]
    return ImportResult(path.name, summary, facts)


def import_file(log: Any, path: str | Path, kind: str | None = None,
                submitted_by: str = "import") -> ImportResult:
    """Import a template file: every row or none, in one ``log.append`` transaction."""
    result = check_file(log, path, kind)
    result.outcomes = log.append(result.facts, submitted_by=submitted_by,
                                 batch=f"import:{result.file}")
    return result
