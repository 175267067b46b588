"""Cited documents, on verbatim excerpts of data/langson/sources (file and line given)."""

from __future__ import annotations

from kg.extract import extract_text


def cited(text: str) -> list[tuple]:
    return [(c.kind, c.number, c.date, c.issuer) for c in extract_text(text).citations]


def test_state_number_with_date_and_issuer() -> None:
    # 001, lines 33-35
    text = ("Kinh doanh bất động sản, Luật Hợp tác xã..., Nghị quyết số 111/2024/QH15 \n\n"
            "ngày 18/01/2024 của Quốc hội về một số cơ chế, chính sách đặc thù thực hiện ")
    [law, resolution] = extract_text(text).citations
    assert (resolution.kind, resolution.number, resolution.date, resolution.issuer) == (
        "Nghị quyết", "111/2024/QH15", "2024-01-18", "Quốc hội")
    assert resolution.subject and resolution.subject.startswith("về một số cơ chế")
    assert resolution.quote.startswith("Nghị quyết số 111/2024/QH15 ngày 18/01/2024")
    assert resolution.line == 1
    assert (law.kind, law.number, law.subject) == ("Luật", None, "Hợp tác xã")


def test_citation_without_so() -> None:
    # 001, lines 1773-1775
    text = ("5. Tổ chức thực hiện Kế hoạch tái cơ cấu ngành công thương theo Quyết \n\n"
            "định 165/QĐ-TTg của Thủ tướng chính phủ; nghiên cứu triển khai các dự án ")
    assert cited(text) == [("Quyết định", "165/QĐ-TTg", None, "Thủ tướng chính phủ")]


def test_party_number_split_across_lines() -> None:
    # 003, lines 1868-1872
    text = ("Tham mưu tổng kết 10 năm thực hiện Chương trình hành động số 91-\n\n"
            "CTr/TU ngày 30/10/2012 của Ban Chấp hành Đảng bộ tỉnh thực hiện Nghị \n\n"
            "quyết số 20-NQ/TW ngày 01/11/2012 Hội nghị lần thứ sáu Ban Chấp hành ")
    [programme, resolution] = extract_text(text).citations
    assert (programme.kind, programme.number, programme.date) == (
        "Chương trình hành động", "91-CTr/TU", "2012-10-30")
    assert programme.issuer == "Ban Chấp hành Đảng bộ tỉnh"
    assert (resolution.kind, resolution.number, resolution.date) == (
        "Nghị quyết", "20-NQ/TW", "2012-11-01")
    assert resolution.line == 3


def test_comma_before_the_date() -> None:
    # 003, lines 303 and 649
    text = ("Quyết định số 148/QĐ-TTg, ngày 24/02/2023 của Thủ tướng Chính phủ về việc ban "
            "hành Bộ tiêu chí. Nghị quyết số 20-NQ/TW, ngày 16/6/2022 của Ban Chấp hành "
            "Trung ương Đảng khoá XIII về tiếp tục đổi mới.")
    assert cited(text) == [
        ("Quyết định", "148/QĐ-TTg", "2023-02-24", "Thủ tướng Chính phủ"),
        ("Nghị quyết", "20-NQ/TW", "2022-06-16", "Ban Chấp hành Trung ương Đảng"),
    ]


def test_same_number_for_two_documents_stays_two() -> None:
    # 003, line 649 (2022) and line 1874 (2012): numbers restart, the date tells them apart
    text = ("Nghị quyết số 20-NQ/TW, ngày 16/6/2022 của Ban Chấp hành Trung ương. Thực hiện "
            "Nghị quyết số 20-NQ/TW ngày 01/11/2012 Hội nghị lần thứ sáu.")
    keys = {(c.number, c.date) for c in extract_text(text).citations}
    assert keys == {("20-NQ/TW", "2022-06-16"), ("20-NQ/TW", "2012-11-01")}


def test_a_date_belongs_only_to_the_number_before_it() -> None:
    # 003, line 1931
    text = ("Nghị quyết số 110-NQ/TU và Đề án số 06-ĐA/TU ngày 27/4/2023 của Ban \n\n"
            "Thường vụ Tỉnh ủy về “xây dựng lực lượng Công an")
    assert cited(text) == [
        ("Nghị quyết", "110-NQ/TU", None, "TU"),
        ("Đề án", "06-ĐA/TU", "2023-04-27", "Ban Thường vụ Tỉnh ủy"),
    ]


def test_number_alone_takes_its_kind_from_the_symbol_and_ranges_are_not_numbers() -> None:
    text = ("theo Nghị quyết 04/NQ-CP. Văn bản 4456/BKHĐT-TH; giai đoạn 2021 - 2025; "
            "khu vực mốc 1119-1120; đoạn Km18-Km80.")
    assert cited(text) == [
        ("Nghị quyết", "04/NQ-CP", None, "CP"),
        ("Văn bản", "4456/BKHĐT-TH", None, "BKHĐT"),
    ]
