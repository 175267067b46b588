"""The term table of the kehoach ontology: every class, property and SKOS concept, with its
Vietnamese and English label, definition and defining document (văn bản quy định), as data.

``ontology.build`` turns this table into OWL with owlready2. Parents, domains and ranges name
local terms ("Target") or external ones by CURIE ("org:Organization", see ``EXTERNAL``).
"""

from __future__ import annotations

from dataclasses import dataclass

EXTERNAL: dict[str, str] = {
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
}

ND30 = "Nghị định 30/2020/NĐ-CP"
QD42 = "Quyết định 42/2014/QĐ-TTg (sửa đổi bởi 23/2018/QĐ-TTg)"
ND09 = "Nghị định 09/2019/NĐ-CP"
QD66TW = "Quy định 66-QĐ/TW"


@dataclass(frozen=True)
class Term:
    """One named term: local name, labels (vi, en), definitions (vi, en), defining document."""

    name: str
    vi: str
    en: str
    def_vi: str
    def_en: str
    source: str | None = None


@dataclass(frozen=True)
class ClassTerm(Term):
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class PropertyTerm(Term):
    """``kind`` is "object" or "data"; ``domain`` is a union of classes; ``range`` a class
    (object) or a Python type name (data: "str", "float", "int", "bool", "date")."""

    kind: str = "object"
    domain: tuple[str, ...] = ()
    range: str | None = None
    parents: tuple[str, ...] = ()
    transitive: bool = False
    functional: bool = False


@dataclass(frozen=True)
class ConceptTerm(Term):
    """A SKOS concept (or, with ``scheme=None``, a concept scheme)."""

    scheme: str | None = None
    notation: str | None = None


def _c(name: str, parents: tuple[str, ...], vi: str, en: str, dvi: str, den: str,
       source: str | None = None) -> ClassTerm:
    return ClassTerm(name, vi, en, dvi, den, source, parents)


DOC_TYPES_VI = "loại văn bản và chữ viết tắt theo " + ND30

