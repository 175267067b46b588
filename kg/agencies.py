"""Agencies (cơ quan, đơn vị): their kinds, their ids, the one builder of an agency fact, and
the agencies an extraction proposes for names the log does not know.

- ``AGENCY_KINDS``: every agency kind kehoach knows (``data/langson/README.md``) with its
  Vietnamese and English label and the words a person may write for it.
- ``agency_id(name)`` / ``unique_id(name, taken)``: kebab-case ASCII ids in the style of
  ``data/langson/agencies.yaml`` ("Sở Kế hoạch và Đầu tư" → ``so-ke-hoach-va-dau-tu``); a
  different name whose id is taken gets a numbered suffix, never the other agency's id.
- ``guess_kind(name)``: the kind the administrative language's head word gives ("Sở" →
  department, "UBND huyện" → district committee, "Bộ" → ministry ...), None when it does not
  tell.
- ``agency_fact(agency)``: the fact of an ``Agency`` (or ``ProposedAgency``), in the row shape
  of ``data/langson/agencies.yaml``.
- ``propose_agency(name_as_written, jurisdiction)``: a new agency for a name an extraction met
  and the log does not know (``ingest`` shows it; it is created only when asked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kg.errors import KehoachError, Place
from kg.log import Fact, Source
from kg.matching import Matcher, fold
from kg.notation import nfc

AGENCY_KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "provincial_committee": ("UBND tỉnh", "provincial People's Committee",
                             ("Ủy ban nhân dân tỉnh", "UBND thành phố trực thuộc trung ương")),
    "provincial_council": ("HĐND tỉnh", "provincial People's Council",
                           ("Hội đồng nhân dân tỉnh",)),
    "party_committee": ("cấp ủy Đảng", "Party committee", ("Tỉnh ủy", "Thành ủy", "Đảng ủy")),
    "party_standing_board": ("Ban Thường vụ", "Party standing board",
                             ("Ban Thường vụ Tỉnh ủy", "Ban Bí thư")),
    "party_politburo": ("Bộ Chính trị", "Politburo", ()),
    "department": ("sở", "department", ("sở ngành", "cơ quan chuyên môn")),
    "provincial_body": ("cơ quan thuộc tỉnh", "provincial body",
                        ("ban", "văn phòng", "thanh tra", "đài")),
    "central_branch": ("ngành dọc", "central branch",
                       ("cơ quan ngành dọc", "cơ quan trung ương trên địa bàn")),
    "district_committee": ("UBND huyện", "district People's Committee",
                           ("Ủy ban nhân dân huyện", "UBND cấp huyện")),
    "commune_committee": ("UBND xã", "commune People's Committee",
                          ("Ủy ban nhân dân xã", "UBND cấp xã", "UBND phường")),
    "central_government": ("Chính phủ", "the Government", ()),
    "prime_minister": ("Thủ tướng", "Prime Minister", ("Thủ tướng Chính phủ",)),
    "ministry": ("bộ", "ministry", ("cơ quan ngang bộ", "bộ ngành")),
    "ministry_unit": ("đơn vị thuộc bộ", "ministry unit", ("cục", "vụ", "tổng cục")),
    "national_assembly": ("Quốc hội", "National Assembly", ("Ủy ban Thường vụ Quốc hội",)),
    "association": ("đoàn thể", "association", ("hội", "tổ chức chính trị - xã hội")),
}
"""kind → (Vietnamese label, English label, other words accepted for it)."""

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_CHARS = 80
_ABBREVIATIONS = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"))
_EXPANSIONS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tw": "trung uong",
               "mttq": "mat tran to quoc", "bhxh": "bao hiem xa hoi", "tp": "thanh pho",
               "nhnn": "ngan hang nha nuoc", "kbnn": "kho bac nha nuoc"}


class AgencyError(KehoachError):
    """An agency written by a person (sheet row, command) is wrong; the place names the field."""

    code = "agency_invalid"


def kind_label(kind: str | None) -> str:
    """The Vietnamese label of an agency kind ("sở"), the code itself when unknown, "—" for none."""
    if not kind:
        return "—"
    return AGENCY_KINDS[kind][0] if kind in AGENCY_KINDS else kind


def choose_kind(text: str) -> str | None:
    """The kind ``text`` names: its code, label or an accepted word (diacritics-insensitive)."""
    folded = fold(text)
    for kind, (vi, en, words) in AGENCY_KINDS.items():
        if folded in {fold(kind), fold(vi), fold(en), *(fold(w) for w in words)}:
            return kind
    return None


# -- ids -------------------------------------------------------------------------------------

def agency_id(name: str) -> str:
    """A kebab-case ASCII id from a name: "Ủy ban nhân dân huyện Cao Lộc" →
    ``ubnd-huyen-cao-loc``; at most ``MAX_ID_CHARS`` characters, cut at a word. "" when the
    name has no Latin letter or digit."""
    folded = fold(nfc(name).replace("Ð", "Đ").replace("ð", "đ")).replace("%", " pct ")
    for long, short in _ABBREVIATIONS:
        folded = re.sub(rf"\b{long}\b", short, folded)
    words = folded.split()
    out: list[str] = []
    for word in words:
        if out and len("-".join([*out, word])) > MAX_ID_CHARS:
            break
        out.append(word[:MAX_ID_CHARS])
    return "-".join(out)


def unique_id(name: str, taken: set[str] | Matcher) -> str:
    """``agency_id(name)``, with "-2", "-3" ... when another agency holds it already, so a new
    agency never takes a known one's id. "" when the name gives no id."""
    base = agency_id(name)
    if not base:
        return ""
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base[:MAX_ID_CHARS - len(str(n)) - 1]}-{n}"
    return key


