"""Thresholds are declared once per rule file; scales are ordered cut points (no gap, no
overlap); wrong ones are refused at load naming the file and the line."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import RuleFileError
from rules.loader import DEFINITIONS_DIR, load_rule_file, load_rules

PACE = (DEFINITIONS_DIR / "pace.yaml").read_text(encoding="utf-8")
SCALE = "scale: [off_track, at_risk: 0.80, on_track: 0.95]"


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _load(tmp_path: Path, text: str) -> list:
    path = tmp_path / "pace.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rule_file(path)


def test_shipped_scales_expand_to_adjacent_bands() -> None:
    book = load_rules()
    at_risk = book.by_id("pace.at_risk")
    bounds = {(c.op, c.value) for c in at_risk.when if c.field == "ratio"}
    assert bounds == {("gte", 0.80), ("lt", 0.95)}
    assert {(c.op, c.value) for c in book.by_id("pace.on_track").when
            if c.field == "ratio"} == {("gte", 0.95)}
    assert {(c.op, c.value) for c in book.by_id("pace.off_track").when
            if c.field == "ratio"} == {("lt", 0.80)}


@pytest.mark.parametrize("scale", [
    "scale: [off_track, at_risk: 0.95, on_track: 0.80]",   # overlap: cuts out of order
    "scale: [off_track, at_risk: 0.80, on_track: 0.80]",   # an empty band
])
def test_cuts_out_of_order_are_refused_with_file_and_line(tmp_path: Path, scale: str) -> None:
    assert SCALE in PACE
    with pytest.raises(RuleFileError) as info:
        _load(tmp_path, PACE.replace(SCALE, scale))
    err = info.value
    assert err.file == "pace.yaml"
    assert err.line == _line(PACE, "  pace_ratio:")
    assert "pace.yaml" in err.message and "no gap" in err.en


def test_a_band_no_rule_judges_is_a_gap_and_refused(tmp_path: Path) -> None:
    text = PACE.replace(SCALE, "scale: [off_track, at_risk: 0.80, watch: 0.90, "
                               "on_track: 0.95]")
    with pytest.raises(RuleFileError) as info:
        _load(tmp_path, text)
    assert "watch" in info.value.en and info.value.line == _line(text, "  pace_ratio:")


def test_an_operator_on_a_banded_field_is_refused(tmp_path: Path) -> None:
    """Moving at_risk to 0.85 in one rule only (the gap of issue 14) cannot be written."""
    old = "      - {field: ratio, band: at_risk}"
    assert old in PACE
    text = PACE.replace(old, "      - {field: ratio, op: gte, value: 0.85}\n"
                             "      - {field: ratio, op: lt, value: 0.95}")
    with pytest.raises(RuleFileError) as info:
        _load(tmp_path, text)
    err = info.value
    assert err.rule_id == "pace.at_risk" and err.line == _line(text, "- id: pace.at_risk")
    assert "band" in err.en


def test_a_threshold_declared_in_the_file_and_a_rule_is_refused(tmp_path: Path) -> None:
    text = PACE.replace("    fact: pace\n    when:", "    fact: pace\n"
                        "    thresholds: {full_plan: 1.0}\n    when:", 1)
    with pytest.raises(RuleFileError) as info:
        _load(tmp_path, text)
    assert "full_plan" in info.value.en and info.value.rule_id == "pace.achieved_early"


def test_unknown_band_is_refused(tmp_path: Path) -> None:
    text = PACE.replace("{field: ratio, band: at_risk}", "{field: ratio, band: so_so}")
    with pytest.raises(RuleFileError, match="so_so"):
        _load(tmp_path, text)


def test_texts_are_formatted_from_the_thresholds(tmp_path: Path) -> None:
    rule = next(r for r in _load(tmp_path, PACE.replace("on_track: 0.95]", "on_track: 0.9]"))
                if r.id == "pace.at_risk")
    assert "0,9" in rule.description["vi"] and "0.9" in rule.description["en"]
    assert "0,95" not in rule.description["vi"] and "{" not in rule.description["vi"]
    early = load_rules().by_id("pace.achieved_early")
    assert "100%" in early.description["vi"]


def test_converted_files_declare_thresholds_only_at_file_level() -> None:
    for name in ("pace.yaml", "verdicts.yaml"):
        for rule in load_rule_file(DEFINITIONS_DIR / name):
            assert "thresholds:" not in _rule_block(name, rule.id)


def _rule_block(name: str, rule_id: str) -> str:
    text = (DEFINITIONS_DIR / name).read_text(encoding="utf-8")
    start = text.index(f"- id: {rule_id}\n")
    end = text.find("\n  - id:", start + 1)
    return text[start: end if end > 0 else None]


def _scale_file(cuts: list[float]) -> str:
    names = [f"b{i}" for i in range(len(cuts) + 1)]
    scale = ", ".join([names[0]] + [f"{n}: {c!r}" for n, c in zip(names[1:], cuts, strict=True)])
    rules = "".join(f"""  - id: pace.band_{n}
    version: 1
    title: {{vi: "{n}", en: "{n}"}}
    description: {{vi: "{n}", en: "{n}"}}
    basis: {{document: d, clause: c}}
    effective_from: null
    effective_until: null
    severity: info
    fact: pace
    when:
      - {{field: ratio, band: {n}}}
    then: {{action: set_status, status: on_track}}
    explanation: {{vi: "{n}", en: "{n}"}}