CLASSES: tuple[ClassTerm, ...] = (
    _c("LegalDocument", ("eli:LegalResource",), "Văn bản", "Document",
       "Văn bản của cơ quan nhà nước hoặc của Đảng, định danh bằng số/ký hiệu, ngày ban hành và "
       f"cơ quan ban hành (số tự đánh lại mỗi năm); {DOC_TYPES_VI}.",
       "A state or Party document, identified by number/symbol, date and issuer (numbers "
       "restart every year); types and abbreviations as in Decree 30/2020/NĐ-CP.", ND30),
    _c("Law", ("LegalDocument",), "Luật", "Law",
       "Văn bản quy phạm pháp luật do Quốc hội ban hành, ký hiệu dạng 111/2024/QH15 "
       "(Luật Ban hành văn bản quy phạm pháp luật).",
       "A legal normative document passed by the National Assembly, numbered like "
       "111/2024/QH15 (Law on Promulgation of Legal Documents).",
       "Luật Ban hành văn bản quy phạm pháp luật"),
    _c("Decree", ("LegalDocument",), "Nghị định", "Decree",
       f"Văn bản của Chính phủ, ký hiệu NĐ-CP (ví dụ 30/2020/NĐ-CP); {DOC_TYPES_VI}.",
       "A Government decree, symbol NĐ-CP (e.g. 30/2020/NĐ-CP).", ND30),
    _c("Circular", ("LegalDocument",), "Thông tư", "Circular",
       f"Văn bản của Bộ trưởng, Thủ trưởng cơ quan ngang bộ, ký hiệu TT; {DOC_TYPES_VI}.",
       "A ministerial circular, symbol TT.", ND30),
    _c("Resolution", ("LegalDocument",), "Nghị quyết", "Resolution",
       "Nghị quyết (NQ) của Quốc hội, Chính phủ, Hội đồng nhân dân hoặc cấp ủy Đảng; nghị quyết "
       f"HĐND về chỉ tiêu kế hoạch năm (ví dụ 29/NQ-HĐND ngày 10/12/2022); {DOC_TYPES_VI}.",
       "A resolution (NQ) of the National Assembly, Government, a People's Council or a Party "
       "committee; the annual HĐND plan resolution (e.g. 29/NQ-HĐND, 10/12/2022) sets targets.",
       ND30),
    _c("PartyResolution", ("Resolution",), "Nghị quyết của Đảng", "Party resolution",
       "Nghị quyết của Đại hội hoặc cấp ủy Đảng; ký hiệu có gạch nối giữa số và loại (49-NQ/TU, "
       f"20-NQ/TW); thể loại và thể thức theo {QD66TW}.",
       "A resolution of a Party congress or committee; the symbol has a hyphen between number "
       "and type (49-NQ/TU, 20-NQ/TW); Party document types per Regulation 66-QĐ/TW.", QD66TW),
    _c("Decision", ("LegalDocument",), "Quyết định", "Decision",
       "Quyết định (QĐ), ví dụ quyết định của UBND tỉnh giao chỉ tiêu cho các cơ quan "
       f"(1966/QĐ-UBND ngày 12/12/2022); {DOC_TYPES_VI}.",
       "A decision (QĐ), e.g. the provincial committee's decision assigning targets to "
       "agencies (1966/QĐ-UBND, 12/12/2022).", ND30),
    _c("Directive", ("LegalDocument",), "Chỉ thị", "Directive",
       f"Chỉ thị (CT), ví dụ 21/CT-TTg của Thủ tướng Chính phủ; {DOC_TYPES_VI}.",
       "A directive (CT), e.g. the Prime Minister's 21/CT-TTg.", ND30),
    _c("OfficialLetter", ("LegalDocument",), "Công văn", "Official letter",
       "Văn bản hành chính không có tên loại; ký hiệu gồm cơ quan ban hành và đơn vị soạn thảo "
       f"(4456/BKHĐT-TH); {DOC_TYPES_VI}.",
       "An administrative letter without a type name; its symbol is issuer-drafting unit "
       "(4456/BKHĐT-TH).", ND30),
    _c("Plan", ("LegalDocument",), "Kế hoạch", "Plan",
       f"Kế hoạch (KH), ví dụ kế hoạch phát triển kinh tế - xã hội 5 năm hoặc hằng năm; "
       f"{DOC_TYPES_VI}.",
       "A plan (KH), e.g. the five-year or annual socio-economic development plan.", ND30),
    _c("Programme", ("LegalDocument",), "Chương trình", "Programme",
       f"Chương trình (CTr), ví dụ chương trình hành động 71-CTr/TU; {DOC_TYPES_VI}.",
       "A programme (CTr), e.g. the action programme 71-CTr/TU.", ND30),
    _c("NationalTargetProgramme", ("Programme",), "Chương trình mục tiêu quốc gia",
       "National target programme",
       "Chương trình MTQG theo Luật Đầu tư công: xây dựng nông thôn mới, giảm nghèo bền vững, "
       "phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi.",
       "A national target programme under the Law on Public Investment: new rural areas, "
       "sustainable poverty reduction, ethnic minority and mountainous areas.",
       "Luật Đầu tư công"),
    _c("Scheme", ("LegalDocument",), "Đề án", "Scheme",
       f"Đề án (ĐA), ví dụ 06-ĐA/TU; {DOC_TYPES_VI}.", "A scheme (ĐA), e.g. 06-ĐA/TU.", ND30),
    _c("Report", ("LegalDocument", "prov:Entity"), "Báo cáo", "Report",
       "Báo cáo (BC) tình hình kinh tế - xã hội tháng, 6 tháng, 9 tháng, năm; chế độ báo cáo "
       f"theo {ND09}; nguồn của các số liệu thực hiện.",
       "A report (BC) on the socio-economic situation (monthly, 6-, 9-month, annual); "
       "reporting regime per Decree 09/2019/NĐ-CP; the source of observations.", ND09),
    _c("Organization", ("org:Organization",), "Tổ chức", "Organization",
       "Cơ quan, tổ chức ban hành văn bản hoặc chịu trách nhiệm thực hiện (W3C ORG).",
       "A body that issues documents or is responsible for work (W3C ORG)."),
    _c("Agency", ("Organization", "org:OrganizationalUnit"), "Cơ quan chuyên môn",
       "Agency",
       "Sở, ban, ngành: cơ quan chuyên môn thuộc UBND; có thể sáp nhập (từ 2025 Sở KH&ĐT vào "
       "Sở Tài chính), nên trách nhiệm có hiệu lực theo thời gian.",
       "A department (sở, ban, ngành) under a People's Committee; departments merge (in 2025 "
       "Planning and Investment into Finance), so responsibility is dated."),
    _c("PeoplesCommittee", ("Organization",), "Ủy ban nhân dân", "People's Committee",
       "Cơ quan hành chính nhà nước ở địa phương (UBND tỉnh, huyện, xã; từ 1/7/2025 chính "
       "quyền hai cấp) theo Luật Tổ chức chính quyền địa phương.",
       "The local executive (UBND of province, district, commune; two levels since 1/7/2025) "
       "under the Law on Organisation of Local Government.",
       "Luật Tổ chức chính quyền địa phương"),
    _c("PeoplesCouncil", ("Organization",), "Hội đồng nhân dân", "People's Council",
       "Cơ quan quyền lực nhà nước ở địa phương (HĐND), quyết nghị chỉ tiêu kế hoạch hằng năm.",
       "The local elected council (HĐND); it resolves the annual plan targets.",
       "Luật Tổ chức chính quyền địa phương"),
    _c("PartyCommittee", ("Organization",), "Cấp ủy Đảng", "Party committee",
       "Cấp ủy Đảng (Tỉnh ủy, Ban Thường vụ, Đảng ủy) ban hành nghị quyết, chương trình của "
       "Đảng; theo Điều lệ Đảng.",
       "A Party committee (provincial committee, standing board) issuing Party resolutions "
       "and programmes; per the Party Statute.", "Điều lệ Đảng Cộng sản Việt Nam"),
    _c("Jurisdiction", ("Organization",), "Phạm vi quản lý", "Jurisdiction",
       "Tỉnh, thành phố trực thuộc trung ương, bộ, cơ quan trung ương hoặc cả nước — nơi một kế "
       "hoạch, chỉ tiêu, nhiệm vụ và số liệu thuộc về; số liệu của địa bàn này không bao giờ là "
       "của địa bàn khác. Các đơn vị sắp xếp năm 2025 (Nghị quyết 202/2025/QH15: 63 thành 34 "
       "tỉnh; Nghị quyết 176/2025/QH15: hợp nhất các bộ) nối với nhau bằng org:ChangeEvent.",
       "A province or centrally-run city, a ministry, a central body or the nation — whose "
       "plan, targets, tasks and figures they are; one's figures are never another's. The "
       "units rearranged in 2025 (Resolution 202/2025/QH15: 63 provinces into 34; 176/2025/"
       "QH15: merged ministries) are linked by org:ChangeEvent.",
       "Nghị quyết 202/2025/QH15"),
    _c("Indicator", (), "Chỉ tiêu", "Indicator",
       "Đại lượng được theo dõi (tốc độ tăng GRDP, thu ngân sách, tỷ lệ che phủ rừng...), có "
       "đơn vị và chiều đánh giá (tăng, giảm, trong khoảng, duy trì).",
       "A tracked quantity (GRDP growth, budget revenue, forest cover ...) with a unit and a "
       "direction (increase, decrease, band, maintain)."),
    _c("Target", (), "Chỉ tiêu kế hoạch", "Target",
       "Giá trị kế hoạch của một chỉ tiêu cho một kỳ, ghi nguyên văn (7 - 7,5; ≥5; trên 90%) "
       "cùng cận dưới/trên đã đọc; do nghị quyết đặt và quyết định giao.",
       "The planned value of an indicator for a period, as written (7 - 7,5; ≥5; trên 90%) "
       "with its parsed bounds; set by a resolution and assigned by a decision."),
    _c("Task", (), "Nhiệm vụ", "Task",
       "Nhiệm vụ được giao, có cơ quan chủ trì, phối hợp và thời hạn; theo dõi tình hình thực "
       f"hiện theo {QD42}.",
       "An assigned task with lead and supporting agencies and a deadline; monitored per "
       "Decision 42/2014/QĐ-TTg as amended by 23/2018/QĐ-TTg.", QD42),
    _c("Deadline", (), "Thời hạn", "Deadline",
       "Thời hạn hoàn thành, ghi nguyên văn ('trong Quý IV', 'trước ngày 05/7/2023'); thời hạn "
       "có điều kiện ('sau khi Thủ tướng phê duyệt') không bao giờ quá hạn theo lịch.",
       "A completion deadline as written ('trong Quý IV', 'trước ngày 05/7/2023'); a "
       "conditional deadline is never overdue by the calendar.", QD42),
    _c("Period", ("dcterms:PeriodOfTime", "time:ProperInterval"), "Kỳ kế hoạch", "Period",
       "Khoảng thời gian của kế hoạch hoặc chỉ tiêu: năm, giai đoạn 5 năm (2021-2025).",
       "The time span of a plan or target: a year, a five-year period (2021-2025)."),
    _c("ReportingPeriod", ("Period",), "Kỳ báo cáo", "Reporting period",
       "Kỳ của số liệu báo cáo: tháng, lũy kế, 6 tháng, 9 tháng, ước cả năm, năm; chế độ báo "
       f"cáo theo {ND09}.",
       "The period of reported figures: month, year-to-date, 6-month, 9-month, year "
       "estimate, year; reporting regime per Decree 09/2019/NĐ-CP.", ND09),
    _c("Observation", ("qb:Observation", "prov:Entity"), "Số liệu thực hiện", "Observation",
       "Một số liệu trong báo cáo ('đạt X% kế hoạch'), ghi kèm văn bản, dòng và trích dẫn "
       "nguyên văn; không bao giờ sửa nguồn.",
       "One reported figure ('đạt X% kế hoạch') with its document, line and verbatim quote; "
       "the source is never corrected."),
    _c("Alert", ("prov:Entity",), "Cảnh báo", "Alert",
       "Cảnh báo do luật (rule) sinh ra khi có số liệu mới, kèm giải thích: số liệu, luật và "
       "phiên bản, ngưỡng, ngày đánh giá.",
       "An alert fired by a rule on a new fact, with its explanation: facts, rule and "
       "version, thresholds, as-of date."),
    _c("StatusChange", ("prov:Entity",), "Thay đổi trạng thái", "Status change",
       "Việc một chỉ tiêu hoặc nhiệm vụ chuyển trạng thái (đạt, có nguy cơ, quá hạn...) do "
       "luật suy ra, có nguồn gốc.",
       "A target or task moving to a new status (achieved, at risk, overdue ...) derived by "
       "a rule, with provenance."),
    _c("OfficialVerdict", (), "Đánh giá chính thức", "Official verdict",
       "Một dòng bảng đánh giá của văn bản (cột 'Đánh giá': Vượt/Đạt/Không đạt) với kế hoạch, "
       "ước thực hiện và năm gốc như văn bản ghi; không phải số liệu đo (qb:Observation).",
       "A row of a document's assessment table (column 'Đánh giá': exceeded/achieved/not "
       "achieved) with plan, estimate and baseline as written; not a measured figure."),
    _c("Rule", ("prov:Entity",), "Luật nghiệp vụ", "Rule",
       "Một luật của bộ luật (rules/definitions/*.yaml) ở một phiên bản: kế hoạch (prov:Plan) "
       "mà lần chạy luật theo đó sinh ra cảnh báo, thay đổi trạng thái; mang mã luật, phiên "
       "bản và tệp luật.",
       "One rule of the rule book (rules/definitions/*.yaml) at one version: the plan "
       "(prov:Plan) a rule run followed to produce alerts and status changes; carries the "
       "rule id, version and rule file."),
    _c("Responsibility", (), "Trách nhiệm", "Responsibility",
       "Vai trò có điều kiện của một cơ quan đối với chỉ tiêu, chỉ tiêu kế hoạch hoặc nhiệm vụ: "
       f"chủ trì, chủ trì suy ra, phối hợp (RoleScheme); {QD42}.",
       "An agency's qualified role for an indicator, target or task: lead, implied lead, "
       "support (RoleScheme).", QD42),
)

