"""Tables of text and Markdown exports: pipe-line tables, Markdown rows, .docx rows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.tables import tables_in

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"

HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def pipe_table(rows: list[list[str]]) -> str:
    """A table written as the corpus exports write it: each row "|" cell "|" ... "|",
    every "|" and every cell line on its own line."""
    out: list[str] = []
    for row in rows:
        out.append("|")
        for cell in row:
            out.extend(cell.split("\n"))
            out.append("|")
    return "\n".join(out)


def test_pipe_table_rows_header_and_lines() -> None:
    text = ("Văn bản trước bảng.\n" + pipe_table([
        HEADER,
        ["1", "Rà soát, xây dựng quy định\nvề kinh tế số", "Sở Tư pháp",
         "Các sở, ban, ngành", "2026 - 2030"],
        ["2", "Triển khai nền tảng", "Sở Tài chính", "UBND các xã", "Năm 2026"],
    ]) + "\n\nVăn bản sau bảng.")
    [table] = tables_in(text)
    assert table.header is not None and table.header.texts() == HEADER
    assert [row.texts()[2] for row in table.rows] == ["Sở Tư pháp", "Sở Tài chính"]
    assert table.rows[0].cells[1].text == "Rà soát, xây dựng quy định về kinh tế số"
    lines = text.split("\n")
    for row in table.rows:
        for cell in row.cells:
            assert lines[cell.line - 1].strip() == cell.text.split(" ")[0] or \
                cell.text.startswith(lines[cell.line - 1].strip())
    assert table.column("chủ\\s+trì") == 2
    assert table.column("phối\\s+hợp") == 3
    assert table.column("không có") is None


def test_corpus_task_table_of_a_decision() -> None:
    # TTg 2530/QĐ-TTg, Phụ lục I: STT | Cơ quan chủ trì | Cơ quan phối hợp | ... | Thời hạn
    text = (CORPUS / "TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md").read_text(encoding="utf-8")
    tables = tables_in(text)
    [table] = [t for t in tables if t.header and t.first_line == 693]
    assert table.width == 7
    lead, due = table.column("chủ\\s+trì"), table.column("thời\\s+hạn")
    [row] = [r for r in table.rows if r.line == 1473]
    assert row.cells[lead].text == "UBND thành phố Hà Nội, UBND Thành phố Hồ Chí Minh"
    assert row.cells[due].text.startswith("Giai đoạn 2026 - 2027")
    # the body of the decision between the header table and the appendix is no table
    assert not any(t.first_line <= 300 <= t.last_line for t in tables)


def test_corpus_notice_tables_split_at_each_header() -> None:
    # TB 624/TB-VPCP: three appendix tables, each with its header, headings between them
    text = (CORPUS / "VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md").read_text(
        encoding="utf-8")
    headed = [t for t in tables_in(text) if t.header]
    assert len(headed) >= 3
    first = headed[0]
    assert first.header is not None and first.header.texts()[3] == "Cơ quan chủ trì thực hiện"
    assert [row.texts()[0] for row in first.rows] == [f"{n}." for n in range(1, 10)]
    assert first.rows[2].texts()[3:] == ["Bộ Tài chính", "31/05/2025"]


def test_markdown_rows() -> None:
    text = "| Chỉ tiêu | Kế hoạch |\n|---|---|\n| Tăng trưởng GRDP | 7 - 7,5% |\n"
    [table] = tables_in(text)
    assert table.header is not None and table.header.texts() == ["Chỉ tiêu", "Kế hoạch"]
    assert table.rows[0].texts() == ["Tăng trưởng GRDP", "7 - 7,5%"]
    assert table.rows[0].line == 3


def test_docx_rows_as_read_document_writes_them() -> None:
    text = "TT | Nhiệm vụ | Cơ quan chủ trì\n1 | Rà soát quy hoạch | Sở Xây dựng\n"
    [table] = tables_in(text)
    assert table.header is not None
    assert table.rows[0].texts() == ["1", "Rà soát quy hoạch", "Sở Xây dựng"]


def test_plain_text_has_no_table() -> None:
    assert tables_in("Căn cứ Luật Tổ chức chính quyền địa phương;\n\nGiao Sở Tài chính.") == []


_WORD = st.text(alphabet="abcdeđơưăâêôAĐỆ0123456789,.;()-", min_size=1, max_size=12)
_CELL = st.lists(_WORD, min_size=1, max_size=6).map(" ".join).filter(
    lambda s: s.strip() not in {"STT", "TT"})


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=7).flatmap(
    lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width),
                           min_size=1, max_size=6)))
def test_random_cells_round_trip_through_a_pipe_table(body: list[list[str]]) -> None:
    width = len(body[0])
    header = (HEADER + ["Ghi chú", "Kết quả"])[:width]
    text = "Văn bản.\n" + pipe_table([header, *body]) + "\n\nHết."
    [table] = tables_in(text)
    assert table.header is not None and table.header.texts() == header
    assert [row.texts() for row in table.rows] == [[" ".join(c.split()) for c in row]
                                                   for row in body]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    for table in tables_in(text):
        assert all(cell.line >= 1 for row in table.rows for cell in row.cells)
