"""Who a document speaks to (nơi gửi, nơi nhận) and whose an agency is.

``agency_jurisdiction(name, issuer)`` maps one agency name, as a document writes it, to a
jurisdiction code (``kg.jurisdictions``) or to a collective marker (``COLLECTIVES``): a body
of a province that does not name its province ("Sở Tài chính", "UBND tỉnh", "Công an tỉnh")
belongs to the issuer when the issuer is a province and to nobody known when it is central.

``addressees_in(pieces, issuer)`` reads the "Kính gửi:" list under the header and the
numbered items addressed to a body ("a) Bộ Khoa học và Công nghệ: …", "3. Sở Y tế" heading its
tasks) as addressees, and the "Nơi nhận:" distribution list apart, as recipients (copies are
not assignments). Used by ``kg.extract.jurisdiction.read_jurisdiction``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.text import LogicalLine
from kg.jurisdictions import Jurisdictions, default_jurisdictions
from kg.matching import fold
from kg.notation.text import nfc
from kg.search import has_diacritics

ALL_PROVINCES = "*province"
ALL_MINISTRIES = "*ministry"
EVERYONE = "*"
COLLECTIVES: dict[str, tuple[str, str]] = {
    ALL_PROVINCES: ("mọi tỉnh, thành phố trực thuộc trung ương", "every province and city"),
    ALL_MINISTRIES: ("mọi bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "every ministry"),
    EVERYONE: ("mọi bộ, ngành và địa phương", "every ministry and every province"),
}
"""Markers ``agency_jurisdiction`` returns for collective addressees ("UBND các tỉnh, thành
phố trực thuộc trung ương" → ``*province``); they are never jurisdiction codes."""

_ITEM_START = re.compile(r"^\s*\(?(?:[a-zđ]|[0-9]{1,2}(?:\.[0-9]{1,2})*)[.)]\s*(?P<body>\S.*)$")
_LISTED = re.compile(r"^(?:ủy|uỷ ban nhân dân|UBND) các (?:tỉnh|thành phố)$|^(?:ủy|uỷ) ban nhân "
                     r"dân các (?:tỉnh|thành phố)$", re.IGNORECASE)
_MINISTRY_LIST = re.compile(r"^các bộ\s*:\s*(?P<names>.+)$", re.IGNORECASE)
_KINH_GUI = re.compile(r"^\W*kính gửi\W*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_NOI_NHAN = re.compile(r"^\W*nơi nhận\W*:?\s*$", re.IGNORECASE)
@dataclass(frozen=True)
class Addressee:
    """A body a document addresses: its code (or a ``COLLECTIVES`` marker), the name as
    written, where, and how (``kinh_gui``, ``item`` or ``noi_nhan``)."""

    code: str
    name: str
    line: int
    role: str


@dataclass(frozen=True)
class Piece:
    """One source line (1-based number, text as written)."""

    line: int
    raw: str

    @property
    def clean(self) -> str:
        return " ".join(self.raw.replace("*", " ").replace("|", " ").replace("#", " ").split())


def pieces_of(lines: list[LogicalLine]) -> list[Piece]:
    """The source lines again (each logical line split where its wraps were joined)."""
    pieces = []
    for logical in lines:
        bounds = [start for start, _ in logical.starts] + [len(logical.text)]
        for (start, number), end in zip(logical.starts, bounds[1:], strict=True):
            raw = logical.text[start:end].strip()
            if raw:
                pieces.append(Piece(number, raw))
    return sorted(pieces, key=lambda piece: piece.line)


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


# --- one agency's jurisdiction --------------------------------------------------------------

_ALL_MINISTRIES = re.compile(r"\b(?:các bộ(?! phận)|bộ, ngành|bộ ngành|cơ quan ngang bộ|"
                             r"các cơ quan trung ương)\b")
_ALL_PROVINCES = re.compile(r"\b(?:cac tinh|truc thuoc trung uong)\b")
_LOCALITIES = re.compile(r"\bdia phuong\b")
GENERIC_LOCAL: tuple[str, ...] = (
    "cac co quan", "cac don vi", "cac nganh", "so nganh", "so ban nganh", "co quan don vi",
    "cac phong", "cac to chuc", "cac dia phuong", "dia phuong", "cac cap", "cac hoi",
    "cac doan the", "cac doanh nghiep",
)
"""How a generic collective begins (folded) — "các cơ quan, đơn vị có liên quan", "các ngành,
lĩnh vực khác": in a province's document these are the province's own bodies."""
LOCAL_STARTS: tuple[str, ...] = (
    "sở ", "các sở", "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân", "hđnd", "hội đồng nhân dân",
    "tỉnh ủy", "tỉnh uỷ", "thường trực", "tt.", "ban thường vụ", "công an tỉnh", "bộ chỉ huy",
    "văn phòng ubnd", "văn phòng ủy ban", "văn phòng uỷ ban", "văn phòng tỉnh", "ban quản lý",
    "giám đốc sở", "chủ tịch ubnd", "chủ tịch ủy ban", "chủ tịch, các phó chủ tịch",
    "đoàn đại biểu", "đại biểu", "ct, các pct", "c, pvp", "chánh, các pcvp", "kho bạc nhà nước",
)
"""How the name of a body of the issuing province starts (lower case, with diacritics)."""

LOCAL_ENDS = re.compile(r"\b(?:tỉnh|cấp tỉnh|cấp huyện|cấp xã|các huyện|các xã|thành phố|"
                        r"huyện, thành phố|xã, phường)$")
"""How the name of a body of the issuing province ends: "Công an tỉnh", "Đài PTTH tỉnh"."""

BODY_HEADS: tuple[str, ...] = (
    "sở", "ban", "công an", "đài", "báo", "trường", "bệnh viện", "trung tâm", "văn phòng",
    "thanh tra", "kho bạc", "cục", "chi cục", "liên minh", "liên đoàn", "hội", "ủy ban",
    "uỷ ban", "ubmttq", "mặt trận", "đoàn", "tòa án", "toà án", "tand", "viện kiểm sát",
    "vksnd", "bộ chỉ huy", "quỹ", "bảo hiểm xã hội", "cổng", "công báo", "ngân hàng", "btt",
)
"""First words of a body's name (lower case, with diacritics): a name ending in "tỉnh" is a
body of the province only when it starts with one ("Đài PTTH tỉnh", not "Phụ lục … cấp tỉnh")."""

AGENCY_MAX_WORDS = 14
"""A longer phrase is a sentence, not an agency name."""

_TITLES = re.compile(r"^(?:cac dong chi|dong chi|lanh dao|bo truong|thu truong|giam doc)\s+")


COLLECTIVE_OPENERS: tuple[str, ...] = (
    "cac ", "bo nganh", "bo co quan", "bo truong thu truong", "ubnd cac", "uy ban nhan dan cac",
    "hdnd ubnd cac", "hdnd uy ban nhan dan cac", "chu tich ubnd cac",
    "chu tich uy ban nhan dan cac",
)
"""How a collective addressee begins (folded): "các bộ, ngành", "UBND các tỉnh, thành phố"."""


def _diacritic_free(key: str) -> str:
    """A folded text read as if written with diacritics, for ``_ALL_MINISTRIES`` ("cac bo"
    typed without diacritics still means "các bộ")."""
    return (key.replace("cac bo", "các bộ").replace("bo nganh", "bộ ngành")
            .replace("co quan ngang bo", "cơ quan ngang bộ")
            .replace("cac co quan trung uong", "các cơ quan trung ương"))


def _collective(text: str, in_province: bool) -> str | None:
    key = fold(text)
    if not key.startswith(COLLECTIVE_OPENERS):
        return None
    words = " ".join(nfc(text).lower().split()) if has_diacritics(text) else None
    ministries = bool(_ALL_MINISTRIES.search(words if words is not None else key)
                      or (words is None and _ALL_MINISTRIES.search(_diacritic_free(key))))
    provinces = bool(_ALL_PROVINCES.search(key)) or (
        not in_province and bool(_LOCALITIES.search(key)))  # a province's "địa phương": its own
    if ministries and provinces:
        return EVERYONE
    if provinces:
        return ALL_PROVINCES
    return ALL_MINISTRIES if ministries else None


def is_local(text: str) -> bool:
    """Whether ``text`` names a body of a province without naming the province."""
    lower = " ".join(nfc(text).lower().replace("’", "'").split()).strip(" .;,:")
    if not has_diacritics(text):  # written without diacritics: compare folded
        return fold(text).startswith(tuple(fold(s) + " " for s in LOCAL_STARTS if fold(s)))
    if lower.startswith(LOCAL_STARTS):
        return True
    heads = tuple(f"{head} " for head in BODY_HEADS) + tuple(f"{head}, " for head in BODY_HEADS)
    return bool(LOCAL_ENDS.search(lower)) and lower.startswith(heads)


def agency_jurisdiction(name: str, issuer: str | None,
                        registry: Jurisdictions | None = None) -> str | None:
    """The jurisdiction of an agency named in a document of ``issuer`` (a jurisdiction code).

    "Bộ Tài chính" → bo-tai-chinh; "UBND tỉnh Đồng Nai" → dong-nai; "Sở Tài chính", "UBND
    tỉnh", "Công an tỉnh" (no province named) → ``issuer`` when it is a province, None when
    it is central; "UBND các tỉnh, thành phố trực thuộc trung ương" → ``ALL_PROVINCES``,
    "các bộ, cơ quan ngang bộ" → ``ALL_MINISTRIES``, "các bộ, ngành, địa phương" →
    ``EVERYONE``; anything else (a sentence, an unknown body) None."""
    reg = registry or default_jurisdictions()
    if not isinstance(name, str):
        return None
    text = re.sub(r"\([^)]*\)", " ", name).strip()
    key = fold(text)
    if not key or key.startswith("nhu tren") or len(key.split()) > AGENCY_MAX_WORDS:
        return None
    found = reg.resolve(text) or reg.resolve(_TITLES.sub("", key))
    if found is not None:
        return found.code
    issuer_item = reg.get(issuer) if issuer else None
    in_province = issuer_item is not None and issuer_item.kind == "province"
    marker = _collective(text, in_province)
    if marker:
        return marker
    if is_local(text) or key.startswith(GENERIC_LOCAL):
        return issuer if in_province else None
    return None


# --- addressees ------------------------------------------------------------------------------

def _names_in(text: str) -> list[str]:
    """The names of one list entry: the whole entry, else its comma-separated parts."""
    entry = re.sub(r"\([^)]*\)", " ", text).strip(" -+•;.,")
    return [entry] + [part.strip() for part in re.split(r"[,;]", entry) if part.strip()]


def _entry_codes(text: str, issuer: str | None, reg: Jurisdictions) -> list[tuple[str, str]]:
    listed = _MINISTRY_LIST.match(text.strip(" -+•"))
    if listed:  # "Các Bộ: Kế hoạch và Đầu tư, Tài chính" → each "Bộ …"
        found = [(reg.resolve(f"Bộ {part.strip(' .;')}"), part.strip(" .;"))
                 for part in re.split(r"[,;]", listed["names"])]
        return [(item.code, f"Bộ {name}") for item, name in found if item is not None]
    names = _names_in(text)
    whole = agency_jurisdiction(names[0], issuer, reg) if names else None
    if whole:
        return [(whole, names[0])]
    found = [(agency_jurisdiction(name, issuer, reg), name) for name in names[1:]]
    return [(code, name) for code, name in found if code]


def _list_after(pieces: list[Piece], index: int) -> list[Piece]:
    """The "- …" entries after a "Kính gửi:"/"Nơi nhận:" line, wrapped entries rejoined."""
    entries: list[Piece] = []
    for piece in pieces[index + 1:index + 40]:
        text = piece.clean
        if not text or fold(text).startswith(("luu", "- luu")) or re.match(r"^-\s*Lưu", text):
            break
        if text[:1] in "-+•":
            if fold(text).startswith("luu"):
                break
            entries.append(Piece(piece.line, text))
        elif entries and not is_upper(text) and entries[-1].raw.rstrip()[-1:] not in ";.":
            entries[-1] = Piece(entries[-1].line, entries[-1].raw + " " + text)
        else:
            break
    return entries


def _kinh_gui(pieces: list[Piece], issuer: str | None, reg: Jurisdictions,
              head: int) -> list[Addressee]:
    for index, piece in enumerate(pieces[:head]):
        match = _KINH_GUI.match(piece.clean)
        if not match:
            continue
        entries = [Piece(piece.line, match["rest"])] if match["rest"].strip() else []
        entries += _list_after(pieces, index)
        return [Addressee(code, name, entry.line, "kinh_gui")
                for entry in entries for code, name in _entry_codes(entry.raw, issuer, reg)]
    return []


def _item_name(pieces: list[Piece], index: int, reg: Jurisdictions,
               issuer: str | None) -> tuple[str, str] | None:
    """(name, text after its colon) of a numbered item addressed to a body: "a) Bộ Tài chính:
    …", a wrapped "m) Ủy ban nhân dân các tỉnh, thành phố trực thuộc / trung ương: …", or an
    item that is only the name ("3. Sở Nông nghiệp và Môi trường" heading its tasks)."""
    match = _ITEM_START.match(pieces[index].clean)
    if not match:
        return None
    body = match["body"]
    if ":" not in body and agency_jurisdiction(body, issuer, reg):
        return body.strip(" .;"), ""
    if ":" not in body and index + 1 < len(pieces):
        body = f"{body} {pieces[index + 1].clean}"
    name, colon, rest = body.partition(":")
    if not colon or len(name) > 90 or not name[:1].isupper():
        return None
    return name.strip(), rest


def _items(pieces: list[Piece], issuer: str | None, reg: Jurisdictions,
           stop: int) -> list[Addressee]:
    found: list[Addressee] = []
    for index in range(stop):
        named = _item_name(pieces, index, reg, issuer)
        if named is None:
            continue
        name, rest = named
        line = pieces[index].line
        if _LISTED.match(name):
            for part in re.split(r",| và ", rest):
                item = reg.resolve(part.strip(" .;"))
                if item is None or item.kind != "province":
                    break
                found.append(Addressee(item.code, part.strip(" .;"), line, "item"))
            continue
        code = agency_jurisdiction(name, issuer, reg)
        if code:
            found.append(Addressee(code, name, line, "item"))
    return found


def addressees_in(pieces: list[Piece], issuer: str | None, reg: Jurisdictions | None = None,
                  head: int = 120) -> tuple[list[Addressee], list[Addressee]]:
    """(addressees from "Kính gửi" — looked for in the first ``head`` lines — and from numbered
    items before "Nơi nhận", recipients from the "Nơi nhận" list)."""
    reg = reg or default_jurisdictions()
    stop = next((i for i, p in enumerate(pieces) if _NOI_NHAN.match(p.clean)), len(pieces))
    recipients = []
    if stop < len(pieces):
        recipients = [Addressee(code, name, entry.line, "noi_nhan")
                      for entry in _list_after(pieces, stop)
                      for code, name in _entry_codes(entry.raw, issuer, reg)]
    return _kinh_gui(pieces, issuer, reg, head) + _items(pieces, issuer, reg, stop), recipients
