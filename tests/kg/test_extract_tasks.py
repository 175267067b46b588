"""Tasks of a report's task section: owner stated or implied, deadline, condition, target."""

from __future__ import annotations

from kg.extract import extract_text

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
