"""Document numbers, số/ký hiệu (kg.notation.docnumbers)."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.notation import DOCUMENT_TYPES, DocumentNumber, parse_document_number


@pytest.mark.parametrize(
    ("text", "number", "year", "doc_type", "issuer", "unit", "grammar"),
    [
        ("29/NQ-HĐND", "29", None, "NQ", "HĐND", None, "state"),
        ("1966/QĐ-UBND", "1966", None, "QĐ", "UBND", None, "state"),
        ("21/CT-TTg", "21", None, "CT", "TTg", None, "state"),
        ("17/CT-TTg", "17", None, "CT", "TTg", None, "state"),
        ("288/QĐ-TTg", "288", None, "QĐ", "TTg", None, "state"),
        ("4456/BKHĐT-TH", "4456", None, None, "BKHĐT", "TH", "state"),
        ("2903/UBND-THNC", "2903", None, None, "UBND", "THNC", "state"),
        ("111/2024/QH15", "111", 2024, None, "QH15", None, "state"),
        ("30/2020/NĐ-CP", "30", 2020, "NĐ", "CP", None, "state"),
        ("23/2018/QĐ-TTg", "23", 2018, "QĐ", "TTg", None, "state"),
        ("42/2014/QĐ-TTg", "42", 2014, "QĐ", "TTg", None, "state"),
        ("01/NQ-CP", "01", None, "NQ", "CP", None, "state"),
        ("165/QĐ-TTg", "165", None, "QĐ", "TTg", None, "state"),
        ("262/QĐ-TTg", "262", None, "QĐ", "TTg", None, "state"),
        ("49-NQ/TU", "49", None, "NQ", "TU", None, "party"),
        ("71-CTr/TU", "71", None, "CTr", "TU", None, "party"),
        ("06-ĐA/TU", "06", None, "ĐA", "TU", None, "party"),
        ("20-NQ/TW", "20", None, "NQ", "TW", None, "party"),
        ("60-NQ/TU", "60", None, "NQ", "TU", None, "party"),
        ("01-CTr/TU", "01", None, "CTr", "TU", None, "party"),
    ],
)
def test_parse_document_number_reads_both_grammars(
    text: str, number: str, year: int | None, doc_type: str | None, issuer: str,
    unit: str | None, grammar: str,
) -> None:
    parsed = parse_document_number(text)
    assert parsed == DocumentNumber(number, year, doc_type, issuer, unit, grammar, text)
    assert parsed.format() == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("số 29/NQ-HĐND", "29/NQ-HĐND"), ("Số: 1966/QĐ-UBND.", "1966/QĐ-UBND"),
     ("(49-NQ/TU),", "49-NQ/TU"), ("29 / NQ - HĐND;", "29/NQ-HĐND")],
)
def test_parse_document_number_ignores_lead_word_and_punctuation(
    text: str, canonical: str
) -> None:
    parsed = parse_document_number(text)
    assert parsed.format() == canonical
    assert parsed.text == text


def test_number_int_drops_leading_zeros() -> None:
    assert parse_document_number("06-ĐA/TU").number_int == 6
    assert parse_document_number("1966/QĐ-UBND").number_int == 1966


def test_document_types_registry_names_each_code_in_both_languages() -> None:
    assert {"NQ", "QĐ", "CT", "KH", "CTr", "ĐA", "BC", "TB", "HD", "TTr", "NĐ", "TT"} <= set(
        DOCUMENT_TYPES)
    assert "QH" not in DOCUMENT_TYPES
    assert all(vi and en for vi, en in DOCUMENT_TYPES.values())


@pytest.mark.parametrize(
    ("text", "code"),
    [("29NQ-HĐND", "docnumber_no_slash"), ("abc", "docnumber_no_number"),
     ("/NQ-HĐND", "docnumber_no_number"), ("29/", "docnumber_no_symbol"),
     ("", "docnumber_empty"), ("29/NQ", "docnumber_no_issuer"),
     ("49-XX/TU", "docnumber_type"), ("29/NQ-", "docnumber_no_symbol"),
     ("29/NQ HĐND", "docnumber_symbol")],
)
def test_parse_document_number_rejects_malformed(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_document_number(text)
    error = caught.value
    assert error.code == code
    assert error.vi.startswith("Số/ký hiệu văn bản không hợp lệ")
    assert error.en.startswith("Invalid document number")
    assert error.text == text


ISSUERS = st.sampled_from(["HĐND", "UBND", "TTg", "CP", "BKHĐT", "QH15", "TU", "TW", "BTC",
                           "SKHĐT", "VPUBND"])
UNITS = st.sampled_from([None, "TH", "THNC", "KT", "KGVX"])


@st.composite
def document_numbers(draw: st.DrawFn) -> DocumentNumber:
    number = draw(st.from_regex(r"[0-9]{1,5}", fullmatch=True))
    doc_type = draw(st.sampled_from(sorted(DOCUMENT_TYPES)))
    if draw(st.booleans()):
        return DocumentNumber(number, None, doc_type, draw(ISSUERS), draw(UNITS), "party", "")
    year = draw(st.one_of(st.none(), st.integers(1945, 2100)))
    typed = draw(st.one_of(st.none(), st.just(doc_type)))
    return DocumentNumber(number, year, typed, draw(ISSUERS), draw(UNITS), "state", "")


@settings(max_examples=200, deadline=None)
@given(document_numbers())
def test_format_then_parse_document_number_round_trips(doc: DocumentNumber) -> None:
    written = doc.format()
    assert parse_document_number(written) == replace(doc, text=written)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789/-NQĐHUBDTgsố :.", max_size=16)))
def test_parse_document_number_raises_only_parse_error(text: str) -> None:
    try:
        parse_document_number(text)
    except ParseError:
        pass
