"""Targets of plans, resolutions and decisions (chỉ tiêu, mục tiêu): each form on a verbatim
excerpt of a real document (file and line given), read through the public ``extract_text``;
results and vague aims are not targets; properties of generated sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import extract_text
from kg.notation import parse_expression

PLAN_TITLE = ("**KẾ HOẠCH**\n\nPHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI "
              "GIAI ĐOẠN 2026 - 2030\n\n")


def targets(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(t.expression, t.unit, t.period) for t in extract_text(text).targets]


def test_target_list_under_a_heading_with_its_year() -> None:
    # data/corpus/DongNai_2025_KH-179-UBND.md, lines 94-104
    text = PLAN_TITLE + ("**II. MỤC TIÊU**\n\n**1. Phát triển kinh tế số đến\nnăm 2030 "
                         "(16 mục tiêu)**\n\n**a) Mục tiêu chung (6 mục tiêu)**\n\n"
                         "(1) Tỷ trọng kinh tế số đạt tối thiểu 30% GRDP;\n\n"
                         "(2) Tỷ trọng kinh tế số trong từng ngành, lĩnh vực\n"
                         "đạt tối thiểu 20%;\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit, t.period) for t in result] == [
        ("tối thiểu 30", "%", "2030"), ("tối thiểu 20", "%", "2030")]
    assert result[0].indicator == "Tỷ trọng kinh tế số"
    assert result[1].indicator == "Tỷ trọng kinh tế số trong từng ngành, lĩnh vực"
    assert result[0].line == 12
    assert result[1].quote == ("Tỷ trọng kinh tế số trong từng ngành, lĩnh vực\n"
                               "đạt tối thiểu 20%").replace("\n", " ")


def test_leading_100_percent_names_its_noun_after_it() -> None:
    # DongNai_2025_KH-179-UBND.md, line 128
    text = PLAN_TITLE + ("**II. MỤC TIÊU**\n\n(3) 100% các giao dịch trên nền tảng thương mại "
                         "điện tử có hóa đơn điện tử;\n")
    (target,) = extract_text(text).targets
    assert (target.expression, target.unit, target.period) == ("100", "%", "2026-2030")
    assert target.indicator == "các giao dịch trên nền tảng thương mại điện tử có hóa đơn điện tử"


def test_age_in_the_indicator_is_not_a_target() -> None:
    # DongNai_2025_KH-179-UBND.md, lines 153-154
    text = PLAN_TITLE + ("**II. MỤC TIÊU**\n\n(1) Tỷ lệ dân số từ 15 tuổi trở lên có điện thoại\n"
                         "thông minh đạt tối thiểu 95%;\n")
    assert targets(text) == [("tối thiểu 95", "%", "2026-2030")]


def test_sentence_year_wins_over_the_section_span() -> None:
    # data/corpus/TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md, lines 124-141
    text = ("**I. MỤC TIÊU**\n2. Mục tiêu cụ thể giai đoạn 2026 - 2030\n"
            "- Tại thành phố Hà Nội, nồng độ bụi PM2.5\ntrung bình năm vào năm 2030 đạt dưới "
            "40 μg/m3 tại các điểm đo. Tỷ lệ số ngày trong năm có chỉ số VN_AQI ở mức tốt "
            "đạt tối thiểu 80%.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit, t.period) for t in result] == [
        ("dưới 40", "μg/m3", "2030"), ("tối thiểu 80", "%", "2026-2030")]
    assert result[0].indicator == "nồng độ bụi PM2.5 trung bình năm"


def test_comma_list_of_shares_gives_one_target_each() -> None:
    # data/langson/sources/004_99c63b744d9b7249.txt, lines 267-273
    text = ("II. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH NĂM 2025\n"
            "2. Các chỉ tiêu chủ yếu\n"
            "- Tốc độ tăng trưởng kinh tế (GRDP): 7,5 - 8%.\n"
            "- Cơ cấu kinh tế: Nông lâm nghiệp chiếm 21 - 22%, công nghiệp - xây dựng 24 - 25%, "
            "dịch vụ 50 - 51%, thuế sản phẩm trừ trợ cấp sản phẩm 4 - 5%.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.period) for t in result] == [
        ("7,5 - 8", "2025"), ("21 - 22", "2025"), ("24 - 25", "2025"), ("50 - 51", "2025"),
        ("4 - 5", "2025")]
    assert [t.indicator for t in result[1:3]] == ["Nông lâm nghiệp", "công nghiệp - xây dựng"]
    assert all(t.unit == "%" for t in result)


def test_counts_before_their_noun_and_per_ten_thousand() -> None:
    # 004, lines 280 and 284
    text = ("II. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH NĂM 2025\n"
            "- Xây dựng thêm 09 xã đạt chuẩn nông thôn mới.\n"
            "- Duy trì số xã đạt Bộ tiêu chí quốc gia về y tế xã đạt 100%; 11,5 bác sỹ và 34 "
            "giường bệnh trên 1 vạn dân; tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit) for t in result] == [
        ("09", "xã"), ("100", "%"), ("11,5", "bác sỹ"), ("34", "giường"), ("95", "%")]
    assert result[0].indicator == "Xây dựng thêm xã đạt chuẩn nông thôn mới"
    assert result[3].indicator == "giường bệnh trên 1 vạn dân"


def test_strive_sentence_outside_a_target_section() -> None:
    # 004, line 303 and data/langson/sources/003_22b2837769dd8b7a.txt, line 1810
    text = ("III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU NĂM 2025\n"
            "Tăng cường hỗ trợ doanh nghiệp. Phấn đấu thành lập mới trên 600 doanh nghiệp.\n"
            "Thực hiện các chính sách giảm nghèo, phấn đấu giảm tỷ lệ hộ nghèo cả năm trên 3%.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit, t.period) for t in result] == [
        ("trên 600", "doanh nghiệp", "2025"), ("trên 3", "%", "2025")]
    assert result[1].indicator == "giảm tỷ lệ hộ nghèo"


def test_from_and_upwards_and_down_to() -> None:
    text = ("Nhiệm vụ năm 2026\n"
            "Phấn đấu tăng trưởng GRDP từ 8% trở lên; giảm tỷ lệ hộ nghèo xuống dưới 1,5%.\n")
    assert targets(text) == [("từ 8% trở lên", "%", "2026"), ("dưới 1,5", "%", "2026")]


def test_plan_restated_in_a_report() -> None:
    # 003, line 540
    text = ("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2023\n\n"
            "Tổng kế hoạch vốn đầu tư công năm 2023 là 3.891,923 tỷ đồng.\n")
    (target,) = extract_text(text).targets
    assert (target.expression, target.unit, target.period) == ("3.891,923", "tỷ đồng", "2023")
    assert target.indicator == "Tổng kế hoạch vốn đầu tư công"


def test_quarter_end_is_a_cumulative_period() -> None:
    # data/corpus/TTg_2025_CD-159-CD-TTg_chinh-sach-tai-khoa.md, line 19
    text = "Phấn đấu đến hết quý III năm 2025, tỷ lệ giải ngân đạt 60% kế hoạch.\n"
    assert targets(text) == [("60", "% kế hoạch", "9T/2025")]


def test_share_of_the_plan_or_budget_keeps_its_basis_in_the_unit() -> None:
    # 004, line 249; tests/kg/test_extract_cli.py REPORT
    text = ("IV. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN TRONG 6 THÁNG CUỐI NĂM 2024\n"
            "Đẩy mạnh giải ngân vốn đầu tư công, phấn đấu giải ngân trên 95% kế hoạch được giao. "
            "Sở Tài chính chủ trì rà soát các khoản thu, phấn đấu thu nội địa đạt trên 95% dự "
            "toán.\n")
    result = extract_text(text).targets
    assert [(t.indicator, t.expression, t.unit, t.period) for t in result] == [
        ("giải ngân", "trên 95", "% kế hoạch", "2024"),
        ("thu nội địa", "trên 95", "% dự toán", "2024")]
    assert result[1].quote == "thu nội địa đạt trên 95% dự toán"


def test_results_are_not_targets() -> None:
    # 004, lines 18 and 30; data/langson/sources/001_423ec5bd75490e40.txt, line 280
    text = ("I. ĐÁNH GIÁ TÌNH HÌNH KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024\n"
            "Tổ chức giao kế hoạch vốn năm 2024 đúng mục tiêu, đạt 99,5% kế hoạch (năm 2023 "
            "đạt 81,5%).\n"
            "Ước đến hết năm 2024, hoàn thành các chỉ tiêu về y tế, tỷ lệ người dân tham gia "
            "bảo hiểm y tế đạt 94,45%.\n"
            "Xuất khẩu hàng địa phương ước 122 triệu USD, đạt 72,2% kế hoạch.\n"
            "Hoàn thành phê duyệt 100% đề án vị trí việc làm.\n")
    assert targets(text) == []


def test_vague_aims_and_goal_counts_are_not_targets() -> None:
    text = ("**II. MỤC TIÊU**\n\n**1. Phát triển kinh tế số đến năm 2030 (16 mục tiêu)**\n\n"
            "Phấn đấu nâng cao chất lượng nguồn nhân lực, hoàn thành 07 mục tiêu còn lại.\n"
            "Mục tiêu đến năm 2030 có Kế hoạch 5 năm được phê duyệt tại Quyết định số "
            "224/QĐ-TTg ngày 07 tháng 3 năm 2024.\n")
    assert targets(text) == []


def test_every_expression_parses() -> None:
    text = ("II. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH NĂM 2025\n"
            "- Tổng vốn đầu tư phát triển trên địa bàn khoảng 40 - 41 nghìn tỷ đồng.\n"
            "- Giảm tai nạn giao thông cả 3 tiêu chí từ 5% trở lên, giảm tội phạm hình sự từ 3% "
            "trở lên.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit) for t in result] == [
        ("khoảng 40 - 41", "nghìn tỷ đồng"), ("từ 5% trở lên", "%"), ("từ 3% trở lên", "%")]
    for target in result:
        parse_expression(target.expression)


NOUNS = ["hộ", "gia đình", "doanh nghiệp", "dịch vụ công", "trực tuyến", "nông thôn", "rừng",
         "che phủ", "người dân", "tham gia", "bảo hiểm y tế", "được tiếp cận", "Internet",
         "băng rộng", "kinh tế số", "trong GRDP", "có tài khoản", "thanh toán", "xã", "đô thị"]
INDICATORS = st.tuples(st.sampled_from(["tỷ lệ", "tỷ trọng", "Tỷ lệ"]),
                       st.lists(st.sampled_from(NOUNS), min_size=1, max_size=6)).map(
    lambda parts: " ".join([parts[0], *parts[1]]))
PERCENTS = st.one_of(st.integers(1, 99).map(str),
                     st.tuples(st.integers(1, 99), st.integers(1, 9)).map(
                         lambda p: f"{p[0]},{p[1]}"))


@settings(max_examples=60, deadline=None)
@given(year=st.integers(2025, 2050), indicator=INDICATORS, number=PERCENTS)
def test_generated_strive_sentence_gives_exactly_its_target(year: int, indicator: str,
                                                            number: str) -> None:
    text = f"Phấn đấu đến năm {year}, {indicator} đạt trên {number}%.\n"
    (target,) = extract_text(text).targets
    assert (target.period, target.expression, target.unit) == (str(year), f"trên {number}", "%")
    assert target.indicator == indicator
    assert target.line == 1


@settings(max_examples=60, deadline=None)
@given(year=st.integers(2020, 2050), indicator=INDICATORS, number=PERCENTS)
def test_generated_estimate_is_never_a_target(year: int, indicator: str, number: str) -> None:
    for text in (f"Năm {year}, {indicator} ước đạt {number}%.\n",
                 f"**II. MỤC TIÊU**\n\nNăm {year}, {indicator} ước đạt {number}%.\n",
                 f"Phấn đấu năm {year}: {indicator} đã đạt {number}%.\n"):
        assert extract_text(text).targets == []


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    for target in extract_text(text).targets:
        parse_expression(target.expression)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "Phấn đấu", "đến năm 2030", ",", "tỷ lệ", "đạt", "trên", "tối thiểu", "100%", "7 - 7,5%",
    "từ", "trở lên", "ước", "**II. MỤC TIÊU**\n", "\n", "(1)", ";", ".", "khoảng", "xã",
    "5 năm", "giai đoạn 2026 - 2030", ":", "(", ")", "“", "”", "\n|\n", "\nTT\n",
    "\nChỉ tiêu\n", "\nKế hoạch\n", "\nNăm 2026\n", "\n| STT | Chỉ tiêu | KH 2026 |\n",
    "\nThời hạn hoàn thành\n", "\n- ", "\nI\n", "\n1\n", "(%)", "Đạt",
]), max_size=40))
def test_target_words_in_any_order_never_raise(words: list[str]) -> None:
    for separator in (" ", "\n"):
        for target in extract_text(separator.join(words)).targets:
            parse_expression(target.expression)
            assert target.line >= 1


def test_table_one_cell_per_line_reads_the_plan_column() -> None:
    # 004, lines 67-100 (a PDF table exported one cell per line)
    text = "\n".join([
        "II. ƯỚC THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024",
        "TT", "Chỉ tiêu", "Kế hoạch", "Giai   đoạn   2021 -   2023", "Ước TH   cả năm   2024",
        "Đánh giá thực hiện", "I", "Các chỉ tiêu kinh tế", "1",
        "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) (%)", "7 - 7,5", "7,0", "6,33",
        "Không đạt", "2", "Cơ cấu kinh tế (%)", "Không đạt", "- Nông, lâm nghiệp", "23 - 24",
        "21,87", "21,57", "4", "Lượng khách du lịch (nghìn lượt)", "4.060", "3.919", "4.160",
        "Vượt", "Doanh thu du lịch (tỷ đồng)", "4.300", "3.135", "4.320", "7",
        "Giảm tỷ lệ hộ nghèo (%)", ">3", "2,73", "2,0", "Không đạt",
        "IV. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN TRONG 6 THÁNG CUỐI NĂM 2024", ""])
    result = extract_text(text).targets
    assert [(t.indicator, t.expression, t.unit, t.period, t.line) for t in result] == [
        ("Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)", "7 - 7,5", "%", "2024", 12),
        ("Nông, lâm nghiệp", "23 - 24", "%", "2024", 20),
        ("Lượng khách du lịch", "4.060", "nghìn lượt", "2024", 25),
        ("Doanh thu du lịch", "4.300", "tỷ đồng", "2024", 30),
        ("Giảm tỷ lệ hộ nghèo", ">3", "%", "2024", 35),
    ]


def test_table_span_column_and_past_span_is_a_baseline() -> None:
    # 004, lines 344-358: "Kế hoạch 2021 - 2025" is the target column
    text = "\n".join([
        "IV. DỰ KIẾN KHẢ NĂNG HOÀN THÀNH CÁC MỤC TIÊU KẾ HOẠCH 5 NĂM 2021 - 2025",
        "TT", "Chỉ tiêu", "Kế hoạch   2021 -   2025", "Ước TH   2021 -   2025",
        "Đánh giá mức độ hoàn thành", "I", "Các chỉ tiêu kinh tế", "1",
        "Tổng sản phẩm trên địa bàn bình quân đầu người (USD)", "2.900 - 3.000", "2.903,3",
        "Đạt", ""])
    assert targets(text) == [("2.900 - 3.000", "USD", "2021-2025")]


def test_pipe_table_with_a_column_per_year() -> None:
    text = "\n".join([
        "KẾ HOẠCH PHÁT TRIỂN KINH TẾ SỐ GIAI ĐOẠN 2026 - 2030", "",
        "|", "STT", "|", "Chỉ tiêu", "|", "Đơn vị tính", "|", "Năm 2026", "|", "Năm 2027", "|",
        "|", "1", "|", "Tỷ trọng kinh tế số trong GRDP", "|", "%", "|", "20", "|", "22", "|",
        "|", "2", "|", "Tỷ lệ hồ sơ trực tuyến toàn trình", "|", "%", "|", "≥ 80", "|",
        "≥ 85", "|", ""])
    result = extract_text(text).targets
    assert [(t.indicator, t.expression, t.unit, t.period) for t in result] == [
        ("Tỷ trọng kinh tế số trong GRDP", "20", "%", "2026"),
        ("Tỷ trọng kinh tế số trong GRDP", "22", "%", "2027"),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", "≥ 80", "%", "2026"),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", "≥ 85", "%", "2027"),
    ]
    assert result[1].line == 23


def test_task_table_row_is_dated_by_its_time_column_not_by_a_date() -> None:
    # data/corpus/TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md, lines 700-770 (shape)
    text = "\n".join([
        "II. NHIỆM VỤ, GIẢI PHÁP", "",
        "|", "STT", "|", "Cơ quan chủ trì", "|", "Nội dung nhiệm vụ", "|", "Chỉ tiêu đạt được",
        "|", "Thời hạn hoàn thành", "|",
        "|", "1", "|", "Bộ Nông nghiệp và Môi trường", "|", "Xây dựng Nhãn sinh thái", "|",
        "- Bộ tiêu chí được ban hành, có ít nhất 02 loại hình sản phẩm được cấp", "|",
        "Giai đoạn 2026 - 2027", "|",
        "|", "2", "|", "Bộ Xây dựng", "|", "Kiểm soát bụi", "|",
        "- 100% các công trình xây dựng lớn tuân thủ các biện pháp giảm bụi", "|",
        "31/10/2026", "|", ""])
    result = extract_text(text).targets
    assert [(t.expression, t.unit, t.period) for t in result] == [
        ("ít nhất 02", "loại hình sản phẩm", "2026-2027"), ("100", "%", None)]


def test_lead_in_line_with_a_year_dates_the_list_after_it() -> None:
    # TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md, lines 1498-1500
    text = ("- Đạt mục tiêu về công trình xanh vào năm 2030:\n"
            "Hà Nội có tối thiểu 200 công trình, Thành phố Hồ Chí Minh có tối thiểu 500\n"
            "công trình.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit, t.period, t.line) for t in result] == [
        ("tối thiểu 200", "công trình", "2030", 2), ("tối thiểu 500", "công trình", "2030", 2)]
    assert [t.indicator for t in result] == ["Hà Nội có công trình",
                                             "Thành phố Hồ Chí Minh có công trình"]


def test_document_numbers_progress_and_has_been_are_not_targets() -> None:
    # data/corpus/VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md, lines 1092, 2513;
    # data/langson/sources/001_423ec5bd75490e40.txt, line 585
    text = ("Phấn đấu triển khai Kế hoạch 02 và Đề án 06 đúng tiến độ.\n"
            "Có 3321/3321 đơn vị cấp xã hoàn thành việc lựa chọn ít nhất 02 cán bộ.\n"
            "Các công trình tại các xã phấn đấu đạt chuẩn năm 2024 đã được khởi công xây dựng, "
            "tiến độ bình quân đạt 55%.\n")
    assert targets(text) == []


def test_numbered_items_without_full_stops_are_targets_not_headings() -> None:
    # the shape of an HĐND resolution on the annual plan (Điều 1 ... Các chỉ tiêu chủ yếu)
    text = ("NGHỊ QUYẾT\nVỀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026\n\n"
            "Điều 1. Mục tiêu, chỉ tiêu chủ yếu\n2. Các chỉ tiêu chủ yếu\na) Về kinh tế\n"
            "1. GRDP bình quân đầu người đạt 150 triệu đồng/người\n"
            "2. Tỷ lệ hộ nghèo giảm bình quân 1-1,5%/năm\n"
            "3. Tổng vốn đầu tư toàn xã hội: 95.000 tỷ đồng\n"
            "Điều 2. Tổ chức thực hiện\n")
    result = extract_text(text).targets
    assert [(t.indicator, t.expression, t.unit, t.period) for t in result] == [
        ("GRDP bình quân đầu người", "150", "triệu đồng/người", "2026"),
        ("Tỷ lệ hộ nghèo giảm bình quân", "1-1,5", "%/năm", "2026"),
        ("Tổng vốn đầu tư toàn xã hội", "95.000", "tỷ đồng", "2026"),
    ]


def test_lead_in_governs_its_whole_list_and_base_years_are_not_periods() -> None:
    text = ("Mục tiêu đến năm 2025:\n- 100% xã có nhà văn hóa đạt chuẩn;\n"
            "- Tỷ lệ hộ nghèo giảm xuống dưới 2%.\n"
            "Phấn đấu đến năm 2030, thu nhập bình quân đầu người gấp 2,5 lần năm 2020.\n")
    assert targets(text) == [("100", "%", "2025"), ("dưới 2", "%", "2025"),
                             ("2,5", "lần", "2030")]


def test_plan_given_then_result_so_far_keeps_the_plan_only() -> None:
    text = ("Kế hoạch vốn năm 2025 được giao là 2.500 tỷ đồng, đến nay đã giải ngân 1.200 tỷ "
            "đồng, đạt 48% kế hoạch.\n")
    (target,) = extract_text(text).targets
    assert (target.indicator, target.expression, target.unit, target.period) == (
        "Kế hoạch vốn", "2.500", "tỷ đồng", "2025")


def test_markdown_table_plan_column_beside_an_estimate() -> None:
    text = ("KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026\n\n"
            "| STT | Chỉ tiêu | ĐVT | Ước TH 2025 | KH 2026 | So sánh (%) |\n"
            "|---|---|---|---|---|---|\n"
            "| 1 | Tốc độ tăng trưởng GRDP | % | 7,8 | 8 - 8,5 | |\n"
            "| 2 | Thu ngân sách nhà nước | tỷ đồng | 12.500 | 13.800 | 110,4 |\n")
    result = extract_text(text).targets
    assert [(t.indicator, t.expression, t.unit, t.period, t.line) for t in result] == [
        ("Tốc độ tăng trưởng GRDP", "8 - 8,5", "%", "2026", 5),
        ("Thu ngân sách nhà nước", "13.800", "tỷ đồng", "2026", 6)]


def test_amount_measured_against_the_plan_is_a_result() -> None:
    # data/langson/sources/001_423ec5bd75490e40.txt, line 509; 002, line 23
    text = ("Trong đó: Giá trị khối lượng thực hiện của các dự án thuộc kế hoạch Trung ương giao: "
            "1.862,3 tỷ đồng, đạt 51,7% kế hoạch.\n"
            "Đã khởi công 115/115 công trình hạ tầng tại 10 xã phấn đấu đạt chuẩn nông thôn mới "
            "năm 2023, tiến độ thi công bình quân đạt khoảng 75%.\n")
    assert targets(text) == []


def test_table_row_name_implies_a_rate_or_a_count_unit() -> None:
    # 004, lines 389-420
    text = "\n".join([
        "IV. DỰ KIẾN KHẢ NĂNG HOÀN THÀNH CÁC MỤC TIÊU KẾ HOẠCH 5 NĂM 2021 - 2025",
        "TT", "Chỉ tiêu", "Kế hoạch   2021 -   2025", "Ước TH   2021 -   2025",
        "Đánh giá mức độ hoàn thành", "6", "Thu nội địa tăng bình quân", "8 - 9", "(-4,33)",
        "Không đạt", "3", "Số trường học đạt chuẩn quốc gia đến năm 2025", "300", "304", "Vượt",
        ""])
    assert targets(text) == [("8 - 9", "%", "2021-2025"), ("300", "trường", "2021-2025")]


def test_life_expectancy_per_mille_and_ages_in_names() -> None:
    text = ("Phấn đấu năm 2026, tuổi thọ trung bình đạt 75,5 tuổi; tỷ suất tử vong trẻ em dưới "
            "1 tuổi giảm xuống còn 10‰; tỷ lệ dân số từ 15 tuổi trở lên có tài khoản đạt 90%.\n")
    assert targets(text) == [("75,5", "tuổi", "2026"), ("10", "‰", "2026"), ("90", "%", "2026")]


def test_year_of_an_earlier_clause_stays_with_it() -> None:
    # TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md, lines 605-610
    text = ("II. NHIỆM VỤ, GIẢI PHÁP\n"
            "- Đảm bảo mục tiêu 100% phương tiện giao thông công cộng sử dụng năng lượng sạch vào "
            "năm 2030; có chính sách cụ thể để hỗ trợ 100% phương tiện giao thông công cộng.\n"
            "Phấn đấu đến năm 2030: tỷ lệ che phủ rừng đạt 65%; tỷ lệ đô thị hóa đạt 40%.\n")
    assert targets(text) == [("100", "%", "2030"), ("100", "%", None), ("65", "%", "2030"),
                             ("40", "%", "2030")]


def test_year_in_a_named_document_is_not_the_target_period() -> None:
    # TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md, lines 569-573
    text = ("II. NHIỆM VỤ, GIẢI PHÁP\n"
            "- Kết nối các trạm quan trắc theo Quy hoạch tổng thể quan trắc môi trường quốc gia "
            "giai đoạn 2021 - 2030 được phê duyệt; đảm bảo 100% dữ liệu quan trắc được kết nối.\n")
    assert targets(text) == [("100", "%", None)]


def test_under_a_report_heading_a_figure_by_itself_needs_a_later_year() -> None:
    # VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md, line 102-110; 004, line 46
    text = ("Hà Nội, ngày 25 tháng 11 năm 2025\n\nI. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN\n"
            "Công tác chuyển đổi số đã đạt kết quả nổi bật: (1) ban hành nhiều văn bản; (2) nguồn "
            "lực được tăng cường, bổ sung 25.000 tỷ đồng từ nguồn tăng thu năm 2025 và bảo đảm "
            "mức tối thiểu 3% tổng chi ngân sách nhà nước cho các nhiệm vụ về KHCN trong năm "
            "2026.\nHoàn thành phê duyệt 100% đề án vị trí việc làm.\n")
    assert targets(text) == [("tối thiểu 3", "%", "2026")]


def test_year_columns_of_a_report_are_results() -> None:
    text = "\n".join([
        "BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2025", "",
        "|", "STT", "|", "Chỉ tiêu", "|", "Đơn vị tính", "|", "Năm 2024", "|", "Năm 2025", "|",
        "Năm 2026", "|",
        "|", "1", "|", "Tỷ lệ hộ nghèo", "|", "%", "|", "2,1", "|", "1,6", "|", "1,2", "|", ""])
    assert targets(text) == [("1,2", "%", "2026")]


def test_sentence_opening_with_a_share_is_a_target_in_a_plan() -> None:
    # data/corpus/DongThap_2023_KH-556-UBND_thuc-hien-NQ-48-NQ-CP.md, lines 249-253
    text = ("III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU\n"
            "+ Phát triển ngành thủy sản toàn diện. Có ít nhất 02 vùng dự án nuôi thủy sản công "
            "nghệ cao. Có 30% diện tích nuôi thủy sản chủ lực áp dụng các quy trình sản xuất "
            "tiên tiến.\n")
    result = extract_text(text).targets
    assert [(t.expression, t.unit) for t in result] == [("ít nhất 02", "vùng dự án"), ("30", "%")]
    assert result[1].indicator == ("diện tích nuôi thủy sản chủ lực áp dụng các quy trình sản "
                                   "xuất tiên tiến")
