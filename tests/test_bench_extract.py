"""bench/bench_extract.py: the P/R arithmetic on a tiny synthetic document and gold, the lead
alias table, and every hand-written gold file of bench/gold validating against its document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bench import bench_extract as be

DOC = """UBND TỈNH X
Thu ngân sách 10 tháng đạt 13.966 tỷ đồng, đạt 104,24% dự toán.
Vốn đầu tư công giải ngân 2.000 tỷ đồng, đạt 50% kế hoạch.

Câu không có số liệu.

Một dòng xa nữa, ở đây.
"""


def _obs(line: int, value: str, pct: str, period: str = "10T/2025") -> be.Item:
    return be.Item("observations", line, {"value": value, "pct_of_plan": pct, "period": period},
                   f"l{line}")


def _task(line: int, lead: str | None, deadline: str | None, stated: bool = True,
          **gold: object) -> be.Item:
    return be.Item("tasks", line, {"lead": lead, "lead_stated": stated, "deadline": deadline,
                                   **gold}, f"l{line}")


def _empty() -> dict[str, list[be.Item]]:
    return {kind: [] for kind in be.KINDS}


def test_precision_counts_paired_items_and_recall_needs_the_fields_right() -> None:
    gold, found = _empty(), _empty()
    gold["observations"] = [_obs(2, "13.966", "104,24"), _obs(3, "2.000", "50")]
    found["observations"] = [
        _obs(2, "13.966", "104,24"),          # right
        _obs(3, "2.000", "55"),               # paired by line, % of plan wrong
        _obs(7, "1", "1"),                    # no gold item near it
    ]
    scores = be.score_items(gold, found, DOC)["observations"]
    assert (scores.gold, scores.found, scores.paired, scores.right) == (2, 3, 2, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(1 / 2)
    assert scores.wrong_fields == {"pct_of_plan": 1}


def test_fields_right_pairs_win_over_nearer_wrong_ones_and_pairing_is_one_to_one() -> None:
    gold, found = _empty(), _empty()
    gold["observations"] = [_obs(3, "2.000", "50")]
    found["observations"] = [_obs(2, "9", "9"), _obs(3, "2.000", "50"), _obs(3, "2.000", "50")]
    scores = be.score_items(gold, found, DOC)["observations"]
    assert (scores.paired, scores.right, scores.found) == (1, 1, 3)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == 1.0


def test_an_item_beyond_the_window_is_no_pair() -> None:
    gold, found = _empty(), _empty()
    gold["observations"] = [_obs(2, "13.966", "104,24")]
    found["observations"] = [_obs(2 + be.WINDOW + 3, "13.966", "104,24")]
    scores = be.score_items(gold, found, DOC)["observations"]
    assert (scores.paired, scores.right) == (0, 0)
    assert scores.precision == 0.0 and scores.recall == 0.0


def test_period_and_subject_are_scored_when_the_gold_has_them() -> None:
    gold_item = _obs(2, "13.966", "104,24")
    gold_item.fields["subject"] = "tỉnh Đắk Lắk"
    found_item = _obs(2, "13.966", "104,24", period="T10/2025")
    assert be.wrong_fields("observations", gold_item, found_item) == ["period", "subject"]
    found_item.fields.update(period="10T/2025", subject="Tỉnh Đắk Lắk")
    assert be.wrong_fields("observations", gold_item, found_item) == []
    gold_item.fields["subject"] = "cả nước"
    found_item.fields["subject"] = "toàn quốc"
    assert be.wrong_fields("observations", gold_item, found_item) == []
    found_item.fields["subject"] = "Bộ Tài chính"
    assert be.wrong_fields("observations", gold_item, found_item) == ["subject"]


def test_leads_compare_through_the_written_alias_table_never_fuzzily() -> None:
    gold = {"lead": "Bộ Tài chính", "deadline": date(2025, 12, 16)}
    assert be.wrong_fields("tasks", be.Item("tasks", 1, gold),
                           _task(1, "bộ tài  chính", "2025-12-16")) == []
    assert be.wrong_fields("tasks", be.Item("tasks", 1, gold), _task(1, "BTC", "2025-12-16")) == []
    assert be.wrong_fields("tasks", be.Item("tasks", 1, gold),
                           _task(1, "Bộ Tài chính và Bộ Công an", "2025-12-31")) == [
        "lead", "deadline"]
    province = {"lead": "Ủy ban nhân dân tỉnh", "deadline": None}
    assert be.wrong_fields("tasks", be.Item("tasks", 1, province),
                           _task(1, "UBND tỉnh", None)) == []
    implied = {"lead": "UBND tỉnh Đồng Tháp", "lead_implied": True, "deadline": None}
    assert be.wrong_fields("tasks", be.Item("tasks", 1, implied),
                           _task(1, "UBND tỉnh", None, stated=False)) == []


def test_citations_match_by_number_and_date_an_undated_mention_resolving_once() -> None:
    gold, found = _empty(), _empty()
    gold["citations"] = [be.Item("citations", 1, {"key": be._doc_key("48/NQ-CP", "2023-04-05")}),
                         be.Item("citations", 1, {"key": be._doc_key("57-NQ/TW", None)})]
    found["citations"] = [be.Item("citations", 1, {"key": be._doc_key("48/NQ-CP", None)}),
                          be.Item("citations", 1, {"key": be._doc_key("48/NQ-CP", "2023-04-05")}),
                          be.Item("citations", 1, {"key": be._doc_key("99/QĐ-UBND", None)})]
    scores = be.score_items(gold, found, DOC)["citations"]
    assert (scores.gold, scores.found, scores.right) == (2, 2, 1)
    assert scores.precision == 0.5 and scores.recall == 0.5


def test_the_scorer_runs_the_extractor_on_a_document_and_gold_file(tmp_path: Path) -> None:
    doc = tmp_path / "tiny.md"
    doc.write_text(DOC, encoding="utf-8")
    gold = {"document": "tiny.md", "jurisdiction": None, "addressees": [], "period": "10T/2025",
            "observations": [{"line": 2, "indicator": "thu ngân sách", "value": "13.966",
                              "unit": "tỷ đồng", "pct_of_plan": "104,24", "period": "10T/2025",
                              "quote": "đạt 13.966 tỷ đồng, đạt 104,24% dự toán"}],
            "targets": [], "tasks": [], "citations": []}
    gold_path = tmp_path / "tiny.yaml"
    gold_path.write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    assert be.validate_gold(gold_path, root=tmp_path) == []
    scores = be.score_document(doc, be.corpus_gold(gold))
    obs = scores["observations"]
    assert obs.gold == 1 and 0 <= obs.right <= obs.paired <= obs.found
    assert obs.recall in (0.0, 1.0)


def test_a_wrong_gold_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "tiny.md").write_text(DOC, encoding="utf-8")
    gold = {"document": "tiny.md", "jurisdiction": None, "addressees": [], "period": "mười tháng",
            "observations": [{"line": 3, "indicator": "thu", "value": "13.966", "unit": None,
                              "pct_of_plan": "104,24", "period": "10T/2025",
                              "quote": "đạt 104,24% dự toán"}],
            "targets": [{"line": 99, "indicator": "x", "expression": "trên 90", "unit": "%",
                         "period": "2030", "quote": "x"}],
            "tasks": [{"line": 2, "summary": "x", "lead": "", "deadline": "sớm", "quote": "Thu"}],
            "citations": [{"number": "48/NQ-CP", "date": None, "line": 2}]}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    problems = "\n".join(be.validate_gold(path, root=tmp_path))
    assert "bad period 'mười tháng'" in problems
    assert "quote not on line 3" in problems
    assert "line outside the document" in problems
    assert "no lead" in problems and "deadline not a date" in problems
    assert "not on line 2" in problems


@pytest.mark.parametrize("path", be.gold_files() + be.gold_files(be.HELDOUT_DIR),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_gold_file_validates(path: Path) -> None:
    """The corpus gold (bench/gold) and the held-out gold (bench/heldout)."""
    assert be.validate_gold(path) == []


def test_the_command_prints_json_with_the_gold_counts_of_a_document() -> None:
    import json
    import subprocess
    import sys

    path = be.GOLD_DIR / "TTg_2025_CD-159-CD-TTg_chinh-sach-tai-khoa.yaml"
    gold = yaml.safe_load(path.read_text("utf-8"))
    run = subprocess.run([sys.executable, str(be.ROOT / "bench" / "bench_extract.py"), "--json",
                          "--only", path.stem], capture_output=True, text=True, check=True,
                         timeout=120)
    scores = json.loads(run.stdout)
    document = scores["corpus"]["documents"][path.stem]
    for kind in be.KINDS:
        assert document[kind]["gold"] == len(gold[kind])
        assert 0 <= document[kind]["right"] <= document[kind]["paired"] <= document[kind]["found"]
    assert set(scores["goal"]["met"]) == set(be.KINDS)
    assert list(scores["corpus"]["documents"]) == [path.stem]


def test_the_held_out_report_has_its_own_totals_and_no_corpus_goal() -> None:
    gold, found = _empty(), _empty()
    gold["observations"] = [_obs(2, "13.966", "104,24")]
    found["observations"] = [_obs(2, "13.966", "104,24")]
    scored = {"tiny": be.score_items(gold, found, DOC)}
    heldout = be.report({}, scored, {}, heldout=True)
    assert "held-out total" in heldout and "Corpus goal" not in heldout
    assert "Corpus goal" in be.report({}, scored, {})
    assert "heldout" in be.as_json({}, scored, [], {}, heldout=True)
    assert "goal" not in be.as_json({}, scored, [], {}, heldout=True)