#: Sets of classes whose members are pairwise disjoint.
DISJOINT: tuple[tuple[str, ...], ...] = (
    ("LegalDocument", "Organization", "Indicator", "Target", "Task", "Deadline", "Period",
     "Observation", "Alert", "StatusChange", "OfficialVerdict", "Responsibility", "Rule",
     "org:Membership", "prov:Activity"),
    ("Law", "Decree", "Circular", "Resolution", "Decision", "Directive", "OfficialLetter",
     "Plan", "Programme", "Scheme", "Report"),
    ("Agency", "PeoplesCommittee", "PeoplesCouncil", "PartyCommittee"),
)

TT = ("Target", "Task")
TTI = ("Target", "Task", "Indicator")
DOC = ("LegalDocument",)
SOURCED = ("Observation", "Target", "Task", "Indicator", "OfficialVerdict")
"""Facts read from a sentence of a source document: the only nodes with ``sourceDocument``."""


def _o(name: str, domain: tuple[str, ...], rng: str | None, vi: str, en: str, dvi: str,
       den: str, parents: tuple[str, ...] = (), *, source: str | None = None,
       transitive: bool = False, functional: bool = False) -> PropertyTerm:
    return PropertyTerm(name, vi, en, dvi, den, source, "object", domain, rng, parents,
                        transitive, functional)


def _d(name: str, domain: tuple[str, ...], rng: str, vi: str, en: str, dvi: str, den: str,
       parents: tuple[str, ...] = (), *, source: str | None = None,
       functional: bool = False) -> PropertyTerm:
    return PropertyTerm(name, vi, en, dvi, den, source, "data", domain, rng, parents,
                        False, functional)


