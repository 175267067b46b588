"""Case files (tệp tình huống, ``rules/cases/<family>.yaml``): load and validate.

A case file is facts plus cases (an as-of date and the statuses and alerts expected then) that a
planner can read; ``tests/rules/test_cases.py`` runs them. Each file is checked against a JSON
Schema at load, and every expectation may name the rule it exercises (``rule:``), so a test can
check that every rule id has at least one case. An expected alert or status may quote its
wording:
``says`` / ``says_en``, words its Vietnamese / English explanation contains (names, dates
dd/mm/yyyy, plurals as a person reads them). ``changes`` / ``no_changes`` expect status changes
(subject, dimension, status, ``previous``, ``as_of``, ``set_by`` = the rule that set the status,
``rule`` = the rule that recorded the change). Errors name the file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kg.errors import Place
from rules.errors import CaseFileError
from rules.loader import stringify_dates
from rules.reporting import line_at

CASES_DIR = Path(__file__).resolve().parent / "cases"

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_FACT = {
    "type": "object", "required": ["kind", "key", "payload"],
    "properties": {
        "kind": {"type": "string", "minLength": 1}, "key": {"type": "string", "minLength": 1},
        "payload": {"type": "object"}, "as_of": _DATE,
        "source": {"type": "object", "required": ["doc"], "additionalProperties": False,
                   "properties": {"doc": {"type": ["string", "integer"]},
                                  "line": {"type": ["integer", "null"]},
                                  "quote": {"type": ["string", "null"]}}},
    },
    "additionalProperties": False,
}
_RULE_ID = {"type": "string", "pattern": r"^[a-z_]+\.[a-z0-9_]+$"}
_ALERT = {
    "type": "object", "minProperties": 1,
    "properties": {k: {"type": "string"} for k in (
        "kind", "subject", "period", "agency", "severity", "bucket", "chain_includes",
        "supervisor", "says", "says_en")} | {"rule": _RULE_ID},
    "additionalProperties": False,
}
_STATUS = {
    "type": "object", "required": ["subject", "dimension", "status"],
    "properties": {"subject": {"type": "string"}, "dimension": {"type": "string"},
                   "status": {"type": "string"}, "rule": _RULE_ID,
                   "says": {"type": "string"}, "says_en": {"type": "string"}},
    "additionalProperties": False,
}
_CHANGE = {  # a status change (thay đổi trạng thái): recorded_by = the rule that recorded it
    "type": "object", "minProperties": 1,
    "properties": {"subject": {"type": "string"}, "dimension": {"type": "string"},
                   "status": {"type": "string"}, "previous": {"type": ["string", "null"]},
                   "as_of": _DATE, "set_by": _RULE_ID, "rule": _RULE_ID},
    "additionalProperties": False,
}
_CASE = {
    "type": "object", "required": ["name", "as_of", "expect"],
    "properties": {
        "name": {"type": "string", "minLength": 1}, "as_of": _DATE,
        "facts": {"type": "array", "items": _FACT},
        "expect": {"type": "object", "minProperties": 1, "additionalProperties": False,
                   "properties": {"statuses": {"type": "array", "items": _STATUS},
                                  "alerts": {"type": "array", "items": _ALERT},
                                  "no_alerts": {"type": "array", "items": _ALERT},
                                  "changes": {"type": "array", "items": _CHANGE},
                                  "no_changes": {"type": "array", "items": _CHANGE}}},
    },
    "additionalProperties": False,
}
CASE_FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["family", "facts", "cases"],
    "properties": {"family": {"type": "string"}, "facts": {"type": "array", "items": _FACT},
                   "cases": {"type": "array", "minItems": 1, "items": _CASE}},
    "additionalProperties": False,
}


def load_case_file(path: Path) -> dict[str, Any]:
    """A validated case file (dates as ISO strings); ``CaseFileError`` names file and line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = stringify_dates(yaml.safe_load(text))
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CaseFileError(f"YAML không hợp lệ: {err}", f"invalid YAML: {err}",
                            place=Place(path.name, mark.line + 1 if mark else None)) from None
    err = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(
            CASE_FILE_SCHEMA, format_checker=jsonschema.FormatChecker()).iter_errors(data))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(tệp / file)"
        raise CaseFileError(f"tệp tình huống, {where}: sai cấu trúc: {err.message}",
                            f"case file, {where}: schema error: {err.message}",
                            place=Place(path.name, line_at(root, list(err.absolute_path))))
    if data["family"] != path.stem:
        raise CaseFileError(f"family '{data['family']}' phải trùng tên tệp '{path.stem}'",
                            f"family '{data['family']}' must match the file name '{path.stem}'",
                            place=Place(path.name, line_at(root, ["family"])))
    return data


def load_cases(directory: Path = CASES_DIR) -> dict[str, dict[str, Any]]:
    """Every case file of ``directory`` by family, validated."""
    return {p.stem: load_case_file(p) for p in sorted(Path(directory).glob("*.yaml"))}


def covered_rules(case_file: dict[str, Any]) -> set[str]:
    """Rule ids a case file exercises: those its expected alerts, statuses and status
    changes name (an expectation that something does *not* happen covers nothing)."""
    return {want["rule"] for case in case_file["cases"]
            for key in ("alerts", "statuses", "changes")
            for want in case["expect"].get(key, []) if "rule" in want}
