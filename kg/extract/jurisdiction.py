"""Whose document it is (văn bản của địa bàn nào): the issuer's jurisdiction, read from the
text, with the line and the words that tell it — and the jurisdictions the document addresses.

``read_jurisdiction(lines)`` tries, in order (``RULES``), and stops at the first that tells:

1. ``header`` — the issuer block above the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
   NAM") or the Party's ("ĐẢNG CỘNG SẢN VIỆT NAM"): "ỦY BAN NHÂN DÂN / TỈNH ĐỒNG NAI" →
   dong-nai, "BỘ TÀI CHÍNH" → bo-tai-chinh, "THỦ TƯỚNG CHÍNH PHỦ" → viet-nam;
2. ``number`` — the body code in the document's own number ("Số: 18590/BTC-PTHT" → BTC);
3. ``place_date`` — a local issuer (UBND, HĐND, a Sở: "Số: …/SKHĐT-…") names no province:
   the place of the place-and-date line ("Lạng Sơn, ngày … 2023") when it is a province;
4. ``metadata`` — a legal-database page's "Nơi ban hành: …" field;
5. ``self_reference`` — a provincial report without a header speaks of itself as "UBND tỉnh",
   "toàn tỉnh" and names one province far more than any other ("tỉnh Lạng Sơn");
6. ``title`` — a title or lead sentence that announces the document itself ("Toàn văn Công
   điện 159/CĐ-TTg", "Bộ Tài chính đã ban hành Công văn 18590/BTC-PTHT"): a summary page
   is filed under the body whose document, and figures, it reports.

Nothing else is assumed: with none of these the result has ``code`` None and says why.
A body that issues on another's behalf (``acts_for`` in data/jurisdictions.yaml: the
Government Office issues the Government's notices) files its documents under that one:
``code`` viet-nam, ``issuer`` van-phong-chinh-phu (elsewhere ``issuer`` equals ``code``).

Addressees: the "Kính gửi:" list under the header and the numbered items addressed to a body
("a) Bộ Khoa học và Công nghệ: …") give ``addressees``; the "Nơi nhận:" distribution list is
kept apart as ``recipients`` (copies are not assignments). ``agency_jurisdiction`` maps one
agency name to its jurisdiction code or to a collective marker (``COLLECTIVES``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.errors import ParseError
from kg.extract.addressees import (
    ALL_MINISTRIES,
    ALL_PROVINCES,
    COLLECTIVES,
    EVERYONE,
    Addressee,
    Piece,
    addressees_in,
    agency_jurisdiction,
    is_local,
    is_upper,
    pieces_of,
)
from kg.extract.text import LogicalLine
from kg.jurisdictions import Jurisdictions, default_jurisdictions
from kg.matching import fold
from kg.notation import parse_date
from kg.notation.docnumbers import DOCUMENT_TYPES

__all__ = [
    "ALL_MINISTRIES", "ALL_PROVINCES", "COLLECTIVES", "EVERYONE", "RULES", "Addressee",
    "DocumentJurisdiction", "agency_jurisdiction", "read_jurisdiction",
]

RULES: tuple[str, ...] = ("header", "number", "place_date", "metadata", "self_reference",
                          "title")
"""How a document's jurisdiction can be told, strongest first."""

LOCAL_SYMBOLS: frozenset[str] = frozenset({"UBND", "HĐND", "TU", "BTV", "VP", "VPUB"})
"""Issuer codes of provincial bodies in document numbers; a Sở writes S + its initials."""

HEADER_PIECES = 120
"""How many source lines from the top the header block, number and place may be in."""

_MOTTOS = (re.compile(r"\bcong ?hoa ?xa ?hoi ?chu ?nghia ?viet ?nam\b"),
           re.compile(r"\bdang ?cong ?san ?viet ?nam\b"))
"""The national and the Party's mottos, folded; PDF text may glue their words ("XÃHỘI")."""
_SO_LINE = re.compile(r"(?:^|\|)\s*\**\s*Số\s*:?\s*\**\s*(?P<number>[0-9]*\s*[/-]\s*[^\s|*]+)",
                      re.IGNORECASE)
_PLACE_DATE = re.compile(r"(?:^|[|*\s])(?P<place>[^\W\d_][^,|*\d]{1,40}?),\s*ngày\b",
                         re.IGNORECASE)
_DATE = re.compile(r"ngày\s+[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}|ngày\s+[0-9]{1,2}/"
                   r"[0-9]{1,2}/[0-9]{4}", re.IGNORECASE)