OBJECT_PROPERTIES: tuple[PropertyTerm, ...] = (
    _o("tracesTo", (), "LegalDocument", "truy nguyên đến", "traces to",
       "Quan hệ bắc cầu: văn bản, chỉ tiêu hoặc nhiệm vụ bắt nguồn từ văn bản này, trực tiếp "
       "hoặc qua chuỗi căn cứ/triển khai/đặt/giao (suy ra bởi bộ suy luận).",
       "Transitive: the document, target or task stems from this document, directly or "
       "through a chain of basedOn/implements/setBy/assignedBy (inferred by the reasoner).",
       transitive=True),
    _o("basedOn", DOC, "LegalDocument", "căn cứ", "based on",
       "Văn bản được ban hành căn cứ văn bản kia (phần 'Căn cứ ...' của văn bản, "
       f"{ND30}).", "The document is issued on the basis of the other (its 'Căn cứ' clause).",
       ("tracesTo", "eli:based_on"), source=ND30),
    _o("implements", DOC, "LegalDocument", "triển khai thực hiện", "implements",
       "Văn bản triển khai, cụ thể hóa văn bản kia (kế hoạch thực hiện nghị quyết...).",
       "The document carries out the other (a plan implementing a resolution ...).",
       ("tracesTo", "eli:implements")),
    _o("setBy", ("Target",), "LegalDocument", "do văn bản đặt", "set by",
       "Văn bản quyết nghị chỉ tiêu, thường là nghị quyết HĐND (29/NQ-HĐND).",
       "The document that sets the target, usually an HĐND resolution (29/NQ-HĐND).",
       ("tracesTo",)),
    _o("assignedBy", TT, "LegalDocument", "do văn bản giao", "assigned by",
       "Văn bản giao chỉ tiêu hoặc nhiệm vụ cho cơ quan, thường là quyết định UBND "
       "(1966/QĐ-UBND); có thể là kế hoạch hoặc báo cáo.",
       "The document assigning the target or task, usually a UBND decision (1966/QĐ-UBND); "
       "may be a plan or a report.", ("tracesTo",)),
    _o("issuedBy", DOC, "Organization", "cơ quan ban hành", "issued by",
       f"Cơ quan, tổ chức ban hành văn bản (phần ký hiệu sau dấu '/': QĐ-UBND); {ND30}.",
       "The body that issued the document (the symbol after '/': QĐ-UBND).",
       ("eli:passed_by",), source=ND30),
    _o("leadAgency", TTI, "Organization", "cơ quan chủ trì", "lead agency",
       f"Cơ quan chủ trì thực hiện, như văn bản nêu; {QD42}.",
       "The agency in charge (chủ trì), as stated in the document.", source=QD42),
    _o("impliedLeadAgency", TT, "Organization", "cơ quan chủ trì suy ra",
       "implied lead agency",
       "Chủ trì ngầm định khi văn bản không nêu (thường là UBND tỉnh ban hành); ghi là suy ra, "
       "không phải nêu.", "The implied owner when the text names none (usually the issuing "
       "UBND); recorded as implied, not stated.", ("leadAgency",)),
    _o("supportingAgency", TT, "Organization", "cơ quan phối hợp", "supporting agency",
       f"Cơ quan phối hợp thực hiện; {QD42}.", "A supporting agency (phối hợp).", source=QD42),
    _o("hasTarget", ("Indicator",), "Target", "có chỉ tiêu kế hoạch", "has target",
       "Chỉ tiêu kế hoạch đặt cho chỉ tiêu này.", "A target set for this indicator."),
    _o("forIndicator", ("Target", "Observation", "OfficialVerdict"), "Indicator", "thuộc chỉ tiêu",
       "for indicator", "Chỉ tiêu mà chỉ tiêu kế hoạch hoặc số liệu đo.",
       "The indicator the target or observation measures.", functional=True),
    _o("hasDeadline", TT, "Deadline", "có thời hạn", "has deadline",
       "Thời hạn hoàn thành.", "The completion deadline.", source=QD42),
    _o("forPeriod", ("Target", "Observation", "Report"), "Period", "cho kỳ", "for period",
       "Kỳ kế hoạch hoặc kỳ báo cáo.", "The plan or reporting period."),
    _o("periodKind", ("Period",), "skos:Concept", "loại kỳ", "period kind",
       "Loại kỳ (PeriodKindScheme).", "The kind of period (PeriodKindScheme).", source=ND09),
    _o("direction", ("Indicator",), "skos:Concept", "chiều đánh giá", "direction",
       "Chiều tốt của chỉ tiêu (DirectionScheme).",
       "Which way is better for the indicator (DirectionScheme)."),
    _o("status", ("Target", "Task", "StatusChange"), "skos:Concept", "trạng thái", "status",
       "Trạng thái tiến độ (PaceStatusScheme) hoặc nhiệm vụ (TaskStatusScheme).",
       "Pace status (PaceStatusScheme) or task status (TaskStatusScheme)."),
    _o("previousStatus", ("StatusChange",), "skos:Concept", "trạng thái trước",
       "previous status", "Trạng thái trước khi thay đổi.", "The status before the change."),
    _o("verdict", ("OfficialVerdict", "StatusChange", "Alert"), "skos:Concept", "đánh giá",
       "verdict", "Đánh giá Vượt/Đạt/Không đạt (VerdictScheme), của văn bản hoặc tính ra.",
       "Exceeded/achieved/not achieved (VerdictScheme), as the document says or computed."),
    _o("planBasis", ("Observation",), "skos:Concept", "so với", "plan basis",
       "Mốc so sánh của 'đạt X%': kế hoạch, kế hoạch điều chỉnh, dự toán (PlanBasisScheme).",
       "What 'đạt X%' compares with: plan, adjusted plan, budget (PlanBasisScheme)."),
    _o("alertKind", ("Alert",), "skos:Concept", "loại cảnh báo", "alert kind",
       "Loại cảnh báo (AlertKindScheme).", "The kind of alert (AlertKindScheme)."),
    _o("concerns", ("Alert", "StatusChange"), None, "liên quan đến", "concerns",
       "Chỉ tiêu, nhiệm vụ hoặc số liệu mà cảnh báo/thay đổi trạng thái nói đến.",
       "The target, task or observation the alert or status change is about."),
    _o("derivedFrom", (), None, "suy ra từ", "derived from",
       "Nguồn gốc: sự kiện (số liệu, văn bản) mà thực thể này được suy ra (PROV-O).",
       "Provenance: the facts this entity was derived from (PROV-O).",
       ("prov:wasDerivedFrom",)),
    _o("usedVersion", ("Alert", "StatusChange"), "prov:Entity", "dùng phiên bản",
       "used version",
       "Phiên bản chính xác của sự kiện mà luật đã dùng (kind:key#vN trong sổ dữ kiện); nút "
       "phiên bản là prov:specializationOf sự kiện và mang kh:version.",
       "The exact version of a fact the rule used (kind:key#vN in the fact log); the version "
       "node is prov:specializationOf the fact and carries kh:version.",
       ("prov:wasDerivedFrom",)),
    _o("sourceDocument", SOURCED, "LegalDocument", "văn bản nguồn", "source document",
       "Văn bản chứa câu trích dẫn sinh ra sự kiện này (số liệu, chỉ tiêu, nhiệm vụ); văn bản "
       "và cơ quan không có văn bản nguồn mà được nêu trong văn bản (mentionedIn).",
       "The document whose sentence produced this fact (a figure, target, task); documents "
       "and agencies have none: they are mentioned in a document (mentionedIn).",
       ("prov:hadPrimarySource",)),
    _o("sourcePassage", SOURCED, None, "đoạn trích nguồn", "source passage",
       "Câu của văn bản nguồn mà sự kiện được đọc ra: một oa:SpecificResource có oa:hasSource "
       "là văn bản và oa:hasSelector là một oa:TextQuoteSelector (oa:exact trích dẫn @vi, "
       "sourceLine dòng của nó) theo W3C Web Annotation.",
       "The sentence of the source document this fact was read from: an oa:SpecificResource "
       "whose oa:hasSource is the document and whose oa:hasSelector is an "
       "oa:TextQuoteSelector (oa:exact the @vi quote, sourceLine its line), W3C Web "
       "Annotation.", ("prov:wasDerivedFrom",), functional=True),
    _o("mentionedIn", ("LegalDocument", "Organization"), "LegalDocument", "được nêu trong",
       "mentioned in",
       "Văn bản nêu tên văn bản hoặc cơ quan này (dòng, trích dẫn: sourceLine, sourceQuote); "
       "văn bản nêu văn bản khác thì trích dẫn nó (eli:cites).",
       "The document that names this document or agency (line and quote: sourceLine, "
       "sourceQuote); a document naming another cites it (eli:cites)."),
    _o("responsibleAgency", ("Alert", "StatusChange"), "Organization", "cơ quan chịu trách nhiệm",
       "responsible agency",
       "Cơ quan chủ trì đối tượng của cảnh báo/thay đổi trạng thái khi luật chạy (người nhận).",
       "The agency answerable for the alert's or status change's subject when the rule ran "
       "(its addressee).", functional=True),
    _o("qualifiedResponsibility", TTI, "Responsibility", "trách nhiệm", "qualified responsibility",
       "Vai trò của một cơ quan đối với chỉ tiêu, chỉ tiêu kế hoạch hoặc nhiệm vụ (chủ trì, "
       "chủ trì suy ra, phối hợp).",
       "An agency's role for this indicator, target or task (lead, implied lead, support)."),
    _o("agency", ("Responsibility",), "Organization", "cơ quan", "agency",
       "Cơ quan giữ vai trò.", "The agency holding the role.", functional=True),
    _o("role", ("Responsibility",), "skos:Concept", "vai trò", "role",
       "Vai trò (RoleScheme): chủ trì, chủ trì suy ra, phối hợp.",
       "The role (RoleScheme): lead, implied lead, support.", functional=True),
    _o("legalBasis", (), "LegalDocument", "căn cứ pháp lý", "legal basis",
       "Văn bản quy định sự thay đổi tổ chức (sáp nhập, hợp nhất, giải thể), ví dụ Nghị định "
       "45/2025/NĐ-CP.",
       "The document that made an organisational change (merger, absorption, abolition), e.g. "
       "Decree 45/2025/NĐ-CP.", ("dcterms:source",)),
    _o("fromVersion", ("Responsibility",), "prov:Entity", "từ phiên bản", "from version",
       "Phiên bản của sự kiện (nhiệm vụ, chỉ tiêu) lần đầu nêu vai trò này; nút phiên bản là "
       "prov:specializationOf sự kiện, do một lần ghi (prov:wasGeneratedBy: thời điểm, người "
       "ghi) tạo ra.",
       "The version of the fact (task, indicator) that first stated this role; the version "
       "node is prov:specializationOf the fact, generated by a write (prov:wasGeneratedBy: "
       "time, agent).", functional=True),
    _o("untilVersion", ("Responsibility",), "prov:Entity", "đến phiên bản", "until version",
       "Phiên bản đầu tiên không còn nêu vai trò này (vai trò chấm dứt khi phiên bản đó được "
       "ghi); không có nghĩa là vai trò vẫn còn.",
       "The first version that no longer states this role (the role ended when that version "
       "was written); absent while the role holds.", functional=True),
    _o("observationStatus", ("Observation",), "skos:Concept", "tình trạng số liệu",
       "observation status", "Ước tính hay chính thức (ObservationStatusScheme).",
       "Estimate or actual (ObservationStatusScheme).", functional=True),
    _o("inJurisdiction", ("Organization", "LegalDocument", "Target", "Task", "Indicator",
                          "Observation", "Alert", "StatusChange"), "Jurisdiction",
       "thuộc phạm vi quản lý", "in jurisdiction",
       "Địa bàn hoặc cơ quan quản lý mà văn bản, cơ quan, chỉ tiêu, nhiệm vụ, số liệu hay cảnh "
       "báo thuộc về (tỉnh, bộ, cả nước).",
       "The jurisdiction a document, agency, target, task, figure or alert belongs to "
       "(a province, a ministry, the nation)."),
    _o("unitOfMeasure", ("Indicator", "Target", "Observation"), "skos:Concept", "đơn vị tính",
       "unit of measure",
       "Đơn vị tính như một khái niệm của bộ mã đơn vị (/id/scheme/units, skos:notation là mã), "
       "đối chiếu QUDT bằng skos:closeMatch khi có; nguyên văn vẫn ở thuộc tính unit.",
       "The unit as a concept of the unit code list (/id/scheme/units, skos:notation its code), "
       "aligned to QUDT with skos:closeMatch where one exists; the unit as written stays in "
       "unit.", functional=True),
    _o("succeededBy", ("Organization",), "Organization", "được kế thừa bởi", "succeeded by",
       "Cơ quan tiếp nhận chức năng khi sáp nhập, giải thể (Sở KH&ĐT → Sở Tài chính, 2025).",
       "The body taking over on a merger or dissolution (Planning → Finance, 2025)."),
    _o("subOrganizationOf", ("Organization",), "Organization", "trực thuộc",
       "sub-organization of", "Cơ quan cấp trên trực tiếp (W3C ORG).",
       "The directly superior body (W3C ORG).", ("org:subOrganizationOf",)),
)

