"""Reading report text into logical lines: hard wraps, footnote blocks, glued markers.

Excerpts are verbatim from data/langson/sources (file and line in each test)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KehoachError
from kg.extract import extract_text, logical_lines, read_document
from kg.extract.markers import strip_markers
from kg.extract.text import TextError

SEP = " " * 43

# 003, lines 230-249: a page's footnotes 4 and 5 dropped into the middle of a sentence.
PAGE_BREAK = "\n".join([
    "tác, liên kết sản xuất và tiêu thụ sản phẩm nông nghiệp, nông thôn trên địa bàn ",
    "",
    SEP,
    "4 Trong đó: Lúa ước đạt 15.585 ha, tăng 1,4% so với cùng kỳ; ngô 13.763 ha, tăng 0,1%; "
    "rau các loại 5.866 ha, ",
    "",
    "tăng 0,6%; khoai tây 621 ha, tăng 4,3%; thuốc lá 2.472 ha, tăng 5,8%; ớt 1.479 ha, "
    "tăng 6,6%; thạch đen 2.030 ",
    "",
    "ha, giảm 22,1% so với cùng kỳ do khó khăn trong khâu tiêu thụ sản phẩm. ",
    "5 Trong đó: Tổng đàn trâu hiện có 62.615 con, giảm 2,11% so với cùng kỳ; đàn đàn bò "
    "27.680 con, giảm 2%; ",
    "",
    "đàn lợn 169.561 con, tăng 1,8%; đàn gia cầm 6.238 nghìn con, tăng 2,08%.  ",
    " tỉnh6. Triển khai thực hiện phân cấp quy trình đánh giá, phân hạng sản phẩm ",
])


def test_hard_wraps_with_blank_lines_are_joined_keeping_line_numbers() -> None:
    # 001, lines 160-164
    text = ("hoạch đề ra, tổng diện tích gieo trồng cây hằng năm ước 94.375 ha, đạt 99,5% \n\n"
            "kế hoạch, tăng 0,56% so với cùng kỳ. Tổng sản lượng lương thực ước trên 320,6 \n\n"
            "nghìn tấn, đạt 104,5% kế hoạch, tăng 4,9% so với cùng kỳ. ")
    [line] = logical_lines(text)
    assert "đạt 99,5% kế hoạch, tăng 0,56%" in line.text
    assert line.line_at(line.text.index("kế hoạch, tăng")) == 3
    assert line.line_at(line.text.index("nghìn tấn")) == 5


def test_footnote_block_is_lifted_out_of_the_sentence() -> None:
    lines = logical_lines(PAGE_BREAK)
    body = [line for line in lines if line.footnote is None]
    notes = {line.footnote: line for line in lines if line.footnote is not None}
    assert set(notes) == {4, 5}
    assert notes[4].text.endswith("tiêu thụ sản phẩm.")
    assert "địa bàn tỉnh6. Triển khai" in body[0].text
    assert body[0].line_at(body[0].text.index("tỉnh6")) == 12
    assert notes[5].first_line == 9


def test_word_export_footnotes_interrupting_a_paragraph() -> None:
    # 002, lines 27-37 (shortened): the sentence resumes after the footnote lines
    text = ("trong đó xuất khẩu 280 triệu USD, nhập khẩu 160 triệu USD; lũy kế 11 tháng ước "
            "đạt 4.595 triệu USD, đạt 120,9% kế hoạch, tăng 70,6%\n\n"
            "¹ Chủ yếu là diện tích gieo trồng rau vụ Đông 164,8ha và 3,2ha diện tích trồng cây "
            "khoai tây.\n\n"
            "so với cùng kỳ, trong đó, xuất khẩu 2.680 triệu USD, đạt 206,2% kế hoạch, "
            "tăng 214,2%")
    lines = logical_lines(text)
    assert [line.footnote for line in lines] == [None, 1]
    assert "tăng 70,6% so với cùng kỳ, trong đó, xuất khẩu" in lines[0].text
    assert lines[0].line_at(lines[0].text.index("so với cùng kỳ, trong")) == 5


@pytest.mark.parametrize(("raw", "clean", "marker"), [
    ("điều hòa không khí tăng 2,37%⁵. Đến nay", "điều hòa không khí tăng 2,37%. Đến nay", 5),
    ("Lạng Sơn lần thứ XI năm \n202431, tham gia", "Lạng Sơn lần thứ XI năm \n2024, tham gia",
     31),
    ("44,1% kế hoạch31; vốn NSTW", "44,1% kế hoạch; vốn NSTW", 31),
    ("Thu nội địa 2.148 tỷ đồng28, đạt", "Thu nội địa 2.148 tỷ đồng, đạt", 28),
    ("(năm 2023 đạt 81,5%)15. Lãnh đạo", "(năm 2023 đạt 81,5%). Lãnh đạo", 15),
])
def test_glued_footnote_markers_are_removed(raw: str, clean: str, marker: int) -> None:
    result = strip_markers(raw.replace("\n", " "))
    assert result.text == clean.replace("\n", " ")
    assert [n for n, _ in result.markers] == [marker]


@pytest.mark.parametrize("text", [
    "nước máy 8.803,0 nghìn m³, đạt 90,8%",  # 002 line 51: a unit, not footnote 3
    "đá các loại 1.989 nghìn m3, đạt 45,6%",  # 003 line 403
    "Dự án Nâng cấp đoạn Km18-Km80, quốc lộ 4B",  # 002 line 59: codes stay
    "Nghị quyết số 111/2024/QH15 ngày 18/01/2024",
])
def test_units_and_codes_are_not_markers(text: str) -> None:
    assert strip_markers(text).text == text


def test_read_document_refuses_unknown_types(tmp_path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(TextError) as info:
        read_document(path)
    assert info.value.code == "extract_file_type"
    assert "tệp" in info.value.message


def test_read_docx_paragraphs(tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Xuất khẩu hàng địa phương ước 122 triệu USD, đạt 72,2% kế hoạch.")
    path = tmp_path / "report.docx"
    document.save(str(path))
    assert "đạt 72,2% kế hoạch" in read_document(path)


def test_broken_docx_is_a_kehoach_error(tmp_path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(TextError):
        read_document(path)


PIECES = st.sampled_from(
    list("0123456789.,;:%()/- \n\t ¹²³⁵³aăâđêôơưbcdhkmnqrtuvxyÐĐ")
    + ["đạt ", "vượt ", "bằng ", "% kế hoạch", " dự toán", "Nghị quyết số ", "ngày ",
       "/NQ-HĐND", "-NQ/TW", "lũy kế ", " tháng ", "năm 2024", "trước ngày ", "ước ",
       "NHIỆM VỤ TRỌNG TÂM\n", " " * 43 + "\n", "tỷ đồng", "triệu USD", "phấn đấu ",
       "sau khi ", "Sở Y tế chủ trì ", "quý IV ", "cùng kỳ", "tỷ lệ ", ": "])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_arbitrary_text_raises_only_kehoach_errors(text: str) -> None:
    try:
        extract_text(text)
    except KehoachError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_raises_only_kehoach_errors(text: str) -> None:
    try:
        extract_text(text)
    except KehoachError:
        pass


def test_a_bold_dash_list_item_opens_a_new_logical_line() -> None:
    # data/corpus/BTC_2025_CV-18590-BTC-PTHT_giai-ngan-von-dau-tu-cong.md, lines 27-29
    text = ("- **Tổng số vốn đã phân bổ** là **1.035.078,9 tỷ đồng**.\n\n"
            "-** Chưa thực hiện phân bổ** chỉ tiết là **45.749,96 tỷ đồng** vốn NSTW.\n")
    assert [line.first_line for line in logical_lines(text)] == [1, 3]


def test_a_wrapped_item_going_on_with_a_number_stays_one_line() -> None:
    # data/corpus/VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md, lines 203-216 (shortened)
    text = ("a) Bộ Khoa học và Công nghệ: **(1)** trình Thủ tướng Chính phủ Chương trình; **(4)**\n"
            "phủ sóng 5G trên phạm vi toàn quốc, phải đạt 90% trong năm 2025 (đến nay mới đạt\n"
            "39,5%); **(5)** Phối hợp với các bộ, ngành tháo gỡ các khó khăn.\n")
    [line] = logical_lines(text)
    assert "mới đạt 39,5%" in line.text and line.line_at(line.text.index("39,5")) == 3


@pytest.mark.parametrize(("slip", "mended"), [("kể hoạch", "kế hoạch"), ("lűy kế", "lũy kế"),
                                              ("Lủy kế", "Lũy kế"), ("dư toán", "dự toán")])
def test_tone_mark_slips_are_mended_for_matching_only(slip: str, mended: str) -> None:
    # data/corpus/BTC_2025_CV-18590-BTC-PTHT_giai-ngan-von-dau-tu-cong.md, lines 7 and 41
    clean = strip_markers(f"đạt 56,6% {slip} giao")
    assert clean.text == f"đạt 56,6% {mended} giao" and len(clean.index) == len(clean.text)
