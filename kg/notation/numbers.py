"""Numbers and quantities written the Vietnamese way (số liệu viết theo kiểu Việt Nam).

"." groups thousands (hàng nghìn) and "," marks the decimals (phần thập phân):
"4.595,5" is 4595.5, "4.060" is 4060, "(-4,33)" is -4.33. Values are always ``Decimal``.

A quantity (đại lượng) is a number with an optional qualifier in front ("khoảng", "trên",
"dưới", ...) and an optional unit behind ("tỷ đồng", "nghìn lượt", "ha", "%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kg.errors import ParseError

MINUS_SIGNS = "-−"
"""ASCII hyphen-minus and the Unicode minus sign (U+2212), both read as a minus."""

SCALE_WORDS: dict[str, Decimal] = {
    "nghìn": Decimal(10**3),
    "ngàn": Decimal(10**3),
    "triệu": Decimal(10**6),
    "tỷ": Decimal(10**9),
    "tỉ": Decimal(10**9),
}
"""Scale words (từ chỉ bậc số) that may open a unit: "5,2 triệu cây" is 5 200 000 trees."""

CURRENCY_WORDS: frozenset[str] = frozenset({"đồng", "vnđ", "vnd", "usd", "đô", "euro", "eur"})
"""Currency words (đơn vị tiền tệ): "tỷ đồng" and "triệu USD" are money units, not scales."""

QUALIFIERS: tuple[str, ...] = (
    "không quá",
    "không dưới",
    "ít nhất",
    "tối thiểu",
    "tối đa",
    "khoảng",
    "gần",
    "trên",
    "dưới",
    "hơn",
)
"""Qualifiers (từ định tính) that may precede a quantity, longest first."""

_TOKEN = re.compile(r"[+\-−]?[0-9][0-9.,]*")
_PAREN = re.compile(r"\(\s*([+\-−]?\s*[0-9][0-9.,]*)\s*\)")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
# What a number token leaves behind when the text is written in another number notation:
# "1e309" (exponent), "0x1F" (hex), "0b101", "0o17" — never a unit.
_FOREIGN_NOTATION = re.compile(r"(?:[eE][+\-−]?[0-9]+|[xX][0-9A-Fa-f]+|[bB][01]+|[oO][0-7]+)"
                               r"(?:\s|$)")


def _fail(code: str, text: str, vi: str, en: str) -> ParseError:
    return ParseError(
        f"Số không hợp lệ: '{text}' — {vi}",
        f"Invalid number: '{text}' — {en}",
        code=code,
        text=text,
    )


def _split_sign(body: str) -> tuple[int, str]:
    if body[:1] in MINUS_SIGNS:
        return -1, body[1:].lstrip()
    if body[:1] == "+":
        return 1, body[1:].lstrip()
    return 1, body


def _strip_wrapping(text: str) -> str:
    body = text.strip()
    if body.endswith("%"):
        body = body[:-1].rstrip()
    if body.startswith("(") or body.endswith(")"):
        if not (body.startswith("(") and body.endswith(")")):
            raise _fail("number_parenthesis", text, "dấu ngoặc không cân đối",
                        "unbalanced parenthesis")
        body = body[1:-1].strip()
    return body


def _check_integer_part(whole: str, text: str) -> None:
    if not whole:
        raise _fail("number_no_digits", text, "thiếu phần nguyên", "the integer part is missing")
    if "." in whole and not _GROUPED.fullmatch(whole):
        raise _fail(
            "number_thousands_group", text,
            "dấu '.' phân cách hàng nghìn phải đứng trước đúng 3 chữ số "
            "(dùng ',' cho phần thập phân)",
            "a '.' thousands separator must be followed by exactly 3 digits "
            "(use ',' for decimals)",
        )
    if not whole.replace(".", "").isdigit():
        raise _fail("number_no_digits", text, "phần nguyên không phải chữ số",
                    "the integer part is not made of digits")


def _check_characters(body: str, text: str) -> None:
    for char in body:
        if not (char in "0123456789.," or char == " "):
            raise _fail("number_character", text, f"ký tự không hợp lệ '{char}'",
                        f"unexpected character '{char}'")
    if " " in body:
        raise _fail("number_space", text, "có khoảng trắng giữa các chữ số",
                    "there is a space inside the number")


def parse_number(text: str) -> Decimal:
    """Read a Vietnamese-format number: "4.595,5" → 4595.5, "(-4,33)" → -4.33, "7,5%" → 7.5.

    Accepts a sign ("+", "-", "−"), enclosing parentheses (they only enclose: the sign comes
    from inside), and a trailing "%" which is dropped. Rejects "4,5,5", "4.59", "1..2", "".
    (``parse_quantity`` and the expression parser also refuse what another notation leaves
    behind as a "unit": "1e309", "0x1F".)
    """
    if not isinstance(text, str) or not text.strip():
        raise _fail("number_empty", str(text), "chuỗi rỗng", "the text is empty")
    sign, body = _split_sign(_strip_wrapping(text))
    _check_characters(body, text)
    if body.count(",") > 1:
        raise _fail("number_decimal_comma", text, "dấu thập phân ',' xuất hiện hai lần",
                    "the decimal comma ',' appears more than once")
    whole, _, fraction = body.partition(",")
    if "," in body and not fraction:
        raise _fail("number_no_digits", text, "thiếu chữ số sau dấu thập phân ','",
                    "digits are missing after the decimal comma ','")
    if "." in fraction:
        raise _fail("number_dot_after_comma", text, "dấu '.' đứng sau dấu thập phân ','",
                    "a '.' follows the decimal comma ','")
    _check_integer_part(whole, text)
    digits = whole.replace(".", "") + ("." + fraction if fraction else "")
    value = Decimal(digits)
    return -value if sign < 0 else value


def format_number(value: Decimal, decimals: int | None = None) -> str:
    """Write ``value`` the Vietnamese way: 4595.5 → "4.595,5", -4.33 → "-4,33".

    With ``decimals`` the value is rounded half-up to that many decimals first; without it the
    digits of the Decimal are kept as they are (so ``parse_number`` reads back the same value).
    """
    value = Decimal(value)
    if not value.is_finite():
        raise ParseError(
            f"Không thể viết giá trị không hữu hạn: {value}",
            f"Cannot format a non-finite value: {value}",
            code="number_not_finite",
            text=str(value),
        )
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    plain = format(value, "f")
    sign = "-" if plain.startswith("-") else ""
    whole, _, fraction = plain.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + ".".join(groups)
    return f"{result},{fraction}" if fraction else result


@dataclass(frozen=True)
class Quantity:
    """A number with its qualifier and unit, e.g. "khoảng 2.970 nghìn lượt khách".

    ``scale`` multiplies ``value`` into base units (``base_value``): it is the scale word that
    opens the unit ("nghìn lượt" → 1000, "triệu cây" → 1 000 000), except for money units
    ("tỷ đồng", "triệu USD"), where the scale word is part of the currency unit and scale is 1.
    """

    value: Decimal
    unit: str | None
    qualifier: str | None
    scale: Decimal
    text: str

    @property
    def base_value(self) -> Decimal:
        return self.value * self.scale


def unit_scale(unit: str | None) -> Decimal:
    """Scale of a unit: the scale word opening a non-currency unit, else 1.

    "nghìn lượt" → 1000, "triệu cây" → 10^6, "tỷ đồng" → 1 (money in tỷ), "ha" → 1.
    """
    if not unit:
        return Decimal(1)
    words = unit.lower().split()
    if words[0] not in SCALE_WORDS or any(w in CURRENCY_WORDS for w in words[1:]):
        return Decimal(1)
    return SCALE_WORDS[words[0]]


def split_qualifier(text: str) -> tuple[str | None, str]:
    """Split a leading qualifier ("khoảng", "trên", ...) from the rest of ``text``."""
    lowered = text.lower()
    for qualifier in QUALIFIERS:
        if lowered.startswith(qualifier) and lowered[len(qualifier):][:1] in (" ", "\t"):
            return qualifier, text[len(qualifier):].strip()
    return None, text


def split_number(text: str) -> tuple[str, str]:
    """Split ``text`` into its leading number token and the rest (the unit, maybe "%")."""
    body = text.strip()
    match = _PAREN.match(body) or _TOKEN.match(body)
    if not match:
        raise ParseError(
            f"Không tìm thấy số ở đầu: '{text}'",
            f"No number at the start of: '{text}'",
            code="quantity_no_number",
            text=text,
        )
    return match.group(0), body[match.end():].strip()


def _check_unit(unit: str, text: str) -> None:
    if _FOREIGN_NOTATION.match(unit):
        raise ParseError(
            f"Số không hợp lệ: '{text}' — chỉ nhận số viết kiểu Việt Nam (không nhận dạng mũ "
            "'1e5' hay thập lục phân '0x1F')",
            f"Invalid number: '{text}' — only Vietnamese-style numbers are read (no exponent "
            "'1e5', no hexadecimal '0x1F')",
            code="number_notation",
            text=text,
        )
    if unit == "%" or unit[:1].isalpha():
        return
    raise ParseError(
        f"Đơn vị không hợp lệ '{unit}' trong '{text}' — đơn vị phải bắt đầu bằng chữ hoặc là '%'",
        f"Invalid unit '{unit}' in '{text}' — a unit must start with a letter or be '%'",
        code="quantity_unit",
        text=text,
    )


def parse_unit(rest: str, text: str) -> str | None:
    """Validate the unit written after a number ("" → None); used by the expression parser."""
    unit = " ".join(rest.split())
    if not unit:
        return None
    _check_unit(unit, text)
    return unit


def parse_quantity(text: str) -> Quantity:
    """Read "[qualifier] number [unit]": "5,2 triệu cây", "trên 18.600 tỷ đồng", "7,5%"."""
    if not isinstance(text, str) or not text.strip():
        raise _fail("number_empty", str(text), "chuỗi rỗng", "the text is empty")
    qualifier, rest = split_qualifier(" ".join(text.split()))
    token, unit_text = split_number(rest)
    value = parse_number(token)
    unit = parse_unit(unit_text, text)
    return Quantity(value=value, unit=unit, qualifier=qualifier, scale=unit_scale(unit),
                    text=text)