OBSERVED = ("Target", "Observation")
DATA_PROPERTIES: tuple[PropertyTerm, ...] = (
    _d("documentNumber", DOC, "str", "số, ký hiệu", "document number",
       f"Số và ký hiệu như văn bản ghi (29/NQ-HĐND, 49-NQ/TU); {ND30}.",
       "Number and symbol as written (29/NQ-HĐND, 49-NQ/TU); not unique: '29-NQ/TW' names "
       "two documents (eli:number; our own key is eli:id_local).", ("eli:number",),
       source=ND30, functional=True),
    _d("issuedOn", DOC, "date", "ngày ban hành", "issued on",
       f"Ngày ban hành văn bản; {ND30}.", "The date the document was issued.",
       ("eli:date_document",), source=ND30, functional=True),
    _d("expression", (*OBSERVED, "Deadline", "OfficialVerdict"), "str", "nguyên văn", "expression",
       "Giá trị như văn bản ghi ('7 - 7,5', '≥5', '<5', 'trong Quý IV').",
       "The value as written ('7 - 7,5', '≥5', '<5', 'trong Quý IV')."),
    _d("unit", ("Indicator", *OBSERVED), "str", "đơn vị tính", "unit",
       "Đơn vị tính (%, tỷ đồng, triệu USD, ha, xã ...).",
       "Unit of measure (%, tỷ đồng, triệu USD, ha, xã ...)."),
    _d("lowerBound", OBSERVED, "float", "cận dưới", "lower bound",
       "Cận dưới đã đọc từ nguyên văn.", "The parsed lower bound."),
    _d("upperBound", OBSERVED, "float", "cận trên", "upper bound",
       "Cận trên đã đọc từ nguyên văn.", "The parsed upper bound."),
    _d("lowerOpen", OBSERVED, "bool", "cận dưới mở", "lower bound open",
       "Đúng khi cận dưới là bất đẳng thức ngặt ('>3', 'trên 90%'); chỉ ghi khi đúng.",
       "True when the lower bound is strict ('>3', 'trên 90%'); written only when true."),
    _d("upperOpen", OBSERVED, "bool", "cận trên mở", "upper bound open",
       "Đúng khi cận trên là bất đẳng thức ngặt ('<3'); chỉ ghi khi đúng.",
       "True when the upper bound is strict ('<3'); written only when true."),
    _d("observedValue", ("Observation",), "float", "giá trị thực hiện", "observed value",
       "Giá trị điểm của số liệu (số thập phân, dấu ',' trong nguyên văn).",
       "The point value of the figure (decimal; ',' in the text).", functional=True),
    _d("pctOfPlan", ("Observation",), "float", "đạt % kế hoạch", "percent of plan",
       "Tỷ lệ 'đạt X% kế hoạch/dự toán' như văn bản ghi; không tự sửa khi lệch.",
       "The stated 'đạt X% kế hoạch/dự toán'; never corrected when inconsistent."),
    _d("sourceLine", (), "int", "dòng nguồn", "source line",
       "Số dòng (từ 1) trong văn bản nguồn nơi trích dẫn bắt đầu.",
       "The 1-based line in the source document where the quote starts.", functional=True),
    _d("sourceQuote", (), "", "trích dẫn nguồn", "source quote",
       "Câu trích nguyên văn từ văn bản nguồn (chuỗi có thẻ ngôn ngữ @vi; SHACL kiểm tra).",
       "The verbatim quote from the source (a @vi language-tagged string; SHACL checks it)."),
    _d("version", (), "int", "phiên bản", "version",
       "Số phiên bản hiện tại của sự kiện trong sổ dữ kiện (từ 1); phiên bản này do hoạt động "
       "prov:wasGeneratedBy tạo ra (nạp, nhập, ghi qua API, luật), có thời điểm và người ghi.",
       "The fact's current version number in the fact log (from 1); that version was "
       "generated by the prov:wasGeneratedBy activity (load, import, API write, rules), "
       "with its time and agent.", functional=True),
    _d("baseline", ("Target", "OfficialVerdict"), "str", "năm gốc", "baseline",
       "Giá trị năm gốc (thực hiện năm trước) như văn bản ghi.",
       "The baseline (previous year's actual) as written."),
    _d("derivation", ("Target",), "str", "cách suy ra", "derivation",
       "Phép tính suy ra chỉ tiêu kế hoạch khi văn bản không ghi trực tiếp (giá trị ÷ % kế "
       "hoạch của một số liệu); chỉ có ở chỉ tiêu suy ra.",
       "How a target not written in the document was computed (value ÷ % of plan of a "
       "figure); only on derived targets."),
    _d("planExpression", ("OfficialVerdict",), "str", "kế hoạch (nguyên văn)",
       "plan as written", "Kế hoạch như dòng bảng đánh giá ghi.",
       "The plan as the assessment row writes it."),
    _d("validFrom", (), "date", "có hiệu lực từ", "valid from",
       "Ngày bắt đầu hiệu lực (văn bản, trách nhiệm của cơ quan).",
       "The date from which it holds (a document, an agency's responsibility)."),
    _d("validUntil", (), "date", "có hiệu lực đến", "valid until",
       "Ngày hết hiệu lực (ví dụ cấp huyện chấm dứt 1/7/2025).",
       "The date it stops holding (e.g. districts ended 1/7/2025)."),
    _d("startDate", ("Period",), "date", "ngày bắt đầu", "start date",
       "Ngày đầu của kỳ (năm thống kê đặc biệt: 15/12 năm trước).",
       "First day of the period (special statistical years start 15/12)."),
    _d("endDate", ("Period",), "date", "ngày kết thúc", "end date",
       "Ngày cuối của kỳ.", "Last day of the period."),
    _d("dueOn", ("Deadline",), "date", "hạn ngày", "due on",
       "Ngày đến hạn đã quy đổi ('trong Quý IV' → 31/12).",
       "The resolved due date ('trong Quý IV' → 31/12).", source=QD42),
    _d("conditional", ("Deadline",), "bool", "có điều kiện", "conditional",
       "Đúng khi thời hạn phụ thuộc sự kiện ('sau khi Thủ tướng phê duyệt'); chỉ ghi khi "
       "đúng.", "True when the deadline waits for an event ('after the Prime Minister "
       "approves'); written only when true."),
    _d("asOf", ("Alert", "StatusChange"), "date", "tại ngày", "as of",
       "Ngày đánh giá của luật.", "The date the rule evaluated as of."),
    _d("ruleId", ("Rule",), "str", "mã luật", "rule id",
       "Mã của luật (prov:Plan); cảnh báo/trạng thái nêu luật qua lần chạy sinh ra nó "
       "(prov:wasGeneratedBy/prov:qualifiedAssociation/prov:hadPlan), không lặp lại mã.",
       "Id of the rule (a prov:Plan); an alert or status change names its rule through the "
       "run that generated it (prov:wasGeneratedBy/prov:qualifiedAssociation/prov:hadPlan), "
       "never repeating the id."),
    _d("ruleVersion", ("Rule",), "str", "phiên bản luật",
       "rule version", "Phiên bản của luật (prov:Plan) mà lần chạy đã theo.",
       "Version of the rule (a prov:Plan) the run followed."),
    _d("ruleFile", ("Rule",), "str", "tệp luật", "rule file",
       "Tệp định nghĩa luật trong kho mã (rules/definitions/pace.yaml).",
       "The file defining the rule in the repository (rules/definitions/pace.yaml).",
       functional=True),
)


