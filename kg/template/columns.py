"""The column registry of the planning office's template (mẫu nhập liệu của Sở).

One registry, read by the importer (``read``, ``facts``), the blank template (``write``), the
docs and the tests: for every kind of sheet, its columns with their English key, Vietnamese
header, other accepted headers, whether a value is required, the closed list of words an
enumerated column accepts, help text and an example written the way the documents write it.
Headers and choice words match diacritics-insensitively (``kg.matching.fold``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.agencies import AGENCY_KINDS
from kg.matching import fold


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    required: bool
    help_vi: str
    help_en: str
    example: str = ""
    aliases: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    width: int = 16

    def headers(self) -> set[str]:
        """Folded headers that name this column (key, Vietnamese header, aliases)."""
        return {fold(h) for h in (self.key, self.vi, *self.aliases)}

    def choice_words(self) -> list[str]:
        """The words offered in the template's drop-down list: each value's first Vietnamese
        word, then the English keys (snake_case keys are left out; they are still accepted)."""
        words = [options[0] for options in self.choices.values()]
        return words + [key for key, options in self.choices.items()
                        if fold(key) != fold(options[0]) and "_" not in key]

    def choose(self, text: str) -> str | None:
        """The canonical value ``text`` names (diacritics-insensitive), or None."""
        folded = fold(text)
        for value, words in self.choices.items():
            if folded == fold(value) or folded in {fold(w) for w in words}:
                return value
        return None


@dataclass(frozen=True)
class SheetKind:
    key: str
    sheet: str
    title_en: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


DIRECTIONS = {"increase": ("tăng",), "decrease": ("giảm",), "band": ("khoảng",),
              "maintain": ("duy trì",)}
MEASURES = {"cumulative": ("lũy kế", "cộng dồn"), "level": ("mức",),
            "growth_rate": ("tốc độ tăng",), "reduction": ("mức giảm", "giảm"),
            "per_capita": ("bình quân đầu người",)}
GROUPS = {"economic": ("kinh tế",), "social": ("xã hội",), "environment": ("môi trường",)}
OBSERVATION_KINDS = {"actual": ("thực hiện",), "estimate": ("ước", "ước thực hiện", "ước tính")}
VERDICTS = {"Đạt": ("Đạt", "achieved"), "Vượt": ("Vượt", "exceeded"),
            "Không đạt": ("Không đạt", "not achieved")}
PLAN_BASES = {
    "ke_hoach": ("kế hoạch",), "du_toan": ("dự toán",),
    "ke_hoach_dieu_chinh": ("kế hoạch điều chỉnh",), "ke_hoach_dau_nam": ("kế hoạch đầu năm",),
    "du_toan_trung_uong": ("dự toán Trung ương",), "du_toan_tinh": ("dự toán tỉnh",),
    "ke_hoach_thu_tuong_giao": ("kế hoạch Thủ tướng giao",), "muc_tieu": ("mục tiêu",),
    "ke_hoach_von": ("kế hoạch vốn",),
}

_INDICATOR = Column(
    "indicator", "Chỉ tiêu", True,
    "Tên chỉ tiêu như văn bản viết, hoặc mã chỉ tiêu (khớp không phân biệt dấu).",
    "Indicator name as the documents write it, or its id (diacritics-insensitive match).",
    "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)", ("tên chỉ tiêu", "mã chỉ tiêu"), width=44)
_SOURCE = Column(
    "source", "Văn bản nguồn", False,
    "Số, ký hiệu văn bản nguồn; để trống thì nguồn là tệp này và số hàng.",
    "Source document number; empty means this file and row.", "29/NQ-HĐND",
    ("nguồn", "văn bản"), width=20)

TARGETS = SheetKind("targets", "Chỉ tiêu - Mục tiêu", "Targets", (
    _INDICATOR,
    Column("unit", "Đơn vị", False, "Đơn vị tính; bắt buộc khi chỉ tiêu chưa có.",
           "Unit; required for a new indicator.", "%", ("đơn vị tính", "đvt"), width=12),
    Column("direction", "Chiều đánh giá", False,
           "tăng (càng cao càng tốt), giảm, khoảng (trong khoảng), duy trì; bắt buộc khi chỉ "
           "tiêu chưa có.", "increase, decrease, band or maintain; required for a new "
           "indicator.", "tăng", ("chiều", "xu hướng"), DIRECTIONS, 14),
    Column("period", "Kỳ kế hoạch", True, "Năm hoặc giai đoạn.", "Year or multi-year period.",
           "2024", ("kỳ",), width=12),
    Column("target", "Mục tiêu", True, "Như văn bản viết: '7 - 7,5', '≥5', '4.060', 'trên 90'.",
           "As written: '7 - 7,5', '≥5', '4.060', 'trên 90'.", "7 - 7,5",
           ("kế hoạch", "chỉ tiêu kế hoạch"), width=14),
    Column("measure", "Cách tính", False,
           "lũy kế (cộng dồn trong năm: thu ngân sách, khách du lịch), mức (tỷ lệ, độ che "
           "phủ), tốc độ tăng, mức giảm (giảm tai nạn ≥5%) hoặc bình quân đầu người; để trống "
           "thì suy ra từ đơn vị và tên.",
           "cumulative (summed through the year), level, growth rate, reduction or per "
           "capita; inferred from unit and name when empty.", "mức", ("loại chỉ tiêu",),
           MEASURES, 14),
    Column("baseline", "Giá trị gốc", False, "Giá trị kỳ gốc như văn bản viết.",
           "Baseline as written.", "7,0", ("cơ sở", "kỳ gốc"), width=12),
    Column("group", "Nhóm", False, "kinh tế, xã hội hoặc môi trường.",
           "economic, social or environment.", "kinh tế", ("nhóm chỉ tiêu", "lĩnh vực"),
           GROUPS, 14),
    Column("agency", "Cơ quan chủ trì", False, "Tên hoặc mã cơ quan chủ trì theo dõi.",
           "Lead agency name or id.", "Sở Kế hoạch và Đầu tư", ("chủ trì",), width=30),
    _SOURCE,
))

OBSERVATIONS = SheetKind("observations", "Số liệu", "Observations", (
    _INDICATOR,
    Column("period", "Kỳ báo cáo", True,
           "'2024' cả năm, '11T/2023' lũy kế 11 tháng, 'T11/2023' riêng tháng 11.",
           "'2024' whole year, '11T/2023' cumulative 11 months, 'T11/2023' month 11.",
           "11T/2023", ("kỳ",), width=12),
    Column("value", "Giá trị", True, "Như văn bản viết: '6,33', '<5', '(-4,33)', '4.595,5'.",
           "As written: '6,33', '<5', '(-4,33)', '4.595,5'.", "4.595,5",
           ("số liệu", "giá trị thực hiện"), width=14),
    Column("kind", "Loại số liệu", True, "thực hiện hoặc ước.", "actual or estimate.",
           "ước", ("thực hiện/ước", "loại"), OBSERVATION_KINDS, 14),
    Column("as_of", "Tính đến ngày", True, "Ngày số liệu: '30/11/2023' hoặc '2023-11-30'.",
           "Date the figure refers to: '30/11/2023' or '2023-11-30'.", "30/11/2023",
           ("ngày số liệu", "đến ngày"), width=14),
    Column("pct_of_plan", "Đạt % kế hoạch", False, "Số phần trăm, không kèm '%': '76,6'.",
           "Percent of plan without '%': '76,6'.", "76,6", ("% kế hoạch", "tỷ lệ so với kế hoạch"),
           width=12),
    Column("plan_basis", "So với", False, "kế hoạch (mặc định), dự toán, kế hoạch điều chỉnh ...",
           "Basis of the percentage: plan (default), budget, adjusted plan ...", "kế hoạch",
           ("cơ sở so sánh",), PLAN_BASES, 18),
    Column("reported_verdict", "Đánh giá", False,
           "Đánh giá như văn bản: Đạt, Vượt, Không đạt; đối chiếu với số liệu và kế hoạch như "
           "bảng đánh giá chính thức (lệch thì cảnh báo).",
           "Verdict as written: Đạt, Vượt, Không đạt; checked against the figure and the plan "
           "like the official tables (a contradiction raises a discrepancy).", "Đạt",
           ("đánh giá của báo cáo",), VERDICTS, 12),
    _SOURCE,
    Column("quote", "Trích dẫn", False, "Câu văn bản chứa số liệu, chép nguyên văn.",
           "The sentence that gives the figure, verbatim.", "đạt 76,6% kế hoạch",
           ("nguyên văn",), width=40),
))

TASKS = SheetKind("tasks", "Nhiệm vụ", "Tasks", (
    Column("task", "Nhiệm vụ", True, "Nội dung nhiệm vụ.", "What is to be done.",
           "Xây dựng kế hoạch phát triển kinh tế - xã hội năm 2024", ("nội dung",), width=50),
    Column("agency", "Cơ quan chủ trì", True, "Tên hoặc mã cơ quan chủ trì.",
           "Lead agency name or id.", "Sở Kế hoạch và Đầu tư", ("chủ trì",), width=30),
    Column("support", "Cơ quan phối hợp", False, "Nhiều cơ quan cách nhau bởi ';'.",
           "Several agencies separated by ';'.", "Sở Tài chính; Cục Thống kê tỉnh",
           ("phối hợp",), width=30),
    Column("deadline", "Thời hạn", True,
           "'05/7/2023', 'Quý IV/2024', 'hết năm 2023' hoặc điều kiện 'sau khi Thủ tướng phê "
           "duyệt'.", "A date, a period, or a condition, as written.", "trước ngày 05/7/2023",
           ("hạn", "thời hạn hoàn thành"), width=22),
    Column("assigned_by", "Văn bản giao", False, "Số, ký hiệu văn bản giao nhiệm vụ.",
           "Number of the document assigning the task.", "1966/QĐ-UBND",
           ("văn bản giao nhiệm vụ",), width=18),
    Column("completed_on", "Ngày hoàn thành", False, "Ngày đã hoàn thành, nếu có.",
           "Completion date, if completed.", "30/6/2023", ("hoàn thành",), width=14),
))

AGENCIES = SheetKind("agencies", "Cơ quan", "Agencies", (
    Column("name", "Tên cơ quan", True, "Tên đầy đủ như văn bản viết.",
           "Full name as the documents write it.", "Sở Nông nghiệp và Môi trường",
           ("tên", "tên đơn vị"), width=40),
    Column("short", "Tên viết tắt", False, "Tên ngắn hay dùng, nếu có.",
           "Usual short name, if any.", "Sở NN&MT", ("viết tắt",), width=16),
    Column("kind", "Loại cơ quan", False,
           "sở, bộ, UBND tỉnh/huyện/xã, ngành dọc (cục thuế, công an tỉnh ...), cơ quan thuộc "
           "tỉnh (ban, văn phòng, thanh tra, đài), đoàn thể ...; để trống thì đọc từ chữ đầu "
           "của tên (Sở, Bộ, UBND ...).",
           "Agency kind; when empty it is read from the name's head word (Sở, Bộ, UBND ...).",
           "sở", ("loại đơn vị",), {k: (vi, en, *words) for k, (vi, en, words)
                                    in AGENCY_KINDS.items()}, 18),
    Column("parent", "Cơ quan cấp trên", False,
           "Tên hoặc mã của một cơ quan đã có hoặc ở bảng này.",
           "Name or id of an agency already known or in this sheet.", "UBND tỉnh",
           ("cấp trên", "trực thuộc"), width=24),
    Column("jurisdiction", "Địa bàn", False,
           "Tỉnh, bộ hay cả nước mà cơ quan thuộc về: mã ('dong-nai', 'bo-tai-chinh') hoặc tên.",
           "The province, ministry or nation the agency belongs to: code or name.", "dong-nai",
           ("mã địa bàn",), width=16),
    Column("aliases", "Tên gọi khác", False, "Các cách viết khác, cách nhau bởi ';'.",
           "Other spellings, separated by ';'.", "Sở Nông nghiệp; Sở NNMT", ("bí danh",),
           width=30),
    Column("id", "Mã cơ quan", False,
           "Để trống với cơ quan mới (mã sinh từ tên). Ghi mã của cơ quan đã có để cập nhật nó: "
           "cột có giá trị thay thế, cột trống giữ nguyên, tên gọi khác được thêm vào.",
           "Empty for a new agency (the id is made from the name). The id of a known agency "
           "updates it: filled columns replace, empty ones keep, aliases are added.",
           "so-nong-nghiep-va-moi-truong", ("mã",), width=24),
    Column("name_en", "Tên tiếng Anh", False, "Tên tiếng Anh, nếu có.", "English name, if any.",
           "Department of Agriculture and Environment", (), width=30),
    Column("valid_from", "Hiệu lực từ", False, "Ngày thành lập hoặc bắt đầu: '01/3/2025'.",
           "Date it was set up or starts: '01/3/2025'.", "01/3/2025",
           ("ngày thành lập", "có hiệu lực từ"), width=14),
    Column("valid_until", "Hiệu lực đến", False, "Ngày hết hoạt động (giải thể, sáp nhập).",
           "Last day it exists (dissolved, merged).", "30/6/2025",
           ("ngày giải thể", "hết hiệu lực"), width=14),
))

SHEET_KINDS: dict[str, SheetKind] = {k.key: k for k in (AGENCIES, TARGETS, OBSERVATIONS,
                                                         TASKS)}
"""Kinds of sheet, in import order: agencies first (the other sheets may name them), then
targets (they may create indicators the observations name)."""

GUIDE_SHEET = "Hướng dẫn"
MAX_CELL_CHARS = 1000
MAX_ROWS = 20000


def kind_of_sheet_name(name: str) -> str | None:
    """The kind a sheet's name names ("Số liệu", "observations"), or None."""
    folded = fold(name)
    for kind in SHEET_KINDS.values():
        if folded in {fold(kind.key), fold(kind.sheet), fold(kind.title_en)}:
            return kind.key
    return None
