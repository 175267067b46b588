"""What a percentage is compared with (căn cứ so sánh): the plan, the budget, last year.

``PLAN_BASES`` is the registry, longest phrase first: "đạt 67,4% kế hoạch đầu năm" compares
with the plan as first set, "đạt 70,9% kế hoạch sau điều chỉnh" with the revised plan, "đạt
98,2% dự toán" with the budget estimate. "cùng kỳ" (the same period last year) is not a plan.
"""

from __future__ import annotations

import re

PLAN_BASES: tuple[tuple[str, str], ...] = (
    ("kế hoạch vốn kéo dài", "ke_hoach_von"),
    ("kế hoạch vốn", "ke_hoach_von"),
    ("kế hoạch đầu năm", "ke_hoach_dau_nam"),
    ("kế hoạch sau điều chỉnh", "ke_hoach_dieu_chinh"),
    ("kế hoạch điều chỉnh", "ke_hoach_dieu_chinh"),
    ("kế hoạch thủ tướng chính phủ giao", "ke_hoach_thu_tuong_giao"),
    ("kế hoạch thủ tướng giao", "ke_hoach_thu_tuong_giao"),
    ("kế hoạch giao chi tiết", "ke_hoach_thu_tuong_giao"),
    ("tổng kế hoạch giao", "ke_hoach"),
    ("kế hoạch được giao", "ke_hoach"),
    ("kế hoạch giao", "ke_hoach"),
    ("kế hoạch năm", "ke_hoach"),
    ("kế hoạch", "ke_hoach"),
    ("kh", "ke_hoach"),
    ("dự toán trung ương giao", "du_toan_trung_uong"),
    ("dự toán trung ương", "du_toan_trung_uong"),
    ("dự toán hđnd tỉnh giao", "du_toan_tinh"),
    ("dự toán tỉnh giao", "du_toan_tinh"),
    ("dự toán địa phương giao", "du_toan_tinh"),
    ("dự toán", "du_toan"),
    ("chỉ tiêu giao", "ke_hoach"),
    ("chỉ tiêu được giao", "ke_hoach"),
    ("chỉ tiêu kế hoạch", "ke_hoach"),
    ("chỉ tiêu", "ke_hoach"),
    ("mục tiêu", "muc_tieu"),
)
"""Plan bases (căn cứ kế hoạch) as written → code, longest first."""

SAME_PERIOD = "cung_ky"
"""Code of "cùng kỳ" / "so với cùng kỳ": a year-on-year comparison, not a plan."""

_ALTERNATIVES = sorted([p for p, _ in PLAN_BASES] + ["cùng kỳ"], key=len, reverse=True)
BASIS_PATTERN = (
    r"(?P<basis>(?:so\s+với\s+)?(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in _ALTERNATIVES)
    + r"))(?![\wÀ-ỹ])"
)
"""Regex fragment naming a basis right after a percentage."""


def basis_code(phrase: str) -> str:
    """The code of a basis phrase as matched by ``BASIS_PATTERN``."""
    body = " ".join(phrase.lower().split())
    body = body.removeprefix("so với ").strip()
    if body == "cùng kỳ":
        return SAME_PERIOD
    for written, code in PLAN_BASES:
        if body == written:
            return code
    return "ke_hoach"


IMPLIED_BASES: tuple[tuple[str, str], ...] = (
    ("giải ngân", "ke_hoach"),
    ("thu ngân sách", "du_toan"), ("thu nsnn", "du_toan"), ("thu nội địa", "du_toan"),
    ("chi ngân sách", "du_toan"), ("chi nsđp", "du_toan"),
)
"""Figures whose bare "đạt X%" is of a plan by definition, with that plan's code: a
disbursement rate (tỷ lệ giải ngân) is of the capital plan, budget revenue and spending of
the budget estimate (dự toán). The basis is then implied (``basis_stated`` False) and its text
is None."""


def basis_family(code: str) -> str:
    """A plan (kế hoạch ...), a budget (dự toán ...) or a goal (mục tiêu)."""
    if code.startswith("du_toan"):
        return "du_toan"
    return "muc_tieu" if code == "muc_tieu" else "ke_hoach"


def implied_basis(window: str) -> tuple[str, str] | None:
    """The basis a bare "đạt X%" implies when ``window`` (its sentence up to it) is of a
    disbursement or a budget line (``IMPLIED_BASES``, the last one named); the text is ""."""
    lowered = " ".join(window.lower().split())
    found = [(lowered.rfind(word), code) for word, code in IMPLIED_BASES if word in lowered]
    return (max(found)[1], "") if found else None
