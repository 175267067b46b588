"""Read a plan dataset directory (``data/langson``) into validated facts.

Layout and row shapes: ``data/langson/README.md``. Every row is checked before anything is
written — required fields, id uniqueness, references between files, and every value parses with
``kg.notation`` — and all problems are reported together, each naming file, row and field.
Loading is all-or-nothing: one transaction.

``dataset.yaml`` (optional) says whose dataset it is: ``jurisdiction`` (a code of
``data/jurisdictions.yaml``), ``name``, ``plan_years``; ``load_into`` writes the facts into that
jurisdiction of the database (``kg.log``) and refuses a log confined to another one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.errors import DatasetError, KehoachError, Place
from kg.log import AppendOutcome, Fact, Source, known_code
from kg.notation import nfc_all

DEFAULT_DATASET = Path(__file__).resolve().parents[1] / "data" / "langson"
MANIFEST = "dataset.yaml"

# kind → file patterns (relative to the dataset directory), read in this order.
DATASET_FILES: dict[str, tuple[str, ...]] = {
    "agency": ("agencies.yaml",),
    "document": ("documents.yaml",),
    "indicator": ("indicators.yaml", "indicators_*.yaml"),
    "target": ("targets.yaml", "targets_*.yaml"),
    "verdict": ("verdicts.yaml",),
    "observation": ("observations/*.yaml",),
    "task": ("tasks/*.yaml",),
    "task_update": ("task_updates/*.yaml",),
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "agency": ("id", "name", "kind"),
    "document": ("id", "class", "title"),
    "indicator": ("id", "name", "unit", "direction", "measure", "group"),
    "target": ("id", "indicator", "period", "expression"),
    "verdict": ("id", "table", "row", "indicator"),
    "observation": ("id", "period", "kind", "as_of"),
    "task": ("id", "summary", "lead_agency"),
    "task_update": ("id", "task", "status", "as_of"),
}

DIRECTIONS = {"increase", "decrease", "band", "maintain"}
# the measure kinds of rules.vocabulary.MEASURE_KINDS (kg does not import rules)
MEASURES = {"cumulative", "level", "growth_rate", "reduction", "per_capita"}
GROUPS = {"economic", "social", "environment"}
OBSERVATION_KINDS = {"actual", "estimate"}
VERDICT_WORDS = {"Đạt", "Vượt", "Không đạt"}
TASK_UPDATE_STATUSES = {"completed", "in_progress", "not_started"}
BOOLEANS = {"True", "False"}


@dataclass(frozen=True)
class Row:
    kind: str
    file: str
    index: int  # 1-based position in its file
    data: dict[str, Any]


class DatasetProblems(DatasetError):
    """Several rows are wrong; ``problems`` lists each one (file, row, field, message)."""

    def __init__(self, problems: list[KehoachError]) -> None:
        self.problems = problems
        head = problems[0]
        super().__init__(
            f"{len(problems)} lỗi trong bộ dữ liệu; lỗi đầu: {head.message}",
            f"{len(problems)} problem(s) in the dataset; first: {head.message}",
            code="dataset_invalid",
        )


def read_rows(directory: Path) -> list[Row]:
    """Every row of every dataset file, tagged with its kind, file and position."""
    rows: list[Row] = []
    for kind, patterns in DATASET_FILES.items():
        seen: set[Path] = set()
        for pattern in patterns:
            for path in sorted(directory.glob(pattern)):
                if path in seen:
                    continue
                seen.add(path)
                rows.extend(_read_file(kind, path, directory))
    return rows


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when installed (as rules.loader): the same values as
``yaml.safe_load`` (checked on every file of data/), read about five times faster — data/langson
took ≈ 4 s to read with the pure-Python parser."""


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_YAML_LOADER)


def _read_file(kind: str, path: Path, directory: Path) -> list[Row]:
    name = str(path.relative_to(directory))
    try:
        content = nfc_all(_yaml(path.read_text(encoding="utf-8")) or [])
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise DatasetError(
            f"Tệp YAML không đọc được: {err}", f"Unreadable YAML: {err}",
            code="yaml_error", place=Place(document=name),
        ) from err
    if not isinstance(content, list):
        raise DatasetError(
            "Tệp phải là một danh sách các dòng", "File must be a list of rows",
            code="not_a_list", place=Place(document=name),
        )
    return [Row(kind, name, i, _plain(item)) for i, item in enumerate(content, start=1)]


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings, so payloads are JSON and hash the same every time."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def validate_rows(rows: list[Row]) -> list[KehoachError]:
    """All problems of ``rows`` (empty when the dataset is sound)."""
    problems: list[KehoachError] = []
    ids: dict[str, dict[str, Row]] = {kind: {} for kind in DATASET_FILES}
    for row in rows:
        problems.extend(_check_shape(row))
        rid = row.data.get("id") if isinstance(row.data, dict) else None
        if rid in ids[row.kind]:
            other = ids[row.kind][rid]
            problems.append(_problem(row, "id", f"trùng mã với {other.file} dòng {other.index}",
                                     f"duplicate id, also in {other.file} row {other.index}",
                                     "duplicate_id"))
        elif rid:
            ids[row.kind][rid] = row
    for row in rows:
        if isinstance(row.data, dict):
            problems.extend(_check_references(row, ids))
            problems.extend(_check_values(row))
    return problems


