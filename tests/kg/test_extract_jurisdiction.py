"""Whose document it is: ``kg.extract.jurisdiction`` on the seeds, the corpus and made-up
headers written the way Vietnamese documents write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.jurisdiction import (
    ALL_MINISTRIES,
    ALL_PROVINCES,
    EVERYONE,
    RULES,
    agency_jurisdiction,
    read_jurisdiction,
)
from kg.extract.text import logical_lines, read_document
from kg.jurisdictions import jurisdictions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data" / "langson" / "sources").glob("0*.txt"))
CORPUS = ROOT / "data" / "corpus"

# Each corpus file, read by a person: (jurisdiction, issuing body when it differs, rule).
CORPUS_EXPECTED = {
    # "ỦY BAN NHÂN DÂN / TỈNH ĐỒNG NAI" above the motto
    "DongNai_2025_KH-179-UBND.md": ("dong-nai", None, "header"),
    "DongThap_2023_KH-556-UBND_thuc-hien-NQ-48-NQ-CP.md": ("dong-thap", None, "header"),
    "DongThap_2025_QD-thu-tuc-hanh-chinh-dat-dai.md": ("dong-thap", None, "header"),
    # "THỦ TƯỚNG CHÍNH PHỦ" above the motto (after a legal-database summary)
    "TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md": ("viet-nam", None, "header"),
    # "VĂN PHÒNG CHÍNH PHỦ": the Government Office's conclusion notice speaks for the Government
    "VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md": (
        "viet-nam", "van-phong-chinh-phu", "header"),
    # summary pages titled with the document they reproduce
    "TTg_2025_CD-159-CD-TTg_chinh-sach-tai-khoa.md": ("viet-nam", None, "title"),
    "BTC_2025_CV-18590-BTC-PTHT_giai-ngan-von-dau-tu-cong.md": ("bo-tai-chinh", None, "title"),
    # news summaries of the Ministry of Finance's letter 18590/BTC-PTHT: its figures
    "BTC_2025_bang-giai-ngan-von-dau-tu-cong.md": ("bo-tai-chinh", None, "title"),
    "2025_giai-ngan-den-27-11.md": ("bo-tai-chinh", None, "title"),
}


def _read(path: Path):
    return read_jurisdiction(logical_lines(read_document(path)))


def _quote_is_at_its_line(path: Path, line: int, quote: str) -> bool:
    source = read_document(path).split("\n")
    assert quote.split()[0] in source[line - 1]
    following = " ".join(" ".join(source[line - 1:line + 12]).split())
    return " ".join(quote.split()) in following


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_lang_son_seed_reads_lang_son(path: Path) -> None:
    found = _read(path)
    assert found.code == found.issuer == "lang-son"
    assert found.rule in RULES
    assert _quote_is_at_its_line(path, found.line, found.quote)
    assert "Lạng Sơn" in found.quote


def test_a_headerless_report_quotes_its_province_with_the_organ_when_it_can() -> None:
    found = _read(SEEDS[4])
    assert (found.rule, found.line, found.quote) == ("self_reference", 1, "UBND tỉnh Lạng Sơn")


def test_the_guidance_letter_is_told_by_its_number_and_place() -> None:
    found = _read(SEEDS[0])
    assert (found.rule, found.line) == ("place_date", 3)
    assert found.quote == "Số: /SKHĐT-THKTXH Lạng Sơn, ngày tháng 6 năm 2023"


def test_the_corpus_is_all_covered() -> None:
    assert sorted(CORPUS_EXPECTED) == sorted(p.name for p in CORPUS.glob("*.md")
                                             if p.name != "README.md")


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_every_corpus_file_reads_what_its_header_says(name: str) -> None:
    path = CORPUS / name
    found = _read(path)
    code, issuer, rule = CORPUS_EXPECTED[name]
    assert (found.code, found.issuer, found.rule) == (code, issuer or code, rule)
    assert _quote_is_at_its_line(path, found.line, found.quote)


def test_the_government_office_notice_addresses_ministries_and_two_cities() -> None:
    found = _read(CORPUS / "VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md")
    by_line = {(a.line, a.code) for a in found.addressed}
    assert {(203, "bo-khoa-hoc-va-cong-nghe"), (224, "bo-cong-an"), (250, "bo-xay-dung"),
            (279, "ha-noi"), (279, "can-tho"), (287, "bo-tai-chinh"), (270, EVERYONE)} <= by_line
    assert all(a.role == "item" for a in found.addressed)
    assert found.addressees == ["bo-khoa-hoc-va-cong-nghe", "bo-cong-an", "bo-xay-dung",
                                "ha-noi", "can-tho", "bo-tai-chinh"]
    assert {a.code for a in found.recipients} == {ALL_MINISTRIES, ALL_PROVINCES}
    assert all(a.role == "noi_nhan" for a in found.recipients)


def test_kinh_gui_and_noi_nhan_of_the_guidance_letter() -> None:
    found = _read(SEEDS[0])
    assert [(a.name, a.line, a.code, a.role) for a in found.addressed] == [
        ("Các sở, ban, ngành", 13, "lang-son", "kinh_gui"),
        ("UBND các huyện, thành phố", 14, "lang-son", "kinh_gui")]
    assert found.addressees == []  # its own province's bodies: nobody else
    assert [(a.name, a.code) for a in found.recipients] == [
        ("UBND tỉnh", "lang-son"), ("Các phòng nghiệp vụ", "lang-son")]


def test_a_provincial_plan_addresses_its_own_departments() -> None:
    found = _read(CORPUS / "DongNai_2025_KH-179-UBND.md")
    names = {a.name for a in found.addressed}
    assert {"Sở Tài chính", "Sở Y tế", "Công an tỉnh", "Sở Nông nghiệp và Môi trường"} <= names
    assert found.addressees == []
    assert ("bo-khoa-hoc-va-cong-nghe", "Bộ Khoa học và Công nghệ") in {
        (a.code, a.name) for a in found.recipients}


def _lines(text: str):
    return logical_lines(text)


HEADERS = [
    ("BỘ TÀI CHÍNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 1234/BTC-NSNN\nHà Nội, ngày 02 tháng 3 năm 2025\n", "bo-tai-chinh", "header", 1),
    ("UBND TỈNH LẠNG SƠN\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\n----\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\n", "lang-son", "header", 1),
    ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "ha-noi",
     "header", 1),
    ("ĐẢNG BỘ TỈNH BẮC NINH\nTỈNH ỦY\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-NQ/TU\n", "bac-ninh",
     "header", 1),
    ("VĂN PHÒNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 99/TB-VPCP\n", "viet-nam",
     "header", 1),
    ("Số: 4456/BKHĐT-TH\nHà Nội, ngày 10 tháng 6 năm 2023\nV/v xây dựng kế hoạch\n",
     "bo-ke-hoach-va-dau-tu", "number", 1),
    ("ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/UBND-KT\n"
     "Cao Bằng, ngày 01 tháng 02 năm 2024\n", "cao-bang", "place_date", 3),
    ("Số: 77/BC-UBND\nHà Nội, ngày 3 tháng 3 năm 2025\nBÁO CÁO\n", "ha-noi", "place_date", 1),
    ("Số hiệu: | 5/2025/QĐ-XYZ\nNơi ban hành: | Tỉnh Gia Lai\nNgười ký: A\n", "gia-lai",
     "metadata", 2),
    # PDF text: the number line between the block and the motto, the motto's words glued,
    # the hyphen of the number lost, the first letter of the block dropped
    ("ỦY BAN NHÂN DÂN\nTỈNH HẬU GIANG\nSố: 77/QĐUBND\nCỘNG HÒA XÃHỘI CHỦ NGHĨA VIỆT NAM\n",
     "hau-giang", "header", 1),
    ("Y BAN NHÂN DÂN\nTỈNH KON TUM\n-----\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "kon-tum",
     "header", 1),
    ("Số: 8/NĐCP\nHà Nội, ngày 2 tháng 2 năm 2021\nNGHỊ ĐỊNH\n", "viet-nam", "number", 1),
    ("Số: 9/QĐUBND\nPhú Yên, ngày 2 tháng 2 năm 2021\n", "phu-yen", "place_date", 1),
    ("Quyết định 4/KH-UBND năm 2019\nSố hiệu: 4/KH-UBND Loại văn bản: Kế hoạch\n"
     "Nơi ban hành: Tỉnh Bến Tre Người ký: Nguyễn Văn A\n", "ben-tre", "metadata", 3),
]


@pytest.mark.parametrize(("text", "code", "rule", "line"), HEADERS)
def test_headers_as_documents_write_them(text: str, code: str, rule: str, line: int) -> None:
    found = read_jurisdiction(_lines(text))
    assert (found.code, found.rule, found.line) == (code, rule, line)


MOTTO = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def test_names_are_read_as_of_the_document_date() -> None:
    old = read_jurisdiction(_lines("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC" + MOTTO + "Số: 3/KH-UBND\n"
                                   "Bình Phước, ngày 3\ntháng 3 năm 2024\n"))
    assert (old.code, old.date, old.current) == ("binh-phuoc", "2024-03-03", "dong-nai")
    city = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HUẾ" + MOTTO + "Số: 3/KH-UBND\nHuế, ngày 3 tháng 3 năm "
    assert read_jurisdiction(_lines(city + "2024\n")).code == "thua-thien-hue"
    assert read_jurisdiction(_lines(city + "2025\n")).code == "hue"
    plan = _read(CORPUS / "DongNai_2025_KH-179-UBND.md")
    assert (plan.date, plan.current) == ("2025-11-18", None)


def test_a_place_line_alone_tells_nothing_about_a_central_issuer() -> None:
    found = read_jurisdiction(_lines("Số: 18/BC-BYT\nHà Nội, ngày 3 tháng 3 năm 2025\n"))
    assert found.code == "bo-y-te"
    assert read_jurisdiction(_lines("Hà Nội, ngày 3 tháng 3 năm 2025\nBÁO CÁO\n")).code is None


@pytest.mark.parametrize("text", [
    "",
    "BÁO CÁO\nTình hình kinh tế - xã hội tháng 11 năm 2023\nTrong tháng, UBND tỉnh chỉ đạo ...\n",
    # a provincial report naming two provinces alike: not enough to tell
    "UBND tỉnh chỉ đạo toàn tỉnh. Hợp tác với tỉnh Cao Bằng và tỉnh Bắc Kạn.\n"
    "Đoàn công tác tỉnh Cao Bằng thăm tỉnh Bắc Kạn. Tỉnh Cao Bằng, tỉnh Bắc Kạn ký kết.\n",
    # a citation of another body's document is not the document's own number
    "Căn cứ Quyết định số 411/QĐ-TTg của Thủ tướng Chính phủ;\nKẾ HOẠCH\n",
])
def test_no_evidence_gives_none_and_says_why(text: str) -> None:
    found = read_jurisdiction(_lines(text))
    assert found.code is None and found.rule is None and found.line is None
    assert found.reason_vi and found.reason_en


def test_a_headerless_report_named_for_one_province() -> None:
    text = ("Phần I\nTÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG\nNăm 2024, UBND tỉnh tập trung chỉ đạo.\n"
            "Quy hoạch tỉnh Hà Giang được công bố. Toàn tỉnh có 10 dự án.\n"
            "Du lịch tỉnh Hà Giang tăng; hợp tác với tỉnh Tuyên Quang.\n"
            "Trên địa bàn tỉnh Hà Giang có 3 khu công nghiệp.\n")
    found = read_jurisdiction(_lines(text))
    assert (found.code, found.rule, found.line, found.quote) == (
        "ha-giang", "self_reference", 4, "tỉnh Hà Giang")


def test_a_headerless_provincial_report_is_not_taken_for_the_ministry_it_cites() -> None:
    text = ("Ngày 10/6/2023, Bộ Kế hoạch và Đầu tư ban hành Công văn số 4456/BKHĐT-TH.\n"
            "Thực hiện chỉ đạo của UBND tỉnh, toàn tỉnh triển khai.\n"
            "Kế hoạch tỉnh Sơn La năm 2024; Quy hoạch tỉnh Sơn La; du lịch tỉnh Sơn La.\n")
    assert read_jurisdiction(_lines(text)).code == "son-la"
    lead_only = "Ngày 10/6/2023, Bộ Kế hoạch và Đầu tư ban hành Công văn số 4456/BKHĐT-TH.\n"
    found = read_jurisdiction(_lines(lead_only))
    assert (found.code, found.rule, found.quote) == (
        "bo-ke-hoach-va-dau-tu", "title", lead_only.strip().rstrip("."))


def test_a_docx_header_table_read_after_the_paragraphs(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("1. Sở Tài chính: bố trí kinh phí thực hiện.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = "Số: 12/KH-UBND"
    table.cell(1, 1).text = "Bắc Ninh, ngày 02 tháng 3 năm 2026"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    found = _read(path)
    assert (found.code, found.rule, found.quote) == (
        "bac-ninh", "header", "ỦY BAN NHÂN DÂN TỈNH BẮC NINH")
    assert [(a.name, a.code) for a in found.addressed] == [("Sở Tài chính", "bac-ninh")]
    assert found.addressees == []


@pytest.mark.parametrize(("name", "issuer", "code"), [
    ("Bộ Tài chính", "viet-nam", "bo-tai-chinh"),
    ("Bộ Tài chính", "lang-son", "bo-tai-chinh"),
    ("UBND tỉnh Đồng Nai", "viet-nam", "dong-nai"),
    ("Sở Tài chính", "lang-son", "lang-son"),
    ("Sở Tài chính", "viet-nam", None),
    ("Sở Tài chính", None, None),
    ("UBND tỉnh", "dong-thap", "dong-thap"),
    ("UBND tỉnh", "bo-tai-chinh", None),
    ("Công an tỉnh", "dong-nai", "dong-nai"),
    ("Thường trực HĐND tỉnh", "lang-son", "lang-son"),
    ("UBND các huyện, thành phố", "lang-son", "lang-son"),
    ("UBND các tỉnh, thành phố trực thuộc trung ương", "viet-nam", ALL_PROVINCES),
    ("HĐND, UBND các tỉnh, thành phố trực thuộc trung ương", "viet-nam", ALL_PROVINCES),
    ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "viet-nam", ALL_MINISTRIES),
    ("Các bộ, ngành, địa phương", "viet-nam", EVERYONE),
    ("Các địa phương", "lang-son", "lang-son"),
    ("các cơ quan, đơn vị có liên quan", "dong-nai", "dong-nai"),
    ("các cơ quan, đơn vị có liên quan", "viet-nam", None),
    ("Các ngành, lĩnh vực khác", "dong-nai", "dong-nai"),
    ("phối hợp với các tỉnh, thành phố", "lang-son", None),
    ("các tỉnh, thành phố", "lang-son", ALL_PROVINCES),
    ("Các bộ phận chuyên môn", "viet-nam", None),
    ("Đài Phát thanh và Truyền hình tỉnh", "lang-son", "lang-son"),
    ("Đối với Phụ lục biểu mẫu cấp tỉnh", "lang-son", None),
    ("Thủ tướng Chính phủ", "lang-son", "viet-nam"),
    ("Văn phòng Chính phủ", "viet-nam", "van-phong-chinh-phu"),
    ("Bộ trưởng Bộ Y tế", "viet-nam", "bo-y-te"),
    ("Tình hình kinh tế tỉnh", "lang-son", None),
    ("Số liệu thống kê", "lang-son", None),
    ("Bộ Công Thương chủ trì, phối hợp với các bộ, ngành liên quan", "viet-nam", None),
    ("Như trên", "lang-son", None),
    ("Ban Chỉ đạo của Chính phủ", "viet-nam", None),
])
def test_agency_jurisdiction(name: str, issuer: str | None, code: str | None) -> None:
    assert agency_jurisdiction(name, issuer) == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    found = read_jurisdiction(logical_lines(text))
    assert found.code is None or found.rule in RULES
    agency_jurisdiction(text[:60], "lang-son")


def _bodies(kind: str):
    return jurisdictions(kind)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_bodies("province")), st.sampled_from(
    ["UBND", "Ủy ban nhân dân", "HĐND", "Sở Tài chính", "Công an", "Sở Nông nghiệp và Môi trường"]),
    st.sampled_from([None, "viet-nam", "lang-son", "bo-tai-chinh"]))
def test_a_body_of_a_named_province_is_that_province(province, organ, issuer) -> None:
    assert agency_jurisdiction(f"{organ} {province.full_name}", issuer) == province.code


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_bodies("ministry") + _bodies("central_body")),
       st.sampled_from([None, "viet-nam", "dong-nai"]))
def test_a_central_body_is_itself_whoever_writes(body, issuer) -> None:
    assert agency_jurisdiction(body.name, issuer) == body.code
    assert agency_jurisdiction(body.name.upper(), issuer) == body.code


@st.composite
def _provincial_header(draw: st.DrawFn):
    province = draw(st.sampled_from(jurisdictions("province", dt.date(2026, 1, 1))))
    organ = draw(st.sampled_from(["ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "UBND"]))
    place = province.full_name.upper()
    lines = draw(st.sampled_from([[organ, place], [f"{organ} {place}"],
                                  [f"{organ} {place}", "SỞ TÀI CHÍNH"]]))
    rule = draw(st.sampled_from(["-------", "", "|"]))
    motto = draw(st.sampled_from(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                  "CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM"]))
    day = draw(st.integers(1, 28))
    text = "\n".join([*lines, rule, motto, "Độc lập - Tự do - Hạnh phúc", f"Số: {day}/KH-UBND",
                      f"{province.name}, ngày {day} tháng 3 năm 2026", "KẾ HOẠCH", "Căn cứ …"])
    return province.code, text


@settings(max_examples=150, deadline=None)
@given(_provincial_header())
def test_any_province_header_reads_its_province(case) -> None:
    code, text = case
    found = read_jurisdiction(logical_lines(text))
    assert (found.code, found.issuer, found.rule, found.line) == (code, code, "header", 1)
    assert found.date is not None and found.date.startswith("2026-03-")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([j for j in jurisdictions("ministry", dt.date(2026, 1, 1)) if j.symbols]),
       st.booleans())
def test_any_ministry_reads_by_its_header_or_its_number(ministry, with_header) -> None:
    header = f"{ministry.name.upper()}\n-------\n" if with_header else ""
    text = (f"{header}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/{ministry.symbols[0]}-KH\n"
            "Hà Nội, ngày 5 tháng 1 năm 2026\n")
    found = read_jurisdiction(logical_lines(text))
    assert found.issuer == ministry.code
    assert found.rule == ("header" if with_header else "number")