def _s(name: str, vi: str, en: str, source: str | None = None) -> ConceptTerm:
    return ConceptTerm(name, vi, en, f"Bộ mã: {vi.lower()}.", f"Code list: {en.lower()}.",
                       source)


def _k(scheme: str, name: str, vi: str, en: str, dvi: str, den: str,
       source: str | None = None) -> ConceptTerm:
    return ConceptTerm(name, vi, en, dvi, den, source, scheme)


OPEN_SDG = "Open SDG / Statistics Canada progress measure"
SCHEMES: tuple[ConceptTerm, ...] = (
    _s("DirectionScheme", "Chiều đánh giá chỉ tiêu", "Indicator directions"),
    _s("VerdictScheme", "Kết quả đánh giá", "Verdicts"),
    _s("PaceStatusScheme", "Trạng thái tiến độ chỉ tiêu", "Target pace statuses", OPEN_SDG),
    _s("TaskStatusScheme", "Trạng thái nhiệm vụ", "Task statuses", QD42),
    _s("AlertKindScheme", "Loại cảnh báo", "Alert kinds"),
    _s("PeriodKindScheme", "Loại kỳ", "Period kinds", ND09),
    _s("PlanBasisScheme", "Mốc so sánh kế hoạch", "Plan bases"),
    _s("RoleScheme", "Vai trò của cơ quan", "Agency roles", QD42),
    _s("ObservationStatusScheme", "Tình trạng số liệu", "Observation statuses"),
    _s("DocumentTypeScheme", "Loại văn bản", "Document types", ND30),
)