def _problem(row: Row, field: str, vi: str, en: str, code: str, text: Any = None) -> DatasetError:
    return DatasetError(
        vi, en, code=code, text=None if text is None else str(text),
        place=Place(document=row.file, row=row.index, field=field),
    )


def _check_shape(row: Row) -> list[KehoachError]:
    if not isinstance(row.data, dict):
        return [_problem(row, "-", "dòng phải là một đối tượng", "row must be a mapping",
                         "bad_row")]
    out: list[KehoachError] = []
    for field in REQUIRED[row.kind]:
        if row.data.get(field) in (None, ""):
            out.append(_problem(row, field, "thiếu trường bắt buộc", "required field missing",
                                "missing_field"))
    src = row.data.get("source")
    if row.kind == "indicator" and src is None:
        return out  # an indicator is defined by its targets' and observations' sources
    if not isinstance(src, dict) or not (
        (src.get("doc") and src.get("line") and src.get("quote")) or src.get("basis")
    ):
        out.append(_problem(row, "source", "thiếu nguồn (doc, line, quote hoặc basis)",
                            "missing source (doc, line, quote or basis)", "missing_source"))
    return out


_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "agency": (("parent", "agency"), ("succeeded_by", "agency")),
    "document": (("issuer", "agency"), ("based_on", "document"), ("implements", "document")),
    "indicator": (("lead_agency", "agency"),),
    "target": (("indicator", "indicator"), ("set_by", "document"), ("assigned_by", "document")),
    "verdict": (("indicator", "indicator"),),
    "observation": (("indicator", "indicator"),),
    "task": (("lead_agency", "agency"), ("support", "agency"), ("assigned_by", "document"),
             ("indicator", "indicator")),
    "task_update": (("task", "task"),),
}


def _check_references(row: Row, ids: dict[str, dict[str, Row]]) -> list[KehoachError]:
    out: list[KehoachError] = []
    for field, target_kind in _REFERENCES[row.kind]:
        value = row.data.get(field)
        for ref in value if isinstance(value, list) else [value]:
            if ref is not None and ref not in ids[target_kind]:
                out.append(_problem(
                    row, field, f"tham chiếu tới {target_kind} không tồn tại: '{ref}'",
                    f"reference to unknown {target_kind} '{ref}'", "unknown_reference", ref))
    return out


def _check_values(row: Row) -> list[KehoachError]:
    from kg import notation  # parsers: one per notation, shared by every importer

    d = row.data
    checks: list[tuple[str, Callable[[Any], Any]]] = []
    if row.kind == "indicator":
        checks += [("direction", _member(DIRECTIONS)), ("measure", _member(MEASURES)),
                   ("group", _member(GROUPS))]
    elif row.kind == "document":
        # A number written oddly in the source ("32/2024/NĐ- CP") is kept as written in
        # ``number``; the reader's normal form goes in ``number_normalised`` and is what parses.
        number_field = "number_normalised" if d.get("number_normalised") else "number"
        checks += [(number_field, notation.parse_document_number), ("date", date.fromisoformat)]
    elif row.kind == "target":
        checks += [("expression", notation.parse_expression), ("period", notation.Period.from_code)]
    elif row.kind == "verdict":
        checks += [("plan", notation.parse_expression), ("estimate", notation.parse_expression),
                   ("verdict", _member(VERDICT_WORDS))]
    elif row.kind == "observation":
        checks += [("period", notation.Period.from_code), ("value", notation.parse_quantity),
                   ("pct_of_plan", notation.parse_number),
                   ("yoy_change_pct", notation.parse_number),
                   ("kind", _member(OBSERVATION_KINDS)), ("as_of", date.fromisoformat)]
    elif row.kind == "task":
        checks += [("deadline", date.fromisoformat), ("continuing", _member(BOOLEANS))]
    elif row.kind == "task_update":
        checks += [("status", _member(TASK_UPDATE_STATUSES)), ("as_of", date.fromisoformat),
                   ("completed_on", date.fromisoformat)]
    out: list[KehoachError] = []
    for field, check in checks:
        value = d.get(field)
        if value is None:
            continue
        try:
            check(str(value))
        except KehoachError as err:
            out.append(_problem(row, field, err.vi, err.en, err.code, value))
        except ValueError as err:
            out.append(_problem(row, field, f"giá trị không hợp lệ: {err}",
                                f"invalid value: {err}", "invalid_value", value))
    return out


