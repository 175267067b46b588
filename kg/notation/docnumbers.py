"""Document numbers (số/ký hiệu văn bản) in the two Vietnamese grammars.

State (văn bản nhà nước, Nghị định 30/2020/NĐ-CP): number ``/`` [year ``/``] [type ``-``]
issuer [``-`` unit]: "29/NQ-HĐND", "4456/BKHĐT-TH", "111/2024/QH15", "30/2020/NĐ-CP".
Party (văn bản của Đảng): number ``-`` type ``/`` issuer [``-`` unit]: "49-NQ/TU", "71-CTr/TU".

A state symbol's first part is the document type only when it is a known code of
``DOCUMENT_TYPES`` and an issuer follows; otherwise it is the issuer ("4456/BKHĐT-TH": a
ministry letter, issuer BKHĐT, unit TH; "111/2024/QH15": a law number, no type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import ParseError
from kg.notation.text import nfc

DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    "NQ": ("nghị quyết", "resolution"),
    "QĐ": ("quyết định", "decision"),
    "CT": ("chỉ thị", "directive"),
    "KH": ("kế hoạch", "plan"),
    "CTr": ("chương trình", "programme"),
    "ĐA": ("đề án", "scheme"),
    "BC": ("báo cáo", "report"),
    "TB": ("thông báo", "notice"),
    "HD": ("hướng dẫn", "guidance"),
    "TTr": ("tờ trình", "submission"),
    "NĐ": ("nghị định", "decree"),
    "TT": ("thông tư", "circular"),
    "TTLT": ("thông tư liên tịch", "joint circular"),
    "CV": ("công văn", "official letter"),
    "CĐ": ("công điện", "official dispatch"),
    "KL": ("kết luận", "conclusion"),
    "QC": ("quy chế", "regulation"),
    "QyĐ": ("quy định", "rule"),
    "PA": ("phương án", "option plan"),
    "BB": ("biên bản", "minutes"),
    "GM": ("giấy mời", "invitation"),
    "HĐ": ("hợp đồng", "contract"),
    "LĐ": ("lệnh", "order"),
}
"""Document type codes (ký hiệu loại văn bản) → (Vietnamese name, English name).

"QH" is deliberately absent: it is the issuer Quốc hội ("111/2024/QH15"), never a type."""

GRAMMARS: tuple[str, ...] = ("state", "party")

_PART = r"[^\W\d_](?:[^\W_]|&)*"
_SYMBOL = rf"(?P<symbol>{_PART}(?:-{_PART})*)"
_STATE = re.compile(rf"(?P<number>[0-9]+)/(?:(?P<year>[0-9]{{4}})/)?{_SYMBOL}")
_PARTY = re.compile(rf"(?P<number>[0-9]+)-(?P<type>{_PART})/{_SYMBOL}")
_LEAD = re.compile(r"^(?:số|so)\s*[:.]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentNumber:
    """A parsed số/ký hiệu. ``number`` keeps leading zeros as written ("06")."""

    number: str
    year: int | None
    doc_type: str | None
    issuer: str
    unit: str | None
    grammar: str
    text: str

    @property
    def number_int(self) -> int:
        return int(self.number)

    def format(self) -> str:
        """The canonical string: "29/NQ-HĐND", "111/2024/QH15", "49-NQ/TU"."""
        tail = self.issuer + (f"-{self.unit}" if self.unit else "")
        if self.grammar == "party":
            return f"{self.number}-{self.doc_type}/{tail}"
        year = f"{self.year}/" if self.year is not None else ""
        kind = f"{self.doc_type}-" if self.doc_type else ""
        return f"{self.number}/{year}{kind}{tail}"


def _error(code: str, text: str, vi: str, en: str) -> ParseError:
    return ParseError(
        f"Số/ký hiệu văn bản không hợp lệ: '{text}' — {vi}",
        f"Invalid document number: '{text}' — {en}",
        code=code,
        text=str(text),
    )


def _clean(text: str) -> str:
    body = nfc(text).strip().lstrip("([").rstrip(".,;:)]").strip()
    body = _LEAD.sub("", body)
    return re.sub(r"\s*([/-])\s*", r"\1", body)


def _diagnose(body: str, text: str) -> ParseError:
    if not body:
        return _error("docnumber_empty", text, "chuỗi rỗng", "the text is empty")
    if not body[0].isdigit():
        return _error("docnumber_no_number", text, "phải bắt đầu bằng số thứ tự",
                      "it must start with the document's serial number")
    if "/" not in body:
        return _error("docnumber_no_slash", text, "thiếu dấu '/' giữa số và ký hiệu",
                      "the '/' between number and symbol is missing")
    if body.endswith(("/", "-")):
        return _error("docnumber_no_symbol", text, "thiếu ký hiệu sau dấu '/' hoặc '-'",
                      "the symbol after '/' or '-' is missing")
    return _error("docnumber_symbol", text,
                  "ký hiệu phải có dạng 'số/LOẠI-CƠQUAN' hoặc 'số-LOẠI/CƠQUAN'",
                  "the symbol must read 'number/TYPE-ISSUER' or 'number-TYPE/ISSUER'")


def _from_state(match: re.Match[str], text: str) -> DocumentNumber:
    parts = match["symbol"].split("-")
    doc_type = parts[0] if parts[0] in DOCUMENT_TYPES and len(parts) > 1 else None
    if doc_type is None and parts[0] in DOCUMENT_TYPES:
        raise _error("docnumber_no_issuer", text, f"thiếu cơ quan ban hành sau '{parts[0]}'",
                     f"the issuer after '{parts[0]}' is missing")
    rest = parts[1:] if doc_type else parts
    year = int(match["year"]) if match["year"] else None
    return DocumentNumber(match["number"], year, doc_type, rest[0], "-".join(rest[1:]) or None,
                          "state", text)


def _from_party(match: re.Match[str], text: str) -> DocumentNumber:
    if match["type"] not in DOCUMENT_TYPES:
        raise _error("docnumber_type", text, f"loại văn bản '{match['type']}' không có trong "
                     "danh mục", f"document type '{match['type']}' is not a known code")
    parts = match["symbol"].split("-")
    return DocumentNumber(match["number"], None, match["type"], parts[0],
                          "-".join(parts[1:]) or None, "party", text)


def parse_document_number(text: str) -> DocumentNumber:
    """Read a số/ký hiệu: "29/NQ-HĐND", "111/2024/QH15", "4456/BKHĐT-TH", "49-NQ/TU".

    A leading "số"/"Số:" and trailing punctuation are ignored."""
    body = _clean(text) if isinstance(text, str) else ""
    if match := _PARTY.fullmatch(body):
        return _from_party(match, text)
    if match := _STATE.fullmatch(body):
        return _from_state(match, text)
    raise _diagnose(body, str(text))