CONCEPTS: tuple[ConceptTerm, ...] = (
    _k("DirectionScheme", "direction_increase", "Tăng", "Increase",
       "Càng cao càng tốt.", "Higher is better."),
    _k("DirectionScheme", "direction_decrease", "Giảm", "Decrease",
       "Càng thấp càng tốt (tỷ lệ hộ nghèo).", "Lower is better (poverty rate)."),
    _k("DirectionScheme", "direction_band", "Trong khoảng", "Band",
       "Nằm trong khoảng là đạt (cơ cấu kinh tế).", "Inside the range is achieved (shares)."),
    _k("DirectionScheme", "direction_maintain", "Duy trì", "Maintain",
       "Giữ mức đã đạt.", "Keep the level reached."),
    _k("VerdictScheme", "verdict_exceeded", "Vượt", "Exceeded",
       "Vượt kế hoạch (cột 'Đánh giá' của báo cáo).", "Above plan (report column 'Đánh giá')."),
    _k("VerdictScheme", "verdict_achieved", "Đạt", "Achieved",
       "Đạt kế hoạch: trong khoảng, bằng, hoặc thỏa bất đẳng thức.",
       "Met: inside the range, equal, or inequality satisfied."),
    _k("VerdictScheme", "verdict_not_achieved", "Không đạt", "Not achieved",
       "Không đạt kế hoạch.", "Below plan or outside the band."),
    _k("PaceStatusScheme", "pace_on_track", "Đúng tiến độ", "On track",
       "Thực hiện/kỳ vọng từ ngưỡng 'on_track' trở lên (rules/definitions/pace.yaml).",
       "Actual/expected at or above the 'on_track' cut (rules/definitions/pace.yaml).",
       OPEN_SDG),
    _k("PaceStatusScheme", "pace_at_risk", "Có nguy cơ không đạt", "At risk",
       "Thực hiện/kỳ vọng từ ngưỡng 'at_risk' đến dưới 'on_track' (pace.yaml).",
       "Actual/expected from the 'at_risk' cut to below 'on_track' (pace.yaml).", OPEN_SDG),
    _k("PaceStatusScheme", "pace_off_track", "Chậm tiến độ", "Off track",
       "Thực hiện/kỳ vọng dưới ngưỡng 'at_risk' (pace.yaml).",
       "Actual/expected below the 'at_risk' cut (pace.yaml).", OPEN_SDG),
    _k("PaceStatusScheme", "pace_achieved_early", "Đạt sớm", "Achieved early",
       "Đã đạt chỉ tiêu trước hết kỳ.", "Target met before the period ends.", OPEN_SDG),
    _k("TaskStatusScheme", "task_completed_on_time", "Hoàn thành đúng hạn",
       "Completed on time", "Hoàn thành trong thời hạn.", "Done within the deadline.", QD42),
    _k("TaskStatusScheme", "task_completed_late", "Hoàn thành quá hạn", "Completed late",
       "Hoàn thành sau thời hạn.", "Done after the deadline.", QD42),
    _k("TaskStatusScheme", "task_completed", "Hoàn thành (không rõ ngày)",
       "Completed (date not stated)",
       "Hoàn thành; nguồn không nêu ngày và báo cáo sau hạn, nên không biết đúng hạn hay không.",
       "Done; the source states no day and reports after the deadline, so on time is unknown.",
       QD42),
    _k("TaskStatusScheme", "task_in_progress", "Đang thực hiện trong hạn",
       "In progress", "Chưa hoàn thành, còn trong hạn.", "Not done, within deadline.", QD42),
    _k("TaskStatusScheme", "task_overdue", "Quá hạn chưa hoàn thành", "Overdue",
       "Chưa hoàn thành, đã quá hạn (tính số ngày quá hạn).",
       "Not done, past its deadline (ageing counted in days).", QD42),
    _k("TaskStatusScheme", "task_due_soon", "Sắp đến hạn", "Due soon",
       "Chưa hoàn thành, sắp đến hạn (số ngày cấu hình được).",
       "Not done, deadline near (configurable days)."),
    _k("AlertKindScheme", "alert_target_at_risk", "Chỉ tiêu có nguy cơ", "Target at risk",
       "Chỉ tiêu chuyển sang có nguy cơ không đạt.", "A target became at risk."),
    _k("AlertKindScheme", "alert_target_off_track", "Chỉ tiêu chậm tiến độ",
       "Target off track", "Chỉ tiêu chậm tiến độ.", "A target is off track."),
    _k("AlertKindScheme", "alert_task_overdue", "Nhiệm vụ quá hạn", "Task overdue",
       "Nhiệm vụ quá hạn chưa hoàn thành.", "A task is overdue.", QD42),
    _k("AlertKindScheme", "alert_task_due_soon", "Nhiệm vụ sắp đến hạn", "Task due soon",
       "Nhiệm vụ sắp đến hạn chưa hoàn thành.", "A task is due soon."),
    _k("AlertKindScheme", "alert_missing_report", "Thiếu báo cáo", "Missing report",
       "Không có số liệu cho kỳ phải báo cáo.", "No figure for a period that is due."),
    _k("AlertKindScheme", "alert_verdict_contradiction", "Đánh giá mâu thuẫn số liệu",
       "Verdict contradicts figures", "Đánh giá của văn bản trái với số liệu của chính nó.",
       "The document's own verdict disagrees with its numbers."),
    _k("AlertKindScheme", "alert_plan_pct_mismatch", "Tỷ lệ % kế hoạch lệch",
       "Percent of plan mismatch", "'Đạt X% kế hoạch' khác giá trị/kế hoạch.",
       "The stated percent of plan differs from value/plan."),
    _k("PeriodKindScheme", "period_month", "Tháng", "Month", "Số liệu một tháng.",
       "One month's figure.", ND09),
    _k("PeriodKindScheme", "period_year_to_date", "Lũy kế", "Year to date",
       "Lũy kế từ đầu năm ('lũy kế 11 tháng').", "Cumulative since January.", ND09),
    _k("PeriodKindScheme", "period_to_date", "Lũy kế đến ngày", "Year to a date",
       "Lũy kế từ đầu năm đến một ngày ('tính đến hết ngày 27/11/2025').",
       "Cumulative from 1 January to a given day.", ND09),
    _k("PeriodKindScheme", "period_six_month", "6 tháng", "Six months",
       "6 tháng đầu năm.", "First half year.", ND09),
    _k("PeriodKindScheme", "period_nine_month", "9 tháng", "Nine months",
       "9 tháng đầu năm.", "First nine months.", ND09),
    _k("PeriodKindScheme", "period_year_estimate", "Ước cả năm", "Year estimate",
       "Ước thực hiện cả năm.", "Estimate for the whole year.", ND09),
    _k("PeriodKindScheme", "period_year", "Năm", "Year", "Cả năm (kế hoạch hoặc "
       "thực hiện).", "A whole year (plan or final).", ND09),
    _k("PeriodKindScheme", "period_five_year", "5 năm", "Five years",
       "Giai đoạn 5 năm (2021-2025).", "A five-year period (2021-2025)."),
    _k("PlanBasisScheme", "basis_plan", "Kế hoạch", "Plan",
       "So với kế hoạch đầu năm.", "Compared with the initial annual plan."),
    _k("PlanBasisScheme", "basis_adjusted_plan", "Kế hoạch điều chỉnh", "Adjusted plan",
       "So với kế hoạch sau điều chỉnh.", "Compared with the adjusted plan."),
    _k("PlanBasisScheme", "basis_budget", "Dự toán", "Budget",
       "So với dự toán (thu, chi ngân sách).", "Compared with the budget estimate."),
    _k("AlertKindScheme", "alert_not_achieved", "Không đạt chỉ tiêu", "Target not achieved",
       "Chỉ tiêu không đạt khi hết kỳ.", "A target was not met at the end of its period."),
    _k("AlertKindScheme", "alert_achieved_early", "Hoàn thành trước hạn", "Achieved early",
       "Chỉ tiêu đã đạt trước khi hết kỳ.", "A target was met before its period ended."),
    _k("AlertKindScheme", "alert_discrepancy", "Số liệu không khớp", "Discrepancy",
       "Số liệu, đánh giá hoặc tỷ lệ % kế hoạch của văn bản không khớp nhau.",
       "A document's figures, verdict or percent of plan disagree."),
    _k("AlertKindScheme", "alert_escalated", "Báo cáo cấp trên", "Escalated",
       "Cảnh báo kéo dài được chuyển lên cấp trên.", "A lasting alert raised to the superior."),
    _k("AlertKindScheme", "alert_slipping", "Tiến độ xấu dần", "Pace slipping",
       "Tiến độ xấu đi qua các kỳ báo cáo liên tiếp (đúng tiến độ → có nguy cơ chậm → chậm tiến "
       "độ).", "The pace got worse period after period (on track → at risk → off track)."),
    _k("AlertKindScheme", "alert_data_quality", "Số liệu cần kiểm tra", "Data-quality finding",
       "Số liệu cần kiểm tra lại.", "A figure that needs checking."),
    _k("PeriodKindScheme", "period_quarter", "Quý", "Quarter", "Một quý.", "One quarter.",
       ND09),
    _k("PeriodKindScheme", "period_half", "Nửa năm", "Half year",
       "6 tháng đầu năm hoặc 6 tháng cuối năm.", "First or second half of a year.", ND09),
    _k("RoleScheme", "role_lead", "Chủ trì", "Lead", "Cơ quan chủ trì, như văn bản nêu.",
       "The agency in charge, as the document states.", QD42),
    _k("RoleScheme", "role_implied_lead", "Chủ trì suy ra", "Implied lead",
       "Chủ trì ngầm định khi văn bản không nêu.", "The implied owner when the text names none."),
    _k("RoleScheme", "role_support", "Phối hợp", "Support", "Cơ quan phối hợp thực hiện.",
       "A supporting agency.", QD42),
    _k("ObservationStatusScheme", "obs_estimate", "Ước tính", "Estimate",
       "Số ước thực hiện (có thể thay đổi khi có số chính thức).",
       "An estimate (may change when the final figure comes)."),
    _k("ObservationStatusScheme", "obs_actual", "Thực hiện", "Actual",
       "Số thực hiện chính thức.", "The final, actual figure."),
    *(_k("DocumentTypeScheme", f"doctype_{slug}", vi, en, f"Ký hiệu loại văn bản '{code}'.",
         f"Document type code '{code}'.", ND30) for code, slug, vi, en in (
        ("L", "law", "Luật", "Law"), ("NĐ", "decree", "Nghị định", "Decree"),
        ("TT", "circular", "Thông tư", "Circular"), ("NQ", "resolution", "Nghị quyết",
                                                     "Resolution"),
        ("QĐ", "decision", "Quyết định", "Decision"), ("CT", "directive", "Chỉ thị",
                                                      "Directive"),
        ("KH", "plan", "Kế hoạch", "Plan"), ("CTr", "programme", "Chương trình", "Programme"),
        ("ĐA", "scheme", "Đề án", "Scheme"), ("BC", "report", "Báo cáo", "Report"),
        ("CV", "official_letter", "Công văn", "Official letter"),
        ("TB", "notice", "Thông báo", "Notice"), ("HD", "guidance", "Hướng dẫn", "Guidance"),
        ("TTr", "submission", "Tờ trình", "Submission"),
        ("KL", "conclusion", "Kết luận", "Conclusion"))),
)