_ISSUED_AT = re.compile(r"Nơi ban hành\s*:?[\s|*]*(?P<name>[^|*]+?)\s*(?:$|[|*]|Người ký|"
                        r"Ngày ban hành|Loại văn bản|Số hiệu|Lĩnh vực|Tình trạng)", re.IGNORECASE)
_NUMBER = re.compile(r"\b[0-9]{1,6}(?:/[0-9]{4})?/[^\W\d_][\w&]*(?:-[\w&]+)*|\b[0-9]{1,6}-"
                     r"[^\W\d_]+/[\w&]+(?:-[\w&]+)*")
_ANNOUNCES = re.compile(r"toàn văn|ban hành|đã ra|đã có|^#+", re.IGNORECASE)
ANNOUNCE_GAP = 40
"""The announced document's number follows its verb within this many characters
("đã ban hành Công văn 18590/BTC-PTHT")."""
_CITES = re.compile(r"^\W*(?:căn cứ|thực hiện|theo|xét)\b", re.IGNORECASE)
_CAP = "A-ZĐÂĂÊÔƠƯÀ-Ỹ"
_PROVINCE_MENTION = re.compile(
    rf"\b(?:tỉnh|TỈNH|thành phố|THÀNH PHỐ|TP\.?)\s+(?P<name>[{_CAP}][\wÀ-ỹ.]*"
    rf"(?:[ -]+[{_CAP}][\wÀ-ỹ]*){{0,3}})")
_SELF_WORDS = re.compile(r"\b(?:UBND|[ỦủUu][ỷy] ban nhân dân|HĐND|[Tt]oàn|của|[Tt]rên địa bàn|"
                         r"[Tt]ỉnh [uủ][ỷy]|[Cc]ấp)\s+tỉnh\b(?!\s+[A-ZĐÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄ"
                         r"ÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ])")
"""How a provincial document speaks of its own province without naming it ("UBND tỉnh",
"toàn tỉnh", "trên địa bàn tỉnh")."""
TITLE_QUOTE = 160
"""The longest quote of a title or lead sentence, up to the document number it announces."""

SELF_REFERENCE_MIN = 3
"""A province must be named at least this often (and twice as often as any other) for a
header-less report to be filed under it."""