""" for n in names)
    return (f"family: pace\nbands:\n  r:\n    fact: pace\n    field: ratio\n"
            f"    scale: [{scale}]\nrules:\n{rules}")


def _holds(rule: Any, value: float) -> bool:
    ops = {"gte": value.__ge__, "lt": value.__lt__}
    return all(ops[c.op](c.value) for c in rule.when)


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.floats(-5, 5, allow_nan=False).map(lambda x: round(x, 3)),
                     min_size=1, max_size=5, unique=True).map(sorted),
       values=st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=20))
def test_a_scale_of_ordered_cuts_puts_every_value_in_exactly_one_band(
        cuts: list[float], values: list[float]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pace.yaml"
        path.write_text(_scale_file(cuts), encoding="utf-8")
        rules = load_rule_file(path)
    for value in values + cuts:
        assert sum(_holds(r, value) for r in rules) == 1


@settings(max_examples=30, deadline=None)
@given(cuts=st.lists(st.floats(-5, 5, allow_nan=False).map(lambda x: round(x, 3)),
                     min_size=2, max_size=5, unique=True))
def test_cuts_not_in_increasing_order_are_always_refused(cuts: list[float]) -> None:
    if cuts == sorted(cuts):
        cuts = cuts[::-1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pace.yaml"
        path.write_text(_scale_file(cuts), encoding="utf-8")
        with pytest.raises(RuleFileError) as info:
            load_rule_file(path)
    assert info.value.line == 3 and info.value.file == "pace.yaml"


def test_the_readme_quotes_every_scale_as_the_rule_files_declare_it() -> None:
    """The docs are formatted from the thresholds: each scale's line in rules/README.md is its
    ``describe()`` text, so moving a cut in a rule file without the docs fails here."""
    readme = (DEFINITIONS_DIR.parent / "README.md").read_text(encoding="utf-8")
    lines = {line.split("`")[1]: line for line in readme.splitlines()
             if line.startswith("- `") and "≤" in line}
    book = load_rules()
    assert book.scales
    for scale in book.scales:
        assert scale.name in lines, f"rules/README.md has no line for scale {scale.name}"
        assert lines[scale.name].endswith(scale.describe("vi")), lines[scale.name]


def test_the_catalogue_exports_the_scales() -> None:
    from rules.catalogue import export_catalogue

    scales = {s["name"]: s for s in export_catalogue()["scales"]}
    assert scales["pace_ratio"]["cuts"] == [0.8, 0.95]
    assert scales["pace_ratio"]["text"]["en"] == "off_track < 0.8 ≤ at_risk < 0.95 ≤ on_track"


@pytest.mark.parametrize("text", ["đạt {pct% kế hoạch", "đạt pct}% kế hoạch",
                                  "đạt {pct:.2f}% kế hoạch", "{agency_name:d} đạt {pct}%",
                                  "{agency_name.upper} đạt {pct}%"])
def test_a_malformed_explanation_is_refused_with_file_and_rule(tmp_path: Path,
                                                               text: str) -> None:
    old = '"{subject_name} kỳ {period} đạt {pct}% kế hoạch năm, hoàn thành trước hạn."'
    assert old in PACE
    with pytest.raises(RuleFileError) as info:
        _load(tmp_path, PACE.replace(old, f'"{text}"'))
    assert info.value.rule_id == "pace.achieved_early" and info.value.file == "pace.yaml"


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-2, 2),
                     st.text(max_size=8), st.lists(st.integers(0, 3), max_size=3),
                     st.dictionaries(st.text(max_size=3), st.integers(0, 2), max_size=2))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [prefix] + [p for k, v in node.items() for p in _paths(v, (*prefix, k))]
    if isinstance(node, list):
        return [prefix] + [p for i, v in enumerate(node) for p in _paths(v, (*prefix, i))]
    return [prefix]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), value=_SCALARS)
def test_any_bad_value_in_a_rule_file_loads_or_fails_cleanly(data: st.DataObject,
                                                             value: Any) -> None:
    """Whatever one value of pace.yaml becomes, loading gives rules or a RuleFileError."""
    import yaml

    doc = yaml.safe_load(PACE)
    paths = [p for p in _paths(doc) if p]
    path = data.draw(st.sampled_from(paths))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "pace.yaml"
        file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        try:
            load_rule_file(file)
        except RuleFileError as err:
            assert err.file == "pace.yaml" and err.vi and err.en