DOCUMENT_TYPE_CODES: dict[str, str] = {
    "L": "law", "NĐ": "decree", "TT": "circular", "NQ": "resolution", "QĐ": "decision",
    "CT": "directive", "KH": "plan", "CTr": "programme", "ĐA": "scheme", "BC": "report",
    "CV": "official_letter", "TB": "notice", "HD": "guidance", "TTr": "submission",
    "KL": "conclusion"}
"""Document type code (ký hiệu loại, data field ``type``) → ``doctype_<slug>`` concept."""

NOTATIONS: dict[str, str] = {
    **{f"direction_{d}": d for d in ("increase", "decrease", "band", "maintain")},
    **{f"verdict_{v}": v for v in ("exceeded", "achieved", "not_achieved")},
    **{f"pace_{s}": s for s in ("on_track", "at_risk", "off_track", "achieved_early")},
    **{f"task_{s}": s for s in ("completed_on_time", "completed_late", "completed", "in_progress",
                                "overdue", "due_soon")},
    "alert_target_at_risk": "at_risk", "alert_target_off_track": "off_track",
    "alert_task_overdue": "overdue", "alert_task_due_soon": "due_soon",
    "alert_verdict_contradiction": "discrepancy.verdict",
    "alert_plan_pct_mismatch": "discrepancy.pct_of_plan",
    **{f"alert_{k}": k for k in ("missing_report", "not_achieved", "achieved_early",
                                 "discrepancy", "escalated", "data_quality",
                                 "slipping")},
    "period_month": "month", "period_year_to_date": "cumulative", "period_to_date": "to_date",
    "period_six_month": "cumulative_6", "period_nine_month": "cumulative_9",
    "period_year_estimate": "year_estimate", "period_year": "year",
    "period_five_year": "multi_year", "period_quarter": "quarter", "period_half": "half",
    "basis_plan": "ke_hoach", "basis_adjusted_plan": "ke_hoach_dieu_chinh",
    "basis_budget": "du_toan",
    **{f"role_{r}": r for r in ("lead", "implied_lead", "support")},
    "obs_estimate": "estimate", "obs_actual": "actual",
    **{f"doctype_{slug}": code for code, slug in DOCUMENT_TYPE_CODES.items()},
}
"""Concept → ``skos:notation``: the code the data and the rules use for it."""


QUDT_UNIT = "http://qudt.org/vocab/unit/"


@dataclass(frozen=True)
class UnitTerm:
    """A unit of measure of the unit code list: code (``skos:notation``), the unit as
    documents write it (vi), its English name, other spellings, the QUDT unit it matches
    (local name under ``QUDT_UNIT``; only where the match is certain: no scaled units)."""

    code: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()
    qudt: str | None = None


UNITS: tuple[UnitTerm, ...] = (
    UnitTerm("percent", "%", "per cent", (), "PERCENT"),
    UnitTerm("ty_dong", "tỷ đồng", "billion VND"),
    UnitTerm("nghin_ty_dong", "nghìn tỷ đồng", "trillion VND"),
    UnitTerm("trieu_dong", "triệu đồng", "million VND"),
    UnitTerm("trieu_usd", "triệu USD", "million US dollars", ("triệu đô la Mỹ",)),
    UnitTerm("usd", "USD", "US dollars"),
    UnitTerm("ha", "ha", "hectare", ("héc-ta", "hécta"), "HA"),
    UnitTerm("km", "km", "kilometre", (), "KiloM"),
    UnitTerm("tan", "tấn", "tonnes"),
    UnitTerm("nghin_tan", "nghìn tấn", "thousand tonnes"),
    UnitTerm("nguoi", "người", "persons"),
    UnitTerm("lao_dong", "lao động", "workers"),
    UnitTerm("luot", "lượt", "visits"),
    UnitTerm("nghin_luot", "nghìn lượt", "thousand visits"),
    UnitTerm("trieu_luot", "triệu lượt", "million visits"),
    UnitTerm("xa", "xã", "communes"),
    UnitTerm("truong", "trường", "schools"),
    UnitTerm("doanh_nghiep", "doanh nghiệp", "enterprises"),
    UnitTerm("hop_tac_xa", "hợp tác xã", "cooperatives"),
    UnitTerm("giuong", "giường", "beds"),
    UnitTerm("giuong_benh_van_dan", "giường bệnh/vạn dân", "hospital beds per 10,000 people"),
    UnitTerm("bac_sy", "bác sỹ", "doctors", ("bác sĩ",)),
    UnitTerm("bac_sy_van_dan", "bác sỹ/vạn dân", "doctors per 10,000 people",
             ("bác sĩ/vạn dân",)),
    UnitTerm("vu", "vụ", "cases"),
    UnitTerm("san_pham", "sản phẩm", "products"),
    UnitTerm("giay", "giấy", "certificates"),
    UnitTerm("nghin_m3", "nghìn m³", "thousand cubic metres", ("nghìn m3",)),
    UnitTerm("trieu_cay", "triệu cây", "million trees"),
    UnitTerm("trieu_vien", "triệu viên", "million pieces"),
    UnitTerm("trieu_kwh", "triệu kWh", "million kWh"),
    UnitTerm("tai_khoan", "tài khoản", "accounts"),
)
"""The unit code list (đơn vị tính): the units of the plan's indicators, targets and figures.
A unit written otherwise stays a literal (``kh:unit``) with no concept."""