# -- kinds from the head word ----------------------------------------------------------------

_CENTRAL_CITIES = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
"""Thành phố trực thuộc trung ương (province-level cities, Luật Tổ chức chính quyền địa
phương 2025): "UBND thành phố Hà Nội" is a provincial committee, "UBND thành phố Lạng Sơn"
a district one."""
_PARTY_WORDS = ("tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy", "dang uy", "dang bo",
                "ban chap hanh")
_BRANCH_HEADS = ("cuc ", "chi cuc ", "kho bac ", "bao hiem xa hoi", "cong an",
                 "vien kiem sat nhan dan", "toa an nhan dan", "chi nhanh ngan hang nha nuoc",
                 "ngan hang nha nuoc", "thue ", "thong ke ", "hai quan ", "bo chi huy",
                 "bo tu lenh", "kiem toan nha nuoc khu vuc", "chi nhanh ")
_LOCAL_WORDS = (" tinh", " thanh pho", " khu vuc", " huyen", " chi nhanh", " quan khu")
_PROVINCE_BODY_HEADS = ("van phong ", "thanh tra ", "ban ", "dai phat thanh", "dai truyen hinh",
                        "dai pt", "bao va phat thanh", "bao va dai phat thanh")
_ASSOCIATION_HEADS = ("hoi ", "lien doan lao dong", "uy ban mat tran to quoc", "mat tran to quoc",
                      "tinh doan", "doan thanh nien", "lien minh hop tac xa")
_MINISTRY_LEVEL = ("van phong chinh phu", "thanh tra chinh phu", "uy ban dan toc",
                   "ngan hang nha nuoc viet nam", "kiem toan nha nuoc")


def _expanded(name: str) -> str:
    return " ".join(_EXPANSIONS.get(w, w) for w in fold(name).split())


def _level(rest: str) -> str | None:
    """The tier a committee's or council's name names: province, district or commune."""
    if not rest or rest.startswith("tinh"):
        return "province"
    if rest.startswith("thanh pho"):
        return "province" if rest[len("thanh pho "):].startswith(_CENTRAL_CITIES) else "district"
    if rest.startswith(("huyen", "quan ", "thi xa")):
        return "district"
    if rest.startswith(("xa ", "phuong", "thi tran", "dac khu")):
        return "commune"
    return None


def _people_body(f: str) -> str | None:
    for head, kinds in (("uy ban nhan dan", ("provincial_committee", "district_committee",
                                             "commune_committee")),
                        ("hoi dong nhan dan", ("provincial_council", None, None))):
        if f.startswith(head) or f.startswith(f"thuong truc {head}"):
            level = _level(f.split(head, 1)[1].strip())
            tiers = {"province": kinds[0], "district": kinds[1], "commune": kinds[2]}
            return tiers.get(level) if level else None
    return None


