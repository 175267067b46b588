"""Who leads a task (cơ quan chủ trì) and who supports it (cơ quan phối hợp), as written.

The administrative language names the lead in a few fixed ways, read here in this order:
"(Sở Y tế chủ trì)" or "Bộ Tài chính chủ trì, phối hợp với ..." (``chủ trì``); "giao Sở Tài
chính ...", "đề nghị Ủy ban Trung ương Mặt trận ...", "yêu cầu các sở ..." (``giao``, ``đề
nghị``, ``yêu cầu``); a clause that opens with an agency followed by what it must do ("Các bộ,
ngành, địa phương căn cứ hướng dẫn ...", "Thanh tra Chính phủ ban hành ...", "Sở Xây dựng có
trách nhiệm ..."). An item or heading that is an agency, or opens with one and a colon ("1. Bộ
Tài chính: ...", "a) Bộ Công an: (1) ...", "II. CÁC SỞ, BAN, NGÀNH"), addresses every task
under it (``addressee``). Bodies a plan is submitted to ("trình HĐND tỉnh") or that approve
("Thủ tướng phê duyệt") never lead: they are neither subject nor ``chủ trì``. Support comes
from "phối hợp (với|cùng) X, Y và Z". Agency words are matched case-sensitively (a name is
capitalised: "Sở Xây dựng" is an agency, "xây dựng" a verb); a heading in capitals is read
through its lower-case form and returned as written.
"""

from __future__ import annotations

import re

UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
"""Capital letters of Vietnamese (a name's words after its head word start with one)."""

_NAMED = rf"(?=\s+[{UPPER}0-9]|\s*[,;:.)]|\s*$)"
_CAPITAL_HEADS = (
    rf"(?:Bộ|Sở|Ban|Cục|Hội|Trường|Viện|Đài|Thuế){_NAMED}|UBND|Ủy\s+ban|Uỷ\s+ban|Công\s+an|Cục|Chi\s+cục|Tổng\s+cục|"
    r"Kho\s+bạc|Ngân\s+hàng|Văn\s+phòng|Thanh\s+tra|Bảo\s+hiểm|Liên\s+minh|Liên\s+đoàn|"
    r"Trung\s+tâm|Tòa\s+án|Toà\s+án|Kiểm\s+toán|Thông\s+tấn\s+xã|"
    r"Tập\s+đoàn|Tổng\s+công\s+ty|Công\s+ty|Thường\s+trực|Ban\s+Thường\s+vụ|Tỉnh\s+ủy|"
    r"Tỉnh\s+uỷ|Thành\s+ủy|Thành\s+uỷ|Đảng\s+ủy|Đảng\s+uỷ|HĐND|Hội\s+đồng\s+nhân\s+dân|"
    r"Mặt\s+trận|Đoàn\s+Thanh\s+niên|Bộ\s+Chỉ\s+huy|Chủ\s+tịch|Giám\s+đốc|Thủ\s+trưởng|"
    r"Bộ\s+trưởng|Người\s+đứng\s+đầu|Hải\s+quan|Binh\s+đoàn|Đồng\s+chí|Các\s+đồng\s+chí|"
    r"Nhóm\s+công\s+tác|Ban\s+Chỉ\s+đạo|[A-ZĐ]{2,}[A-ZĐ0-9]*(?=[\s,;:)])"
)
_PLURAL_HEADS = (
    r"bộ|sở|ban|ngành|cơ\s+quan|đơn\s+vị|địa\s+phương|tỉnh|thành\s+phố|doanh\s+nghiệp|"
    r"tập\s+đoàn|tổng\s+công\s+ty|hội|đoàn\s+thể|tổ\s+chức|huyện|xã|phường|trường|"
    r"cơ\s+sở|viện|ngân\s+hàng|Bộ|Sở|Ban|Ủy\s+ban|Uỷ\s+ban|UBND|Tập\s+đoàn|Tổng\s+công\s+ty|"
    r"Hội|Trường|Viện|Ngân\s+hàng|Cục|Chi\s+cục|Thành\s+viên|thành\s+viên|đồng\s+chí"
)
HEAD = rf"(?:(?:Các|các)\s+(?:{_PLURAL_HEADS})|(?:{_CAPITAL_HEADS}))"
"""The first words of an agency name (tên cơ quan): "Sở", "Bộ", "Ủy ban nhân dân", "Các
bộ, ngành" ... (case-sensitive: names are capitalised)."""

