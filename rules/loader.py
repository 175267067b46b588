"""Load and validate rule files (nạp và kiểm tra tệp luật).

Every file in ``rules/definitions/`` is checked at load against a JSON Schema and against the
vocabulary (``rules.vocabulary``): an unknown fact, field, operator, action, status, alert
kind, severity, threshold or explanation placeholder fails here, naming the file, the line
and the rule id — never on first firing.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from rules.errors import RuleFileError
from rules.vocabulary import (
    ACTIONS,
    ALERT_KINDS,
    FACTS,
    OPERATORS,
    SEVERITIES,
    STATUSES,
    field_spec,
)

RULES_DIR = Path(__file__).resolve().parent
DEFINITIONS_DIR = RULES_DIR / "definitions"
CALENDAR_FILE = RULES_DIR / "calendar.yaml"

_TEXT = {"type": "object", "required": ["vi", "en"],
         "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
         "additionalProperties": False}
_CONDITION = {
    "type": "object", "required": ["field", "op"],
    "properties": {"field": {"type": "string"}, "op": {"type": "string"},
                   "value": {"type": ["number", "string", "boolean"]},
                   "threshold": {"type": "string"}},
    "oneOf": [{"required": ["value"]}, {"required": ["threshold"]}],
    "additionalProperties": False,
}
RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "version", "title", "description", "basis", "effective_from",
                 "effective_until", "severity", "fact", "thresholds", "when", "then",
                 "explanation"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z_]+\.[a-z0-9_]+$"},
        "version": {"type": "integer", "minimum": 1},
        "title": _TEXT, "description": _TEXT, "explanation": _TEXT,
        "basis": {"type": "object", "required": ["document", "clause"],
                  "properties": {"document": {"type": "string"}, "clause": {"type": "string"}}},
        "effective_from": {"type": ["string", "null"]},
        "effective_until": {"type": ["string", "null"]},
        "severity": {"type": "string"},
        "fact": {"type": "string"},
        "thresholds": {"type": "object", "additionalProperties": {"type": "number"}},
        "when": {"type": "array", "minItems": 1, "items": _CONDITION},
        "then": {"type": "object", "required": ["action"],
                 "properties": {"action": {"type": "string"}, "status": {"type": "string"},
                                "alert": {"type": "string"}, "bucket": {"type": "string"}},
                 "additionalProperties": False},
    },
    "additionalProperties": False,
}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["family", "rules"],
    "properties": {"family": {"type": "string"},
                   "rules": {"type": "array", "minItems": 1, "items": {"type": "object"}}},
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any
    threshold: str | None = None


@dataclass(frozen=True)
class Rule:
    """One validated rule: metadata a planner reads plus its compiled-ready condition."""

    id: str
    version: int
    family: str
    file: str
    line: int | None
    title: dict[str, str]
    description: dict[str, str]
    basis: dict[str, str]
    effective_from: date | None
    effective_until: date | None
    severity: str
    fact: str
    thresholds: dict[str, float]
    when: tuple[Condition, ...]
    then: dict[str, str]
    explanation: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "version": self.version, "family": self.family,
            "file": self.file, "title": self.title, "description": self.description,
            "basis": self.basis,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "severity": self.severity, "fact": self.fact, "thresholds": self.thresholds,
            "when": [{"field": c.field, "op": c.op, "value": c.value,
                      "threshold": c.threshold} for c in self.when],
            "then": self.then, "explanation": self.explanation,
        }


@dataclass(frozen=True)
class RuleBook:
    """All rules of one rules version (bộ luật) and a digest identifying that version."""

    rules: tuple[Rule, ...]
    digest: str
    files: tuple[str, ...] = field(default_factory=tuple)

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _line_of(text: str, rule_id: str | None) -> int | None:
    if not rule_id:
        return None
    match = re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*$", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _fail(file: str, text: str, rule_id: str | None, vi: str, en: str) -> RuleFileError:
    return RuleFileError(vi, en, file=file, rule_id=rule_id, line=_line_of(text, rule_id))


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _check_condition(cond: dict[str, Any], fact: str, thresholds: dict[str, float],
                     fail: Any) -> Condition:
    spec = field_spec(fact, cond["field"])
    if spec is None:
        raise fail(f"trường không có trong từ vựng: '{cond['field']}' của '{fact}'",
                   f"unknown field '{cond['field']}' of fact '{fact}'")
    if cond["op"] not in OPERATORS:
        raise fail(f"toán tử không có trong từ vựng: '{cond['op']}'",
                   f"unknown operator '{cond['op']}'")
    if spec.type not in OPERATORS[cond["op"]][2]:
        raise fail(f"toán tử '{cond['op']}' không dùng cho kiểu {spec.type}",
                   f"operator '{cond['op']}' does not apply to type {spec.type}")
    name = cond.get("threshold")
    if name is not None and name not in thresholds:
        raise fail(f"ngưỡng chưa khai báo: '{name}'", f"undeclared threshold '{name}'")
    value = thresholds[name] if name is not None else cond["value"]
    expected = {"number": (int, float), "bool": (bool,), "string": (str,)}[spec.type]
    if not isinstance(value, expected) or (spec.type == "number" and isinstance(value, bool)):
        raise fail(f"giá trị '{value}' không đúng kiểu {spec.type}",
                   f"value '{value}' is not of type {spec.type}")
    return Condition(cond["field"], cond["op"], value, name)


def _check_then(then: dict[str, str], fact: str, fail: Any) -> None:
    if then["action"] not in ACTIONS:
        raise fail(f"hành động không có trong từ vựng: '{then['action']}'",
                   f"unknown action '{then['action']}'")
    dimension = FACTS[fact].dimension
    status = then.get("status")
    if status is not None and (dimension is None or status not in STATUSES[dimension]):
        raise fail(f"trạng thái không hợp lệ cho '{fact}': '{status}'",
                   f"status '{status}' is not valid for fact '{fact}'")
    if then["action"] == "set_status" and status is None:
        raise fail("set_status cần 'status'", "set_status needs a 'status'")
    alert = then.get("alert")
    if then["action"] == "raise_alert" and alert not in ALERT_KINDS:
        raise fail(f"loại cảnh báo không hợp lệ: '{alert}'", f"unknown alert kind '{alert}'")


def _check_explanation(explanation: dict[str, str], fact: str, fail: Any) -> None:
    for text in explanation.values():
        for _lit, name, _spec, _conv in string.Formatter().parse(text):
            if name and field_spec(fact, name) is None:
                raise fail(f"chỗ trống không có trong từ vựng: '{{{name}}}'",
                           f"unknown placeholder '{{{name}}}' in the explanation")


def _build_rule(raw: dict[str, Any], family: str, file: str, text: str) -> Rule:
    rule_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    errors = sorted(jsonschema.Draft202012Validator(RULE_SCHEMA).iter_errors(raw), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(rule)"
        raise _fail(file, text, rule_id, f"sai cấu trúc ở {where}: {errors[0].message}",
                    f"schema error at {where}: {errors[0].message}")

    def fail(vi: str, en: str) -> RuleFileError:
        return _fail(file, text, rule_id, vi, en)

    fact = raw["fact"]
    if fact not in FACTS:
        raise fail(f"dữ kiện không có trong từ vựng: '{fact}'", f"unknown fact '{fact}'")
    if raw["severity"] not in SEVERITIES:
        raise fail(f"mức độ không hợp lệ: '{raw['severity']}'",
                   f"unknown severity '{raw['severity']}'")
    when = tuple(_check_condition(c, fact, raw["thresholds"], fail) for c in raw["when"])
    _check_then(raw["then"], fact, fail)
    _check_explanation(raw["explanation"], fact, fail)
    return Rule(
        id=rule_id or "", version=raw["version"], family=family, file=file,
        line=_line_of(text, rule_id), title=raw["title"], description=raw["description"],
        basis=raw["basis"], effective_from=_date(raw["effective_from"]),
        effective_until=_date(raw["effective_until"]), severity=raw["severity"], fact=fact,
        thresholds=dict(raw["thresholds"]), when=when, then=dict(raw["then"]),
        explanation=raw["explanation"],
    )


def load_rule_file(path: Path) -> list[Rule]:
    """Validated rules of one file; raises ``RuleFileError`` naming file, line and rule id."""
    file = path.name
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RuleFileError(f"YAML không hợp lệ: {err}", f"invalid YAML: {err}",
                            file=file) from None
    data = _stringify_dates(data)
    errors = list(jsonschema.Draft202012Validator(FILE_SCHEMA).iter_errors(data))
    if errors:
        raise RuleFileError(f"sai cấu trúc tệp: {errors[0].message}",
                            f"file schema error: {errors[0].message}", file=file)
    return [_build_rule(raw, data["family"], file, text) for raw in data["rules"]]


def _stringify_dates(value: Any) -> Any:
    """YAML reads 2021-01-01 as a date; the schema wants ISO strings."""
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def load_rules(directory: Path = DEFINITIONS_DIR) -> RuleBook:
    """Load every ``*.yaml`` rule file of ``directory``; ids must be unique."""
    rules: list[Rule] = []
    digest = hashlib.sha256()
    paths = sorted(Path(directory).glob("*.yaml"))
    for path in paths:
        digest.update(path.name.encode() + path.read_bytes())
        for rule in load_rule_file(path):
            if any(r.id == rule.id for r in rules):
                raise RuleFileError(f"mã luật trùng: '{rule.id}'",
                                    f"duplicate rule id '{rule.id}'",
                                    file=path.name, rule_id=rule.id, line=rule.line)
            rules.append(rule)
    return RuleBook(tuple(rules), digest.hexdigest()[:16], tuple(p.name for p in paths))


def load_calendar(path: Path = CALENDAR_FILE) -> dict[str, Any]:
    """The reporting calendar (lịch báo cáo) as data."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))