def _local(f: str, provincial: bool) -> bool:
    """Whether a branch or body is a province's: it says so ("… tỉnh", "… khu vực"), or it
    names no tier, is not the national one ("… Việt Nam", "… Trung ương", "… Bộ") and the
    jurisdiction is a province."""
    if any(w in f" {f}" for w in _LOCAL_WORDS):
        return True
    national = re.search(r"\b(viet nam|trung uong)\b", f) or re.match(r"\w+( \w+)? bo\b", f)
    return provincial and not national


def guess_kind(name: str, jurisdiction_kind: str | None = None) -> str | None:
    """The agency kind the head word of ``name`` gives in the administrative language, or None.

    "Sở …" → department; "Bộ Chỉ huy/Bộ Tư lệnh …" → central branch, other "Bộ …" → ministry;
    "UBND/Ủy ban nhân dân tỉnh|huyện|xã …" → provincial / district / commune committee (a
    "thành phố trực thuộc trung ương" is provincial); "HĐND tỉnh" → provincial council;
    "Tỉnh ủy", "Thành ủy", "Đảng ủy", "Ban Chấp hành …" → Party committee; "Ban Thường vụ",
    "Ban Bí thư" → standing board; "Chính phủ", "Thủ tướng", "Quốc hội"; "Cục/Chi cục …,
    Kho bạc Nhà nước, Bảo hiểm xã hội, Công an, Chi nhánh Ngân hàng Nhà nước …" of a province →
    central branch; "Văn phòng/Thanh tra/Ban/Đài … tỉnh" → provincial body; "Hội …", "Liên đoàn
    Lao động", "Ủy ban Mặt trận Tổ quốc", "Tỉnh đoàn" → association; in a ministry's
    jurisdiction "Cục/Tổng cục/Vụ …", "Văn phòng Bộ", "Thanh tra Bộ" → ministry unit. A
    branch or body named without its tier counts as the province's only when
    ``jurisdiction_kind`` is "province" (or unknown). Anything else (trường, bệnh viện,
    trung tâm, công ty) → None.
    """
    f = _expanded(name)
    if f.startswith(("cac ", "nhung ", "bo nganh")):
        return None  # a collective ("các sở, ngành", "bộ, ngành liên quan"), not one agency
    provincial = jurisdiction_kind in (None, "province")
    people = _people_body(f)
    if people or f.startswith(("uy ban nhan dan", "hoi dong nhan dan", "thuong truc hoi dong")):
        return people
    checks: tuple[tuple[bool, str | None], ...] = (
        (f.startswith("thu tuong"), "prime_minister"),
        (f == "chinh phu" or f.startswith("chinh phu "), "central_government"),
        (f.startswith(("quoc hoi", "uy ban thuong vu quoc hoi", "van phong quoc hoi",
                       "doan dai bieu quoc hoi")), "national_assembly"),
        (f.startswith("bo chinh tri"), "party_politburo"),
        (f.startswith(("ban thuong vu", "ban bi thu")), "party_standing_board"),
        (f.startswith(_PARTY_WORDS) or (f.startswith("thuong truc ")
                                        and f[len("thuong truc "):].startswith(_PARTY_WORDS)),
         "party_committee"),
        (f.startswith(_MINISTRY_LEVEL) and not any(w in f" {f}" for w in _LOCAL_WORDS),
         "ministry"),
        (f.startswith("so "), "department"),
        (jurisdiction_kind in ("ministry", "central_body")
         and f.startswith(("cuc ", "tong cuc ", "vu ", "van phong bo", "thanh tra bo")),
         "ministry_unit"),
        (f.startswith("ban dan toc") and _local(f, provincial), "department"),
        (f.startswith(_BRANCH_HEADS) and _local(f, provincial), "central_branch"),
        (f.startswith("bo "), "ministry"),
        (f.startswith(_ASSOCIATION_HEADS) or "mat tran to quoc" in f, "association"),
        (f.startswith(_PROVINCE_BODY_HEADS) and not f.startswith("ban chi dao")
         and _local(f, provincial), "provincial_body"),
    )
    return next((kind for hit, kind in checks if hit), None)


# -- the agency and its fact -----------------------------------------------------------------

@dataclass(frozen=True)
class Agency:
    """An agency as kehoach records it (``data/langson/agencies.yaml`` row shape)."""

    id: str
    name: str
    kind: str | None
    short: str | None = None
    name_en: str | None = None
    parent: str | None = None
    jurisdiction: str | None = None  # the agency's own địa bàn (a kg.jurisdictions code)
    aliases: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    source: Source | None = None

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_en": self.name_en, "short": self.short,
                "kind": self.kind, "parent": self.parent, "jurisdiction": self.jurisdiction,
                "aliases": list(self.aliases),
                "valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None}