VERBS = (
    "chủ trì", "phối hợp", "tập trung", "tiếp tục", "khẩn trương", "chỉ đạo", "thực hiện",
    "tham mưu", "rà soát", "đẩy mạnh", "triển khai", "hoàn thành", "có trách nhiệm",
    "chịu trách nhiệm", "căn cứ", "ban hành", "xây dựng", "tổ chức", "chủ động", "nghiên cứu",
    "hướng dẫn", "theo dõi", "phát huy", "quyết liệt", "tổng hợp", "trình", "báo cáo",
    "kiểm tra", "đôn đốc", "bảo đảm", "đảm bảo", "phân bổ", "bố trí", "nâng cao", "tăng cường",
    "cập nhật", "lựa chọn", "phải", "cần", "theo chức năng", "trên cơ sở", "thống nhất",
    "giám sát", "xem xét", "quan tâm", "hỗ trợ", "sớm", "kịp thời", "ưu tiên", "đề xuất",
    "công bố", "tuyên truyền", "vận động", "tiên phong", "mở", "phấn đấu", "gửi", "cung cấp",
    "thành lập", "nghiêm túc", "tích cực", "lãnh đạo", "thúc đẩy", "hoàn thiện", "xử lý",
    "thẩm định", "kiện toàn", "duy trì", "ứng dụng", "số hóa", "kết nối", "bám sát", "nắm",
    "phổ biến", "áp dụng", "tổng kết", "đánh giá", "sơ kết", "lập", "chuẩn bị", "tiến hành",
    "huy động", "quyết định", "thường xuyên", "đăng ký", "sử dụng", "có ý kiến", "cùng",
    "thực thi", "khắc phục", "giải quyết", "được giao", "nhanh chóng", "kiên quyết",
    "dứt điểm", "theo thẩm quyền", "trong phạm vi", "là cơ quan", "làm đầu mối", "đầu mối",
    "thí điểm", "tuân thủ", "phát triển", "đầu tư", "quản lý", "kiểm soát", "đào tạo", "tham gia",
    "vận hành", "khai thác", "tăng", "giảm", "thu hút", "mở rộng", "đẩy nhanh", "xác định",
    "điều chỉnh", "bổ sung", "sửa đổi", "công khai", "niêm yết", "tiếp nhận", "phê duyệt",
    "hoàn tất", "rà", "lắp đặt", "phục vụ", "thanh tra", "tập huấn", "bồi dưỡng",
)
"""What an agency that leads a task goes on to do: the agency's name ends before these."""

_VERB = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(VERBS, key=len,
                                                                       reverse=True))
_NAME_END = rf"(?=\s+(?:{_VERB})(?![\wà-ỹđ])|\s*:|\s*$)"
_SUBJECT = re.compile(rf"^(?P<agency>{HEAD}(?![\wà-ỹđ])[^:;.()]{{0,140}}?){_NAME_END}")
_ACTOR = re.compile(rf"^(?P<agency>{HEAD}(?![\wà-ỹđ])[^:;.()]{{0,140}}?)"
                    rf"(?=\s+(?:{_VERB})(?![\wà-ỹđ]))")
_CHU_TRI = re.compile(rf"(?<![\wà-ỹđ])(?<!do )(?P<agency>{HEAD}(?![\wà-ỹđ])[^:;.()]{{0,120}}?)"
                      r"\s+(?:là\s+cơ\s+quan\s+)?chủ\s+trì")
_ASSIGN = re.compile(rf"(?:^\W*|[,;:]\s*)(?:[Gg]iao|[Đđ]ề\s+nghị|[Yy]êu\s+cầu)\s+(?:cho\s+)?"
                     rf"(?P<agency>{HEAD}(?![\wà-ỹđ])[^:;.()]{{0,140}}?)"
                     rf"(?=\s+(?:{_VERB})(?![\wà-ỹđ])|\s*[:;.(]|\s*$)")
_SUPPORT = re.compile(
    rf"phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với|\s+cùng)?\s+(?P<support>(?:{HEAD}|UBND|"
    rf"[A-ZĐ][\wà-ỹđ]*)[^;:.()]{{0,200}}?)"
    rf"(?=\s+(?:{_VERB}|để|nhằm|trong|theo|tại|về)(?![\wà-ỹđ])|\s*[;:.(]|,\s+(?:{_VERB})|\s*$)"
)
_SPLIT = re.compile(rf",\s+(?=(?:{HEAD})(?![\wà-ỹđ]))|\s+và\s+(?=(?:{HEAD})(?![\wà-ỹđ]))"
                    r"|;\s*|\n\s*[-+•]?\s*")
