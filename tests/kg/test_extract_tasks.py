"""Tasks: a report's task section (owner stated or implied, deadline, condition, target) and
any document's directives, items addressed to agencies and task tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import extract_text, logical_lines, read_document
from kg.extract.header import read_header
from kg.extract.model import Task
from kg.extract.tasks import tasks_in
from kg.notation import parse_period

HEADER = ("TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024\n\n"
          "Tổng thu ngân sách ước 7.353,5 tỷ đồng, đạt 98,2% dự toán.\n\n"
          "Phần II\n\nNHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV NĂM 2024\n\n")


def tasks(text: str) -> list:
    return extract_text(HEADER + text).tasks


def test_report_body_before_the_task_section_gives_no_tasks() -> None:
    result = extract_text(HEADER)
    assert result.tasks == []
    assert len(result.observations) == 1


def test_implied_owner_and_section_deadline() -> None:
    # 001, lines 1819-1821 (shortened)
    [task] = tasks("6. Tập trung xây dựng kết cấu hạ tầng, đẩy mạnh giải ngân nguồn vốn đầu "
                   "tư công, phấn đấu giải ngân trên 95% kế hoạch được giao.")
    assert (task.agency, task.agency_stated) == ("UBND tỉnh", False)
    assert task.deadline_text == "trong QUÝ IV NĂM 2024"
    assert task.deadline == "2024-12-31"
    assert task.target == "trên 95%"
    assert task.summary.startswith("Tập trung xây dựng kết cấu hạ tầng")
    assert task.quote.startswith("6. Tập trung")


def test_stated_owner_and_written_deadline() -> None:
    [task] = tasks("Sở Kế hoạch và Đầu tư chủ trì tổng hợp, báo cáo UBND tỉnh trước ngày "
                   "05/7/2023.")
    assert (task.agency, task.agency_stated) == ("Sở Kế hoạch và Đầu tư", True)
    assert (task.deadline_text, task.deadline) == ("trước ngày 05/7/2023", "2023-07-05")


def test_conditional_deadline_never_falls_due() -> None:
    # 002, line 175: "khi có quyết định của Thủ tướng Chính phủ phê duyệt"
    [task] = tasks("Tiếp tục tham mưu thành lập Trung tâm Xúc tiến Đầu tư, sau khi Thủ tướng "
                   "Chính phủ phê duyệt Đề án.")
    assert task.deadline is None
    assert task.condition == "sau khi Thủ tướng Chính phủ phê duyệt Đề án"
    assert (task.agency, task.agency_stated) == ("UBND tỉnh", False)


def test_body_a_plan_is_submitted_to_is_not_the_owner() -> None:
    [task] = tasks("Trình HĐND tỉnh thông qua Nghị quyết về kế hoạch phát triển kinh tế - xã "
                   "hội năm 2025 tại kỳ họp cuối năm.")
    assert (task.agency, task.agency_stated) == ("UBND tỉnh", False)


# ---------------------------------------------------------------------------------------------
# Any document: directives, plans, notices (kg.extract.tasks.tasks_in)
# ---------------------------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
PLAN = "**KẾ HOẠCH**\n\nTRIỂN KHAI CHUYỂN ĐỔI SỐ NĂM 2026\n\n"


def directive(text: str, year: int = 2025) -> list[Task]:
    """Tasks of a plan (not a report) whose body is ``text``."""
    return tasks_in(logical_lines(PLAN + text), parse_period(str(year)))


def corpus_tasks(name: str) -> list[Task]:
    lines = logical_lines(read_document(CORPUS / name))
    header = read_header(lines)
    return tasks_in(lines, header.period or parse_period(str(header.year)))


def at(tasks: list[Task], line: int) -> list[Task]:
    return [task for task in tasks if task.line == line]


@pytest.mark.parametrize(("sentence", "due"), [
    # VPCP 624/TB-VPCP l.174
    ("Thanh tra Chính phủ ban hành trước ngày 25 tháng 11 năm 2025.", "2025-11-25"),
    # the example, which once became 2025-12-31
    ("Bộ Tài chính báo cáo Thủ tướng Chính phủ trước ngày 16 tháng 12 năm 2025.", "2025-12-16"),
    ("Sở Tài chính tổng hợp, báo cáo UBND tỉnh trước 16/12/2025.", "2025-12-16"),
    ("Các sở gửi báo cáo về Sở Tài chính chậm nhất ngày 20/12/2025.", "2025-12-20"),
    # VPCP l.241
    ("Văn phòng Chính phủ chủ trì tham mưu sửa đổi Nghị định số 118/2025/NĐ-CP, hoàn thành "
     "trong tháng 12 năm 2025.", "2025-12-31"),
    ("Sở Xây dựng ban hành quy chuẩn trong quý I năm 2026.", "2026-03-31"),
    ("Sở Y tế hoàn thành bệnh án điện tử trong năm 2026.", "2026-12-31"),
    ("Sở Công Thương thí điểm vùng phát thải thấp trong giai đoạn 2026 - 2027.", "2027-12-31"),
    # CD 159/CĐ-TTg l.41
    ("Các Bộ, cơ quan, địa phương phấn đấu giải ngân tối thiểu 60% kế hoạch đến hết quý III "
     "năm 2025.", "2025-09-30"),
    # KH 556/KH-UBND Đồng Tháp l.744-747: a day without its year, in italics
    ("Các đơn vị, địa phương định kỳ hàng năm báo cáo kết quả thực hiện về Sở Nông nghiệp và "
     "Môi trường chậm nhất *ngày 17 tháng 12.*", "2025-12-17"),
])
def test_written_deadlines(sentence: str, due: str) -> None:
    [task] = directive(sentence)
    assert task.deadline == due
    assert task.agency_stated


def test_continuing_directive_has_no_deadline() -> None:
    [task] = directive("Đài Truyền hình Việt Nam xây dựng các chuyên mục về chất lượng không "
                       "khí, thực hiện thường xuyên, liên tục.")
    assert (task.deadline, task.continuing) == (None, True)


def test_condition_is_kept_as_condition() -> None:
    [task] = directive("Sở Tài chính phân bổ kinh phí khi được cấp có thẩm quyền phê duyệt.")
    assert task.deadline is None
    assert task.condition == "khi được cấp có thẩm quyền phê duyệt"


def test_a_document_date_or_a_title_horizon_is_no_deadline() -> None:
    [task] = directive("Các bộ, ngành khẩn trương xây dựng kế hoạch theo Thông báo số "
                       "07-TB/CQTTBCĐ ngày 15/10/2025 và Chiến lược đến năm 2030.")
    assert task.deadline is None


def test_numbered_item_of_a_notice_addresses_its_clauses() -> None:
    # VPCP 624/TB-VPCP l.203-221 (shortened)
    tasks = directive("a) Bộ Khoa học và Công nghệ: **(1)** trình Thủ tướng Chính phủ Chương "
                      "trình quốc gia, hoàn thành trong tháng 11 năm 2025; **(2)** chủ trì, phối "
                      "hợp với các bộ, ngành, Tập đoàn FPT, CMC khẩn trương hoàn thành Bộ công "
                      "cụ theo dõi trước ngày 10 tháng 12 năm 2025.")
    assert [(t.agency, t.deadline) for t in tasks] == [
        ("Bộ Khoa học và Công nghệ", "2025-11-30"), ("Bộ Khoa học và Công nghệ", "2025-12-10")]
    assert tasks[1].support == ["các bộ, ngành", "Tập đoàn FPT, CMC"]


def test_lead_and_support_of_an_item_carry_to_its_bullets() -> None:
    # CD 159/CĐ-TTg l.15-25
    tasks = directive(
        "(1) Bộ Tài chính chủ trì, phối hợp với các cơ quan liên quan tiếp tục thực hiện chính "
        "sách tài khóa mở rộng hợp lý, trong đó:\n\n"
        "- Rà soát, hoàn thiện thể chế, chính sách về thuế phù hợp với tình hình.\n\n"
        "- Khẩn trương hoàn thiện báo cáo Bộ Chính trị, báo cáo Ban Thường vụ Đảng ủy Chính phủ "
        "trước ngày 10 tháng 9 năm 2025.\n\n"
        "(2) Thanh tra Chính phủ khẩn trương xây dựng kế hoạch thanh tra hoạt động tín dụng.\n")
    assert [t.agency for t in tasks] == ["Bộ Tài chính"] * 3 + ["Thanh tra Chính phủ"]
    assert all(t.support == ["các cơ quan liên quan"] for t in tasks[:3])
    assert tasks[2].deadline == "2025-09-10"
    assert tasks[0].continuing  # "tiếp tục"


def test_section_addressed_to_agencies() -> None:
    tasks = directive("**II. CÁC SỞ, BAN, NGÀNH**\n\n"
                      "1. Rà soát thủ tục hành chính thuộc lĩnh vực quản lý, hoàn thành trong "
                      "quý I năm 2026.\n\n"
                      "2. Thường trực Tỉnh ủy chỉ đạo các cấp ủy quán triệt Kế hoạch này.\n")
    assert [(t.agency, t.agency_stated) for t in tasks] == [
        ("CÁC SỞ, BAN, NGÀNH", True), ("Thường trực Tỉnh ủy", True)]


def test_assignment_names_lead_and_support() -> None:
    [task] = directive("Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ và UBND các xã "
                       "triển khai thực hiện Kế hoạch.")
    assert (task.agency, task.support) == ("Sở Tài chính", ["Sở Nội vụ", "UBND các xã"])


def test_implied_issuer_only_when_nothing_names_a_lead() -> None:
    [task] = directive("Đẩy mạnh tuyên truyền về chuyển đổi số trên các phương tiện thông tin.")
    assert (task.agency, task.agency_stated) == ("UBND tỉnh", False)


@pytest.mark.parametrize("text", [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 12/TTr-STC.",
    "Nơi nhận:\n- Như trên;\n- Thường trực Tỉnh ủy;\n- Lưu: VT, KTN.",
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An",
    "Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT. Mọi hành vi sao chép là vi phạm.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.",
    # the execution clause of every decision assigns nothing beyond carrying it out
    "Chánh Văn phòng UBND tỉnh, Giám đốc các sở, Thủ trưởng các ban, ngành chịu trách "
    "nhiệm thi hành Quyết định này.",
    "Năm 2025, Sở Tài chính đã ban hành 12 văn bản hướng dẫn thực hiện.",
    "Ban Chỉ đạo của Chính phủ thống nhất kết luận như sau:",
    "**I. MỤC ĐÍCH, YÊU CẦU**\n\nTriển khai đồng bộ, hiệu quả các nhiệm vụ của Chiến lược.",
    # the same heading wrapped over two lines (KH 556/KH-UBND l.32-33)
    "**I. MỤC\nĐÍCH, YÊU CẦU**\n\n- Triển khai đồng bộ, hiệu quả các nhiệm vụ của Chiến lược.",
])
def test_never_tasks(text: str) -> None:
    assert directive(text) == []


def test_recipients_after_the_body_give_no_task() -> None:
    tasks = directive("Sở Tài chính tổng hợp kết quả, báo cáo UBND tỉnh.\n\n"
                      "Nơi nhận:\n- Bộ Tài chính;\n- Các sở, ban, ngành;\n- Lưu: VT.\n\n"
                      "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nVõ Tấn Đức\n")
    assert [t.agency for t in tasks] == ["Sở Tài chính"]


def test_task_table_rows_and_bullets() -> None:
    # the corpus writes tables one cell per run of lines, "|" alone on a line (QĐ 2530 Phụ lục I)
    table = "\n".join([
        "|", "STT", "|", "Cơ quan chủ trì", "|", "Cơ quan phối hợp", "|", "Nội dung nhiệm vụ",
        "|", "Thời hạn hoàn thành", "|",
        "|", "1", "|", "Bộ Công an", "|", "- Bộ Tài chính;", "- Bộ Xây dựng.", "|",
        "- Xây dựng quy chuẩn khí thải", "phương tiện giao thông.", "- Ban hành lộ trình áp dụng.",
        "|", "Ban hành trong quý I năm 2026", "|",
        "|", "- Thí điểm vùng phát thải thấp tại đô thị lớn.", "|",
        "Giai đoạn 2026 - 2027", "|",
    ])
    tasks = directive("Phụ lục\n\n" + table + "\n\nHết.")
    assert [(t.agency, t.deadline, t.line) for t in tasks] == [
        ("Bộ Công an", "2026-03-31", 26), ("Bộ Công an", "2026-03-31", 28),
        ("Bộ Công an", "2027-12-31", 33)]
    assert tasks[2].summary == "Thí điểm vùng phát thải thấp tại đô thị lớn"
    assert tasks[0].support == ["Bộ Tài chính", "Bộ Xây dựng"]


def test_procedure_table_is_no_task_table() -> None:
    table = "\n".join(["|", "TT", "|", "Cơ quan, bộ phận, người thực hiện", "|",
                       "Nội dung công việc", "|", "Thời gian", "|",
                       "|", "1", "|", "Bộ phận một cửa", "|", "Tiếp nhận và kiểm tra hồ sơ đất đai",
                       "|", "01 ngày", "|"])
    assert directive(table + "\n\nHết.") == []


def test_corpus_notice_624_leads_and_deadlines() -> None:
    tasks = corpus_tasks("VPCP_2025_TB-624-VPCP_ban-chi-dao-chuyen-doi-so.md")
    [inspector] = at(tasks, 174)
    assert (inspector.agency, inspector.deadline) == ("Thanh tra Chính phủ", "2025-11-25")
    [health] = [t for t in at(tasks, 259)]
    assert (health.agency, health.deadline) == ("Bộ Y tế", "2025-12-31")
    # appendix table row: "Bộ Tài chính | 31/05/2025"
    [law] = at(tasks, 379)
    assert (law.agency, law.deadline) == ("Bộ Tài chính", "2025-05-31")
    assert not [t for t in tasks if t.line < 140]  # header, results, shortcomings


def test_corpus_dispatch_without_sections() -> None:
    tasks = corpus_tasks("TTg_2025_CD-159-CD-TTg_chinh-sach-tai-khoa.md")
    dated = [t for t in tasks if t.line == 25]
    assert [(t.agency, t.deadline) for t in dated] == [("Bộ Tài chính", "2025-09-10")]
    assert {t.agency for t in tasks if 63 <= t.line <= 77} == {"Ngân hàng Nhà nước Việt Nam"}


def test_corpus_plan_table_gives_the_units() -> None:
    tasks = corpus_tasks("DongNai_2025_KH-179-UBND.md")
    [row] = at(tasks, 1622)
    assert (row.agency, row.deadline) == ("Sở Tư pháp", "2030-12-31")
    assert row.support == ["Các sở, ban, ngành", "UBND các phường, xã"]
    assert not [t for t in tasks if t.line < 1300 and not t.agency_stated]
    assert not [t for t in tasks if 1564 <= t.line <= 1582]  # Nơi nhận, signature


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_any_written_date_is_that_deadline(day: date) -> None:
    [task] = directive(f"Sở Tài chính báo cáo UBND tỉnh trước ngày {day.day} tháng {day.month} "
                       f"năm {day.year}.")
    assert task.deadline == day.isoformat()


_NAME = st.sampled_from(["Bộ Tài chính", "Sở Nội vụ", "Thường trực Tỉnh ủy", "UBND các xã",
                         "Các sở, ban, ngành", "Công an tỉnh", "Chánh, các PCVP UBND tỉnh"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=8))
def test_a_recipient_list_never_yields_a_task(names: list[str]) -> None:
    recipients = "\n".join(f"- {name};" for name in names)
    text = f"Sở Tài chính tổng hợp, báo cáo UBND tỉnh.\n\nNơi nhận:\n{recipients}\n- Lưu: VT.\n"
    assert [t.agency for t in directive(text)] == ["Sở Tài chính"]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_random_text_never_raises(text: str) -> None:
    for task in directive(text):
        assert task.line >= 1


def test_quoted_article_of_another_document_gives_no_task() -> None:
    # BTC_2025_bang-giai-ngan l.39-53: a page quoting Luật Đầu tư công, then its own heading
    tasks = directive("Theo Điều 17 Luật Đầu tư công 2024 quy định về các hành vi bị nghiêm "
                      "cấm trong đầu tư công như sau:\n\n- Đưa, nhận, môi giới hối lộ.\n\n"
                      "- Sử dụng vốn đầu tư công không đúng mục đích, không đúng đối tượng.\n\n"
                      "**II. NHIỆM VỤ**\n\nSở Tài chính tổng hợp, báo cáo UBND tỉnh.\n")
    assert [t.agency for t in tasks] == ["Sở Tài chính"]


def test_report_targets_section_between_task_sections_gives_no_task() -> None:
    # Lạng Sơn 004 l.243-295: tasks for the half-year, then the next year's targets, then tasks
    result = tasks("1. Tập trung chỉ đạo thu hoạch vụ mùa, tổ chức sản xuất vụ Đông.\n\n"
                   "II. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH NĂM 2025\n\n"
                   "- Tỷ lệ hộ nghèo còn 2,02%.\n\n"
                   "- Xây dựng thêm 09 xã đạt chuẩn nông thôn mới.\n\n"
                   "III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU\n\n"
                   "Sở Tài chính chủ trì rà soát các khoản thu ngân sách.\n")
    assert [t.summary[:20] for t in result] == ["Tập trung chỉ đạo th", "Sở Tài chính chủ trì"]
