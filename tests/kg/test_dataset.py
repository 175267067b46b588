"""The shipped Lạng Sơn dataset: provenance, parseable values, consistency, floors."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg.dataset import DEFAULT_DATASET, load_dataset, read_rows, validate_rows
from kg.notation import Period, parse_expression, parse_number, parse_quantity
from kg.provenance import check_rows
from rules.subjects import TARGET_BASES

ROWS = read_rows(DEFAULT_DATASET)
BY_KIND: dict[str, list] = {}
for _row in ROWS:
    BY_KIND.setdefault(_row.kind, []).append(_row.data)

KNOWN = yaml.safe_load((DEFAULT_DATASET / "KNOWN_INCONSISTENCIES").read_text(encoding="utf-8"))
KNOWN_REFS = {entry["ref"] for entry in KNOWN}


def test_dataset_validates_without_problems():
    problems = validate_rows(ROWS)
    assert not problems, "\n".join(p.message for p in problems[:30])


@pytest.mark.parametrize("kind", sorted(BY_KIND))
def test_every_quote_is_verbatim_at_its_line(kind):
    problems = check_rows(BY_KIND[kind])
    assert not problems, "\n".join(problems[:30])


def test_floors_of_the_issue_are_met():
    counts = {kind: len(rows) for kind, rows in BY_KIND.items()}
    assert counts["agency"] >= 43
    assert counts["document"] >= 45
    assert counts["indicator"] >= 60
    assert counts["target"] >= 85
    assert counts["observation"] >= 250
    assert counts["task"] >= 120
    per_doc = Counter(row["source"]["doc"] for row in BY_KIND["observation"])
    for doc in ("001", "002", "003"):
        assert per_doc[doc] >= 50, (doc, per_doc[doc])


def test_every_target_has_period_expression_and_source():
    for target in BY_KIND["target"]:
        Period.from_code(str(target["period"]))
        parse_expression(str(target["expression"]))
        assert target["source"]


def _plan_of(targets: dict, row: dict):
    """The annual plan value of the observation's indicator, when its unit is the value's."""
    target = targets.get(f"{row['indicator']}@{Period.from_code(str(row['period'])).year}")
    if target is None or _unit(target.get("unit")) != _unit(row.get("unit")):
        return None  # e.g. disbursement "trên 95% kế hoạch" is a share, the value is in tỷ đồng
    return parse_expression(str(target["expression"])).representative


def _unit(text: str | None) -> str:
    return " ".join(str(text or "").lower().split())


def pct_mismatches() -> list[tuple[str, Decimal, Decimal]]:
    """Observations whose pct_of_plan differs from value ÷ plan by more than 0,5 point."""
    targets = {t["id"]: t for t in BY_KIND["target"]}
    out = []
    for row in BY_KIND["observation"]:
        if not (row.get("indicator") and row.get("value") and row.get("pct_of_plan")):
            continue
        if row.get("plan_basis") not in TARGET_BASES:
            continue
        plan = _plan_of(targets, row)
        if not plan:
            continue
        computed = parse_quantity(str(row["value"])).value / plan * 100
        stated = parse_number(str(row["pct_of_plan"]))
        if abs(computed - stated) > Decimal("0.5"):
            out.append((row["id"], computed.quantize(Decimal("0.1")), stated))
    return out


def test_pct_of_plan_matches_value_over_plan_or_is_a_known_inconsistency():
    unexplained = [m for m in pct_mismatches() if m[0] not in KNOWN_REFS]
    assert not unexplained, unexplained


def test_known_inconsistencies_point_at_real_rows_with_a_reason():
    ids = {row.data["id"] for row in ROWS}
    for entry in KNOWN:
        # ref is null when the contradiction concerns no dataset row (e.g. a footnote's sum)
        assert entry["ref"] is None or entry["ref"] in ids, entry
        assert entry["kind"] and entry["detail"] and entry["source"], entry


def test_load_dataset_gives_one_fact_per_row():
    facts = load_dataset(DEFAULT_DATASET)
    assert len(facts) == len(ROWS)
    assert len({(f.kind, f.key) for f in facts}) == len(facts)


def test_official_verdict_tables_have_the_rows_of_004():
    tables = Counter(v["table"] for v in BY_KIND["verdict"])
    assert tables["2024"] == 31
    assert tables["2021-2025"] == 29


def test_sources_are_the_five_seed_documents():
    names = sorted(p.name[:3] for p in (Path(DEFAULT_DATASET) / "sources").glob("*.txt"))
    assert names == ["000", "001", "002", "003", "004"]