def _member(allowed: set[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"'{value}' not in {sorted(allowed)}")
        return value

    return check


def rows_to_facts(rows: Iterable[Row]) -> list[Fact]:
    facts = []
    for row in rows:
        payload = {k: v for k, v in row.data.items() if k != "source"}
        as_of = row.data.get("as_of") if row.kind in ("observation", "task_update") else None
        facts.append(Fact(
            kind=row.kind,
            key=str(row.data["id"]),
            payload=payload,
            source=_source(row.data.get("source") or {}),
            as_of=date.fromisoformat(as_of) if as_of else None,
        ))
    return facts


def _source(src: dict[str, Any]) -> Source:
    if src.get("doc"):
        return Source(str(src["doc"]), src.get("line"), src.get("quote"))
    return Source("basis", None, src.get("basis"))


def load_dataset(directory: str | Path = DEFAULT_DATASET) -> list[Fact]:
    """Validated facts of a dataset directory; raises ``DatasetProblems`` listing every error."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(
            f"Không tìm thấy thư mục dữ liệu {directory}",
            f"Dataset directory not found: {directory}",
            code="dataset_not_found", place=Place(document=str(directory)),
        )
    rows = read_rows(directory)
    problems = validate_rows(rows)
    if problems:
        raise DatasetProblems(problems)
    return rows_to_facts(rows)


@dataclass(frozen=True)
class Manifest:
    """A dataset's ``dataset.yaml``: whose it is (bộ dữ liệu của địa bàn nào)."""

    jurisdiction: str
    name: str | None = None
    plan_years: tuple[int, ...] = ()


def read_manifest(directory: str | Path) -> Manifest | None:
    """The dataset's ``dataset.yaml``, None when it has none (a dataset of the legacy,
    unscoped log); a malformed one is a ``DatasetError`` naming the field."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = nfc_all(_yaml(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise DatasetError(f"Tệp YAML không đọc được: {err}", f"Unreadable YAML: {err}",
                           code="yaml_error", place=Place(document=MANIFEST)) from err
    if not isinstance(data, dict):
        raise _manifest_error("Tệp phải là một bảng khóa: giá trị",
                              "File must be a mapping of key: value", None, data)
    return Manifest(_manifest_code(data.get("jurisdiction")),
                    _manifest_name(data.get("name")), _manifest_years(data.get("plan_years")))


def _manifest_error(vi: str, en: str, field: str | None, text: Any) -> DatasetError:
    return DatasetError(vi, en, code="bad_manifest", text=str(text)[:200],
                        place=Place(document=MANIFEST, field=field))


def _manifest_code(value: Any) -> str:
    if not value:
        raise _manifest_error("Thiếu mã địa bàn", "Missing jurisdiction code",
                              "jurisdiction", value)
    try:
        return known_code(str(value), "jurisdiction")
    except KehoachError as err:
        raise _manifest_error(err.vi, err.en, "jurisdiction", value) from None


def _manifest_name(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _manifest_error("Tên phải là một chuỗi", "Name must be a string", "name", value)
    return value


def _manifest_years(value: Any) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    if not all(isinstance(v, int) and not isinstance(v, bool) and 1900 < v < 2200
               for v in items):
        raise _manifest_error("Năm kế hoạch phải là danh sách năm, ví dụ [2024, 2025]",
                              "Plan years must be a list of years, e.g. [2024, 2025]",
                              "plan_years", value)
    return tuple(items)


def dataset_log(log: Any, manifest: Manifest | None) -> Any:
    """The handle of ``log``'s database a dataset is written through: the dataset's own
    jurisdiction (set as the database's default when it has none, so the rows written
    before jurisdictions become its, unless they clash with facts already written for it).
    A log confined
    explicitly to another jurisdiction is a ``DatasetError`` (``jurisdiction_mismatch``)."""
    if manifest is None:
        return log
    code, asked = manifest.jurisdiction, log.asked_jurisdiction
    if asked and asked != code:
        raise DatasetError(
            f"Bộ dữ liệu thuộc địa bàn '{code}' nhưng lệnh đang làm việc với địa bàn "
            f"'{asked}'; bỏ --jurisdiction / $KEHOACH_JURISDICTION hoặc chọn '{code}'",
            f"The dataset belongs to jurisdiction '{code}' but the command works on "
            f"'{asked}'; drop --jurisdiction / $KEHOACH_JURISDICTION or choose '{code}'",
            code="jurisdiction_mismatch", text=asked,
            place=Place(document=MANIFEST, field="jurisdiction"))
    if log.default_jurisdiction() is None:
        try:
            log.set_default_jurisdiction(code)
        except KehoachError as err:
            # legacy rows that share keys with facts already written for ``code`` stay the
            # unscoped log's (still read without a jurisdiction) rather than merge two
            # histories; the dataset still goes into ``code``
            if err.code != "default_jurisdiction_conflict":
                raise
    return log if log.jurisdiction == code else log.within(code)


def load_into(log: Any, directory: str | Path = DEFAULT_DATASET,
              submitted_by: str = "dataset") -> list[AppendOutcome]:
    """Validate and append a dataset to ``log`` in one transaction (idempotent), into the
    jurisdiction its ``dataset.yaml`` names (``dataset_log``)."""
    facts = load_dataset(directory)
    target = dataset_log(log, read_manifest(directory))
    return target.append(facts, submitted_by=submitted_by)
