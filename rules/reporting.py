"""The reporting calendar (lịch báo cáo): load, validate, and say on what basis a report is due.

``rules/calendar.yaml`` lists the periodic reports the missing-report rule checks. Every entry
names its basis (căn cứ): a document and article (``kind: document``) or the office's own rule
(``kind: office_rule``, "quy định của Văn phòng") — the alert shows it, so a planner can tell a
legal duty from a house rule. The file is checked at load against a JSON Schema and a few
checks a schema cannot express (a due date that exists, unique ids, the period template); an
error names the file and the line.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from rules.errors import RuleFileError
from rules.vocabulary import MEASURE_KINDS

CALENDAR_FILE = Path(__file__).resolve().parent / "calendar.yaml"

_TEXT = {"type": "object", "required": ["vi", "en"], "additionalProperties": False,
         "properties": {"vi": {"type": "string", "minLength": 1},
                        "en": {"type": "string", "minLength": 1}}}
_BASIS = {
    "type": "object", "required": ["kind", "vi", "en"],
    "properties": {
        "kind": {"enum": ["document", "office_rule"]},
        "document": {"type": "string", "minLength": 1},   # the number as written
        "article": {"type": "string", "minLength": 1},    # Điều / khoản / mục
        "vi": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
    "if": {"properties": {"kind": {"const": "document"}}},
    "then": {"required": ["document", "article"]},
    "else": {"not": {"anyOf": [{"required": ["document"]}, {"required": ["article"]}]}},
}
_DUE = {
    "oneOf": [
        {"type": "object", "required": ["day_of_next_month"], "additionalProperties": False,
         "properties": {"day_of_next_month": {"type": "integer", "minimum": 1,
                                              "maximum": 28}}},
        {"type": "object", "required": ["month", "day"], "additionalProperties": False,
         "properties": {"month": {"type": "integer", "minimum": 1, "maximum": 12},
                        "day": {"type": "integer", "minimum": 1, "maximum": 31},
                        "year_offset": {"type": "integer", "minimum": 0, "maximum": 1}}},
    ],
}
_REPORT = {
    "type": "object",
    "required": ["id", "label", "months", "period", "due", "applies_to", "basis"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
        "label": _TEXT,
        "months": {"type": "array", "minItems": 1, "uniqueItems": True,
                   "items": {"type": "integer", "minimum": 1, "maximum": 12}},
        "period": {"type": "string", "minLength": 1},
        "due": _DUE,
        "applies_to": {"type": "array", "uniqueItems": True,
                       "items": {"enum": list(MEASURE_KINDS)}},  # kinds of the vocabulary
        "basis": _BASIS,
    },
    "additionalProperties": False,
}
CALENDAR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["version", "title", "reports"],
    "properties": {"version": {"type": "integer", "minimum": 1}, "title": _TEXT,
                   "reports": {"type": "array", "items": _REPORT}},
    "additionalProperties": False,
}


def line_at(root: yaml.Node | None, path: list[Any]) -> int | None:
    """1-based line of the deepest node of ``path`` that exists in the composed YAML."""
    node, line = root, None
    for part in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
        else:
            node = None
    return node.start_mark.line + 1 if node is not None else line


def _place(path: list[Any]) -> str:
    return "/".join(str(p) for p in path) or "(tệp / file)"


def _check_meaning(data: dict[str, Any], fail: Any) -> None:
    """What the schema cannot say: unique ids, a due date that exists, {m}/{y} only."""
    seen: set[str] = set()
    for i, report in enumerate(data["reports"]):
        if report["id"] in seen:
            raise fail(["reports", i, "id"], f"mã kỳ báo cáo trùng: '{report['id']}'",
                       f"duplicate report id '{report['id']}'")
        seen.add(report["id"])
        try:
            names = {n for _t, n, _s, _c in string.Formatter().parse(report["period"]) if n}
        except ValueError:  # a lone "{" or "}": not a template at all
            names = set()
        if not names <= {"m", "y"} or "y" not in names:
            raise fail(["reports", i, "period"],
                       f"mẫu kỳ '{report['period']}' chỉ dùng {{m}}, {{y}} và phải có {{y}}",
                       f"period template '{report['period']}' may use only {{m}} and {{y}} "
                       "and needs {y}")
        due = report["due"]
        if "month" in due:
            try:
                date(2024, due["month"], due["day"])  # a leap year: 29/2 is allowed
            except ValueError:
                raise fail(["reports", i, "due"],
                           f"hạn {due['day']}/{due['month']} không phải ngày có thật",
                           f"due date {due['day']}/{due['month']} does not exist") from None


def validate_calendar(data: Any, file: str, text: str) -> dict[str, Any]:
    """``data`` if it is a valid calendar, else ``RuleFileError`` with file and line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        root = None

    def fail(path: list[Any], vi: str, en: str) -> RuleFileError:
        return RuleFileError(f"lịch báo cáo, {_place(path)}: {vi}",
                             f"reporting calendar, {_place(path)}: {en}",
                             file=file, line=line_at(root, path))

    err = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(CALENDAR_SCHEMA).iter_errors(data))
    if err is not None:
        path = list(err.absolute_path)
        raise fail(path, f"sai cấu trúc: {err.message}", f"schema error: {err.message}")
    _check_meaning(data, fail)
    return data


def load_calendar(path: Path = CALENDAR_FILE) -> dict[str, Any]:
    """The reporting calendar as data, validated (``RuleFileError`` naming file and line)."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise RuleFileError(f"YAML không hợp lệ: {err}", f"invalid YAML: {err}", file=path.name,
                            line=mark.line + 1 if mark else None) from None
    return validate_calendar(data, path.name, text)


def basis_text(report: dict[str, Any], lang: str) -> str:
    """The basis of a report as the alert shows it: "quy định của Văn phòng: …" or
    "<document>, <article>: …"."""
    basis = report["basis"]
    if basis["kind"] == "document":
        return f"{basis['document']}, {basis['article']} ({basis[lang]})"
    return basis[lang]