_DUTY = re.compile(rf"^(?:Trách\s+nhiệm|Nhiệm\s+vụ)\s+(?:của\s+)?(?P<agency>{HEAD}(?![\wà-ỹđ])"
                   r"[^:;.()]{0,140}?)\s*[.:]?$")
_NOT_LEADS = re.compile(r"^(?:Thủ\s+tướng|Chính\s+phủ|Quốc\s+hội)\b")


def _tidy(name: str) -> str:
    name = " ".join(name.replace("**", "").split()).strip(" ,;:-–.")
    return re.sub(r"\s*\((?:sau\s+đây|gọi\s+tắt)[^)]*\)?$", "", name)


def _matchable(text: str) -> str:
    """A heading in capitals read with a capital on each word only ("BỘ XÂY DỰNG" → "Bộ
    Xây Dựng"), so that the agency words match and no verb does; same length."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return re.sub(r"\w+", lambda m: m[0][:1] + m[0][1:].lower(), text)
    return text


def subject(clause: str, predicate: bool = False) -> str | None:
    """The agency a clause opens with (followed by what it must do, a colon or nothing);
    with ``predicate`` only when what it must do follows (a bare list of agencies is none)."""
    text = clause.lstrip(" *-–•+")
    match = (_ACTOR if predicate else _SUBJECT).match(_matchable(text))
    if not match:
        return None
    name = _tidy(text[: match.end("agency")])
    return None if _NOT_LEADS.match(name) or len(name) < 3 else name


def lead_in(clause: str) -> str | None:
    """The lead a clause names ("X chủ trì", "giao X", "đề nghị X", an opening subject)."""
    for pattern in (_CHU_TRI, _ASSIGN):
        match = pattern.search(clause)
        if match:
            name = _tidy(match["agency"])
            if not _NOT_LEADS.match(name):
                return name
    return subject(clause)


def support_in(clause: str) -> list[str]:
    """Agencies named after "phối hợp (với|cùng)", as written, one per agency."""
    match = _SUPPORT.search(clause)
    return split_agencies(match["support"]) if match else []


def split_agencies(text: str) -> list[str]:
    """A list of agencies as written ("Bộ Công an, Bộ Tư pháp và Văn phòng Chính phủ", a
    table cell with one "- agency;" per line) → one name each; "các bộ, ngành" stays one."""
    parts = [_tidy(part) for part in _SPLIT.split(text)]
    return [part for part in parts if len(part) >= 2]


def addressee(text: str) -> tuple[str, str] | None:
    """(agency, rest) when an item or heading is addressed to an agency: the whole text is
    an agency name ("1. Sở Khoa học và Công nghệ", "BỘ XÂY DỰNG"), or it opens with one and a
    colon ("a) Bộ Công an: (1) ...") or with one that leads ("(1) Bộ Tài chính chủ trì, ...:").
    ``text`` is without its list marker."""
    body = " ".join(text.replace("**", "").split())
    if not body:
        return None
    duty = _DUTY.match(body)
    if duty:
        return _tidy(duty["agency"]), ""
    head = re.match(r"^(?P<name>[^:]{2,160}?)\s*:\s*(?P<rest>.*)$", body)
    name_part = head["name"] if head else body.rstrip(" .;")
    candidate = _matchable(name_part)
    whole = re.fullmatch(rf"{HEAD}(?![\wà-ỹđ])[^;.()]{{0,140}}", candidate)
    if whole and not re.search(rf"\s(?:{_VERB})(?![\wà-ỹđ])", candidate):
        name = _tidy(name_part)
        if not _NOT_LEADS.match(name):
            return name, head["rest"] if head else ""
    if head:
        named = subject(head["name"]) or lead_in(head["name"])
        if named:
            return named, head["rest"]
    intro = re.match(r"^(?P<name>.{2,400}?)\s*:$", body)
    if intro:  # "(1) Bộ Tài chính chủ trì, phối hợp ... , trong đó:" addresses what follows
        named = lead_in(intro["name"])
        if named:
            return named, ""
    return None
