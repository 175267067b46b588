"""Progress statements of later reports and the tasks they report on (kg.extract.progress):
measured against the curated task updates of data/langson, safe on any text."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.extract import extract_file, extract_text
from kg.extract.ingest import plan_ingest
from kg.extract.progress import (
    COMPLETED,
    IN_PROGRESS,
    KnownTask,
    TaskIndex,
    continuing_directive,
    known_tasks,
    link_extraction,
    statements_in,
)
from kg.extract.text import logical_lines

FACTS = load_dataset(DEFAULT_DATASET)
TASKS = known_tasks(FACTS)
GOLD = {(f.source.doc, f.payload["task"], f.payload["status"])
        for f in FACTS if f.kind == "task_update"}
SOURCES = sorted((DEFAULT_DATASET / "sources").glob("00[124]_*.txt"))


def _found() -> set[tuple[str, str, str]]:
    found = set()
    for path in SOURCES:
        extraction = extract_file(path)
        for link in link_extraction(extraction, TASKS):
            found.add((path.name[:3], link.task, link.statement.status))
    return found


FOUND = _found()


def test_links_against_the_curated_updates_are_precise() -> None:
    """docs/extract.md reports these figures: precision first, recall as it comes."""
    correct = FOUND & GOLD
    precision = len(correct) / len(FOUND)
    recall = len(correct) / len(GOLD)
    assert precision >= 0.9, sorted(FOUND - GOLD)
    assert recall >= 0.5, sorted(GOLD - FOUND)
    completions = {f for f in FOUND if f[2] == COMPLETED}
    assert completions <= GOLD, sorted(completions - GOLD)  # no false completion


def test_the_issue_examples_are_found() -> None:
    assert ("001", "task-003-036", COMPLETED) in FOUND  # UNESCO geopark recognised
    assert ("004", "task-003-039", COMPLETED) in FOUND  # QL4B Km18-Km80 started
    assert ("001", "task-003-005", COMPLETED) in FOUND  # provincial plan submitted


def test_in_progress_is_never_a_completion() -> None:
    text = ("TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024\n\n"
            "Dự án cao tốc cửa khẩu Hữu Nghị - Chi Lăng đang triển khai thi công.\n\n"
            "Thực hiện sắp xếp đơn vị hành chính, trong đó đã hoàn thành đề án cấp xã.\n")
    statuses = [s.status for s in statements_in(logical_lines(text))]
    assert statuses == [IN_PROGRESS, IN_PROGRESS]


def test_the_task_section_holds_no_statements() -> None:
    text = ("TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024\n\n"
            "Đã khởi công Dự án tuyến cao tốc cửa khẩu Hữu Nghị - Chi Lăng.\n\n"
            "Phần II\n\nNHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV NĂM 2024\n\n"
            "Triển khai các cơ chế, chính sách đã ban hành cho doanh nghiệp.\n")
    [statement] = extract_text(text).progress
    assert statement.status == COMPLETED and statement.phrase == "Đã khởi công"
    assert statement.quote.startswith("Đã khởi công Dự án")


def test_ambiguous_or_later_tasks_are_not_linked() -> None:
    index = TaskIndex([
        KnownTask("a", "Đôn đốc dự án cao tốc cửa khẩu Hữu Nghị - Chi Lăng", date(2023, 6, 30)),
        KnownTask("b", "Giám sát dự án cao tốc cửa khẩu Hữu Nghị - Chi Lăng", date(2023, 6, 30)),
        KnownTask("c", "Xây dựng Khu liên hợp thể thao tỉnh", date(2025, 1, 1)),
    ])
    [statement] = statements_in(logical_lines(
        "TÌNH HÌNH 9 THÁNG NĂM 2024\n\nĐã khởi công dự án cao tốc cửa khẩu Hữu Nghị - Chi Lăng."))
    assert index.link(statement, date(2024, 9, 30)) is None  # two tasks fit equally
    [sport] = statements_in(logical_lines(
        "TÌNH HÌNH 9 THÁNG NĂM 2024\n\nĐã khởi công Khu liên hợp thể thao tỉnh Lạng Sơn."))
    assert index.link(sport, date(2024, 9, 30)) is None  # assigned after the report


def test_ingest_asserts_linked_statements_as_task_updates() -> None:
    extraction = extract_file(SOURCES[0])  # 001, 9 months of 2024
    link_extraction(extraction, TASKS)
    updates = [f for f in plan_ingest(extraction).facts if f.kind == "task_update"]
    assert updates and {f.payload["as_of"] for f in updates} == {"2024-09-30"}
    for fact in updates:
        assert fact.payload["extracted"] is True and fact.key.startswith("upd-x-001")
        assert fact.source is not None and fact.source.quote and fact.source.line
        assert fact.as_of == date(2024, 9, 30)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_any_text_is_read_without_crashing(text: str) -> None:
    lines = logical_lines(text)
    statements = statements_in(lines)
    index = TaskIndex(TASKS[:40])
    for statement in statements:
        assert statement.status in (COMPLETED, IN_PROGRESS)
        index.link(statement)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["đã hoàn thành", "đang triển khai", "trong đó", "đã trình",
                                 "dự án", "cao tốc", ";", ".", ",", "\n", "2024", "Tiếp tục",
                                 "biểu quyết công nhận", " ", "x"]), max_size=60))
def test_statement_like_text_gives_verbatim_quotes(words: list[str]) -> None:
    text = " ".join(words)
    for statement in statements_in(logical_lines(text)):
        assert " ".join(statement.quote.split()) in " ".join(text.split())
    continuing_directive(text)


def test_continuing_directives() -> None:
    assert continuing_directive("Tiếp tục hội đàm với phía Trung Quốc để sớm thông quan")
    assert continuing_directive("Chỉ đạo chăm sóc cây trồng; cung ứng đầy đủ, kịp thời giống")
    assert not continuing_directive("Tiếp tục tham mưu, hoàn thành Đề án vị trí việc làm")
    assert not continuing_directive("Tăng cường tuyên truyền, phấn đấu đạt 95%", "95%")
    assert not continuing_directive("Thành lập Ban chỉ đạo Hội khoẻ Phù Đổng")


def test_extract_and_ingest_commands_show_and_assert_task_updates(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from kg.dataset import load_into
    from kg.log import open_log
    from service.cli.app import build_app

    runner = CliRunner()
    source = str(SOURCES[0])  # 001
    r = runner.invoke(build_app(), ["extract", source, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    linked = {(u["task"], u["status"]) for u in data["task_updates"]}
    assert ("task-003-036", COMPLETED) in linked and data["progress"]
    db = tmp_path / "k.db"
    with open_log(db) as log:
        load_into(log)
    r = runner.invoke(build_app(), ["ingest", source, "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    facts = [f for f in json.loads(r.output)["facts"] if f["kind"] == "task_update"]
    assert {(f["payload"]["task"], f["payload"]["status"]) for f in facts} == linked
    with open_log(db) as log:
        stored = [f for f in log.current("task_update") if f.key.startswith("upd-x-")]
    assert len(stored) == len(facts)
