"""Errors of the rules package (lỗi của bộ luật).

Every error is a ``KehoachError``: stable ``code``, Vietnamese and English text, and its place
(the rule file, the line, the rule id in ``field``).
"""

from __future__ import annotations

from kg.errors import KehoachError, Place


class RuleError(KehoachError):
    """Base of the rules package's errors (lỗi luật)."""

    code = "rule_error"


class RuleFileError(RuleError):
    """A rule file (tệp luật) is malformed: schema, unknown fact, operator, action or
    threshold. Raised at load, never on first firing."""

    code = "rule_file_error"

    def __init__(
        self, vi: str, en: str, *, file: str, rule_id: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(vi, en, place=Place(document=file, line=line, field=rule_id))
        self.file = file
        self.rule_id = rule_id
        self.line = line


class CaseFileError(RuleError):
    """A case file (tệp tình huống) is malformed."""

    code = "case_file_error"


class EngineError(RuleError):
    """The durable_rules engine failed while evaluating (lỗi bộ máy luật)."""

    code = "engine_error"
