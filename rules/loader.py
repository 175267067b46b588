"""Load and validate rule files (nạp và kiểm tra tệp luật).

Every file in ``rules/definitions/`` is checked at load against a JSON Schema and against the
vocabulary (``rules.vocabulary``): an unknown fact, field, operator, action, status, alert
kind, severity, threshold or explanation placeholder fails here, naming the file, the line
and the rule id — never on first firing.

Thresholds are declared once per file (``thresholds:``, name → number) and rules refer to them
by name. A scale of statuses on one field is declared as ordered cut points (``bands:``): the
bands follow from the cuts, so a gap or an overlap cannot be written; cuts out of order, a band
no rule uses, or a rule testing a banded field with its own operator is refused at load.
``{name}`` / ``{name:pct}`` of a file threshold in a title, description or explanation is
filled at load (0,95 / 95%), so texts never copy a number.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kg.notation.numbers import format_number
from rules import reporting
from rules.errors import RuleFileError
from rules.vocabulary import (
    ACTIONS,
    ALERT_KINDS,
    FACTS,
    OPERATORS,
    SEVERITIES,
    STATUSES,
    action_needs,
    explain,
    field_spec,
    sample_event,
)

RULES_DIR = Path(__file__).resolve().parent
DEFINITIONS_DIR = RULES_DIR / "definitions"
CALENDAR_FILE = RULES_DIR / "calendar.yaml"

_TEXT = {"type": "object", "required": ["vi", "en"],
         "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
         "additionalProperties": False}
_SCALAR = {"type": ["number", "string", "boolean"]}
_CONDITION = {
    "type": "object", "required": ["field"],
    "properties": {"field": {"type": "string"}, "op": {"type": "string"},
                   "value": {"anyOf": [_SCALAR, {"type": "array", "minItems": 1,
                                                 "items": _SCALAR}]},
                   # another fact of the rule: "<name>.<field>" (name = a fact kind the
                   # rule is about, a join's "as", or "previous" inside a sequence)
                   "ref": {"type": "string", "pattern": r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$"},
                   "threshold": {"type": "string"}, "band": {"type": "string"}},
    "oneOf": [{"required": ["op", "value"], "not": {"anyOf": [{"required": ["band"]},
                                                             {"required": ["ref"]}]}},
              {"required": ["op", "threshold"], "not": {"anyOf": [{"required": ["band"]},
                                                                 {"required": ["ref"]}]}},
              {"required": ["op", "ref"], "not": {"anyOf": [{"required": ["band"]},
                                                           {"required": ["value"]},
                                                           {"required": ["threshold"]}]}},
              {"required": ["band"], "not": {"anyOf": [{"required": ["op"]},
                                                       {"required": ["value"]},
                                                       {"required": ["ref"]},
                                                       {"required": ["threshold"]}]}}],
    "additionalProperties": False,
}
_NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}
_JOIN = {  # another fact of the unit that must be there (join) or must not (absent)
    "type": "object", "required": ["fact", "when"],
    "properties": {"as": _NAME, "fact": {"type": "string"},
                   "when": {"type": "array", "items": _CONDITION}},
    "additionalProperties": False,
}
_SEQUENCE = {  # N consecutive facts of one kind: order 0, 1, … (0 = the latest)
    "type": "object", "required": ["as", "fact", "length", "order", "when"],
    "properties": {
        "as": _NAME, "fact": {"type": "string"}, "order": {"type": "string"},
        "length": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 12},
                             {"type": "object", "required": ["threshold"],
                              "properties": {"threshold": {"type": "string"}},
                              "additionalProperties": False}]},
        "when": {"type": "array", "items": _CONDITION}},
    "additionalProperties": False,
}
RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "version", "title", "description", "basis", "effective_from",
                 "effective_until", "severity", "fact", "when", "then", "explanation"],
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
        "when": {"type": "array", "items": _CONDITION},
        "join": {"type": "array", "minItems": 1, "items": _JOIN},
        "absent": {"type": "array", "minItems": 1, "items": _JOIN},
        "sequence": _SEQUENCE,
        "then": {"type": "object", "required": ["action"],
                 "properties": {"action": {"type": "string"}, "status": {"type": "string"},
                                "alert": {"type": "string"}, "bucket": {"type": "string"}},
                 "additionalProperties": False},
    },
    "additionalProperties": False,
}
_CUT = {"type": "object", "minProperties": 1, "maxProperties": 1,
        "additionalProperties": {"type": "number"}}
BAND_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["fact", "field", "scale"],
    "properties": {
        "fact": {"type": "string"}, "field": {"type": "string"},
        # [lowest band, {band: cut}, {band: cut}, ...] — each later band starts at its cut
        "scale": {"type": "array", "minItems": 2,
                  "prefixItems": [{"type": "string"}], "items": _CUT},
    },
    "additionalProperties": False,
}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["family", "rules"],
    "properties": {"family": {"type": "string"},
                   "thresholds": {"type": "object",
                                  "additionalProperties": {"type": "number"}},
                   "bands": {"type": "object", "additionalProperties": BAND_SCHEMA},
                   "rules": {"type": "array", "minItems": 1, "items": {"type": "object"}}},
    "additionalProperties": False,
}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::(pct))?\}")


@dataclass(frozen=True)
class Condition:
    """One test of a fact's field: against a constant (``value``, from ``threshold`` when
    named) or against a field of another fact of the rule (``ref``: name, field)."""

    field: str
    op: str
    value: Any
    threshold: str | None = None
    ref: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"field": self.field, "op": self.op, "value": self.value,
               "threshold": self.threshold}
        return {**out, "ref": ".".join(self.ref)} if self.ref else out


@dataclass(frozen=True)
class Join:
    """Another fact of the unit a rule needs (``join:``, named ``name``) or needs absent
    (``absent:``), with its conditions."""

    name: str
    fact: str
    when: tuple[Condition, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"as": self.name, "fact": self.fact, "when": [c.to_dict() for c in self.when]}


@dataclass(frozen=True)
class Sequence:
    """``length`` consecutive facts of one kind (chuỗi kỳ liên tiếp): the ``order`` field is 0
    for the first and one more for each next one; every one meets ``when`` (``previous.<field>``
    is the one before it)."""

    name: str
    fact: str
    length: int
    order: str
    when: tuple[Condition, ...]
    threshold: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"as": self.name, "fact": self.fact, "length": self.length,
                "length_threshold": self.threshold, "order": self.order,
                "when": [c.to_dict() for c in self.when]}


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
    joins: tuple[Join, ...] = ()
    absent: tuple[Join, ...] = ()
    sequence: Sequence | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "version": self.version, "family": self.family,
            "file": self.file, "title": self.title, "description": self.description,
            "basis": self.basis,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "severity": self.severity, "fact": self.fact, "thresholds": self.thresholds,
            "when": [c.to_dict() for c in self.when],
            "join": [j.to_dict() for j in self.joins],
            "absent": [a.to_dict() for a in self.absent],
            "sequence": self.sequence.to_dict() if self.sequence else None,
            "then": self.then, "explanation": self.explanation,
        }


@dataclass(frozen=True)
class RuleBook:
    """All rules of one rules version (bộ luật) and a digest identifying that version."""

    rules: tuple[Rule, ...]
    digest: str
    files: tuple[str, ...] = field(default_factory=tuple)
    scales: tuple[Scale, ...] = field(default_factory=tuple)

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


@dataclass(frozen=True)
class Scale:
    """A declared scale (thang): its bands low → high and the cuts between them."""

    file: str
    name: str
    fact: str
    field: str
    bands: tuple[str, ...]
    cuts: tuple[float, ...]

    def describe(self, lang: str = "vi") -> str:
        """"off_track < 0,8 ≤ at_risk < 0,95 ≤ on_track" — the text docs quote (a test checks
        rules/README.md against it, so the docs cannot drift from the file)."""
        parts = [self.bands[0]]
        for band, cut in zip(self.bands[1:], self.cuts, strict=True):
            parts.append(f"< {threshold_text(cut, lang)} ≤ {band}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "name": self.name, "fact": self.fact, "field": self.field,
                "bands": list(self.bands), "cuts": list(self.cuts),
                "text": {"vi": self.describe("vi"), "en": self.describe("en")}}


@dataclass(frozen=True)
class Band:
    """One band of a declared scale: its field, its cut points (None = open end)."""

    scale: str
    fact: str
    field: str
    name: str
    low: str | None
    high: str | None


@dataclass
class FileContext:
    """What a rule file declares once for all its rules: thresholds and banded scales."""

    file: str
    text: str
    thresholds: dict[str, float] = field(default_factory=dict)
    bands: dict[tuple[str, str, str], Band] = field(default_factory=dict)
    used: set[tuple[str, str, str]] = field(default_factory=set)
    scales: list[Scale] = field(default_factory=list)

    @property
    def banded_fields(self) -> set[tuple[str, str]]:
        return {(fact, f) for fact, f, _n in self.bands}


def _line_of(text: str, rule_id: str | None) -> int | None:
    if not rule_id:
        return None
    match = re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*$", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _line_of_key(text: str, key: str, after: str | None = None) -> int | None:
    """1-based line of ``key:`` (after the line of ``after:`` when given)."""
    start = 0
    if after is not None:
        head = re.search(rf"^{re.escape(after)}:", text, re.M)
        start = head.end() if head else 0
    match = re.compile(rf"^\s*{re.escape(key)}:", re.M).search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _fail(file: str, text: str, rule_id: str | None, vi: str, en: str) -> RuleFileError:
    return RuleFileError(vi, en, file=file, rule_id=rule_id, line=_line_of(text, rule_id))


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _read_scales(data: dict[str, Any], ctx: FileContext) -> None:
    """Declared scales → bands; each cut becomes a file threshold named after its band."""
    for scale, spec in (data.get("bands") or {}).items():
        line = _line_of_key(ctx.text, scale, after="bands")
        names = [spec["scale"][0]] + [next(iter(c)) for c in spec["scale"][1:]]
        cuts = [float(next(iter(c.values()))) for c in spec["scale"][1:]]
        if len(set(names)) != len(names):
            raise RuleFileError(f"thang '{scale}' có tên khoảng trùng: {names}",
                                f"scale '{scale}' repeats a band name: {names}",
                                file=ctx.file, line=line)
        if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            raise RuleFileError(
                f"thang '{scale}': các ngưỡng phải tăng dần (không hở, không chồng): {cuts}",
                f"scale '{scale}': cut points must increase (no gap, no overlap): {cuts}",
                file=ctx.file, line=line)
        if (spec["fact"], spec["field"]) in ctx.banded_fields:
            raise RuleFileError(f"trường '{spec['field']}' đã có thang",
                                f"field '{spec['field']}' already has a scale",
                                file=ctx.file, line=line)
        if field_spec(spec["fact"], spec["field"]) is None:
            raise RuleFileError(f"thang '{scale}': trường không có trong từ vựng",
                                f"scale '{scale}': unknown field '{spec['field']}'",
                                file=ctx.file, line=line)
        for i, name in enumerate(names):
            if i and name in ctx.thresholds:
                raise RuleFileError(f"ngưỡng khai báo hai lần: '{name}'",
                                    f"threshold '{name}' is declared twice",
                                    file=ctx.file, line=line)
            if i:
                ctx.thresholds[name] = cuts[i - 1]
            ctx.bands[(spec["fact"], spec["field"], name)] = Band(
                scale, spec["fact"], spec["field"], name, names[i] if i else None,
                names[i + 1] if i + 1 < len(names) else None)
        ctx.scales.append(Scale(ctx.file, scale, spec["fact"], spec["field"], tuple(names),
                                tuple(cuts)))


def _check_scales_used(ctx: FileContext) -> None:
    """Every band of a scale is judged by some rule: a value never falls through."""
    for key, band in ctx.bands.items():
        if key not in ctx.used:
            raise RuleFileError(
                f"khoảng '{band.name}' của thang '{band.scale}' không có luật nào xét",
                f"band '{band.name}' of scale '{band.scale}' is judged by no rule",
                file=ctx.file, line=_line_of_key(ctx.text, band.scale, after="bands"))


def _band_conditions(cond: dict[str, Any], fact: str, ctx: FileContext,
                     fail: Any) -> list[Condition]:
    band = ctx.bands.get((fact, cond["field"], cond["band"]))
    if band is None:
        raise fail(f"khoảng chưa khai báo: '{cond['band']}' của '{cond['field']}'",
                   f"undeclared band '{cond['band']}' of field '{cond['field']}'")
    ctx.used.add((fact, band.field, band.name))
    out = []
    if band.low is not None:
        out.append(Condition(band.field, "gte", ctx.thresholds[band.low], band.low))
    if band.high is not None:
        out.append(Condition(band.field, "lt", ctx.thresholds[band.high], band.high))
    return out


def _check_condition(cond: dict[str, Any], fact: str, thresholds: dict[str, float],
                     fail: Any, ctx: FileContext | None = None,
                     scope: dict[str, str] | None = None) -> list[Condition]:
    spec = field_spec(fact, cond["field"])
    if spec is None:
        raise fail(f"trường không có trong từ vựng: '{cond['field']}' của '{fact}'",
                   f"unknown field '{cond['field']}' of fact '{fact}'")
    if ctx is not None and "band" in cond:
        return _band_conditions(cond, fact, ctx, fail)
    if ctx is not None and (fact, cond["field"]) in ctx.banded_fields:
        raise fail(f"trường '{cond['field']}' có thang: dùng 'band:', không dùng toán tử",
                   f"field '{cond['field']}' has a scale: use 'band:', not an operator")
    if "op" not in cond:
        raise fail("điều kiện 'band:' cần khai báo 'bands:' trong tệp",
                   "a 'band:' condition needs the file's 'bands:'")
    if cond["op"] not in OPERATORS:
        raise fail(f"toán tử không có trong từ vựng: '{cond['op']}'",
                   f"unknown operator '{cond['op']}'")
    if spec.type not in OPERATORS[cond["op"]][2]:
        raise fail(f"toán tử '{cond['op']}' không dùng cho kiểu {spec.type}",
                   f"operator '{cond['op']}' does not apply to type {spec.type}")
    if "ref" in cond:
        return [_ref_condition(cond, spec.type, scope or {}, fail)]
    name = cond.get("threshold")
    if name is not None and name not in thresholds:
        raise fail(f"ngưỡng chưa khai báo: '{name}'", f"undeclared threshold '{name}'")
    value = thresholds[name] if name is not None else cond["value"]
    if (cond["op"] == "in") != isinstance(value, list):
        many = cond["op"] == "in"
        raise fail(f"toán tử '{cond['op']}' cần {'một danh sách' if many else 'một giá trị'}",
                   f"operator '{cond['op']}' needs {'a list' if many else 'one value'}")
    for one in value if isinstance(value, list) else [value]:
        _check_type(one, spec.type, fail)
        if cond["op"] == "in" and not re.fullmatch(r"[a-z0-9_]+", one):
            raise fail(f"'in' chỉ nhận mã (chữ thường, số, _): '{one}'",
                       f"'in' takes codes only (lower case, digits, _): '{one}'")
    return [Condition(cond["field"], cond["op"], value, name)]


def _check_type(value: Any, type_: str, fail: Any) -> None:
    expected = {"number": (int, float), "bool": (bool,), "string": (str,)}[type_]
    if not isinstance(value, expected) or (type_ == "number" and isinstance(value, bool)):
        raise fail(f"giá trị '{value}' không đúng kiểu {type_}",
                   f"value '{value}' is not of type {type_}")


def _ref_condition(cond: dict[str, Any], type_: str, scope: dict[str, str],
                   fail: Any) -> Condition:
    """``ref: <name>.<field>``: a field of a fact named earlier in the rule, of the same type."""
    name, _, other = cond["ref"].partition(".")
    if name not in scope:
        raise fail(f"tham chiếu đến dữ kiện chưa nêu: '{name}' (có: {sorted(scope)})",
                   f"reference to a fact not named before: '{name}' (known: {sorted(scope)})")
    ref_spec = field_spec(scope[name], other)
    if ref_spec is None:
        raise fail(f"trường không có trong từ vựng: '{other}' của '{scope[name]}'",
                   f"unknown field '{other}' of fact '{scope[name]}'")
    if ref_spec.type != type_ or cond["op"] == "in":
        raise fail(f"tham chiếu '{cond['ref']}' không so được với '{cond['field']}'",
                   f"reference '{cond['ref']}' cannot be compared with '{cond['field']}'")
    return Condition(cond["field"], cond["op"], None, None, (name, other))


def _check_then(then: dict[str, str], fact: str, fail: Any) -> None:
    """The action is a registered one (``rules.vocabulary.ACTIONS``, carried out by
    ``rules.actions``) and the rule gives what it needs (``action_needs``)."""
    if then["action"] not in ACTIONS:
        raise fail(f"hành động chưa đăng ký: '{then['action']}' (có: {sorted(ACTIONS)})",
                   f"unregistered action '{then['action']}' (known: {sorted(ACTIONS)})")
    needs = action_needs(then["action"])
    dimension = FACTS[fact].dimension
    status = then.get("status")
    if status is not None and (dimension is None or status not in STATUSES[dimension]):
        raise fail(f"trạng thái không hợp lệ cho '{fact}': '{status}'",
                   f"status '{status}' is not valid for fact '{fact}'")
    for key in needs.keys:
        if then.get(key) is None:
            raise fail(f"{then['action']} cần '{key}'", f"{then['action']} needs a '{key}'")
    if needs.fact is not None and fact != needs.fact:
        raise fail(f"{then['action']} chỉ dùng cho dữ kiện '{needs.fact}'",
                   f"{then['action']} applies to fact '{needs.fact}' only")
    alert = then.get("alert")
    if alert is not None and alert not in ALERT_KINDS:
        raise fail(f"loại cảnh báo không hợp lệ: '{alert}'", f"unknown alert kind '{alert}'")


def _check_explanation(explanation: dict[str, str], fact: str, fail: Any) -> None:
    for text in explanation.values():
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError as err:  # a lone "{" or "}"
            raise fail(f"giải thích không đúng mẫu: {err}",
                       f"malformed explanation template: {err}") from None
        for _lit, name, _spec, _conv in parts:
            if name and field_spec(fact, name) is None:
                raise fail(f"chỗ trống không có trong từ vựng: '{{{name}}}'",
                           f"unknown placeholder '{{{name}}}' in the explanation")
        try:  # a format the field's type cannot take ("{agency_name:.2f}")
            explain(text, sample_event(fact))
        except (ValueError, TypeError, IndexError, KeyError) as err:
            raise fail(f"giải thích không điền được: {err}",
                       f"the explanation cannot be filled: {err}") from None


def threshold_text(value: float, lang: str, pct: bool = False) -> str:
    """A threshold as a planner reads it: vi "0,95" / "95%", en "0.95" / "95%"."""
    number = Decimal(str(value)) * (100 if pct else 1)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    text = format_number(number) if lang == "vi" else f"{number:f}"
    return f"{text}%" if pct else text


def _fill(texts: dict[str, str], fact: str, thresholds: dict[str, float]) -> dict[str, str]:
    """``{name}`` / ``{name:pct}`` of a file threshold → its value; a measure field of the
    same name stays a placeholder for the explanation (filled when the rule fires)."""
    def one(lang: str, text: str) -> str:
        def sub(match: re.Match[str]) -> str:
            name, pct = match.group(1), match.group(2) == "pct"
            if name not in thresholds or field_spec(fact, name) is not None:
                return match.group(0)
            return threshold_text(thresholds[name], lang, pct)
        return _PLACEHOLDER.sub(sub, text)
    return {lang: one(lang, text) for lang, text in texts.items()}


def _build_rule(raw: dict[str, Any], family: str, file: str, text: str,
                ctx: FileContext | None = None) -> Rule:
    ctx = ctx or FileContext(file, text)
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
    own = dict(raw.get("thresholds") or {})
    twice = sorted(set(own) & set(ctx.thresholds))
    if twice:
        raise fail(f"ngưỡng khai báo hai lần (tệp và luật): {twice}",
                   f"threshold declared twice (file and rule): {twice}")
    thresholds = {**ctx.thresholds, **own}
    scope = {fact: fact}
    when = tuple(c for raw_cond in raw["when"]
                 for c in _check_condition(raw_cond, fact, thresholds, fail, ctx, scope))
    joins = tuple(_join(j, thresholds, fail, scope, ctx) for j in raw.get("join", []))
    sequence = _sequence(raw["sequence"], thresholds, fail, scope, ctx) \
        if "sequence" in raw else None
    absent = tuple(_join(a, thresholds, fail, dict(scope), ctx, absent=True)
                   for a in raw.get("absent", []))
    _check_then(raw["then"], fact, fail)
    try:
        period = (_date(raw["effective_from"]), _date(raw["effective_until"]))
    except ValueError as err:
        raise fail(f"ngày hiệu lực không hợp lệ: {err}",
                   f"invalid effective date: {err}") from None
    texts = {k: _fill(raw[k], fact, thresholds) for k in ("title", "description", "explanation")}
    _check_explanation(texts["explanation"], fact, fail)
    every = [*when, *(c for j in joins + absent for c in j.when),
             *(sequence.when if sequence else ())]
    used = {c.threshold: thresholds[c.threshold] for c in every if c.threshold}
    if sequence is not None and sequence.threshold:
        used[sequence.threshold] = float(sequence.length)
    return Rule(
        id=rule_id or "", version=raw["version"], family=family, file=file,
        line=_line_of(text, rule_id), title=texts["title"], description=texts["description"],
        basis=raw["basis"], effective_from=period[0], effective_until=period[1],
        severity=raw["severity"], fact=fact,
        thresholds={**own, **used}, when=when, then=dict(raw["then"]),
        explanation=texts["explanation"], joins=joins, absent=absent, sequence=sequence,
    )


_RESERVED = ("clock", "previous")


def _fact_kind(name: str, fail: Any) -> str:
    if name not in FACTS:
        raise fail(f"dữ kiện không có trong từ vựng: '{name}'", f"unknown fact '{name}'")
    return name


def _new_name(name: str, scope: dict[str, str], fail: Any) -> str:
    if name in scope or name in _RESERVED or name.startswith("absent"):
        raise fail(f"tên dữ kiện trùng hoặc dành riêng: '{name}'",
                   f"fact name already used or reserved: '{name}'")
    return name


def _join(raw: dict[str, Any], thresholds: dict[str, float], fail: Any,
          scope: dict[str, str], ctx: FileContext, absent: bool = False) -> Join:
    """A joined fact (``join:``, named by ``as``) or an absent one (``absent:``); its
    conditions may refer to facts named before it."""
    fact = _fact_kind(raw["fact"], fail)
    if not absent and "as" not in raw:
        raise fail("mỗi dữ kiện nối cần tên 'as'", "every joined fact needs a name ('as')")
    name = raw.get("as") or fact
    when = tuple(c for cond in raw["when"]
                 for c in _check_condition(cond, fact, thresholds, fail, ctx, scope))
    if not absent:
        scope[_new_name(name, scope, fail)] = fact
    return Join(name, fact, when)


def _sequence(raw: dict[str, Any], thresholds: dict[str, float], fail: Any,
              scope: dict[str, str], ctx: FileContext) -> Sequence:
    """``length`` consecutive facts (the length a number or a file threshold)."""
    fact = _fact_kind(raw["fact"], fail)
    order = field_spec(fact, raw["order"])
    if order is None or order.type != "number":
        raise fail(f"trường thứ tự phải là số của '{fact}': '{raw['order']}'",
                   f"the order field must be a number field of '{fact}': '{raw['order']}'")
    length, name = raw["length"], None
    if isinstance(length, dict):
        name = length["threshold"]
        if name not in thresholds:
            raise fail(f"ngưỡng chưa khai báo: '{name}'", f"undeclared threshold '{name}'")
        value = thresholds[name]
        if value != int(value) or not 1 <= value <= 12:
            raise fail(f"độ dài chuỗi phải là số nguyên 1–12: {value}",
                       f"a sequence length must be a whole number 1–12: {value}")
        length = int(value)
    _new_name(raw["as"], scope, fail)
    inner = {**scope, "previous": fact}
    when = tuple(c for cond in raw["when"]
                 for c in _check_condition(cond, fact, thresholds, fail, ctx, inner))
    for i in range(length):
        scope[f"{raw['as']}{i}"] = fact
    return Sequence(raw["as"], fact, length, raw["order"], when, name)


def load_rule_file(path: Path) -> list[Rule]:
    """Validated rules of one file; raises ``RuleFileError`` naming file, line and rule id."""
    return _load_file(path)[0]


def _load_file(path: Path) -> tuple[list[Rule], list[Scale]]:
    file = path.name
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        raise RuleFileError(f"YAML không hợp lệ: {err}", f"invalid YAML: {err}",
                            file=file) from None
    data = stringify_dates(data)
    errors = list(jsonschema.Draft202012Validator(FILE_SCHEMA).iter_errors(data))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        top = str(errors[0].absolute_path[0]) if errors[0].absolute_path else None
        raise RuleFileError(f"sai cấu trúc tệp ở {where or '(tệp)'}: {errors[0].message}",
                            f"file schema error at {where or '(file)'}: {errors[0].message}",
                            file=file, line=_line_of_key(text, top) if top else None)
    ctx = FileContext(file, text, {k: float(v) for k, v in
                                   (data.get("thresholds") or {}).items()})
    _read_scales(data, ctx)
    rules = [_build_rule(raw, data["family"], file, text, ctx) for raw in data["rules"]]
    _check_scales_used(ctx)
    return rules, ctx.scales


def stringify_dates(value: Any) -> Any:
    """YAML reads 2021-01-01 as a date; the schema wants ISO strings."""
    if isinstance(value, dict):
        return {k: stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_dates(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


_BOOKS: dict[str, RuleBook] = {}
"""Validated rule books by the digest of their files: every replay asks for the engine, and
parsing and validating the YAML again for the same bytes was a measured cost."""


def load_rules(directory: Path = DEFINITIONS_DIR) -> RuleBook:
    """Load every ``*.yaml`` rule file of ``directory``; ids must be unique. The same file
    contents give the same (shared, read-only) book."""
    paths = sorted(Path(directory).glob("*.yaml"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + path.read_bytes())
    key = digest.hexdigest()
    book = _BOOKS.get(key)  # read once: never a check then an index another thread may clear
    if book is None:
        book = _BOOKS[key] = _load_book(paths, key[:16])
    return book


def _load_book(paths: list[Path], digest: str) -> RuleBook:
    rules: list[Rule] = []
    scales: list[Scale] = []
    for path in paths:
        file_rules, file_scales = _load_file(path)
        scales += file_scales
        for rule in file_rules:
            if any(r.id == rule.id for r in rules):
                raise RuleFileError(f"mã luật trùng: '{rule.id}'",
                                    f"duplicate rule id '{rule.id}'",
                                    file=path.name, rule_id=rule.id, line=rule.line)
            rules.append(rule)
    return RuleBook(tuple(rules), digest, tuple(p.name for p in paths), tuple(scales))


def load_calendar(path: Path = CALENDAR_FILE) -> dict[str, Any]:
    """The reporting calendar (lịch báo cáo) as data, validated (``rules.reporting``)."""
    return reporting.load_calendar(path)
