"""The reporting calendar: validated at load (file and line), every entry with a basis that
the missing-report alert shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import Fact
from rules.duties import responsible_agency
from rules.errors import RuleFileError
from rules.loader import load_calendar
from rules.replay import replay
from rules.reporting import CALENDAR_FILE
from rules.snapshot import take_snapshot

GOOD = CALENDAR_FILE.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_shipped_calendar_loads_and_every_entry_names_its_basis() -> None:
    calendar = load_calendar()
    for report in calendar["reports"]:
        basis = report["basis"]
        assert basis["kind"] in ("document", "office_rule") and basis["vi"] and basis["en"]
        if basis["kind"] == "office_rule":
            assert "quy định của Văn phòng" in basis["vi"] and "office" in basis["en"]


def test_an_entry_without_a_basis_is_refused_with_file_and_line(tmp_path: Path) -> None:
    start = GOOD.index("  - id: nine_months")
    end = GOOD.index("  - id: year_estimate")
    entry = GOOD[start:end]
    cut = entry[:entry.index("    basis:")]
    text = GOOD[:start] + cut + GOOD[end:]
    with pytest.raises(RuleFileError) as info:
        load_calendar(_write(tmp_path, text))
    err = info.value
    assert err.file == "calendar.yaml" and "basis" in err.en
    assert err.line == _line(text, "id: nine_months")
    assert "calendar.yaml" in err.message and err.vi.startswith("lịch báo cáo")


def test_the_old_due_year_offset_key_is_refused_on_its_line(tmp_path: Path) -> None:
    """The comment used to say `due_year_offset` while the code read `due.year_offset`: a key
    the schema does not know is an error, not a silent default."""
    text = GOOD.replace("due: {month: 10, day: 15}",
                        "due: {month: 10, day: 15, due_year_offset: 1}")
    with pytest.raises(RuleFileError) as info:
        load_calendar(_write(tmp_path, text))
    assert info.value.line == _line(text, "due_year_offset")


def test_year_offset_moves_the_due_date_to_the_next_year(tmp_path: Path) -> None:
    text = GOOD.replace("due: {month: 12, day: 15}", "due: {month: 1, day: 20, year_offset: 1}")
    calendar = load_calendar(_write(tmp_path, text))
    assert calendar["reports"][-1]["due"] == {"month": 1, "day": 20, "year_offset": 1}


@pytest.mark.parametrize(("old", "new", "needle", "word"), [
    ("due: {month: 7, day: 15}", "due: {month: 2, day: 30}", "month: 2, day: 30", "exist"),
    ('period: "9T/{y}"', 'period: "9T/{q}"', "9T/{q}", "{y}"),
    ("applies_to: [cumulative]", "applies_to: [stock]", "applies_to: [stock]", "stock"),
    ("      kind: office_rule", "      kind: document", "kind: document", "document"),
    ("  - id: nine_months", "  - id: six_months", "id: six_months", "duplicate"),
])
def test_a_malformed_entry_is_refused_naming_its_line(tmp_path: Path, old: str, new: str,
                                                      needle: str, word: str) -> None:
    text = GOOD.replace(old, new, 1) if old != "  - id: nine_months" else GOOD.replace(old, new)
    with pytest.raises(RuleFileError) as info:
        load_calendar(_write(tmp_path, text))
    assert word in info.value.en
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert info.value.line in lines or info.value.line == lines[-1] - 1 or \
        info.value.line in [n - 1 for n in lines], (info.value.line, lines)


def test_invalid_yaml_is_a_rule_file_error_with_a_line(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as info:
        load_calendar(_write(tmp_path, GOOD.replace("    months: [6]", "    months: [6")))
    assert info.value.line is not None


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 40), st.text(max_size=8),
                     st.lists(st.integers(0, 13), max_size=3))


@settings(max_examples=150, deadline=None)
@given(report=st.integers(0, 3), key=st.sampled_from(
    ["id", "label", "months", "period", "due", "applies_to", "basis", "extra"]),
    value=_SCALARS)
def test_any_bad_entry_value_loads_or_fails_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                                    report: int, key: str, value: Any) -> None:
    """Any value in any field of an entry: a valid calendar or a RuleFileError with a line."""
    data = yaml.safe_load(GOOD)
    data["reports"][report][key] = value
    path = _write(tmp_path_factory.mktemp("cal"), yaml.safe_dump(data, allow_unicode=True))
    try:
        calendar = load_calendar(path)
    except RuleFileError as err:
        assert err.file == "calendar.yaml" and err.line is not None
    else:
        assert all(r.get("basis") for r in calendar["reports"])


def test_missing_report_alert_shows_the_office_rule_basis(fresh_log: Any) -> None:
    fresh_log.append([
        Fact("agency", "so-y-te", {"id": "so-y-te", "name": "Sở Y tế", "kind": "department"}),
        Fact("indicator", "revenue", {"id": "revenue", "name": "Thu ngân sách", "unit": "tỷ đồng",
                                      "direction": "increase", "measure": "cumulative",
                                      "lead_agency": "so-y-te"}),
        Fact("target", "revenue@2023", {"id": "revenue@2023", "indicator": "revenue",
                                        "period": "2023", "expression": "4.000"}),
        Fact("observation", "obs-1", {"id": "obs-1", "indicator": "revenue", "period": "6T/2023",
                                      "pct_of_plan": "50", "kind": "actual",
                                      "as_of": "2023-06-30"}, as_of=date(2023, 6, 30)),
    ])
    alerts = [a for a in replay(fresh_log, date(2023, 10, 20), persist=False).alerts
              if a.kind == "missing_report"]
    assert [a.period for a in alerts] == ["9T/2023"]
    alert = alerts[0]
    assert alert.details["basis"]["kind"] == "office_rule"
    assert alert.details["due"] == "2023-10-15" and alert.details["report"] == "nine_months"
    assert "Căn cứ: quy định của Văn phòng" in alert.explanation_vi
    assert "Basis: the office's own rule" in alert.explanation_en



def test_responsible_agency_follows_successive_mergers_and_stops_on_a_cycle(
        fresh_log: Any) -> None:
    rows = [("a", None, "2023-12-31", "b"), ("b", "2024-01-01", "2024-12-31", "c"),
            ("c", "2025-01-01", None, None), ("x", None, "2023-01-01", "y"),
            ("y", None, "2023-01-01", "x"), ("n", "2024-06-01", None, None)]
    fresh_log.append([Fact("agency", a, {"id": a, "valid_from": start, "valid_until": end,
                                         "succeeded_by": succ}) for a, start, end, succ in rows])
    snap = take_snapshot(list(fresh_log.read()), date(2026, 1, 1))
    assert responsible_agency(snap, "a", date(2023, 7, 15)) == "a"
    assert responsible_agency(snap, "a", date(2024, 7, 15)) == "b"
    assert responsible_agency(snap, "a", date(2025, 7, 15)) == "c"
    assert responsible_agency(snap, "x", date(2024, 1, 1)) is None
    assert responsible_agency(snap, "n", date(2024, 5, 31)) is None
    assert responsible_agency(snap, "unknown", date(2024, 1, 1)) == "unknown"


def test_langson_2025_reports_go_to_the_agencies_after_the_2025_mergers(fresh_log: Any) -> None:
    """Sở KH&ĐT and Sở NN&PTNT were merged on 2025-02-28 (agencies.yaml): a 2025 report they
    would have owed goes to Sở Tài chính and Sở Nông nghiệp và Môi trường."""
    fresh_log.append(load_dataset(DEFAULT_DATASET), submitted_by="dataset")
    fresh_log.append([Fact("observation", "obs-2025", {
        "id": "obs-2025", "indicator": "tourists", "period": "6T/2025", "value": "1.000",
        "kind": "actual", "as_of": "2025-06-30"}, as_of=date(2025, 6, 30))])
    alerts = [a for a in replay(fresh_log, date(2025, 7, 20), persist=False).alerts
              if a.kind == "missing_report" and a.period == "6T/2025"]
    by_lead = {a.details["lead_agency"]: a.agency for a in alerts}
    assert by_lead["so-ke-hoach-va-dau-tu"] == "so-tai-chinh"
    assert by_lead["so-nong-nghiep-va-phat-trien-nong-thon"] == "so-nong-nghiep-va-moi-truong"
    assert all(a.agency not in ("so-ke-hoach-va-dau-tu", "so-nong-nghiep-va-phat-trien-nong-thon")
               for a in alerts)
