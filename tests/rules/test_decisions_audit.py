"""No rule decision in Python (issue 18): which status and which alert are decided by the YAML
rules; Python computes arithmetic facts, reads sources and presents. The places in ``rules/``
that name a status code or an alert kind are the audited ones listed in rules/README.md ("what
Python computes, what the rules decide"); a new one — e.g. ``if status == "at_risk"`` in a
session — fails here until it is moved into a rule or audited and listed there."""

from __future__ import annotations

import ast
from pathlib import Path

from rules.vocabulary import ALERT_KINDS, STATUSES

RULES = Path(__file__).resolve().parents[2] / "rules"
CODES = {code for by_dimension in STATUSES.values() for code in by_dimension} | set(ALERT_KINDS)

AUDITED: dict[str, set[str]] = {
    # the verdict of a figure against its target (an arithmetic comparison) and the official
    # table's words read as verdict codes
    "measures.py": {"exceeded", "achieved", "not_achieved"},
    # a task update's words meaning done; the warning window read from the rule naming it
    "duties.py": {"completed", "due_soon"},
    # presentation of the statuses the rules set (report tables, the portfolio's ageing)
    "portfolio.py": {"completed_on_time", "completed_late", "completed", "overdue"},
    "report/docx.py": {"overdue", "exceeded", "achieved", "not_achieved"},
    "report/markdown.py": {"overdue"},
    "report/xlsx.py": {"overdue"},
    "report/sections.py": {"off_track", "at_risk", "completed_on_time", "completed_late",
                           "completed", "in_progress", "due_soon", "overdue"},
}


def _codes_named(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value in CODES}


def test_status_codes_and_alert_kinds_are_named_in_python_only_where_audited() -> None:
    found = {}
    for path in sorted(RULES.rglob("*.py")):
        name = path.relative_to(RULES).as_posix()
        if name == "vocabulary.py":  # the registry that declares them
            continue
        if codes := _codes_named(path):
            found[name] = codes
    unaudited = {name: codes - AUDITED.get(name, set()) for name, codes in found.items()
                 if codes - AUDITED.get(name, set())}
    assert unaudited == {}, "a status or alert decided in Python? move it into a rule or " \
        "audit it in rules/README.md and AUDITED"


def test_the_audit_names_codes_the_vocabulary_has() -> None:
    assert all(codes <= CODES for codes in AUDITED.values())
    assert "test_decisions_audit" in (RULES / "README.md").read_text(encoding="utf-8")