@dataclass(frozen=True)
class DocumentJurisdiction:
    """Whose document it is. ``code`` is the jurisdiction its facts and implied tasks belong
    to (None when the text does not tell: then ``reason_vi``/``reason_en`` say so);
    ``issuer`` the issuing body's code — the same as ``code`` except for a body that issues on
    another's behalf (van-phong-chinh-phu, whose notices are filed under viet-nam); ``rule``
    one of ``RULES``; ``line`` and ``quote`` the evidence, verbatim."""

    code: str | None
    issuer: str | None = None
    rule: str | None = None
    line: int | None = None
    quote: str | None = None
    reason_vi: str | None = None
    reason_en: str | None = None
    addressees: list[str] = field(default_factory=list)
    """Codes of the other jurisdictions the document addresses, in order (not its own, not
    the collective markers — those stay in ``addressed``)."""
    addressed: list[Addressee] = field(default_factory=list)
    recipients: list[Addressee] = field(default_factory=list)
    date: str | None = None
    """The document's date (ISO) from its place-and-date line; names are resolved as of it."""
    current: str | None = None
    """The unit that carries ``code`` today when ``code`` has since been merged (a 2024
    document of Bình Phước: ``binh-phuoc``, current ``dong-nai``); None otherwise."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the document ---------------------------------------------------------------------------

def _motto_index(pieces: list[Piece]) -> tuple[int, int] | None:
    """(index of the first line where a motto starts, how many words precede it on that
    line). The whole text is searched: a .docx puts its header table after the paragraphs."""
    folded = [fold(piece.clean) for piece in pieces]
    for index, words in enumerate(folded):
        if not words:
            continue
        window = " ".join(w for w in folded[index:index + 4] if w)
        for motto in _MOTTOS:
            match = motto.search(window)
            if match and match.start() < len(words):
                return index, len(window[:match.start()].split())
    return None


def _header_block(pieces: list[Piece], motto: tuple[int, int]) -> list[Piece]:
    """The issuer block: the upper-case lines just above the motto (the motto's own line may
    start with the block's last words, as in table exports)."""
    block: list[Piece] = []
    at, before = motto
    head = pieces[at].clean
    if before and is_upper(head):
        block.append(Piece(pieces[at].line, " ".join(head.split()[:before])))
    index = at - 1
    while index >= 0 and not block and (not pieces[index].clean.strip("-— ")
                                        or _SO_LINE.search(pieces[index].raw)):
        index -= 1  # separators, and the number line PDF text may put between
    while index >= 0 and len(block) < 4:
        text = pieces[index].clean
        if not text.strip("-— ") or not is_upper(text):
            break
        block.insert(0, pieces[index])
        index -= 1
    return block


def _resolve_block(block: list[Piece], reg: Jurisdictions,
                   on: dt.date | None) -> tuple[str | None, bool]:
    """(code of the body the block names, whether the block names a local organ)."""
    texts = [piece.clean for piece in block]
    for size in range(len(texts), 0, -1):
        for start in range(len(texts) - size + 1):
            found = reg.resolve(" ".join(texts[start:start + size]), on)
            if found is not None:
                return found.code, False
    local = any(is_local(text) for text in texts)
    return None, local


def _symbols(number: str) -> list[str]:
    """The issuer parts of a number; a type glued to its issuer by a lost hyphen ("QĐUBND",
    "NĐCP" in PDF text) is split off."""
    parts = re.split(r"[/-]", number.replace(" ", ""))
    out = []
    for part in parts:
        if not part or part.isdigit() or part in DOCUMENT_TYPES:
            continue
        out.append(part)
        glued = [part[len(kind):] for kind in DOCUMENT_TYPES
                 if part.startswith(kind) and len(part) > len(kind) + 1]
        out += [rest for rest in glued if rest not in out]
    return out


def _is_local_symbol(symbol: str) -> bool:
    return symbol in LOCAL_SYMBOLS or bool(re.fullmatch(r"S[A-ZĐ&]{1,9}", symbol))


def _by_number(number: str, reg: Jurisdictions) -> tuple[str | None, bool]:
    """(central body of the number's issuer code, whether the issuer code is local)."""
    symbols = _symbols(number)
    for symbol in symbols:
        body = reg.by_symbol(symbol)
        if body is not None:
            return body.code, False
    return None, any(_is_local_symbol(symbol) for symbol in symbols)


def _quote(pieces: list[Piece]) -> str:
    return " ".join(piece.raw.strip("| ") for piece in pieces).strip()


def _result(reg: Jurisdictions, body: str, rule: str,
            evidence: list[Piece]) -> DocumentJurisdiction:
    code = reg.speaks_for(body)
    return DocumentJurisdiction(code, issuer=body, rule=rule,
                                line=evidence[0].line, quote=_quote(evidence))


def _document_date(pieces: list[Piece]) -> dt.date | None:
    """The date of the place-and-date line ("Đồng Nai, ngày 18 / tháng 11 năm 2025")."""
    for index, piece in enumerate(pieces[:HEADER_PIECES]):
        if not _PLACE_DATE.search(piece.clean):
            continue
        joined = " ".join(p.clean for p in pieces[index:index + 2])
        match = _DATE.search(joined[_PLACE_DATE.search(joined).end() - 4:])
        if match:
            try:
                return parse_date(match.group(0))
            except ParseError:
                return None
        return None
    return None


def _place_date(pieces: list[Piece], reg: Jurisdictions,
                on: dt.date | None) -> tuple[str, Piece] | None:
    for piece in pieces[:HEADER_PIECES]:
        match = _PLACE_DATE.search(piece.clean)
        found = reg.resolve(match["place"].strip(), on) if match else None
        if found is not None and found.kind == "province":
            return found.code, piece
    return None


def _from_header(pieces: list[Piece], reg: Jurisdictions, motto: tuple[int, int] | None,
                 on: dt.date | None) -> DocumentJurisdiction | None:
    start = motto[0] if motto else 0
    local = False
    if motto is not None:
        block = _header_block(pieces, motto)
        code, local = _resolve_block(block, reg, on)
        if code:
            return _result(reg, code, "header", block)
    number_piece = next((p for p in pieces[start:start + HEADER_PIECES] if _SO_LINE.search(p.raw)),
                        None)
    if number_piece is not None:
        code, local_number = _by_number(_SO_LINE.search(number_piece.raw)["number"], reg)
        if code:
            return _result(reg, code, "number", [number_piece])
        local = local or local_number
    if local:
        place = _place_date(pieces[start:], reg, on)
        if place:
            evidence = [number_piece] if number_piece is not None else []
            evidence = [p for p in evidence if p.line < place[1].line] + [place[1]]
            return _result(reg, place[0], "place_date", evidence)
    return None


def _from_metadata(pieces: list[Piece], reg: Jurisdictions) -> DocumentJurisdiction | None:
    for index, piece in enumerate(pieces[:HEADER_PIECES]):
        if not fold(piece.clean).startswith("noi ban hanh"):
            continue
        for size in (1, 2, 3):  # the value on the label's line, or in the next table cells
            evidence = pieces[index:index + size]
            match = _ISSUED_AT.search(" | ".join(p.raw for p in evidence))
            name = match["name"].strip(" |*") if match else ""
            found = reg.resolve(name) if name else None
            if found is not None:
                return _result(reg, found.code, "metadata", evidence)
    return None


def _from_title(lines: list[LogicalLine], reg: Jurisdictions) -> DocumentJurisdiction | None:
    for logical in lines[:12]:
        text = logical.text
        if _CITES.match(text.strip("*# ")):
            continue
        for verb in _ANNOUNCES.finditer(text):
            match = _NUMBER.search(text, verb.end(), verb.end() + ANNOUNCE_GAP + 30)
            if match is None or match.start() - verb.end() > ANNOUNCE_GAP:
                continue
            code, _local = _by_number(match.group(0), reg)
            if code:
                start = 0 if match.end() <= TITLE_QUOTE else match.start() - TITLE_QUOTE // 2
                start = text.rfind(" ", 0, start) + 1 if start else 0
                piece = Piece(logical.line_at(match.start()), text[start:match.end()].strip())
                return _result(reg, code, "title", [piece])
    return None


_ORGAN_BEFORE = re.compile(r"(?:UBND|[ỦUu][ỷy] ban nhân dân|HĐND|Hội đồng nhân dân|Đảng bộ)\s+$")
"""An organ written before a province mention: "UBND tỉnh Lạng Sơn" is the best evidence."""


def _mentions(logical: LogicalLine, reg: Jurisdictions) -> list[tuple[str, int, int]]:
    """(province code, start, end) of each "tỉnh X" / "thành phố X" naming a province."""
    found = []
    for match in _PROVINCE_MENTION.finditer(logical.text):
        ends = [m.end() for m in re.finditer(r"[^\s-]+", match["name"])]
        for end in reversed(ends):
            stop = match.start("name") + end
            item = reg.resolve(logical.text[match.start():stop])
            if item is not None and item.kind == "province":
                found.append((item.code, match.start(), stop))
                break
    return found


def _from_self_reference(lines: list[LogicalLine],
                         reg: Jurisdictions) -> DocumentJurisdiction | None:
    counts: Counter[str] = Counter()
    evidence: dict[str, tuple[int, str]] = {}
    organs: dict[str, tuple[int, str]] = {}
    self_words = 0
    for logical in lines:
        self_words += len(_SELF_WORDS.findall(logical.text))
        for code, start, stop in _mentions(logical, reg):
            counts[code] += 1
            evidence.setdefault(code, (logical.line_at(start), logical.text[start:stop]))
            organ = _ORGAN_BEFORE.search(logical.text, 0, start)
            if organ and code not in organs:
                organs[code] = (logical.line_at(organ.start()), logical.text[organ.start():stop])
    ranked = counts.most_common(2)
    if not ranked or self_words < 2 or ranked[0][1] < SELF_REFERENCE_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    code = ranked[0][0]
    line, quote = organs.get(code) or evidence[code]
    return DocumentJurisdiction(code, issuer=code, rule="self_reference", line=line, quote=quote)


NO_EVIDENCE = (
    "văn bản không cho biết cơ quan ban hành thuộc địa bàn nào (không có khối tiêu đề, số ký "
    "hiệu, địa danh, hay tên tỉnh được văn bản dùng để tự xưng)",
    "the text does not tell whose document it is (no issuer header, document number, place "
    "line or province the text names itself by)",
)


def read_jurisdiction(lines: list[LogicalLine],
                      registry: Jurisdictions | None = None) -> DocumentJurisdiction:
    """Whose document ``lines`` is, with its evidence, addressees and recipients."""
    reg = registry or default_jurisdictions()
    pieces = pieces_of(lines)
    motto = _motto_index(pieces)
    on = _document_date(pieces[motto[0] if motto else 0:])
    found = (_from_header(pieces, reg, motto, on) or _from_metadata(pieces, reg)
             or _from_self_reference(lines, reg) or _from_title(lines, reg))
    if found is None:
        found = DocumentJurisdiction(None, reason_vi=NO_EVIDENCE[0], reason_en=NO_EVIDENCE[1])
    addressed, recipients = addressees_in(pieces, found.code, reg, HEADER_PIECES)
    codes = list(dict.fromkeys(a.code for a in addressed
                               if a.code != found.code and a.code not in COLLECTIVES))
    later = reg.successor(found.code) if found.code else None
    return DocumentJurisdiction(
        found.code, found.issuer, found.rule, found.line, found.quote, found.reason_vi,
        found.reason_en, codes, addressed, recipients, on.isoformat() if on else None,
        later.code if later is not None and later.code != found.code else None)