@dataclass(frozen=True)
class ProposedAgency(Agency):
    """An agency an extraction met and the log does not know: proposed, never created
    silently. ``head_word`` is the word its kind was read from (None: kind not told)."""

    head_word: str | None = None
    line: int | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.payload(), "kind_label": kind_label(self.kind),
                "head_word": self.head_word, "line": self.line, "quote": self.quote,
                "document": self.source.doc if self.source else None}


def agency_fact(agency: Agency, base: dict[str, Any] | None = None) -> Fact:
    """The fact of ``agency``: its payload laid over ``base`` (the stored payload of the agency
    it updates: fields it does not know, such as ``succeeded_by`` or ``history``, are kept)."""
    payload = {**(base or {}), **agency.payload()}
    return Fact("agency", agency.id, payload, agency.source or Source("kehoach"))


def resolve_jurisdiction(text: str) -> tuple[str, str | None]:
    """(code, kind) of the jurisdiction ``text`` names (``kg.jurisdictions.resolve``: a code or
    a name); ``AgencyError`` (``unknown_jurisdiction``) when none."""
    from kg import jurisdictions  # the reference list (data/jurisdictions.yaml), read lazily

    try:
        found = jurisdictions.resolve(text)
    except KehoachError as err:
        raise AgencyError(err.vi, err.en, code=err.code, text=text) from None
    if found is None:
        raise AgencyError(f"không có địa bàn '{text}' (mã như 'lang-son', 'bo-tai-chinh' hoặc "
                          "tên)", f"no jurisdiction '{text}' (a code such as 'lang-son', "
                          "'bo-tai-chinh', or a name)", code="unknown_jurisdiction", text=text)
    return found.code, found.kind


_HEAD_WORDS = ("ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân")


def _short_of(name: str) -> str | None:
    """"Ủy ban nhân dân tỉnh Đồng Nai" → "UBND tỉnh Đồng Nai"; None when nothing shortens."""
    lowered = name.lower()
    for head, short in zip(_HEAD_WORDS, ("UBND", "UBND", "HĐND"), strict=True):
        at = lowered.find(head)
        if at >= 0:
            return f"{name[:at]}{short}{name[at + len(head):]}".strip()
    return None


def propose_agency(name_as_written: str, jurisdiction: str | None,
                   known: Matcher | None = None, *, document: str | None = None,
                   line: int | None = None, quote: str | None = None,
                   jurisdiction_kind: str | None = None) -> ProposedAgency:
    """A new agency for a name an extraction met ("Sở Nông nghiệp và Môi trường tỉnh Đồng
    Nai"), in ``jurisdiction``: its name as written (spaces tidied), an id no known agency
    holds, its short name, and the kind its head word gives (or None).

    A name ``known`` already names raises ``AgencyError`` (``agency_known``, the id named): a
    known agency is never proposed again, and a new one never mapped onto it."""
    name = " ".join(nfc(name_as_written).split())
    found = known.candidates(name) if known is not None else []
    if found:
        raise AgencyError(f"cơ quan '{name}' đã có (mã {', '.join(found)})",
                          f"agency '{name}' is already known (id {', '.join(found)})",
                          code="agency_known", text=name, place=Place(document=document,
                                                                      line=line, field="name"))
    key = unique_id(name, known if known is not None else set())
    if not key:
        raise AgencyError(f"tên cơ quan không có chữ hoặc số: '{name}'",
                          f"the agency name has no letter or digit: '{name}'",
                          code="agency_name", text=name, place=Place(document=document,
                                                                     line=line, field="name"))
    if jurisdiction and jurisdiction_kind is None:
        try:
            jurisdiction_kind = resolve_jurisdiction(jurisdiction)[1]
        except AgencyError:
            jurisdiction_kind = None
    kind = guess_kind(name, jurisdiction_kind)
    source = Source(document, line, quote or name) if document else None
    return ProposedAgency(key, name, kind, short=_short_of(name), jurisdiction=jurisdiction,
                          source=source, head_word=name.split()[0] if kind else None,
                          line=line, quote=quote)
